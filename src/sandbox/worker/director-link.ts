// Worker side of a director call. Host imports must be synchronous (Node 20
// has no JSPI), so the worker posts the call and blocks on Atomics.wait while
// the main thread asks the director; the answer arrives on a MessagePort.
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { DirectorCallRequest, DirectorCallResult } from '../../model/director-call.js';
import type { DirectorCallMessage, DirectorReplyMessage } from './hook-protocol.js';

export class DirectorLink {
  private readonly flag: Int32Array;
  private seq = 0;

  constructor(signal: SharedArrayBuffer, private readonly replyPort: MessagePort) {
    this.flag = new Int32Array(signal);
  }

  /** A blocking call function for one invocation. */
  caller(invocationId: number, timeoutMs: number): (call: DirectorCallRequest) => DirectorCallResult {
    return (call) => this.call(invocationId, call, timeoutMs);
  }

  private call(invocationId: number, call: DirectorCallRequest, timeoutMs: number): DirectorCallResult {
    const seq = ++this.seq;
    const deadline = performance.now() + timeoutMs;
    Atomics.store(this.flag, 0, 0);
    const msg: DirectorCallMessage = { kind: 'director-call', invocationId, seq, call };
    parentPort!.postMessage(msg);
    for (;;) {
      // Replies to earlier calls that timed out may still arrive: skip them.
      for (let m = receiveMessageOnPort(this.replyPort); m; m = receiveMessageOnPort(this.replyPort)) {
        const reply = m.message as DirectorReplyMessage;
        if (reply.seq === seq) return reply.result;
      }
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(this.flag, 0, 0, left) === 'timed-out') {
        return { ok: false, error: { tag: 'timed-out' } };
      }
      Atomics.store(this.flag, 0, 0);
    }
  }
}
