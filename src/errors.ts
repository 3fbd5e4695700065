// One error model: a closed set of codes aligned with gRPC status, one error
// class, one mapping to a gRPC status. Anything thrown is normalised by from().
import { status as GrpcStatus, Metadata, type StatusObject } from '@grpc/grpc-js';

export type ErrorCode =
  | 'unauthenticated'
  | 'permission-denied'
  | 'invalid-argument'
  | 'not-found'
  | 'already-exists'
  | 'failed-precondition'
  | 'resource-exhausted'
  | 'deadline-exceeded'
  | 'unavailable'
  | 'internal';

const GRPC_CODES: Record<ErrorCode, GrpcStatus> = {
  unauthenticated: GrpcStatus.UNAUTHENTICATED,
  'permission-denied': GrpcStatus.PERMISSION_DENIED,
  'invalid-argument': GrpcStatus.INVALID_ARGUMENT,
  'not-found': GrpcStatus.NOT_FOUND,
  'already-exists': GrpcStatus.ALREADY_EXISTS,
  'failed-precondition': GrpcStatus.FAILED_PRECONDITION,
  'resource-exhausted': GrpcStatus.RESOURCE_EXHAUSTED,
  'deadline-exceeded': GrpcStatus.DEADLINE_EXCEEDED,
  unavailable: GrpcStatus.UNAVAILABLE,
  internal: GrpcStatus.INTERNAL,
};

export class HookServiceError extends Error {
  override readonly name = 'HookServiceError';
  constructor(readonly code: ErrorCode, message: string) {
    super(message);
  }

  /** Normalises anything thrown; unknown errors become 'internal' with their message. */
  static from(e: unknown): HookServiceError {
    if (e instanceof HookServiceError) return e;
    const message = e instanceof Error ? e.message : String(e);
    return new HookServiceError('internal', message);
  }

  get grpcCode(): GrpcStatus {
    return GRPC_CODES[this.code];
  }

  toStatus(): Partial<StatusObject> {
    return { code: this.grpcCode, details: this.message, metadata: new Metadata() };
  }
}

export const invalidArgument = (message: string) => new HookServiceError('invalid-argument', message);
export const notFound = (message: string) => new HookServiceError('not-found', message);
