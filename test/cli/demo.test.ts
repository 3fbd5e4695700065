// The README's first command: the demo builds, serves, registers and drives a
// job, and prints what the hooks did.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';

describe('npm run demo', () => {
  it('drives one backup job through the example hook and prints the report and effects', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hooks-demo-'));
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/demo.ts', '--data-dir', dataDir], { cwd: REPO_ROOT, timeout: 120_000 });
      expect(stdout).toMatch(/== Hook service listening on 127\.0\.0\.1:\d+/);
      expect(stdout).toMatch(/dir-startup +id [0-9a-f-]{36}/);
      for (const event of ['JobStart', 'JobInit', 'JobRun', 'NewVolume', 'VolumePurged', 'JobEnd', 'Exit']) {
        expect(stdout).toMatch(new RegExp(`  ${event} +dir-startup ok`));
      }
      expect(stdout).toContain('Dir JobStart: JobId=1 Client=demo-fd NumVols=3');
      expect(stdout).toContain('Exists=0 TestA-3');
      expect(stdout).toContain('NewVolume: VolumeName = TestA-3');
      expect(stdout).toContain('DoesVolumeExist(TestA-3) -> false');
      expect(stdout).toContain('Dir JobEnd output: JobId=1 Client=demo-fd.');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
