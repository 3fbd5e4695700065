// Environment overrides: HOOKD_<KEY PATH> sets one key, the path's segments in
// upper snake case joined by "_" (listen → HOOKD_LISTEN, dataDir →
// HOOKD_DATA_DIR, limits.defaults.deadlineMs → HOOKD_LIMITS_DEFAULTS_DEADLINE_MS).
// Lists and per-tenant maps (auth.tokens, limits.tenants) are file-only.
import { leafPaths, type ConfigLayer } from './schema.js';
import { nearest } from './issues.js';
import { ConfigError } from '../config.js';

export const ENV_PREFIX = 'HOOKD_';
/** Names the config file; not a key of it. */
export const CONFIG_ENV = 'HOOKD_CONFIG';
/** HOOKD_ variables that are not config keys: the file's name, and the worker bundling switch (src/sandbox/worker-bundle.ts). */
const NOT_KEYS = new Set([CONFIG_ENV, 'HOOKD_WORKER_BUNDLE']);

/** The environment variable of a key path, e.g. ["auth", "tls", "clientCa"] → HOOKD_AUTH_TLS_CLIENT_CA. */
export function envName(path: readonly string[]): string {
  return ENV_PREFIX + path.map((seg) => seg.replace(/MiB/g, 'Mib').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

/** Every variable hookd reads, with its key path and whether it holds a number. */
export const ENV_KEYS: { env: string; path: string[]; numeric: boolean }[] = leafPaths().map(({ path, schema }) => ({
  env: envName(path),
  path,
  numeric: (schema._zod.def as { type: string }).type === 'number',
}));

export interface EnvLayer {
  layer: ConfigLayer;
  /** key path ("limits.defaults.deadlineMs") → the variable that set it, for messages. */
  sources: Map<string, string>;
}

/**
 * The layer the HOOKD_* variables make. Values stay strings except where the
 * key is a number and the text is one, so the schema reports "5s" as it was given.
 * An unknown HOOKD_ variable is refused: it is a typo far more often than not.
 */
export function envLayer(env: NodeJS.ProcessEnv): EnvLayer {
  const layer: Record<string, unknown> = {};
  const sources = new Map<string, string>();
  const byName = new Map(ENV_KEYS.map((k) => [k.env, k]));
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || NOT_KEYS.has(name) || raw === undefined) continue;
    const key = byName.get(name);
    if (!key) {
      const near = nearest(name, [...byName.keys(), ...NOT_KEYS]);
      throw new ConfigError(`${name}: not a hookd setting${near ? ` (did you mean ${near}?)` : ''}; the variables are listed in docs/operations.md`);
    }
    const value = key.numeric && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
    let node = layer;
    for (const seg of key.path.slice(0, -1)) node = (node[seg] ??= {}) as Record<string, unknown>;
    node[key.path.at(-1)!] = value;
    sources.set(key.path.join('.'), name);
  }
  return { layer: layer as ConfigLayer, sources };
}
