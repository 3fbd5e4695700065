// hookd's configuration from its three sources, each checked on its own so a
// mistake is reported where it was made: the file (--config or HOOKD_CONFIG,
// YAML or JSON), the HOOKD_* environment, then the flags; later sources win
// key by key. The files the configuration names (tokens, TLS) are read here,
// so the service gets PEM text and token entries, never paths.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, type ServiceOptions, type TokenEntry } from '../config.js';
import { configSchema, type ConfigLayer } from './schema.js';
import { describeIssues, type KeyLabel } from './issues.js';
import { CONFIG_ENV, envLayer } from './env.js';

export interface ConfigSources {
  /** --config FILE; else HOOKD_CONFIG from env; else no file. */
  file?: string;
  env: NodeJS.ProcessEnv;
  /** What the command-line flags set, and which flag set each key path (for messages). */
  flags?: ConfigLayer;
  flagNames?: Map<string, string>;
}

export interface LoadedConfig {
  /** The config file read, absolute; undefined when there is none. */
  file?: string;
  /** Every source merged: what --print-config shows (paths, not contents). */
  layer: ConfigLayer;
  /** The same, with the token and TLS files read: what startHookService takes. */
  options: ServiceOptions;
}

/** Keys holding paths; in a file they are relative to the file's directory. */
const PATH_KEYS: readonly (readonly string[])[] = [
  ['dataDir'], ['transpileCacheDir'], ['auth', 'tokensFile'], ['auth', 'tls', 'cert'], ['auth', 'tls', 'key'], ['auth', 'tls', 'clientCa'],
];

export function loadConfig(sources: ConfigSources): LoadedConfig {
  const fileName = sources.file ?? (sources.env[CONFIG_ENV] || undefined);
  const file = fileName === undefined ? undefined : resolve(fileName);
  const layers: ConfigLayer[] = [];
  if (file) layers.push(relativeTo(dirname(file), checked(readConfigFile(file), (k) => (k ? `${file}: ${k}` : file))));
  const env = envLayer(sources.env);
  layers.push(checked(env.layer, (k) => `${env.sources.get(k) ?? 'HOOKD_*'} (${k})`));
  if (sources.flags) layers.push(checked(sources.flags, (k) => `${sources.flagNames?.get(k) ?? 'flag'} (${k})`));
  const layer = layers.reduce<ConfigLayer>((a, b) => merge(a, b) as ConfigLayer, {});
  return { file, layer, options: serviceOptions(layer) };
}

function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`${file}: cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path given to --config or ${CONFIG_ENV}`);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) throw new ConfigError(`${file}: not valid YAML or JSON: ${doc.errors[0].message}`);
  const value = doc.toJS() as unknown;
  if (value === null || value === undefined) return {}; // an empty file: every default
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${file}: expected a mapping of keys (listen: ..., dataDir: ...), got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`);
  return value;
}

function checked(input: unknown, label: KeyLabel): ConfigLayer {
  const r = configSchema.safeParse(input);
  if (r.success) return r.data;
  throw new ConfigError(describeIssues(r.error.issues, input, label).join('\n'));
}

function relativeTo(dir: string, layer: ConfigLayer): ConfigLayer {
  const out = structuredClone(layer) as Record<string, unknown>;
  for (const keys of PATH_KEYS) {
    let node: Record<string, unknown> | undefined = out;
    for (const k of keys.slice(0, -1)) node = node?.[k] as Record<string, unknown> | undefined;
    const last = keys.at(-1)!;
    if (node && typeof node[last] === 'string' && !isAbsolute(node[last] as string)) node[last] = resolve(dir, node[last] as string);
  }
  return out as ConfigLayer;
}

/** A later layer wins key by key; lists and values are replaced whole. */
function merge(a: unknown, b: unknown): unknown {
  if (!isMap(a) || !isMap(b)) return b === undefined ? a : b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
  return out;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The service's options: token and TLS files read; what needs the whole picture is left to resolveConfig. */
function serviceOptions(c: ConfigLayer): ServiceOptions {
  const { auth, ...rest } = c;
  const o: ServiceOptions = rest as ServiceOptions;
  if (!auth) return o;
  const tokens = [...(auth.tokens ?? []).map((t) => ({ ...t, sha256: t.sha256.toLowerCase() }))];
  if (auth.tokensFile) tokens.push(...parseTokens(auth.tokensFile, readKeyFile('auth.tokensFile', auth.tokensFile)));
  o.auth = {};
  if (auth.tokens || auth.tokensFile) o.auth.tokens = tokens;
  if (auth.unauthenticatedTenant !== undefined) o.auth.unauthenticatedTenant = auth.unauthenticatedTenant;
  const tls = auth.tls;
  if (tls && (tls.cert || tls.key || tls.clientCa)) {
    if (!tls.cert || !tls.key) throw new ConfigError('auth.tls: cert and key go together (--tls-cert and --tls-key): set both, or neither for plaintext');
    o.auth.tls = {
      cert: readKeyFile('auth.tls.cert', tls.cert),
      key: readKeyFile('auth.tls.key', tls.key),
      ...(tls.clientCa ? { clientCa: readKeyFile('auth.tls.clientCa', tls.clientCa) } : {}),
    };
  }
  return o;
}

function readKeyFile(key: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${key}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** A tokens file: the JSON list hookctl new-token prints entries of. The sha256 format is checked by resolveConfig. */
export function parseTokens(path: string, text: string): TokenEntry[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`auth.tokensFile ${path}: not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(v)) throw new ConfigError(`auth.tokensFile ${path}: a JSON array of {"tenant", "sha256", "admin"?} entries`);
  return v.map((t: unknown, i) => {
    const e = t as Record<string, unknown> | null;
    if (!e || typeof e !== 'object' || typeof e.tenant !== 'string' || typeof e.sha256 !== 'string' || (e.admin !== undefined && typeof e.admin !== 'boolean')) {
      throw new ConfigError(`auth.tokensFile ${path}: entry ${i}: {"tenant": string, "sha256": hex string, "admin"?: boolean}`);
    }
    return { tenant: e.tenant, sha256: e.sha256.toLowerCase(), ...(e.admin ? { admin: true } : {}) };
  });
}
