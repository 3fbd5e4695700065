// Main-thread side of component preparation: world inspection and the on-disk
// transpile cache, keyed by the component's sha256 and the jco version.
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { spawnWorker, siblingModule } from '../sandbox/spawn-worker.js';
import { WorkerChannel } from '../sandbox/worker-channel.js';
import type { CompileApi } from './compile-protocol.js';
import { checkWorld, parseWorldItems, type WorldItems } from './component-check.js';
import type { Grant } from './grants.js';
import { invalidArgument } from '../errors.js';

/** jco's version keys the cache: another jco generates other glue. (jco exports no ./package.json.) */
const JCO_VERSION: string = JSON.parse(readFileSync(
  join(dirname(createRequire(import.meta.url).resolve('@bytecodealliance/jco')), '..', 'package.json'), 'utf8')).version;

export interface TranspiledHook {
  /** Directory holding the generated module and its core wasm files. */
  dir: string;
  /** The module to import, relative to dir. */
  entry: string;
}

export class ComponentCompiler {
  private channel: WorkerChannel<CompileApi> | undefined;
  private inFlight = new Map<string, Promise<TranspiledHook>>();

  constructor(private readonly cacheDir: string) {}

  private get worker(): WorkerChannel<CompileApi> {
    if (!this.channel?.alive) {
      const w = spawnWorker(siblingModule(import.meta.url, './compile-worker'));
      w.unref();
      this.channel = new WorkerChannel<CompileApi>(w);
    }
    return this.channel;
  }

  /** The component's imports and exports, refused with a reason when they are not the hook world's. */
  async checkWorld(bytes: Uint8Array, granted: ReadonlySet<Grant> = new Set()): Promise<WorldItems> {
    let wit: string;
    try {
      ({ wit } = await this.worker.request('inspect', { bytes }));
    } catch (e) {
      throw invalidArgument((e as Error).message);
    }
    const items = parseWorldItems(wit);
    checkWorld(items, granted);
    return items;
  }

  private dirOf(sha256: string) {
    return join(this.cacheDir, `${sha256}-jco${JCO_VERSION}`);
  }

  /** Transpiles once per (sha256, jco version); later calls, and later runs, read the cache. */
  transpiled(sha256: string, bytes: () => Promise<Uint8Array>): Promise<TranspiledHook> {
    const dir = this.dirOf(sha256);
    let p = this.inFlight.get(dir);
    if (!p) {
      p = this.ensure(dir, bytes).finally(() => this.inFlight.delete(dir));
      this.inFlight.set(dir, p);
    }
    return p;
  }

  private async ensure(dir: string, bytes: () => Promise<Uint8Array>): Promise<TranspiledHook> {
    const manifest = join(dir, 'manifest.json');
    if (await access(manifest).then(() => true, () => false)) {
      return { dir, entry: JSON.parse(await readFile(manifest, 'utf8')).entry };
    }
    const { entry, files } = await this.worker.request('transpile', { bytes: await bytes(), outDir: dir });
    await writeFile(manifest, JSON.stringify({ entry, files, jco: JCO_VERSION }));
    return { dir, entry };
  }

  /** Drops a component's cache entry (refused, or no hook uses it any more). */
  async discard(sha256: string): Promise<void> {
    await rm(this.dirOf(sha256), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    await this.channel?.worker.terminate();
  }
}
