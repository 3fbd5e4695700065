// End to end with a real Bacula 9.6: a private Director, storage and file
// daemon on loopback run real backup jobs whose RunScripts (the shipped
// examples/bacula snippet) call the bridge, which runs the hooks in a real
// hookd and answers their director calls through bconsole.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { example, ensureBuilt, REPO_ROOT } from '../../src/cli/example-hooks.js';
import { AdminClient } from '../../src/client/admin-client.js';
import { tenantTokens } from '../helpers/hostile.js';
import { Hookd } from '../helpers/hookd-process.js';
import { BaculaLab } from './bacula-lab.js';

const { tokens, entries } = tenantTokens(['backup-ops'] as const);
let lab: BaculaLab;
let hookd: Hookd;
let address = '';

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
  // hookd as an operator runs it: a configuration file with the tenant's token.
  hookd = await Hookd.start({ auth: { tokens: entries } });
  address = hookd.address;
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
  await hookd?.cleanup();
  await lab?.stop();
});

// Real daemons and jobs: generous limits when the rest of the suite shares the machine.
describe('a real Bacula 9.6 Director runs hooks through the RunScript bridge', { timeout: 240_000 }, () => {
  let nightly: number;
  let log: string[];

  it('runs the backup, and the hooks\' report lines for JobStart, JobInit, JobRun and JobEnd are in its job log', async () => {
    nightly = await lab.run('Nightly');
    const row = await lab.waitFor(nightly);
    log = await lab.jobLog(nightly);
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

  it('does-volume-exist, answered from the catalog through bconsole: true for the volume Bacula labelled, false for the next label', async () => {
    expect(await lab.volumes()).toEqual(['Lab-0001']);
    const after = scriptLines(log, 'AfterJob');
    expect(after).toContain('[job-audit] volume Lab-0001 in catalog: yes');
    expect(after).toContain('[job-audit] next label Lab-0002 in catalog: no');
  });

  it('a chaining hook\'s run started a real second job, whose JobId the hook reported', async () => {
    const line = scriptLines(log, 'AfterJob').find((l) => l.startsWith('[rust-job-chaining] '));
    const m = /^\[rust-job-chaining\] chained copy job: JobId (\d+)$/.exec(line ?? '');
    expect(m, log.join('\n')).not.toBeNull();
    const copy = await lab.waitFor(Number(m![1]));
    expect(copy).toEqual({ jobId: Number(m![1]), name: 'Nightly-copy', status: 'T' });
    expect(copy.jobId).toBeGreaterThan(nightly);
  });

  it('a fail-closed hook that fails makes Bacula fail the job before it starts, and the log says which hook and why', async () => {
    const frozen = await lab.run('Frozen');
    const row = await lab.waitFor(frozen);
    const flog = await lab.jobLog(frozen);
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
      const id = await lab.run('Nightly');
      const row = await lab.waitFor(id);
      const jlog = await lab.jobLog(id);
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
    hookd.signal('SIGTERM');
    await hookd.exited;
    const id = await lab.run('Nightly');
    const row = await lab.waitFor(id);
    const jlog = await lab.jobLog(id);
    expect(row.status, jlog.join('\n')).toBe('T');
    for (const [when, events] of [['BeforeJob', 'JobStart, JobInit, JobRun'], ['AfterJob', 'JobEnd']] as const) {
      expect(scriptLines(jlog, when)).toEqual([
        expect.stringMatching(new RegExp(`^hooks did not run: the hook service at ${address.replaceAll('.', '\\.')} is unreachable \\(.+\\); ${events} not delivered for JobId ${id}; the job goes on \\(bridge unreachable = fail-open\\)$`)),
      ]);
    }
  });
});
