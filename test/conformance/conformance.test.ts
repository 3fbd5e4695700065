// One suite, run once per language (TypeScript, C, Rust) over real gRPC, on
// the conformance hook of test/conformance/SPEC.md: every attribute read,
// every write at its right and wrong time, every director call answered,
// refused and unanswerable, subscriptions, memory, hook errors and traps.
// At the end, the three languages' reports of the same job must be identical.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAEMON, fixture, startTestService, testJob, type TestService } from '../helpers/service.js';
import { attributeBlock, attributeBlocksPerHook } from '../helpers/report.js';
import type { EventOutcome } from '../../src/model/outcome.js';
import type { JobSnapshot } from '../../src/model/job.js';
import type { DirectorSessionClient } from '../../src/client/director-client.js';
import { uniqueJobName } from '../../src/model/job.js';

export const LANGUAGES = [
  { lang: 'TypeScript', fixture: 'conformance.ts' },
  { lang: 'C', fixture: 'conformance.c' },
  { lang: 'Rust', fixture: 'conformance.rs' },
] as const;

/** Each language's reports of the same whole job, compared at the end. */
const wholeJobReports = new Map<string, string[][]>();

/** The director's answers, recording every call. */
function director() {
  const calls: string[] = [];
  return {
    calls,
    handlers: {
      run: (cmd: string) => { calls.push(`run ${cmd}`); return 4242; },
      cancel: (id: number) => { calls.push(`cancel ${id}`); },
      doesVolumeExist: (name: string) => { calls.push(`exists ${name}`); return name === 'Full-3'; },
    },
  };
}

/** The same job for every language: fixed id and unique name, so reports compare as they are. */
const WHOLE_JOB = testJob({ jobId: 4242, jobName: uniqueJobName('BackupClient1', 4242, new Date('2026-11-26T04:00:00Z')) });

async function wholeJob(s: DirectorSessionClient, job: JobSnapshot) {
  const running = { ...job, status: 'running' as const };
  return {
    start: await s.send({ type: 'job-start', job }),
    init: await s.send({ type: 'job-init', job }),
    run: await s.send({ type: 'job-run', job: running }),
    newvol: await s.send({ type: 'new-volume', job: running }),
    purged: await s.send({ type: 'volume-purged', job: { ...running, volumeName: 'Full-0001' } }),
    end: await s.send({
      type: 'job-end',
      job: {
        ...job, status: 'terminated', jobErrors: 2, jobFiles: 1234, jobBytes: 9_007_199_254_740_000, readBytes: 55,
        sdJobFiles: 1233, sdErrors: 1, fdJobStatus: 'terminated', sdJobStatus: 'error-terminated',
      },
    }),
  };
}

describe.each(LANGUAGES.map(({ lang, fixture }) => [lang, fixture] as const))('the conformance hook in %s', (lang, fx) => {
  let t: TestService;
  let hookId: string;

  beforeAll(async () => {
    t = await startTestService();
    hookId = (await t.admin.register({ name: 'conformance', component: fixture(fx) })).id;
  });
  afterAll(() => t?.cleanup());

  describe('a whole job over a director session', () => {
    let o: Awaited<ReturnType<typeof wholeJob>>;
    let d: ReturnType<typeof director>;
    const job = WHOLE_JOB;

    beforeAll(async () => {
      d = director();
      o = await wholeJob(await t.session(d.handlers), job);
      wholeJobReports.set(lang, Object.values(o).map((x) => x.report));
    });

    it('reads every job attribute at JobStart, without the catalog password (not granted)', () => {
      expect(attributeBlock(o.start.report, 'attr')).toEqual({
        'job-type': 'backup', 'job-id': '4242', client: 'client1-fd', 'num-vols': '3', pool: 'Full', storage: 'File1',
        'write-storage': 'File1', 'read-storage': 'File2', catalog: 'MyCatalog', 'media-type': 'File1', name: 'BackupClient1',
        'job-name': 'BackupClient1.2026-11-26_04.00.00_42', status: 'created', priority: '10', level: 'incremental',
        'catalog-res': 'bacula,db.example,bacula,(hidden),/run/pg.sock,5432,postgresql',
        'volume-name': '', 'job-errors': '0', 'job-files': '0', 'job-bytes': '0', 'read-bytes': '0', 'sd-job-files': '0',
        'sd-errors': '0', 'fd-job-status': 'none', 'sd-job-status': 'none', 'sched-time': '1764000000', 'since-time': '1763900000',
      });
    });

    it('reads the daemon attributes from the hello', () => {
      expect(attributeBlock(o.start.report, 'daemon')).toEqual({
        name: DAEMON.name, version: DAEMON.version, 'config-file': DAEMON.configFile, 'working-dir': DAEMON.workingDir,
      });
    });

    it('reads the final counters and statuses at JobEnd (u64 beyond 2^32 intact)', () => {
      expect(attributeBlock(o.end.report, 'final')).toMatchObject({
        status: 'terminated', 'job-errors': '2', 'job-files': '1234', 'job-bytes': '9007199254740000', 'read-bytes': '55',
        'sd-job-files': '1233', 'sd-errors': '1', 'fd-job-status': 'terminated', 'sd-job-status': 'error-terminated',
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
      expect(o.newvol.report).toContain('write volume=bad/name: out-of-range: VolumeName "bad/name" has characters Bacula refuses (allowed: letters, digits, " -_.:")');
      expect(o.newvol.report).toContain('write volume=Vol-4: ok');
      expect(o.newvol.report).toContain('volume now Vol-4');
      expect(o.newvol.writes).toEqual({ volumeName: 'Vol-4' });
    });

    it('reads the purged volume at VolumePurged', () => {
      expect(o.purged.report).toEqual(['seen job-start,job-init,job-run,new-volume,volume-purged', 'purged Full-0001']);
    });

    it('asks the director: run, does-volume-exist, cancel, each answered over the session', () => {
      expect(d.calls).toEqual(['run run job=BackupClient1-copy yes', 'exists Full-3', 'cancel 5242']);
      expect(o.run.report).toContain('run -> 4242');
      expect(o.newvol.report).toContain('exists Full-3 -> true');
      expect(o.end.report).toContain('cancel 5242 -> ok');
    });

    it('keeps its memory between the events of one job', () => {
      expect(o.end.report[0]).toBe('seen job-start,job-init,job-run,new-volume,volume-purged,job-end');
    });

    it('reports the hook\'s outcome, subscription and timing', () => {
      const h = o.start.hooks[0];
      expect(h).toMatchObject({ hookId, hookName: 'conformance', status: 'ok', message: '', failClosed: false });
      expect(h.subscription).toEqual({ jobInit: true, jobRun: true, newVolume: true, volumePurged: true });
      expect(h.durationMs).toBeGreaterThan(0);
      expect(o.start.durationMs).toBeGreaterThanOrEqual(h.durationMs);
      expect([o.end.type, o.end.jobId]).toEqual(['job-end', 4242]);
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
      expect((await s.send({ type: 'job-run', job })).report).toContain('run failed: refused: this director does not run jobs for hooks');
    });

    it('without a session (unary dispatch) every call fails with no-director-session', async () => {
      const job = testJob();
      await t.dispatch.dispatch(DAEMON, { id: 'u1', type: 'job-start', job });
      expect((await t.dispatch.dispatch(DAEMON, { id: 'u2', type: 'job-run', job })).report).toContain('run failed: no-director-session');
      expect((await t.dispatch.dispatch(DAEMON, { id: 'u3', type: 'new-volume', job })).report).toContain('exists Full-3 failed: no-director-session');
      const end = await t.dispatch.dispatch(DAEMON, { id: 'u4', type: 'job-end', job });
      expect(end.report).toContain('cancel failed: no-director-session');
      expect(end.hooks[0].status).toBe('ok');
    });

    it('a director that never answers gives the hook timed-out, and the event still completes', async () => {
      const slow = await startTestService({ directorCallTimeoutMs: 300 });
      try {
        await slow.admin.register({ name: 'conformance', component: fixture(fx) });
        const s = await slow.session({ run: () => new Promise<number>(() => {}) });
        const job = testJob({ pool: 'sub:run' });
        await s.send({ type: 'job-start', job });
        const run = await s.send({ type: 'job-run', job });
        expect(run.report).toContain('run failed: timed-out');
        expect(run.hooks[0].status).toBe('ok');
      } finally {
        await slow.cleanup();
      }
    });
  });

  describe('subscriptions', () => {
    it('job events the hook did not ask for at JobStart never enter it', async () => {
      const s = await t.session(director().handlers);
      const job = testJob({ pool: 'sub:newvol' });
      const start = await s.send({ type: 'job-start', job });
      expect(start.hooks[0].subscription).toEqual({ jobInit: false, jobRun: false, newVolume: true, volumePurged: false });
      for (const type of ['job-init', 'job-run', 'volume-purged'] as const) {
        const o = await s.send({ type, job });
        expect([o.hooks, o.report]).toEqual([[], []]);
      }
      const nv = await s.send({ type: 'new-volume', job });
      // The hook's own record of what entered it proves the skipped events never did.
      expect(nv.report[0]).toBe('seen job-start,new-volume');
      expect((await s.send({ type: 'job-end', job })).report[0]).toBe('seen job-start,new-volume,job-end');
    });
  });

  describe('failures', () => {
    it('a hook error is that hook\'s failed outcome with its message; its writes are not applied; the job goes on', async () => {
      const s = await t.session(director().handlers);
      const job = testJob({ client: 'fail-at-job-init' });
      await s.send({ type: 'job-start', job });
      const init = await s.send({ type: 'job-init', job });
      expect(init.hooks[0]).toMatchObject({ status: 'failed', message: 'asked to fail at job-init', writes: { priority: 77 } });
      expect([init.writes, init.failJob]).toEqual([{}, false]);
      expect(init.report).toEqual(['seen job-start,job-init']);
      const run = await s.send({ type: 'job-run', job });
      expect(run.hooks[0].status).toBe('ok');
      expect(run.report[0]).toBe('seen job-start,job-init,job-run');
    });

    it('a trap reports the hook, the event, the hook\'s reason and a wasm backtrace; a fresh instance takes the next event', async () => {
      const s = await t.session(director().handlers);
      const job = testJob({ client: 'trap-at-job-run' });
      await s.send({ type: 'job-start', job });
      await s.send({ type: 'job-init', job });
      const run = await s.send({ type: 'job-run', job });
      const h = run.hooks[0];
      expect(h.status).toBe('failed');
      expect(h.message).toMatch(/^trap: [^\n]*asked to trap at job-run[^\n]*\(hook "conformance", event JobRun; wasm: [^\n]+\)\nwasm backtrace:\n  at /);
      expect(h.message).toMatch(/bacula:hooks\/events@1\.[012]\.0#job-run/);
      expect(run.report).toEqual(['seen job-start,job-init,job-run']);
      // The trapped instance is never entered again: the next event runs on a new one, with empty memory.
      const end = await s.send({ type: 'job-end', job });
      expect(end.hooks[0].status).toBe('ok');
      expect(end.report[0]).toBe('seen job-end');
    });
  });

  describe('the catalog password', () => {
    it('reaches only a hook granted it', async () => {
      const g = await startTestService();
      try {
        await g.admin.register({ name: 'granted', component: fixture(fx), grantCatalogPassword: true, order: 1 });
        await g.admin.register({ name: 'plain', component: fixture(fx), order: 2 });
        const start = await (await g.session()).send({ type: 'job-start', job: testJob() });
        expect(attributeBlocksPerHook(start, 'attr').map((a) => a['catalog-res'])).toEqual([
          'bacula,db.example,bacula,s3cret,/run/pg.sock,5432,postgresql',
          'bacula,db.example,bacula,(hidden),/run/pg.sock,5432,postgresql',
        ]);
      } finally {
        await g.cleanup();
      }
    });
  });
});

describe('all languages', () => {
  it('report the same whole job line for line', () => {
    const [reference, ...others] = LANGUAGES.map(({ lang }) => [lang, wholeJobReports.get(lang)] as const);
    expect(reference[1]).toBeDefined();
    for (const [lang, reports] of others) expect({ lang, reports }).toEqual({ lang, reports: reference[1] });
  });
});
