/**
 * Runs once when the server process starts (dev, `next start` and the standalone server alike):
 * validates the settings and opens the store before the first request, so a bad setting stops
 * the process at start with one line instead of failing at first use.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootPlatform } = await import("./server/boot");
  await bootPlatform();
}
