/// <reference path="./types/hook-http.d.ts" />
/**
 * The hook authoring kit for JavaScript/TypeScript hooks (bacula:hooks@1.0.0).
 *
 * A hook is an ES module that exports the `events` interface:
 *
 *   import { defineHook } from '../../hooks-sdk/js/index.js';
 *   import { doesVolumeExist } from 'bacula:hooks/director@1.2.0';
 *
 *   export const events = defineHook({
 *     jobStart(job) {
 *       job.writeReport(`JobStart: JobId=${job.jobId()}`);
 *       return { newVolume: true };
 *     },
 *     newVolume(job) { job.setVolumeName(`Vol-${job.numVols()}`); },
 *   });
 *
 * Host functions are imported straight from the WIT interfaces
 * ('bacula:hooks/job@1.2.0', '…/daemon@1.0.0', '…/director@1.0.0',
 * '…/types@1.0.0'); their TypeScript declarations are generated into ./types
 * by gen-types.mjs. This file is bundled (inlined) into each hook by
 * build-hook.mjs; it has no runtime dependency and uses no WASI.
 */

import type { Job } from 'bacula:hooks/job@1.2.0';
import { trapReason } from 'bacula:hooks/diagnostics@1.2.0';
import type { HttpError } from 'bacula:hooks/http@1.2.0';
import type { MetricError } from 'bacula:hooks/metrics@1.2.0';
import type {
  CatalogRes,
  CatalogVendor,
  DirectorError,
  JobEvents,
  JobStatus,
  JobType,
  Level,
  WriteError,
} from 'bacula:hooks/types@1.2.0';

export type { HttpError, MetricError };
export type {
  CatalogRes,
  CatalogVendor,
  DirectorError,
  Job,
  JobEvents,
  JobStatus,
  JobType,
  Level,
  WriteError,
};

/**
 * The handlers a hook may implement; every one is optional in defineHook.
 *
 * Handlers are synchronous. Throwing (anything) fails the event with a
 * readable message; see defineHook.
 */
export interface Handlers {
  /**
   * JobStart: the job record was created. Return the job events this hook
   * wants for THIS job (missing flags are false). Returning nothing
   * subscribes to none; jobEnd is always delivered.
   */
  jobStart(job: Job): JobEvents | void;
  /** JobInit (if subscribed): the only point where job.setLevel works. */
  jobInit(job: Job): void;
  /** JobRun (if subscribed): just before the job runs. */
  jobRun(job: Job): void;
  /** NewVolume (if subscribed): name the volume with job.setVolumeName. */
  newVolume(job: Job): void;
  /** VolumePurged (if subscribed): job.volumeName() is the purged volume. */
  volumePurged(job: Job): void;
  /** JobEnd: the job terminated. */
  jobEnd(job: Job): void;
  /** Exit: the director shuts down. There is no job (and no report). */
  exit(): void;
}

/**
 * The value to export as `events`: the guest side of the WIT `events`
 * interface. Each function returning normally is `ok`; each one throwing a
 * string is `err(string)`.
 */
export interface EventsExport {
  jobStart(job: Job): JobEvents;
  jobInit(job: Job): void;
  jobRun(job: Job): void;
  newVolume(job: Job): void;
  volumePurged(job: Job): void;
  jobEnd(job: Job): void;
  exit(): void;
}

// Compile-time check that EventsExport matches the generated WIT export.
type _EventsMatchesWit = EventsExport extends typeof import('bacula:hooks/events@1.2.0')
  ? true
  : never;
const _eventsMatchesWit: _EventsMatchesWit = true;
void _eventsMatchesWit;

type EventName = keyof Handlers;

/**
 * Builds the `events` export from the handlers given.
 *
 * - Missing handlers are no-ops; a missing (or void) jobStart subscribes to
 *   no job events.
 * - Every handler is wrapped so that whatever it throws leaves the component
 *   as a plain STRING: componentize-js maps a thrown string to `err(string)`,
 *   while a thrown Error object would trap the instance ("unreachable") and
 *   lose the message (and every later call fails with "cannot enter
 *   component instance"). A string stays itself; an uncaught host error
 *   becomes describeError(payload), e.g. "wrong-time: <message>"; an Error
 *   becomes "<name>: <message>"; anything else String(value) (JSON for a
 *   plain object).
 */
export function defineHook(handlers: Partial<Handlers>): EventsExport {
  const h = handlers ?? {};
  // Wraps one handler: runs it, refuses async results, stringifies throws.
  const guard = <A extends unknown[], R>(event: EventName, fn: (...args: A) => R) =>
    (...args: A): R => {
      let result: R;
      try {
        result = fn.apply(h, args);
      } catch (e) {
        if (e === TRAP) throw e; // trap(): leave the component as a trap, on purpose
        throw errorString(e);
      }
      if (isThenable(result)) {
        // A Promise would be ignored by the component (exports are sync);
        // say so rather than dropping the work silently.
        throw `TypeError: the ${event} handler returned a Promise; hook handlers must be synchronous`;
      }
      return result;
    };
  const noop = () => {};
  const jobStart = h.jobStart;
  return {
    jobStart: guard('jobStart', (job: Job): JobEvents => {
      const ev = jobStart ? jobStart.call(h, job) : undefined;
      return ev ?? {};
    }),
    jobInit: guard('jobInit', h.jobInit ?? noop),
    jobRun: guard('jobRun', h.jobRun ?? noop),
    newVolume: guard('newVolume', h.newVolume ?? noop),
    volumePurged: guard('volumePurged', h.volumePurged ?? noop),
    jobEnd: guard('jobEnd', h.jobEnd ?? noop),
    exit: guard('exit', h.exit ?? noop),
  };
}

/** What trap() throws: not a string, so componentize-js traps the instance. */
const TRAP = Object.freeze({ trap: true });

/**
 * Stops the hook with a trap, on purpose: the host records `reason`
 * (diagnostics.trap-reason) and reports it with the trap and the wasm
 * backtrace; the instance is dropped and the next event gets a fresh one.
 * Throwing an error instead fails only the event and keeps the instance.
 */
export function trap(reason: string): never {
  trapReason(reason);
  throw TRAP;
}

// ---------------------------------------------------------------------------
// Host errors
//
// A host import declared `-> result<T, E>` returns T in the guest. When the
// host answers err(e), the call THROWS a ComponentError whose `.payload` is e,
// e.g. { tag: 'wrong-time', val: '…' } for a write-error or
// { tag: 'no-director-session' } for a director-error. Note: in the guest that
// ComponentError is NOT `instanceof Error` and its message is only
// "[object Object] (see error.payload)": use errorPayload/describeError.
// Uncaught, defineHook turns it into the event's err string, e.g.
// "wrong-time: <message>" (an uncaught one without defineHook traps).
// ---------------------------------------------------------------------------

const WRITE_ERROR_TAGS: ReadonlySet<string> = new Set(['wrong-time', 'out-of-range']);
const HTTP_ERROR_TAGS: ReadonlySet<string> = new Set(['not-allowed', 'too-large', 'timed-out', 'failed']);
const METRIC_ERROR_TAGS: ReadonlySet<string> = new Set(['invalid-name', 'invalid-value', 'conflict', 'limit-reached']);
const DIRECTOR_ERROR_TAGS: ReadonlySet<string> = new Set([
  'no-director-session',
  'refused',
  'timed-out',
  'unavailable',
]);

/** The err value carried by a host error (ComponentError.payload), if any. */
export function errorPayload(e: unknown): unknown {
  return typeof e === 'object' && e !== null && 'payload' in e
    ? (e as { payload: unknown }).payload
    : undefined;
}

/** Whether x is a write-error value ({ tag: 'wrong-time' | 'out-of-range', val }). */
export function isWriteError(x: unknown): x is WriteError {
  return isTagged(x) && WRITE_ERROR_TAGS.has(x.tag);
}

/** Whether x is a director-error value ({ tag: 'no-director-session' | … }). */
export function isDirectorError(x: unknown): x is DirectorError {
  return isTagged(x) && DIRECTOR_ERROR_TAGS.has(x.tag);
}

/** Whether x is an http-error value ({ tag: 'not-allowed' | 'too-large' | 'timed-out' | 'failed', val? }). */
export function isHttpError(x: unknown): x is HttpError {
  return isTagged(x) && HTTP_ERROR_TAGS.has(x.tag);
}

/** Whether x is a metric-error value ({ tag: 'invalid-name' | 'invalid-value' | 'conflict' | 'limit-reached', val }). */
export function isMetricError(x: unknown): x is MetricError {
  return isTagged(x) && METRIC_ERROR_TAGS.has(x.tag);
}

/** Result of tryWrite. */
export type WriteResult = { ok: true } | { ok: false; error: WriteError };

/**
 * Runs a job write (setPriority, setLevel, setVolumeName) and returns the
 * host's refusal as a value instead of a throw:
 *
 *   const r = tryWrite(() => job.setPriority(5));
 *   if (!r.ok) job.writeReport(`priority not set: ${describeError(r.error)}`);
 *
 * Anything other than a write-error is rethrown.
 */
export function tryWrite(write: () => void): WriteResult {
  try {
    write();
    return { ok: true };
  } catch (e) {
    const payload = errorPayload(e);
    if (isWriteError(payload)) return { ok: false, error: payload };
    throw e;
  }
}

/** Result of tryDirector. */
export type DirectorResult<T> = { ok: true; value: T } | { ok: false; error: DirectorError };

/**
 * Runs a director call (run, cancel, doesVolumeExist) and returns its failure
 * as a value instead of a throw:
 *
 *   const r = tryDirector(() => doesVolumeExist('Vol-1'));
 *   if (r.ok) … r.value … else … describeError(r.error) …
 *
 * Anything other than a director-error is rethrown.
 */
export function tryDirector<T>(call: () => T): DirectorResult<T> {
  try {
    return { ok: true, value: call() };
  } catch (e) {
    const payload = errorPayload(e);
    if (isDirectorError(payload)) return { ok: false, error: payload };
    throw e;
  }
}

/**
 * A readable one-line description of an error:
 * - a write-error, director-error, http-error or metric-error value (or a
 *   ComponentError carrying one): "wrong-time: <message>", "no-director-session",
 *   "refused: <message>", "limit-reached: <message>", …
 * - an Error: "<name>: <message>"
 * - a string: itself; anything else: String(value)
 */
export function describeError(e: unknown): string {
  if (isWriteError(e) || isDirectorError(e) || isHttpError(e) || isMetricError(e)) {
    return 'val' in e && typeof e.val === 'string' ? `${e.tag}: ${e.val}` : e.tag;
  }
  const payload = errorPayload(e);
  if (isWriteError(payload) || isDirectorError(payload) || isHttpError(payload) || isMetricError(payload)) return describeError(payload);
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  if (typeof e === 'string') return e;
  return safeString(e);
}

/** What defineHook throws for a thrown value: always a string. */
function errorString(e: unknown): string {
  return typeof e === 'string' ? e : describeError(e);
}

function isTagged(x: unknown): x is { tag: string; val?: unknown } {
  return typeof x === 'object' && x !== null && typeof (x as { tag?: unknown }).tag === 'string';
}

function isThenable(x: unknown): boolean {
  return (
    (typeof x === 'object' || typeof x === 'function') &&
    x !== null &&
    typeof (x as { then?: unknown }).then === 'function'
  );
}

function safeString(x: unknown): string {
  try {
    const s = String(x);
    // "[object Object]" says nothing; a plain object reads better as JSON.
    if (s === '[object Object]') return JSON.stringify(x) ?? s;
    return s;
  } catch {
    return Object.prototype.toString.call(x);
  }
}
