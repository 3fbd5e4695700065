// The error a client call rejects with: the gRPC status code and the service's message.
import { status } from '@grpc/grpc-js';

export class HookClientError extends Error {
  override readonly name = 'HookClientError';
  constructor(readonly code: status, message: string) {
    super(message);
  }

  get codeName(): string {
    return status[this.code] ?? String(this.code);
  }

  static fromGrpc(e: { code?: number; details?: string; message?: string }): HookClientError {
    return new HookClientError(e.code ?? status.UNKNOWN, e.details ?? e.message ?? 'unknown error');
  }
}
