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
      for (const [hook, language] of [['dir-startup', 'TypeScript'], ['priority-policy', 'TypeScript'], ['c-failure-notifier', 'C'], ['rust-job-chaining', 'Rust']]) {
        expect(stdout).toMatch(new RegExp(`  ${hook} +${language} `));
        expect(stdout).toMatch(new RegExp(`  ${hook} +id [0-9a-f-]{36}`));
      }
      expect(stdout).toMatch(/  JobEnd +dir-startup ok \([^)]+\), priority-policy ok \([^)]+\), c-failure-notifier ok \([^)]+\), rust-job-chaining ok/);
      for (const event of ['JobStart', 'JobInit', 'JobRun', 'NewVolume', 'VolumePurged', 'JobEnd', 'Exit']) {
        expect(stdout).toMatch(new RegExp(`  ${event} +dir-startup ok`));
      }
      expect(stdout).toContain('Dir JobStart: JobId=1 Client=demo-fd NumVols=3');
      expect(stdout).toContain('Exists=0 TestA-3');
      expect(stdout).toContain('NewVolume: VolumeName = TestA-3');
      expect(stdout).toContain('DoesVolumeExist(TestA-3) -> false');
      expect(stdout).toContain('Dir JobEnd output: JobId=1 Client=demo-fd.');
      expect(stdout).toContain('priority-policy: last backup 9 days before this one: Level Incremental -> Differential');
      expect(stdout).toContain('JobInit: Level = differential');
      expect(stdout).toContain('chained copy job: JobId 2');
      expect(stdout).toContain('run("run job=BackupClient1-copy yes") -> JobId 2');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
