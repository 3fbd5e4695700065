// Runs a command's action: a client connected from the flags, closed after;
// any error printed (human or JSON) and turned into the documented exit status.
import type { AdminClient } from '../../client/admin-client.js';
import { connect, type ConnectionFlags } from './connection.js';
import { reportError } from './exit-codes.js';

export async function runLocal(command: string, json: boolean | undefined, fn: () => Promise<number | void> | number | void): Promise<void> {
  try {
    process.exitCode = (await fn()) ?? 0;
  } catch (e) {
    process.exitCode = reportError(command, e, !!json);
  }
}

export function runWithClient(command: string, flags: ConnectionFlags, defaultTimeoutS: number | 'none',
  fn: (admin: AdminClient) => Promise<number | void>): Promise<void> {
  return runLocal(command, flags.json, async () => {
    const admin = connect(flags, defaultTimeoutS);
    try {
      return await fn(admin);
    } finally {
      admin.close();
    }
  });
}
