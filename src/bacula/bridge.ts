// One RunScript call: opens a director session to the hook service, sends
// the job's events for this point of its life (Before: JobStart, JobInit,
// JobRun; After: JobEnd), answers the hooks' director calls through
// bconsole, and turns the outcomes into job-log lines and an exit status:
//
//   0  the hooks ran, or could not run and the bridge is fail-open;
//   1  a fail-closed hook failed (FailJobOnError = yes fails the job), or the
//      hooks could not run and the bridge is fail-closed.
//
// The bridge never outlives its timeout: a RunScript blocks the job.
import { DirectorSessionClient } from '../client/director-client.js';
import { HookClientError } from '../client/client-error.js';
import { BACULA_EVENT_NAMES, type EventName } from '../model/enums.js';
import type { JobSnapshot } from '../model/job.js';
import type { EventOutcome, HookOutcome } from '../model/outcome.js';
import { Bconsole } from './bconsole.js';
import type { BridgeConfig } from './bridge-config.js';

export type RunScriptPoint = 'before' | 'after';

export const EVENTS_AT: Record<RunScriptPoint, EventName[]> = {
  before: ['job-start', 'job-init', 'job-run'],
  after: ['job-end'],
};

export interface BridgeRun {
  when: RunScriptPoint;
  /** The director's name (%d): jobs are tracked per director. */
  director: string;
  job: JobSnapshot;
}

/** Lines for the job log; Bacula writes each line the RunScript prints. */
export type JobLog = (line: string) => void;

const GRPC_UNAVAILABLE = 14;
const GRPC_NOT_FOUND = 5;

class BridgeTimeout extends Error {}

export async function runBridge(run: BridgeRun, config: BridgeConfig, log: JobLog): Promise<number> {
  const events = EVENTS_AT[run.when];
  const pending = new Set(events);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BridgeTimeout()), config.timeoutMs);
  });
  let session: DirectorSessionClient | undefined;
  try {
    return await Promise.race([timeout, deliver()]);
  } catch (e) {
    const names = [...pending].map((t) => BACULA_EVENT_NAMES[t]).join(', ');
    const why = e instanceof BridgeTimeout
      ? `the hook service at ${config.address} did not answer within ${config.timeoutMs} ms`
      : e instanceof HookClientError && e.code === GRPC_UNAVAILABLE
        ? `the hook service at ${config.address} is unreachable (${e.message})`
        : `the hook service at ${config.address} refused the session: ${(e as Error).message}`;
    log(`hooks did not run: ${why}; ${names} not delivered for JobId ${run.job.jobId}; ` +
      (config.unreachable === 'fail-open' ? 'the job goes on (bridge unreachable = fail-open)' : 'the job fails (bridge unreachable = fail-closed)'));
    return config.unreachable === 'fail-open' ? 0 : 1;
  } finally {
    clearTimeout(timer);
    // A session still open (after a timeout) must not keep the RunScript alive.
    void session?.close().catch(() => {});
  }

  async function deliver(): Promise<number> {
    const bconsole = new Bconsole(config.bconsole);
    // Asked while the session opens; a Director that cannot answer costs the hooks two attributes, not the event.
    const facts = bconsole.jobFacts(run.job.jobId, run.job.name).then((f) => ({ f }), (e: Error) => ({ e }));
    session = await DirectorSessionClient.open(config.address, {
      ...config.connect,
      daemon: { name: run.director, ...config.director },
      handlers: bconsole.handlers(),
    });
    const known = await facts;
    if ('e' in known) log(`note: hooks read SchedTime and Priority as unknown: ${known.e.message}`);
    else Object.assign(run.job, known.f);
    let failJob = false;
    for (const type of events) {
      let outcome: EventOutcome;
      try {
        outcome = await session.send({ type, job: run.job });
      } catch (e) {
        if (e instanceof HookClientError && e.code === GRPC_NOT_FOUND && type === 'job-end') {
          // The service never saw this job start (it was unreachable then, or restarted since).
          log(`hooks did not see JobEnd: ${e.message}`);
          pending.delete(type);
          break;
        }
        throw e;
      }
      pending.delete(type);
      writeOutcome(outcome, log);
      if (outcome.failJob) {
        failJob = true;
        break; // the job fails here: its later events would run hooks for a job that does not run
      }
    }
    await session.close();
    return failJob ? 1 : 0;
  }
}

/** An event's outcome as job-log lines: each hook's report lines, failures, and writes a RunScript cannot apply. */
export function writeOutcome(outcome: EventOutcome, log: JobLog): void {
  const event = BACULA_EVENT_NAMES[outcome.type];
  for (const h of outcome.hooks) {
    for (const line of h.report) log(`[${h.hookName}] ${line}`);
    if (h.status !== 'ok') log(failureLine(h, event));
    else for (const w of unappliedWrites(h)) log(`warning: hook ${h.hookName} set ${w} at ${event}; a RunScript cannot change a running Bacula job, so it was not applied`);
  }
}

function failureLine(h: HookOutcome, event: string): string {
  const first = h.message.split('\n')[0] ?? '';
  if (h.status === 'skipped') return `hook ${h.hookName} skipped at ${event}: ${first}`;
  const what = h.status === 'timed-out' ? 'timed out' : 'failed';
  const policy = h.failClosed ? 'fail-closed: the job fails' : 'fail-open: the job goes on';
  return `hook ${h.hookName} ${what} at ${event} (${policy}): ${first}`;
}

function unappliedWrites(h: HookOutcome): string[] {
  const w = h.writes;
  return [
    ...(w.priority !== undefined ? [`priority=${w.priority}`] : []),
    ...(w.level !== undefined ? [`level=${w.level}`] : []),
    ...(w.volumeName !== undefined ? [`volume name=${w.volumeName}`] : []),
  ];
}
