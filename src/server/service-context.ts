// What every gRPC handler of the service shares.
import type { ServerSurfaceCall } from '@grpc/grpc-js/build/src/server-call.js';
import type { ServiceConfig } from '../config.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import type { HookCatalog } from '../hooks/hook-catalog.js';

export interface ServiceContext {
  config: ServiceConfig;
  catalog: HookCatalog;
  dispatcher: Dispatcher;
  /** The caller's tenant. Until directors authenticate, every caller is the default tenant. */
  tenantOf(call: ServerSurfaceCall): string;
}
