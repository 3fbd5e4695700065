// What every gRPC handler of the service shares.
import type { ServerSurfaceCall } from '@grpc/grpc-js/build/src/server-call.js';
import type { ServiceConfig } from '../config.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import type { HookCatalog } from '../hooks/hook-catalog.js';
import type { HookStats } from '../hooks/hook-stats.js';
import type { Caller } from './caller.js';
import type { Drain } from './drain.js';

export interface ServiceContext {
  config: ServiceConfig;
  catalog: HookCatalog;
  dispatcher: Dispatcher;
  /** Per-hook counters for Admin.Stats, fed by the dispatcher's outcome feed. */
  stats: HookStats;
  /** Aborted when the service closes: streams that would otherwise stay open (Tail) end on it. */
  closing: AbortSignal;
  /** Who is calling, from the call's credential; throws an 'unauthenticated' HookServiceError otherwise. Replaced when a reload changes the tokens. */
  callerOf(call: ServerSurfaceCall): Caller;
  /** Admits new work until a shutdown begins, and tracks what was admitted. */
  drain: Drain;
}
