// hookd's configuration: a file (YAML or JSON, --config or HOOKD_CONFIG),
// HOOKD_* variables over it, flags over both; every mistake stops the start
// with the place, the key and the fix; --print-config shows the result with
// secrets masked. The real hookd in child processes, plus loadConfig itself.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';
import { loadConfig } from '../../src/config/load.js';
import { ENV_KEYS, envName } from '../../src/config/env.js';
import { resolveConfig } from '../../src/config.js';
import { RELOADABLE_KEYS } from '../../src/server/reload.js';
import { CertDir } from '../helpers/certs.js';

const work = mkdtempSync(join(tmpdir(), 'hookd-config-test-'));
const certs = new CertDir();
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  certs.cleanup();
});

const file = (name: string, text: string) => {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
};

/** The real hookd; resolves with its exit code and output. */
function hookd(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('HOOKD_')));
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/hookd.ts', ...args], { cwd: REPO_ROOT, timeout: 60_000, env: { ...clean, ...env } },
      (e, stdout, stderr) => resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('config errors stop the start, naming the place, the key and the fix', () => {
  it('an unknown key, with the nearest known one; a value of the wrong type, with what was expected', async () => {
    const f = file('typos.yaml', 'listn: 127.0.0.1:1\nlimits:\n  defaults:\n    deadlineMs: 5s\n    memoryMb: 3\n');
    const r = await hookd(['--config', f]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`hookd: ${f}: unknown key "listn" (did you mean "listen"?)`);
    expect(r.stderr).toContain(`hookd: ${f}: limits.defaults.deadlineMs: expected a whole number > 0, got "5s"`);
    expect(r.stderr).toContain(`hookd: ${f}: limits.defaults: unknown key "memoryMb" (did you mean "memoryMiB"?)`);
  });

  it('a file that cannot be read or parsed, or is not a mapping', async () => {
    const missing = join(work, 'nope.yaml');
    const r = await hookd(['--config', missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`hookd: ${missing}: cannot read the config file (ENOENT); check the path given to --config or HOOKD_CONFIG`);

    const broken = file('broken.yaml', 'listen: [127.0.0.1:1\n');
    expect((await hookd(['--config', broken])).stderr).toMatch(new RegExp(`^hookd: ${broken}: not valid YAML or JSON: .*line 2`, 'm'));
    const list = file('list.yaml', '- listen\n');
    expect((await hookd(['--config', list])).stderr).toContain(`${list}: expected a mapping of keys (listen: ..., dataDir: ...), got a list`);
  });

  it('a wrong or unknown HOOKD_ variable names the variable and the key', async () => {
    const bad = await hookd([], { HOOKD_LIMITS_DEFAULTS_DEADLINE_MS: '5s' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('hookd: HOOKD_LIMITS_DEFAULTS_DEADLINE_MS (limits.defaults.deadlineMs): expected a whole number > 0, got "5s"');
    const typo = await hookd([], { HOOKD_LISTN: '127.0.0.1:1' });
    expect(typo.stderr).toContain('hookd: HOOKD_LISTN: not a hookd setting (did you mean HOOKD_LISTEN?)');
    // The variables that are not config keys pass.
    expect(() => loadConfig({ env: { HOOKD_WORKER_BUNDLE: '0', HOOKD_CONFIG: '' } })).not.toThrow();
  });

  it('no way to authenticate: refused, with the fix for local use and for remote directors', async () => {
    const r = await hookd(['--listen', '127.0.0.1:0', '--data-dir', join(work, 'never')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hookd: cannot start: no way for directors to authenticate');
    expect(r.stderr).toContain('for local use on this host: hookd --insecure-local-tenant local');
    expect(r.stderr).toContain('HOOKD_AUTH_UNAUTHENTICATED_TENANT=local');
  });

  it('in-process: a TLS key without its certificate, a tokens file that is not JSON, log.level not a level', () => {
    expect(() => loadConfig({ env: {}, flags: { auth: { tls: { key: '/x' } } } })).toThrow('auth.tls: cert and key go together');
    const notJson = file('tokens.txt', 'acme abc');
    expect(() => loadConfig({ env: { HOOKD_AUTH_TOKENS_FILE: notJson } })).toThrow(`auth.tokensFile ${notJson}: not JSON`);
    expect(() => loadConfig({ env: { HOOKD_LOG_LEVEL: 'loud' } }))
      .toThrow('HOOKD_LOG_LEVEL (log.level): expected one of trace, debug, info, warn, error, fatal, silent, got "loud"');
  });
});

describe('precedence: flags over HOOKD_* over the file, key by key', () => {
  it('listen from each source in turn; the other keys keep the file\'s values; HOOKD_CONFIG names the file', async () => {
    const f = file('precedence.yaml', 'listen: 127.0.0.1:1111\nworkersPerTenant: 3\nauth:\n  unauthenticatedTenant: local\n');
    const print = async (args: string[], env: Record<string, string> = {}) => {
      const r = await hookd([...args, '--print-config'], env);
      expect(r.code, r.stderr).toBe(0);
      return parse(r.stdout) as Record<string, unknown>;
    };
    expect(await print(['--config', f])).toMatchObject({ listen: '127.0.0.1:1111', workersPerTenant: 3 });
    expect(await print(['--config', f], { HOOKD_LISTEN: '127.0.0.1:2222' })).toMatchObject({ listen: '127.0.0.1:2222', workersPerTenant: 3 });
    expect(await print(['--config', f, '--listen', '127.0.0.1:3333'], { HOOKD_LISTEN: '127.0.0.1:2222' }))
      .toMatchObject({ listen: '127.0.0.1:3333', workersPerTenant: 3 });
    expect(await print([], { HOOKD_CONFIG: f, HOOKD_WORKERS_PER_TENANT: '2' })).toMatchObject({ listen: '127.0.0.1:1111', workersPerTenant: 2 });
  });

  it('in-process: nested keys merge, paths in a file are relative to it, JSON files work', () => {
    const f = file('nested.json', JSON.stringify({ dataDir: 'data', limits: { defaults: { deadlineMs: 100, memoryMiB: 8 } }, auth: { unauthenticatedTenant: 'x' } }));
    const loaded = loadConfig({ file: f, env: { HOOKD_LIMITS_DEFAULTS_MEMORY_MIB: '16' } });
    const c = resolveConfig(loaded.options);
    expect(c.dataDir).toBe(join(work, 'data'));
    expect(c.limits.defaults).toMatchObject({ deadlineMs: 100, memoryMiB: 16, reportLines: 200 });
  });

  it('every leaf key has its variable, and the names read as documented', () => {
    expect(envName(['listen'])).toBe('HOOKD_LISTEN');
    expect(envName(['dataDir'])).toBe('HOOKD_DATA_DIR');
    expect(envName(['limits', 'defaults', 'deadlineMs'])).toBe('HOOKD_LIMITS_DEFAULTS_DEADLINE_MS');
    expect(envName(['limits', 'defaults', 'memoryMiB'])).toBe('HOOKD_LIMITS_DEFAULTS_MEMORY_MIB');
    expect(envName(['auth', 'tls', 'clientCa'])).toBe('HOOKD_AUTH_TLS_CLIENT_CA');
    const names = ENV_KEYS.map((k) => k.env);
    expect(new Set(names).size).toBe(names.length);
    for (const n of ['HOOKD_METRICS_LISTEN', 'HOOKD_LOG_LEVEL', 'HOOKD_LOG_FORMAT', 'HOOKD_SHUTDOWN_DRAIN_TIMEOUT_MS', 'HOOKD_GRPC_KEEPALIVE_TIME_MS', 'HOOKD_AUTH_TOKENS_FILE']) {
      expect(names).toContain(n);
    }
  });
});

describe('--print-config', () => {
  it('prints the effective configuration with defaults, token hashes masked and TLS as paths, and exits 0', async () => {
    const hash = sha('the-token-of-acme');
    const fileHash = sha('the-token-of-ops');
    const tokens = file('tokens.json', JSON.stringify([{ tenant: 'ops', sha256: fileHash, admin: true }]));
    const ca = certs.ca('print-config-ca');
    const server = ca.issue('/CN=localhost', 'server');
    const cert = file('server.pem', server.cert);
    const key = file('server.key', server.key);
    const f = file('secrets.yaml', [
      'auth:', '  tokens:', `    - { tenant: acme, sha256: ${hash} }`, '  tokensFile: tokens.json', '  tls: { cert: server.pem, key: server.key }',
      'metrics: { listen: "127.0.0.1:9464" }', 'log: { level: debug, format: pretty }',
    ].join('\n'));
    const r = await hookd(['--config', f, '--print-config']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(hash);
    expect(r.stdout).not.toContain(fileHash);
    expect(r.stdout).not.toContain('PRIVATE KEY');
    const printed = parse(r.stdout) as Record<string, any>;
    expect(printed.auth).toEqual({ tokens: [{ tenant: 'acme', sha256: '***' }], tokensFile: tokens, tls: { cert, key } });
    expect(printed).toMatchObject({
      listen: '127.0.0.1:50051', workersPerTenant: 1, metrics: { listen: '127.0.0.1:9464' }, log: { level: 'debug', format: 'pretty' },
      shutdown: { drainTimeoutMs: 20_000 }, grpc: { keepaliveTimeMs: 60_000 }, limits: { defaults: { deadlineMs: 5_000 } },
    });
  });
});

describe('docs/operations.md', () => {
  it('has a row for every key a variable can set, with its variable, and says which keys SIGHUP applies as reload.ts does', () => {
    const rows = new Map<string, string[]>();
    for (const line of readFileSync(join(REPO_ROOT, 'docs', 'operations.md'), 'utf8').split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      const key = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
      if (key) rows.set(key, cells.slice(2));
    }
    for (const { env, path } of ENV_KEYS) {
      const key = path.join('.');
      const row = rows.get(key);
      expect(row, key).toBeDefined();
      expect(row![1], key).toBe(`\`${env}\``);
      const reloadable = RELOADABLE_KEYS.some((k) => key === k || key.startsWith(`${k}.`)) || key === 'auth.tokensFile';
      expect(row![2].startsWith('yes'), `${key}: SIGHUP column`).toBe(reloadable);
    }
  });
});
