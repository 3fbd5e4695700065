// SIGHUP: a new configuration applied to the running service, without
// dropping a director session. What the running parts read on every call
// (tokens, limits, log level, drain timeout) changes now; what was built into
// them at start (the listening socket, TLS, threads, the store ...) keeps its
// old value, and is reported as needing a restart.
import { authenticator } from './auth.js';
import type { ServiceConfig } from '../config.js';
import type { ServiceContext } from './service-context.js';

/** Keys a reload applies. Everything else needs a restart. */
export const RELOADABLE_KEYS = [
  'auth.tokens', 'auth.unauthenticatedTenant',
  'limits.defaults', 'limits.tenants', 'limits.ceiling', 'limits.hooksPerTenant',
  'log.level', 'shutdown.drainTimeoutMs',
] as const;

export const RESTART_KEYS = [
  'listen', 'dataDir', 'transpileCacheDir', 'workersPerTenant', 'idleWorkerMs', 'maxComponentBytes', 'directorCallTimeoutMs',
  'suspendAfterFailures', 'suspendBackoffMs', 'auth.tls', 'limits.eventsInFlightPerTenant', 'log.format', 'metrics.listen',
  'grpc.keepaliveTimeMs', 'grpc.keepaliveTimeoutMs', 'grpc.maxConnectionIdleMs', 'grpc.maxConnectionAgeMs',
  'grpc.maxConnectionAgeGraceMs', 'grpc.maxConcurrentStreams',
] as const;

export interface ConfigChange {
  /** Keys whose new value is in effect. */
  applied: string[];
  /** Keys changed in the configuration that keep their old value until a restart. */
  needRestart: string[];
}

const valueAt = (c: ServiceConfig, key: string): unknown => key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], c);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Applies `next` (already resolved, so valid) to the running config and the context's authenticator. */
export function applyConfig(ctx: ServiceContext, next: ServiceConfig): ConfigChange {
  const cur = ctx.config;
  const applied = RELOADABLE_KEYS.filter((k) => !same(valueAt(cur, k), valueAt(next, k)));
  const needRestart = RESTART_KEYS.filter((k) => !same(valueAt(cur, k), valueAt(next, k)));
  // The catalog and the sessions hold this same config object: change it in place.
  cur.auth = { ...next.auth, tls: cur.auth.tls };
  const { eventsInFlightPerTenant } = cur.limits;
  cur.limits = { ...next.limits, eventsInFlightPerTenant };
  cur.log.level = next.log.level;
  cur.shutdown = { ...next.shutdown };
  ctx.callerOf = authenticator(cur.auth);
  return { applied: [...applied], needRestart: [...needRestart] };
}
