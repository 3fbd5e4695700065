// Worker entry: runs hook instances. Each event export call is synchronous, so
// one worker runs one hook invocation at a time; director calls block on the
// DirectorLink until the main thread has the director's answer.
import { workerData } from 'node:worker_threads';
import { BACULA_EVENT_NAMES, type EventName } from '../../model/enums.js';
import type { Invocation } from '../../capabilities/invocation.js';
import type { Subscription } from '../../model/job.js';
import { serve } from './serve.js';
import { DirectorLink } from './director-link.js';
import { CompiledHook, HookInstance } from './hook-instance.js';
import { WASM_PAGE } from '../../components/memory-cap.js';
import { finishReport } from '../../capabilities/report-limit.js';
import { MetricRecorder, MetricSchema } from '../../capabilities/metrics-schema.js';
import type { HookRef, HookWorkerApi, HookWorkerData, InvocationResult } from './hook-protocol.js';

// Wasm backtraces are the hook author's main clue: keep more than V8's default 10 frames.
Error.stackTraceLimit = 64;
// tsx (from source) turns source maps on; mapping a trap's stack then costs 100+ ms
// of the event's deadline, and only the wasm frames are reported anyway.
process.setSourceMapsEnabled(false);

const data = workerData as HookWorkerData;
const RECYCLE_AT = 0.75;
const director = new DirectorLink(data.signal, data.replyPort);

interface Loaded {
  generation: number;
  compiled: CompiledHook;
  instance?: Promise<HookInstance>;
}
const hooks = new Map<string, Loaded>();
/** Each hook's metric schema in this thread: kept across its instances, seeded from the main thread's at first prepare. */
const metricSchemas = new Map<string, MetricSchema>();

function metricSchemaOf(hookId: string): MetricSchema {
  let s = metricSchemas.get(hookId);
  if (!s) metricSchemas.set(hookId, (s = new MetricSchema()));
  return s;
}

function instanceOf(ref: HookRef): Promise<HookInstance> {
  let h = hooks.get(ref.id);
  // A newer generation replaces the instance; a request still carrying an older
  // one (queued before a reload) runs on the newest instead of resurrecting it.
  if (!h || ref.generation > h.generation) {
    h = { generation: ref.generation, compiled: new CompiledHook(ref.dir, ref.entry, ref.limits.memoryMiB * (2 ** 20 / WASM_PAGE)) };
    hooks.set(ref.id, h);
  }
  if (!h.instance) {
    const loaded = h;
    const p = h.compiled.instantiate({ catalogPassword: ref.grantCatalogPassword, http: ref.httpAllowedHosts.length > 0, wasi: ref.wasiGrants });
    p.catch(() => { if (loaded.instance === p) loaded.instance = undefined; }); // retried on the next event
    loaded.instance = p;
  }
  return h.instance!;
}

const EXPORT_OF: Record<EventName, keyof HookInstance['events']> = {
  'job-start': 'jobStart', 'job-init': 'jobInit', 'job-run': 'jobRun', 'new-volume': 'newVolume',
  'volume-purged': 'volumePurged', 'job-end': 'jobEnd', exit: 'exit',
};

serve<HookWorkerApi>({
  async invoke(req): Promise<InvocationResult> {
    let instance: HookInstance;
    try {
      instance = await instanceOf(req.hook);
    } catch (e) {
      return failed(`cannot instantiate hook ${req.hook.name}: ${(e as Error).message}`, false, 0);
    }
    const inv: Invocation = {
      event: req.event,
      job: req.job ? { ...req.job } : undefined,
      daemon: req.daemon,
      writes: {},
      report: [] as string[],
      director: req.withDirector ? director.caller(req.invocationId, req.directorCallTimeoutMs) : null,
      http: req.hook.httpAllowedHosts.length ? director.httpCaller(req.invocationId) : null,
      deadlineAt: performance.now() + req.hook.limits.deadlineMs,
      limits: req.hook.limits,
      usage: { reportBytes: 0, droppedLines: 0, directorCalls: 0 },
      metrics: new MetricRecorder(metricSchemaOf(req.hook.id)),
    };
    instance.slot.current = inv;
    const capBytes = req.hook.limits.memoryMiB * 2 ** 20;
    const atCapBefore = instance.atCap(capBytes);
    const capHit = () => !atCapBefore && instance.atCap(capBytes);
    const t0 = performance.now();
    try {
      const fn = instance.events[EXPORT_OF[req.event]];
      const ret = req.event === 'exit' ? fn() : fn(instance.job);
      // A JS engine's heap creeps up a little with every event (componentize-js 0.23, ~1 KiB):
      // an instance that has used most of its headroom is replaced before the next event
      // instead of trapping when it reaches its cap.
      if (instance.usedHeadroom(req.hook.limits.memoryMiB * 2 ** 20, RECYCLE_AT)) hooks.get(req.hook.id)!.instance = undefined;
      return {
        status: 'ok', message: '', trapped: false, writes: inv.writes, report: reportOf(instance, inv),
        subscription: req.event === 'job-start' ? subscription(ret) : undefined,
        durationMs: performance.now() - t0, memoryBytes: instance.memoryBytes, memoryCapHit: capHit(),
        metrics: inv.metrics!.take(),
      };
    } catch (e) {
      const hookError = hookErrorMessage(e);
      if (hookError === undefined) hooks.get(req.hook.id)!.instance = undefined; // trapped: never re-entered
      const where = `hook "${req.hook.name}", event ${BACULA_EVENT_NAMES[req.event]}`;
      const r = failed(hookError ?? describeTrap(e, where, inv.trapReason), hookError === undefined, performance.now() - t0);
      return {
        ...r, writes: inv.writes, report: reportOf(instance, inv), memoryBytes: instance.memoryBytes, memoryCapHit: capHit(),
        metrics: inv.metrics!.take(),
      };
    } finally {
      instance.slot.current = undefined;
    }
  },

  async prepare({ hook, metrics }) {
    const t0 = performance.now();
    if (!metricSchemas.has(hook.id)) metricSchemas.set(hook.id, MetricSchema.from(metrics));
    await instanceOf(hook);
    return { instantiateMs: performance.now() - t0 };
  },

  drop({ hookId }) {
    hooks.delete(hookId);
    metricSchemas.delete(hookId);
    return null;
  },
});

/** The event's report: the hook's lines, its stdout/stderr still buffered, the truncation marker. */
function reportOf(instance: HookInstance, inv: Invocation): string[] {
  instance.finishEvent(inv);
  return finishReport(inv);
}

function failed(message: string, trapped: boolean, durationMs: number): InvocationResult {
  return { status: 'failed', message, trapped, writes: {}, report: [], durationMs };
}

/** A hook's own error: jco throws the export's `err` value as `payload`. Anything else is a trap. */
function hookErrorMessage(e: unknown): string | undefined {
  if (e && typeof e === 'object' && 'payload' in e) {
    const p = (e as { payload: unknown }).payload;
    return typeof p === 'string' ? p : JSON.stringify(p);
  }
  return undefined;
}

/**
 * What a hook author needs from a trap: the hook's own reason when it gave one
 * (panic text, abort reason), the wasm trap, where, and the wasm frames (with
 * function names where the component has a name section).
 */
function describeTrap(e: unknown, where: string, reason: string | undefined): string {
  const err = e instanceof Error ? e : new Error(String(e));
  // V8 names the unreachable trap tersely; say what happened, as wasmtime does.
  const wasm = err.message.replace(/^wasm trap: /, '').replace(/^unreachable$/, 'wasm `unreachable` instruction executed');
  const frames = (err.stack ?? '').split('\n').filter((l) => l.includes('wasm://') || l.includes('wasm-function'));
  const head = reason ? `trap: ${reason} (${where}; wasm: ${wasm})` : `trap: ${wasm} (${where})`;
  return frames.length ? `${head}\nwasm backtrace:\n${frames.slice(0, 32).map((f) => `  ${f.trim()}`).join('\n')}` : head;
}

function subscription(ret: unknown): Subscription {
  const f = (ret ?? {}) as Partial<Subscription>;
  return { jobInit: !!f.jobInit, jobRun: !!f.jobRun, newVolume: !!f.newVolume, volumePurged: !!f.volumePurged };
}
