// The bridge's configuration file (YAML or JSON): where the hook service is
// and how to authenticate, how long a RunScript may wait for hooks, what to
// do when the service cannot be reached, and how to reach the Director's
// console for the hooks' director calls. Checked with a schema at every run:
// a wrong key fails the RunScript with a message naming the file and the key.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BCONSOLE_DEFAULTS, type BconsoleOptions } from './bconsole.js';
import type { ConnectOptions } from '../client/grpc-clients.js';

export const DEFAULT_BRIDGE_CONFIG_PATH = '/etc/bacula/hooks-bridge.yaml';

const schema = z.strictObject({
  service: z.strictObject({
    /** host:port of the hook service. */
    address: z.string().regex(/^[^\s]+:\d+$/, 'host:port').default('127.0.0.1:50051'),
    /** The tenant's bearer token, inline or in a file (hookctl new-token prints one). */
    token: z.string().min(1).optional(),
    tokenFile: z.string().min(1).optional(),
    /** TLS to the service: the CA (and a client certificate for mutual TLS), PEM file paths. */
    tls: z.strictObject({
      ca: z.string().min(1),
      cert: z.string().min(1).optional(),
      key: z.string().min(1).optional(),
      serverName: z.string().min(1).optional(),
    }).optional(),
  }).default({ address: '127.0.0.1:50051' }),
  /** The longest a RunScript waits for the hooks, connecting included. */
  timeoutMs: z.number().int().positive().default(60_000),
  /**
   * When the service cannot be reached or does not answer in time: the job
   * goes on (fail-open, the default) or fails (fail-closed). Either way the
   * job log says why the hooks did not run.
   */
  unreachable: z.enum(['fail-open', 'fail-closed']).default('fail-open'),
  /** What the hooks read as the director daemon's attributes. */
  director: z.strictObject({
    version: z.string().default(''),
    configFile: z.string().default(''),
    workingDir: z.string().default(''),
  }).default({ version: '', configFile: '', workingDir: '' }),
  /** The console the hooks' run, cancel and does-volume-exist go through. */
  bconsole: z.strictObject({
    path: z.string().min(1).default(BCONSOLE_DEFAULTS.path),
    config: z.string().min(1).default(BCONSOLE_DEFAULTS.config),
    timeoutMs: z.number().int().positive().default(BCONSOLE_DEFAULTS.timeoutMs),
  }).default(BCONSOLE_DEFAULTS),
});

export type BridgeConfigFile = z.infer<typeof schema>;

export interface BridgeConfig {
  address: string;
  connect: ConnectOptions;
  timeoutMs: number;
  unreachable: 'fail-open' | 'fail-closed';
  director: BridgeConfigFile['director'];
  bconsole: BconsoleOptions;
}

export class BridgeConfigError extends Error {
  override readonly name = 'BridgeConfigError';
}

/** Reads, checks and resolves the configuration at `path` (secrets read from their files). */
export function loadBridgeConfig(path: string): BridgeConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BridgeConfigError(`${path}: cannot read the bridge configuration: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (e) {
    throw new BridgeConfigError(`${path}: not YAML or JSON: ${(e as Error).message}`);
  }
  return resolveBridgeConfig(raw, path);
}

export function resolveBridgeConfig(raw: unknown, path = '(inline)'): BridgeConfig {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const key = i.path.join('.') || '(top level)';
      return i.code === 'unrecognized_keys' ? `${key === '(top level)' ? '' : `${key}: `}unknown key(s) ${i.keys.map((k) => `"${k}"`).join(', ')}` : `${key}: ${i.message}`;
    });
    throw new BridgeConfigError(`${path}: ${problems.join('; ')} (keys: service.{address,token,tokenFile,tls}, timeoutMs, unreachable, director, bconsole.{path,config,timeoutMs})`);
  }
  const c = parsed.data;
  const file = (what: string, p: string) => {
    try {
      return readFileSync(p, 'utf8');
    } catch (e) {
      throw new BridgeConfigError(`${path}: ${what} ${p}: ${(e as Error).message}`);
    }
  };
  if (c.service.token && c.service.tokenFile) throw new BridgeConfigError(`${path}: service.token and service.tokenFile: give one of them`);
  const token = c.service.token ?? (c.service.tokenFile ? file('service.tokenFile', c.service.tokenFile).trim() : undefined);
  const tls = c.service.tls && {
    ca: file('service.tls.ca', c.service.tls.ca),
    ...(c.service.tls.cert ? { cert: file('service.tls.cert', c.service.tls.cert) } : {}),
    ...(c.service.tls.key ? { key: file('service.tls.key', c.service.tls.key) } : {}),
    ...(c.service.tls.serverName ? { serverName: c.service.tls.serverName } : {}),
  };
  return {
    address: c.service.address,
    connect: { ...(token ? { token } : {}), ...(tls ? { tls } : {}) },
    timeoutMs: c.timeoutMs,
    unreachable: c.unreachable,
    director: c.director,
    bconsole: c.bconsole,
  };
}
