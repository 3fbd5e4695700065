// Hooks' own metrics (WIT 1.2.0 metrics), end to end: a C hook writes
// counters, gauges and histograms during real events over gRPC, in two
// tenants under the same hook name; the values are read back from a real
// scrape of /metrics. The bounds are refused with the typed error the hook
// sees, and no hook can reach another tenant's (or hook's) series.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, testJob } from '../helpers/service.js';
import { tenantTokens } from '../helpers/hostile.js';
import { sample, startObservedService, type ObservedService } from './observed-service.js';
import type { DirectorSessionClient } from '../../src/client/director-client.js';

const { tokens, entries } = tenantTokens(['acme', 'globex'] as const);
const probe = (tenant: string) => ({ tenant, hook: 'probe' });

let s: ObservedService;
const session = {} as Record<'acme' | 'globex', DirectorSessionClient>;
const reports = {} as Record<string, string[]>;

async function start(tenant: 'acme' | 'globex', client: string, overrides: Parameters<typeof testJob>[0] = {}) {
  const o = await session[tenant].send({ type: 'job-start', job: testJob({ client, ...overrides }) });
  expect(o.hooks[0].status).toBe('ok');
  return o.report;
}

beforeAll(async () => {
  s = await startObservedService({ auth: { tokens: entries } });
  for (const tenant of ['acme', 'globex'] as const) {
    await s.admin({ token: tokens[tenant] }).register({ name: 'probe', component: fixture('metrics-probe.c'), limits: { deadlineMs: 1000 } });
    session[tenant] = await s.session({}, { token: tokens[tenant] });
  }
  reports.acmeCount1 = await start('acme', 'count', { jobId: 7001, jobFiles: 5 });
  reports.acmeCount2 = await start('acme', 'count', { jobId: 7002, jobFiles: 50 });
  reports.globexCount = await start('globex', 'count', { jobId: 8001, jobFiles: 500 });
  reports.clashAcme = await start('acme', 'clash-gauge');
  reports.clashGlobex = await start('globex', 'clash-counter');
  reports.refusals = await start('acme', 'refusals');
  reports.series = await start('acme', 'series');
  reports.acmeNames = await start('acme', 'names');
  reports.globexNames = await start('globex', 'names');
}, 120_000);

afterAll(() => s?.cleanup());

describe('metrics a hook writes', () => {
  it('are answered ok during the event', () => {
    for (const r of [reports.acmeCount1, reports.acmeCount2, reports.globexCount]) {
      expect(r).toEqual(['counter: ok', 'gauge: ok', 'buckets: ok', 'histogram: ok']);
    }
  });

  it('are on /metrics as hook_<name>, with the tenant and hook labels the service set', async () => {
    const { samples, text } = await s.scrape();
    expect(text).toContain('# TYPE hook_jobs_total counter');
    expect(text).toContain('# TYPE hook_last_job_id gauge');
    expect(text).toContain('# TYPE hook_job_seconds histogram');
    expect(samples.get(sample('hook_jobs_total', { ...probe('acme'), client: 'count' }))).toBe(2);
    expect(samples.get(sample('hook_jobs_total', { ...probe('globex'), client: 'count' }))).toBe(1);
    expect(samples.get(sample('hook_last_job_id', probe('acme')))).toBe(7002);
    expect(samples.get(sample('hook_last_job_id', probe('globex')))).toBe(8001);
    const bucket = (tenant: string, le: string) => samples.get(sample('hook_job_seconds_bucket', { ...probe(tenant), level: 'full', le }));
    expect(['1', '10', '100', '+Inf'].map((le) => bucket('acme', le))).toEqual([0, 1, 2, 2]);
    expect(['1', '10', '100', '+Inf'].map((le) => bucket('globex', le))).toEqual([0, 0, 0, 1]);
    expect(samples.get(sample('hook_job_seconds_sum', { ...probe('acme'), level: 'full' }))).toBe(55);
    expect(samples.get(sample('hook_job_seconds_count', { ...probe('acme'), level: 'full' }))).toBe(2);
    expect(samples.get(sample('hook_job_seconds_sum', { ...probe('globex'), level: 'full' }))).toBe(500);
  });

  it('are refused with a typed error the hook sees, and nothing of a refused write is recorded', async () => {
    expect(reports.refusals).toEqual([
      'bad name: invalid-name: metric name "Jobs-Total" must match [a-z_][a-z0-9_]* and be at most 64 characters',
      'reserved suffix: invalid-name: metric name "queue_count" ends in _bucket, _sum or _count, which a histogram\'s series use',
      'tenant label: invalid-name: label "tenant" is reserved (the service sets tenant and hook itself)',
      'hook label: invalid-name: label "hook" is reserved (the service sets tenant and hook itself)',
      'negative counter: invalid-value: a counter only goes up: cannot add -1',
      'other kind: conflict: "jobs_total" is a counter of this hook, not a gauge',
      'other labels: conflict: "jobs_total" has the labels (client), not (pool)',
      'bad buckets: invalid-value: bucket bounds must be finite and increasing, got [10, 1]',
      'other buckets: conflict: histogram "job_seconds" already has the buckets [1, 10, 100]',
      'eleven labels: limit-reached: 11 labels; a metric has at most 10',
      'long value: invalid-value: label "a" has a value over 128 bytes',
    ]);
    const { text } = await s.scrape();
    for (const name of ['stolen_total', 'wide', 'sizes', 'queue_count', 'Jobs']) expect(text).not.toContain(`hook_${name}`);
    expect(text).not.toContain('someone-else');
    expect(text).not.toContain('another-hook');
  });

  it('are bounded per hook: 100 series per metric, 20 metrics', async () => {
    expect(reports.series).toEqual(['series: 100 accepted, then limit-reached: "series_total" already has 100 series, the limit per metric']);
    // acme's probe had jobs_total, last_job_id, job_seconds, clash and series_total: 15 more names fit.
    expect(reports.acmeNames).toEqual(['names: 15 accepted, then limit-reached: this hook already has 20 metrics, the limit; "name_15" is not one of them']);
    const { samples } = await s.scrape();
    const acme = [...samples.keys()].filter((k) => k.startsWith('hook_series_total{') && k.includes('tenant="acme"'));
    expect(acme).toHaveLength(100);
    expect(samples.get(sample('hook_name_14', probe('acme')))).toBe(14);
    expect(samples.has(sample('hook_name_15', probe('acme')))).toBe(false);
  });

  it('keep their bounds across a replaced hook thread: the new thread starts from the service\'s schema', async () => {
    const spin = await session.acme.send({ type: 'job-start', job: testJob({ client: 'loop' }) });
    expect(spin.hooks[0].status).toBe('timed-out');
    expect(await start('acme', 'names')).toEqual(['names: 15 accepted, then limit-reached: this hook already has 20 metrics, the limit; "name_15" is not one of them']);
  });

  it('are bounded per hook, not per name: the other tenant\'s hook of the same name has its own bounds', async () => {
    // globex's probe had 4 metrics: 16 more fit, whatever acme's did.
    expect(reports.globexNames).toEqual(['names: 16 accepted, then limit-reached: this hook already has 20 metrics, the limit; "name_16" is not one of them']);
    const { samples } = await s.scrape();
    expect(samples.get(sample('hook_name_15', probe('globex')))).toBe(15);
    expect(samples.has(sample('hook_series_total', { ...probe('globex'), n: '0' }))).toBe(false);
  });

  it('of one name but two kinds in two tenants are both exposed, untyped: neither tenant can hide or break the other\'s', async () => {
    expect(reports.clashAcme).toEqual(['clash: ok']);
    expect(reports.clashGlobex).toEqual(['clash: ok']);
    const { samples, text } = await s.scrape();
    expect(samples.get(sample('hook_clash', probe('acme')))).toBe(1);
    expect(samples.get(sample('hook_clash', probe('globex')))).toBe(1);
    expect(text).not.toMatch(/^# (TYPE|HELP) hook_clash /m);
  });

  it('go with the hook: a removed hook\'s series are gone', async () => {
    const admin = s.admin({ token: tokens.globex });
    const [hook] = await admin.list();
    await admin.remove(hook.id);
    const { samples } = await s.scrape();
    expect([...samples.keys()].filter((k) => k.startsWith('hook_') && k.includes('tenant="globex"'))).toEqual([]);
    expect(samples.get(sample('hook_jobs_total', { ...probe('acme'), client: 'count' }))).toBe(2);
  });
});
