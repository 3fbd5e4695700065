// One hook worker thread, fed one request at a time. The main thread keeps the
// queue, so it always knows the one request that is running: a deadline, a
// crash or the memory backstop fails exactly that one, and the queued ones go
// to the replacement thread untouched.
import { MessageChannel } from 'node:worker_threads';
import { performHttp } from '../capabilities/http-client.js';
import { spawnWorker, siblingModule } from './spawn-worker.js';
import { WorkerChannel, WorkerGoneError } from './worker-channel.js';
import type { DirectorAnswerer } from './hook-runner.js';
import { NO_SANDBOX_EVENTS, type ReplaceReason, type SandboxEvents } from './sandbox-events.js';
import {
  isDirectorCall, type DirectorCallMessage, type DirectorReplyMessage, type HookRef, type HookWorkerApi,
  type HookWorkerData, type HostCallResult,
} from './worker/hook-protocol.js';

/** JS heap of a hook thread; wasm linear memory is capped per module instead (see memory-cap.ts). */
const HEAP_LIMIT_MB = 256;
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

  constructor(private readonly tenant: string, private readonly events: SandboxEvents) {
    const signal = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    this.flag = new Int32Array(signal);
    this.replyPort = port1;
    const data: HookWorkerData = { signal, replyPort: port2 };
    const worker = spawnWorker(siblingModule(import.meta.url, './worker/hook-worker'), {
      workerData: data,
      transferList: [port2],
      resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB },
    });
    this.channel = new WorkerChannel<HookWorkerApi>(worker, (m) => {
      if (isDirectorCall(m)) void this.answer(m);
    });
  }

  private async answer(m: DirectorCallMessage) {
    const t0 = performance.now();
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
    this.events.hostCallAnswered(this.tenant, m.call.kind, result.ok ? 'ok' : result.error.tag, (performance.now() - t0) / 1000);
    const reply: DirectorReplyMessage = { seq: m.seq, result };
    this.replyPort.postMessage(reply);
    Atomics.store(this.flag, 0, 1);
    Atomics.notify(this.flag, 0);
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

  constructor(
    private readonly name: string,
    private readonly log: (line: string) => void,
    private readonly tenant = name,
    private readonly events: SandboxEvents = NO_SANDBOX_EVENTS,
  ) {}

  get idleMs() {
    return this.running || this.queue.length ? 0 : Date.now() - this.lastUsed;
  }

  private current(): Thread {
    if (!this.thread || !this.thread.channel.alive) this.thread = this.spawn();
    return this.thread;
  }

  /**
   * Runs `run` on the thread when its turn comes. If the thread is lost
   * meanwhile (deadline, crash), `failed` gives the answer; an error the thread
   * itself answered rejects.
   */
  submit<T>(deadlineMs: number, run: (t: Thread) => Promise<T>, failed: (f: ThreadFailure) => T): Promise<T> {
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
      this.queue.push({ run, deadlineMs, resolve, reject, failed: (f: ThreadFailure) => settle(f, resolve, reject) } as Task<unknown>);
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
      this.running = false;
      this.lastUsed = Date.now();
      f();
      this.pump();
    };
    const timer = setTimeout(() => finish(() => {
      this.replace(thread, `a request ran past its ${task.deadlineMs} ms deadline`, 'deadline');
      task.failed({ kind: 'deadline', ms: task.deadlineMs });
    }), task.deadlineMs);
    task.run(thread).then(
      (v) => finish(() => task.resolve(v)),
      (e) => finish(() => {
        if (!(e instanceof WorkerGoneError)) return task.reject(e as Error);
        this.replace(thread, e.message, 'crash');
        task.failed({ kind: 'crash', message: e.message });
      }),
    );
  }

  /** Stops a thread that cannot go on; the next request starts a fresh one. */
  replace(thread: Thread, why: string, reason: ReplaceReason) {
    if (this.thread !== thread) return;
    this.replacements++;
    this.log(`hook thread ${this.name} replaced: ${why}`);
    this.events.threadReplaced(this.tenant, reason, why);
    void thread.terminate();
    // The replacement boots now, not when the next event comes.
    this.thread = this.closed ? undefined : this.spawn();
  }

  private spawn() {
    return new Thread(this.tenant, this.events);
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
