// hookd: runs the hook service until SIGTERM/SIGINT (drained, see
// src/server/lifecycle.ts); SIGHUP reloads the configuration and the hooks.
// Configuration: a file (--config or HOOKD_CONFIG), HOOKD_* variables over
// it, flags over both (src/config/load.ts; docs/operations.md lists the keys).
import { parseArgs } from 'node:util';
import { startHookService } from '../server/hook-service.js';
import { handleSignals } from '../server/lifecycle.js';
import { ConfigError, DEFAULTS, resolveConfig, type LogOptions, type ServiceOptions } from '../config.js';
import { loadConfig } from '../config/load.js';
import { effectiveConfigYaml } from '../config/print.js';
import type { ConfigLayer } from '../config/schema.js';

const HELP = `hookd: the hook service for backup directors

Usage: hookd [--config FILE] [--print-config] [--listen host:port] [--data-dir DIR] [--workers-per-tenant N]
             [--tokens FILE] [--tls-cert FILE --tls-key FILE [--tls-client-ca FILE]]
             [--insecure-local-tenant NAME]

  --config FILE             YAML or JSON config file (also HOOKD_CONFIG); HOOKD_<KEY> variables
                            override it, and these flags override both (docs/operations.md)
  --print-config            print the effective configuration (secrets masked) and exit
  --listen                  address to serve gRPC on           (default ${DEFAULTS.listen})
  --data-dir                the embedded store's directory     (default ${DEFAULTS.dataDir})
  --workers-per-tenant      hook threads per tenant            (default 1)

Who may call (at least one of them):
  --tokens FILE             bearer tokens, JSON: [{"tenant": "...", "sha256": "<hex>", "admin": true?}, ...]
                            (hookctl new-token prints an entry; the tokens themselves are not stored)
  --tls-cert FILE           serve TLS with this certificate chain (PEM) ...
  --tls-key FILE            ... and its private key (PEM)
  --tls-client-ca FILE      require client certificates signed by this CA (PEM): mutual TLS,
                            the tenant is the certificate's CN, O=admin makes it an admin
  --insecure-local-tenant   callers without credentials are this tenant (local use only)
  --help                    this text

Signals: SIGTERM/SIGINT drain and stop (shutdown.drainTimeoutMs); SIGHUP reloads the config file and the hooks.
`;

/** Each configuration flag and the key it sets. */
const FLAG_KEYS: { flag: string; path: string[]; numeric?: boolean }[] = [
  { flag: 'listen', path: ['listen'] },
  { flag: 'data-dir', path: ['dataDir'] },
  { flag: 'workers-per-tenant', path: ['workersPerTenant'], numeric: true },
  { flag: 'tokens', path: ['auth', 'tokensFile'] },
  { flag: 'tls-cert', path: ['auth', 'tls', 'cert'] },
  { flag: 'tls-key', path: ['auth', 'tls', 'key'] },
  { flag: 'tls-client-ca', path: ['auth', 'tls', 'clientCa'] },
  { flag: 'insecure-local-tenant', path: ['auth', 'unauthenticatedTenant'] },
];

/** What to do when no way to authenticate is configured: said at once, since it is the first thing a new operator meets. */
const AUTH_FIX = `
  for local use on this host: hookd --insecure-local-tenant local
    (or auth.unauthenticatedTenant: local in the config file, or HOOKD_AUTH_UNAUTHENTICATED_TENANT=local);
  for directors elsewhere: hookctl new-token --tenant NAME, then --tokens FILE (auth.tokensFile), or TLS client certificates.
  Why there is no default: see "Authentication out of the box" in docs/operations.md`;

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        config: { type: 'string' }, 'print-config': { type: 'boolean' },
        ...Object.fromEntries(FLAG_KEYS.map((f) => [f.flag, { type: 'string' as const }])),
        help: { type: 'boolean' },
      },
    }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    process.stderr.write(`hookd: ${(e as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (args.help) return void process.stdout.write(HELP);

  const flags: Record<string, unknown> = {};
  const flagNames = new Map<string, string>();
  for (const f of FLAG_KEYS) {
    const v = args[f.flag];
    if (typeof v !== 'string') continue;
    let node = flags;
    for (const seg of f.path.slice(0, -1)) node = (node[seg] ??= {}) as Record<string, unknown>;
    node[f.path.at(-1)!] = f.numeric && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : v;
    flagNames.set(f.path.join('.'), `--${f.flag}`);
  }
  // The service's logger formats each line (JSON, or pretty text with the time): written as is.
  const sink = (line: string) => process.stderr.write(`${line}\n`);
  /** The configuration from the file and the environment as they are now, the flags as given. */
  const options = (): { loaded: ReturnType<typeof loadConfig>; options: ServiceOptions } => {
    const loaded = loadConfig({ file: args.config as string | undefined, env: process.env, flags: flags as ConfigLayer, flagNames });
    return { loaded, options: { ...loaded.options, log: { ...(loaded.options.log as LogOptions | undefined), sink } } };
  };

  // Until the service is up a SIGHUP would end the process (node's default): say so instead.
  const early = () => process.stderr.write('hookd: SIGHUP while starting: ignored, send it again once hookd listens\n');
  process.on('SIGHUP', early);
  let start;
  try {
    start = options();
    const config = resolveConfig(start.options);
    if (args['print-config']) {
      process.stdout.write(effectiveConfigYaml(start.loaded, config));
      process.exit(0);
    }
  } catch (e) {
    const message = (e as Error).message;
    process.stderr.write(e instanceof ConfigError && !message.startsWith('no way for directors')
      ? `${message.split('\n').map((line) => `hookd: ${line}`).join('\n')}\n`
      : `hookd: cannot start: ${message}${message.startsWith('no way for directors') ? AUTH_FIX : ''}\n`);
    process.exit(1);
  }
  let svc;
  try {
    svc = await startHookService(start.options);
  } catch (e) {
    process.stderr.write(`hookd: cannot start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  process.off('SIGHUP', early);
  const logger = svc.observability.logger;
  handleSignals(svc, { reloadOptions: () => options().options, log: (line) => logger.info(line), exit: (code) => process.exit(code) });
}

await main();
