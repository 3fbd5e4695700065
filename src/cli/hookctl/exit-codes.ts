// hookctl's exit statuses, the contract scripts rely on, and the one place
// that turns an error into a status and a message on stderr.
import { status } from '@grpc/grpc-js';
import { HookClientError } from '../../client/client-error.js';
import type { ErrorDetails } from '../../errors.js';

export const EXIT = {
  /** The command did what was asked. */
  ok: 0,
  /** The service refused or failed the operation (the gRPC status code name and message are on stderr); fire: the hook failed. */
  failed: 1,
  /** Bad usage or input, found before anything was sent. */
  usage: 2,
  /** The hook (id or name) does not exist, or is another tenant's (NOT_FOUND). */
  notFound: 3,
  /** The service could not be reached or did not answer in time (UNAVAILABLE, DEADLINE_EXCEEDED). */
  unreachable: 4,
} as const;

/** Bad usage or input, found by hookctl itself: exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A hook name that matches no hook the caller can see: exit 3. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

export function exitCodeOf(e: unknown): number {
  if (e instanceof UsageError) return EXIT.usage;
  if (e instanceof NotFoundError) return EXIT.notFound;
  if (e instanceof HookClientError) {
    if (e.code === status.NOT_FOUND) return EXIT.notFound;
    if (e.code === status.UNAVAILABLE || e.code === status.DEADLINE_EXCEEDED) return EXIT.unreachable;
  }
  return EXIT.failed;
}

/** The rich details as indented lines: the reason, then each metadata entry and field violation. */
export function detailLines(d: ErrorDetails): string[] {
  return [
    `reason: ${d.reason}`,
    ...Object.entries(d.metadata ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}: ${v}`),
    ...(d.fieldViolations ?? []).map((v) => `field ${v.field}: ${v.description}`),
  ];
}

/** Prints the error on stderr (one JSON line with --json) and returns the exit status. */
export function reportError(command: string, e: unknown, json: boolean): number {
  const code = exitCodeOf(e);
  const err = e as Error;
  if (json) {
    const body = e instanceof HookClientError
      ? { code: e.codeName, message: e.message, ...(e.statusDetails ? { details: e.statusDetails } : {}) }
      : { code: e instanceof UsageError ? 'USAGE' : e instanceof NotFoundError ? 'NOT_FOUND' : 'ERROR', message: err.message };
    process.stderr.write(`${JSON.stringify({ error: body })}\n`);
    return code;
  }
  if (e instanceof HookClientError) {
    const hint = code === EXIT.unreachable ? ' (is the service running? --server, HOOKCTL_SERVER)' : '';
    // grpc-js ends its connection errors with an empty "Resolution note:".
    process.stderr.write(`hookctl ${command}: ${e.codeName}: ${e.message.replace(/\s*Resolution note:\s*$/, '')}${hint}\n`);
    for (const l of e.statusDetails ? detailLines(e.statusDetails) : []) process.stderr.write(`  ${l}\n`);
  } else if (e instanceof UsageError) {
    process.stderr.write(`hookctl ${command}: ${err.message}\n(hookctl ${command} --help for usage)\n`);
  } else {
    process.stderr.write(`hookctl ${command}: ${err.message}\n`);
  }
  return code;
}
