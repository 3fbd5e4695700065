// WASI capability grants (stdio into the report, clocks, random) over real
// gRPC, with a real componentize-js component that imports them: refused at
// registration without its grants, naming what is missing; served per
// instance with them, so one hook's output, clocks and randomness never reach
// another hook or tenant (no module-global WASI state).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import { fixture, startTestService, testJob, DAEMON, type TestService } from '../helpers/service.js';
import { failureOf } from '../helpers/raw-grpc.js';
import { tenantTokens } from '../helpers/hostile.js';
import { AdminClient } from '../../src/client/admin-client.js';
import { DirectorSessionClient } from '../../src/client/director-client.js';

const PROBE = 'wasi-probe.ts';
const ALL = ['stdio', 'clocks', 'random'] as const;

const { tokens, entries } = tenantTokens(['tenant-a', 'tenant-b']);

let t: TestService;
let adminB: AdminClient;
let sessionB: DirectorSessionClient;

beforeAll(async () => {
  t = await startTestService({ auth: { tokens: entries } }, undefined, { token: tokens['tenant-a'] });
  adminB = new AdminClient(t.svc.address, { token: tokens['tenant-b'] });
  sessionB = await DirectorSessionClient.open(t.svc.address, { token: tokens['tenant-b'], daemon: DAEMON });
  await t.admin.register({ name: 'probe-1', component: fixture(PROBE), events: ['job-start'], wasiGrants: [...ALL], order: 1 });
  await t.admin.register({ name: 'probe-2', component: fixture(PROBE), events: ['job-start'], wasiGrants: [...ALL], order: 2 });
  await adminB.register({ name: 'probe', component: fixture(PROBE), events: ['job-start'], wasiGrants: [...ALL] });
});

afterAll(async () => {
  await sessionB?.close().catch(() => undefined); // closed already by the restart test, unless it failed first
  adminB?.close();
  await t?.cleanup();
});

describe('registration', () => {
  it('refuses the component without grants, naming the imports and the grants they need', async () => {
    const f = await failureOf(t.admin.register({ name: 'nogrants', component: fixture(PROBE) }));
    expect(f.code).toBe(status.INVALID_ARGUMENT);
    // wasi:filesystem is never granted on its own; beside stdio it is served empty.
    expect(f.details).toMatch(/^imports outside the hook world \S+: wasi:filesystem\/types@0\.2\.\d+, wasi:filesystem\/preopens@0\.2\.\d+ \(/);
    expect(f.details).toContain('wasi:filesystem is accepted only beside the stdio grant, and then has no directory to open');
  });

  it('refuses it with stdio alone, naming the clock and random imports and the grants clocks and random', async () => {
    const f = await failureOf(t.admin.register({ name: 'stdio-only', component: fixture(PROBE), wasiGrants: ['stdio'] }));
    expect(f.code).toBe(status.INVALID_ARGUMENT);
    expect(f.details).toMatch(/^imports not granted to this hook: wasi:clocks\/monotonic-clock@0\.2\.\d+, wasi:random\/random@0\.2\.\d+ \(they need the grants clocks, random\)$/);
  });

  it('shows the grants and the WASI imports in the admin API', async () => {
    const [p] = (await t.admin.list()).filter((h) => h.name === 'probe-1');
    expect(p.wasiGrants).toEqual(['stdio', 'clocks', 'random']);
    expect(p.imports).toContain('wasi:cli/stdout@0.2.12');
    expect((await adminB.list()).map((h) => [h.name, h.wasiGrants])).toEqual([['probe', ['stdio', 'clocks', 'random']]]);
  });
});

describe('a hook granted stdio, clocks and random', () => {
  it("writes its stdout and stderr into its own part of the job report, next to its report lines", async () => {
    const job = testJob();
    const o = await (await t.session()).send({ type: 'job-start', job });
    expect(o.hooks.map((h) => [h.hookName, h.status])).toEqual([['probe-1', 'ok'], ['probe-2', 'ok']]);
    for (const h of o.hooks) {
      expect(h.report.slice(0, 2)).toEqual([`stdout job ${job.jobId}`, `[stderr] warn job ${job.jobId}`]);
      expect(h.report).toHaveLength(4);
    }
  });

  it('reads the real wall clock and a monotonic clock that moves', async () => {
    const before = Date.now();
    const o = await (await t.session()).send({ type: 'job-start', job: testJob() });
    const after = Date.now();
    for (const h of o.hooks) {
      const m = /^clock wall=(\d+) mono-advances=(true|false)$/.exec(h.report[2]);
      expect(m, h.report.join('\n')).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThanOrEqual(before - 5);
      expect(Number(m![1])).toBeLessThanOrEqual(after + 5);
      expect(m![2]).toBe('true');
    }
    const spin = await (await t.session()).send({ type: 'job-start', job: testJob({ client: 'spin' }) });
    for (const h of spin.hooks) expect(Number(/^spun (\d+) ms$/.exec(h.report[0])![1])).toBeGreaterThanOrEqual(30);
  });

  it('gets random bytes from the host: every instance and every event sees different ones', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const o = await (await t.session()).send({ type: 'job-start', job: testJob() });
      const ob = await sessionB.send({ type: 'job-start', job: testJob() });
      for (const h of [...o.hooks, ...ob.hooks]) {
        const m = /^random ([0-9a-f]{16}) (0\.\d+|0)$/.exec(h.report[3]);
        expect(m, h.report.join('\n')).not.toBeNull();
        seen.add(m![1]).add(m![2]);
      }
    }
    expect(seen.size).toBe(2 * 3 * 3); // 3 hooks × 3 events, bytes and Math.random() all distinct
  });

  it('floods stdout: the report keeps its line limit and says how much it dropped', async () => {
    const o = await (await t.session()).send({ type: 'job-start', job: testJob({ client: 'flood' }) });
    const h = o.hooks[0];
    expect(h.status).toBe('ok');
    expect(h.report.at(-1)).toMatch(/^\[report truncated: \d+ more line\(s\) dropped; the limit is \d+ lines and \d+ bytes per event\]$/);
    expect(h.report[0]).toBe('flood line 0');
    const dropped = Number(/truncated: (\d+)/.exec(h.report.at(-1)!)![1]);
    expect(h.report.length - 1 + dropped).toBe(10_000);
  });

  it("two tenants' hooks writing at the same time: each line lands in its own hook's report only", async () => {
    const sa = await t.session();
    const jobsA = Array.from({ length: 8 }, () => testJob());
    const jobsB = Array.from({ length: 8 }, () => testJob());
    const [oa, ob] = await Promise.all([
      Promise.all(jobsA.map((job) => sa.send({ type: 'job-start', job }))),
      Promise.all(jobsB.map((job) => sessionB.send({ type: 'job-start', job }))),
    ]);
    oa.forEach((o, i) => o.hooks.forEach((h) => expect(h.report.slice(0, 2)).toEqual([`stdout job ${jobsA[i].jobId}`, `[stderr] warn job ${jobsA[i].jobId}`])));
    ob.forEach((o, i) => expect(o.hooks[0].report.slice(0, 2)).toEqual([`stdout job ${jobsB[i].jobId}`, `[stderr] warn job ${jobsB[i].jobId}`]));
  });
});

describe('after a restart', () => {
  it('the hooks keep their grants and are served their WASI imports again', async () => {
    await sessionB.close(); // the service drains its sessions before it stops
    t = await t.restart();
    const [p] = (await t.admin.list()).filter((h) => h.name === 'probe-1');
    expect(p.wasiGrants).toEqual(['stdio', 'clocks', 'random']);
    const job = testJob();
    const o = await (await t.session()).send({ type: 'job-start', job });
    expect(o.hooks.map((h) => [h.hookName, h.status, h.report[0]])).toEqual([
      ['probe-1', 'ok', `stdout job ${job.jobId}`], ['probe-2', 'ok', `stdout job ${job.jobId}`],
    ]);
  });
});
