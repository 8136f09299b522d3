import type { Store } from "../store/store";

/**
 * Sets platform settings for a test file the way an operator does, through the environment, and
 * makes the next `getEnv()` read them again (test files run in their own workers). Returns the undo.
 */
export function useSettings(values: Record<string, string>): () => void {
  const before = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  forgetEnv();
  return () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    forgetEnv();
  };
}

/** Hands the test store to code that asks getStore() (next-auth's callbacks). */
export function useStoreAsProcessStore(store: Store): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for("discoparrot.store")] = Promise.resolve(store);
}

function forgetEnv(): void {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for("discoparrot.env")];
}
