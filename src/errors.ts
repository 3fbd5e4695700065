// One error model: a closed set of codes aligned with gRPC status, one error
// class, one mapping to a gRPC status. Anything thrown is normalised by from().
// An error may carry details (which hook, which event, which limit, which
// field): they travel as a standard google.rpc.Status in the
// grpc-status-details-bin trailer, so any gRPC client can read them.
import { status as GrpcStatus, Metadata, type StatusObject } from '@grpc/grpc-js';
import { google } from './gen/google-rpc.js';

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

/** The ErrorInfo domain of this service's errors. */
export const ERROR_DOMAIN = 'bacula-hooks';
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

/** A request field that was wrong (google.rpc.BadRequest.FieldViolation). */
export interface FieldViolation {
  field: string;
  description: string;
}

/** What an error knows beyond its message: google.rpc.ErrorInfo's reason and metadata, BadRequest's fields. */
export interface ErrorDetails {
  /** UPPER_SNAKE_CASE, e.g. HOOK_NOT_FOUND, EVENTS_IN_FLIGHT_LIMIT. */
  reason: string;
  /** tenant, hook, event, job, limit, ... (strings, as ErrorInfo carries them). */
  metadata?: Record<string, string>;
  fieldViolations?: FieldViolation[];
}

export class HookServiceError extends Error {
  override readonly name = 'HookServiceError';
  constructor(readonly code: ErrorCode, message: string, readonly details?: ErrorDetails) {
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
    const metadata = new Metadata();
    if (this.details) metadata.set(STATUS_DETAILS_KEY, encodeStatusDetails(this.grpcCode, this.message, this.details));
    return { code: this.grpcCode, details: this.message, metadata };
  }
}

const TYPE_PREFIX = 'type.googleapis.com/';

/** The google.rpc.Status for grpc-status-details-bin: an ErrorInfo, and a BadRequest when fields are named. */
export function encodeStatusDetails(code: number, message: string, d: ErrorDetails): Buffer {
  const { ErrorInfo, BadRequest, Status } = google.rpc;
  const details = [{
    type_url: `${TYPE_PREFIX}google.rpc.ErrorInfo`,
    value: ErrorInfo.encode({ reason: d.reason, domain: ERROR_DOMAIN, metadata: d.metadata ?? {} }).finish(),
  }];
  if (d.fieldViolations?.length) {
    details.push({ type_url: `${TYPE_PREFIX}google.rpc.BadRequest`, value: BadRequest.encode({ fieldViolations: d.fieldViolations }).finish() });
  }
  return Buffer.from(Status.encode({ code, message, details }).finish());
}

/** The details of a google.rpc.Status from grpc-status-details-bin; undefined when there is no ErrorInfo. */
export function decodeStatusDetails(bytes: Uint8Array): ErrorDetails | undefined {
  const { ErrorInfo, BadRequest, Status } = google.rpc;
  let out: ErrorDetails | undefined;
  const violations: FieldViolation[] = [];
  for (const any of Status.decode(bytes).details) {
    if (any.type_url === `${TYPE_PREFIX}google.rpc.ErrorInfo`) {
      const info = ErrorInfo.decode(any.value ?? new Uint8Array());
      out = { reason: info.reason, metadata: { ...info.metadata } };
    } else if (any.type_url === `${TYPE_PREFIX}google.rpc.BadRequest`) {
      for (const v of BadRequest.decode(any.value ?? new Uint8Array()).fieldViolations) violations.push({ field: v.field ?? '', description: v.description ?? '' });
    }
  }
  if (violations.length) out = { reason: out?.reason ?? 'INVALID_ARGUMENT', metadata: out?.metadata, fieldViolations: violations };
  return out;
}

/** A request field that was wrong: INVALID_ARGUMENT with a BadRequest naming it. */
export const badField = (field: string, description: string, metadata?: Record<string, string>) =>
  new HookServiceError('invalid-argument', `${field}: ${description}`, { reason: 'INVALID_FIELD', metadata, fieldViolations: [{ field, description }] });

export const invalidArgument = (message: string, details?: ErrorDetails) => new HookServiceError('invalid-argument', message, details);
export const notFound = (message: string, details?: ErrorDetails) => new HookServiceError('not-found', message, details);

/**
 * The error with more context in its details (e.g. the tenant and hook name a
 * registration refusal is about); an error without details gets them, with
 * the reason named after its code.
 */
export function withMetadata(e: unknown, metadata: Record<string, string>): HookServiceError {
  const err = HookServiceError.from(e);
  const d = err.details ?? { reason: err.code.toUpperCase().replace(/-/g, '_') };
  return new HookServiceError(err.code, err.message, { ...d, metadata: { ...metadata, ...d.metadata } });
}
