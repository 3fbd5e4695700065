// The service's metrics after a known sequence of real events over gRPC: a
// hook that answers, asks the director, traps, bombs its memory, spins past
// its deadline and is suspended; an event refused. Every count is read from
// a real scrape of /metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, testJob } from '../helpers/service.js';
import { sample, startObservedService, type ObservedService } from './observed-service.js';
import type { DirectorSessionClient } from '../../src/client/director-client.js';

const T = { tenant: 'default' };
const H = { ...T, hook: 'hostile' };

let s: ObservedService;
let session: DirectorSessionClient;
let samples: Map<string, number>;
let text: string;
let contentType: string;

beforeAll(async () => {
  // Three failures in a row suspend the hook, for long enough to see it suspended.
  s = await startObservedService({ suspendAfterFailures: 3, suspendBackoffMs: 60_000 });
  await s.admin().register({
    name: 'hostile', component: fixture('hostile.c'), events: ['job-start', 'job-end'],
    limits: { deadlineMs: 1500, memoryMiB: 8 },
  });
  session = await s.session({ doesVolumeExist: (name) => name === 'slow' });
  const job = (client: string) => testJob({ client });

  const calm = job('calm');
  expect((await session.send({ type: 'job-start', job: calm })).hooks[0].status).toBe('ok');
  expect((await session.send({ type: 'job-end', job: calm })).hooks[0].status).toBe('ok');
  const slow = await session.send({ type: 'job-start', job: job('slow') });
  expect(slow.report).toEqual(['slow: answered true']);
  for (const client of ['trap-after-writes', 'membomb']) {
    const o = await session.send({ type: 'job-start', job: job(client) });
    expect(o.hooks[0].status).toBe('failed');
    expect(o.hooks[0].message).toMatch(/^trap: /);
  }
  expect((await session.send({ type: 'job-start', job: job('loop') })).hooks[0].status).toBe('timed-out');
  expect((await session.send({ type: 'job-start', job: job('calm') })).hooks[0].status).toBe('skipped');
  // A job event for a job that never started: refused, not run.
  await expect(session.send({ type: 'job-init', job: testJob() })).rejects.toThrow(/JobStart/);
  ({ samples, text, contentType } = await s.scrape());
}, 120_000);

afterAll(() => s?.cleanup());

describe('the service metrics at /metrics', () => {
  it('is Prometheus text on its own listener, and only at /metrics', async () => {
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('# TYPE bacula_hooks_events_total counter');
    const other = await fetch(s.metricsUrl.replace(/\/metrics$/, '/'));
    expect(other.status).toBe(404);
    const post = await fetch(s.metricsUrl, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('counts events by type and result, the refused one as rejected', () => {
    const events = (event: string, outcome: string) => samples.get(sample('bacula_hooks_events_total', { ...T, event, outcome }));
    expect(events('job-start', 'ok')).toBe(3); // calm, slow, and the skipped one (a skip is no failure)
    expect(events('job-start', 'hook_failed')).toBe(3); // trap, membomb, loop
    expect(events('job-end', 'ok')).toBe(1);
    expect(events('job-init', 'rejected')).toBe(1);
    expect(samples.get(sample('bacula_hooks_event_duration_seconds_count', { ...T, event: 'job-start' }))).toBe(6);
  });

  it('counts each hook run by status, and times those that ran', () => {
    const runs = (status: string) => samples.get(sample('bacula_hooks_hook_invocations_total', { ...H, event: 'job-start', status }));
    expect(runs('ok')).toBe(2);
    expect(runs('failed')).toBe(2);
    expect(runs('timed-out')).toBe(1);
    expect(runs('skipped')).toBe(1);
    expect(samples.get(sample('bacula_hooks_hook_duration_seconds_count', { ...H, event: 'job-start' }))).toBe(5);
    expect(samples.get(sample('bacula_hooks_hook_duration_seconds_count', { ...H, event: 'job-end' }))).toBe(1);
    // The timed-out run took its whole deadline: it is in no bucket below 1.5 s.
    expect(samples.get(sample('bacula_hooks_hook_duration_seconds_bucket', { ...H, event: 'job-start', le: '1' }))).toBe(4);
  });

  it('counts the timeout, the two traps, the memory-cap hit and the replaced thread', () => {
    expect(samples.get(sample('bacula_hooks_hook_timeouts_total', H))).toBe(1);
    expect(samples.get(sample('bacula_hooks_hook_traps_total', H))).toBe(2);
    expect(samples.get(sample('bacula_hooks_hook_memory_cap_hits_total', H))).toBe(1);
    expect(samples.get(sample('bacula_hooks_worker_restarts_total', { ...T, reason: 'deadline' }))).toBe(1);
    expect(samples.has(sample('bacula_hooks_worker_restarts_total', { ...T, reason: 'crash' }))).toBe(false);
  });

  it('shows the hook suspended, and no event in flight', () => {
    expect(samples.get(sample('bacula_hooks_suspended_hooks', T))).toBe(1);
    expect(samples.get(sample('bacula_hooks_events_in_flight', T))).toBe(0);
  });

  it('times the director call by kind and result', () => {
    expect(samples.get(sample('bacula_hooks_director_call_duration_seconds_count', { ...T, call: 'does-volume-exist', result: 'ok' }))).toBe(1);
  });

  it('has the process metrics, and no label with a job id or free text', () => {
    expect(samples.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples.has('nodejs_eventloop_lag_seconds')).toBe(true);
    const labelNames = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
    expect([...labelNames].filter((l) => !['tenant', 'hook', 'event', 'outcome', 'status', 'reason', 'call', 'result', 'le', 'version', 'major', 'minor', 'patch', 'space', 'kind', 'type'].includes(l))).toEqual([]);
  });
});
