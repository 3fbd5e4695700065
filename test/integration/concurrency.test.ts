// Many events at once: ordering within a job, 50 jobs in flight on one
// session, two sessions side by side, and a reload while events are in flight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, startTestService, testJob, type TestService } from '../helpers/service.js';
import type { EventName } from '../../src/model/enums.js';
import type { JobSnapshot } from '../../src/model/job.js';
import type { DirectorSessionClient } from '../../src/client/director-client.js';
import type { EventOutcome } from '../../src/model/outcome.js';

let t: TestService;
let hookId: string;

beforeAll(async () => {
  t = await startTestService();
  hookId = (await t.admin.register({ name: 'conformance', component: fixture('conformance.ts') })).id;
});
afterAll(() => t.cleanup());

const LIFE: EventName[] = ['job-start', 'job-init', 'job-run', 'new-volume', 'volume-purged', 'job-end'];

const handlers = (tag: string) => ({
  run: () => 7,
  doesVolumeExist: (name: string) => name.startsWith(tag),
  cancel: () => {},
});

/** Sends a job's whole life without waiting between events: the service must keep them in order. */
function fireJob(s: DirectorSessionClient, job: JobSnapshot): Promise<EventOutcome[]> {
  return Promise.all(LIFE.map((type) => s.send({ type, job })));
}

function expectWholeLifeInOrder(outcomes: EventOutcome[], job: JobSnapshot) {
  expect(outcomes.map((o) => o.type)).toEqual(LIFE);
  for (const o of outcomes) {
    expect(o.jobId).toBe(job.jobId);
    expect(o.hooks.map((h) => h.status)).toEqual(['ok']);
  }
  // The hook's per-job memory lists what entered it, in order, and nothing of another job.
  expect(outcomes[5].report).toContain('seen job-start,job-init,job-run,new-volume,volume-purged,job-end');
}

describe('events of one job', () => {
  it('run in the order they were sent, even when sent all at once', async () => {
    const s = await t.session(handlers('Full'));
    const job = testJob();
    expectWholeLifeInOrder(await fireJob(s, job), job);
  });
});

describe('50 jobs in flight at once on one session', () => {
  it('each gets every outcome, in its own order, with its own director answers', async () => {
    const s = await t.session(handlers('Full'));
    const jobs = Array.from({ length: 50 }, (_, i) => testJob({ numVols: i }));
    const all = await Promise.all(jobs.map((job) => fireJob(s, job)));
    all.forEach((outcomes, i) => {
      expectWholeLifeInOrder(outcomes, jobs[i]);
      expect(outcomes[3].report).toContain(`exists Full-${i} -> true`);
      expect(outcomes[3].writes.volumeName).toBe(`Vol-${i + 1}`);
    });
    expect(t.svc.dispatcher.jobs.size).toBe(0);
  });
});

describe('two sessions at once', () => {
  it('each director gets its own outcomes and answers its own hooks\' calls', async () => {
    const a = await t.session(handlers('Full'), { name: 'dir-a', version: '1', configFile: '/a', workingDir: '/a' });
    const b = await t.session(handlers('Nope'), { name: 'dir-b', version: '2', configFile: '/b', workingDir: '/b' });
    // The same JobId on two directors is two jobs.
    const ja = testJob({ jobId: 900_001 });
    const jb = testJob({ jobId: 900_001 });
    const [oa, ob] = await Promise.all([fireJob(a, ja), fireJob(b, jb)]);
    expectWholeLifeInOrder(oa, ja);
    expectWholeLifeInOrder(ob, jb);
    expect(oa[0].report).toContain('daemon name=dir-a');
    expect(ob[0].report).toContain('daemon name=dir-b');
    expect(oa[3].report).toContain('exists Full-3 -> true');
    expect(ob[3].report).toContain('exists Full-3 -> false');
  });
});

describe('reload with events in flight', () => {
  it('every event gets an outcome and the hook runs a new generation afterwards', async () => {
    const s = await t.session(handlers('Full'));
    const jobs = Array.from({ length: 10 }, () => testJob());
    const inFlight = Promise.all(jobs.map((job) => fireJob(s, job)));
    const [reloaded] = await t.admin.reload(hookId);
    const all = await inFlight;
    expect(reloaded.generation).toBeGreaterThan(1);
    for (const outcomes of all) {
      expect(outcomes.map((o) => o.type)).toEqual(LIFE);
      for (const o of outcomes) expect(o.hooks.map((h) => h.status)).toEqual(['ok']);
    }
    const after = await fireJob(s, testJob());
    expect(after[5].report).toContain('seen job-start,job-init,job-run,new-volume,volume-purged,job-end');
    expect((await t.admin.get(hookId)).generation).toBe(reloaded.generation);
  });
});
