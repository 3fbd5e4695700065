// The state one hook invocation reads and writes through the host imports.
// One context object per instance; the worker swaps its contents per event.
import type { EventName } from '../model/enums.js';
import type { DaemonInfo, JobSnapshot, JobWrites } from '../model/job.js';
import type { DirectorCallRequest, DirectorCallResult } from '../model/director-call.js';
import type { LimitSet } from '../config.js';
import type { HttpCallResult, HttpRequestData } from '../model/http-call.js';
import type { MetricRecorder } from './metrics-schema.js';

export interface Invocation {
  event: EventName;
  /** The job as this hook sees it: the director's snapshot plus writes accepted so far. */
  job: JobSnapshot | undefined;
  daemon: DaemonInfo;
  /** What this hook wrote during this event. */
  writes: JobWrites;
  report: string[];
  /** What the hook said before trapping (diagnostics.trap-reason), if anything. */
  trapReason?: string;
  /** Null when the event came without a director session (unary dispatch). */
  director: ((call: DirectorCallRequest) => DirectorCallResult) | null;
  /** Outbound HTTP through the main thread; null when the hook has no grant. */
  http: ((request: HttpRequestData, timeoutMs: number) => HttpCallResult) | null;
  /** The hook's metric writes during this event, checked against its schema (WIT 1.2.0 metrics). */
  metrics?: MetricRecorder;
  /** performance.now() past which the event's deadline has run out. */
  deadlineAt: number;
  /** The hook's per-event limits, and what this event used of them so far. */
  limits: LimitSet;
  usage: { reportBytes: number; droppedLines: number; directorCalls: number };
}

export interface InvocationSlot {
  current: Invocation | undefined;
}

/** The invocation in progress; a host import called outside one is a host bug, not a hook's. */
export function active(slot: InvocationSlot): Invocation {
  if (!slot.current) throw new Error('host import called outside an event');
  return slot.current;
}
