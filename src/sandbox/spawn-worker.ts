// Starts a worker thread from a module next to the caller. Built (.js), the
// module runs as is. From source (.ts, under tsx or vitest) the entry is bundled
// once per process with esbuild into a plain ESM file (see worker-bundle.ts) and
// the worker starts from that: booting a worker through tsx's loader (Node 20
// does not pass loader hooks on to workers) costs ~0.4 s, a plain one ~50 ms.
// If bundling fails the worker registers tsx's loader itself, as before.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { workerBundle } from './worker-bundle.js';

/** tsx's ESM register API, by file (vitest has no import.meta.resolve; require.resolve picks the CJS build). */
const tsxEsmApi = () => pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;

export interface SpawnOptions extends WorkerOptions {
  /**
   * The thread's nice value (Linux: per thread), set first thing in the new
   * thread, before its entry module is loaded. Only raising it (a lower CPU
   * priority) works without privilege. Unset: the thread inherits the
   * spawning thread's.
   */
  niceness?: number;
}

export function spawnWorker(entry: URL, options: SpawnOptions = {}): Worker {
  const { niceness, ...workerOptions } = options;
  const source = entry.pathname.endsWith('.ts');
  const runnable = source ? workerBundle(entry) : entry;
  // A worker inherits the process's execArgv; tsx's preloads in it would load
  // tsx in every worker that no longer needs it (+0.1 s per start).
  if (source && runnable && !workerOptions.execArgv) workerOptions.execArgv = withoutTsx(process.execArgv);
  if (runnable && niceness === undefined) return new Worker(runnable, workerOptions);
  // An eval'd boot script (CommonJS): set the nice value, then import the entry.
  const load = runnable
    ? `import(${JSON.stringify(runnable.href)})`
    : `import(${JSON.stringify(tsxEsmApi())}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  const boot = (niceness === undefined ? '' : `${niceBoot(niceness)}\n`) +
    `${load}.catch((e) => { setImmediate(() => { throw e; }); });`;
  return new Worker(boot, { ...workerOptions, eval: true });
}

/** execArgv without the preloads (--require, --import, --loader) of tsx's own files. */
export function withoutTsx(argv: readonly string[]): string[] {
  const preload = /^(--require|-r|--import|--loader|--experimental-loader)$/;
  const isTsx = (v: string) => /[\\/]tsx[\\/]|^tsx(\/|$)/.test(v);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = /^(--[a-z-]+)=(.*)$/.exec(a);
    if (eq && preload.test(eq[1]) && isTsx(eq[2])) continue;
    if (preload.test(a) && i + 1 < argv.length && isTsx(argv[i + 1])) {
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

function niceBoot(niceness: number): string {
  if (!Number.isInteger(niceness) || niceness < -20 || niceness > 19) throw new RangeError(`niceness must be an integer from -20 to 19, not ${niceness}`);
  // os.setPriority(0, n) is setpriority(PRIO_PROCESS, 0, n): on Linux, the calling thread only.
  return `try { require('node:os').setPriority(0, ${niceness}); } catch (e) { process.emitWarning('worker thread: cannot set its nice value to ${niceness}: ' + e.message); }`;
}

/** The entry next to `here` with the same extension as `here` (.ts from source, .js built). */
export function siblingModule(here: string, relative: string): URL {
  const ext = here.endsWith('.ts') ? '.ts' : '.js';
  return new URL(relative + ext, here);
}
