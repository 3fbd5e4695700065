// hookd: runs the hook service until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startHookService } from '../server/hook-service.js';
import { DEFAULTS } from '../config.js';

const HELP = `hookd: the hook service for backup directors

Usage: hookd [--listen host:port] [--data-dir DIR] [--workers N]

  --listen      address to serve gRPC on        (default ${DEFAULTS.listen})
  --data-dir    the embedded store's directory  (default ${DEFAULTS.dataDir})
  --workers     hook worker threads             (default: number of cores, at least 2)
  --help        this text
`;

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        listen: { type: 'string' }, 'data-dir': { type: 'string' }, workers: { type: 'string' }, help: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`hookd: ${(e as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (args.help) return void process.stdout.write(HELP);
  const workers = args.workers !== undefined ? Number(args.workers) : undefined;
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  let svc;
  try {
    svc = await startHookService({ listen: args.listen, dataDir: args['data-dir'], workers, log });
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
