// Bad input over real gRPC, on unary Dispatch and on director sessions: each
// is refused with a status code and a message saying what was wrong, and the
// service keeps serving afterwards.
import { randomBytes } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAEMON, fixture, startTestService, testJob, type TestService } from '../helpers/service.js';
import { RawAdmin, RawDispatch, RawSession, failureOf } from '../helpers/raw-grpc.js';
import { bacula } from '../../src/gen/hooks-proto.js';
import { encodeDaemon, encodeJob } from '../../src/wire/codec.js';
import { EVENT_NAMES, type EventName } from '../../src/model/enums.js';
import type { HookInfo } from '../../src/client/admin-client.js';

import pb = bacula.hooks.v1;

let t: TestService;
let raw: RawDispatch;
let conformance: HookInfo;

const DAEMON_MSG = encodeDaemon(DAEMON);
const typeOf = (e: EventName) => EVENT_NAMES.indexOf(e) + 1;
let nextId = 1;
const eventId = () => `bad-${nextId++}`;

/** A well-formed Event message of a fresh job (or of `job`), with fields overridden. */
function event(type: EventName, job: pb.IJob = encodeJob(testJob()), over: Partial<pb.IEvent> = {}): pb.IEvent {
  return { id: eventId(), type: typeOf(type), job, ...over };
}
const dispatch = (e: pb.IEvent, daemon: pb.IDaemon | null = DAEMON_MSG) => raw.dispatch({ daemon, event: e });
/** The conformance hook's outcome in an event outcome. */
const conformanceIn = (o: pb.IEventOutcome) => o.hooks?.find((h) => h.hookId === conformance.id);

/** Random bytes that protobufjs cannot decode as `type` (random bytes occasionally can). */
function undecodable(type: { decode(b: Uint8Array): unknown }): Buffer {
  for (;;) {
    const b = randomBytes(64);
    try {
      type.decode(b);
    } catch {
      return b;
    }
  }
}

beforeAll(async () => {
  t = await startTestService();
  raw = new RawDispatch(t.svc.address);
  conformance = await t.admin.register({ name: 'conformance', component: fixture('conformance.ts') });
});

afterAll(async () => {
  raw?.close();
  await t?.cleanup();
});

describe('Dispatch (unary): events out of the job order', () => {
  it.each(['job-init', 'job-run', 'new-volume', 'volume-purged', 'job-end'] as const)(
    '%s for a job that never had JobStart: NOT_FOUND, no JobStart',
    async (type) => {
      const e = event(type);
      const f = await failureOf(dispatch(e));
      expect(f.code).toBe(status.NOT_FOUND);
      expect(f.details).toContain(`for job ${e.job!.jobId} of director "${DAEMON.name}": no JobStart was seen`);
    },
  );

  it('JobInit twice, and JobInit after JobRun: FAILED_PRECONDITION, out of order', async () => {
    const a = encodeJob(testJob());
    await dispatch(event('job-start', a));
    await dispatch(event('job-init', a));
    let f = await failureOf(dispatch(event('job-init', a)));
    expect(f.code).toBe(status.FAILED_PRECONDITION);
    expect(f.details).toContain(`JobInit for job ${a.jobId} came out of order`);

    const b = encodeJob(testJob());
    await dispatch(event('job-start', b));
    await dispatch(event('job-init', b));
    await dispatch(event('job-run', b));
    f = await failureOf(dispatch(event('job-init', b)));
    expect(f.code).toBe(status.FAILED_PRECONDITION);
    expect(f.details).toContain('out of order');
    // The refused event changed nothing: the job goes on to its end.
    const end = await dispatch(event('job-end', b));
    expect(conformanceIn(end)?.report).toContain('seen job-start,job-init,job-run,job-end');
  });

  it('JobStart twice: ALREADY_EXISTS; after JobEnd the job is unknown and its id may start again', async () => {
    const j = encodeJob(testJob());
    await dispatch(event('job-start', j));
    const f = await failureOf(dispatch(event('job-start', j)));
    expect(f.code).toBe(status.ALREADY_EXISTS);
    expect(f.details).toContain(`JobStart for job ${j.jobId} of director "${DAEMON.name}", which already started`);

    await dispatch(event('job-end', j));
    expect((await failureOf(dispatch(event('job-run', j)))).code).toBe(status.NOT_FOUND);
    const again = await dispatch(event('job-start', j));
    expect(conformanceIn(again)?.report).toContain('seen job-start');
  });
});

describe('Dispatch (unary): malformed requests name the field', () => {
  const job = (over: Partial<pb.IJob>) => ({ ...encodeJob(testJob()), ...over });
  const cases: [string, () => pb.IEvent, (id: string) => string][] = [
    ['job_id 0', () => event('job-start', job({ jobId: 0 })), (id) => `event ${id}: job.job_id: must be 1..4294967295, got 0`],
    ['priority 0', () => event('job-start', job({ priority: 0 })), (id) => `event ${id}: job.priority: must be 1..100, got 0`],
    ['priority 101', () => event('job-start', job({ priority: 101 })), (id) => `event ${id}: job.priority: must be 1..100, got 101`],
    ['level 99', () => event('job-start', job({ level: 99 as pb.Level })), (id) => `event ${id}: job.level: 99 is not a Level`],
    ['type 0', () => event('job-start', job({ type: 0 })), (id) => `event ${id}: job.type: 0 is not a JobType`],
    ['status 0', () => event('job-start', job({ status: 0 })), (id) => `event ${id}: job.status: 0 is not a JobStatus`],
    ['fd_job_status 27', () => event('job-start', job({ fdJobStatus: 27 as pb.JobStatus })), (id) => `event ${id}: job.fd_job_status: 27 is not a JobStatus`],
    ['catalog_res.vendor 0', () => event('job-start', job({ catalogRes: { dbName: 'bacula' } })), (id) => `event ${id}: job.catalog_res.vendor: 0 is not a CatalogVendor`],
    ['no job', () => event('job-start', undefined, { job: null }), (id) => `event ${id}: job: the event has no job snapshot`],
    ['no name', () => event('job-start', job({ name: '' })), (id) => `event ${id}: job.name: the Job resource's name is required`],
    ['no job_name', () => event('job-start', job({ jobName: '' })), (id) => `event ${id}: job.job_name: the unique job name is required`],
    ['event type 0', () => event('job-start', undefined, { type: 0 }), (id) => `event ${id}: type: 0 is not a EventType`],
    ['event type 8', () => event('job-start', undefined, { type: 8 as pb.EventType }), (id) => `event ${id}: type: 8 is not a EventType`],
    ['no event id', () => event('job-start', undefined, { id: '' }), () => 'event.id: required'],
    ['an event id of 129 characters', () => event('job-start', undefined, { id: 'x'.repeat(129) }), () => 'event.id: at most 128 characters'],
  ];

  it.each(cases)('%s: INVALID_ARGUMENT', async (_label, make, message) => {
    const e = make();
    const f = await failureOf(dispatch(e));
    expect(f.code).toBe(status.INVALID_ARGUMENT);
    expect(f.details).toContain(message(e.id ?? ''));
  });

  it('no event: INVALID_ARGUMENT', async () => {
    const f = await failureOf(raw.dispatch({ daemon: DAEMON_MSG }));
    expect(f.code).toBe(status.INVALID_ARGUMENT);
    expect(f.details).toContain('the request has no event');
  });

  it.each([['no daemon', null], ['a daemon without a name', { ...DAEMON_MSG, name: '' }]] as const)(
    '%s: INVALID_ARGUMENT, daemon.name is required',
    async (_label, daemon) => {
      const f = await failureOf(dispatch(event('job-start'), daemon));
      expect(f.code).toBe(status.INVALID_ARGUMENT);
      expect(f.details).toContain('request: daemon.name is required');
    },
  );

  it('an empty request (zero bytes is a valid empty message): INVALID_ARGUMENT, not INTERNAL', async () => {
    const f = await failureOf(raw.dispatch(Buffer.alloc(0)));
    expect(f.code).toBe(status.INVALID_ARGUMENT);
    expect(f.details).toContain('daemon.name is required');
  });

  it('a refused JobStart admits nothing: the job stays unknown, and a good JobStart for it works', async () => {
    const j = encodeJob(testJob());
    expect((await failureOf(dispatch(event('job-start', { ...j, priority: 0 })))).code).toBe(status.INVALID_ARGUMENT);
    expect((await failureOf(dispatch(event('job-init', j)))).code).toBe(status.NOT_FOUND);
    expect(conformanceIn(await dispatch(event('job-start', j)))?.status).toBe(pb.HookOutcome.Status.STATUS_OK);
  });
});

describe('Undecodable request bodies: INVALID_ARGUMENT, not a valid protobuf message (not INTERNAL)', () => {
  it('random bytes to Dispatch', async () => {
    const f = await failureOf(raw.dispatch(undecodable(pb.DispatchRequest)));
    expect(f.code).toBe(status.INVALID_ARGUMENT);
    expect(f.details).toContain('/bacula.hooks.v1.Dispatch/Dispatch request is not a valid protobuf message');
  });

  it('a valid DispatchRequest cut short', async () => {
    const whole = Buffer.from(pb.DispatchRequest.encode({ daemon: DAEMON_MSG, event: event('job-start') }).finish());
    const f = await failureOf(raw.dispatch(whole.subarray(0, whole.length - 3)));
    expect(f.code).toBe(status.INVALID_ARGUMENT);
    expect(f.details).toContain('not a valid protobuf message');
  });

  it('random bytes to Admin Register and Get', async () => {
    const admin = new RawAdmin(t.svc.address);
    try {
      for (const call of [admin.register(undecodable(pb.RegisterHookRequest)), admin.get(undecodable(pb.HookRef))]) {
        const f = await failureOf(call);
        expect(f.code).toBe(status.INVALID_ARGUMENT);
        expect(f.details).toContain('not a valid protobuf message');
      }
    } finally {
      admin.close();
    }
  });
});

describe('Director session: protocol errors', () => {
  const sessions: RawSession[] = [];
  const open = () => {
    const s = new RawSession(t.svc.address);
    sessions.push(s);
    return s;
  };
  afterAll(() => {
    for (const s of sessions) s.cancel();
  });

  it('garbage bytes: rejected INVALID_ARGUMENT (before and after hello); the session keeps working', async () => {
    const s = open();
    s.write(undecodable(pb.DirectorMessage));
    let m = await s.next();
    expect(m.rejected).toMatchObject({ eventId: '', code: status.INVALID_ARGUMENT });
    expect(m.rejected!.message).toContain('/bacula.hooks.v1.DirectorSession/Open request is not a valid protobuf message');

    expect((await s.hello(DAEMON_MSG)).sessionId).toBeTruthy();
    s.write(undecodable(pb.DirectorMessage));
    m = await s.next();
    expect(m.rejected?.code).toBe(status.INVALID_ARGUMENT);

    const e = event('job-start');
    s.write({ event: e });
    m = await s.next();
    expect(m.outcome?.eventId).toBe(e.id);
    expect(conformanceIn(m.outcome!)?.status).toBe(pb.HookOutcome.Status.STATUS_OK);
  });

  it('a first message that is not hello: the stream ends with INVALID_ARGUMENT, the first message must be hello', async () => {
    const s = open();
    s.write({ event: event('job-start') });
    const end = await s.ended;
    expect(end.code).toBe(status.INVALID_ARGUMENT);
    expect(end.details).toMatch(/first message .* must be hello/);
    await expect(s.next()).rejects.toThrow('the session has ended');
  });

  it('hello without a daemon name: the stream ends with INVALID_ARGUMENT, daemon.name is required', async () => {
    const s = open();
    s.write({ hello: { daemon: { version: '9.6.7' } } });
    const end = await s.ended;
    expect(end.code).toBe(status.INVALID_ARGUMENT);
    expect(end.details).toContain('hello: daemon.name is required');
  });

  it('hello twice: rejected FAILED_PRECONDITION; an empty message: rejected INVALID_ARGUMENT; the session keeps working', async () => {
    const s = open();
    await s.hello(DAEMON_MSG);
    s.write({ hello: { daemon: DAEMON_MSG } });
    let m = await s.next();
    expect(m.rejected).toMatchObject({ eventId: '', code: status.FAILED_PRECONDITION });
    expect(m.rejected!.message).toContain('hello was already received');

    s.write({});
    m = await s.next();
    expect(m.rejected).toMatchObject({ eventId: '', code: status.INVALID_ARGUMENT });
    expect(m.rejected!.message).toContain('empty DirectorMessage');

    const e = event('job-start');
    s.write({ event: e });
    expect((await s.next()).outcome?.eventId).toBe(e.id);
  });

  it('events the job order refuses are rejected with their id: unknown job NOT_FOUND, JobStart twice ALREADY_EXISTS, JobInit twice FAILED_PRECONDITION', async () => {
    const s = open();
    await s.hello(DAEMON_MSG);
    const expectRejected = async (e: pb.IEvent, code: status, text: string) => {
      s.write({ event: e });
      const m = await s.next();
      expect(m.rejected, JSON.stringify(m.toJSON())).toMatchObject({ eventId: e.id, code });
      expect(m.rejected!.message).toContain(text);
    };
    await expectRejected(event('job-run'), status.NOT_FOUND, 'no JobStart was seen');

    const j = encodeJob(testJob());
    for (const type of ['job-start', 'job-init'] as const) {
      const e = event(type, j);
      s.write({ event: e });
      expect((await s.next()).outcome?.eventId).toBe(e.id);
    }
    await expectRejected(event('job-start', j), status.ALREADY_EXISTS, 'already started');
    await expectRejected(event('job-init', j), status.FAILED_PRECONDITION, 'out of order');
    await expectRejected(event('job-run', { ...j, priority: 0 }), status.INVALID_ARGUMENT, 'job.priority: must be 1..100');
  });

  it('a duplicate event id while the first is in flight: rejected ALREADY_EXISTS; exactly one outcome for that id', async () => {
    const s = open();
    await s.hello(DAEMON_MSG);
    const j = encodeJob(testJob());
    for (const type of ['job-start', 'job-init'] as const) {
      s.write({ event: event(type, j) });
      expect((await s.next()).outcome).toBeTruthy();
    }
    // The conformance hook's JobRun calls the director (run) and waits for the
    // answer: the event stays in flight until this test replies.
    s.write({ event: event('job-run', j, { id: 'dup' }) });
    const call = (await s.next()).call;
    expect(call).toMatchObject({ eventId: 'dup', jobId: j.jobId, hookId: conformance.id, run: 'run job=BackupClient1-copy yes' });

    const fresh = encodeJob(testJob());
    s.write({ event: event('job-start', fresh, { id: 'dup' }) });
    const rejected = (await s.next()).rejected;
    expect(rejected).toMatchObject({ eventId: 'dup', code: status.ALREADY_EXISTS });
    expect(rejected!.message).toContain('event id "dup" is already in flight');

    s.write({ callReply: { callId: call!.callId, runJobId: 4242 } });
    const outcome = (await s.next()).outcome;
    expect(outcome?.eventId).toBe('dup');
    expect(outcome?.type).toBe(typeOf('job-run'));
    expect(conformanceIn(outcome!)?.report).toContain('run -> 4242');

    // The rejected duplicate admitted nothing, and once the first has its
    // outcome the id may be used again.
    s.write({ event: event('job-start', fresh, { id: 'dup' }) });
    const again = (await s.next()).outcome;
    expect(again?.eventId).toBe('dup');
    expect(again?.jobId).toBe(fresh.jobId);
  });

  it('director replies that fit no call: an unknown call id is ignored; a reply of the wrong kind reaches the hook as unavailable', async () => {
    const s = open();
    await s.hello(DAEMON_MSG);
    s.write({ callReply: { callId: 'no-such-call', runJobId: 1 } });
    const j = encodeJob(testJob());
    s.write({ event: event('job-start', j) });
    // Nothing came back for the stray reply: the next message is the outcome.
    expect((await s.next()).outcome?.jobId).toBe(j.jobId);

    const end = event('job-end', j);
    s.write({ event: end });
    const call = (await s.next()).call;
    expect(call).toMatchObject({ eventId: end.id, cancel: j.jobId! + 1000 });
    s.write({ callReply: { callId: call!.callId, volumeExists: true } });
    const o = (await s.next()).outcome;
    expect(conformanceIn(o!)?.report).toContain('cancel failed: unavailable: the director answered cancel with volume_exists');
  });
});

describe('After all of that the service still serves', () => {
  it('a new session runs a whole job through the conformance hook, and unary dispatch still works', async () => {
    const s = await t.session({
      run: () => 777,
      doesVolumeExist: (name) => name === 'Full-3',
      cancel: () => undefined,
    });
    const job = testJob();
    const order: EventName[] = ['job-start', 'job-init', 'job-run', 'new-volume', 'volume-purged', 'job-end'];
    const seen: string[] = [];
    for (const type of order) {
      const o = await s.send({ type, job });
      expect(o.type).toBe(type);
      const h = o.hooks.find((x) => x.hookId === conformance.id);
      expect(h?.status, `${type}: ${h?.message}`).toBe('ok');
      seen.push(type);
      expect(h!.report).toContain(`seen ${seen.join(',')}`);
      if (type === 'job-run') expect(h!.report).toContain('run -> 777');
      if (type === 'new-volume') expect(h!.report).toContain('exists Full-3 -> true');
      if (type === 'job-end') expect(h!.report).toContain(`cancel ${job.jobId + 1000} -> ok`);
    }
    await s.close();

    const o = await t.dispatch.dispatch(DAEMON, { id: eventId(), type: 'job-start', job: testJob() });
    expect(o.hooks.map((h) => [h.hookId, h.status])).toEqual([[conformance.id, 'ok']]);
  });
});
