// One hook worker thread, fed one request at a time. The main thread keeps the
// queue, so it always knows the one request that is running: a deadline, a
// crash or the memory backstop fails exactly that one, and the queued ones go
// to the replacement thread untouched. Hook threads run below the service's
// own threads in CPU priority, and a thread an invocation keeps busy for long
// is pushed down further (see HOOK_THREAD_NICENESS and DEMOTE_AT).
import { MessageChannel } from 'node:worker_threads';
import { getPriority, setPriority } from 'node:os';
import { performHttp } from '../capabilities/http-client.js';
import { spawnWorker, siblingModule, isTidMessage } from './spawn-worker.js';
import { cpuTimeMs } from './thread-priority.js';
import { WorkerChannel, WorkerGoneError } from './worker-channel.js';
import type { DirectorAnswerer } from './hook-runner.js';
import {
  isDirectorCall, type DirectorCallMessage, type DirectorReplyMessage, type HookRef, type HookWorkerApi,
  type HookWorkerData, type HostCallResult,
} from './worker/hook-protocol.js';

/** JS heap of a hook thread; wasm linear memory is capped per module instead (see memory-cap.ts). */
const HEAP_LIMIT_MB = 256;
/**
 * Hook threads run this much below the service's own threads (the main
 * thread, the compile worker) in CPU priority: a nice value this much higher
 * than the main thread's, at most 19, set by each hook thread on itself as it
 * starts (per thread on Linux). When hooks keep every core busy (spinning,
 * instantiating, CPU-heavy events) the main thread, which answers every
 * tenant, still gets the CPU it needs. The price: on a host busy with other
 * work, hook threads also yield to that work. HOOKD_HOOK_NICENESS overrides it
 * (0: the same as the service).
 */
export const HOOK_THREAD_NICENESS = niceFromEnv(process.env.HOOKD_HOOK_NICENESS) ?? 10;
/**
 * An event's invocation still running after this fraction of its deadline,
 * and busy on the CPU (not waiting for the director or an HTTP answer), has
 * its thread pushed further down, to nice 19: a hook spinning into its
 * deadline then gives way to the other tenants' hook threads too. The main
 * thread sets the worker thread's nice value by its TID, which the worker
 * reports when it starts. Raising a nice value back takes a privilege
 * (CAP_SYS_NICE) the service normally lacks: the thread is then retired after
 * the invocation (the next event instantiates its hooks on a fresh thread).
 * Linux only; HOOKD_DEMOTE_AT overrides it (0: never).
 */
export const DEMOTE_AT = fractionFromEnv(process.env.HOOKD_DEMOTE_AT) ?? 0.1;
/** Once past DEMOTE_AT, how often the invocation's CPU use is looked at, and the share of the time on CPU that counts as busy. */
const DEMOTE_PROBE_MS = 25;
const DEMOTE_BUSY_SHARE = 0.5;
const DEMOTION = DEMOTE_AT > 0 && process.platform === 'linux';
/** Time allowed to instantiate a hook in a thread (compiling a 12 MB JS engine takes ~0.5 s). */
export const PREPARE_DEADLINE_MS = 30_000;

/** A live thread: the worker, its typed channel, and the director answerers of its invocation. */
class Thread {
  readonly channel: WorkerChannel<HookWorkerApi>;
  /** Per running invocation: who answers its director calls, and where it may send HTTP. */
  readonly directors = new Map<number, DirectorAnswerer>();
  readonly httpGrants = new Map<number, readonly string[]>();
  /** hook id -> generation instantiated in this thread. */
  readonly prepared = new Map<string, number>();
  private readonly flag: Int32Array;
  private readonly replyPort: MessageChannel['port1'];
  /** The worker's kernel thread id, once it has reported it (Linux). */
  tid: number | undefined;
  /** The nice value the thread set on itself (undefined: the main thread's). */
  readonly niceness: number | undefined;
  /** Pushed down below its niceness while an invocation ran long. */
  demoted = false;

  constructor() {
    const signal = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    this.flag = new Int32Array(signal);
    this.replyPort = port1;
    const data: HookWorkerData = { signal, replyPort: port2 };
    this.niceness = HOOK_THREAD_NICENESS ? Math.min(19, getPriority(0) + HOOK_THREAD_NICENESS) : undefined;
    const worker = spawnWorker(siblingModule(import.meta.url, './worker/hook-worker'), {
      workerData: data,
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB },
      niceness: this.niceness,
      reportTid: DEMOTION,
    });
    this.channel = new WorkerChannel<HookWorkerApi>(worker, (m) => {
      if (isDirectorCall(m)) void this.answer(m);
      else if (isTidMessage(m)) this.tid = m.hookdWorkerTid;
    });
  }

  private async answer(m: DirectorCallMessage) {
    let result: HostCallResult;
    if (m.call.kind === 'http') {
      result = await performHttp(m.call.request, this.httpGrants.get(m.invocationId) ?? [], m.call.timeoutMs)
        .catch((e): HostCallResult => ({ ok: false, error: { tag: 'failed', val: (e as Error).message } }));
    } else {
      const director = this.directors.get(m.invocationId);
      try {
        result = director
          ? await director(m.call)
          : { ok: false, error: { tag: 'unavailable', val: 'the event this call belongs to has ended' } };
      } catch (e) {
        result = { ok: false, error: { tag: 'unavailable', val: (e as Error).message } };
      }
    }
    const reply: DirectorReplyMessage = { seq: m.seq, result };
    this.replyPort.postMessage(reply);
    Atomics.store(this.flag, 0, 1);
    Atomics.notify(this.flag, 0);
  }

  /** Lowers the thread's CPU priority to the least; whether it did. */
  demote(): boolean {
    if (this.tid === undefined || this.demoted || !this.channel.alive) return false;
    try {
      setPriority(this.tid, 19);
      this.demoted = true;
      return true;
    } catch {
      return false;
    }
  }

  /** CPU time this thread has used, ms (Linux, once it has reported its TID). */
  cpuMs(): number | undefined {
    return this.tid === undefined ? undefined : cpuTimeMs(this.tid);
  }

  /** Back to its own niceness after a demotion; false if that takes a privilege this process lacks. */
  restore(): boolean {
    if (!this.demoted) return true;
    try {
      setPriority(this.tid!, this.niceness ?? getPriority(0));
      this.demoted = false;
      return true;
    } catch {
      return false;
    }
  }

  terminate() {
    this.replyPort.close();
    return this.channel.worker.terminate();
  }
}

/** Why a request did not get its reply from the thread. */
export type ThreadFailure = { kind: 'deadline'; ms: number } | { kind: 'crash'; message: string };

interface Task<T> {
  run: (t: Thread) => Promise<T>;
  deadlineMs: number;
  /** An event's invocation (not an instantiation): its thread may be pushed down when it runs long. */
  demotable: boolean;
  resolve: (v: T) => void;
  /** The thread answered with an error (the request failed, the thread is fine). */
  reject: (e: Error) => void;
  /** Called instead of resolve when the thread is lost running this task. */
  failed: (f: ThreadFailure) => void;
}

export class HookThread {
  private thread: Thread | undefined;
  private readonly queue: Task<unknown>[] = [];
  private running = false;
  private lastUsed = Date.now();
  private closed = false;
  /** Threads replaced after a deadline, a crash or the backstop. */
  replacements = 0;

  constructor(private readonly name: string, private readonly log: (line: string) => void) {}

  get idleMs() {
    return this.running || this.queue.length ? 0 : Date.now() - this.lastUsed;
  }

  private current(): Thread {
    if (!this.thread || !this.thread.channel.alive) this.thread = new Thread();
    return this.thread;
  }

  /**
   * Runs `run` on the thread when its turn comes. If the thread is lost
   * meanwhile (deadline, crash), `failed` gives the answer; an error the thread
   * itself answered rejects. A demotable task (an event's invocation) that keeps
   * the thread busy past DEMOTE_AT of its deadline has the thread pushed down.
   */
  submit<T>(deadlineMs: number, run: (t: Thread) => Promise<T>, failed: (f: ThreadFailure) => T, o: { demotable?: boolean } = {}): Promise<T> {
    // `failed` may throw (a prepare turns a lost thread into an error): the promise rejects then, never the caller's stack.
    const settle = (f: ThreadFailure, resolve: (v: T) => void, reject: (e: unknown) => void) => {
      try {
        resolve(failed(f));
      } catch (e) {
        reject(e);
      }
    };
    if (this.closed) return new Promise<T>((resolve, reject) => settle({ kind: 'crash', message: 'the service is shutting down' }, resolve, reject));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, deadlineMs, demotable: o.demotable ?? false, resolve, reject, failed: (f: ThreadFailure) => settle(f, resolve, reject) } as Task<unknown>);
      this.pump();
    });
  }

  private pump() {
    if (this.running || this.closed) return;
    const task = this.queue.shift();
    if (!task) return;
    this.running = true;
    const thread = this.current();
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(probe);
      this.running = false;
      this.lastUsed = Date.now();
      f();
      if (thread.demoted && this.thread === thread && !thread.restore()) {
        this.retire(thread, `an invocation kept it busy past ${Math.round(DEMOTE_AT * 100)}% of its deadline; it was pushed down and cannot be raised back`);
      }
      this.pump();
    };
    // Past DEMOTE_AT of its deadline, an invocation that keeps its thread busy pushes it down.
    let probe: NodeJS.Timeout | undefined;
    const look = (since?: { cpu: number; at: number }) => {
      if (settled || thread.demoted) return;
      const cpu = thread.cpuMs();
      if (cpu === undefined) return;
      const at = performance.now();
      if (since && cpu - since.cpu >= DEMOTE_BUSY_SHARE * (at - since.at)) {
        thread.demote();
        return;
      }
      probe = setTimeout(() => look({ cpu, at }), DEMOTE_PROBE_MS);
    };
    if (task.demotable && DEMOTION) probe = setTimeout(() => look(), task.deadlineMs * DEMOTE_AT);
    const timer = setTimeout(() => finish(() => {
      this.replace(thread, `a request ran past its ${task.deadlineMs} ms deadline`);
      task.failed({ kind: 'deadline', ms: task.deadlineMs });
    }), task.deadlineMs);
    task.run(thread).then(
      (v) => finish(() => task.resolve(v)),
      (e) => finish(() => {
        if (!(e instanceof WorkerGoneError)) return task.reject(e as Error);
        this.replace(thread, e.message);
        task.failed({ kind: 'crash', message: e.message });
      }),
    );
  }

  /** Stops a thread that cannot go on; the next request starts a fresh one. */
  replace(thread: Thread, why: string) {
    if (this.thread !== thread) return;
    this.replacements++;
    this.log(`hook thread ${this.name} replaced: ${why}`);
    void thread.terminate();
    // The replacement boots now, not when the next event comes.
    this.thread = this.closed ? undefined : new Thread();
  }

  /** Swaps a healthy thread for a fresh one (not counted as a replacement). */
  private retire(thread: Thread, why: string) {
    if (this.thread !== thread) return;
    this.log(`hook thread ${this.name} retired: ${why}`);
    void thread.terminate();
    this.thread = this.closed ? undefined : new Thread();
  }

  /** Whether this hook (at this generation) is instantiated in the live thread. */
  isPrepared(hook: HookRef): boolean {
    return this.thread?.channel.alive === true && this.thread.prepared.get(hook.id) === hook.generation;
  }

  async close() {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.failed({ kind: 'crash', message: 'the service is shutting down' });
    await this.thread?.terminate();
  }
}

export type { Thread };

function fractionFromEnv(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!(n >= 0 && n < 1)) throw new Error(`HOOKD_DEMOTE_AT must be a fraction of the deadline from 0 (never) to below 1, not ${v}`);
  return n;
}

function niceFromEnv(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 19) throw new Error(`HOOKD_HOOK_NICENESS must be an integer from 0 to 19, not ${v}`);
  return n;
}
