/** A time as the API keeps it (metav1.Time): to the second, where the engine's have nanoseconds. */
export const kubeTime = (time: string | number | Date = Date.now()) => new Date(Math.floor(new Date(time).getTime() / 1000) * 1000);

/** A time from the API or the cache, which holds both Date (from a list) and string (from a watch event). */
export const timeMs = (time: Date | string | undefined): number | undefined => (time === undefined ? undefined : new Date(time).getTime());
