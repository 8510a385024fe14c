import { defineConfig } from 'vitest/config';

// Three suites, run separately: unit and integration anywhere, e2e needs Linux + root (testbed).
export default defineConfig({
  test: {
    // The default output, then one list of suites skipped for a missing tool (test/helpers/tools.ts).
    reporters: ['default', './test/helpers/skipped-tools-reporter.ts'],
    projects: [
      // 30 s per test: several unit tests spawn real processes (bash, ruby, vagrant, stub CLIs) and CI machines
      // are shared and loaded (a 5 s default timed a check test out at load ~15); hangs still end.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 60_000 } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // One testbed per machine: e2e files run one after another.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
