// Proto <-> model: every enum value survives the wire both ways, and every
// malformed field is refused with its path and what was wrong.
import { describe, expect, it } from 'vitest';
import { bacula } from '../../src/gen/hooks-proto.js';
import {
  decodeDaemon, decodeEvent, decodeJob, decodeOutcome, decodeWrites, encodeEvent, encodeJob, encodeOutcome, encodeWrites,
} from '../../src/wire/codec.js';
import { CATALOG_VENDORS, EVENTS, JOB_STATUSES, JOB_TYPES, LEVELS } from '../../src/model/enums.js';
import { makeJob, type JobSnapshot } from '../../src/model/job.js';
import type { EventOutcome } from '../../src/model/outcome.js';
import { HookServiceError } from '../../src/errors.js';

import pb = bacula.hooks.v1;

/** A job with every attribute set, u64 counters beyond 32 bits. */
const fullJob = (over: Partial<JobSnapshot> = {}): JobSnapshot => makeJob({
  jobId: 4_000_000_000, name: 'BackupClient1', jobType: 'restore', level: 'differential', status: 'running', priority: 100,
  client: 'c-fd', pool: 'Full', storage: 'S1', writeStorage: 'W1', readStorage: 'R1', catalog: 'MyCatalog', mediaType: 'File',
  numVols: 7, volumeName: 'Vol-0007', jobErrors: 2, jobFiles: 123_456, jobBytes: 2 ** 40 + 5, readBytes: 2 ** 33,
  sdJobFiles: 123_450, sdErrors: 1, fdJobStatus: 'terminated', sdJobStatus: 'wait-media',
  catalogRes: { dbName: 'bacula', address: 'db', user: 'u', password: 'pw', socket: '/s', port: 5432, vendor: 'mysql' },
  schedTime: 1_764_000_000, sinceTime: 1_763_000_000,
  ...over,
});

/** Model -> proto object -> bytes -> proto message -> model. */
const viaWire = (j: JobSnapshot) => decodeJob(pb.Job.decode(pb.Job.encode(encodeJob(j)).finish()), 'job');

function refusal(fn: () => unknown): HookServiceError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HookServiceError);
    expect((e as HookServiceError).code).toBe('invalid-argument');
    return e as HookServiceError;
  }
  throw new Error('expected a refusal');
}

describe('encodeJob / decodeJob round trip over the wire', () => {
  it('a job with every attribute set', () => {
    expect(viaWire(fullJob())).toEqual(fullJob());
  });

  it('a job with only what is required (no catalog, no fd/sd status)', () => {
    const j = makeJob({ jobId: 1, name: 'n' });
    const back = viaWire(j);
    expect(back).toEqual(j);
    expect(back.catalogRes).toBeUndefined();
    expect(back.fdJobStatus).toBeUndefined();
  });

  it.each(LEVELS.map(([l]) => l))('level %s', (level) => {
    expect(viaWire(fullJob({ level })).level).toBe(level);
  });

  it.each(JOB_TYPES.map(([t]) => t))('job type %s', (jobType) => {
    expect(viaWire(fullJob({ jobType })).jobType).toBe(jobType);
  });

  it.each(JOB_STATUSES.map(([s]) => s))('job status %s (as status, fd and sd status)', (s) => {
    const back = viaWire(fullJob({ status: s, fdJobStatus: s, sdJobStatus: s }));
    expect([back.status, back.fdJobStatus, back.sdJobStatus]).toEqual([s, s, s]);
  });

  it.each([...CATALOG_VENDORS])('catalog vendor %s', (vendor) => {
    expect(viaWire(fullJob({ catalogRes: { ...fullJob().catalogRes!, vendor } })).catalogRes?.vendor).toBe(vendor);
  });

  it('an empty catalog password is no password', () => {
    const back = viaWire(fullJob({ catalogRes: { ...fullJob().catalogRes!, password: '' } }));
    expect(back.catalogRes).not.toHaveProperty('password');
  });

  it('enum numbers are the proto numbers (table index + 1)', () => {
    const m = encodeJob(fullJob({ level: 'none', jobType: 'consolidate', status: 'despooling-data' }));
    expect([m.level, m.type, m.status]).toEqual([pb.Level.LEVEL_NONE, pb.JobType.JOB_TYPE_CONSOLIDATE, pb.JobStatus.JOB_STATUS_DESPOOLING_DATA]);
    expect(m.catalogRes?.vendor).toBe(pb.CatalogVendor.CATALOG_VENDOR_MYSQL);
  });
});

describe('decodeJob refuses a malformed snapshot, naming the field', () => {
  const good = () => encodeJob(fullJob());
  it.each<[string, Partial<pb.IJob>, string]>([
    ['job_id 0', { jobId: 0 }, 'ev.job_id: must be 1..4294967295, got 0'],
    ['job_id unset', { jobId: null }, 'ev.job_id: must be 1..4294967295, got 0'],
    ['job_id over u32', { jobId: 2 ** 32 }, 'ev.job_id: must be 1..4294967295, got 4294967296'],
    ['priority 0', { priority: 0 }, 'ev.priority: must be 1..100, got 0'],
    ['priority 101', { priority: 101 }, 'ev.priority: must be 1..100, got 101'],
    ['no name', { name: '' }, "ev.name: the Job resource's name is required"],
    ['no job_name', { jobName: null }, 'ev.job_name: the unique job name is required'],
    ['type 0', { type: 0 }, 'ev.type: 0 is not a JobType (expected 1..13)'],
    ['type 14', { type: 14 as pb.JobType }, 'ev.type: 14 is not a JobType (expected 1..13)'],
    ['level 0', { level: 0 }, 'ev.level: 0 is not a Level (expected 1..12)'],
    ['level 99', { level: 99 as pb.Level }, 'ev.level: 99 is not a Level (expected 1..12)'],
    ['status unset', { status: null }, 'ev.status: 0 is not a JobStatus (expected 1..26)'],
    ['status 27', { status: 27 as pb.JobStatus }, 'ev.status: 27 is not a JobStatus (expected 1..26)'],
    ['fd_job_status 27', { fdJobStatus: 27 as pb.JobStatus }, 'ev.fd_job_status: 27 is not a JobStatus'],
    ['sd_job_status 99', { sdJobStatus: 99 as pb.JobStatus }, 'ev.sd_job_status: 99 is not a JobStatus'],
    ['catalog vendor 0', { catalogRes: { dbName: 'x' } }, 'ev.catalog_res.vendor: 0 is not a CatalogVendor (expected 1..4)'],
    ['catalog vendor 5', { catalogRes: { dbName: 'x', vendor: 5 as pb.CatalogVendor } }, 'ev.catalog_res.vendor: 5 is not a CatalogVendor'],
  ])('%s', (_label, over, message) => {
    expect(refusal(() => decodeJob({ ...good(), ...over }, 'ev')).message).toContain(message);
  });

  it('no snapshot at all', () => {
    expect(refusal(() => decodeJob(undefined, 'ev')).message).toBe('ev: the event has no job snapshot');
    expect(refusal(() => decodeJob(null, 'ev')).message).toBe('ev: the event has no job snapshot');
  });

  it('the bounds themselves are accepted', () => {
    expect(decodeJob({ ...good(), jobId: 1, priority: 1 }, 'ev')).toMatchObject({ jobId: 1, priority: 1 });
    expect(decodeJob({ ...good(), jobId: 0xffff_ffff, priority: 100 }, 'ev')).toMatchObject({ jobId: 0xffff_ffff, priority: 100 });
  });
});

describe('decodeEvent', () => {
  it('round trips every event type over the wire; Exit carries no job', () => {
    for (const type of EVENTS) {
      const e = { id: `id-${type}`, type, job: type === 'exit' ? undefined : fullJob() };
      const back = decodeEvent(pb.Event.decode(pb.Event.encode(encodeEvent(e)).finish()));
      expect(back).toEqual(e);
    }
    // A job sent with Exit is ignored, even a malformed one.
    expect(decodeEvent({ id: 'x', type: pb.EventType.EVENT_TYPE_EXIT, job: { jobId: 0 } })).toEqual({ id: 'x', type: 'exit' });
  });

  it.each<[string, pb.IEvent | null, string]>([
    ['no event', null, 'the request has no event'],
    ['no id', { type: 1, job: encodeJob(fullJob()) }, "event.id: required (the director's id for matching the outcome)"],
    ['an id over 128 characters', { id: 'x'.repeat(129), type: 1 }, 'event.id: at most 128 characters'],
    ['type 0', { id: 'e1', type: 0 }, 'event e1: type: 0 is not a EventType (expected 1..7)'],
    ['type 8', { id: 'e1', type: 8 as pb.EventType }, 'event e1: type: 8 is not a EventType (expected 1..7)'],
    ['JobStart without a job', { id: 'e1', type: 1 }, 'event e1: job: the event has no job snapshot'],
    ['a malformed job', { id: 'e1', type: 6, job: { ...encodeJob(fullJob()), priority: 0 } }, 'event e1: job.priority: must be 1..100, got 0'],
  ])('refuses %s', (_label, e, message) => {
    expect(refusal(() => decodeEvent(e)).message).toBe(message);
  });

  it('accepts an id of exactly 128 characters', () => {
    expect(decodeEvent({ id: 'x'.repeat(128), type: 7 }).id).toHaveLength(128);
  });
});

describe('decodeDaemon', () => {
  it('requires a name; the rest defaults to empty', () => {
    expect(decodeDaemon({ name: 'dir' }, 'hello')).toEqual({ name: 'dir', version: '', configFile: '', workingDir: '' });
    expect(refusal(() => decodeDaemon({ version: '1' }, 'hello')).message).toBe("hello: daemon.name is required (it keys the director's jobs)");
    expect(refusal(() => decodeDaemon(null, 'request')).message).toContain('request: daemon.name is required');
  });
});

describe('writes and outcomes over the wire', () => {
  it.each([
    [{}],
    [{ priority: 1 }],
    [{ level: 'virtual-full' as const }],
    [{ volumeName: '' }],
    [{ priority: 100, level: 'none' as const, volumeName: 'Vol-1' }],
  ])('writes %j: only what was written comes back', (w) => {
    expect(decodeWrites(pb.Writes.decode(pb.Writes.encode(encodeWrites(w)).finish()))).toEqual(w);
  });

  it('an event outcome with hooks, writes, subscription and reports', () => {
    const o: EventOutcome = {
      eventId: 'e9', type: 'job-start', jobId: 42, failJob: true, durationMs: 12.5,
      writes: { priority: 11 }, report: ['a', 'b'],
      hooks: [
        { hookId: 'h1', hookName: 'one', status: 'ok', message: '', writes: { priority: 11 }, report: ['a'], subscription: { jobInit: true, jobRun: false, newVolume: true, volumePurged: false }, durationMs: 3, failClosed: false },
        { hookId: 'h2', hookName: 'two', status: 'failed', message: 'trap: unreachable', writes: {}, report: ['b'], durationMs: 1, failClosed: true },
        { hookId: 'h3', hookName: 'three', status: 'timed-out', message: 'too slow', writes: {}, report: [], durationMs: 5000, failClosed: false },
      ],
    };
    expect(decodeOutcome(pb.EventOutcome.decode(pb.EventOutcome.encode(encodeOutcome(o)).finish()))).toEqual(o);
  });
});
