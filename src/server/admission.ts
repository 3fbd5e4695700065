// The door of every call but the director session's (which admits event by
// event, in director-session.ts): refused while the service drains, refused
// when its deadline has already passed (so no work starts that nobody waits
// for). A unary call is tracked by the drain until answered, exactly once.
// Streaming calls (tail, register with progress) are only admitted: a tail
// lives as long as its client wants, so the drain cannot wait for it; the
// server's shutdown ends them.
import type { sendUnaryData, ServerUnaryCall, ServerWritableStream, ServiceDefinition } from '@grpc/grpc-js';
import { HookServiceError } from '../errors.js';
import type { Drain } from './drain.js';

type UnaryHandler = (call: ServerUnaryCall<unknown, unknown>, done: sendUnaryData<unknown>) => void;
type StreamHandler = (call: ServerWritableStream<unknown, unknown>) => void;

export function admitted<H extends object>(drain: Drain, definition: ServiceDefinition, handlers: H): H {
  const out: Record<string, unknown> = { ...(handlers as Record<string, unknown>) };
  for (const [name, m] of Object.entries(definition)) {
    const handler = (handlers as Record<string, unknown>)[name];
    if (typeof handler !== 'function' || m.requestStream) continue;
    out[name] = m.responseStream ? admitStream(drain, handler as StreamHandler) : admitUnary(drain, handler as UnaryHandler);
  }
  return out as H;
}

/** Why a call may not start now, if it may not. */
function refusal(drain: Drain, call: ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>): HookServiceError | undefined {
  try {
    drain.admit();
  } catch (e) {
    return HookServiceError.from(e);
  }
  const d = call.getDeadline();
  const at = d instanceof Date ? d.getTime() : d;
  if (call.cancelled || (Number.isFinite(at) && at <= Date.now())) {
    return new HookServiceError('deadline-exceeded', 'the call\'s deadline passed before it started; nothing was done');
  }
  return undefined;
}

function admitUnary(drain: Drain, handler: UnaryHandler): UnaryHandler {
  return (call, done) => {
    const refused = refusal(drain, call);
    if (refused) return done(refused.toStatus());
    let answered = false;
    const answer: sendUnaryData<unknown> = (err, value) => {
      if (answered) return;
      answered = true;
      release();
      done(err, value);
    };
    const release = drain.track((e) => answer(e.toStatus()));
    try {
      handler(call, answer);
    } catch (e) {
      answer(HookServiceError.from(e).toStatus());
    }
  };
}

function admitStream(drain: Drain, handler: StreamHandler): StreamHandler {
  return (call) => {
    const refused = refusal(drain, call);
    if (refused) return void call.emit('error', refused.toStatus());
    handler(call);
  };
}
