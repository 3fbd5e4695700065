// Rich error details on the wire: a failed call's grpc-status-details-bin
// trailer is a standard google.rpc.Status (a director session's rejected
// event carries the same reason and metadata in its own fields). Read here by plain grpc-js clients
// and decoded with protobufjs from the .proto files at run time (not the
// service's generated codecs), as any other gRPC client would.
import { join } from 'node:path';
import { credentials, makeGenericClientConstructor, status, type Client, type ServiceError } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/cli/example-hooks.js';
import { AdminService, DispatchService } from '../../src/gen/hooks-services.js';
import { startTestService, testJob, DAEMON, fixture, type TestService } from '../helpers/service.js';
import { encodeJob } from '../../src/wire/codec.js';
import { wasiImportingComponent } from '../helpers/components.js';
import { HookClientError } from '../../src/client/client-error.js';

type Raw = Client & Record<string, (req: object, cb: (e: ServiceError | null) => void) => void>;
const rawClient = (def: object, name: string, address: string) =>
  new (makeGenericClientConstructor(def as never, name))(address, credentials.createInsecure()) as unknown as Raw;

interface Decoded {
  code: number;
  message: string;
  errorInfo?: { reason: string; domain: string; metadata: Record<string, string> };
  fieldViolations?: { field: string; description: string }[];
}

let rpc: protobuf.Root;
/** The status of a call that must fail, with its details decoded from the standard protos. */
function failure(client: Raw, method: string, req: object): Promise<{ error: ServiceError; decoded?: Decoded }> {
  return new Promise((resolve, reject) => client[method](req, (e) => {
    if (!e) return reject(new Error(`${method} succeeded, but it was expected to fail`));
    const bytes = e.metadata.get('grpc-status-details-bin')[0];
    if (!Buffer.isBuffer(bytes)) return resolve({ error: e });
    const st = rpc.lookupType('google.rpc.Status').decode(bytes) as unknown as { code: number; message: string; details: { type_url: string; value: Uint8Array }[] };
    const decoded: Decoded = { code: st.code, message: st.message };
    for (const any of st.details) {
      const type = rpc.lookupType(any.type_url.replace(/^type\.googleapis\.com\//, ''));
      const msg = type.toObject(type.decode(any.value), { defaults: true }) as never;
      if (any.type_url.endsWith('/google.rpc.ErrorInfo')) decoded.errorInfo = msg;
      else if (any.type_url.endsWith('/google.rpc.BadRequest')) decoded.fieldViolations = (msg as { fieldViolations: Decoded['fieldViolations'] }).fieldViolations;
    }
    resolve({ error: e, decoded });
  }));
}

let t: TestService;
let admin: Raw;
let dispatch: Raw;
beforeAll(async () => {
  rpc = await protobuf.load(['status.proto', 'error_details.proto'].map((f) => join(REPO_ROOT, 'proto', 'google', 'rpc', f)));
  t = await startTestService({ limits: { eventsInFlightPerTenant: 1 } });
  admin = rawClient(AdminService, 'RawAdmin', t.svc.address);
  dispatch = rawClient(DispatchService, 'RawDispatch', t.svc.address);
});
afterAll(async () => {
  admin?.close();
  dispatch?.close();
  await t?.cleanup();
});

describe('google.rpc.Status in grpc-status-details-bin', () => {
  it('a hook that is not there: NOT_FOUND with ErrorInfo HOOK_NOT_FOUND naming the hook and the tenant', async () => {
    const { error, decoded } = await failure(admin, 'get', { id: 'no-such-hook' });
    expect(error.code).toBe(status.NOT_FOUND);
    expect(decoded).toEqual({
      code: status.NOT_FOUND, message: 'no hook with id "no-such-hook"',
      errorInfo: { reason: 'HOOK_NOT_FOUND', domain: 'bacula-hooks', metadata: { tenant: 'default', hook: 'no-such-hook' } },
    });
  });

  it('a refused registration: a BadRequest names each wrong field, and the ErrorInfo the tenant, the hook and what was refused', async () => {
    const component = fixture('conformance.c');
    const events = await failure(admin, 'register', { name: 'x', component, events: [99] });
    expect(events.error.code).toBe(status.INVALID_ARGUMENT);
    expect(events.decoded!.fieldViolations).toEqual([{ field: 'events[0]', description: '99 is not an EventType', reason: '' }]);
    expect(events.decoded!.errorInfo).toEqual({ reason: 'INVALID_FIELD', domain: 'bacula-hooks', metadata: { tenant: 'default', hook: 'x' } });
    const name = await failure(admin, 'register', { name: 'Not A Name', component });
    expect(name.decoded!.fieldViolations).toEqual([expect.objectContaining({ field: 'name', description: expect.stringContaining('is not a hook name') })]);
    const outside = await failure(admin, 'register', { name: 'fs-user', component: await wasiImportingComponent() });
    expect(outside.decoded!.errorInfo).toEqual({
      reason: 'IMPORTS_OUTSIDE_WORLD', domain: 'bacula-hooks', metadata: { tenant: 'default', hook: 'fs-user', imports: 'wasi:filesystem/types@0.2.3' },
    });
  });

  it('an event for a job that never started: NOT_FOUND with JOB_NOT_STARTED naming the director, job and event', async () => {
    const job = testJob();
    const { decoded } = await failure(dispatch, 'dispatch', { daemon: DAEMON, event: { id: 'e', type: 3, job: encodeJob(job) } });
    expect(decoded!.errorInfo).toEqual({
      reason: 'JOB_NOT_STARTED', domain: 'bacula-hooks',
      metadata: { tenant: 'default', director: DAEMON.name, job: String(job.jobId), event: 'JobRun' },
    });
  });

  it('a director session\'s rejected event carries the same reason and metadata (EventRejected.reason, .metadata)', async () => {
    const session = await t.session();
    const job = testJob();
    const e = await session.send({ id: 'orphan', type: 'job-end', job }).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(HookClientError);
    expect((e as HookClientError).codeName).toBe('NOT_FOUND');
    expect((e as HookClientError).statusDetails).toEqual({
      reason: 'JOB_NOT_STARTED', metadata: { tenant: 'default', director: DAEMON.name, job: String(job.jobId), event: 'JobEnd' },
    });
  });

  it('over the events-in-flight limit: RESOURCE_EXHAUSTED with EVENTS_IN_FLIGHT_LIMIT, the limit and the event', async () => {
    await t.admin.register({ name: 'conf', component: fixture('conformance.c') });
    // A JobRun whose hook waits on the director's answer to run(): one event in flight, the tenant's limit.
    let answer!: (jobId: number) => void;
    const asked = new Promise<void>((r) => {
      void t.session({ run: () => { r(); return new Promise<number>((a) => { answer = a; }); } }).then(async (s) => {
        const job = testJob();
        await s.send({ id: 'start', type: 'job-start', job });
        await s.send({ id: 'run', type: 'job-run', job });
      });
    });
    await asked;
    const { decoded } = await failure(dispatch, 'dispatch', { daemon: DAEMON, event: { id: 'over', type: 1, job: encodeJob(testJob()) } });
    answer(4321);
    expect(decoded!.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(decoded!.errorInfo).toEqual({
      reason: 'EVENTS_IN_FLIGHT_LIMIT', domain: 'bacula-hooks',
      metadata: { tenant: 'default', director: DAEMON.name, event: 'job-start', eventId: 'over', limit: 'eventsInFlightPerTenant', max: '1' },
    });
  });
});
