// What running hooks on an event produced.
import type { EventName } from './enums.js';
import type { JobWrites, Subscription } from './job.js';
import type { MetricWrite } from './metric-write.js';

/** skipped: the hook is suspended after repeated failures (the message says until when and why). */
export type HookStatus = 'ok' | 'failed' | 'timed-out' | 'skipped';

/** One hook's result on one event. */
export interface HookOutcome {
  hookId: string;
  hookName: string;
  status: HookStatus;
  /** The hook's error, or the trap and its backtrace. Empty when ok. */
  message: string;
  /** What the hook wrote; applied to the job only when status is ok. */
  writes: JobWrites;
  report: string[];
  /** JobStart only: the job events the hook asked for. */
  subscription?: Subscription;
  durationMs: number;
  failClosed: boolean;
  /** The hook's metric writes during the event (WIT 1.2.0 metrics), for the /metrics endpoint. */
  metrics?: MetricWrite[];
}

/** The outcome of one event over all the hooks it entered. */
export interface EventOutcome {
  eventId: string;
  type: EventName;
  jobId: number;
  hooks: HookOutcome[];
  /** Accepted writes of all hooks, the last of each kind winning. */
  writes: JobWrites;
  report: string[];
  /** A fail-closed hook failed: the director should fail the job. */
  failJob: boolean;
  durationMs: number;
}
