// Crash-loop accounting: failures in a row per event type, a doubling backoff,
// and a fresh start on success, re-enable or reload.
import { describe, expect, it } from 'vitest';
import { HookHealth } from '../../src/hooks/hook-health.js';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

describe('HookHealth', () => {
  it('suspends after N failures in a row of one event type, even when other events succeed in between', () => {
    const c = clock();
    const h = new HookHealth(3, 1000, c.now);
    for (let i = 0; i < 2; i++) {
      expect(h.record('x', 'job-start', 'failed', 'boom\nbacktrace')).toBeUndefined();
      expect(h.record('x', 'job-end', 'ok', '')).toBeUndefined();
    }
    const s = h.record('x', 'job-start', 'timed-out', 'too slow');
    expect(s).toEqual({ until: new Date(c.now() + 1000), consecutiveFailures: 3, reason: 'too slow' });
    expect(h.suspension('x')).toEqual(s);
  });

  it('a success of the failing event type starts the count again', () => {
    const h = new HookHealth(3, 1000, clock().now);
    h.record('x', 'job-start', 'failed', 'a');
    h.record('x', 'job-start', 'failed', 'b');
    h.record('x', 'job-start', 'ok', '');
    expect(h.record('x', 'job-start', 'failed', 'c')).toBeUndefined();
  });

  it('lifts at the end of the backoff, which doubles with each suspension in a row, and resets', () => {
    const c = clock();
    const h = new HookHealth(1, 1000, c.now);
    expect(h.record('x', 'job-run', 'failed', 'a')!.until.getTime() - c.now()).toBe(1000);
    c.advance(1000);
    expect(h.suspension('x')).toBeUndefined();
    // Back after the backoff, one more failure suspends it again at once, for twice as long.
    expect(h.record('x', 'job-run', 'failed', 'b')!.until.getTime() - c.now()).toBe(2000);
    h.reset('x');
    expect(h.suspension('x')).toBeUndefined();
    expect(h.record('x', 'job-run', 'failed', 'c')!.until.getTime() - c.now()).toBe(1000);
  });

  it('never suspends with 0, and skipped outcomes do not count', () => {
    const h = new HookHealth(0, 1000, clock().now);
    for (let i = 0; i < 10; i++) expect(h.record('x', 'exit', 'failed', 'e')).toBeUndefined();
    const h2 = new HookHealth(1, 1000, clock().now);
    expect(h2.record('x', 'exit', 'skipped', 'suspended')).toBeUndefined();
  });
});
