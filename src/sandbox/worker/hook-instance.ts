// One live instance of a hook component inside a worker: the jco-generated
// module instantiated with a fresh import object, and its event exports.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostImports, type Grants } from '../../capabilities/host-imports.js';
import type { InvocationSlot } from '../../capabilities/invocation.js';
import { EVENT_EXPORTS } from '../../components/world.js';

type EventExports = Record<(typeof EVENT_EXPORTS)[number], (job?: object) => unknown>;

interface GeneratedModule {
  instantiate(
    getCoreModule: (path: string) => Promise<WebAssembly.Module>,
    imports: Record<string, object>,
  ): Promise<Record<string, unknown>>;
}

/** Compiled core modules of one transpiled component, shared by all its instances in this worker. */
export class CompiledHook {
  private modules = new Map<string, Promise<WebAssembly.Module>>();
  private generated: Promise<GeneratedModule>;

  constructor(readonly dir: string, entry: string) {
    this.generated = import(pathToFileURL(join(dir, entry)).href) as Promise<GeneratedModule>;
  }

  private core = (path: string) => {
    let m = this.modules.get(path);
    if (!m) {
      m = readFile(join(this.dir, path)).then((b) => WebAssembly.compile(b));
      this.modules.set(path, m);
    }
    return m;
  };

  async instantiate(grants: Grants): Promise<HookInstance> {
    const slot: InvocationSlot = { current: undefined };
    const imports = hostImports(slot, grants);
    const exports = await (await this.generated).instantiate(this.core, imports);
    const events = (exports['bacula:hooks/events@1.0.0'] ?? exports.events) as EventExports | undefined;
    const missing = EVENT_EXPORTS.filter((f) => typeof events?.[f] !== 'function');
    if (missing.length) throw new Error(`the component's events export lacks ${missing.join(', ')}`);
    const Job = (imports['bacula:hooks/job'] as { Job: new () => object }).Job;
    const job = new Job();
    // jco's glue files a host object lent to the guest (a borrow) under a fresh
    // "rep" on every call unless the object carries one, and never forgets
    // borrows: one entry per event, forever. The instance's single Job keeps one rep.
    Object.defineProperty(job, Symbol.for('cabiRep'), { value: 1 });
    return new HookInstance(slot, events!, job);
  }
}

export class HookInstance {
  constructor(
    readonly slot: InvocationSlot,
    readonly events: EventExports,
    /** One job handle per instance: its methods read whatever event is current. */
    readonly job: object,
  ) {}
}
