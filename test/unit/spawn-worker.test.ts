// spawnWorker: a .ts entry runs from an esbuild bundle (no tsx in the worker),
// an entry the bundle would break runs through tsx, and `niceness` lowers the
// priority of the worker's thread only.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { spawnWorker, siblingModule, withoutTsx } from '../../src/sandbox/spawn-worker.js';
import { workerBundle } from '../../src/sandbox/worker-bundle.js';
import { currentTid, niceOf } from '../../src/sandbox/thread-priority.js';

interface Report { tid?: number; nice?: number; execArgv: string[]; stack: string }

const reportWorker = new URL('./fixtures/thread-report-worker.ts', import.meta.url);
const linux = process.platform === 'linux';

/** The worker's first message; `meanwhile` runs while it is still alive. */
async function firstMessage<T>(w: Worker, meanwhile: (m: T) => void = () => {}): Promise<T> {
  try {
    const m = await new Promise<T>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`worker exited (${code}) before answering`)));
    });
    meanwhile(m);
    return m;
  } finally {
    await w.terminate();
  }
}

/** Nice value of every thread of this process, by TID. */
function niceByTid(): Map<number, number | undefined> {
  return new Map(readdirSync('/proc/self/task').map((t) => [Number(t), niceOf(Number(t))]));
}

describe('bundled worker entries', () => {
  it('bundles a .ts entry once into a plain .mjs under node_modules/.cache/hookd-workers, the same file on every call', () => {
    const a = workerBundle(siblingModule(new URL('../../src/sandbox/hook-thread.ts', import.meta.url).href, './worker/hook-worker'));
    expect(a?.href).toMatch(/\/node_modules\/\.cache\/hookd-workers\/hook-worker-[0-9a-f]{20}\.mjs$/);
    const file = fileURLToPath(a!);
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/import\.meta/);
    // npm packages and node builtins stay imports; our own modules are inlined.
    expect(text).not.toMatch(/from ["']\.\.?\//);
    expect(workerBundle(new URL('../../src/sandbox/worker/hook-worker.ts', import.meta.url))?.href).toBe(a!.href);
  });

  it('starts the worker from the bundle, without tsx preloaded in it', async () => {
    const r = await firstMessage<Report>(spawnWorker(reportWorker));
    expect(r.stack).toMatch(/hookd-workers\/thread-report-worker-[0-9a-f]{20}\.mjs/);
    expect(r.execArgv.join(' ')).not.toMatch(/[\\/]tsx[\\/]/);
  });

  it('runs an entry that uses import.meta through tsx instead (its URL stays the source file)', async () => {
    const entry = new URL('./fixtures/import-meta-worker.ts', import.meta.url);
    expect(workerBundle(entry)).toBeUndefined();
    const r = await firstMessage<{ url: string }>(spawnWorker(entry));
    expect(r.url).toBe(entry.href);
  });

  it('drops only tsx preloads from the inherited execArgv', () => {
    expect(withoutTsx([
      '--require', '/r/node_modules/tsx/dist/preflight.cjs', '--import', 'file:///r/node_modules/tsx/dist/loader.mjs',
      '--import=tsx', '--max-old-space-size=512', '--require', './other.cjs', '--enable-source-maps',
    ])).toEqual(['--max-old-space-size=512', '--require', './other.cjs', '--enable-source-maps']);
  });
});

describe.runIf(linux)('niceness', () => {
  it('reads this thread\'s id and nice value from /proc', () => {
    expect(currentTid()).toBe(process.pid); // the main thread's TID is the PID
    expect(niceOf(process.pid)).toBeTypeOf('number');
  });

  it('a worker spawned with niceness runs at that nice value; the main thread keeps its own', async () => {
    const main = niceOf(process.pid)!;
    const target = Math.min(19, main + 7);
    let threads = new Map<number, number | undefined>();
    const r = await firstMessage<Report>(spawnWorker(reportWorker, { niceness: target }), () => { threads = niceByTid(); });
    expect(r.stack).toMatch(/hookd-workers\//); // the bundle, with the nice boot in front of it
    expect(r.tid).toBeTypeOf('number');
    expect(r.tid).not.toBe(process.pid);
    expect(r.nice).toBe(target);
    // Seen from outside the worker too, and only on its thread: the main thread
    // and every other thread of the process (V8's, libuv's) keep their value.
    expect(threads.get(r.tid!)).toBe(target);
    expect(niceOf(process.pid)).toBe(main);
    const others = [...threads].filter(([tid]) => tid !== r.tid);
    expect(others.length).toBeGreaterThan(1);
    for (const [tid, nice] of others) expect({ tid, nice }).toEqual({ tid, nice: main });
  });

  it('a worker spawned without it inherits the spawning thread\'s nice value', async () => {
    const r = await firstMessage<Report>(spawnWorker(reportWorker));
    expect(r.nice).toBe(niceOf(process.pid));
  });

  it('refuses a nice value out of range', () => {
    expect(() => spawnWorker(reportWorker, { niceness: 40 })).toThrow(RangeError);
  });
});
