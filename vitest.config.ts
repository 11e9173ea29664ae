import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // One seed for every property (EDA_PROPERTY_SEED varies it): CI runs are repeatable.
    setupFiles: ["test/support/property-seed.ts"],
  },
});
