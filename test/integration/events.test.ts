// A director's events over real gRPC run the real conformance hook: every
// attribute read, every write at its right and wrong time, every director
// call answered, refused and unanswerable, subscriptions, order and state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAEMON, fixture, startTestService, testJob, type TestService } from '../helpers/service.js';
import type { EventOutcome } from '../../src/model/outcome.js';
import type { JobSnapshot } from '../../src/model/job.js';
import type { DirectorSessionClient } from '../../src/client/director-client.js';

let t: TestService;
let hookId: string;

beforeAll(async () => {
  t = await startTestService();
  hookId = (await t.admin.register({ name: 'conformance', component: fixture('conformance') })).id;
});
afterAll(() => t.cleanup());

const line = (o: EventOutcome, prefix: string) => o.report.find((l) => l.startsWith(prefix));
const json = (o: EventOutcome, prefix: string) => JSON.parse(line(o, `${prefix} `)!.slice(prefix.length + 1));

/** The director's answers, recording every call. */
function director() {
  const calls: string[] = [];
  return {
    calls,
    handlers: {
      run: (cmd: string) => { calls.push(`run ${cmd}`); return 4242; },
      cancel: (id: number) => { calls.push(`cancel ${id}`); if (id > 5000) throw new Error(`JobId ${id} is not running`); },
      doesVolumeExist: (name: string) => { calls.push(`exists ${name}`); return name === 'Full-3'; },
    },
  };
}

async function wholeJob(s: DirectorSessionClient, job: JobSnapshot) {
  const out: Record<string, EventOutcome> = {};
  out.start = await s.send({ type: 'job-start', job });
  out.init = await s.send({ type: 'job-init', job });
  out.run = await s.send({ type: 'job-run', job: { ...job, status: 'running' } });
  out.newvol = await s.send({ type: 'new-volume', job: { ...job, status: 'running' } });
  out.purged = await s.send({ type: 'volume-purged', job: { ...job, status: 'running', volumeName: 'Full-0001' } });
  out.end = await s.send({
    type: 'job-end',
    job: { ...job, status: 'terminated', jobErrors: 2, jobFiles: 1234, jobBytes: 9_007_199_254_740_000, readBytes: 55, sdJobFiles: 1233, sdErrors: 1, fdJobStatus: 'terminated', sdJobStatus: 'error-terminated' },
  });
  return out;
}

describe('a whole job over a director session', () => {
  let o: Record<string, EventOutcome>;
  let d: ReturnType<typeof director>;
  const job = testJob();

  beforeAll(async () => {
    d = director();
    o = await wholeJob(await t.session(d.handlers), job);
  });

  it('reads every job attribute at JobStart, without the catalog password (not granted)', () => {
    expect(json(o.start, 'attrs')).toEqual({
      jobType: 'backup', jobId: job.jobId, client: 'client1-fd', numVols: 3, pool: 'Full', storage: 'File1',
      writeStorage: 'File1', readStorage: 'File2', catalog: 'MyCatalog', mediaType: 'File1', name: 'BackupClient1',
      jobName: job.jobName, status: 'created', priority: 10, level: 'incremental',
      catalogRes: { dbName: 'bacula', address: 'db.example', user: 'bacula', socket: '/run/pg.sock', port: 5432, vendor: 'postgresql' },
      volumeName: '', jobErrors: 0, jobFiles: '0', jobBytes: '0', readBytes: '0', sdJobFiles: '0', sdErrors: 0,
      fdJobStatus: null, sdJobStatus: null, schedTime: '1764000000', sinceTime: '1763900000',
    });
  });

  it('reads the daemon attributes from the hello', () => {
    expect(json(o.start, 'daemon')).toEqual(DAEMON);
  });

  it('reads the final counters and statuses at JobEnd (u64 beyond 2^32 intact)', () => {
    expect(json(o.end, 'final')).toMatchObject({
      status: 'terminated', jobErrors: 2, jobFiles: '1234', jobBytes: '9007199254740000', readBytes: '55',
      sdJobFiles: '1233', sdErrors: 1, fdJobStatus: 'terminated', sdJobStatus: 'error-terminated',
    });
  });

  it('accepts Priority before the job runs, within 1..100, and the hook reads its own write back', () => {
    expect(o.start.report).toContain('write priority=11: ok');
    expect(o.start.report).toContain('priority now 11');
    expect(o.start.report).toContain('write priority=101: out-of-range: Priority must be 1..100, got 101');
    expect(o.init.report).toContain('write priority=5: ok');
    expect(o.run.report).toContain('write priority=6: ok');
    expect(o.start.writes).toEqual({ priority: 11 });
  });

  it('refuses Priority once the job runs', () => {
    expect(o.newvol.report).toContain('write priority=7: wrong-time: Priority can be set only before the job runs (JobStart, JobInit, JobRun), not at NewVolume');
    expect(o.end.report).toContain('write priority=8: wrong-time: Priority can be set only before the job runs (JobStart, JobInit, JobRun), not at JobEnd');
  });

  it('accepts Level only during JobInit', () => {
    expect(o.start.report).toContain('write level=full: wrong-time: Level can be set only during JobInit, not at JobStart');
    expect(o.init.report).toContain('write level=differential: ok');
    expect(o.init.report).toContain('level now differential');
    expect(o.run.report).toContain('write level=full: wrong-time: Level can be set only during JobInit, not at JobRun');
    expect(o.init.writes).toEqual({ level: 'differential', priority: 5 });
  });

  it('accepts VolumeName only during NewVolume, and only a name Bacula accepts', () => {
    expect(o.start.report).toContain('write volume=X: wrong-time: VolumeName can be set only during NewVolume, not at JobStart');
    expect(o.init.report).toContain('write volume=X: wrong-time: VolumeName can be set only during NewVolume, not at JobInit');
    expect(line(o.newvol, 'write volume=bad/name')).toMatch(/out-of-range: VolumeName "bad\/name" has characters Bacula refuses/);
    expect(o.newvol.report).toContain('write volume=Vol-4: ok');
    expect(o.newvol.report).toContain('volume now Vol-4');
    expect(o.newvol.writes).toEqual({ volumeName: 'Vol-4' });
  });

  it('reads the purged volume at VolumePurged', () => {
    expect(o.purged.report).toContain('purged Full-0001');
  });

  it('asks the director: run, does-volume-exist, cancel, each answered over the session', () => {
    expect(d.calls).toEqual(['run run job=BackupClient1-copy yes', 'exists Full-3', `cancel ${job.jobId + 1000}`]);
    expect(o.run.report).toContain('run -> 4242');
    expect(o.newvol.report).toContain('exists Full-3 -> true');
    expect(o.end.report).toContain(`cancel ${job.jobId + 1000} -> ok`);
  });

  it('keeps the hook\'s memory between the events of one job', () => {
    expect(o.end.report).toContain('seen job-start,job-init,job-run,new-volume,volume-purged,job-end');
  });

  it('reports each hook\'s outcome, subscription and timing', () => {
    const h = o.start.hooks[0];
    expect(h).toMatchObject({ hookId, hookName: 'conformance', status: 'ok', message: '', failClosed: false });
    expect(h.subscription).toEqual({ jobInit: true, jobRun: true, newVolume: true, volumePurged: true });
    expect(h.durationMs).toBeGreaterThan(0);
    expect(o.start.durationMs).toBeGreaterThanOrEqual(h.durationMs);
    expect(o.end.type).toBe('job-end');
    expect(o.end.jobId).toBe(job.jobId);
  });
});

describe('director calls that cannot succeed', () => {
  it('a refusal reaches the hook as a typed error with the director\'s message', async () => {
    const s = await t.session({ cancel: (id) => { throw new Error(`JobId ${id} is not running`); } });
    const job = testJob({ pool: 'sub:none' });
    await s.send({ type: 'job-start', job });
    const end = await s.send({ type: 'job-end', job });
    expect(end.report).toContain(`cancel failed: refused: JobId ${job.jobId + 1000} is not running`);
    expect(end.hooks[0].status).toBe('ok');
  });

  it('a director that does not handle a call refuses it with a clear message', async () => {
    const s = await t.session({});
    const job = testJob({ pool: 'sub:run' });
    await s.send({ type: 'job-start', job });
    const run = await s.send({ type: 'job-run', job });
    expect(run.report).toContain('run failed: refused: this director does not run jobs for hooks');
  });

  it('without a session (unary dispatch) every call fails with no-director-session', async () => {
    const job = testJob();
    await t.dispatch.dispatch(DAEMON, { id: 'u1', type: 'job-start', job });
    const run = await t.dispatch.dispatch(DAEMON, { id: 'u2', type: 'job-run', job });
    expect(run.report).toContain('run failed: no-director-session');
    const nv = await t.dispatch.dispatch(DAEMON, { id: 'u3', type: 'new-volume', job });
    expect(nv.report).toContain('exists Full-3 failed: no-director-session');
    const end = await t.dispatch.dispatch(DAEMON, { id: 'u4', type: 'job-end', job });
    expect(end.report).toContain('cancel failed: no-director-session');
    expect(end.hooks[0].status).toBe('ok');
  });

  it('a director that never answers gives the hook timed-out, and the event still completes', async () => {
    const slow = await startTestService({ directorCallTimeoutMs: 300 });
    try {
      await slow.admin.register({ name: 'conformance', component: fixture('conformance') });
      const s = await slow.session({ run: () => new Promise<number>(() => {}) });
      const job = testJob({ pool: 'sub:run' });
      await s.send({ type: 'job-start', job });
      const t0 = Date.now();
      const run = await s.send({ type: 'job-run', job });
      expect(run.report).toContain('run failed: timed-out');
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      await slow.cleanup();
    }
  });
});

describe('subscriptions', () => {
  it('job events a hook did not ask for at JobStart never enter it', async () => {
    const s = await t.session(director().handlers);
    const job = testJob({ pool: 'sub:newvol' });
    const start = await s.send({ type: 'job-start', job });
    expect(start.hooks[0].subscription).toEqual({ jobInit: false, jobRun: false, newVolume: true, volumePurged: false });
    const init = await s.send({ type: 'job-init', job });
    const run = await s.send({ type: 'job-run', job });
    const purged = await s.send({ type: 'volume-purged', job });
    for (const o of [init, run, purged]) {
      expect(o.hooks).toEqual([]);
      expect(o.report).toEqual([]);
    }
    const nv = await s.send({ type: 'new-volume', job });
    expect(nv.hooks.map((h) => h.hookName)).toEqual(['conformance']);
    // The hook's own record of what entered it proves the skipped events never did.
    expect(nv.report).toContain('seen job-start,new-volume');
    const end = await s.send({ type: 'job-end', job });
    expect(end.report).toContain('seen job-start,new-volume,job-end');
  });

  it('a hook registered without an event is never entered for it', async () => {
    const only = await startTestService();
    try {
      await only.admin.register({ name: 'startonly', component: fixture('conformance'), events: ['job-start'] });
      const s = await only.session();
      const job = testJob();
      expect((await s.send({ type: 'job-start', job })).hooks).toHaveLength(1);
      expect((await s.send({ type: 'job-init', job })).hooks).toHaveLength(0);
      expect((await s.send({ type: 'job-end', job })).hooks).toHaveLength(0);
      expect((await s.send({ type: 'exit' })).hooks).toHaveLength(0);
    } finally {
      await only.cleanup();
    }
  });
});

describe('hook failures', () => {
  it('a hook error is that hook\'s failed outcome; its writes are not applied; the job goes on', async () => {
    const s = await t.session(director().handlers);
    const job = testJob({ client: 'fail-at-job-init' });
    await s.send({ type: 'job-start', job });
    const init = await s.send({ type: 'job-init', job });
    expect(init.hooks[0]).toMatchObject({ status: 'failed', message: 'Error: asked to fail at job-init' });
    expect(init.hooks[0].writes).toEqual({ priority: 77 });
    expect(init.writes).toEqual({});
    expect(init.report).toContain('seen job-start,job-init');
    expect(init.failJob).toBe(false);
    const run = await s.send({ type: 'job-run', job });
    expect(run.hooks[0].status).toBe('ok');
    expect(run.report).toContain('seen job-start,job-init,job-run');
  });

  it('a trap fails the event with the trap and a wasm backtrace; a fresh instance takes the next event', async () => {
    const trap = await startTestService();
    try {
      await trap.admin.register({ name: 'trapper', component: fixture('trap-on-run'), failurePolicy: 'fail-closed' });
      const s = await trap.session();
      const job = testJob();
      expect((await s.send({ type: 'job-start', job })).report).toEqual(['count 1']);
      const run = await s.send({ type: 'job-run', job });
      expect(run.hooks[0].status).toBe('failed');
      expect(run.hooks[0].message).toMatch(/^trap: wasm `unreachable` instruction executed\nwasm backtrace:\n/);
      expect(run.hooks[0].message).toContain('bacula:hooks/events@1.0.0#job-run');
      expect(run.failJob).toBe(true);
      // The trapped instance is never entered again: the next event runs on a new one (count restarts).
      const end = await s.send({ type: 'job-end', job });
      expect(end.hooks[0].status).toBe('ok');
      expect(end.report).toEqual(['count 1']);
    } finally {
      await trap.cleanup();
    }
  });
});

describe('several hooks on one event', () => {
  it('run in order (order field, then registration) and each sees the writes of those before it', async () => {
    const many = await startTestService();
    try {
      const a = await many.admin.register({ name: 'second', component: fixture('conformance'), order: 20 });
      const b = await many.admin.register({ name: 'first', component: fixture('conformance'), order: 10 });
      const c = await many.admin.register({ name: 'third', component: fixture('conformance'), order: 20 });
      const s = await many.session(director().handlers);
      const job = testJob({ priority: 10 });
      const start = await s.send({ type: 'job-start', job });
      expect(start.hooks.map((h) => h.hookId)).toEqual([b.id, a.id, c.id]);
      // Each hook raises the priority by one from what it reads: 10 -> 11 -> 12 -> 13.
      expect(start.report.filter((l) => l.startsWith('priority now'))).toEqual(['priority now 11', 'priority now 12', 'priority now 13']);
      expect(start.writes.priority).toBe(13);
    } finally {
      await many.cleanup();
    }
  });
});

describe('the catalog password', () => {
  it('reaches only a hook granted it', async () => {
    const g = await startTestService();
    try {
      await g.admin.register({ name: 'granted', component: fixture('conformance'), grantCatalogPassword: true, order: 1 });
      await g.admin.register({ name: 'plain', component: fixture('conformance'), order: 2 });
      const s = await g.session();
      const start = await s.send({ type: 'job-start', job: testJob() });
      const attrs = start.report.filter((l) => l.startsWith('attrs ')).map((l) => JSON.parse(l.slice(6)));
      expect(attrs[0].catalogRes.password).toBe('s3cret');
      expect(attrs[1].catalogRes).not.toHaveProperty('password');
    } finally {
      await g.cleanup();
    }
  });
});

describe('Exit', () => {
  it('runs the hooks registered for it and ends the director\'s jobs', async () => {
    const s = await t.session();
    const job = testJob();
    await s.send({ type: 'job-start', job });
    const exit = await s.send({ type: 'exit' });
    expect(exit.hooks.map((h) => [h.hookName, h.status])).toEqual([['conformance', 'ok']]);
    expect(exit.jobId).toBe(0);
    await expect(s.send({ type: 'job-end', job })).rejects.toMatchObject({ codeName: 'NOT_FOUND' });
  });
});
