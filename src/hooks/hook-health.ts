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
  failures: number;
  /** Suspensions in a row, for the backoff. */
  suspensions: number;
  lastReason: string;
  suspendedUntil?: number;
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
    return { until: new Date(h.suspendedUntil), consecutiveFailures: h.failures, reason: h.lastReason };
  }

  /** Records an outcome; returns the suspension it started, if it started one. */
  record(hookId: string, status: HookStatus, message: string): Suspension | undefined {
    if (status === 'skipped') return undefined;
    const h = this.hooks.get(hookId) ?? { failures: 0, suspensions: 0, lastReason: '' };
    this.hooks.set(hookId, h);
    if (status === 'ok') {
      h.failures = 0;
      h.suspensions = 0;
      return undefined;
    }
    h.failures++;
    h.lastReason = message.split('\n')[0];
    if (this.suspendAfter === 0 || h.failures < this.suspendAfter) return undefined;
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
