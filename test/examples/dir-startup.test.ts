// The seed's DirStartUp.py port, built from source by its own build script,
// registered and driven over real gRPC.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, testJob, DAEMON, type TestService } from '../helpers/service.js';
import { example } from '../../src/cli/example-hooks.js';
let t: TestService;

beforeAll(async () => {
  t = await startTestService();
  await t.admin.register({ name: 'dir-startup', component: readFileSync(example('dir-startup').wasm) });
});
afterAll(() => t.cleanup());

describe('examples/dir-startup', () => {
  it('reports like the seed at JobStart, NewVolume (asking the director) and JobEnd', async () => {
    const asked: string[] = [];
    const s = await t.session({ doesVolumeExist: (name) => { asked.push(name); return name === 'TestA-4'; } });
    const job = testJob({ client: 'bacula-fd', numVols: 4 });
    const start = await s.send({ type: 'job-start', job });
    expect(start.report).toEqual([`Dir JobStart: JobId=${job.jobId} Client=bacula-fd NumVols=4`]);
    expect(start.hooks[0].subscription).toEqual({ jobInit: true, jobRun: true, newVolume: true, volumePurged: true });
    await s.send({ type: 'job-init', job });
    await s.send({ type: 'job-run', job });
    const nv = await s.send({ type: 'new-volume', job });
    expect(asked).toEqual(['TestA-4']);
    expect(nv.report).toEqual([`JobId=${job.jobId} Client=bacula-fd NumVols=4`, 'Exists=1 TestA-4', 'New Volume set for Job.']);
    expect(nv.writes).toEqual({ volumeName: 'TestA-4' });
    const purged = await s.send({ type: 'volume-purged', job: { ...job, volumeName: 'TestA-1' } });
    expect(purged.report).toEqual(['Volume purged: TestA-1']);
    const end = await s.send({ type: 'job-end', job: { ...job, status: 'terminated' } });
    expect(end.report).toEqual([`Dir JobEnd output: JobId=${job.jobId} Client=bacula-fd.`]);
    const exit = await s.send({ type: 'exit' });
    expect(exit.hooks.map((h) => h.status)).toEqual(['ok']);
  });

  it('still names the volume when no director can answer (unary dispatch)', async () => {
    const job = testJob({ numVols: 2 });
    await t.dispatch.dispatch(DAEMON, { id: 'a', type: 'job-start', job });
    const nv = await t.dispatch.dispatch(DAEMON, { id: 'b', type: 'new-volume', job });
    expect(nv.report).toContain('DoesVolumeExist(TestA-2) failed: no-director-session');
    expect(nv.writes).toEqual({ volumeName: 'TestA-2' });
  });
});
