// What every gRPC handler of the service shares.
import type { ServerSurfaceCall } from '@grpc/grpc-js/build/src/server-call.js';
import type { ServiceConfig } from '../config.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import type { HookCatalog } from '../hooks/hook-catalog.js';
import type { Caller } from './caller.js';

export interface ServiceContext {
  config: ServiceConfig;
  catalog: HookCatalog;
  dispatcher: Dispatcher;
  /** Who is calling, from the call's credential; throws an 'unauthenticated' HookServiceError otherwise. */
  callerOf(call: ServerSurfaceCall): Caller;
}
