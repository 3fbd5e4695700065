// The production HookRunner: each tenant's hooks run on the tenant's own hook
// threads (workersPerTenant of them, a hook keeping to one), started on first
// use and stopped when idle. A tenant's spinning or crashing hook stalls or
// kills only its own thread; the deadline replaces the thread and the job goes on.
import type { HookRunner, DirectorAnswerer, InvokeInput } from './hook-runner.js';
import { HookThread, PREPARE_DEADLINE_MS, type Thread, type ThreadFailure } from './hook-thread.js';
import type { HookRef, InvocationResult } from './worker/hook-protocol.js';
import { NO_SANDBOX_EVENTS, type SandboxEvents } from './sandbox-events.js';
import type { SchemaSnapshot } from '../capabilities/metrics-schema.js';

export interface PoolOptions {
  workersPerTenant: number;
  idleWorkerMs: number;
  log: (line: string) => void;
  /** Replacements, traps, memory-cap hits and host-call latencies, for the metrics. */
  events?: SandboxEvents;
  /** A hook's metric schema as the main thread holds it, for a thread that has not seen the hook. */
  metricSchemaOf?: (hookId: string) => SchemaSnapshot | undefined;
}

class TenantThreads {
  readonly threads: HookThread[];
  private readonly affinity = new Map<string, number>();

  constructor(tenant: string, o: PoolOptions) {
    this.threads = Array.from({ length: o.workersPerTenant }, (_, i) => new HookThread(`${tenant}#${i}`, o.log, tenant, o.events ?? NO_SANDBOX_EVENTS));
  }

  /** The thread a hook's instance lives on: the least loaded when the hook is first seen. */
  of(hookId: string): HookThread {
    let i = this.affinity.get(hookId);
    if (i === undefined) {
      const load = this.threads.map(() => 0);
      for (const j of this.affinity.values()) load[j]++;
      i = load.indexOf(Math.min(...load));
      this.affinity.set(hookId, i);
    }
    return this.threads[i];
  }

  forget(hookId: string): HookThread | undefined {
    const i = this.affinity.get(hookId);
    this.affinity.delete(hookId);
    return i === undefined ? undefined : this.threads[i];
  }

  get idleMs() {
    return Math.min(...this.threads.map((t) => t.idleMs));
  }
}

export class WorkerPool implements HookRunner {
  private readonly tenants = new Map<string, TenantThreads>();
  private nextInvocation = 1;
  private readonly reaper: NodeJS.Timeout;

  private readonly events: SandboxEvents;

  constructor(private readonly o: PoolOptions) {
    this.events = o.events ?? NO_SANDBOX_EVENTS;
    // Idle tenants give their threads back; their hooks are instantiated again on their next event.
    this.reaper = setInterval(() => this.reap(), Math.max(1000, Math.min(60_000, o.idleWorkerMs / 2)));
    this.reaper.unref();
  }

  private tenant(t: string): TenantThreads {
    let x = this.tenants.get(t);
    if (!x) {
      x = new TenantThreads(t, this.o);
      this.tenants.set(t, x);
    }
    return x;
  }

  private reap() {
    for (const [name, t] of this.tenants) {
      if (t.idleMs >= this.o.idleWorkerMs) {
        this.tenants.delete(name);
        for (const th of t.threads) void th.close();
        this.o.log(`tenant ${name}: hook threads stopped after ${this.o.idleWorkerMs} ms idle`);
      }
    }
  }

  /** Threads replaced so far (deadlines, crashes, backstop), per tenant. */
  replacements(): Record<string, number> {
    return Object.fromEntries([...this.tenants].map(([n, t]) => [n, t.threads.reduce((a, th) => a + th.replacements, 0)]));
  }

  prepare(hook: HookRef) {
    return this.prepareOn(this.tenant(hook.tenant).of(hook.id), hook);
  }

  private prepareOn(thread: HookThread, hook: HookRef): Promise<{ instantiateMs: number }> {
    return thread.submit(PREPARE_DEADLINE_MS, async (t: Thread) => {
      const r = await t.channel.request('prepare', { hook, metrics: this.o.metricSchemaOf?.(hook.id) });
      t.prepared.set(hook.id, hook.generation);
      return r;
    }, (f) => {
      throw new Error(f.kind === 'deadline' ? `instantiation took longer than ${f.ms} ms` : `the hook thread died instantiating it: ${f.message}`);
    });
  }

  async invoke(req: InvokeInput, director: DirectorAnswerer | null): Promise<InvocationResult> {
    const thread = this.tenant(req.hook.tenant).of(req.hook.id);
    // Instantiation is not the event's work: it gets its own, longer deadline first.
    if (!thread.isPrepared(req.hook)) {
      try {
        await this.prepareOn(thread, req.hook);
      } catch (e) {
        return failure('failed', `hook ${req.hook.name} could not be instantiated: ${(e as Error).message}`);
      }
    }
    const invocationId = this.nextInvocation++;
    const deadlineMs = req.hook.limits.deadlineMs;
    return thread.submit(deadlineMs, async (t: Thread) => {
      if (director) t.directors.set(invocationId, director);
      if (req.hook.httpAllowedHosts.length) t.httpGrants.set(invocationId, req.hook.httpAllowedHosts);
      try {
        const r = await t.channel.request('invoke', { ...req, invocationId, withDirector: director !== null });
        const cap = req.hook.limits.memoryMiB * 1024 * 1024;
        const overCap = (r.memoryBytes ?? 0) > cap;
        if (overCap || r.memoryCapHit) this.events.memoryCapHit(req.hook.tenant, req.hook.name);
        if (overCap) {
          // The module cap should make this impossible; the backstop replaces the thread anyway.
          thread.replace(t, `hook ${req.hook.name} holds ${r.memoryBytes} bytes of linear memory, over its ${req.hook.limits.memoryMiB} MiB`, 'memory');
        }
        if (r.trapped) {
          t.prepared.delete(req.hook.id);
          this.events.trapped(req.hook.tenant, req.hook.name);
        }
        return r;
      } finally {
        t.directors.delete(invocationId);
        t.httpGrants.delete(invocationId);
      }
    }, (f: ThreadFailure) => f.kind === 'deadline'
      ? { ...failure('timed-out', `hook ${req.hook.name} timed out: it ran past its deadline of ${f.ms} ms; its thread was replaced`), durationMs: f.ms }
      : failure('failed', `hook ${req.hook.name} crashed its thread: ${f.message}`));
  }

  async drop(hook: { id: string; tenant: string }) {
    const thread = this.tenants.get(hook.tenant)?.forget(hook.id);
    if (!thread) return;
    await thread.submit(PREPARE_DEADLINE_MS, (t) => {
      t.prepared.delete(hook.id);
      return t.channel.request('drop', { hookId: hook.id });
    }, () => null).catch(() => undefined);
  }

  async close() {
    clearInterval(this.reaper);
    await Promise.all([...this.tenants.values()].flatMap((t) => t.threads.map((th) => th.close())));
    this.tenants.clear();
  }
}

function failure(status: 'failed' | 'timed-out', message: string): InvocationResult {
  return { status, message, trapped: true, writes: {}, report: [], durationMs: 0 };
}
