// The connection flags every service command shares, and the AdminClient they make.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { AdminClient } from '../../client/admin-client.js';
import type { ConnectOptions } from '../../client/grpc-clients.js';
import { UsageError } from './exit-codes.js';

export const DEFAULT_SERVER = '127.0.0.1:50051';

export interface ConnectionFlags {
  server: string;
  token?: string;
  tokenFile?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsServerName?: string;
  timeout?: string;
  json?: boolean;
}

/** Adds --server, credentials, TLS, --timeout and --json to a command. */
export function withConnection(cmd: Command, defaultTimeoutS: number | 'none'): Command {
  return cmd
    .addOption(new Option('--server <host:port>', 'the hook service').env('HOOKCTL_SERVER').default(DEFAULT_SERVER))
    .addOption(new Option('--token <token>', 'bearer token (hookctl new-token)').env('HOOKCTL_TOKEN'))
    .option('--token-file <file>', 'read the bearer token from a file')
    .option('--tls-ca <file>', 'connect over TLS: the CA (PEM) that signed the service certificate')
    .option('--tls-cert <file>', 'client certificate (PEM) for mutual TLS; with --tls-key')
    .option('--tls-key <file>', 'its private key (PEM)')
    .option('--tls-server-name <name>', 'the name the service certificate carries, when it differs from the host')
    .option('--timeout <seconds>', `deadline of the call (default ${defaultTimeoutS === 'none' ? 'none' : `${defaultTimeoutS} s`})`)
    .option('--json', 'print JSON for scripts (errors: one JSON line on stderr)');
}

function readText(what: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

/** The connect options the flags ask for; bad flags are a UsageError. */
export function connectOptions(f: ConnectionFlags, defaultTimeoutS: number | 'none'): ConnectOptions {
  if (f.token && f.tokenFile) throw new UsageError('give --token (or HOOKCTL_TOKEN) or --token-file, not both');
  const token = f.tokenFile ? readText('--token-file', f.tokenFile).trim() : f.token;
  if (token !== undefined && !/^[\x21-\x7e]+$/.test(token)) throw new UsageError('the token must be printable ASCII without spaces, as hookctl new-token prints it');
  if (!!f.tlsCert !== !!f.tlsKey) throw new UsageError('--tls-cert and --tls-key go together');
  if ((f.tlsCert || f.tlsServerName) && !f.tlsCa) throw new UsageError('--tls-cert, --tls-key and --tls-server-name need --tls-ca');
  let timeoutMs: number | undefined = defaultTimeoutS === 'none' ? undefined : defaultTimeoutS * 1000;
  if (f.timeout !== undefined) {
    const s = Number(f.timeout);
    if (!(s > 0)) throw new UsageError(`--timeout: ${JSON.stringify(f.timeout)} is not a positive number of seconds`);
    timeoutMs = s * 1000;
  }
  if (!/^[^\s]+:\d{1,5}$/.test(f.server)) throw new UsageError(`--server: ${JSON.stringify(f.server)} is not host:port`);
  return {
    token,
    timeoutMs,
    tls: f.tlsCa ? {
      ca: readText('--tls-ca', f.tlsCa),
      ...(f.tlsCert ? { cert: readText('--tls-cert', f.tlsCert), key: readText('--tls-key', f.tlsKey!) } : {}),
      ...(f.tlsServerName ? { serverName: f.tlsServerName } : {}),
    } : undefined,
  };
}

export function connect(f: ConnectionFlags, defaultTimeoutS: number | 'none'): AdminClient {
  return new AdminClient(f.server, connectOptions(f, defaultTimeoutS));
}
