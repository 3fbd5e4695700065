// One director's bidirectional session: hello, then events and call replies in
// any order. Outcomes go back as events finish (events of one job in order);
// a hook's director call goes out as a DirectorCall and waits for its reply.
// While the service drains, a new session or event is refused UNAVAILABLE;
// each admitted event is answered exactly once (its outcome, or UNAVAILABLE
// if the drain runs out of time first), and then the session is ended.
import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import { bacula } from '../gen/hooks-proto.js';
import type { DaemonInfo } from '../model/job.js';
import { describeDirectorCall, type DirectorCallRequest, type DirectorCallResult } from '../model/director-call.js';
import { decodeDaemon, decodeEvent, encodeOutcome } from '../wire/codec.js';
import { HookServiceError } from '../errors.js';
import type { DirectorAnswerer } from '../sandbox/hook-runner.js';
import type { ServiceContext } from './service-context.js';
import { Undecodable } from './lenient-codec.js';
import { randomUUID } from 'node:crypto';

import pb = bacula.hooks.v1;

type Stream = ServerDuplexStream<pb.DirectorMessage | Undecodable, pb.IServiceMessage>;

interface PendingCall {
  kind: DirectorCallRequest['kind'];
  resolve: (r: DirectorCallResult) => void;
  timer: NodeJS.Timeout;
}

const SERVICE_VERSION = '0.1.0';

export class DirectorSession {
  readonly id = randomUUID();
  private daemon: DaemonInfo | undefined;
  private readonly tenant: string = '';
  private readonly inFlight = new Set<string>();
  private readonly calls = new Map<string, PendingCall>();
  private nextCall = 1;
  private closed = false;
  private halfClosed = false;
  private readonly leaveDrain: () => void = () => {};

  constructor(private readonly ctx: ServiceContext, private readonly stream: Stream) {
    try {
      this.tenant = ctx.callerOf(stream).tenant;
      ctx.drain.admit();
    } catch (e) {
      stream.emit('error', HookServiceError.from(e).toStatus());
      this.close('not admitted');
      return;
    }
    this.leaveDrain = ctx.drain.addSession(this);
    stream.on('data', (m: pb.DirectorMessage | Undecodable) => this.onMessage(m));
    stream.on('end', () => { this.halfClosed = true; this.maybeFinish(); });
    stream.on('cancelled', () => this.close('the director cancelled the session'));
    stream.on('error', () => this.close('the session failed'));
    stream.on('close', () => this.close('the director session closed'));
  }

  private send(m: pb.IServiceMessage) {
    if (!this.closed) this.stream.write(m);
  }

  private reject(eventId: string, e: unknown) {
    const err = HookServiceError.from(e);
    this.send({ rejected: { eventId, code: err.grpcCode, message: err.message, reason: err.details?.reason ?? '', metadata: err.details?.metadata ?? {} } });
  }

  private onMessage(m: pb.DirectorMessage | Undecodable) {
    if (m instanceof Undecodable) return this.reject('', new HookServiceError('invalid-argument', m.message));
    if (!this.daemon) {
      if (!m.hello) {
        this.stream.emit('error', { code: status.INVALID_ARGUMENT, details: 'the first message of a director session must be hello (with the daemon attributes)' });
        return this.close('no hello');
      }
      try {
        this.daemon = decodeDaemon(m.hello.daemon, 'hello');
      } catch (e) {
        this.stream.emit('error', HookServiceError.from(e).toStatus());
        return this.close('bad hello');
      }
      return this.send({ welcome: { sessionId: this.id, serviceVersion: SERVICE_VERSION } });
    }
    if (m.hello) return this.reject('', new HookServiceError('failed-precondition', 'hello was already received on this session'));
    if (m.callReply) return this.onCallReply(m.callReply);
    if (m.event) return this.onEvent(m.event);
    this.reject('', new HookServiceError('invalid-argument', 'empty DirectorMessage: set hello, event or call_reply'));
  }

  private onEvent(raw: pb.IEvent) {
    const id = raw.id ?? '';
    let event;
    try {
      event = decodeEvent(raw);
      if (this.inFlight.has(id)) throw new HookServiceError('already-exists', `event id "${id}" is already in flight on this session`);
      this.ctx.drain.admit();
      const outcome = this.ctx.dispatcher.dispatch({ tenant: this.tenant, daemon: this.daemon!, director: (c) => this.answerer(c) }, event);
      this.inFlight.add(id);
      // Answered once: by its outcome, or by the drain when its time runs out first.
      let answered = false;
      const answer = (send: () => void) => {
        if (answered) return;
        answered = true;
        release();
        send();
        this.inFlight.delete(id);
        this.maybeFinish();
      };
      const release = this.ctx.drain.track((e) => answer(() => this.reject(id, e)));
      outcome.then((o) => answer(() => this.send({ outcome: encodeOutcome(o) })), (e) => answer(() => this.reject(id, e)));
    } catch (e) {
      this.reject(id, e);
    }
  }

  /** Director calls of one hook during one event travel as DirectorCall messages on this stream. */
  private answerer(at: { eventId: string; jobId: number; hookId: string }): DirectorAnswerer {
    return (req) => new Promise<DirectorCallResult>((resolve) => {
      if (this.closed) return resolve({ ok: false, error: { tag: 'unavailable', val: 'the director session has closed' } });
      const callId = `${this.nextCall++}`;
      const timer = setTimeout(() => {
        this.calls.delete(callId);
        resolve({ ok: false, error: { tag: 'timed-out' } });
      }, this.ctx.config.directorCallTimeoutMs);
      this.calls.set(callId, { kind: req.kind, resolve, timer });
      const call: pb.IDirectorCall = { callId, eventId: at.eventId, jobId: at.jobId, hookId: at.hookId };
      if (req.kind === 'run') call.run = req.command;
      else if (req.kind === 'cancel') call.cancel = req.jobId;
      else call.doesVolumeExist = req.name;
      this.send({ call });
    });
  }

  private onCallReply(r: pb.IDirectorCallReply) {
    const pending = this.calls.get(r.callId ?? '');
    if (!pending) return; // answered too late: the hook already got timed-out
    this.calls.delete(r.callId!);
    clearTimeout(pending.timer);
    pending.resolve(callResult(pending.kind, r));
  }

  /** The director closed its side: finish once every event in flight has its outcome. */
  private maybeFinish() {
    if (this.halfClosed && this.inFlight.size === 0 && !this.closed) {
      this.stream.end();
      this.close('finished');
    }
  }

  /** The drain is over: the director is told to go elsewhere, and the hooks' pending director calls fail. */
  end(message: string) {
    if (this.closed) return;
    this.stream.emit('error', { code: status.UNAVAILABLE, details: message });
    this.close(message);
  }

  private close(why: string) {
    if (this.closed) return;
    this.closed = true;
    this.leaveDrain();
    for (const [id, c] of this.calls) {
      clearTimeout(c.timer);
      c.resolve({ ok: false, error: { tag: 'unavailable', val: why } });
      this.calls.delete(id);
    }
  }
}

/** Maps the director's reply onto the call's result type; a reply of the wrong kind is an error the hook sees. */
function callResult(kind: DirectorCallRequest['kind'], r: pb.IDirectorCallReply): DirectorCallResult {
  if (r.refused != null) return { ok: false, error: { tag: 'refused', val: r.refused || 'refused' } };
  if (kind === 'run' && r.runJobId != null) return { ok: true, value: r.runJobId };
  if (kind === 'cancel' && r.cancelled != null) return { ok: true, value: r.cancelled };
  if (kind === 'does-volume-exist' && r.volumeExists != null) return { ok: true, value: r.volumeExists };
  const got = r.runJobId != null ? 'run_job_id' : r.cancelled != null ? 'cancelled' : r.volumeExists != null ? 'volume_exists' : 'nothing';
  return { ok: false, error: { tag: 'unavailable', val: `the director answered ${kind} with ${got}` } };
}

export { describeDirectorCall };
