// grpc-js client constructors for the three services, from the generated
// definitions, and the caller's credentials: a bearer token sent on every call
// (by an interceptor, so it works over plaintext and TLS alike) and/or TLS
// with an optional client certificate.
import {
  credentials, InterceptingCall, makeGenericClientConstructor,
  type ChannelCredentials, type Client, type ClientOptions, type Interceptor,
} from '@grpc/grpc-js';
import { AdminService, DirectorSessionService, DispatchService } from '../gen/hooks-services.js';

const ctor = (def: object, name: string) => makeGenericClientConstructor(def as never, name);
const AdminCtor = ctor(AdminService, 'Admin');
const DispatchCtor = ctor(DispatchService, 'Dispatch');
const SessionCtor = ctor(DirectorSessionService, 'DirectorSession');

/** TLS to the service; PEM strings. */
export interface ClientTlsOptions {
  /** CA that signed the service's certificate. */
  ca: string;
  /** This client's certificate and key, for mutual TLS (the tenant is the certificate's CN). */
  cert?: string;
  key?: string;
  /** The name the service's certificate must carry, when it differs from the address's host. */
  serverName?: string;
}

export interface ConnectOptions {
  /** Sent as `authorization: Bearer <token>` on every call. */
  token?: string;
  /** Connect over TLS; without it, plaintext. */
  tls?: ClientTlsOptions;
  /** Ready-made channel credentials, instead of `tls`. */
  credentials?: ChannelCredentials;
  channelOptions?: ClientOptions;
  /** Deadline of each unary admin call, in ms (none by default). */
  timeoutMs?: number;
}

type AnyClient = Client & Record<string, (...args: unknown[]) => unknown>;

/** An interceptor that adds `authorization: Bearer <token>` to each call's metadata. */
export function bearerInterceptor(token: string): Interceptor {
  if (!/^[\x21-\x7e]+$/.test(token)) throw new TypeError('token: printable ASCII without spaces, as hookctl new-token prints it');
  const value = `Bearer ${token}`;
  return (options, nextCall) => new InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
      metadata.set('authorization', value);
      next(metadata, listener);
    },
  });
}

export function channelCredentials(o: ConnectOptions): ChannelCredentials {
  if (o.credentials && o.tls) throw new TypeError('give either credentials or tls, not both');
  if (o.credentials) return o.credentials;
  if (!o.tls) return credentials.createInsecure();
  const { ca, cert, key } = o.tls;
  if (!ca) throw new TypeError('tls.ca: the PEM of the CA that signed the service certificate');
  if (!!cert !== !!key) throw new TypeError('tls.cert and tls.key go together (the client certificate and its key, PEM)');
  return credentials.createSsl(Buffer.from(ca), key ? Buffer.from(key) : null, cert ? Buffer.from(cert) : null);
}

export function grpcClient(kind: 'admin' | 'dispatch' | 'session', address: string, o: ConnectOptions = {}): AnyClient {
  const C = kind === 'admin' ? AdminCtor : kind === 'dispatch' ? DispatchCtor : SessionCtor;
  const interceptors = [...(o.channelOptions?.interceptors ?? []), ...(o.token !== undefined ? [bearerInterceptor(o.token)] : [])];
  return new C(address, channelCredentials(o), {
    'grpc.max_send_message_length': 64 * 1024 * 1024,
    ...(o.tls?.serverName ? { 'grpc.ssl_target_name_override': o.tls.serverName, 'grpc.default_authority': o.tls.serverName } : {}),
    ...o.channelOptions,
    ...(interceptors.length ? { interceptors } : {}),
  }) as unknown as AnyClient;
}
