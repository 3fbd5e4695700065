// Typed request/reply over a worker thread: every request gets a requestId,
// replies are matched by it, and when the thread dies every pending request is
// rejected, so nothing waits forever.
import type { Worker } from 'node:worker_threads';
import { isReply, type Api } from './worker/protocol-base.js';

export class WorkerGoneError extends Error {
  override readonly name = 'WorkerGoneError';
}

/** An error thrown inside the worker, rebuilt on this side with its name. */
export class WorkerRequestError extends Error {
  constructor(readonly remoteName: string, message: string) {
    super(message);
    this.name = 'WorkerRequestError';
  }
}

export class WorkerChannel<A extends Api> {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private gone: WorkerGoneError | undefined;

  constructor(
    readonly worker: Worker,
    /** Messages that are not replies (a hook's director call, say) go here. */
    onOther: (msg: unknown) => void = () => {},
  ) {
    worker.on('message', (msg: unknown) => {
      if (!isReply(msg)) return onOther(msg);
      const waiter = this.pending.get(msg.requestId);
      if (!waiter) return;
      this.pending.delete(msg.requestId);
      if (msg.ok) waiter.resolve(msg.value);
      else waiter.reject(new WorkerRequestError(msg.errorName, msg.message));
    });
    worker.on('error', (e) => this.fail(`worker thread failed: ${e.message}`));
    worker.on('exit', (code) => this.fail(`worker thread exited (code ${code})`));
  }

  get pendingCount() {
    return this.pending.size;
  }

  get alive() {
    return this.gone === undefined;
  }

  request<K extends keyof A & string>(type: K, req: A[K]['req'], transfer?: ArrayBuffer[]): Promise<A[K]['res']> {
    if (this.gone) return Promise.reject(this.gone);
    const requestId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...req, type, requestId }, transfer);
    });
  }

  private fail(why: string) {
    if (this.gone) return;
    this.gone = new WorkerGoneError(why);
    for (const w of this.pending.values()) w.reject(this.gone);
    this.pending.clear();
  }
}
