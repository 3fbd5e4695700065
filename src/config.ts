// Service options, normalised once into a fully defaulted config.
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';

export interface ServiceOptions {
  /** Where the embedded store keeps components, metadata and the transpile cache. */
  dataDir?: string;
  /** Where transpiled components are cached; default <dataDir>/transpiled. */
  transpileCacheDir?: string;
  /** host:port to listen on; port 0 picks a free one. */
  listen?: string;
  /** Worker threads running hooks. */
  workers?: number;
  /** Largest component accepted at registration, in bytes. */
  maxComponentBytes?: number;
  /** How long a hook waits for the director to answer one call. */
  directorCallTimeoutMs?: number;
  /** Tenant of callers that present no credential (authentication comes later). */
  defaultTenant?: string;
  /** Log lines go here; default: nothing. */
  log?: (line: string) => void;
}

export interface ServiceConfig {
  dataDir: string;
  transpileCacheDir: string;
  listen: string;
  workers: number;
  maxComponentBytes: number;
  directorCallTimeoutMs: number;
  defaultTenant: string;
  log: (line: string) => void;
}

export const DEFAULTS = {
  dataDir: '.hooks-data',
  listen: '127.0.0.1:50051',
  maxComponentBytes: 32 * 1024 * 1024,
  directorCallTimeoutMs: 30_000,
  defaultTenant: 'default',
} as const;

export function resolveConfig(o: ServiceOptions = {}): ServiceConfig {
  const workers = o.workers ?? Math.max(2, availableParallelism());
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers must be a whole number ≥ 1, got ${o.workers}`);
  const maxComponentBytes = o.maxComponentBytes ?? DEFAULTS.maxComponentBytes;
  if (!(maxComponentBytes > 0)) throw new Error(`maxComponentBytes must be > 0, got ${o.maxComponentBytes}`);
  const directorCallTimeoutMs = o.directorCallTimeoutMs ?? DEFAULTS.directorCallTimeoutMs;
  if (!(directorCallTimeoutMs > 0)) throw new Error(`directorCallTimeoutMs must be > 0, got ${o.directorCallTimeoutMs}`);
  const listen = o.listen ?? DEFAULTS.listen;
  if (!/^[^\s]+:\d+$/.test(listen)) throw new Error(`listen must be host:port, got "${listen}"`);
  const dataDir = resolve(o.dataDir ?? DEFAULTS.dataDir);
  return {
    dataDir,
    transpileCacheDir: resolve(o.transpileCacheDir ?? join(dataDir, 'transpiled')),
    listen,
    workers,
    maxComponentBytes,
    directorCallTimeoutMs,
    defaultTenant: o.defaultTenant ?? DEFAULTS.defaultTenant,
    log: o.log ?? (() => {}),
  };
}
