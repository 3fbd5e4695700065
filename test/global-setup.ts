// Builds the real components the suite runs (JS fixtures and examples) once per run.
import { buildFixtures } from './fixtures/build-fixtures.js';

export default function setup() {
  buildFixtures((s) => process.stderr.write(`[global-setup] ${s}\n`));
}
