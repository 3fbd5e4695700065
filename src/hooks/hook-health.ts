// Crash loops: a hook that fails N events in a row (errors, traps, timeouts)
// is suspended for a backoff that doubles with each suspension in a row; its
// events are skipped with the reason until then, or until it is re-enabled or
// reloaded. A success resets it. Kept in memory: a restart gives every hook a
// fresh start.
import type { HookStatus } from '../model/outcome.js';

export interface Suspension {
  until: Date;
  consecutiveFailures: number;
  reason: string;
}

interface Health {
  /** Failures in a row, per event type: a hook failing every JobStart is in a crash loop even if its JobEnd succeeds. */
  failures: Map<string, number>;
  /** Suspensions in a row, for the backoff. */
  suspensions: number;
  lastReason: string;
  suspendedUntil?: number;
  /** The failures in a row that started the current suspension. */
  suspendedAfter?: number;
}

const MAX_BACKOFF_MS = 60 * 60_000;

export class HookHealth {
  private readonly hooks = new Map<string, Health>();

  constructor(private readonly suspendAfter: number, private readonly backoffMs: number, private readonly now = () => Date.now()) {}

  /** The hook's suspension now, if any. */
  suspension(hookId: string): Suspension | undefined {
    const h = this.hooks.get(hookId);
    if (!h?.suspendedUntil) return undefined;
    if (h.suspendedUntil <= this.now()) {
      h.suspendedUntil = undefined; // the backoff is over: the next event runs it again
      return undefined;
    }
    return { until: new Date(h.suspendedUntil), consecutiveFailures: h.suspendedAfter ?? 0, reason: h.lastReason };
  }

  /** Records an outcome; returns the suspension it started, if it started one. */
  record(hookId: string, event: string, status: HookStatus, message: string): Suspension | undefined {
    if (status === 'skipped') return undefined;
    const h: Health = this.hooks.get(hookId) ?? { failures: new Map(), suspensions: 0, lastReason: '' };
    this.hooks.set(hookId, h);
    if (status === 'ok') {
      h.failures.delete(event);
      if (h.failures.size === 0) h.suspensions = 0;
      return undefined;
    }
    const n = (h.failures.get(event) ?? 0) + 1;
    h.failures.set(event, n);
    h.lastReason = message.split('\n')[0];
    if (this.suspendAfter === 0 || n < this.suspendAfter) return undefined;
    // The count goes on: after the backoff the hook gets one more try, and a
    // failure then suspends it again at once, for twice as long.
    h.suspendedAfter = n;
    const wait = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2 ** h.suspensions);
    h.suspensions++;
    h.suspendedUntil = this.now() + wait;
    return this.suspension(hookId);
  }

  /** Re-enabled, reloaded or removed: a fresh start. */
  reset(hookId: string) {
    this.hooks.delete(hookId);
  }
}
