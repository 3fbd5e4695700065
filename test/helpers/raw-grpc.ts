// Raw grpc-js clients over the generated service definitions, for sending what
// the typed clients never would: any protobuf message (fields out of range,
// fields missing) and, where a method is made "raw", arbitrary bytes.
import {
  credentials, makeGenericClientConstructor, status, type Client, type ClientDuplexStream, type ServiceError,
} from '@grpc/grpc-js';
import { bacula } from '../../src/gen/hooks-proto.js';
import { AdminService, DirectorSessionService, DispatchService } from '../../src/gen/hooks-services.js';

import pb = bacula.hooks.v1;

type MethodDef = { path: string; requestSerialize: (m: never) => Buffer; [k: string]: unknown };

/** The same service, but a Buffer passed as the request goes on the wire as is. */
function passBuffers<D extends Record<string, MethodDef>>(def: D): D {
  const out: Record<string, MethodDef> = {};
  for (const [name, m] of Object.entries(def)) {
    out[name] = { ...m, requestSerialize: (req: unknown) => (Buffer.isBuffer(req) ? req : m.requestSerialize(req as never)) };
  }
  return out as D;
}

const ctor = (def: object, name: string) => makeGenericClientConstructor(passBuffers(def as never) as never, name);
const AdminCtor = ctor(AdminService, 'RawAdmin');
const DispatchCtor = ctor(DispatchService, 'RawDispatch');
const SessionCtor = ctor(DirectorSessionService, 'RawDirectorSession');

type AnyClient = Client & Record<string, (...args: unknown[]) => unknown>;

/** A gRPC failure as the tests look at it: the status code and the service's message. */
export interface Failure {
  code: status;
  codeName: string;
  details: string;
}

export const failure = (e: ServiceError): Failure => ({ code: e.code, codeName: status[e.code], details: e.details });

function unary<Res>(client: AnyClient, method: string, req: object | Buffer): Promise<Res> {
  return new Promise((resolve, reject) => {
    client[method](req, (e: ServiceError | null, res: Res) => (e ? reject(failure(e)) : resolve(res)));
  });
}

/** Resolves with the Failure of a call that must fail; throws if it succeeded. */
export async function failureOf(p: Promise<unknown>): Promise<Failure> {
  try {
    await p;
  } catch (e) {
    const f = e as Partial<Failure> & { code?: number; message?: string };
    return { code: f.code!, codeName: status[f.code!], details: f.details ?? f.message ?? '' };
  }
  throw new Error('the call succeeded, but it was expected to fail');
}

export class RawAdmin {
  private readonly client: AnyClient;
  constructor(address: string) {
    this.client = new AdminCtor(address, credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 1024 * 1024 }) as unknown as AnyClient;
  }
  register(req: pb.IRegisterHookRequest | Buffer) { return unary<pb.Hook>(this.client, 'register', req); }
  get(req: pb.IHookRef | Buffer) { return unary<pb.Hook>(this.client, 'get', req); }
  close() { this.client.close(); }
}

export class RawDispatch {
  private readonly client: AnyClient;
  constructor(address: string) {
    this.client = new DispatchCtor(address, credentials.createInsecure()) as unknown as AnyClient;
  }
  dispatch(req: pb.IDispatchRequest | Buffer) { return unary<pb.EventOutcome>(this.client, 'dispatch', req); }
  close() { this.client.close(); }
}

/**
 * One raw director session: write any DirectorMessage (or raw bytes) and read
 * the service's messages one at a time, in order.
 */
export class RawSession {
  private readonly client: AnyClient;
  private readonly stream: ClientDuplexStream<pb.IDirectorMessage | Buffer, pb.ServiceMessage>;
  private readonly queue: pb.ServiceMessage[] = [];
  private waiters: ((m: pb.ServiceMessage | undefined) => void)[] = [];
  private finished = false;
  /** How the stream ended: the status the service closed it with. */
  readonly ended: Promise<Failure>;

  constructor(address: string) {
    this.client = new SessionCtor(address, credentials.createInsecure()) as unknown as AnyClient;
    this.stream = this.client.open() as ClientDuplexStream<pb.IDirectorMessage | Buffer, pb.ServiceMessage>;
    this.stream.on('data', (m: pb.ServiceMessage) => {
      const w = this.waiters.shift();
      if (w) w(m);
      else this.queue.push(m);
    });
    this.ended = new Promise((resolve) => {
      this.stream.on('status', (s: { code: status; details: string }) => resolve({ code: s.code, codeName: status[s.code], details: s.details }));
      this.stream.on('error', () => undefined); // the status event carries the same code and details
    });
    void this.ended.then(() => {
      this.finished = true;
      for (const w of this.waiters.splice(0)) w(undefined);
    });
  }

  write(m: pb.IDirectorMessage | Buffer) {
    this.stream.write(m);
  }

  /** The next message from the service; rejects if none comes within timeoutMs or the stream ends first. */
  next(timeoutMs = 20_000): Promise<pb.ServiceMessage> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    if (this.finished) return Promise.reject(new Error('the session has ended'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no message from the service within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (m: pb.ServiceMessage | undefined) => {
        clearTimeout(timer);
        if (m) resolve(m);
        else reject(new Error('the session has ended'));
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends hello and returns the welcome. */
  async hello(daemon: pb.IDaemon): Promise<pb.IWelcome> {
    this.write({ hello: { daemon } });
    const m = await this.next();
    if (!m.welcome) throw new Error(`expected welcome, got ${JSON.stringify(m.toJSON())}`);
    return m.welcome;
  }

  /** Half-closes and waits for the service to end the stream. */
  async close(): Promise<Failure> {
    this.stream.end();
    const s = await this.ended;
    this.client.close();
    return s;
  }

  /** Gives up on the stream at once (for sessions the service already ended). */
  cancel() {
    this.stream.cancel();
    this.client.close();
  }
}
