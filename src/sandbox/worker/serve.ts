// The worker side of a protocol: one handler per request type; replies and
// errors go back with the request's id. Refuses to run on the main thread.
import { isMainThread, parentPort } from 'node:worker_threads';
import type { Api, ReplyMessage, RequestMessage } from './protocol-base.js';

export type Handlers<A extends Api> = {
  [K in keyof A]: (req: RequestMessage<A, K>) => A[K]['res'] | Promise<A[K]['res']>;
};

export function serve<A extends Api>(handlers: Handlers<A>): void {
  if (isMainThread || !parentPort) throw new Error('this module is a worker entry: start it with new Worker()');
  const port = parentPort;
  port.on('message', async (msg: RequestMessage<A>) => {
    let reply: ReplyMessage;
    try {
      const value = await handlers[msg.type](msg as never);
      reply = { kind: 'reply', requestId: msg.requestId, ok: true, value };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { kind: 'reply', requestId: msg.requestId, ok: false, errorName: err.name, message: err.message };
    }
    port.postMessage(reply);
  });
}
