// Tenants over real gRPC: who is calling (bearer tokens, mutual TLS, nothing),
// what each tenant sees and reaches (its own hooks, its own jobs, its own
// director session), what an admin sees, and the per-tenant limits as the
// admin API and the event path show them.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { DAEMON, fixture, startTestService, testJob, type TestService } from '../helpers/service.js';
import { RawSession, failureOf } from '../helpers/raw-grpc.js';
import { CertDir, type KeyPair, type TestCa } from '../helpers/certs.js';
import { AdminClient } from '../../src/client/admin-client.js';
import { DispatchClient } from '../../src/client/dispatch-client.js';
import { DirectorSessionClient, type CallContext, type DirectorCallHandlers } from '../../src/client/director-client.js';
import type { ConnectOptions } from '../../src/client/grpc-clients.js';
import { DEFAULT_LIMITS, type ServiceOptions, type TokenEntry } from '../../src/config.js';
import type { DaemonInfo, JobSnapshot } from '../../src/model/job.js';

const HOOK = 'conformance.c'; // fast to register and run; test/conformance/SPEC.md says what it reports

/** A fresh token and the entry the service is configured with (its sha256 only), as `hookctl new-token` makes them. */
function newToken(tenant: string, admin = false): { token: string; entry: TokenEntry } {
  const token = randomBytes(32).toString('base64url');
  return { token, entry: { tenant, sha256: createHash('sha256').update(token).digest('hex'), ...(admin ? { admin: true } : {}) } };
}

/** Sends a fixed authorization header, whatever it is. */
const rawAuthorization = (value: string): ConnectOptions => ({
  channelOptions: {
    interceptors: [((options, next) => new InterceptingCall(next(options), {
      start(metadata, listener, go) {
        metadata.set('authorization', value);
        go(metadata, listener);
      },
    })) as Interceptor],
  },
});

/** Clients of one service with given credentials, all closed at the end. */
class Clients {
  private readonly open: (() => unknown)[] = [];
  constructor(private readonly address: string) {}

  admin(o: ConnectOptions = {}) {
    const c = new AdminClient(this.address, o);
    this.open.push(() => c.close());
    return c;
  }

  dispatch(o: ConnectOptions = {}) {
    const c = new DispatchClient(this.address, o);
    this.open.push(() => c.close());
    return c;
  }

  async session(o: ConnectOptions & { handlers?: DirectorCallHandlers; daemon?: DaemonInfo } = {}) {
    const s = await DirectorSessionClient.open(this.address, { daemon: DAEMON, ...o });
    this.open.push(() => s.close().catch(() => undefined));
    return s;
  }

  async close() {
    await Promise.all(this.open.splice(0).map((c) => c()));
  }
}

const hookIds = (o: { hooks: { hookId: string }[] }) => o.hooks.map((h) => h.hookId);
const running = (job: JobSnapshot): JobSnapshot => ({ ...job, status: 'running' });

/** A service with auth, our own clients, and cleanup. */
async function serviceWith(options: ServiceOptions) {
  const t = await startTestService(options);
  const clients = new Clients(t.svc.address);
  return { t, clients, address: t.svc.address, async cleanup() { await clients.close(); await t.cleanup(); } };
}

describe('tenants and credentials over bearer tokens', () => {
  const A = newToken('tenant-a');
  const B = newToken('tenant-b');
  const OPS = newToken('ops', true);
  const a: ConnectOptions = { token: A.token };
  const b: ConnectOptions = { token: B.token };
  const ops: ConnectOptions = { token: OPS.token };
  let s: Awaited<ReturnType<typeof serviceWith>>;
  let hookA: string;
  let hookB: string;

  beforeAll(async () => {
    s = await serviceWith({ auth: { tokens: [A.entry, B.entry, OPS.entry] } });
    // The same name and the same component in both tenants: two hooks.
    hookA = (await s.clients.admin(a).register({ name: 'conf', component: fixture(HOOK) })).id;
    hookB = (await s.clients.admin(b).register({ name: 'conf', component: fixture(HOOK) })).id;
  });
  afterAll(() => s?.cleanup());

  describe('without an accepted credential', () => {
    it('refuses Dispatch, Admin and DirectorSession with UNAUTHENTICATED, saying what to present', async () => {
      const what = /present a bearer token \(authorization: Bearer <token>\) or a client certificate/;
      const d = await failureOf(s.clients.dispatch().dispatch(DAEMON, { id: 'x', type: 'exit' }));
      expect(d.codeName).toBe('UNAUTHENTICATED');
      expect(d.details).toMatch(what);
      for (const call of [() => s.clients.admin().list(), () => s.clients.admin().get(hookA), () => s.clients.admin().setEnabled(hookA, false)]) {
        const f = await failureOf(call());
        expect(f.codeName).toBe('UNAUTHENTICATED');
        expect(f.details).toMatch(what);
      }
      const open = await failureOf(DirectorSessionClient.open(s.address, { daemon: DAEMON }));
      expect(open.codeName).toBe('UNAUTHENTICATED');
      expect(open.details).toMatch(what);

      // The stream itself ends with the status, whatever is written on it.
      const raw = new RawSession(s.address);
      raw.write({ hello: { daemon: DAEMON } });
      expect(await raw.ended).toMatchObject({ codeName: 'UNAUTHENTICATED', details: expect.stringMatching(what) });
      await expect(raw.next(2_000)).rejects.toThrow(/ended/);
      raw.cancel();
      // Nothing changed: A's hook is still enabled.
      expect((await s.clients.admin(a).get(hookA)).enabled).toBe(true);
    });

    it('refuses a wrong token and a malformed authorization header, and the service goes on', async () => {
      const wrong = await failureOf(s.clients.admin({ token: randomBytes(32).toString('base64url') }).list());
      expect(wrong).toMatchObject({ codeName: 'UNAUTHENTICATED', details: 'the bearer token is not known to this service' });
      const wrongSession = await failureOf(DirectorSessionClient.open(s.address, { daemon: DAEMON, token: 'not-a-token' }));
      expect(wrongSession.codeName).toBe('UNAUTHENTICATED');
      // A token's hash is not a token.
      expect((await failureOf(s.clients.dispatch({ token: A.entry.sha256 }).dispatch(DAEMON, { id: 'x', type: 'exit' }))).codeName).toBe('UNAUTHENTICATED');

      for (const header of [`Basic ${Buffer.from('tenant-a:x').toString('base64')}`, 'Bearer', `Bearer ${A.token} extra`, A.token]) {
        const f = await failureOf(s.clients.admin(rawAuthorization(header)).list());
        expect(f, header).toMatchObject({ codeName: 'UNAUTHENTICATED', details: 'the authorization header must be "Bearer <token>"' });
      }
      // The scheme is case-insensitive, as HTTP's is.
      expect((await s.clients.admin(rawAuthorization(`bearer ${A.token}`)).list()).map((h) => h.id)).toEqual([hookA]);
      // And the service goes on answering the ones it knows.
      expect(hookIds(await s.clients.dispatch(a).dispatch(DAEMON, { id: 'after', type: 'exit' }))).toEqual([hookA]);
    });
  });

  describe('two tenants', () => {
    it('List shows each tenant its own hooks, with its tenant', async () => {
      const la = await s.clients.admin(a).list();
      const lb = await s.clients.admin(b).list();
      expect(la.map((h) => [h.id, h.tenant, h.name])).toEqual([[hookA, 'tenant-a', 'conf']]);
      expect(lb.map((h) => [h.id, h.tenant, h.name])).toEqual([[hookB, 'tenant-b', 'conf']]);
    });

    it("A cannot Get, Remove, SetEnabled or Reload B's hook: NOT_FOUND, as for an id that does not exist", async () => {
      const adminA = s.clients.admin(a);
      const nobody = randomUUID();
      const absent = await failureOf(adminA.get(nobody));
      expect(absent.codeName).toBe('NOT_FOUND');
      const same = (f: { codeName: string; details: string }) => ({ codeName: f.codeName, details: f.details.replace(hookB, nobody) });
      for (const call of [() => adminA.get(hookB), () => adminA.remove(hookB), () => adminA.setEnabled(hookB, false), () => adminA.reload(hookB)]) {
        expect(same(await failureOf(call()))).toEqual({ codeName: absent.codeName, details: absent.details });
      }
      // Reload without an id reloads A's hooks only.
      expect((await adminA.reload()).map((h) => h.id)).toEqual([hookA]);
      // B's hook is untouched.
      expect(await s.clients.admin(b).get(hookB)).toMatchObject({ id: hookB, enabled: true, generation: 1, tenant: 'tenant-b' });
    });

    it("an admin token lists every tenant's hooks with their tenant, and can disable B's hook; a tenant cannot ask for all tenants", async () => {
      const adm = s.clients.admin(ops);
      const all = await adm.list({ allTenants: true });
      expect(all.map((h) => [h.id, h.tenant])).toEqual(expect.arrayContaining([[hookA, 'tenant-a'], [hookB, 'tenant-b']]));
      expect(all).toHaveLength(2);
      // Without all_tenants, the admin's own tenant ("ops"), which has none.
      expect(await adm.list()).toEqual([]);
      expect((await adm.get(hookA)).tenant).toBe('tenant-a');

      const refused = await failureOf(s.clients.admin(a).list({ allTenants: true }));
      expect(refused.codeName).toBe('PERMISSION_DENIED');
      expect(refused.details).toBe('all_tenants needs admin credentials');

      const disabled = await adm.setEnabled(hookB, false);
      expect(disabled).toMatchObject({ id: hookB, tenant: 'tenant-b', enabled: false });
      expect((await s.clients.admin(b).get(hookB)).enabled).toBe(false);
      expect(hookIds(await s.clients.dispatch(b).dispatch(DAEMON, { id: 'off', type: 'exit' }))).toEqual([]);
      expect(hookIds(await s.clients.dispatch(a).dispatch(DAEMON, { id: 'on', type: 'exit' }))).toEqual([hookA]);
      await adm.setEnabled(hookB, true);
      expect(hookIds(await s.clients.dispatch(b).dispatch(DAEMON, { id: 'on', type: 'exit' }))).toEqual([hookB]);
    });

    it("events reach only their tenant's hooks, the same JobId in two tenants is two jobs, and director calls go back to the session that sent the event", async () => {
      // Each director answers run with its own JobId, and only once both
      // calls are outstanding: the two sessions' calls are in flight at once.
      let arrived = 0;
      let bothArrived!: () => void;
      const both = new Promise<void>((r) => { bothArrived = r; });
      const calls: Record<string, (CallContext & { command: string })[]> = { a: [], b: [] };
      const director = (who: 'a' | 'b', answer: number): DirectorCallHandlers => ({
        async run(command, ctx) {
          calls[who].push({ command, ...ctx });
          if (++arrived === 2) bothArrived();
          await both;
          return answer;
        },
      });
      const sa = await s.clients.session({ ...a, handlers: director('a', 1111) });
      const sb = await s.clients.session({ ...b, handlers: director('b', 2222) });
      const job = testJob({ jobId: 777, pool: 'sub:run' });

      const [startA, startB] = [await sa.send({ type: 'job-start', job }), await sb.send({ type: 'job-start', job })];
      expect(hookIds(startA)).toEqual([hookA]);
      expect(hookIds(startB)).toEqual([hookB]);
      // Each hook saw one JobStart of job 777 (the same director name): had
      // the two tenants shared a job or an instance, B's would list two, or
      // the second JobStart would have been refused as a repeat.
      expect(startA.report).toContain('seen job-start');
      expect(startB.report).toContain('seen job-start');

      const [runA, runB] = await Promise.all([
        sa.send({ type: 'job-run', job: running(job) }),
        sb.send({ type: 'job-run', job: running(job) }),
      ]);
      expect(runA.report).toContain('seen job-start,job-run');
      expect(runA.report).toContain('run -> 1111');
      expect(runB.report).toContain('run -> 2222');
      expect(calls.a).toEqual([{ command: 'run job=BackupClient1-copy yes', eventId: runA.eventId, jobId: 777, hookId: hookA }]);
      expect(calls.b).toEqual([{ command: 'run job=BackupClient1-copy yes', eventId: runB.eventId, jobId: 777, hookId: hookB }]);

      // Unary Dispatch: the same.
      expect(hookIds(await s.clients.dispatch(a).dispatch(DAEMON, { id: 'u1', type: 'exit' }))).toEqual([hookA]);
      expect(hookIds(await s.clients.dispatch(b).dispatch(DAEMON, { id: 'u1', type: 'exit' }))).toEqual([hookB]);
    });

    it('the tenant never comes from a message field: a director naming itself after another tenant stays in its own', async () => {
      const impostor: DaemonInfo = { name: 'tenant-b', version: 'tenant-b', configFile: '/etc/tenant-b/bacula-dir.conf', workingDir: 'tenant-b' };
      const sa = await s.clients.session({ ...a, daemon: impostor });
      const start = await sa.send({ type: 'job-start', job: testJob({ jobId: 9001, client: 'tenant-b', name: 'tenant-b' }) });
      expect(hookIds(start)).toEqual([hookA]);
      expect(start.report).toContain('daemon name=tenant-b'); // the hook sees what the director said, in A's tenant
      expect(hookIds(await s.clients.dispatch(a).dispatch(impostor, { id: 'i1', type: 'exit' }))).toEqual([hookA]);
      expect(hookIds(await s.clients.dispatch(b).dispatch({ ...DAEMON, name: 'tenant-a' }, { id: 'i2', type: 'exit' }))).toEqual([hookB]);
      // A hook registered by A is A's, whatever its name says.
      const h = await s.clients.admin(a).register({ name: 'tenant-b', component: fixture(HOOK), events: ['exit'] });
      expect(h.tenant).toBe('tenant-a');
      expect((await s.clients.admin(b).list()).map((x) => x.id)).toEqual([hookB]);
      await s.clients.admin(a).remove(h.id);
    });
  });
});

describe('tenants and credentials over mutual TLS', () => {
  const certs = new CertDir();
  let ca: TestCa;
  let server: KeyPair;
  let s: Awaited<ReturnType<typeof serviceWith>>;
  const client = (cert?: KeyPair, o: { ca?: string; serverName?: string } = {}): ConnectOptions =>
    ({ tls: { ca: o.ca ?? ca.cert, ...(cert ? { cert: cert.cert, key: cert.key } : {}), ...(o.serverName ? { serverName: o.serverName } : {}) } });
  let a: ConnectOptions;
  let b: ConnectOptions;
  let ops: ConnectOptions;

  beforeAll(async () => {
    ca = certs.ca('hooks-test-ca');
    server = ca.issue('/CN=localhost', 'server');
    a = client(ca.issue('/CN=tenant-a', 'client'));
    b = client(ca.issue('/CN=tenant-b', 'client'));
    ops = client(ca.issue('/O=admin/CN=ops', 'client'));
    s = await serviceWith({ auth: { tls: { cert: server.cert, key: server.key, clientCa: ca.cert } } });
  });
  afterAll(async () => {
    await s?.cleanup();
    certs.cleanup();
  });

  it('refuses a client without a certificate, with a certificate of another CA, or in plaintext, at the handshake (UNAVAILABLE)', async () => {
    const rogue = certs.ca('rogue-ca').issue('/CN=tenant-a', 'client');
    for (const o of [client(), client(rogue), {}]) {
      expect((await failureOf(s.clients.admin(o).list())).codeName).toBe('UNAVAILABLE');
    }
    expect((await failureOf(s.clients.dispatch(client(rogue)).dispatch(DAEMON, { id: 'x', type: 'exit' }))).codeName).toBe('UNAVAILABLE');
    expect((await failureOf(s.clients.session(client()))).codeName).toBe('UNAVAILABLE');
    // The service goes on.
    expect(await s.clients.admin(a).list()).toEqual([]);
  });

  it("takes the tenant from the certificate's CN, and O=admin makes an admin", async () => {
    const hookA = await s.clients.admin(a).register({ name: 'conf', component: fixture(HOOK) });
    expect(hookA.tenant).toBe('tenant-a');
    expect(await s.clients.admin(b).list()).toEqual([]);
    expect((await failureOf(s.clients.admin(b).get(hookA.id))).codeName).toBe('NOT_FOUND');

    const sa = await s.clients.session(a);
    const sb = await s.clients.session(b);
    const job = testJob({ jobId: 5 });
    expect(hookIds(await sa.send({ type: 'job-start', job }))).toEqual([hookA.id]);
    expect(hookIds(await sb.send({ type: 'job-start', job }))).toEqual([]);
    expect(hookIds(await s.clients.dispatch(b).dispatch(DAEMON, { id: 'x', type: 'exit' }))).toEqual([]);

    const all = await s.clients.admin(ops).list({ allTenants: true });
    expect(all.map((h) => [h.id, h.tenant])).toEqual([[hookA.id, 'tenant-a']]);
    expect((await failureOf(s.clients.admin(a).list({ allTenants: true }))).codeName).toBe('PERMISSION_DENIED');
  });
});

describe('bearer tokens over TLS (no client certificates)', () => {
  const certs = new CertDir();
  const A = newToken('tenant-a');
  let ca: TestCa;
  let s: Awaited<ReturnType<typeof serviceWith>>;

  beforeAll(async () => {
    ca = certs.ca('hooks-test-ca');
    const server = ca.issue('/CN=localhost', 'server');
    s = await serviceWith({ auth: { tls: { cert: server.cert, key: server.key }, tokens: [A.entry] } });
  });
  afterAll(async () => {
    await s?.cleanup();
    certs.cleanup();
  });

  it('authenticates the token over TLS, checks the server name, and refuses a call without a token', async () => {
    expect(await s.clients.admin({ token: A.token, tls: { ca: ca.cert } }).list()).toEqual([]);
    expect(await s.clients.admin({ token: A.token, tls: { ca: ca.cert, serverName: 'localhost' } }).list()).toEqual([]);
    expect((await failureOf(s.clients.admin({ token: A.token, tls: { ca: ca.cert, serverName: 'other.example' } }).list())).codeName).toBe('UNAVAILABLE');
    const none = await failureOf(s.clients.admin({ tls: { ca: ca.cert } }).list());
    expect(none.codeName).toBe('UNAUTHENTICATED');
    const session = await s.clients.session({ token: A.token, tls: { ca: ca.cert } });
    expect(hookIds(await session.send({ type: 'exit' }))).toEqual([]);
  });
});

describe('limits through the admin API', () => {
  const A = newToken('tenant-a');
  const B = newToken('tenant-b');
  const a = { token: A.token };
  const b = { token: B.token };
  let s: Awaited<ReturnType<typeof serviceWith>>;

  beforeAll(async () => {
    s = await serviceWith({
      auth: { tokens: [A.entry, B.entry] },
      limits: {
        defaults: { deadlineMs: 7_000 },
        tenants: { 'tenant-b': { reportLines: 50, directorCalls: 3 } },
        ceiling: { memoryMiB: 128, reportBytes: 100_000 },
        hooksPerTenant: 2,
      },
    });
  });
  afterAll(() => s?.cleanup());

  it("shows the effective limits: what was asked for, clamped to the ceiling, else the tenant's defaults", async () => {
    const asked = await s.clients.admin(a).register({ name: 'asked', component: fixture(HOOK), limits: { memoryMiB: 1024, reportLines: 10, reportBytes: 1 << 20 } });
    expect(asked.limits).toEqual({ deadlineMs: 7_000, memoryMiB: 128, reportLines: 10, reportBytes: 100_000, directorCalls: DEFAULT_LIMITS.directorCalls });
    expect((await s.clients.admin(a).get(asked.id)).limits).toEqual(asked.limits);
    const plain = await s.clients.admin(b).register({ name: 'plain', component: fixture(HOOK) });
    expect((await s.clients.admin(b).get(plain.id)).limits).toEqual({
      deadlineMs: 7_000, memoryMiB: DEFAULT_LIMITS.memoryMiB, reportLines: 50, reportBytes: DEFAULT_LIMITS.reportBytes, directorCalls: 3,
    });
  });

  it('refuses a hook over the per-tenant count with RESOURCE_EXHAUSTED, for that tenant only', async () => {
    await s.clients.admin(a).register({ name: 'second', component: fixture(HOOK) });
    const over = await failureOf(s.clients.admin(a).register({ name: 'third', component: fixture(HOOK) }));
    expect(over).toMatchObject({ codeName: 'RESOURCE_EXHAUSTED', details: 'tenant "tenant-a" already has 2 hooks, its limit; remove one first' });
    expect((await s.clients.admin(a).list()).map((h) => h.name)).toEqual(['asked', 'second']);
    expect((await s.clients.admin(b).register({ name: 'second', component: fixture(HOOK) })).tenant).toBe('tenant-b');
  });
});

describe('events in flight per tenant', () => {
  const A = newToken('tenant-a');
  const B = newToken('tenant-b');
  const a = { token: A.token };
  const b = { token: B.token };
  let s: Awaited<ReturnType<typeof serviceWith>>;
  let hookA: string;
  let hookB: string;

  beforeAll(async () => {
    s = await serviceWith({
      auth: { tokens: [A.entry, B.entry] },
      // The deadline covers the wait for the director: long enough for the test to hold a call.
      limits: { eventsInFlightPerTenant: 3, defaults: { deadlineMs: 30_000 } },
    });
    hookA = (await s.clients.admin(a).register({ name: 'conf', component: fixture(HOOK) })).id;
    hookB = (await s.clients.admin(b).register({ name: 'conf', component: fixture(HOOK) })).id;
  });
  afterAll(() => s?.cleanup());

  it('refuses the 4th event of a tenant while 3 are in flight, leaves the other tenant alone, and answers every accepted event', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    let called!: () => void;
    const heldCall = new Promise<void>((r) => { called = r; });
    const sa = await s.clients.session({ ...a, handlers: { run: async () => { called(); await released; return 4321; } } });
    const sb = await s.clients.session({ ...b, handlers: { run: () => 1 } });
    const job = (jobId: number) => testJob({ jobId, pool: 'sub:run' });

    expect(hookIds(await sa.send({ type: 'job-start', job: job(1) }))).toEqual([hookA]);
    // 1: JobRun of job 1, whose director call the test holds.
    const held = sa.send({ type: 'job-run', job: running(job(1)) });
    await heldCall;
    // 2, 3: queued behind it on A's hook thread.
    const queued = [sa.send({ type: 'job-start', job: job(2) }), sa.send({ type: 'job-start', job: job(3) })];
    // 4: over the limit, on the session and on unary Dispatch alike.
    const fourth = await failureOf(sa.send({ type: 'job-start', job: job(4) }));
    expect(fourth.codeName).toBe('RESOURCE_EXHAUSTED');
    expect(fourth.details).toMatch(/tenant "tenant-a" has 3 events in flight, its limit; event \S+ was not accepted/);
    expect((await failureOf(s.clients.dispatch(a).dispatch(DAEMON, { id: 'u', type: 'exit' }))).codeName).toBe('RESOURCE_EXHAUSTED');
    expect(s.t.svc.dispatcher.inFlightOf('tenant-a')).toBe(3);

    // B is unaffected: its events run now, on its own thread, while A's wait.
    const startB = await sb.send({ type: 'job-start', job: job(1) });
    expect(startB.hooks.map((h) => [h.hookId, h.status])).toEqual([[hookB, 'ok']]);
    expect(hookIds(await s.clients.dispatch(b).dispatch(DAEMON, { id: 'u', type: 'exit' }))).toEqual([hookB]);

    release();
    const run = await held;
    expect(run.hooks.map((h) => h.status)).toEqual(['ok']);
    expect(run.report).toContain('run -> 4321');
    for (const o of await Promise.all(queued)) {
      expect(o.hooks.map((h) => [h.hookId, h.status])).toEqual([[hookA, 'ok']]);
      expect(o.report).toContain('seen job-start');
    }
    expect(s.t.svc.dispatcher.inFlightOf('tenant-a')).toBe(0);
    // The refused JobStart was not admitted: sent again, it is a new job.
    expect(hookIds(await sa.send({ type: 'job-start', job: job(4) }))).toEqual([hookA]);
  });
});
