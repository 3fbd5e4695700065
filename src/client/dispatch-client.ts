// One event without a session: for scripts and bridges that cannot keep a stream.
import type { DaemonInfo, HookEvent } from '../model/job.js';
import type { EventOutcome } from '../model/outcome.js';
import { bacula } from '../gen/hooks-proto.js';
import { decodeOutcome, encodeDaemon, encodeEvent } from '../wire/codec.js';
import { grpcClient, type ConnectOptions } from './grpc-clients.js';
import { HookClientError } from './client-error.js';

import pb = bacula.hooks.v1;

export class DispatchClient {
  private readonly client;

  constructor(address: string, options: ConnectOptions = {}) {
    this.client = grpcClient('dispatch', address, options);
  }

  dispatch(daemon: DaemonInfo, event: HookEvent, o: { deadlineMs?: number } = {}): Promise<EventOutcome> {
    const req: pb.IDispatchRequest = { daemon: encodeDaemon(daemon), event: encodeEvent(event) };
    const deadline = o.deadlineMs ? { deadline: Date.now() + o.deadlineMs } : {};
    return new Promise((resolve, reject) => {
      this.client.dispatch(req, deadline, (e: Parameters<typeof HookClientError.fromGrpc>[0] | null, res: pb.IEventOutcome) =>
        (e ? reject(HookClientError.fromGrpc(e)) : resolve(decodeOutcome(res))));
    });
  }

  close() {
    this.client.close();
  }
}
