import type { Store } from "../store/store";

/**
 * Test files run in their own workers; these set a file's settings (read once per process by
 * getEnv) and hand the test store to code that asks getStore() (next-auth's callbacks).
 */
export function useSettings(settings: Record<string, string>): void {
  Object.assign(process.env, settings);
  delete (globalThis as Record<symbol, unknown>)[Symbol.for("discoparrot.env")];
}

export function useStoreAsProcessStore(store: Store): void {
  (globalThis as Record<symbol, unknown>)[Symbol.for("discoparrot.store")] = Promise.resolve(store);
}
