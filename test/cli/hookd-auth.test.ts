// hookd's credential flags and `hookctl new-token`, the real CLIs in child
// processes: a token made by hookctl lets its tenant in; hookd started with no
// way to authenticate refuses to start.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';
import { AdminClient } from '../../src/client/admin-client.js';
import { CertDir } from '../helpers/certs.js';
import { failureOf } from '../helpers/raw-grpc.js';

const work = mkdtempSync(join(tmpdir(), 'hookd-auth-test-'));
const certs = new CertDir();
const children: ChildProcess[] = [];
afterAll(async () => {
  await Promise.all(children.filter((c) => c.exitCode === null).map((c) => new Promise((r) => { c.once('exit', r); c.kill('SIGTERM'); })));
  rmSync(work, { recursive: true, force: true });
  certs.cleanup();
});

function run(script: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, timeout: 60_000 },
      (e, stdout, stderr) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

/** Starts hookd and resolves with its address once it listens. */
function hookd(...args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/hookd.ts', '--listen', '127.0.0.1:0', '--data-dir', mkdtempSync(join(work, 'data-')), ...args], { cwd: REPO_ROOT });
  children.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (\S+:\d+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`hookd exited ${code}: ${err}`)));
  });
}

describe('hookctl new-token and hookd --tokens', () => {
  it('new-token prints a fresh 32-byte token and the entry with its sha256; hookd lets that token in, and no other', async () => {
    const r = await run('src/cli/hookctl.ts', 'new-token', '--tenant', 'acme', '--json');
    expect(r.code).toBe(0);
    const { token, entry } = JSON.parse(r.stdout) as { token: string; entry: { tenant: string; sha256: string; admin?: boolean } };
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(entry).toEqual({ tenant: 'acme', sha256: createHash('sha256').update(token).digest('hex') });
    const again = JSON.parse((await run('src/cli/hookctl.ts', 'new-token', '--tenant', 'acme', '--json')).stdout);
    expect(again.token).not.toBe(token);

    const human = await run('src/cli/hookctl.ts', 'new-token', '--tenant', 'ops', '--admin');
    expect(human.stdout).toMatch(/^token \(give it to the director of tenant "ops"; it is not stored anywhere\):\n {2}[A-Za-z0-9_-]{43}\n/);
    expect(human.stdout).toMatch(/\{"tenant":"ops","sha256":"[0-9a-f]{64}","admin":true\}/);
    expect((await run('src/cli/hookctl.ts', 'new-token')).code).toBe(2);

    const tokens = join(work, 'tokens.json');
    writeFileSync(tokens, JSON.stringify([entry]));
    const address = await hookd('--tokens', tokens);
    const ok = new AdminClient(address, { token });
    const none = new AdminClient(address);
    const wrong = new AdminClient(address, { token: again.token });
    try {
      expect(await ok.list()).toEqual([]);
      expect((await failureOf(none.list())).codeName).toBe('UNAUTHENTICATED');
      expect((await failureOf(wrong.list())).codeName).toBe('UNAUTHENTICATED');
    } finally {
      for (const c of [ok, none, wrong]) c.close();
    }
  });

  it('serves mutual TLS from --tls-cert, --tls-key and --tls-client-ca', async () => {
    const ca = certs.ca('hookd-test-ca');
    const server = ca.issue('/CN=localhost', 'server');
    const client = ca.issue('/CN=acme', 'client');
    const file = (name: string, text: string) => { const p = join(work, name); writeFileSync(p, text); return p; };
    const address = await hookd('--tls-cert', file('server.pem', server.cert), '--tls-key', file('server.key', server.key), '--tls-client-ca', file('ca.pem', ca.cert));
    const ok = new AdminClient(address, { tls: { ca: ca.cert, cert: client.cert, key: client.key } });
    const anonymous = new AdminClient(address, { tls: { ca: ca.cert } });
    try {
      expect(await ok.list()).toEqual([]);
      expect((await failureOf(anonymous.list())).codeName).toBe('UNAVAILABLE');
    } finally {
      ok.close();
      anonymous.close();
    }
  });

  it('refuses to start without a way to authenticate, or with a bad tokens file (exit 1)', async () => {
    const none = await run('src/cli/hookd.ts', '--listen', '127.0.0.1:0', '--data-dir', join(work, 'never'));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('hookd: cannot start: no way for directors to authenticate: configure auth.tokens or auth.tls');
    const plain = join(work, 'plain.json');
    writeFileSync(plain, JSON.stringify([{ tenant: 'acme', sha256: 'the-token-itself' }]));
    const bad = await run('src/cli/hookd.ts', '--listen', '127.0.0.1:0', '--data-dir', join(work, 'never'), '--tokens', plain);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("auth.tokens[0].sha256: the token's sha256 as 64 hex digits, not the token itself");
  });
});
