// hookctl tail and stats against a real service: a live event's outcome and
// report lines reach a running `hookctl tail` (child process), filtered and
// tenant-scoped; stats count a known sequence of events, by status, with a
// suspension after repeated failures.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { ClientReadableStream } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestService, testJob, DAEMON, fixture, type TestService } from '../helpers/service.js';
import { AdminClient } from '../../src/client/admin-client.js';
import { DispatchClient } from '../../src/client/dispatch-client.js';
import { DirectorSessionClient } from '../../src/client/director-client.js';
import { grpcClient } from '../../src/client/grpc-clients.js';
import type { TailEntry, ServiceStats } from '../../src/client/admin-client.js';
import { hookctl, HookctlProcess } from './hookctl-process.js';


// Each hookctl is a Node process (~1.5 s of CPU to start): generous on a loaded 2-core machine.
vi.setConfig({ testTimeout: 240_000 });
const token = () => randomBytes(32).toString('base64url');
const TOKENS = { acme: token(), beta: token(), gamma: token(), ops: token() };
const entry = (tenant: keyof typeof TOKENS) =>
  ({ tenant, sha256: createHash('sha256').update(TOKENS[tenant]).digest('hex'), ...(tenant === 'ops' ? { admin: true } : {}) });

let t: TestService;
const env = (tenant: keyof typeof TOKENS) => ({ HOOKCTL_SERVER: t.svc.address, HOOKCTL_TOKEN: TOKENS[tenant] });
const clients: { close(): void }[] = [];
const admin = (tenant: keyof typeof TOKENS) => { const c = new AdminClient(t.svc.address, { token: TOKENS[tenant] }); clients.push(c); return c; };
const dispatcher = (tenant: keyof typeof TOKENS) => { const c = new DispatchClient(t.svc.address, { token: TOKENS[tenant] }); clients.push(c); return c; };
const running: HookctlProcess[] = [];
const tail = (tenant: keyof typeof TOKENS, ...args: string[]) => { const p = new HookctlProcess(env(tenant), 'tail', ...args); running.push(p); return p; };
const following = (p: HookctlProcess) => p.until((x) => x.stderr.includes('following'));

beforeAll(async () => {
  // Two failures in a row suspend a hook, so a short sequence shows skips.
  t = await startTestService({ suspendAfterFailures: 2, auth: { tokens: [entry('acme'), entry('beta'), entry('gamma'), entry('ops')] } });
  const component = fixture('conformance.c');
  await admin('acme').register({ name: 'conf', component });
  await admin('beta').register({ name: 'conf', component });
});
afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  for (const c of clients) c.close();
  await t?.cleanup();
});

describe('hookctl tail', () => {
  it('--json --hook follows live events: each outcome with its report lines, the tenant\'s own only', async () => {
    const p = tail('acme', '--json', '--hook', 'conf', '--count', '2');
    await following(p);
    const job = testJob();
    await dispatcher('acme').dispatch(DAEMON, { id: 's', type: 'job-start', job });
    await dispatcher('beta').dispatch(DAEMON, { id: 'other', type: 'job-start', job: testJob() }); // another tenant: never shown
    await dispatcher('acme').dispatch(DAEMON, { id: 'e', type: 'job-end', job });
    expect(await p.exited).toBe(0);
    const entries = p.stdout.trim().split('\n').map((l) => JSON.parse(l) as TailEntry);
    expect(entries.map((e) => [e.tenant, e.director, e.outcome.type, e.outcome.jobId])).toEqual([
      ['acme', DAEMON.name, 'job-start', job.jobId], ['acme', DAEMON.name, 'job-end', job.jobId],
    ]);
    const [start, end] = entries.map((e) => e.outcome);
    expect(start.hooks).toHaveLength(1);
    expect(start.hooks[0]).toMatchObject({ hookName: 'conf', status: 'ok' });
    expect(start.hooks[0].report).toContain(`attr job-id=${job.jobId}`);
    expect(start.report).toEqual(start.hooks[0].report);
    expect(end.hooks[0].report).toContain('seen job-start,job-end');
    expect(entries.every((e) => e.dropped === 0 && !Number.isNaN(Date.parse(e.at)))).toBe(true);
  });

  it('human output with --event and --job filters; a failure shows its message; Ctrl-C ends it (exit 0)', async () => {
    const p = tail('acme', '--event', 'JobEnd', '--job', '');
    expect(await p.exited).toBe(2); // an empty --job is not a JobId
    const a = testJob();
    const b = testJob({ client: 'fail-at-job-end' });
    const q = tail('acme', '--event', 'JobEnd', '--job', String(b.jobId));
    await following(q);
    const d = dispatcher('acme');
    for (const [id, type, job] of [['a1', 'job-start', a], ['b1', 'job-start', b], ['a2', 'job-end', a], ['b2', 'job-end', b]] as const) {
      await d.dispatch(DAEMON, { id, type, job });
    }
    await q.until((x) => x.stdout.includes('seen job-start,job-end'));
    expect(await q.interrupt()).toBe(0);
    expect(q.stdout).toMatch(new RegExp(`^\\S+Z acme/${DAEMON.name} JobEnd job ${b.jobId} \\(\\d+\\.\\d\\d ms\\)\\n  conf: failed \\(\\d+\\.\\d\\d ms\\)\\n` +
      '    ! asked to fail at job-end\\n    \\| seen job-start,job-end\\n'));
    expect(q.stdout).toContain('    | seen job-start,job-end\n');
    expect(q.stdout).not.toContain(`job ${a.jobId}`);
    expect(q.stdout).not.toContain('JobStart');
  });

  it('--all-tenants: refused for a tenant (exit 1); an admin follows every tenant', async () => {
    const refused = await hookctl(env('acme'), 'tail', '--all-tenants');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('PERMISSION_DENIED: all_tenants needs admin credentials');
    const p = tail('ops', '--json', '--all-tenants', '--count', '2');
    await following(p);
    await dispatcher('acme').dispatch(DAEMON, { id: 'x', type: 'job-start', job: testJob() });
    await dispatcher('beta').dispatch(DAEMON, { id: 'y', type: 'job-start', job: testJob() });
    expect(await p.exited).toBe(0);
    expect(p.stdout.trim().split('\n').map((l) => (JSON.parse(l) as TailEntry).tenant).sort()).toEqual(['acme', 'beta']);
  });

  it('a reader that falls behind loses entries rather than growing the service\'s memory; the next entry it gets counts them', async () => {
    const raw = grpcClient('admin', t.svc.address, { token: TOKENS.beta });
    const stream = raw.tail({ allTenants: false, hookId: '', event: 0, jobId: 0 }) as ClientReadableStream<{ dropped: number }>;
    const dropped: number[] = [];
    stream.on('data', (m) => dropped.push(Number(m.dropped)));
    stream.on('error', () => undefined);
    await once(stream, 'metadata');
    stream.pause();
    const d = dispatcher('beta');
    const sent = 300;
    for (let i = 0; i < sent; i++) await d.dispatch(DAEMON, { id: `slow-${i}`, type: 'job-start', job: testJob() });
    stream.resume();
    // Drops after the last entry delivered are counted on the next one: send one more.
    await expect.poll(() => dropped.length, { timeout: 20_000 }).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 500));
    await d.dispatch(DAEMON, { id: 'slow-last', type: 'job-start', job: testJob() });
    const total = () => dropped.length + dropped.reduce((a, b) => a + b, 0);
    await expect.poll(total, { timeout: 20_000 }).toBe(sent + 1);
    expect(dropped.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(dropped.length).toBeLessThan(sent);
    stream.cancel();
    raw.close();
  });

  it('ends when the service closes streams for shutdown: exit 4, the reason on stderr', async () => {
    // A service of its own, so closing it leaves the others' tests alone.
    const own = await startTestService();
    try {
      const p = new HookctlProcess({ HOOKCTL_SERVER: own.svc.address }, 'tail');
      running.push(p);
      await following(p);
      await own.stop();
      expect(await p.exited).toBe(4);
      expect(p.stderr).toContain('the service ended the stream (it is shutting down)');
    } finally {
      await own.cleanup();
    }
  });
});

describe('hookctl stats', () => {
  it('counts a known sequence by status, with run-time percentiles and the suspension; human and --json', async () => {
    const gamma = admin('gamma');
    const hook = await gamma.register({ name: 'counted', component: fixture('conformance.c'), events: ['job-start', 'job-end'] });
    const zero = await hookctl(env('gamma'), 'stats', '--json');
    expect((JSON.parse(zero.stdout) as ServiceStats).hooks).toEqual([expect.objectContaining({ hookName: 'counted', events: 0, latencySamples: 0 })]);

    const d = dispatcher('gamma');
    const ok = testJob();
    await d.dispatch(DAEMON, { id: '1', type: 'job-start', job: ok });                                       // ok
    await d.dispatch(DAEMON, { id: '2', type: 'job-end', job: ok });                                         // ok
    await d.dispatch(DAEMON, { id: '3', type: 'job-start', job: testJob({ client: 'fail-at-job-start' }) }); // failed
    await d.dispatch(DAEMON, { id: '4', type: 'job-start', job: testJob({ client: 'trap-at-job-start' }) }); // failed: suspended now
    const skipped = await d.dispatch(DAEMON, { id: '5', type: 'job-start', job: testJob() });                // skipped
    expect(skipped.hooks[0].status).toBe('skipped');

    const j = await hookctl(env('gamma'), 'stats', 'counted', '--json');
    expect(j.code).toBe(0);
    const s = JSON.parse(j.stdout) as ServiceStats;
    expect(s.latencyWindow).toBe(1024);
    expect(Date.parse(s.since)).toBeLessThanOrEqual(Date.now());
    expect(s.tenants).toEqual([{ tenant: 'gamma', eventsInFlight: 0 }]);
    const [h] = s.hooks;
    expect(h).toMatchObject({ hookId: hook.id, hookName: 'counted', tenant: 'gamma', events: 5, ok: 2, failed: 2, timedOut: 0, skipped: 1, latencySamples: 4 });
    expect(h.p50Ms).toBeGreaterThan(0);
    expect(h.p99Ms).toBeGreaterThanOrEqual(h.p50Ms);
    expect(h.suspension).toMatchObject({ consecutiveFailures: 2, reason: expect.stringContaining('asked to trap at job-start') });

    const human = await hookctl(env('gamma'), 'stats');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/│ HOOK\s+│ TENANT\s+│ EVENTS\s+│ OK\s+│ FAILED\s+│ TIMED OUT\s+│ SKIPPED\s+│ P50 MS\s+│ P99 MS\s+│ STATE/);
    expect(human.stdout).toMatch(/│ counted │ gamma\s+│ 5\s+│ 2\s+│ 2\s+│ 0\s+│ 1\s+│ \d+\.\d\d\s+│ \d+\.\d\d\s+│ suspended until \S+Z/);
    expect(human.stdout).toMatch(/│ gamma\s+│ 0\s+│/);

    // Enabling lifts the suspension; the counters stay.
    await hookctl(env('gamma'), 'enable', 'counted');
    expect((await gamma.stats()).hooks[0]).toMatchObject({ events: 5 });
    expect((await gamma.stats()).hooks[0].suspension).toBeUndefined();
  });

  it('events in flight: an event whose hook waits on the director counts until it is answered', async () => {
    let answer!: (jobId: number) => void;
    const session = await DirectorSessionClient.open(t.svc.address, {
      token: TOKENS.acme, daemon: DAEMON, handlers: { run: () => new Promise<number>((a) => { answer = a; }) },
    });
    clients.push({ close: () => void session.close() });
    const job = testJob();
    await session.send({ id: 'start', type: 'job-start', job });
    const running = session.send({ id: 'run', type: 'job-run', job });
    const inFlight = async () => (JSON.parse((await hookctl(env('acme'), 'stats', '--json')).stdout) as ServiceStats).tenants;
    await expect.poll(() => answer !== undefined, { timeout: 20_000 }).toBe(true);
    expect(await inFlight()).toEqual([{ tenant: 'acme', eventsInFlight: 1 }]);
    answer(99);
    expect((await running).hooks[0].report).toContain('run -> 99');
    expect(await inFlight()).toEqual([{ tenant: 'acme', eventsInFlight: 0 }]);
  });

  it('an admin sees every tenant with --all-tenants; a tenant may not', async () => {
    const [all, refused] = await Promise.all([hookctl(env('ops'), 'stats', '--all-tenants', '--json'), hookctl(env('beta'), 'stats', '--all-tenants')]);
    const s = JSON.parse(all.stdout) as ServiceStats;
    expect(s.hooks.map((h) => `${h.tenant}/${h.hookName}`).sort()).toEqual(['acme/conf', 'beta/conf', 'gamma/counted']);
    expect(s.tenants.map((x) => x.tenant)).toEqual(['acme', 'beta', 'gamma']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('PERMISSION_DENIED');
  });
});
