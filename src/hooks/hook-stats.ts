// Per-hook counters for `Admin.Stats` (hookctl stats), fed by the dispatcher's
// outcome feed: how many events each hook saw, by status, and its run time's
// percentiles over its latest runs. In memory, since the service started:
// what it answers is what this process saw, nothing more.
import type { HookStatus } from '../model/outcome.js';
import type { OutcomeFeed, SettledEvent } from '../dispatch/outcome-feed.js';

/** Runs kept per hook for the percentiles: enough for a stable p99, bounded memory. */
export const LATENCY_WINDOW = 1024;

export interface HookCounters {
  events: number;
  byStatus: Record<HookStatus, number>;
  /** Run time percentiles over the latest runs (skips excluded); 0 without samples. */
  p50Ms: number;
  p99Ms: number;
  latencySamples: number;
  lastEventAt?: Date;
}

interface Tally {
  events: number;
  byStatus: Record<HookStatus, number>;
  /** A ring of the latest run times. */
  durations: number[];
  next: number;
  lastEventAt?: Date;
}

export class HookStats {
  readonly since = new Date();
  private readonly tallies = new Map<string, Tally>();
  private readonly unwatch: () => void;

  constructor(feed: OutcomeFeed) {
    this.unwatch = feed.watch((e) => this.record(e));
  }

  private record(e: SettledEvent): void {
    for (const h of e.outcome.hooks) {
      let t = this.tallies.get(h.hookId);
      if (!t) {
        t = { events: 0, byStatus: { ok: 0, failed: 0, 'timed-out': 0, skipped: 0 }, durations: [], next: 0 };
        this.tallies.set(h.hookId, t);
      }
      t.events++;
      t.byStatus[h.status]++;
      t.lastEventAt = e.at;
      if (h.status === 'skipped') continue; // a skip never ran: its 0 ms would flatter the percentiles
      if (t.durations.length < LATENCY_WINDOW) t.durations.push(h.durationMs);
      else t.durations[t.next] = h.durationMs;
      t.next = (t.next + 1) % LATENCY_WINDOW;
    }
  }

  /** A hook's counters; zeros for a hook that has seen no event yet. */
  of(hookId: string): HookCounters {
    const t = this.tallies.get(hookId);
    if (!t) return { events: 0, byStatus: { ok: 0, failed: 0, 'timed-out': 0, skipped: 0 }, p50Ms: 0, p99Ms: 0, latencySamples: 0 };
    const sorted = [...t.durations].sort((a, b) => a - b);
    return {
      events: t.events, byStatus: { ...t.byStatus }, lastEventAt: t.lastEventAt,
      p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), latencySamples: sorted.length,
    };
  }

  /** A removed hook's counters go with it. */
  forget(hookId: string): void {
    this.tallies.delete(hookId);
  }

  close(): void {
    this.unwatch();
  }
}

/** Nearest-rank percentile of sorted values (0 when empty). */
export function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
