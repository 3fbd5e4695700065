// Runs an event through a tenant's hooks: admits it in its job's order, picks
// the hooks (registered for the event and, for job events, subscribed at
// JobStart), runs them one after another so each sees the writes the earlier
// ones made, and folds their results into the event's outcome.
import { isJobEvent, type JobEventName } from '../model/enums.js';
import type { DaemonInfo, HookEvent, JobSnapshot, JobWrites, Subscription } from '../model/job.js';
import type { EventOutcome, HookOutcome } from '../model/outcome.js';
import type { HookCatalog } from '../hooks/hook-catalog.js';
import type { HookRecord } from '../registry/hook-record.js';
import type { DirectorAnswerer, HookRunner } from '../sandbox/hook-runner.js';
import { JobTracker, type TrackedJob } from './job-tracker.js';
import { HookServiceError } from '../errors.js';
import { OutcomeFeed } from './outcome-feed.js';

export interface EventSource {
  tenant: string;
  daemon: DaemonInfo;
  /** Answers one hook's director calls during one event; null for unary dispatch. */
  director: ((call: { eventId: string; jobId: number; hookId: string }) => DirectorAnswerer) | null;
}

const SUBSCRIPTION_FLAG: Record<JobEventName, keyof Subscription> = {
  'job-init': 'jobInit', 'job-run': 'jobRun', 'new-volume': 'newVolume', 'volume-purged': 'volumePurged',
};

export class Dispatcher {
  readonly jobs = new JobTracker();
  /** Every settled event outcome, for logs, metrics and tail. */
  readonly feed = new OutcomeFeed();
  /** Events admitted and not yet answered, per tenant. */
  private readonly inFlight = new Map<string, number>();
  /** Told of each event that is not admitted (the metrics count them; the caller gets the error). */
  onRejected: (source: EventSource, event: HookEvent, error: unknown) => void = () => {};

  constructor(
    private readonly catalog: HookCatalog,
    private readonly runner: HookRunner,
    private readonly directorCallTimeoutMs: number,
    private readonly maxInFlightPerTenant: number,
    private readonly log: (line: string) => void = () => {},
  ) {}

  inFlightOf(tenant: string): number {
    return this.inFlight.get(tenant) ?? 0;
  }

  /** Tenants with events in flight, and how many. */
  inFlightByTenant(): ReadonlyMap<string, number> {
    return this.inFlight;
  }

  /**
   * Admits the event synchronously (so arrival order is job order) and returns
   * its outcome when its turn has come and its hooks have run. Throws a
   * HookServiceError at once when the event cannot be admitted.
   */
  dispatch(source: EventSource, event: HookEvent): Promise<EventOutcome> {
    try {
      return this.admit(source, event);
    } catch (e) {
      this.onRejected(source, event, e);
      throw e;
    }
  }

  private admit(source: EventSource, event: HookEvent): Promise<EventOutcome> {
    const received = performance.now();
    const n = this.inFlightOf(source.tenant);
    if (n >= this.maxInFlightPerTenant) {
      throw new HookServiceError('resource-exhausted',
        `tenant "${source.tenant}" has ${n} events in flight, its limit; event ${event.id} was not accepted: send it again when some have answered`,
        { reason: 'EVENTS_IN_FLIGHT_LIMIT', metadata: { tenant: source.tenant, director: source.daemon.name, event: event.type, eventId: event.id, limit: 'eventsInFlightPerTenant', max: String(this.maxInFlightPerTenant) } });
    }
    let outcome: Promise<EventOutcome>;
    if (event.type === 'exit') {
      this.jobs.forgetDirector(source.tenant, source.daemon.name);
      outcome = this.run(source, event, undefined, received);
    } else {
      const job = this.jobs.admit(source.tenant, source.daemon.name, event.type, event.job!.jobId);
      outcome = job.tail.then(() => this.run(source, event, job, received));
      job.tail = outcome.catch(() => undefined);
    }
    this.inFlight.set(source.tenant, n + 1);
    const done = () => {
      const left = this.inFlightOf(source.tenant) - 1;
      if (left > 0) this.inFlight.set(source.tenant, left);
      else this.inFlight.delete(source.tenant);
    };
    outcome.then(done, done);
    return outcome;
  }

  private async run(source: EventSource, event: HookEvent, job: TrackedJob | undefined, received: number): Promise<EventOutcome> {
    const working: JobSnapshot | undefined = event.job && structuredClone(event.job);
    const outcome: EventOutcome = {
      eventId: event.id, type: event.type, jobId: event.job?.jobId ?? 0,
      hooks: [], writes: {}, report: [], failJob: false, durationMs: 0,
    };
    for (const hook of this.catalog.hooksFor(source.tenant, event.type)) {
      if (isJobEvent(event.type) && !job?.subscriptions.get(hook.id)?.[SUBSCRIPTION_FLAG[event.type]]) continue;
      const h = await this.runHook(hook, source, event, working);
      outcome.hooks.push(h);
      outcome.report.push(...h.report);
      const suspended = this.catalog.health.record(hook.id, event.type, h.status, h.message);
      if (suspended) {
        this.log(`hook ${hook.name} of tenant ${hook.tenant} suspended until ${suspended.until.toISOString()} after ${suspended.consecutiveFailures} failures in a row: ${suspended.reason}`);
      }
      if (h.status === 'ok') {
        applyWrites(working, h.writes);
        Object.assign(outcome.writes, h.writes);
        if (h.subscription && job) job.subscriptions.set(hook.id, h.subscription);
      } else if (h.failClosed) {
        outcome.failJob = true;
      }
    }
    outcome.durationMs = performance.now() - received;
    this.feed.publish({ tenant: source.tenant, director: source.daemon.name, outcome, at: new Date() });
    return outcome;
  }

  private async runHook(hook: HookRecord, source: EventSource, event: HookEvent, working: JobSnapshot | undefined): Promise<HookOutcome> {
    const base = { hookId: hook.id, hookName: hook.name, failClosed: hook.failurePolicy === 'fail-closed' };
    const suspension = this.catalog.health.suspension(hook.id);
    if (suspension) {
      return {
        ...base, status: 'skipped', writes: {}, report: [], durationMs: 0,
        message: `hook ${hook.name} is suspended until ${suspension.until.toISOString()} after ${suspension.consecutiveFailures} failures in a row ` +
          `(last: ${suspension.reason}); re-enable or reload it to run it sooner`,
      };
    }
    let ref;
    try {
      ref = await this.catalog.ref(hook);
    } catch (e) {
      return { ...base, status: 'failed', message: `hook ${hook.name} is not ready: ${(e as Error).message}`, writes: {}, report: [], durationMs: 0 };
    }
    const r = await this.runner.invoke({
      hook: ref,
      event: event.type,
      job: working && visibleJob(working, hook),
      daemon: source.daemon,
      directorCallTimeoutMs: this.directorCallTimeoutMs,
    }, source.director && source.director({ eventId: event.id, jobId: event.job?.jobId ?? 0, hookId: hook.id }));
    return {
      ...base, status: r.status, message: r.message, writes: r.writes, report: r.report,
      subscription: r.subscription, durationMs: r.durationMs,
      ...(r.metrics?.length ? { metrics: r.metrics } : {}),
    };
  }
}

/** The job as one hook may see it: the catalog password only when granted. */
function visibleJob(job: JobSnapshot, hook: HookRecord): JobSnapshot {
  if (!job.catalogRes?.password || hook.grantCatalogPassword) return job;
  const { password: _hidden, ...catalogRes } = job.catalogRes;
  return { ...job, catalogRes };
}

function applyWrites(job: JobSnapshot | undefined, w: JobWrites) {
  if (!job) return;
  if (w.priority !== undefined) job.priority = w.priority;
  if (w.level !== undefined) job.level = w.level;
  if (w.volumeName !== undefined) job.volumeName = w.volumeName;
}
