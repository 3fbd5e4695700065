import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Real services, real workers, real components: generous per-test limits,
    // speed is measured by `npm run bench`, not here.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
