// The production HookRunner: a fixed pool of worker threads. A hook keeps to
// one worker (its instance and memory live there); a worker that dies fails
// its pending invocations with a message and is replaced.
import { MessageChannel } from 'node:worker_threads';
import type { DirectorCallResult } from '../model/director-call.js';
import { spawnWorker, siblingModule } from './spawn-worker.js';
import { WorkerChannel } from './worker-channel.js';
import type { DirectorAnswerer, HookRunner } from './hook-runner.js';
import {
  isDirectorCall, type DirectorCallMessage, type DirectorReplyMessage, type HookRef, type HookWorkerApi, type HookWorkerData,
  type InvocationResult, type InvokeRequest,
} from './worker/hook-protocol.js';

class PooledWorker {
  readonly channel: WorkerChannel<HookWorkerApi>;
  private readonly flag: Int32Array;
  private readonly replyPort: MessageChannel['port1'];
  /** Director answerers of the invocations running here, by invocation id. */
  readonly directors = new Map<number, DirectorAnswerer>();

  constructor(onExit: () => void) {
    const signal = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    this.flag = new Int32Array(signal);
    this.replyPort = port1;
    const data: HookWorkerData = { signal, replyPort: port2 };
    const worker = spawnWorker(siblingModule(import.meta.url, './worker/hook-worker'), {
      workerData: data,
      transferList: [port2],
    });
    this.channel = new WorkerChannel<HookWorkerApi>(worker, (m) => {
      if (isDirectorCall(m)) void this.answer(m);
    });
    worker.on('exit', onExit);
  }

  private async answer(m: DirectorCallMessage) {
    const director = this.directors.get(m.invocationId);
    let result: DirectorCallResult;
    try {
      result = director
        ? await director(m.call)
        : { ok: false, error: { tag: 'unavailable', val: 'the event this call belongs to has ended' } };
    } catch (e) {
      result = { ok: false, error: { tag: 'unavailable', val: (e as Error).message } };
    }
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

export class WorkerPool implements HookRunner {
  private readonly workers: PooledWorker[] = [];
  /** hook id -> worker index: a hook's instance lives in one worker. */
  private readonly affinity = new Map<string, number>();
  private nextInvocation = 1;
  private closed = false;

  constructor(size: number, private readonly log: (line: string) => void = () => {}) {
    for (let i = 0; i < size; i++) this.workers.push(this.spawn(i));
  }

  private spawn(i: number, quickDeaths = 0): PooledWorker {
    const born = Date.now();
    return new PooledWorker(() => {
      if (this.closed) return;
      // A worker that dies at once again and again (a broken install, say) is restarted with a backoff.
      const quick = Date.now() - born < 1000 ? quickDeaths + 1 : 0;
      const delay = quick > 1 ? Math.min(5000, 100 * 2 ** quick) : 0;
      this.log(`hook worker ${i} exited; starting a new one${delay ? ` in ${delay} ms` : ''}`);
      const replace = () => { if (!this.closed) this.workers[i] = this.spawn(i, quick); };
      if (delay) setTimeout(replace, delay).unref();
      else replace();
    });
  }

  private workerFor(hookId: string): PooledWorker {
    let i = this.affinity.get(hookId);
    if (i === undefined) {
      const load = this.workers.map(() => 0);
      for (const j of this.affinity.values()) load[j]++;
      i = load.indexOf(Math.min(...load));
      this.affinity.set(hookId, i);
    }
    return this.workers[i];
  }

  async invoke(req: Omit<InvokeRequest, 'invocationId' | 'withDirector'>, director: DirectorAnswerer | null): Promise<InvocationResult> {
    const w = this.workerFor(req.hook.id);
    const invocationId = this.nextInvocation++;
    if (director) w.directors.set(invocationId, director);
    try {
      return await w.channel.request('invoke', { ...req, invocationId, withDirector: director !== null });
    } catch (e) {
      return {
        status: 'failed', message: `hook ${req.hook.name} could not run: ${(e as Error).message}`,
        trapped: true, writes: {}, report: [], durationMs: 0,
      };
    } finally {
      w.directors.delete(invocationId);
    }
  }

  prepare(hook: HookRef) {
    return this.workerFor(hook.id).channel.request('prepare', { hook });
  }

  async drop(hookId: string) {
    const i = this.affinity.get(hookId);
    if (i === undefined) return;
    this.affinity.delete(hookId);
    await this.workers[i].channel.request('drop', { hookId }).catch(() => undefined);
  }

  async close() {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
