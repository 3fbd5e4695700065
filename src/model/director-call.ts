// A hook's call into the director, and its answer (WIT interface director).
export type DirectorCallRequest =
  | { kind: 'run'; command: string }
  | { kind: 'cancel'; jobId: number }
  | { kind: 'does-volume-exist'; name: string };

/** WIT variant director-error. */
export type DirectorError =
  | { tag: 'no-director-session' }
  | { tag: 'refused'; val: string }
  | { tag: 'timed-out' }
  | { tag: 'unavailable'; val: string };

export type DirectorCallResult =
  | { ok: true; value: number | boolean | null }
  | { ok: false; error: DirectorError };

export function describeDirectorCall(c: DirectorCallRequest): string {
  switch (c.kind) {
    case 'run': return `run(${JSON.stringify(c.command)})`;
    case 'cancel': return `cancel(${c.jobId})`;
    case 'does-volume-exist': return `does-volume-exist(${JSON.stringify(c.name)})`;
  }
}
