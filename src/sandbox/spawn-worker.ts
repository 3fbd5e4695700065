// Starts a worker thread from a module next to the caller. Built (.js), the
// module runs as is. From source (.ts, under tsx or vitest) the worker first
// registers tsx's loader: Node 20 does not pass loader hooks on to workers.
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })` +
    '.catch((e) => { setImmediate(() => { throw e; }); });';
  return new Worker(boot, { ...options, eval: true });
}

/** The entry next to `here` with the same extension as `here` (.ts from source, .js built). */
export function siblingModule(here: string, relative: string): URL {
  const ext = here.endsWith('.ts') ? '.ts' : '.js';
  return new URL(relative + ext, here);
}
