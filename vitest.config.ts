import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    environment: "node",
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", ".next/**", "e2e/**", "scratch/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Each file opens its own embedded store; two cores, so two files at a time.
    maxWorkers: 2,
    env: { LOG_LEVEL: "warn" },
    // One container engine for every file that needs one (see podman-global-setup.ts).
    globalSetup: ["operators/docker/testing/podman-global-setup.ts"],
  },
});
