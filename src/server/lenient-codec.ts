// grpc-js answers a request it cannot decode with INTERNAL. Bad bytes are the
// caller's mistake, so the server decodes leniently and the handler answers
// INVALID_ARGUMENT with what was wrong.
import type { ServiceDefinition } from '@grpc/grpc-js';

export class Undecodable {
  constructor(readonly message: string) {}
}

export function lenient<D extends ServiceDefinition>(def: D): D {
  const out: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(def)) {
    out[name] = {
      ...m,
      requestDeserialize: (b: Buffer) => {
        try {
          return m.requestDeserialize(b);
        } catch (e) {
          return new Undecodable(`the ${m.path} request is not a valid protobuf message (${(e as Error).message})`);
        }
      },
    };
  }
  return out as D;
}
