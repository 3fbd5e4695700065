// hookd: runs the hook service until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startHookService } from '../server/hook-service.js';
import { DEFAULTS } from '../config.js';

const HELP = `hookd: the hook service for backup directors

Usage: hookd [--listen host:port] [--data-dir DIR] [--workers-per-tenant N] [--insecure-local-tenant NAME]

  --listen                  address to serve gRPC on           (default ${DEFAULTS.listen})
  --data-dir                the embedded store's directory     (default ${DEFAULTS.dataDir})
  --workers-per-tenant      hook threads per tenant            (default 1)
  --insecure-local-tenant   serve plaintext without credentials, every caller this tenant (local use only)
  --help                    this text
`;

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        listen: { type: 'string' }, 'data-dir': { type: 'string' }, 'workers-per-tenant': { type: 'string' },
        'insecure-local-tenant': { type: 'string' }, help: { type: 'boolean' },
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
      auth: { unauthenticatedTenant: args['insecure-local-tenant'] },
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

await main();
