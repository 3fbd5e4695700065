// Assembles the service: embedded store, compiler, worker pool, catalog,
// dispatcher, and the three gRPC services on one server.
import { Server } from '@grpc/grpc-js';
import { authenticator, serverCredentials } from './auth.js';
import { resolveConfig, type ServiceConfig, type ServiceOptions } from '../config.js';
import { FileRegistry } from '../registry/file-registry.js';
import type { HookRegistry } from '../registry/registry.js';
import { ComponentCompiler } from '../components/component-compiler.js';
import { WorkerPool } from '../sandbox/worker-pool.js';
import { HookCatalog } from '../hooks/hook-catalog.js';
import { Dispatcher } from '../dispatch/dispatcher.js';
import { HookStats } from '../hooks/hook-stats.js';
import { AdminService, DirectorSessionService, DispatchService } from '../gen/hooks-services.js';
import { lenient } from './lenient-codec.js';
import { DirectorSession } from './director-session.js';
import { dispatchHandlers } from './dispatch-service.js';
import { adminHandlers } from './admin-service.js';
import type { ServiceContext } from './service-context.js';

export interface RunningService {
  config: ServiceConfig;
  /** host:port actually bound (port 0 in the config picks one). */
  address: string;
  port: number;
  catalog: HookCatalog;
  dispatcher: Dispatcher;
  pool: WorkerPool;
  close(): Promise<void>;
}

export async function startHookService(options: ServiceOptions = {}, registry?: HookRegistry): Promise<RunningService> {
  const config = resolveConfig(options);
  const store = registry ?? (await FileRegistry.open(config.dataDir));
  const compiler = new ComponentCompiler(config.transpileCacheDir);
  const pool = new WorkerPool({ workersPerTenant: config.workersPerTenant, idleWorkerMs: config.idleWorkerMs, log: config.log });
  const catalog = new HookCatalog(store, compiler, pool, config);
  await catalog.load();
  const dispatcher = new Dispatcher(catalog, pool, config.directorCallTimeoutMs, config.limits.eventsInFlightPerTenant, config.log);
  const stats = new HookStats(dispatcher.feed);
  // Aborted first on close: long-lived admin streams (Tail) end, or the server's shutdown would wait for them.
  const closing = new AbortController();
  const ctx: ServiceContext = { config, catalog, dispatcher, stats, closing: closing.signal, callerOf: authenticator(config.auth) };

  const server = new Server({
    // A component arrives in one Register message. Up to twice the component limit
    // reaches the catalog, which refuses it with the limit named; beyond that gRPC refuses it.
    'grpc.max_receive_message_length': 2 * config.maxComponentBytes + 1024 * 1024,
  });
  server.addService(lenient(DirectorSessionService), { open: (call: ConstructorParameters<typeof DirectorSession>[1]) => new DirectorSession(ctx, call) });
  server.addService(lenient(DispatchService), dispatchHandlers(ctx));
  server.addService(lenient(AdminService), adminHandlers(ctx));

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(config.listen, serverCredentials(config.auth), (e, p) => (e ? reject(e) : resolve(p))));
  const host = config.listen.slice(0, config.listen.lastIndexOf(':'));
  config.log(`hook service listening on ${host}:${port} (data ${config.dataDir}, ${config.auth.tls ? 'TLS' : 'plaintext'}, ${config.workersPerTenant} hook thread(s) per tenant)`);

  return {
    config, address: `${host}:${port}`, port, catalog, dispatcher, pool,
    async close() {
      closing.abort();
      stats.close();
      await new Promise<void>((r) => server.tryShutdown(() => r()));
      await pool.close();
      await compiler.close();
      await store.close();
    },
  };
}
