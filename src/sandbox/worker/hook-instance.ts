// One live instance of a hook component inside a worker: the jco-generated
// module instantiated with a fresh import object, and its event exports.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostImports, type Grants } from '../../capabilities/host-imports.js';
import type { Invocation, InvocationSlot } from '../../capabilities/invocation.js';
import { EVENT_EXPORTS } from '../../components/world.js';
import { capMemory } from '../../components/memory-cap.js';

type EventExports = Record<(typeof EVENT_EXPORTS)[number], (job?: object) => unknown>;

interface GeneratedModule {
  instantiate(
    getCoreModule: (path: string) => Promise<WebAssembly.Module>,
    imports: Record<string, object>,
    instantiateCore: (m: WebAssembly.Module, imports: WebAssembly.Imports) => Promise<WebAssembly.Instance>,
  ): Promise<Record<string, unknown>>;
}

/** Compiled core modules of one transpiled component, shared by all its instances in this worker. */
export class CompiledHook {
  private modules = new Map<string, Promise<WebAssembly.Module>>();
  private generated: Promise<GeneratedModule>;

  /** @param maxPages the cap on each core module's linear memory, in 64 KiB pages */
  constructor(readonly dir: string, entry: string, private readonly maxPages: number) {
    this.generated = import(pathToFileURL(join(dir, entry)).href) as Promise<GeneratedModule>;
  }

  private core = (path: string) => {
    let m = this.modules.get(path);
    if (!m) {
      m = readFile(join(this.dir, path)).then((b) => WebAssembly.compile(capMemory(b, this.maxPages) as Uint8Array<ArrayBuffer>));
      this.modules.set(path, m);
    }
    return m;
  };

  async instantiate(grants: Grants): Promise<HookInstance> {
    const slot: InvocationSlot = { current: undefined };
    const { imports, finishEvent } = hostImports(slot, grants);
    const memories = new Set<WebAssembly.Memory>();
    // Each core instance's own memory is noted, for the worker's memory report (the backstop).
    const instantiateCore = async (m: WebAssembly.Module, imp: WebAssembly.Imports) => {
      const inst = await WebAssembly.instantiate(m, imp);
      for (const v of Object.values(inst.exports)) if (v instanceof WebAssembly.Memory) memories.add(v);
      return inst;
    };
    const exports = await (await this.generated).instantiate(this.core, imports, instantiateCore);
    const key = Object.keys(exports).find((k) => k.startsWith('bacula:hooks/events@')) ?? 'events';
    const events = exports[key] as EventExports | undefined;
    const missing = EVENT_EXPORTS.filter((f) => typeof events?.[f] !== 'function');
    if (missing.length) throw new Error(`the component's events export lacks ${missing.join(', ')}`);
    const Job = (imports['bacula:hooks/job'] as { Job: new () => object }).Job;
    const job = new Job();
    // jco's glue files a host object lent to the guest (a borrow) under a fresh
    // "rep" on every call unless the object carries one, and never forgets
    // borrows: one entry per event, forever. The instance's single Job keeps one rep.
    Object.defineProperty(job, Symbol.for('cabiRep'), { value: 1 });
    return new HookInstance(slot, events!, job, memories, finishEvent);
  }
}

export class HookInstance {
  constructor(
    readonly slot: InvocationSlot,
    readonly events: EventExports,
    /** One job handle per instance: its methods read whatever event is current. */
    readonly job: object,
    private readonly memories: Set<WebAssembly.Memory>,
    /** Ends an event: buffered stdout/stderr lines go to its report. */
    readonly finishEvent: (inv: Invocation) => void,
  ) {
    this.initialMemoryBytes = this.memoryBytes;
  }

  /** Linear memory right after instantiation. */
  readonly initialMemoryBytes: number;

  /** Whether the instance has used up this share of its headroom (cap minus what it started with). */
  usedHeadroom(capBytes: number, share: number): boolean {
    return this.memoryBytes > this.initialMemoryBytes + share * (capBytes - this.initialMemoryBytes);
  }

  /**
   * Whether one of its memories has (nearly) reached `capBytes`. memory.grow
   * failing is invisible to the host, and an allocator that grows by what it
   * needs stops short of the cap by up to one allocation: within min(1 MiB,
   * an eighth of the cap) counts as reached.
   */
  atCap(capBytes: number): boolean {
    const threshold = capBytes - Math.min(2 ** 20, capBytes / 8);
    for (const m of this.memories) if (m.buffer.byteLength > threshold) return true;
    return false;
  }

  /** Linear memory held now, in bytes. */
  get memoryBytes(): number {
    let n = 0;
    for (const m of this.memories) n += m.buffer.byteLength;
    return n;
  }
}
