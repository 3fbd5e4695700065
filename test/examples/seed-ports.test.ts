// The seed's DirStartUp.py, ported to TypeScript, C and Rust (examples/
// dir-startup, c-dir-startup, rust-dir-startup): each built from source,
// registered and driven over real gRPC, all held to the same lines.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAEMON, startTestService, testJob, type TestService } from '../helpers/service.js';
import { example } from '../../src/cli/example-hooks.js';

const PORTS = ['dir-startup', 'c-dir-startup', 'rust-dir-startup'];
/** Each port's reports of the same events, compared at the end. */
const reports = new Map<string, string[][]>();

describe.each(PORTS)('examples/%s', (name) => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
    await t.admin.register({ name, component: readFileSync(example(name).wasm) });
  });
  afterAll(() => t?.cleanup());

  it('reports like the seed at JobStart, NewVolume (asking the director), VolumePurged and JobEnd', async () => {
    const asked: string[] = [];
    const s = await t.session({ doesVolumeExist: (v) => { asked.push(v); return v === 'TestA-4'; } });
    const job = testJob({ jobId: 77, client: 'bacula-fd', numVols: 4 });
    const start = await s.send({ type: 'job-start', job });
    expect(start.report).toEqual(['Dir JobStart: JobId=77 Client=bacula-fd NumVols=4']);
    expect(start.hooks[0]).toMatchObject({ hookName: name, status: 'ok' });
    expect(start.hooks[0].subscription).toEqual({ jobInit: true, jobRun: true, newVolume: true, volumePurged: true });
    const init = await s.send({ type: 'job-init', job });
    const run = await s.send({ type: 'job-run', job });
    for (const o of [init, run]) expect([o.hooks.map((h) => h.status), o.report, o.writes]).toEqual([['ok'], [], {}]);
    const nv = await s.send({ type: 'new-volume', job });
    expect(asked).toEqual(['TestA-4']);
    expect(nv.report).toEqual(['JobId=77 Client=bacula-fd NumVols=4', 'Exists=1 TestA-4', 'New Volume set for Job.']);
    expect(nv.writes).toEqual({ volumeName: 'TestA-4' });
    const purged = await s.send({ type: 'volume-purged', job: { ...job, volumeName: 'TestA-1' } });
    expect(purged.report).toEqual(['Volume purged: TestA-1']);
    const end = await s.send({ type: 'job-end', job: { ...job, status: 'terminated' } });
    expect(end.report).toEqual(['Dir JobEnd output: JobId=77 Client=bacula-fd.']);
    const exit = await s.send({ type: 'exit' });
    expect([exit.hooks.map((h) => h.status), exit.report]).toEqual([['ok'], []]);
    reports.set(name, [start, init, run, nv, purged, end, exit].map((o) => o.report));
  });

  it('reports Exists=0 for a volume the catalog does not have, and names it all the same', async () => {
    const s = await t.session({ doesVolumeExist: () => false });
    const job = testJob({ numVols: 5 });
    await s.send({ type: 'job-start', job });
    const nv = await s.send({ type: 'new-volume', job });
    expect(nv.report).toEqual([`JobId=${job.jobId} Client=client1-fd NumVols=5`, 'Exists=0 TestA-5', 'New Volume set for Job.']);
    expect([nv.writes, nv.hooks[0].status]).toEqual([{ volumeName: 'TestA-5' }, 'ok']);
  });

  it('still names the volume when no director can answer (unary dispatch)', async () => {
    const job = testJob({ numVols: 2 });
    await t.dispatch.dispatch(DAEMON, { id: 'a', type: 'job-start', job });
    const nv = await t.dispatch.dispatch(DAEMON, { id: 'b', type: 'new-volume', job });
    expect(nv.report).toEqual([`JobId=${job.jobId} Client=client1-fd NumVols=2`, 'DoesVolumeExist(TestA-2) failed: no-director-session', 'New Volume set for Job.']);
    expect(nv.writes).toEqual({ volumeName: 'TestA-2' });
  });
});

describe('the three ports', () => {
  it('report the same lines for the same events', () => {
    const [first, ...rest] = PORTS.map((p) => ({ port: p, reports: reports.get(p) }));
    expect(first.reports).toBeDefined();
    for (const r of rest) expect(r).toEqual({ ...first, port: r.port });
  });
});
