// The gRPC conventions a generic client expects, over real gRPC on loopback:
// the standard health service per API service, server reflection that lets a
// client with no copy of the proto list the services and call one, and
// deadlines: a call past its deadline leaves its work whole, never half done.
import { connectivityState, credentials, makeClientConstructor, makeGenericClientConstructor, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import protobuf from 'protobufjs';
import 'protobufjs/ext/descriptor.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestService, testJob, DAEMON, type TestService } from '../helpers/service.js';
import { failureOf } from '../helpers/raw-grpc.js';
import { AdminClient } from '../../src/client/admin-client.js';
import type { SettledEvent } from '../../src/dispatch/outcome-feed.js';

type AnyClient = Client & Record<string, (...args: unknown[]) => unknown>;

let t: TestService;
beforeAll(async () => {
  t = await startTestService({ grpc: { keepaliveTimeMs: 5_000, maxConnectionIdleMs: 600_000 } });
});
afterAll(() => t?.cleanup());

const HealthClient = makeClientConstructor(healthService, 'Health');
function healthCheck(address: string, service: string): Promise<string> {
  const c = new HealthClient(address, credentials.createInsecure()) as unknown as AnyClient;
  return new Promise((resolve, reject) => c.check({ service }, (e: ServiceError | null, r: { status: string }) => {
    c.close();
    return e ? reject(e) : resolve(r.status);
  }));
}

describe('health (grpc.health.v1.Health)', () => {
  it('answers SERVING for the server ("") and each API service, NOT_FOUND for a service it does not have', async () => {
    for (const s of ['', 'bacula.hooks.v1.DirectorSession', 'bacula.hooks.v1.Dispatch', 'bacula.hooks.v1.Admin']) {
      expect(await healthCheck(t.svc.address, s)).toBe('SERVING');
    }
    const e = await healthCheck(t.svc.address, 'bacula.hooks.v1.Nothing').catch((x: ServiceError) => x);
    expect((e as ServiceError).code).toBe(status.NOT_FOUND);
  });
});

// ---- A reflection client, as grpcurl does it: list, fetch descriptors, call ----

const REFLECTION_PROTO = new URL('../../node_modules/@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto', import.meta.url).pathname;
const reflectionPkg = loadSync(REFLECTION_PROTO, { keepCase: true, longs: String, defaults: true });
const ReflectionClient = makeClientConstructor(reflectionPkg['grpc.reflection.v1.ServerReflection'] as never, 'ServerReflection');

/** One request on a ServerReflectionInfo stream, one response. */
function reflect(address: string, request: Record<string, string>): Promise<Record<string, any>> {
  const c = new ReflectionClient(address, credentials.createInsecure()) as unknown as AnyClient;
  const stream = c.serverReflectionInfo() as unknown as NodeJS.EventEmitter & { write(m: object): void; end(): void };
  return new Promise((resolve, reject) => {
    stream.on('data', (m: Record<string, any>) => { stream.end(); c.close(); resolve(m); });
    stream.on('error', reject);
    stream.write({ host: '', ...request });
  });
}

/** A FileDescriptorSet from the FileDescriptorProtos reflection returns (field 1, repeated bytes). */
function descriptorSet(files: Buffer[]): Uint8Array {
  const parts: Buffer[] = [];
  for (const f of files) {
    const len: number[] = [];
    let n = f.length;
    do { len.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0)); n >>>= 7; } while (n > 0);
    parts.push(Buffer.from([0x0a, ...len]), f);
  }
  return Buffer.concat(parts);
}

describe('server reflection', () => {
  it('lists the API services and the health service', async () => {
    const r = await reflect(t.svc.address, { list_services: '' });
    const names = (r.list_services_response.service as { name: string }[]).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining([
      'bacula.hooks.v1.DirectorSession', 'bacula.hooks.v1.Dispatch', 'bacula.hooks.v1.Admin', 'grpc.health.v1.Health',
    ]));
  });

  it('describes Admin well enough to call it with no copy of the proto: List over descriptors from reflection', async () => {
    const reflected = await t.admin.register({ name: 'reflected', component: fixture('conformance.c') });
    const r = await reflect(t.svc.address, { file_containing_symbol: 'bacula.hooks.v1.Admin' });
    const root = (protobuf.Root as unknown as { fromDescriptor(b: Uint8Array): protobuf.Root })
      .fromDescriptor(descriptorSet(r.file_descriptor_response.file_descriptor_proto as Buffer[]));
    const admin = root.lookupService('bacula.hooks.v1.Admin');
    const list = admin.methods.List.resolve() as protobuf.Method;
    const [req, res] = [list.resolvedRequestType!, list.resolvedResponseType!];
    const Generic = makeGenericClientConstructor({
      list: {
        path: '/bacula.hooks.v1.Admin/List', requestStream: false, responseStream: false,
        requestSerialize: (m: object) => Buffer.from(req.encode(req.fromObject(m)).finish()),
        requestDeserialize: (b: Buffer) => req.decode(b),
        responseSerialize: () => Buffer.alloc(0),
        responseDeserialize: (b: Buffer) => res.toObject(res.decode(b)),
      },
    }, 'ReflectedAdmin');
    const c = new Generic(t.svc.address, credentials.createInsecure()) as unknown as AnyClient;
    const hooks = await new Promise<{ hooks: { name: string }[] }>((resolve, reject) =>
      c.list({}, (e: ServiceError | null, v: { hooks: { name: string }[] }) => (e ? reject(e) : resolve(v))));
    c.close();
    expect(hooks.hooks.map((h) => h.name)).toEqual(['reflected']);
    await t.admin.remove(reflected.id);
  });
});

describe('deadlines', () => {
  it('Dispatch past its deadline: the client gets DEADLINE_EXCEEDED; the event still runs whole, once, and the job goes on in order', async () => {
    const hook = await t.admin.register({ name: 'spinner', component: fixture('hostile.c'), events: ['job-start', 'job-end'], limits: { deadlineMs: 1_500 } });
    const second = await t.admin.register({ name: 'after-spinner', component: fixture('conformance.c'), events: ['job-start'], order: 10 });
    const settled: SettledEvent[] = [];
    const off = t.svc.dispatcher.feed.watch((e) => settled.push(e));
    try {
      const job = testJob({ client: 'loop' });
      const t0 = performance.now();
      const f = await failureOf(t.dispatch.dispatch(DAEMON, { id: 'late', type: 'job-start', job }, { deadlineMs: 300 }));
      expect(f.codeName).toBe('DEADLINE_EXCEEDED');
      expect(performance.now() - t0).toBeLessThan(1_400);
      // The event was admitted before the deadline passed: it runs to its end, every hook, not just the first.
      await expect.poll(() => settled.filter((e) => e.outcome.eventId === 'late').length, { timeout: 20_000 }).toBe(1);
      const outcome = settled.find((e) => e.outcome.eventId === 'late')!.outcome;
      expect(outcome.hooks.map((h) => [h.hookId, h.status])).toEqual([[hook.id, 'timed-out'], [second.id, 'ok']]);
      // JobStart counted as applied: the job's JobEnd is admitted (not NOT_FOUND), a second JobStart is ALREADY_EXISTS.
      expect((await failureOf(t.dispatch.dispatch(DAEMON, { id: 'again', type: 'job-start', job }))).codeName).toBe('ALREADY_EXISTS');
      const end = await t.dispatch.dispatch(DAEMON, { id: 'end', type: 'job-end', job: { ...job, status: 'terminated' } });
      expect(end.hooks.map((h) => h.status)).toEqual(['ok']);
      await new Promise((r) => setTimeout(r, 500));
      expect(settled.filter((e) => e.outcome.eventId === 'late')).toHaveLength(1);
    } finally {
      off();
      await t.admin.remove(hook.id);
      await t.admin.remove(second.id);
    }
  });

  it('Register past its deadline: the client gets DEADLINE_EXCEEDED; the hook ends up registered whole or not at all, never in between', async () => {
    const fresh = await startTestService();
    const impatient = new AdminClient(fresh.svc.address, { timeoutMs: 30 });
    try {
      const f = await failureOf(impatient.register({ name: 'hurried', component: fixture('conformance.c') }));
      expect(f.codeName).toBe('DEADLINE_EXCEEDED');
      // Whatever the catalog was doing finishes; then the hook is either complete (listed, gettable, runs) or absent (its name free).
      await new Promise((r) => setTimeout(r, 3_000));
      const listed = (await fresh.admin.list()).filter((h) => h.name === 'hurried');
      if (listed.length === 1) {
        expect((await fresh.admin.get(listed[0].id)).sha256).toBe(listed[0].sha256);
        const out = await fresh.dispatch.dispatch(DAEMON, { id: 'start', type: 'job-start', job: testJob() });
        expect(out.hooks.map((h) => h.status)).toEqual(['ok']);
        expect((await failureOf(fresh.admin.register({ name: 'hurried', component: fixture('conformance.c') }))).codeName).toBe('ALREADY_EXISTS');
      } else {
        expect(listed).toHaveLength(0);
        expect((await fresh.admin.register({ name: 'hurried', component: fixture('conformance.c') })).name).toBe('hurried');
      }
      expect((await fresh.admin.list()).filter((h) => h.name === 'hurried')).toHaveLength(1);
    } finally {
      impatient.close();
      await fresh.cleanup();
    }
  });
});

describe('connection settings from the config (grpc.*)', () => {
  it('maxConnectionIdleMs: the server closes a connection idle that long, and the client reconnects on its next call', async () => {
    const idle = await startTestService({ grpc: { maxConnectionIdleMs: 500 } });
    const c = new HealthClient(idle.svc.address, credentials.createInsecure()) as unknown as AnyClient;
    const check = () => new Promise<string>((resolve, reject) => c.check({ service: '' }, (e: ServiceError | null, r: { status: string }) => (e ? reject(e) : resolve(r.status))));
    const state = () => c.getChannel().getConnectivityState(false);
    try {
      expect(await check()).toBe('SERVING');
      expect(state()).toBe(connectivityState.READY);
      // GOAWAY after 500 ms without a call: the channel goes IDLE (grpc-js's own default never closes an idle connection).
      await expect.poll(state, { timeout: 5_000, interval: 100 }).toBe(connectivityState.IDLE);
      expect(await check()).toBe('SERVING');
    } finally {
      c.close();
      await idle.cleanup();
    }
  });
});
