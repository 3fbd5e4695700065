// The service's own Prometheus metrics: events and hook invocations from the
// outcome feed, what only the sandbox sees (thread replacements, traps,
// memory-cap hits, director-call latency) from its events, and gauges read
// when scraped. Labels are bounded: tenant, hook name, event type, outcome,
// never a job id or free text.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SettledEvent } from '../dispatch/outcome-feed.js';
import type { EventOutcome } from '../model/outcome.js';
import type { SandboxEvents } from '../sandbox/sandbox-events.js';

const PREFIX = 'bacula_hooks_';
/** Hooks run in microseconds to their deadline (at most 60 s). */
const HOOK_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** A director answers in milliseconds, or times out (30 s by default). */
const CALL_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * What an event came to: no hook failed (a suspended one skipped is not a
 * failure), a fail-open hook failed or timed out, the job is to fail; or it was not admitted.
 */
export type EventResult = 'ok' | 'hook_failed' | 'fail_job' | 'rejected';

export function eventResult(o: EventOutcome): EventResult {
  if (o.failJob) return 'fail_job';
  return o.hooks.some((h) => h.status === 'failed' || h.status === 'timed-out') ? 'hook_failed' : 'ok';
}

/** Read when scraped: events in flight and suspended hooks, per tenant (every tenant to show, 0 included). */
export interface ServiceGauges {
  inFlight(): ReadonlyMap<string, number>;
  /** Hooks suspended now, per tenant. */
  suspended(): ReadonlyMap<string, number>;
}

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly events = new Counter({
    name: `${PREFIX}events_total`, help: 'Events by tenant, type and result (ok, hook_failed, fail_job, rejected).',
    labelNames: ['tenant', 'event', 'outcome'] as const, registers: [this.registry],
  });
  private readonly eventSeconds = new Histogram({
    name: `${PREFIX}event_duration_seconds`, help: 'Time from an event\'s arrival to its outcome, its wait behind earlier events of its job included.',
    labelNames: ['tenant', 'event'] as const, buckets: HOOK_SECONDS, registers: [this.registry],
  });
  private readonly invocations = new Counter({
    name: `${PREFIX}hook_invocations_total`, help: 'Hook runs by status (ok, failed, timed-out, skipped: suspended).',
    labelNames: ['tenant', 'hook', 'event', 'status'] as const, registers: [this.registry],
  });
  private readonly hookSeconds = new Histogram({
    name: `${PREFIX}hook_duration_seconds`, help: 'Time one hook took on one event (hooks that ran; suspended ones are not timed).',
    labelNames: ['tenant', 'hook', 'event'] as const, buckets: HOOK_SECONDS, registers: [this.registry],
  });
  private readonly timeouts = new Counter({
    name: `${PREFIX}hook_timeouts_total`, help: 'Events a hook ran past its deadline on (its thread was replaced).',
    labelNames: ['tenant', 'hook'] as const, registers: [this.registry],
  });
  private readonly traps = new Counter({
    name: `${PREFIX}hook_traps_total`, help: 'Wasm traps of a hook (its instance was dropped).',
    labelNames: ['tenant', 'hook'] as const, registers: [this.registry],
  });
  private readonly memoryCapHits = new Counter({
    name: `${PREFIX}hook_memory_cap_hits_total`, help: 'Events during which a hook\'s linear memory reached its memoryMiB cap (or the backstop caught it).',
    labelNames: ['tenant', 'hook'] as const, registers: [this.registry],
  });
  private readonly restarts = new Counter({
    name: `${PREFIX}worker_restarts_total`, help: 'Hook threads replaced, by reason (deadline, crash, memory).',
    labelNames: ['tenant', 'reason'] as const, registers: [this.registry],
  });
  private readonly callSeconds = new Histogram({
    name: `${PREFIX}director_call_duration_seconds`, help: 'Time a hook\'s call waited for its answer, by call (run, cancel, does-volume-exist, http) and result (ok or the error\'s tag).',
    labelNames: ['tenant', 'call', 'result'] as const, buckets: CALL_SECONDS, registers: [this.registry],
  });

  constructor(gauges: ServiceGauges) {
    collectDefaultMetrics({ register: this.registry });
    const perTenant = (name: string, help: string, read: () => ReadonlyMap<string, number>) => {
      new Gauge({
        name, help, labelNames: ['tenant'] as const, registers: [this.registry],
        collect() {
          this.reset();
          for (const [tenant, n] of read()) this.set({ tenant }, n);
        },
      });
    };
    perTenant(`${PREFIX}events_in_flight`, 'Events admitted and not yet answered.', () => gauges.inFlight());
    perTenant(`${PREFIX}suspended_hooks`, 'Hooks suspended now after failures in a row.', () => gauges.suspended());
  }

  /** Counts one settled event and each hook it entered. */
  recordOutcome(e: SettledEvent): void {
    const { tenant, outcome: o } = e;
    this.events.inc({ tenant, event: o.type, outcome: eventResult(o) });
    this.eventSeconds.observe({ tenant, event: o.type }, o.durationMs / 1000);
    for (const h of o.hooks) {
      this.invocations.inc({ tenant, hook: h.hookName, event: o.type, status: h.status });
      if (h.status !== 'skipped') this.hookSeconds.observe({ tenant, hook: h.hookName, event: o.type }, h.durationMs / 1000);
      if (h.status === 'timed-out') this.timeouts.inc({ tenant, hook: h.hookName });
    }
  }

  /** An event that was not admitted (too many in flight, out of order, no JobStart). */
  recordRejected(tenant: string, event: string): void {
    this.events.inc({ tenant, event, outcome: 'rejected' });
  }

  /** The sandbox's side: replacements, traps, memory-cap hits, call latency. */
  readonly sandbox: SandboxEvents = {
    threadReplaced: (tenant, reason) => this.restarts.inc({ tenant, reason }),
    trapped: (tenant, hook) => this.traps.inc({ tenant, hook }),
    memoryCapHit: (tenant, hook) => this.memoryCapHits.inc({ tenant, hook }),
    hostCallAnswered: (tenant, call, result, seconds) => this.callSeconds.observe({ tenant, call, result }, seconds),
  };
}
