// `npm run e2e:bacula`: the end-to-end tests alone. They build the hooks they
// use themselves, so the suite's fixture build (global setup) is not needed.
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default defineConfig({
  test: { ...base.test, globalSetup: [], include: ['test/e2e/**/*.test.ts'] },
});
