import { defineConfig } from "vitest/config";

// Browser tests against a real hub (e2e/hub.ts starts it); one file at a time, one browser.
export default defineConfig({
  test: {
    include: ["e2e/**/*.test.ts"],
    globalSetup: ["e2e/hub.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ["default"],
  },
});
