// Starts a worker thread from a module next to the caller. Built (.js), the
// module runs as is. From source (.ts, under tsx or vitest) the worker first
// registers tsx's loader: Node 20 does not pass loader hooks on to workers.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

/** tsx's ESM register API, by file (vitest has no import.meta.resolve; require.resolve picks the CJS build). */
const TSX_ESM_API = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;

export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const boot = `import(${JSON.stringify(TSX_ESM_API)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })` +
    '.catch((e) => { setImmediate(() => { throw e; }); });';
  return new Worker(boot, { ...options, eval: true });
}

/** The entry next to `here` with the same extension as `here` (.ts from source, .js built). */
export function siblingModule(here: string, relative: string): URL {
  const ext = here.endsWith('.ts') ? '.ts' : '.js';
  return new URL(relative + ext, here);
}
