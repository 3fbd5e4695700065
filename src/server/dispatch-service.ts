// Unary dispatch: one event in, its outcome out. No director session, so a
// hook's director call gets no-director-session.
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { bacula } from '../gen/hooks-proto.js';
import { decodeDaemon, decodeEvent, encodeOutcome } from '../wire/codec.js';
import { HookServiceError } from '../errors.js';
import type { ServiceContext } from './service-context.js';
import { Undecodable } from './lenient-codec.js';

import pb = bacula.hooks.v1;

export function dispatchHandlers(ctx: ServiceContext) {
  return {
    dispatch(call: ServerUnaryCall<pb.DispatchRequest | Undecodable, pb.IEventOutcome>, done: sendUnaryData<pb.IEventOutcome>) {
      try {
        if (call.request instanceof Undecodable) {
          ctx.callerOf(call); // an unauthenticated caller learns nothing, not even that its bytes were bad
          throw new HookServiceError('invalid-argument', call.request.message);
        }
        const { tenant } = ctx.callerOf(call);
        const daemon = decodeDaemon(call.request.daemon, 'request');
        const event = decodeEvent(call.request.event);
        ctx.dispatcher.dispatch({ tenant, daemon, director: null }, event).then(
          (o) => done(null, encodeOutcome(o)),
          (e) => done(HookServiceError.from(e).toStatus()),
        );
      } catch (e) {
        done(HookServiceError.from(e).toStatus());
      }
    },
  };
}
