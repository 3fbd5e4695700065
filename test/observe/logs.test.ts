// The structured log of a real service: one JSON line per hook per event with
// who, what, how long and how it ended, the hook's report lines inside it (so
// concurrent jobs' reports never interleave), lifecycle lines; and the pretty
// format and the level, from the config.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, testJob } from '../helpers/service.js';
import { startObservedService, type ObservedService } from './observed-service.js';
import type { DirectorSessionClient } from '../../src/client/director-client.js';

let s: ObservedService;
let session: DirectorSessionClient;
const hookLines = () => s.logs.filter((l) => l.msg === 'hook outcome');

beforeAll(async () => {
  s = await startObservedService();
  await s.admin().register({ name: 'hostile', component: fixture('hostile.c'), limits: { deadlineMs: 2000 } });
  session = await s.session();
}, 60_000);

afterAll(() => s?.cleanup());

describe('the service log', () => {
  it('starts with lifecycle lines: the gRPC and metrics addresses', () => {
    const listening = s.logs.find((l) => typeof l.msg === 'string' && l.msg.startsWith('hook service listening'));
    expect(listening).toMatchObject({ level: 'info', address: s.svc.address, tls: false, workersPerTenant: 1 });
    expect(s.logs.find((l) => l.msg === `metrics endpoint listening on ${s.metricsUrl}`)).toMatchObject({ level: 'info', address: s.svc.observability.server!.address });
  });

  it('has one line per hook outcome: tenant, director, event, job, hook, duration, outcome, report', async () => {
    const job = testJob({ client: 'calm' });
    const o = await session.send({ type: 'job-start', job, id: 'log-ok' });
    const line = hookLines().find((l) => l.eventId === 'log-ok')!;
    expect(line).toEqual({
      level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), msg: 'hook outcome',
      tenant: 'default', director: 'test-dir', event: 'job-start', eventId: 'log-ok', jobId: job.jobId,
      hook: 'hostile', hookId: o.hooks[0].hookId, durationMs: expect.any(Number), outcome: 'ok',
      report: [`hostile: job ${job.jobId} with client calm, nothing hostile`],
    });
  });

  it('logs a failed hook as a warning, with its error and the report it wrote before failing', async () => {
    await session.send({ type: 'job-start', job: testJob({ client: 'trap-after-writes' }), id: 'log-trap' });
    const line = hookLines().find((l) => l.eventId === 'log-trap')!;
    expect(line).toMatchObject({ level: 'warn', outcome: 'failed', report: ['trap-after-writes: priority=42 accepted'] });
    expect(line.error).toMatch(/^trap: trap-after-writes: trapping after a write and a report line \(hook "hostile", event JobStart/);
  });

  it('keeps each job\'s report in its own line when jobs run at once', async () => {
    const jobs = Array.from({ length: 12 }, (_, i) => testJob({ client: `c${i}` }));
    await Promise.all(jobs.map((job, i) => session.send({ type: 'job-start', job, id: `log-many-${i}` })));
    for (const [i, job] of jobs.entries()) {
      const lines = hookLines().filter((l) => l.eventId === `log-many-${i}`);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ jobId: job.jobId, report: [`hostile: job ${job.jobId} with client c${i}, nothing hostile`] });
    }
  });

  it('logs an event it did not admit as a warning, with why', async () => {
    const job = testJob();
    await expect(session.send({ type: 'job-init', job, id: 'log-orphan' })).rejects.toThrow();
    const line = s.logs.find((l) => l.msg === 'event rejected' && l.eventId === 'log-orphan');
    expect(line).toMatchObject({ level: 'warn', tenant: 'default', director: 'test-dir', event: 'job-init', code: 'not-found' });
    expect(line!.error).toContain(`${job.jobId}`);
  });

  it('writes nothing but JSON lines', () => {
    expect(s.logs.filter((l) => 'unparsed' in l)).toEqual([]);
  });
});

describe('the log settings', () => {
  it('pretty format and level warn: readable lines, the ok outcomes left out', async () => {
    const lines: string[] = [];
    const p = await startObservedService({ log: { level: 'warn', format: 'pretty', sink: (l) => lines.push(l) } });
    try {
      await p.admin().register({ name: 'hostile', component: fixture('hostile.c') });
      const ses = await p.session();
      const calm = testJob({ client: 'calm' });
      await ses.send({ type: 'job-start', job: calm });
      const bad = testJob({ client: 'trap-after-writes' });
      await ses.send({ type: 'job-start', job: bad });
      expect(lines).toHaveLength(1);
      const [first, ...report] = lines[0].split('\n');
      expect(first).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z WARN  hook outcome tenant=default director=test-dir event=job-start eventId=e2 jobId=${bad.jobId} hook=hostile hookId=\\S+ durationMs=[\\d.]+ outcome=failed error="trap: trap-after-writes`));
      expect(report).toEqual(['  | trap-after-writes: priority=42 accepted']);
    } finally {
      await p.cleanup();
    }
  });
});
