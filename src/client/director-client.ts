// A director's side of the session, typed and promise-based: open a session
// with the daemon attributes, send events and await their outcomes, and answer
// the director calls hooks make with plain callbacks.
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { bacula } from '../gen/hooks-proto.js';
import type { DaemonInfo, HookEvent } from '../model/job.js';
import type { EventOutcome } from '../model/outcome.js';
import { decodeOutcome, encodeDaemon, encodeEvent } from '../wire/codec.js';
import { grpcClient, type ConnectOptions } from './grpc-clients.js';
import { HookClientError } from './client-error.js';

import pb = bacula.hooks.v1;

/** Which event, job and hook a director call comes from. */
export interface CallContext {
  eventId: string;
  jobId: number;
  hookId: string;
}

/**
 * The director's answers to hooks. A missing handler refuses the call; a
 * handler that throws refuses it with the error's message, which the hook sees.
 */
export interface DirectorCallHandlers {
  /** Bacula: job.run(command). Returns the new JobId. */
  run?(command: string, ctx: CallContext): number | Promise<number>;
  /** Bacula: job.cancel(jobid). */
  cancel?(jobId: number, ctx: CallContext): void | Promise<void>;
  /** Bacula: job.DoesVolumeExist(name). */
  doesVolumeExist?(name: string, ctx: CallContext): boolean | Promise<boolean>;
}

export interface SessionOptions extends ConnectOptions {
  daemon: DaemonInfo;
  handlers?: DirectorCallHandlers;
  /** Rejections not tied to one event (a protocol error). Default: ignored. */
  onProtocolError?: (e: HookClientError) => void;
}

type EventInput = Omit<HookEvent, 'id'> & { id?: string };

export class DirectorSessionClient {
  private readonly pending = new Map<string, { resolve: (o: EventOutcome) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failed: HookClientError | undefined;
  private readonly ended: Promise<void>;
  sessionId = '';

  private constructor(private readonly client: ReturnType<typeof grpcClient>, private readonly stream: ClientDuplexStream<pb.IDirectorMessage, pb.ServiceMessage>, private readonly o: SessionOptions) {
    this.ended = new Promise((resolve) => {
      stream.on('end', () => { this.fail(new HookClientError(14, 'the session ended')); resolve(); });
      stream.on('error', (e: Parameters<typeof HookClientError.fromGrpc>[0]) => { this.fail(HookClientError.fromGrpc(e)); resolve(); });
    });
  }

  /** Opens a session and waits for the service's welcome. */
  static open(address: string, o: SessionOptions): Promise<DirectorSessionClient> {
    const client = grpcClient('session', address, o);
    const stream = client.open() as ClientDuplexStream<pb.IDirectorMessage, pb.ServiceMessage>;
    const s = new DirectorSessionClient(client, stream, o);
    return new Promise((resolve, reject) => {
      const onFirst = (m: pb.ServiceMessage) => {
        if (m.welcome) {
          s.sessionId = m.welcome.sessionId ?? '';
          stream.on('data', (msg: pb.ServiceMessage) => s.onMessage(msg));
          resolve(s);
        } else reject(new HookClientError(13, 'the service did not answer hello with welcome'));
      };
      stream.once('data', onFirst);
      stream.once('error', (e: Parameters<typeof HookClientError.fromGrpc>[0]) => reject(HookClientError.fromGrpc(e)));
      stream.write({ hello: { daemon: encodeDaemon(o.daemon) } });
    });
  }

  /** Sends one event; resolves with its outcome, rejects with the service's reason when refused. */
  send(event: EventInput): Promise<EventOutcome> {
    if (this.failed) return Promise.reject(this.failed);
    const id = event.id ?? `e${this.nextId++}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.stream.write({ event: encodeEvent({ ...event, id }) });
    });
  }

  /** For tests and tools: write a raw message on the stream. */
  writeRaw(m: pb.IDirectorMessage) {
    this.stream.write(m);
  }

  private onMessage(m: pb.ServiceMessage) {
    if (m.outcome) {
      const id = m.outcome.eventId ?? '';
      const p = this.pending.get(id);
      this.pending.delete(id);
      p?.resolve(decodeOutcome(m.outcome));
    } else if (m.rejected) {
      const id = m.rejected.eventId ?? '';
      const r = m.rejected;
      const err = new HookClientError(r.code ?? 2, r.message ?? '', r.reason ? { reason: r.reason, metadata: { ...r.metadata } } : undefined);
      const p = this.pending.get(id);
      if (p) {
        this.pending.delete(id);
        p.reject(err);
      } else this.o.onProtocolError?.(err);
    } else if (m.call) {
      void this.answer(m.call);
    }
  }

  private async answer(c: pb.IDirectorCall) {
    const ctx: CallContext = { eventId: c.eventId ?? '', jobId: c.jobId ?? 0, hookId: c.hookId ?? '' };
    const h = this.o.handlers ?? {};
    const reply: pb.IDirectorCallReply = { callId: c.callId };
    try {
      if (c.run != null) {
        if (!h.run) throw new Error('this director does not run jobs for hooks');
        reply.runJobId = await h.run(c.run, ctx);
      } else if (c.cancel != null) {
        if (!h.cancel) throw new Error('this director does not cancel jobs for hooks');
        await h.cancel(c.cancel, ctx);
        reply.cancelled = true;
      } else if (c.doesVolumeExist != null) {
        if (!h.doesVolumeExist) throw new Error('this director does not look up volumes for hooks');
        reply.volumeExists = await h.doesVolumeExist(c.doesVolumeExist, ctx);
      } else throw new Error('unknown director call');
    } catch (e) {
      reply.refused = e instanceof Error ? e.message : String(e);
    }
    if (!this.failed) this.stream.write({ callReply: reply });
  }

  private fail(e: HookClientError) {
    if (this.failed) return;
    this.failed = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Half-closes: the service finishes the events in flight, then ends the session. */
  async close(): Promise<void> {
    this.stream.end();
    await this.ended;
    this.client.close();
  }
}
