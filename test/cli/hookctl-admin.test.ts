// hookctl's service commands against a real service on loopback (bearer
// tokens: two tenants and an admin), the real CLI in child processes, real
// compiled components: every command in human and JSON output, the exit
// statuses, --help, and what the service holds afterwards.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestService, testJob, fixture, DAEMON, type TestService } from '../helpers/service.js';
import { CertDir } from '../helpers/certs.js';
import { fixturePath } from '../fixtures/build-fixtures.js';
import { DispatchClient } from '../../src/client/dispatch-client.js';
import type { HookInfo } from '../../src/client/admin-client.js';
import { hookctl } from './hookctl-process.js';


// Each hookctl is a Node process (~1.5 s of CPU to start): generous on a loaded 2-core machine.
vi.setConfig({ testTimeout: 240_000 });
const token = () => randomBytes(32).toString('base64url');
const entry = (t: string, tenant: string, admin = false) => ({ tenant, sha256: createHash('sha256').update(t).digest('hex'), ...(admin ? { admin } : {}) });
const ACME = token();
const BETA = token();
const OPS = token();
const conformance = fixturePath('conformance.c');
const work = mkdtempSync(join(tmpdir(), 'hookctl-admin-'));

let t: TestService;
let env: { acme: Record<string, string>; beta: Record<string, string>; ops: Record<string, string> };

beforeAll(async () => {
  t = await startTestService({ auth: { tokens: [entry(ACME, 'acme'), entry(BETA, 'beta'), entry(OPS, 'ops', true)] } }, undefined, { token: ACME });
  const server = { HOOKCTL_SERVER: t.svc.address };
  env = { acme: { ...server, HOOKCTL_TOKEN: ACME }, beta: { ...server, HOOKCTL_TOKEN: BETA }, ops: { ...server, HOOKCTL_TOKEN: OPS } };
});
afterAll(async () => {
  await t?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe('hookctl --help and usage', () => {
  it('every command has --help (exit 0); bad usage exits 2 before anything is sent', async () => {
    const commands = ['register', 'list', 'show', 'remove', 'enable', 'disable', 'reload', 'tail', 'stats', 'fire', 'new-token'];
    const helps = await Promise.all([hookctl({}, '--help'), ...commands.map((c) => hookctl({}, c, '--help'))]);
    expect(helps[0].code).toBe(0);
    for (const c of commands) expect(helps[0].stdout).toContain(c);
    expect(helps[0].stdout).toContain('2 bad usage or input, 3 no such hook, 4 the service is unreachable');
    helps.slice(1).forEach((h, i) => {
      expect(h.code, commands[i]).toBe(0);
      expect(h.stdout).toContain(`Usage: hookctl ${commands[i]}`);
    });
    expect(helps[1 + commands.indexOf('list')].stdout).toContain('--server <host:port>');

    const [unknownOption, missingArg, badEvents, badTimeout, noCommand, tokenTwice] = await Promise.all([
      hookctl(env.acme, 'list', '--bogus'),
      hookctl(env.acme, 'show'),
      hookctl(env.acme, 'register', conformance, '--events', 'job-start,lunch'),
      hookctl(env.acme, 'list', '--timeout', 'soon'),
      hookctl(env.acme),
      hookctl(env.acme, 'list', '--token-file', join(work, 'none')),
    ]);
    expect(unknownOption).toMatchObject({ code: 2 });
    expect(unknownOption.stderr).toContain("unknown option '--bogus'");
    expect(missingArg.code).toBe(2);
    expect(missingArg.stderr).toContain("missing required argument 'hook'");
    expect(badEvents.code).toBe(2);
    expect(badEvents.stderr).toContain('--events: unknown event "lunch" (choose from job-start, job-init');
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toContain('--timeout: "soon" is not a positive number of seconds');
    expect(noCommand.code).toBe(2);
    expect(tokenTwice.code).toBe(2);
    expect(tokenTwice.stderr).toContain('give --token (or HOOKCTL_TOKEN) or --token-file, not both');
    expect(await t.admin.list()).toEqual([]);
  });
});

describe('hookctl against a running service', () => {
  let conf: HookInfo;

  it('register: progress on stderr, the hook on stdout; --json with every setting flag; the service holds what was asked', async () => {
    const r = await hookctl(env.acme, 'register', conformance, '--name', 'conf', '--progress');
    expect(r.stderr).toMatch(/^uploading 3\d\.\d kB… received; checking… transpiling… instantiating… storing… registered in \d+\.\d s\n$/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^registered conf \(id [0-9a-f-]{36}\)\n/);
    expect(r.stdout).toMatch(/│ tenant\s+│ acme/);
    [conf] = await t.admin.list();
    expect(conf).toMatchObject({ name: 'conf', tenant: 'acme', enabled: true, generation: 1 });

    const j = await hookctl(env.acme, 'register', conformance, '--name', 'strict', '--json', '--events', 'JobStart,job-end',
      '--order', '-3', '--failure-policy', 'fail-closed', '--deadline-ms', '2000', '--memory-mib', '32', '--report-lines', '50',
      '--report-bytes', '4096', '--director-calls', '3', '--grant-catalog-password');
    expect(j.stderr).toBe(''); // not a terminal and no --progress: quiet
    expect(j.code).toBe(0);
    const strict = JSON.parse(j.stdout) as HookInfo;
    expect(strict).toMatchObject({
      name: 'strict', events: ['job-start', 'job-end'], order: -3, failurePolicy: 'fail-closed', grantCatalogPassword: true,
      limits: { deadlineMs: 2000, memoryMiB: 32, reportLines: 50, reportBytes: 4096, directorCalls: 3 },
    });
    expect(await t.admin.get(strict.id)).toEqual(strict);
  });

  it('register refused: exit 1 with the status, the message and the details; --json puts the error on stderr as JSON', async () => {
    const notWasm = join(work, 'not.wasm');
    writeFileSync(notWasm, 'hello');
    const [taken, bad, badJson] = await Promise.all([
      hookctl(env.acme, 'register', conformance, '--name', 'conf'),
      hookctl(env.acme, 'register', notWasm, '--name', 'broken'),
      hookctl(env.acme, 'register', notWasm, '--name', 'broken', '--json'),
    ]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('hookctl register: ALREADY_EXISTS: a hook named "conf" is already registered');
    expect(taken.stderr).toContain('  reason: HOOK_NAME_TAKEN\n  hook: conf\n  tenant: acme\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('INVALID_ARGUMENT: not WebAssembly: 5 bytes is shorter than a wasm header');
    expect(bad.stderr).toContain('  reason: NOT_WEBASSEMBLY\n');
    expect(badJson.code).toBe(1);
    expect(badJson.stdout).toBe('');
    expect(JSON.parse(badJson.stderr)).toEqual({
      error: {
        code: 'INVALID_ARGUMENT', message: 'not WebAssembly: 5 bytes is shorter than a wasm header (8 bytes)',
        details: { reason: 'NOT_WEBASSEMBLY', metadata: { tenant: 'acme', hook: 'broken' } },
      },
    });
  });

  it('list and show, human and --json; a tenant sees its own hooks only; --all-tenants is for admins', async () => {
    const [human, json, showName, showId, showJson, betaList, betaShow, notAdmin, admin] = await Promise.all([
      hookctl(env.acme, 'list'),
      hookctl(env.acme, 'list', '--json'),
      hookctl(env.acme, 'show', 'conf'),
      hookctl(env.acme, 'show', conf.id),
      hookctl(env.acme, 'show', 'conf', '--json'),
      hookctl(env.beta, 'list', '--json'),
      hookctl(env.beta, 'show', conf.id),
      hookctl(env.acme, 'list', '--all-tenants'),
      hookctl(env.ops, 'list', '--all-tenants'),
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/│ ID\s+│ NAME\s+│ EVENTS\s+│ ORDER\s+│ POLICY\s+│ STATE\s+│ SIZE\s+│ GEN\s+│/);
    expect(human.stdout).toMatch(new RegExp(`│ ${conf.id} │ conf\\s+│ all\\s+│ 0\\s+│ fail-open\\s+│ enabled\\s+│ 3\\d\\.\\d kB │ 1\\s+│`));
    expect(human.stdout).toMatch(/│ strict\s+│ job-start,job-end\s+│ -3\s+│ fail-closed/);
    expect((JSON.parse(json.stdout) as HookInfo[]).map((h) => h.name)).toEqual(['conf', 'strict']);
    expect(JSON.parse(json.stdout)).toEqual(await t.admin.list());
    expect(showName.code).toBe(0);
    expect(showName.stdout).toBe(showId.stdout);
    expect(showName.stdout).toMatch(/│ limits\s+│ deadline 5000 ms, memory 64 MiB, report 200 lines \/ 65536 bytes, 64 director calls/);
    expect(showName.stdout).toMatch(/│ imports\s+│ bacula:hooks\/types@1\.\d+\.\d+/);
    expect(JSON.parse(showJson.stdout)).toEqual(await t.admin.get(conf.id));
    expect(JSON.parse(betaList.stdout)).toEqual([]);
    expect(betaShow.code).toBe(3); // another tenant's hook is NOT_FOUND, as one that does not exist
    expect(betaShow.stderr).toContain(`NOT_FOUND: no hook with id "${conf.id}"`);
    expect(notAdmin.code).toBe(1);
    expect(notAdmin.stderr).toContain('PERMISSION_DENIED: all_tenants needs admin credentials\n  reason: ADMIN_REQUIRED');
    expect(admin.code).toBe(0);
    expect(admin.stdout).toMatch(/│ conf\s+│ acme\s+│/);
  });

  it('a name nobody has exits 3; an unreachable service, or a deadline passed, exits 4', async () => {
    const [unknown, unknownJson, unreachable, late] = await Promise.all([
      hookctl(env.acme, 'show', 'ghost'),
      hookctl(env.acme, 'enable', 'ghost', '--json'),
      hookctl({ ...env.acme, HOOKCTL_SERVER: '127.0.0.1:1' }, 'list', '--timeout', '5'),
      hookctl(env.acme, 'list', '--timeout', '0.000001'),
    ]);
    expect(late.code).toBe(4);
    expect(late.stderr).toContain('hookctl list: DEADLINE_EXCEEDED:');
    expect(unknown).toMatchObject({ code: 3, stdout: '' });
    expect(unknown.stderr).toContain('hookctl show: no hook named "ghost"');
    expect(unknownJson.code).toBe(3);
    expect(JSON.parse(unknownJson.stderr).error).toEqual({ code: 'NOT_FOUND', message: 'no hook named "ghost"' });
    expect(unreachable.code).toBe(4);
    expect(unreachable.stderr).toContain('hookctl list: UNAVAILABLE:');
  });

  it('disable and enable: a disabled hook runs on no event; enable brings it back', async () => {
    const dispatch = new DispatchClient(t.svc.address, { token: ACME });
    try {
      const off = await hookctl(env.acme, 'disable', 'conf');
      expect(off).toMatchObject({ code: 0, stdout: `conf (id ${conf.id}): disabled\n` });
      const job = testJob({ pool: 'sub:none' });
      let o = await dispatch.dispatch(DAEMON, { id: 'a', type: 'job-start', job });
      expect(o.hooks.map((h) => h.hookName)).toEqual(['strict']);
      const on = await hookctl(env.acme, 'enable', conf.id, '--json');
      expect(on.code).toBe(0);
      expect(JSON.parse(on.stdout)).toMatchObject({ id: conf.id, enabled: true });
      o = await dispatch.dispatch(DAEMON, { id: 'b', type: 'job-end', job });
      expect(o.hooks.map((h) => h.hookName)).toEqual(['strict', 'conf']);
    } finally {
      dispatch.close();
    }
  });

  it('reload one hook by name, or all; --json lists the new generations', async () => {
    const one = await hookctl(env.acme, 'reload', 'conf');
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(new RegExp(`^reloaded\\n[\\s\\S]*│ ${conf.id} │ conf │ 2\\s+│`));
    const all = await hookctl(env.acme, 'reload', '--json');
    expect((JSON.parse(all.stdout) as HookInfo[]).map((h) => [h.name, h.generation])).toEqual([['conf', 3], ['strict', 2]]);
    expect((await t.admin.get(conf.id)).generation).toBe(3);
  });

  it('remove by name (human) and by id (--json); the hook is gone', async () => {
    const strict = (await t.admin.list()).find((h) => h.name === 'strict')!;
    const byName = await hookctl(env.acme, 'remove', 'conf');
    expect(byName).toMatchObject({ code: 0, stdout: `removed conf (id ${conf.id})\n` });
    const byId = await hookctl(env.acme, 'remove', strict.id, '--json');
    expect(JSON.parse(byId.stdout)).toEqual({ removed: { id: strict.id, name: 'strict', tenant: 'acme' } });
    expect(await t.admin.list()).toEqual([]);
    expect((await hookctl(env.acme, 'remove', conf.id)).code).toBe(3);
  });

  it('--token-file and TLS flags are read; a wrong token is UNAUTHENTICATED (exit 1)', async () => {
    const file = join(work, 'token');
    writeFileSync(file, `${BETA}\n`);
    const [fromFile, wrong, noCa] = await Promise.all([
      hookctl({ HOOKCTL_SERVER: t.svc.address }, 'list', '--token-file', file, '--json'),
      hookctl({ HOOKCTL_SERVER: t.svc.address, HOOKCTL_TOKEN: token() }, 'list'),
      hookctl(env.acme, 'list', '--tls-cert', file, '--tls-key', file),
    ]);
    expect(fromFile).toMatchObject({ code: 0 });
    expect(JSON.parse(fromFile.stdout)).toEqual([]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('UNAUTHENTICATED: the bearer token is not known to this service');
    expect(noCa.code).toBe(2);
    expect(noCa.stderr).toContain('--tls-cert, --tls-key and --tls-server-name need --tls-ca');
  });
});


describe('hookctl over mutual TLS', () => {
  it('--tls-ca, --tls-cert and --tls-key reach a TLS service as the certificate\'s tenant; without a client certificate the handshake fails (exit 4)', async () => {
    const certs = new CertDir();
    const ca = certs.ca('hookctl-test-ca');
    const server = ca.issue('/CN=localhost', 'server');
    const client = ca.issue('/CN=acme', 'client');
    const file = (name: string, text: string) => { const p = join(work, name); writeFileSync(p, text); return p; };
    const tls = { ca: file('ca.pem', ca.cert), cert: file('acme.pem', client.cert), key: file('acme.key', client.key) };
    const s = await startTestService({ auth: { tls: { cert: server.cert, key: server.key, clientCa: ca.cert } } }, undefined,
      { tls: { ca: ca.cert, cert: client.cert, key: client.key } });
    try {
      await s.admin.register({ name: 'over-tls', component: fixture('conformance.c') });
      const envTls = { HOOKCTL_SERVER: s.svc.address };
      const [ok, anonymous] = await Promise.all([
        hookctl(envTls, 'list', '--json', '--tls-ca', tls.ca, '--tls-cert', tls.cert, '--tls-key', tls.key),
        hookctl(envTls, 'list', '--tls-ca', tls.ca),
      ]);
      expect(ok.code).toBe(0); // (stderr has Node's warning about an IP as TLS server name, which grpc-js sets)
      expect((JSON.parse(ok.stdout) as HookInfo[]).map((h) => [h.tenant, h.name])).toEqual([['acme', 'over-tls']]);
      expect(anonymous.code).toBe(4);
      expect(anonymous.stderr).toContain('hookctl list: UNAVAILABLE:');
    } finally {
      await s.cleanup();
      certs.cleanup();
    }
  });
});
