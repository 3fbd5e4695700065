// The bare grpc-js baseline: one bidirectional-stream method whose server
// writes every message straight back. Raw Buffers both ways: no protobuf work.
import { Server, ServerCredentials, makeGenericClientConstructor, type ServerDuplexStream, type ServiceDefinition } from '@grpc/grpc-js';

const raw = (b: Buffer) => b;

export const EchoService = {
  echo: {
    path: '/bench.Echo/Echo',
    requestStream: true,
    responseStream: true,
    requestSerialize: raw,
    requestDeserialize: raw,
    responseSerialize: raw,
    responseDeserialize: raw,
  },
} satisfies ServiceDefinition;

export const EchoClient = makeGenericClientConstructor(EchoService as never, 'Echo');

export interface EchoServer {
  address: string;
  close(): Promise<void>;
}

export async function startEchoServer(): Promise<EchoServer> {
  const server = new Server();
  server.addService(EchoService, {
    echo: (call: ServerDuplexStream<Buffer, Buffer>) => {
      call.on('data', (b: Buffer) => call.write(b));
      call.on('end', () => call.end());
      call.on('error', () => undefined);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return {
    address: `127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.tryShutdown(() => r())),
  };
}
