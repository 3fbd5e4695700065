// The RunScript bridge as Bacula runs it (bin/bacula-hooks-bridge, a child
// process) against a real service on loopback, without a Director: what it
// prints for the job log and its exit status, for each case a RunScript
// meets. The end-to-end test (test/e2e) runs it under a real Bacula.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';
import { jobFromRunScript, runScriptCommand } from '../../src/bacula/runscript-job.js';
import { AdminClient } from '../../src/client/admin-client.js';
import { fixture, startTestService, type TestService } from '../helpers/service.js';
import { tenantTokens } from '../helpers/hostile.js';

const work = mkdtempSync(join(tmpdir(), 'bridge-test-'));
const { tokens, entries } = tenantTokens(['ops', 'strict'] as const);
let t: TestService;
let nextJobId = 7000;

function config(name: string, lines: string[]): string {
  const path = join(work, `${name}.yaml`);
  writeFileSync(path, lines.join('\n'));
  return path;
}

const serviceConfig = (tenant: keyof typeof tokens, extra: string[] = []) =>
  config(tenant, ['service:', `  address: ${t.svc.address}`, `  token: ${tokens[tenant]}`, 'timeoutMs: 20000',
    'bconsole:', '  config: /nonexistent/bconsole.conf', ...extra]);

/** Runs the bridge as a RunScript would: one word per substitution. */
function bridge(args: string[]): Promise<{ code: number; lines: string[] }> {
  return new Promise((resolve) => {
    execFile(join(REPO_ROOT, 'bin/bacula-hooks-bridge'), args, { timeout: 60_000 }, (e, stdout) =>
      resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, lines: stdout.split('\n').filter(Boolean) }));
  });
}

const jobArgs = (jobId: number, client: string, status = 'Unknown term code') => [
  `--jobid=${jobId}`, `--job=Nightly.2026-11-26_10.22.07_${jobId % 100}`, '--name=Nightly', '--level=Full', '--type=Backup',
  `--client=${client}`, `--status=${status}`, '--pool=Lab', '--storage=LabFile', '--volume=', '--bytes=0', '--files=0',
  '--errors=0', '--read-bytes=0', '--since=', '--director=lab-dir',
];

beforeAll(async () => {
  t = await startTestService({ auth: { tokens: entries } }, undefined, { token: tokens.ops });
  await t.admin.register({ name: 'conformance', component: fixture('conformance.c') });
  const strict = new AdminClient(t.svc.address, { token: tokens.strict });
  await strict.register({ name: 'conformance', component: fixture('conformance.c'), failurePolicy: 'fail-closed' });
  strict.close();
});

afterAll(async () => {
  await t?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('bacula-hooks-bridge', () => {
  it('Before sends JobStart, JobInit, JobRun; After sends JobEnd; hook lines are printed and writes a running job cannot take are warned about', async () => {
    const id = nextJobId++;
    const cfg = serviceConfig('ops');
    const before = await bridge(['before', `--config=${cfg}`, ...jobArgs(id, 'lab-fd')]);
    expect(before.code, before.lines.join('\n')).toBe(0);
    const text = before.lines.join('\n');
    expect(text).toContain('[conformance] seen job-start\n');
    expect(text).toContain('[conformance] seen job-start,job-init,job-run\n');
    // The director calls go through bconsole; this configuration names no Director, so run is refused with why.
    expect(before.lines).toContainEqual(expect.stringMatching(/^\[conformance\] run failed: refused: bconsole cannot use its configuration: Cannot open config file "\/nonexistent\/bconsole\.conf"/));
    expect(before.lines).toContain('warning: hook conformance set priority=11 at JobStart; a RunScript cannot change a running Bacula job, so it was not applied');
    expect(before.lines).toContain('warning: hook conformance set level=differential at JobInit; a RunScript cannot change a running Bacula job, so it was not applied');
    // Everything a hook read came from the substitutions.
    expect(before.lines).toContain(`[conformance] attr job-name=Nightly.2026-11-26_10.22.07_${id % 100}`);
    expect(before.lines).toContain('[conformance] attr client=lab-fd');
    expect(before.lines).toContain('[conformance] daemon name=lab-dir');

    const after = await bridge(['after', `--config=${cfg}`, ...jobArgs(id, 'lab-fd', 'OK -- with warnings')]);
    expect(after.code, after.lines.join('\n')).toBe(0);
    expect(after.lines).toContain('[conformance] seen job-start,job-init,job-run,job-end');
    expect(after.lines).toContain('[conformance] final status=terminated-with-warnings');
  });

  it('a fail-closed hook that fails exits 1 with the hook, the event and the reason, and the job\'s later events are not sent', async () => {
    const r = await bridge(['before', `--config=${serviceConfig('strict')}`, ...jobArgs(nextJobId++, 'fail-at-job-init')]);
    expect(r.code).toBe(1);
    expect(r.lines).toContain('hook conformance failed at JobInit (fail-closed: the job fails): asked to fail at job-init');
    expect(r.lines.some((l) => l.includes('job-run'))).toBe(false);
  });

  it('a fail-open hook that fails is reported and the job goes on (exit 0)', async () => {
    const r = await bridge(['before', `--config=${serviceConfig('ops')}`, ...jobArgs(nextJobId++, 'fail-at-job-start')]);
    expect(r.code).toBe(0);
    expect(r.lines).toContain('hook conformance failed at JobStart (fail-open: the job goes on): asked to fail at job-start');
  });

  it('JobEnd for a job whose start the service never saw is reported, not fatal', async () => {
    const id = nextJobId++;
    const r = await bridge(['after', `--config=${serviceConfig('ops')}`, ...jobArgs(id, 'lab-fd', 'OK')]);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([
      'note: hooks read SchedTime and Priority as unknown: bconsole cannot use its configuration: Cannot open config file "/nonexistent/bconsole.conf": No such file or directory',
      expect.stringMatching(new RegExp(`^hooks did not see JobEnd: .*job ${id}`)),
    ]);
  });

  it('an unreachable service: exit 0 when fail-open, 1 when fail-closed, the job log saying why either way', async () => {
    const closedPort = config('closed-port', ['service:', '  address: 127.0.0.1:1', 'timeoutMs: 5000', 'unreachable: fail-closed']);
    const r = await bridge(['before', `--config=${closedPort}`, ...jobArgs(nextJobId++, 'lab-fd')]);
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([expect.stringMatching(/^hooks did not run: the hook service at 127\.0\.0\.1:1 is unreachable \(.+\); JobStart, JobInit, JobRun not delivered for JobId \d+; the job fails \(bridge unreachable = fail-closed\)$/)]);
    const open = config('open-port', ['service:', '  address: 127.0.0.1:1', 'timeoutMs: 5000']);
    const o = await bridge(['after', `--config=${open}`, ...jobArgs(nextJobId++, 'lab-fd', 'OK')]);
    expect(o.code).toBe(0);
    expect(o.lines[0]).toMatch(/JobEnd not delivered .* the job goes on \(bridge unreachable = fail-open\)$/);
  });

  it('bad arguments and a bad configuration exit 2 with what to fix', async () => {
    const cfg = serviceConfig('ops');
    expect(await bridge(['during', `--config=${cfg}`, ...jobArgs(1, 'x')])).toEqual({ code: 2, lines: ['hooks bridge: first argument: before or after, got "during" (see --help)'] });
    expect(await bridge(['before', `--config=${cfg}`, '--name=Nightly', '--director=d'])).toEqual({ code: 2, lines: ['hooks bridge: --jobid is required: the JobId (%i) of the job the RunScript runs for'] });
    const level = await bridge(['before', `--config=${cfg}`, ...jobArgs(1, 'x'), '--level=Fullish']);
    expect(level.code).toBe(2);
    expect(level.lines[0]).toMatch(/^hooks bridge: --level "Fullish": not a Bacula level the bridge knows \(%l gives one of: full, incremental, /);
    const split = await bridge(['before', `--config=${cfg}`, ...jobArgs(1, 'x'), '--status=OK', '--', 'with', 'warnings']);
    expect(split.code).toBe(2);
    const typo = config('typo', ['service:', '  adress: 127.0.0.1:50051', 'timeoutMs: 5000']);
    const bad = await bridge(['before', `--config=${typo}`, ...jobArgs(1, 'x')]);
    expect(bad).toEqual({ code: 2, lines: [expect.stringMatching(new RegExp(`^hooks bridge: ${typo.replaceAll('.', '\\.')}: service: unknown key\\(s\\) "adress"`))] });
  });
});

describe('RunScript substitutions', () => {
  it('maps the words Bacula 9.6 prints onto the job hooks read', () => {
    const job = jobFromRunScript({
      jobid: '12', job: 'Nightly.2026-11-26_10.22.07_03', name: 'Nightly', level: 'Virtual Full', type: 'Backup',
      client: 'lab-fd', status: 'OK -- with warnings', pool: 'Lab', storage: 'LabFile', volume: 'Lab-0001',
      bytes: '3899', files: '3', errors: '1', 'read-bytes': '4000', since: '', director: 'lab-dir',
    });
    expect(job).toMatchObject({
      jobId: 12, jobName: 'Nightly.2026-11-26_10.22.07_03', name: 'Nightly', level: 'virtual-full', jobType: 'backup',
      client: 'lab-fd', status: 'terminated-with-warnings', pool: 'Lab', storage: 'LabFile', writeStorage: 'LabFile',
      volumeName: 'Lab-0001', numVols: 1, jobBytes: 3899, jobFiles: 3, jobErrors: 1, readBytes: 4000, sinceTime: 0,
    });
    expect(jobFromRunScript({ jobid: '1', name: 'n', status: 'Unknown term code' }).status).toBe('running');
    expect(jobFromRunScript({ jobid: '1', name: 'n', status: 'Fatal Error' }).status).toBe('fatal-error');
    expect(jobFromRunScript({ jobid: '1', name: 'n', type: 'Restore', level: '' })).toMatchObject({ jobType: 'restore', level: 'none' });
    expect(() => jobFromRunScript({ jobid: '1', name: 'n', bytes: '3,899' })).toThrow('--bytes "3,899": a whole number (%b)');
  });

  it('the shipped Director snippet runs the bridge with every substitution, each as one quoted word', () => {
    const snippet = readFileSync(join(REPO_ROOT, 'examples/bacula/bacula-dir-hooks.conf'), 'utf8');
    for (const when of ['before', 'after'] as const) {
      const cmd = runScriptCommand('/opt/bacula-hooks/bin/bacula-hooks-bridge', when, '/etc/bacula/hooks-bridge.yaml');
      expect(cmd).toContain("'--status=%e'");
      expect(snippet).toContain(`Command = "${cmd}"`);
    }
  });
});
