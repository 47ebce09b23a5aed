import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Unit and contract tests first, then the real-part integration suites.
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Real sshd, keyring and simulator processes: keep the 2-core machine calm.
          maxWorkers: 2,
        },
      },
    ],
  },
});
