// Service options, normalised once into a fully defaulted config; a wrong
// combination is refused with a message that says what to change.
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';

/** A bearer token a director or an operator presents; only its sha256 is stored. */
export interface TokenEntry {
  tenant: string;
  /** sha256 of the token, hex. */
  sha256: string;
  /** Admin calls of an admin token see and change every tenant's hooks. */
  admin?: boolean;
}

export interface TlsOptions {
  /** The server's certificate chain and key, PEM. */
  cert: string;
  key: string;
  /** CA (PEM) that signs director client certificates; when set, clients must present one (mutual TLS). */
  clientCa?: string;
}

export interface AuthOptions {
  tokens?: TokenEntry[];
  tls?: TlsOptions;
  /**
   * Plaintext without credentials, every caller this tenant: for local use
   * (the demo, tests, a director on the same host) and only when set.
   */
  unauthenticatedTenant?: string;
}

/** What one hook may use per event. */
export interface LimitSet {
  /** Wall-clock time one hook may take on one event. */
  deadlineMs: number;
  /** Linear memory of each of the hook's core modules, MiB. */
  memoryMiB: number;
  /** Report lines and bytes per hook per event; the rest is dropped with a marker line. */
  reportLines: number;
  reportBytes: number;
  /** Director calls per hook per event. */
  directorCalls: number;
}

export interface LimitsOptions {
  /** Defaults for every tenant's hooks. */
  defaults?: Partial<LimitSet>;
  /** Per-tenant defaults, over the service defaults. */
  tenants?: Record<string, Partial<LimitSet>>;
  /** No hook gets more than this, whatever it asks for. */
  ceiling?: Partial<LimitSet>;
  hooksPerTenant?: number;
  eventsInFlightPerTenant?: number;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

export interface LogOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where plain log lines go; default: nothing. */
  sink?: (line: string) => void;
}

/**
 * The service's log: callable with a line (what every module does today) and
 * carrying the configured level and format (what the structured logger reads).
 * A SIGHUP reload changes level in place.
 */
export type ServiceLog = ((line: string) => void) & { level: LogLevel; format: LogFormat };

export interface MetricsOptions {
  /** host:port of the Prometheus endpoint; "" turns it off. */
  listen?: string;
}

export interface ShutdownOptions {
  /** On SIGTERM, how long events in flight may take to finish before the rest are answered UNAVAILABLE. */
  drainTimeoutMs?: number;
}

/** gRPC server transport settings; 0 leaves a setting off (grpc-js's own default). */
export interface GrpcOptions {
  /** Ping an idle connection after this long, to find directors that vanished. */
  keepaliveTimeMs?: number;
  /** A ping unanswered for this long closes the connection. */
  keepaliveTimeoutMs?: number;
  /** Close a connection without calls for this long. */
  maxConnectionIdleMs?: number;
  /** Close any connection this old (clients reconnect; spreads load after scaling). */
  maxConnectionAgeMs?: number;
  /** Calls still open on a connection past its age get this long to finish. */
  maxConnectionAgeGraceMs?: number;
  /** Concurrent calls per connection. */
  maxConcurrentStreams?: number;
}

export interface ServiceOptions {
  /** Where the embedded store keeps components, metadata and the transpile cache. */
  dataDir?: string;
  /** Where transpiled components are cached; default <dataDir>/transpiled. */
  transpileCacheDir?: string;
  /** host:port to listen on; port 0 picks a free one. */
  listen?: string;
  /** Worker threads per tenant running its hooks. */
  workersPerTenant?: number;
  /** A tenant's workers stop after this long without an event. */
  idleWorkerMs?: number;
  /** Largest component accepted at registration, in bytes. */
  maxComponentBytes?: number;
  /** How long a hook waits for the director to answer one call. */
  directorCallTimeoutMs?: number;
  /** Consecutive failures that suspend a hook; 0 never suspends. */
  suspendAfterFailures?: number;
  /** First suspension; it doubles with each suspension in a row, up to an hour. */
  suspendBackoffMs?: number;
  auth?: AuthOptions;
  limits?: LimitsOptions;
  /** Log lines go to this function (default: nothing), or the log's level, format and sink. */
  log?: ((line: string) => void) | LogOptions;
  metrics?: MetricsOptions;
  shutdown?: ShutdownOptions;
  grpc?: GrpcOptions;
}

export interface ServiceConfig {
  dataDir: string;
  transpileCacheDir: string;
  listen: string;
  workersPerTenant: number;
  idleWorkerMs: number;
  maxComponentBytes: number;
  directorCallTimeoutMs: number;
  suspendAfterFailures: number;
  suspendBackoffMs: number;
  auth: AuthOptions;
  limits: {
    defaults: LimitSet;
    tenants: Record<string, Partial<LimitSet>>;
    ceiling: LimitSet;
    hooksPerTenant: number;
    eventsInFlightPerTenant: number;
  };
  log: ServiceLog;
  metrics: Required<MetricsOptions>;
  shutdown: Required<ShutdownOptions>;
  grpc: Required<GrpcOptions>;
}

export const DEFAULT_LIMITS: LimitSet = {
  deadlineMs: 5_000,
  memoryMiB: 64,
  reportLines: 200,
  reportBytes: 64 * 1024,
  directorCalls: 64,
};

export const CEILING_LIMITS: LimitSet = {
  deadlineMs: 60_000,
  memoryMiB: 512,
  reportLines: 10_000,
  reportBytes: 1024 * 1024,
  directorCalls: 1_000,
};

export const DEFAULTS = {
  dataDir: '.hooks-data',
  listen: '127.0.0.1:50051',
  maxComponentBytes: 32 * 1024 * 1024,
  directorCallTimeoutMs: 30_000,
  idleWorkerMs: 10 * 60_000,
  suspendAfterFailures: 5,
  suspendBackoffMs: 30_000,
  hooksPerTenant: 64,
  eventsInFlightPerTenant: 1_000,
  logLevel: 'info' as LogLevel,
  logFormat: 'json' as LogFormat,
  /** Off unless configured: tests and embedders start many services on one host. */
  metricsListen: '',
  /** Below systemd's TimeoutStopSec (deploy/hookd.service) and Docker's --stop-timeout (docs/operations.md). */
  drainTimeoutMs: 20_000,
  grpc: {
    keepaliveTimeMs: 60_000,
    keepaliveTimeoutMs: 20_000,
    maxConnectionIdleMs: 0,
    maxConnectionAgeMs: 0,
    maxConnectionAgeGraceMs: 0,
    maxConcurrentStreams: 0,
  } satisfies Required<GrpcOptions>,
} as const;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const positive = (name: string, v: number | undefined, fallback: number, { integer = true, zero = false } = {}) => {
  const x = v ?? fallback;
  if (!Number.isFinite(x) || (integer && !Number.isInteger(x)) || x < 0 || (!zero && x === 0)) {
    throw new ConfigError(`${name} must be a ${integer ? 'whole ' : ''}number ${zero ? '≥ 0' : '> 0'}, got ${v}`);
  }
  return x;
};

function limitSet(name: string, base: LimitSet, over: Partial<LimitSet> = {}): LimitSet {
  const out = { ...base };
  for (const [k, v] of Object.entries(over) as [keyof LimitSet, number | undefined][]) {
    if (!(k in base)) throw new ConfigError(`${name}.${k}: unknown limit (known: ${Object.keys(base).join(', ')})`);
    if (v !== undefined) out[k] = positive(`${name}.${k}`, v, base[k]);
  }
  return out;
}

function checkAuth(a: AuthOptions): AuthOptions {
  if (!a.tokens?.length && !a.tls && a.unauthenticatedTenant === undefined) {
    throw new ConfigError('no way for directors to authenticate: configure auth.tokens or auth.tls (client certificates), ' +
      'or set auth.unauthenticatedTenant for local use without credentials');
  }
  for (const [i, t] of (a.tokens ?? []).entries()) {
    if (!/^[0-9a-f]{64}$/.test(t.sha256)) throw new ConfigError(`auth.tokens[${i}].sha256: the token's sha256 as 64 hex digits, not the token itself`);
    if (!t.tenant) throw new ConfigError(`auth.tokens[${i}].tenant: required`);
  }
  if (a.tls && (!a.tls.cert || !a.tls.key)) throw new ConfigError('auth.tls needs both cert and key (PEM)');
  if (a.tls && !a.tls.clientCa && !a.tokens?.length && a.unauthenticatedTenant === undefined) {
    // TLS alone encrypts but names no tenant: every call would be refused.
    throw new ConfigError('auth.tls without auth.tls.clientCa authenticates no one: add auth.tls.clientCa (client certificates) or auth.tokens');
  }
  if (a.unauthenticatedTenant === '') throw new ConfigError('auth.unauthenticatedTenant: name a tenant');
  return a;
}

const HOST_PORT = /^[^\s]+:\d+$/;

function serviceLog(o: ServiceOptions['log']): ServiceLog {
  const opts: LogOptions = typeof o === 'function' ? { sink: o } : o ?? {};
  const level = opts.level ?? DEFAULTS.logLevel;
  const format = opts.format ?? DEFAULTS.logFormat;
  if (!LOG_LEVELS.includes(level)) throw new ConfigError(`log.level must be one of ${LOG_LEVELS.join(', ')}, got "${level}"`);
  if (!LOG_FORMATS.includes(format)) throw new ConfigError(`log.format must be one of ${LOG_FORMATS.join(', ')}, got "${format}"`);
  const sink = opts.sink ?? (() => {});
  return Object.assign((line: string) => sink(line), { level, format });
}

function grpcSettings(o: GrpcOptions = {}): Required<GrpcOptions> {
  const out = { ...DEFAULTS.grpc };
  for (const k of Object.keys(out) as (keyof GrpcOptions)[]) {
    if (o[k] !== undefined) out[k] = positive(`grpc.${k}`, o[k], out[k], { zero: true });
  }
  return out;
}

export function resolveConfig(o: ServiceOptions = {}): ServiceConfig {
  const listen = o.listen ?? DEFAULTS.listen;
  if (!HOST_PORT.test(listen)) throw new ConfigError(`listen must be host:port, got "${listen}"`);
  const metricsListen = o.metrics?.listen ?? DEFAULTS.metricsListen;
  if (metricsListen !== '' && !HOST_PORT.test(metricsListen)) throw new ConfigError(`metrics.listen must be host:port, or "" for no metrics endpoint, got "${metricsListen}"`);
  const dataDir = resolve(o.dataDir ?? DEFAULTS.dataDir);
  const ceiling = limitSet('limits.ceiling', CEILING_LIMITS, o.limits?.ceiling);
  const defaults = limitSet('limits.defaults', DEFAULT_LIMITS, o.limits?.defaults);
  for (const [tenant, set] of Object.entries(o.limits?.tenants ?? {})) limitSet(`limits.tenants.${tenant}`, defaults, set);
  return {
    dataDir,
    transpileCacheDir: resolve(o.transpileCacheDir ?? join(dataDir, 'transpiled')),
    listen,
    workersPerTenant: positive('workersPerTenant', o.workersPerTenant, 1),
    idleWorkerMs: positive('idleWorkerMs', o.idleWorkerMs, DEFAULTS.idleWorkerMs),
    maxComponentBytes: positive('maxComponentBytes', o.maxComponentBytes, DEFAULTS.maxComponentBytes),
    directorCallTimeoutMs: positive('directorCallTimeoutMs', o.directorCallTimeoutMs, DEFAULTS.directorCallTimeoutMs),
    suspendAfterFailures: positive('suspendAfterFailures', o.suspendAfterFailures, DEFAULTS.suspendAfterFailures, { zero: true }),
    suspendBackoffMs: positive('suspendBackoffMs', o.suspendBackoffMs, DEFAULTS.suspendBackoffMs),
    auth: checkAuth(o.auth ?? {}),
    limits: {
      defaults,
      tenants: o.limits?.tenants ?? {},
      ceiling,
      hooksPerTenant: positive('limits.hooksPerTenant', o.limits?.hooksPerTenant, DEFAULTS.hooksPerTenant),
      eventsInFlightPerTenant: positive('limits.eventsInFlightPerTenant', o.limits?.eventsInFlightPerTenant, DEFAULTS.eventsInFlightPerTenant),
    },
    log: serviceLog(o.log),
    metrics: { listen: metricsListen },
    shutdown: { drainTimeoutMs: positive('shutdown.drainTimeoutMs', o.shutdown?.drainTimeoutMs, DEFAULTS.drainTimeoutMs) },
    grpc: grpcSettings(o.grpc),
  };
}

/** The limits a hook gets: its request, else its tenant's default, else the service's; never above the ceiling. */
export function effectiveLimits(config: ServiceConfig, tenant: string, requested: Partial<LimitSet> = {}): LimitSet {
  const base = { ...config.limits.defaults, ...config.limits.tenants[tenant] };
  const out = { ...base };
  for (const k of Object.keys(base) as (keyof LimitSet)[]) {
    const want = requested[k] || base[k];
    out[k] = Math.min(want, config.limits.ceiling[k]);
  }
  return out;
}
