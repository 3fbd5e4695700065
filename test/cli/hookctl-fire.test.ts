// `hookctl fire`: a component on one event, locally, no director and no
// service to run first; the real CLI in a child process, on real components.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';
import { fixturePath } from '../fixtures/build-fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'hookctl-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function hookctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/hookctl.ts', ...args], {
      cwd: REPO_ROOT, timeout: 120_000, env: { ...process.env, XDG_CACHE_HOME: join(work, 'cache') },
    }, (e, stdout, stderr) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

const conformance = fixturePath('conformance.ts');

describe('hookctl fire', () => {
  it('fires a job event after a JobStart, answering director calls from flags', async () => {
    const job = join(work, 'job.json');
    writeFileSync(job, JSON.stringify({ jobId: 12, pool: 'Weekly', numVols: 2, level: 'I' }));
    const r = await hookctl('fire', conformance, '--event', 'new-volume', '--job', job, '--volume', 'Weekly-2');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('JobStart sent first to open the job: ok; job events subscribed: jobInit, jobRun, newVolume, volumePurged');
    expect(r.stdout).toMatch(/new-volume: ok \(\d+\.\d+ ms\)/);
    expect(r.stdout).toContain('  exists Weekly-2 -> true');
    expect(r.stdout).toContain('accepted writes: VolumeName=Vol-3');
    expect(r.stdout).toContain('  does-volume-exist("Weekly-2") -> true');
  });

  it('without a director, director calls fail with no-director-session; --json gives the whole result', async () => {
    const r = await hookctl('fire', conformance, '--event', 'job-run', '--no-director', '--json', '--job-json', '{"jobId": 3}');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.outcome.report).toContain('run failed: no-director-session');
    expect(result.outcome.writes).toEqual({ priority: 6 });
    expect(result.calls).toEqual([]);
  });

  it('a refusal from the answers file reaches the hook', async () => {
    const answers = join(work, 'answers.json');
    writeFileSync(answers, JSON.stringify({ run: { refuse: 'job BackupClient1-copy is not defined' } }));
    const r = await hookctl('fire', conformance, '--event', 'job-run', '--answers', answers);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  run failed: refused: job BackupClient1-copy is not defined');
    expect(r.stdout).toContain('  run("run job=BackupClient1-copy yes") -> refused: job BackupClient1-copy is not defined');
  });

  it('a failing hook exits 1 with its message, and says which writes were not applied', async () => {
    const r = await hookctl('fire', conformance, '--event', 'job-init', '--job-json', '{"client": "fail-at-job-init"}');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('job-init: failed\n  asked to fail at job-init');
    expect(r.stdout).toContain('writes not applied (the hook failed): {"priority":77}');
  });

  it('a trap shows the reason and the wasm backtrace', async () => {
    const r = await hookctl('fire', conformance, '--event', 'job-start', '--job-json', '{"client": "trap-at-job-start"}');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/job-start: failed\n  trap: asked to trap at job-start \(hook "fired", event JobStart; wasm: [^)]+\)\n  wasm backtrace:\n/);
  });

  it('--grant gives a WASI-built hook its stdio, clocks and random; without it the registration refusal names the grants', async () => {
    const probe = fixturePath('wasi-probe.ts');
    const r = await hookctl('fire', probe, '--event', 'job-start', '--grant', 'stdio,clocks,random', '--job-json', '{"jobId": 41}');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('stdout job 41\n');
    expect(r.stdout).toContain('[stderr] warn job 41\n');
    const refused = await hookctl('fire', probe, '--event', 'job-start', '--grant', 'stdio');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('(they need the grants clocks, random)');
    const unknown = await hookctl('fire', probe, '--event', 'job-start', '--grant', 'stdio,network');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--grant: unknown grant network (choose from stdio, clocks, random)');
  });

  it('bad input exits 2 with what was wrong', async () => {
    const bad = await hookctl('fire', conformance, '--event', 'job-start', '--job-json', '{"level": "Q"}');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('job.level: "Q" is not one of full, incremental');
    const noEvent = await hookctl('fire', conformance);
    expect(noEvent.code).toBe(2);
    expect(noEvent.stderr).toContain('fire needs --event');
    const notWasm = await hookctl('fire', join(REPO_ROOT, 'README.md'), '--event', 'job-start');
    expect(notWasm.code).toBe(2);
    expect(notWasm.stderr).toContain('not WebAssembly');
  });
});
