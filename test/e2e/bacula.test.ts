// End to end with a real Bacula 9.6: a private Director, storage and file
// daemon on loopback run real backup jobs whose RunScripts (the shipped
// examples/bacula snippet) call the bridge, which runs the hooks in a real
// hookd and answers their director calls through bconsole.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example, ensureBuilt, REPO_ROOT } from '../../src/cli/example-hooks.js';
import { AdminClient } from '../../src/client/admin-client.js';
import { tenantTokens } from '../helpers/hostile.js';
import { BaculaLab } from './bacula-lab.js';

const work = mkdtempSync(join(tmpdir(), 'bacula-e2e-'));
const { tokens, entries } = tenantTokens(['backup-ops'] as const);
let lab: BaculaLab;
let hookd: ChildProcess | undefined;
let address = '';

/** Starts hookd as an operator would, with a tokens file, and waits until its admin API answers. */
async function startHookd(): Promise<void> {
  writeFileSync(join(work, 'tokens.json'), JSON.stringify(entries));
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  address = `127.0.0.1:${port}`;
  const out: string[] = [];
  hookd = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['src/cli/hookd.ts', '--listen', address, '--data-dir', join(work, 'hooks-data'), '--tokens', join(work, 'tokens.json')],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  hookd.stdout!.on('data', (d: Buffer) => out.push(d.toString()));
  hookd.stderr!.on('data', (d: Buffer) => out.push(d.toString()));
  const admin = new AdminClient(address, { token: tokens['backup-ops'] });
  try {
    for (const until = Date.now() + 60_000; ;) {
      if (hookd.exitCode !== null) throw new Error(`hookd exited ${hookd.exitCode}: ${out.join('')}`);
      try {
        await admin.list();
        return;
      } catch {
        if (Date.now() > until) throw new Error(`hookd did not answer within 60 s: ${out.join('')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    admin.close();
  }
}

async function stopHookd(): Promise<void> {
  const child = hookd;
  hookd = undefined;
  if (!child || child.exitCode !== null) return;
  await new Promise((r) => {
    child.once('exit', r);
    child.kill('SIGTERM');
  });
}

/** The bridge configuration the lab's RunScripts read at each run. */
function writeBridgeConfig(o: { address: string; timeoutMs?: number; unreachable?: 'fail-open' | 'fail-closed' }) {
  writeFileSync(lab.bridgeConfig, [
    'service:',
    `  address: ${o.address}`,
    `  token: ${tokens['backup-ops']}`,
    `timeoutMs: ${o.timeoutMs ?? 60_000}`,
    `unreachable: ${o.unreachable ?? 'fail-open'}`,
    'director:',
    '  version: "9.6.7 (10 December 2020)"',
    'bconsole:',
    `  config: ${lab.bconsoleConfig}`,
  ].join('\n'));
}

/** Log lines a RunScript printed, without Bacula's "BeforeJob: " / "AfterJob: " prefix. */
const scriptLines = (log: string[], when: 'BeforeJob' | 'AfterJob') =>
  log.filter((l) => l.startsWith(`${when}: `)).map((l) => l.slice(when.length + 2));

beforeAll(async () => {
  execFileSync('bash', [join(REPO_ROOT, 'scripts/ensure-bacula.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  execFileSync('sh', [join(REPO_ROOT, 'examples/bacula/hooks/build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const chaining = example('rust-job-chaining');
  ensureBuilt(chaining);

  lab = await BaculaLab.start([
    { name: 'Nightly', hooked: true, priority: 12 },
    { name: 'Nightly-copy', hooked: false },
    { name: 'Frozen', client: 'frozen-fd', hooked: true },
  ]);
  await startHookd();
  writeBridgeConfig({ address });

  // Registered as the admin's walk-through (examples/bacula/README.md) does: hookctl over the admin API.
  const hookctl = (...args: string[]) => execFileSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['src/cli/hookctl.ts', 'register', ...args], {
    cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, HOOKCTL_SERVER: address, HOOKCTL_TOKEN: tokens['backup-ops'] },
  });
  hookctl('examples/bacula/hooks/job-audit.wasm', '--name', 'job-audit');
  hookctl('examples/bacula/hooks/change-freeze.wasm', '--name', 'change-freeze', '--events', 'job-start', '--failure-policy', 'fail-closed');
  hookctl(chaining.wasm, '--name', 'rust-job-chaining', '--events', 'job-end');
  const admin = new AdminClient(address, { token: tokens['backup-ops'] });
  expect((await admin.list()).map((h) => [h.name, h.failurePolicy, h.events])).toEqual([
    ['job-audit', 'fail-open', ['job-start', 'job-init', 'job-run', 'new-volume', 'volume-purged', 'job-end', 'exit']], ['change-freeze', 'fail-closed', ['job-start']], ['rust-job-chaining', 'fail-open', ['job-end']],
  ]);
  admin.close();
}, 600_000);

afterAll(async () => {
  await stopHookd();
  await lab?.stop();
  rmSync(work, { recursive: true, force: true });
});

// Real daemons and jobs: generous limits when the rest of the suite shares the machine.
describe('a real Bacula 9.6 Director runs hooks through the RunScript bridge', { timeout: 240_000 }, () => {
  let nightly: number;
  let log: string[];

  it('runs the backup, and the hooks\' report lines for JobStart, JobInit, JobRun and JobEnd are in its job log', () => {
    nightly = lab.run('Nightly');
    const row = lab.waitFor(nightly);
    log = lab.jobLog(nightly);
    expect(row.status, `${log.join('\n')}\n${lab.daemonOutput()}`).toBe('T');
    const before = scriptLines(log, 'BeforeJob');
    expect(before).toEqual([
      expect.stringMatching(new RegExp(`^\\[job-audit\\] JobStart: Nightly\\.\\d{4}-\\d\\d-\\d\\d_\\d\\d\\.\\d\\d\\.\\d\\d_\\d+ full backup of lab-fd to pool Lab$`)),
      // Priority and SchedTime have no RunScript substitution: the bridge read them through bconsole.
      expect.stringMatching(/^\[job-audit\] JobInit: priority 12, scheduled at \d+ \(Unix time\)$/),
      '[job-audit] JobRun: writing to storage LabFile',
    ]);
    const scheduled = Number(/scheduled at (\d+)/.exec(before[1])![1]);
    expect(Math.abs(scheduled - Date.now() / 1000)).toBeLessThan(600);
    const after = scriptLines(log, 'AfterJob');
    expect(after).toContainEqual(expect.stringMatching(/^\[job-audit\] JobEnd: terminated, 3 files, \d+ bytes, volume Lab-0001$/));
  });

  it('does-volume-exist, answered from the catalog through bconsole: true for the volume Bacula labelled, false for the next label', () => {
    expect(lab.volumes()).toEqual(['Lab-0001']);
    const after = scriptLines(log, 'AfterJob');
    expect(after).toContain('[job-audit] volume Lab-0001 in catalog: yes');
    expect(after).toContain('[job-audit] next label Lab-0002 in catalog: no');
  });

  it('a chaining hook\'s run started a real second job, whose JobId the hook reported', () => {
    const line = scriptLines(log, 'AfterJob').find((l) => l.startsWith('[rust-job-chaining] '));
    const m = /^\[rust-job-chaining\] chained copy job: JobId (\d+)$/.exec(line ?? '');
    expect(m, log.join('\n')).not.toBeNull();
    const copy = lab.waitFor(Number(m![1]));
    expect(copy).toEqual({ jobId: Number(m![1]), name: 'Nightly-copy', status: 'T' });
    expect(copy.jobId).toBeGreaterThan(nightly);
  });

  it('a fail-closed hook that fails makes Bacula fail the job before it starts, and the log says which hook and why', () => {
    const frozen = lab.run('Frozen');
    const row = lab.waitFor(frozen);
    const flog = lab.jobLog(frozen);
    expect(row.status, flog.join('\n')).toMatch(/^[fE]$/);
    expect(scriptLines(flog, 'BeforeJob')).toContainEqual(expect.stringMatching(
      /^hook change-freeze failed at JobStart \(fail-closed: the job fails\): client frozen-fd is in a change freeze: Frozen\.\S+ is held/));
    expect(flog).toContainEqual(expect.stringMatching(/BeforeJob returned non-zero status=1/));
    // The job never reached the client: nothing was backed up.
    expect(flog.some((l) => /Start Backup JobId/.test(l))).toBe(false);
  });

  it('when the service does not answer, the bridge gives up at its timeout and the job goes on, saying why', async () => {
    // A listener that accepts connections and never answers: the RunScript must not hang the job.
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    const port = await new Promise<number>((r) => silent.listen(0, '127.0.0.1', () => r((silent.address() as { port: number }).port)));
    writeBridgeConfig({ address: `127.0.0.1:${port}`, timeoutMs: 3_000 });
    try {
      const id = lab.run('Nightly');
      const row = lab.waitFor(id);
      const jlog = lab.jobLog(id);
      expect(row.status, jlog.join('\n')).toBe('T');
      expect(scriptLines(jlog, 'BeforeJob')).toEqual([
        `hooks did not run: the hook service at 127.0.0.1:${port} did not answer within 3000 ms; JobStart, JobInit, JobRun not delivered for JobId ${id}; the job goes on (bridge unreachable = fail-open)`,
      ]);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
      writeBridgeConfig({ address });
    }
  });

  it('with the service stopped, jobs still complete and the log says why the hooks did not run', async () => {
    await stopHookd();
    const id = lab.run('Nightly');
    const row = lab.waitFor(id);
    const jlog = lab.jobLog(id);
    expect(row.status, jlog.join('\n')).toBe('T');
    for (const [when, events] of [['BeforeJob', 'JobStart, JobInit, JobRun'], ['AfterJob', 'JobEnd']] as const) {
      expect(scriptLines(jlog, when)).toEqual([
        expect.stringMatching(new RegExp(`^hooks did not run: the hook service at ${address.replaceAll('.', '\\.')} is unreachable \\(.+\\); ${events} not delivered for JobId ${id}; the job goes on \\(bridge unreachable = fail-open\\)$`)),
      ]);
    }
  });
});
