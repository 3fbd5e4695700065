// Assembles the service: embedded store, compiler, worker pool, catalog,
// dispatcher, and the three gRPC services on one server, with the standard
// health and reflection services beside them; and takes it down gracefully
// (drain, then close) or reloads its configuration and hooks in place.
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
import { Drain, type DrainReport } from './drain.js';
import { admitted } from './admission.js';
import { ServiceHealth } from './health.js';
import { addReflection } from './reflection.js';
import { applyConfig, type ConfigChange } from './reload.js';
import { Observability, serviceLogger, type ObserveOptions } from '../observe/observability.js';
import { observeSettings } from '../observe/settings.js';

export interface RunningService {
  config: ServiceConfig;
  /** host:port actually bound (port 0 in the config picks one). */
  address: string;
  port: number;
  catalog: HookCatalog;
  dispatcher: Dispatcher;
  pool: WorkerPool;
  health: ServiceHealth;
  drain: Drain;
  /** The structured log, the metrics, and the /metrics listener (observability.server, when config.metrics.listen is set). */
  observability: Observability;
  /** Stops at once: calls still open are cancelled. */
  close(): Promise<void>;
  /**
   * Graceful stop: health NOT_SERVING, nothing new admitted, events in flight
   * get shutdown.drainTimeoutMs to finish (the rest are answered UNAVAILABLE),
   * then sessions end and everything closes.
   */
  shutdown(): Promise<DrainReport>;
  /** Applies a new configuration (see reload.ts for what needs a restart) and reloads every tenant's hooks. */
  reload(options: ServiceOptions): Promise<ConfigChange & { hooksReloaded: number }>;
}

/** How long the last answers of a drain get to reach their clients before the server cuts the connections. */
const FLUSH_MS = 1_000;

export async function startHookService(options: ServiceOptions = {}, registry?: HookRegistry, observe: ObserveOptions = {}): Promise<RunningService> {
  const config = resolveConfig(options);
  const observability = new Observability(serviceLogger(observeSettings(config), observe.logger));
  const log = (line: string) => observability.logger.info(line);
  const store = registry ?? (await FileRegistry.open(config.dataDir));
  const compiler = new ComponentCompiler(config.transpileCacheDir);
  const pool = new WorkerPool({ workersPerTenant: config.workersPerTenant, idleWorkerMs: config.idleWorkerMs, log,
    events: observability.sandbox, metricSchemaOf: (id) => observability.hookMetrics.snapshot(id) });
  const catalog = new HookCatalog(store, compiler, pool, config);
  await catalog.load();
  const dispatcher = new Dispatcher(catalog, pool, config.directorCallTimeoutMs, config.limits.eventsInFlightPerTenant, log);
  observability.attach({
    feed: dispatcher.feed, health: catalog.health,
    inFlight: () => dispatcher.inFlightByTenant(), tenantOfHook: (id) => catalog.tenantOfHook(id),
  });
  dispatcher.onRejected = (source, event, e) => observability.eventRejected(source.tenant, source.daemon.name, event.type, event.id, e);
  const stats = new HookStats(dispatcher.feed);
  // Aborted first on close: long-lived admin streams (Tail) end, or the server's shutdown would wait for them.
  const closing = new AbortController();
  const drain = new Drain();
  const ctx: ServiceContext = { config, catalog, dispatcher, stats, closing: closing.signal, callerOf: authenticator(config.auth), drain };
  const health = new ServiceHealth();

  const server = new Server({
    // A component arrives in one Register message. Up to twice the component limit
    // reaches the catalog, which refuses it with the limit named; beyond that gRPC refuses it.
    'grpc.max_receive_message_length': 2 * config.maxComponentBytes + 1024 * 1024,
    ...grpcServerOptions(config),
  });
  server.addService(lenient(DirectorSessionService), { open: (call: ConstructorParameters<typeof DirectorSession>[1]) => new DirectorSession(ctx, call) });
  server.addService(lenient(DispatchService), admitted(drain, DispatchService, dispatchHandlers(ctx)));
  server.addService(lenient(AdminService), admitted(drain, AdminService, adminHandlers(ctx)));
  health.addToServer(server);
  addReflection(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(config.listen, serverCredentials(config.auth), (e, p) => (e ? reject(e) : resolve(p))));
  const host = config.listen.slice(0, config.listen.lastIndexOf(':'));
  observability.logger.info({ address: `${host}:${port}`, dataDir: config.dataDir, tls: !!config.auth.tls, workersPerTenant: config.workersPerTenant },
    `hook service listening on ${host}:${port} (data ${config.dataDir}, ${config.auth.tls ? 'TLS' : 'plaintext'}, ${config.workersPerTenant} hook thread(s) per tenant)`);

  await observability.listen(observeSettings(config).metricsListen);

  const stopAll = async () => {
    closing.abort();
    await observability.close();
    stats.close();
    await stopServer(server, FLUSH_MS);
    await pool.close();
    await compiler.close();
    await store.close();
  };
  let reloads: Promise<unknown> = Promise.resolve();
  return {
    config, address: `${host}:${port}`, port, catalog, dispatcher, pool, health, drain, observability,
    close: stopAll,
    async shutdown() {
      health.set('NOT_SERVING');
      const report = await drain.run(config.shutdown.drainTimeoutMs);
      await stopAll();
      return report;
    },
    reload(next) {
      const run = reloads.then(async () => {
        // The new level and format are compared and applied; the lines keep going where they go now.
        const log = typeof next.log === 'function' || !next.log ? {} : { level: next.log.level, format: next.log.format };
        const change = applyConfig(ctx, resolveConfig({ ...next, log: { ...log, sink: config.log } }));
        observability.logger.level = config.log.level; // the level changed in place: the logger follows
        let hooksReloaded = 0;
        for (const tenant of new Set(catalog.listAll().map((h) => h.tenant))) hooksReloaded += (await catalog.reload(tenant)).length;
        return { ...change, hooksReloaded };
      });
      reloads = run.catch(() => undefined);
      return run;
    },
  };
}

/** Graceful server stop, then a forced one for calls still open after `graceMs` (health watches never end by themselves). */
function stopServer(server: Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => { server.forceShutdown(); resolve(); }, graceMs);
    server.tryShutdown(() => { clearTimeout(timer); resolve(); });
  });
}

/** grpc-js server options from config.grpc; a 0 leaves grpc-js's default. */
function grpcServerOptions(config: ServiceConfig): Record<string, number> {
  const g = config.grpc;
  const options: Record<string, number> = {
    'grpc.keepalive_time_ms': g.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': g.keepaliveTimeoutMs,
    'grpc.max_connection_idle_ms': g.maxConnectionIdleMs,
    'grpc.max_connection_age_ms': g.maxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': g.maxConnectionAgeGraceMs,
    'grpc.max_concurrent_streams': g.maxConcurrentStreams,
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v > 0));
}
