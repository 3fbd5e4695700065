// grpc-js client constructors for the three services, from the generated definitions.
import { credentials, makeGenericClientConstructor, type ChannelCredentials, type Client, type ClientOptions } from '@grpc/grpc-js';
import { AdminService, DirectorSessionService, DispatchService } from '../gen/hooks-services.js';

const ctor = (def: object, name: string) => makeGenericClientConstructor(def as never, name);
const AdminCtor = ctor(AdminService, 'Admin');
const DispatchCtor = ctor(DispatchService, 'Dispatch');
const SessionCtor = ctor(DirectorSessionService, 'DirectorSession');

export interface ConnectOptions {
  credentials?: ChannelCredentials;
  channelOptions?: ClientOptions;
}

type AnyClient = Client & Record<string, (...args: unknown[]) => unknown>;

export function grpcClient(kind: 'admin' | 'dispatch' | 'session', address: string, o: ConnectOptions = {}): AnyClient {
  const C = kind === 'admin' ? AdminCtor : kind === 'dispatch' ? DispatchCtor : SessionCtor;
  return new C(address, o.credentials ?? credentials.createInsecure(), {
    'grpc.max_send_message_length': 64 * 1024 * 1024,
    ...o.channelOptions,
  }) as unknown as AnyClient;
}
