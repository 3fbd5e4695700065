// `hookctl fire`: runs one component on one event with a job given as JSON,
// locally, without a director: the seed's "develop your script as a separate
// file" for every language. It starts a private service on loopback (its own
// temporary store, a shared transpile cache), registers the component, plays
// the director from flags or a JSON file, and returns what came back.
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHookService } from '../server/hook-service.js';
import { AdminClient } from '../client/admin-client.js';
import { DirectorSessionClient, type DirectorCallHandlers } from '../client/director-client.js';
import { DispatchClient } from '../client/dispatch-client.js';
import type { DaemonInfo, JobSnapshot } from '../model/job.js';
import type { EventOutcome } from '../model/outcome.js';
import {
  EVENT_NAMES, JOB_STATUS_NAMES, JOB_TYPE_NAMES, LEVEL_NAMES, isJobEvent, jobStatusFromCode, jobTypeFromCode, levelFromCode,
  type EventName,
} from '../model/enums.js';
import { sampleBackupJob } from '../model/sample-job.js';
import type { WasiGrant } from '../components/grants.js';

/** How the pretend director answers; absent answers refuse the call. */
export interface DirectorAnswers {
  /** JobId that `run` returns, or a refusal message. */
  run?: number | { refuse: string };
  /** `cancel` succeeds (true) or is refused with a message. */
  cancel?: true | { refuse: string };
  /** Volumes that exist: `does-volume-exist` is true for these, false otherwise. */
  volumes?: string[];
  /** Refuse `does-volume-exist` with this message instead. */
  refuseVolumeLookup?: string;
}

export interface FireOptions {
  component: Uint8Array;
  event: EventName;
  /** The job, as JSON fields of JobSnapshot (WIT names or Bacula one-letter codes for level/type/status). */
  job?: Record<string, unknown>;
  daemon?: Partial<DaemonInfo>;
  /** null: no director session, as with unary dispatch (director calls fail with no-director-session). */
  director: DirectorAnswers | null;
  grantCatalogPassword?: boolean;
  /** WASI capabilities to grant (a component built with them imports them). */
  wasiGrants?: WasiGrant[];
}

export interface DirectorCallRecord {
  call: string;
  answer: string;
}

export interface FireResult {
  /** JobStart sent first to open the job (when the fired event is a later one). */
  opening?: EventOutcome;
  outcome: EventOutcome;
  calls: DirectorCallRecord[];
}

export class FireInputError extends Error {
  override readonly name = 'FireInputError';
}

const DEFAULT_DAEMON: DaemonInfo = { name: 'local-dir', version: 'hookctl fire', configFile: '', workingDir: '' };

/** A job from JSON: a sample backup job with the given fields over it, enums checked. */
export function jobFromJson(fields: Record<string, unknown> = {}): JobSnapshot {
  const f = { ...fields };
  const enumField = (key: string, names: readonly string[], fromCode: (c: string) => string | undefined) => {
    const v = f[key];
    if (v === undefined || v === null) return;
    const name = typeof v === 'string' ? (names.includes(v) ? v : fromCode(v)) : undefined;
    if (!name) throw new FireInputError(`job.${key}: ${JSON.stringify(v)} is not one of ${names.join(', ')} (or a Bacula one-letter code)`);
    f[key] = name;
  };
  enumField('jobType', JOB_TYPE_NAMES, jobTypeFromCode);
  enumField('level', LEVEL_NAMES, levelFromCode);
  enumField('status', JOB_STATUS_NAMES, jobStatusFromCode);
  enumField('fdJobStatus', JOB_STATUS_NAMES, jobStatusFromCode);
  enumField('sdJobStatus', JOB_STATUS_NAMES, jobStatusFromCode);
  const jobId = f.jobId === undefined ? 1 : Number(f.jobId);
  if (!Number.isInteger(jobId) || jobId < 1) throw new FireInputError(`job.jobId: must be a whole number ≥ 1, got ${JSON.stringify(f.jobId)}`);
  return sampleBackupJob(jobId, f as Partial<JobSnapshot>);
}

function handlersFor(a: DirectorAnswers, calls: DirectorCallRecord[]): DirectorCallHandlers {
  const refuse = (call: string, why: string): never => {
    calls.push({ call, answer: `refused: ${why}` });
    throw new Error(why);
  };
  return {
    run(command) {
      const call = `run(${JSON.stringify(command)})`;
      if (a.run === undefined) return refuse(call, 'no answer for run (give --run-jobid N or "run" in the answers file)');
      if (typeof a.run === 'object') return refuse(call, a.run.refuse);
      calls.push({ call, answer: `JobId ${a.run}` });
      return a.run;
    },
    cancel(jobId) {
      const call = `cancel(${jobId})`;
      if (a.cancel === undefined) return refuse(call, 'no answer for cancel (give --cancel-ok or "cancel" in the answers file)');
      if (typeof a.cancel === 'object') return refuse(call, a.cancel.refuse);
      calls.push({ call, answer: 'ok' });
    },
    doesVolumeExist(name) {
      const call = `does-volume-exist(${JSON.stringify(name)})`;
      if (a.refuseVolumeLookup !== undefined) return refuse(call, a.refuseVolumeLookup);
      const exists = (a.volumes ?? []).includes(name);
      calls.push({ call, answer: String(exists) });
      return exists;
    },
  };
}

export async function fire(o: FireOptions): Promise<FireResult> {
  if (!EVENT_NAMES.includes(o.event)) throw new FireInputError(`event: "${o.event}" is not one of ${EVENT_NAMES.join(', ')}`);
  const job = jobFromJson(o.job);
  const daemon = { ...DEFAULT_DAEMON, ...o.daemon };
  const dataDir = mkdtempSync(join(tmpdir(), 'hookctl-fire-'));
  const svc = await startHookService({
    listen: '127.0.0.1:0', dataDir, auth: { unauthenticatedTenant: 'local' },
    // Transpiling a large component takes a second or two: keep the result for the next fire.
    transpileCacheDir: join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'bacula-hooks', 'transpiled'),
  });
  const admin = new AdminClient(svc.address);
  const calls: DirectorCallRecord[] = [];
  const closers: (() => unknown)[] = [() => admin.close()];
  try {
    await admin.register({ name: 'fired', component: o.component, grantCatalogPassword: o.grantCatalogPassword, wasiGrants: o.wasiGrants });
    let send: (type: EventName) => Promise<EventOutcome>;
    if (o.director) {
      const s = await DirectorSessionClient.open(svc.address, { daemon, handlers: handlersFor(o.director, calls) });
      closers.push(() => s.close());
      send = (type) => s.send({ type, job: type === 'exit' ? undefined : job });
    } else {
      const d = new DispatchClient(svc.address);
      closers.push(() => d.close());
      let n = 0;
      send = (type) => d.dispatch(daemon, { id: `fire-${++n}`, type, job: type === 'exit' ? undefined : job });
    }
    // A job event needs its job opened by JobStart first (where the hook subscribes); JobEnd too.
    const opening = o.event !== 'job-start' && o.event !== 'exit' ? await send('job-start') : undefined;
    const outcome = await send(o.event);
    return { opening, outcome, calls };
  } finally {
    for (const c of closers.reverse()) await c();
    await svc.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The result as a person reads it. */
export function formatFire(r: FireResult, event: EventName): string {
  const out: string[] = [];
  const hook = r.outcome.hooks[0];
  if (r.opening) {
    const sub = r.opening.hooks[0]?.subscription;
    const wanted = sub ? Object.entries(sub).filter(([, v]) => v).map(([k]) => k).join(', ') || 'none' : 'none';
    out.push(`JobStart sent first to open the job: ${r.opening.hooks[0]?.status ?? 'not entered'}; job events subscribed: ${wanted}`);
  }
  if (!hook) {
    out.push(isJobEvent(event)
      ? `${event}: the hook was not entered (it did not subscribe to this job event at JobStart)`
      : `${event}: the hook was not entered`);
  } else {
    out.push(`${event}: ${hook.status}${hook.message ? `\n${hook.message.replace(/^/gm, '  ')}` : ''} (${hook.durationMs.toFixed(2)} ms)`);
    if (hook.subscription) {
      out.push(`subscribed: ${Object.entries(hook.subscription).filter(([, v]) => v).map(([k]) => k).join(', ') || 'none'}`);
    }
  }
  out.push('report:', ...(r.outcome.report.length ? r.outcome.report.map((l) => `  ${l}`) : ['  (none)']));
  const w = r.outcome.writes;
  const writes = [w.priority !== undefined && `Priority=${w.priority}`, w.level && `Level=${w.level}`, w.volumeName !== undefined && `VolumeName=${w.volumeName}`].filter(Boolean);
  out.push(`accepted writes: ${writes.join(', ') || 'none'}`);
  if (hook && hook.status !== 'ok' && Object.keys(hook.writes).length) out.push(`writes not applied (the hook failed): ${JSON.stringify(hook.writes)}`);
  out.push('director calls:', ...(r.calls.length ? r.calls.map((c) => `  ${c.call} -> ${c.answer}`) : ['  (none)']));
  return out.join('\n');
}
