// hookd: runs the hook service until SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startHookService } from '../server/hook-service.js';
import { DEFAULTS, type AuthOptions, type TokenEntry } from '../config.js';

const HELP = `hookd: the hook service for backup directors

Usage: hookd [--listen host:port] [--data-dir DIR] [--workers-per-tenant N]
             [--tokens FILE] [--tls-cert FILE --tls-key FILE [--tls-client-ca FILE]]
             [--insecure-local-tenant NAME]

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
`;

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        listen: { type: 'string' }, 'data-dir': { type: 'string' }, 'workers-per-tenant': { type: 'string' },
        'insecure-local-tenant': { type: 'string' }, tokens: { type: 'string' },
        'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'tls-client-ca': { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`hookd: ${(e as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (args.help) return void process.stdout.write(HELP);
  const workersPerTenant = args['workers-per-tenant'] !== undefined ? Number(args['workers-per-tenant']) : undefined;
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  let svc;
  try {
    svc = await startHookService({
      listen: args.listen, dataDir: args['data-dir'], workersPerTenant, log,
      auth: authOptions(args),
    });
  } catch (e) {
    process.stderr.write(`hookd: cannot start: ${(e as Error).message}\n`);
    process.exit(1);
  }
  const stop = async (signal: string) => {
    log(`${signal}: shutting down`);
    await svc.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/** The auth options from the flags; a file that cannot be read or parsed is refused with its name. */
function authOptions(args: Record<string, string | boolean | undefined>): AuthOptions {
  const file = (flag: string) => {
    const path = args[flag] as string;
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      throw new Error(`--${flag} ${path}: ${(e as Error).message}`);
    }
  };
  const auth: AuthOptions = {};
  if (args.tokens !== undefined) auth.tokens = parseTokens(args.tokens as string, file('tokens'));
  const [cert, key, ca] = [args['tls-cert'], args['tls-key'], args['tls-client-ca']];
  if ((cert === undefined) !== (key === undefined)) throw new Error('--tls-cert and --tls-key go together');
  if (ca !== undefined && cert === undefined) throw new Error('--tls-client-ca needs --tls-cert and --tls-key (client certificates are checked over TLS)');
  if (cert !== undefined) auth.tls = { cert: file('tls-cert'), key: file('tls-key'), ...(ca !== undefined ? { clientCa: file('tls-client-ca') } : {}) };
  if (args['insecure-local-tenant'] !== undefined) auth.unauthenticatedTenant = args['insecure-local-tenant'] as string;
  return auth;
}

function parseTokens(path: string, text: string): TokenEntry[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`--tokens ${path}: not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(v)) throw new Error(`--tokens ${path}: a JSON array of {"tenant", "sha256", "admin"?} entries`);
  return v.map((t: unknown, i) => {
    const e = t as Record<string, unknown> | null;
    if (!e || typeof e !== 'object' || typeof e.tenant !== 'string' || typeof e.sha256 !== 'string' || (e.admin !== undefined && typeof e.admin !== 'boolean')) {
      throw new Error(`--tokens ${path}: entry ${i}: {"tenant": string, "sha256": hex string, "admin"?: boolean}`);
    }
    return { tenant: e.tenant, sha256: e.sha256.toLowerCase(), ...(e.admin ? { admin: true } : {}) };
  });
}

await main();
