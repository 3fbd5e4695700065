// The shape of hookd's configuration (file, environment and flags alike),
// checked with zod: every key known, every value of its type. Defaults and
// the checks that need the whole picture (is there a way to authenticate?)
// stay in resolveConfig (src/config.ts), shared with programmatic use.
import { z } from 'zod';
import { LOG_FORMATS, LOG_LEVELS } from '../config.js';

// Each message completes "<key>: expected ..., got <value>".
const wholePositive = (what = 'a whole number > 0') => z.number({ error: what }).int({ error: what }).positive({ error: what });
const wholeOrZero = (what = 'a whole number ≥ 0 (0: off)') => z.number({ error: what }).int({ error: what }).nonnegative({ error: what });
const hostPort = (what = 'host:port (e.g. 127.0.0.1:50051)') => z.string({ error: what }).regex(/^[^\s]+:\d+$/, { error: what });
const path = (what = 'a file path') => z.string({ error: what }).min(1, { error: what });
const name = (what = 'a non-empty name') => z.string({ error: what }).min(1, { error: what });

const limitSet = z.strictObject({
  deadlineMs: wholePositive(),
  memoryMiB: wholePositive(),
  reportLines: wholePositive(),
  reportBytes: wholePositive(),
  directorCalls: wholePositive(),
}).partial();

const tokenEntry = z.strictObject({
  tenant: name('the tenant name'),
  sha256: z.string({ error: "the token's sha256, 64 hex digits" })
    .regex(/^[0-9a-fA-F]{64}$/, { error: "the token's sha256 as 64 hex digits (hookctl new-token prints it), not the token itself" }),
  admin: z.boolean({ error: 'true or false' }).optional(),
});

export const configSchema = z.strictObject({
  listen: hostPort(),
  dataDir: path('a directory path'),
  transpileCacheDir: path('a directory path'),
  workersPerTenant: wholePositive(),
  idleWorkerMs: wholePositive(),
  maxComponentBytes: wholePositive(),
  directorCallTimeoutMs: wholePositive(),
  suspendAfterFailures: wholeOrZero('a whole number ≥ 0 (0: never suspend)'),
  suspendBackoffMs: wholePositive(),
  auth: z.strictObject({
    /** Inline entries, as hookctl new-token prints them. */
    tokens: z.array(tokenEntry, { error: 'a list of {tenant, sha256, admin?} entries' }),
    /** A JSON file holding such a list (hookd --tokens). */
    tokensFile: path(),
    tls: z.strictObject({ cert: path('a PEM file path'), key: path('a PEM file path'), clientCa: path('a PEM file path') }).partial(),
    unauthenticatedTenant: name('a tenant name'),
  }).partial(),
  limits: z.strictObject({
    defaults: limitSet,
    tenants: z.record(z.string(), limitSet, { error: 'a map of tenant name → limits' }),
    ceiling: limitSet,
    hooksPerTenant: wholePositive(),
    eventsInFlightPerTenant: wholePositive(),
  }).partial(),
  metrics: z.strictObject({
    listen: z.union([z.literal(''), hostPort()], { error: 'host:port, or "" for no metrics endpoint' }),
  }).partial(),
  log: z.strictObject({
    level: z.enum(LOG_LEVELS as [string, ...string[]], { error: `one of ${LOG_LEVELS.join(', ')}` }),
    format: z.enum(LOG_FORMATS as [string, ...string[]], { error: `one of ${LOG_FORMATS.join(', ')}` }),
  }).partial(),
  shutdown: z.strictObject({ drainTimeoutMs: wholePositive() }).partial(),
  grpc: z.strictObject({
    keepaliveTimeMs: wholeOrZero(),
    keepaliveTimeoutMs: wholeOrZero(),
    maxConnectionIdleMs: wholeOrZero(),
    maxConnectionAgeMs: wholeOrZero(),
    maxConnectionAgeGraceMs: wholeOrZero(),
    maxConcurrentStreams: wholeOrZero(),
  }).partial(),
}).partial();

/** One layer of configuration (a file, the environment, the flags), every key optional. */
export type ConfigLayer = z.infer<typeof configSchema>;

/** The schema under a key path (through objects, records and lists), to list the keys known there. */
export function schemaAt(keys: readonly PropertyKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = configSchema;
  for (const k of keys) {
    s = unwrap(s);
    const def = s?._zod.def as { type: string; shape?: Record<string, z.ZodType>; valueType?: z.ZodType; element?: z.ZodType } | undefined;
    if (def?.type === 'object') s = def.shape![String(k)];
    else if (def?.type === 'record') s = def.valueType;
    else if (def?.type === 'array') s = def.element;
    else return undefined;
  }
  return unwrap(s);
}

/** The keys an object schema knows. */
export function knownKeys(s: z.ZodType | undefined): string[] {
  const def = unwrap(s)?._zod.def as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' ? Object.keys(def.shape!) : [];
}

function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  while (s && (s._zod.def as { type: string }).type === 'optional') s = (s._zod.def as unknown as { innerType: z.ZodType }).innerType;
  return s;
}

/** Every leaf key path of the schema outside records and lists: what an environment variable can set. */
export function leafPaths(s: z.ZodType = configSchema, at: string[] = []): { path: string[]; schema: z.ZodType }[] {
  const u = unwrap(s)!;
  const def = u._zod.def as { type: string; shape?: Record<string, z.ZodType> };
  if (def.type === 'record' || def.type === 'array') return [];
  if (def.type !== 'object') return [{ path: at, schema: u }];
  return Object.entries(def.shape!).flatMap(([k, v]) => leafPaths(v, [...at, k]));
}
