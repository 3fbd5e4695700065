// The typed protocol between the service and a hook worker thread.
import type { EventName } from '../../model/enums.js';
import type { DaemonInfo, JobSnapshot, JobWrites, Subscription } from '../../model/job.js';
import type { DirectorCallRequest, DirectorCallResult } from '../../model/director-call.js';
import type { LimitSet } from '../../config.js';
import type { HttpCallResult, HttpRequestData } from '../../model/http-call.js';
import type { WasiGrant } from '../../components/grants.js';
import type { MetricWrite } from '../../model/metric-write.js';
import type { SchemaSnapshot } from '../../capabilities/metrics-schema.js';

/** A call a hook makes that the main thread answers: to the director, or outbound HTTP. */
export type HostCall = DirectorCallRequest | { kind: 'http'; request: HttpRequestData; timeoutMs: number };
export type HostCallResult = DirectorCallResult | HttpCallResult;

/** Everything a worker needs to (re)instantiate a hook. */
export interface HookRef {
  id: string;
  tenant: string;
  name: string;
  /** A new generation (reload) is instantiated afresh; the old instance is dropped. */
  generation: number;
  dir: string;
  entry: string;
  grantCatalogPassword: boolean;
  /** Effective limits: memory is applied at instantiation, the per-event ones at each call. */
  limits: LimitSet;
  /** Granted outbound HTTP destinations (host or host:port); empty: no http import. */
  httpAllowedHosts: string[];
  /** Granted WASI capabilities: their interfaces are in the instance's import object, nothing else of WASI is. */
  wasiGrants: WasiGrant[];
}

export interface InvokeRequest {
  invocationId: number;
  hook: HookRef;
  event: EventName;
  job?: JobSnapshot;
  daemon: DaemonInfo;
  /** False for unary dispatch: director calls fail at once with no-director-session. */
  withDirector: boolean;
  directorCallTimeoutMs: number;
}

export interface InvocationResult {
  status: 'ok' | 'failed' | 'timed-out';
  /** The hook's error string, or the trap's message and wasm backtrace. */
  message: string;
  /** The instance trapped and was dropped; the next event gets a fresh one. */
  trapped: boolean;
  writes: JobWrites;
  report: string[];
  subscription?: Subscription;
  durationMs: number;
  /** Linear memory of the hook's instance after the event (0 when it has none). */
  memoryBytes?: number;
  /** A core module's memory reached its cap during this event: memory.grow past it fails in the hook. */
  memoryCapHit?: boolean;
  /** The hook's metric writes during the event, merged per series (WIT 1.2.0 metrics). */
  metrics?: MetricWrite[];
}

export type HookWorkerApi = {
  invoke: { req: InvokeRequest; res: InvocationResult };
  /** Instantiates the hook (checking its exports) and keeps the instance for its events. */
  prepare: {
    req: {
      hook: HookRef;
      /**
       * The hook's metrics as the main thread holds them, for a thread that
       * has not seen the hook yet (a new or replaced one): its bounds then
       * count what earlier threads accepted.
       */
      metrics?: SchemaSnapshot;
    };
    res: { instantiateMs: number };
  };
  /** Forgets a hook's instance and compiled modules (removal). */
  drop: { req: { hookId: string }; res: null };
};

/** Worker -> service, outside request/reply: a hook is waiting for the director. */
export interface DirectorCallMessage {
  kind: 'director-call';
  invocationId: number;
  seq: number;
  call: HostCall;
}

/** Service -> worker, on the reply port, followed by a notify on the signal. */
export interface DirectorReplyMessage {
  seq: number;
  result: HostCallResult;
}

export interface HookWorkerData {
  /** Int32 slot the worker waits on (Atomics.wait) while the director answers. */
  signal: SharedArrayBuffer;
  replyPort: import('node:worker_threads').MessagePort;
}

export const isDirectorCall = (m: unknown): m is DirectorCallMessage =>
  typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'director-call';
