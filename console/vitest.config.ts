import { defineConfig } from "vitest/config";

// Unit tests of the view logic: pure functions, no browser, no network.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], environment: "node" },
});
