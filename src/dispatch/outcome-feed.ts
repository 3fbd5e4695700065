// Every event outcome the dispatcher settles, for whoever watches: the
// structured log, the metrics, `hookctl tail`. A watcher that throws is
// dropped from that one delivery, never from the dispatch.
import type { EventOutcome } from '../model/outcome.js';

export interface SettledEvent {
  tenant: string;
  /** The director's name (from its session hello, or the dispatch request). */
  director: string;
  outcome: EventOutcome;
  /** When the outcome was settled. */
  at: Date;
}

export type OutcomeWatcher = (e: SettledEvent) => void;

export class OutcomeFeed {
  private readonly watchers = new Set<OutcomeWatcher>();

  /** Starts delivering settled events to `watcher`; the returned function stops it. */
  watch(watcher: OutcomeWatcher): () => void {
    this.watchers.add(watcher);
    return () => void this.watchers.delete(watcher);
  }

  publish(e: SettledEvent): void {
    for (const w of this.watchers) {
      try {
        w(e);
      } catch {
        // A broken watcher must not fail the event it watches.
      }
    }
  }

  get watcherCount(): number {
    return this.watchers.size;
  }
}
