// The error a client call rejects with: the gRPC status code, the service's
// message and, when the service sent them, the rich details from
// grpc-status-details-bin (which hook, event, limit or field).
import { status, type Metadata } from '@grpc/grpc-js';
import { decodeStatusDetails, STATUS_DETAILS_KEY, type ErrorDetails } from '../errors.js';

export class HookClientError extends Error {
  override readonly name = 'HookClientError';
  constructor(readonly code: status, message: string, readonly statusDetails?: ErrorDetails) {
    super(message);
  }

  get codeName(): string {
    return status[this.code] ?? String(this.code);
  }

  static fromGrpc(e: { code?: number; details?: string; message?: string; metadata?: Metadata }): HookClientError {
    return new HookClientError(e.code ?? status.UNKNOWN, e.details ?? e.message ?? 'unknown error', detailsOf(e.metadata));
  }
}

/** The decoded google.rpc.Status details of a call's trailers, if any (undecodable ones are ignored: the code and message still stand). */
export function detailsOf(metadata: Metadata | undefined): ErrorDetails | undefined {
  const raw = metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!raw || typeof raw === 'string') return undefined;
  try {
    return decodeStatusDetails(raw);
  } catch {
    return undefined;
  }
}
