// HookStats over a real OutcomeFeed: counts by status per hook, percentiles
// over the latest LATENCY_WINDOW runs only, skips never counted as run time.
import { describe, expect, it } from 'vitest';
import { OutcomeFeed } from '../../src/dispatch/outcome-feed.js';
import { HookStats, LATENCY_WINDOW, percentile } from '../../src/hooks/hook-stats.js';
import type { HookOutcome, HookStatus } from '../../src/model/outcome.js';

const hook = (hookId: string, status: HookStatus, durationMs: number): HookOutcome =>
  ({ hookId, hookName: hookId, status, message: '', writes: {}, report: [], durationMs, failClosed: false });

function publish(feed: OutcomeFeed, ...hooks: HookOutcome[]) {
  feed.publish({
    tenant: 't', director: 'd', at: new Date(),
    outcome: { eventId: 'e', type: 'job-start', jobId: 1, hooks, writes: {}, report: [], failJob: false, durationMs: 0 },
  });
}

describe('HookStats', () => {
  it('counts each hook of an event by status; a skip counts as an event but not as run time', () => {
    const feed = new OutcomeFeed();
    const stats = new HookStats(feed);
    publish(feed, hook('a', 'ok', 2), hook('b', 'failed', 4));
    publish(feed, hook('a', 'timed-out', 300), hook('b', 'skipped', 0));
    expect(stats.of('a')).toMatchObject({ events: 2, byStatus: { ok: 1, failed: 0, 'timed-out': 1, skipped: 0 }, latencySamples: 2, p50Ms: 2, p99Ms: 300 });
    expect(stats.of('b')).toMatchObject({ events: 2, byStatus: { ok: 0, failed: 1, 'timed-out': 0, skipped: 1 }, latencySamples: 1, p50Ms: 4, p99Ms: 4 });
    expect(stats.of('never')).toMatchObject({ events: 0, latencySamples: 0, p50Ms: 0, p99Ms: 0 });
    stats.forget('a');
    expect(stats.of('a').events).toBe(0);
    stats.close();
    publish(feed, hook('b', 'ok', 1));
    expect(stats.of('b').events).toBe(2); // closed: no longer watching
    expect(feed.watcherCount).toBe(0);
  });

  it('keeps the latest LATENCY_WINDOW run times: older ones leave the percentiles, the counts go on', () => {
    const feed = new OutcomeFeed();
    const stats = new HookStats(feed);
    for (let i = 0; i < LATENCY_WINDOW; i++) publish(feed, hook('h', 'ok', 1000)); // slow, then pushed out
    for (let i = 1; i <= LATENCY_WINDOW; i++) publish(feed, hook('h', 'ok', i));
    const c = stats.of('h');
    expect(c.events).toBe(2 * LATENCY_WINDOW);
    expect(c.latencySamples).toBe(LATENCY_WINDOW);
    expect(c.p50Ms).toBe(LATENCY_WINDOW / 2);
    expect(c.p99Ms).toBe(Math.ceil(0.99 * LATENCY_WINDOW));
    stats.close();
  });

  it('percentile is nearest-rank', () => {
    expect(percentile([], 0.5)).toBe(0);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([1, 2, 3, 4], 0.99)).toBe(4);
  });
});
