// Worker side of a director call. Host imports must be synchronous (Node 20
// has no JSPI), so the worker posts the call and blocks on Atomics.wait while
// the main thread asks the director; the answer arrives on a MessagePort.
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { DirectorCallRequest, DirectorCallResult } from '../../model/director-call.js';
import type { HttpCallResult, HttpRequestData } from '../../model/http-call.js';
import type { DirectorCallMessage, DirectorReplyMessage, HostCall, HostCallResult } from './hook-protocol.js';

export class DirectorLink {
  private readonly flag: Int32Array;
  private seq = 0;

  constructor(signal: SharedArrayBuffer, private readonly replyPort: MessagePort) {
    this.flag = new Int32Array(signal);
  }

  /** A blocking director call function for one invocation. */
  caller(invocationId: number, timeoutMs: number): (call: DirectorCallRequest) => DirectorCallResult {
    return (call) => this.call(invocationId, call, timeoutMs) as DirectorCallResult;
  }

  /** A blocking HTTP function for one invocation: the main thread performs the request. */
  httpCaller(invocationId: number): (request: HttpRequestData, timeoutMs: number) => HttpCallResult {
    // The main thread enforces the request's own timeout; the wait here allows it a margin to answer.
    return (request, timeoutMs) => this.call(invocationId, { kind: 'http', request, timeoutMs }, timeoutMs + 2000) as HttpCallResult;
  }

  private call(invocationId: number, call: HostCall, timeoutMs: number): HostCallResult {
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
