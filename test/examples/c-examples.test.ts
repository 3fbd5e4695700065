// The C examples (examples/c-*), built from source with their own build.sh
// (and so with hooks-sdk/c) when missing or stale, registered and driven over
// real gRPC.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAEMON, startTestService, testJob, type TestService } from '../helpers/service.js';
import { example } from '../../src/cli/example-hooks.js';

const C_EXAMPLES = ['c-volume-naming', 'c-failure-notifier'] as const;
type CExample = (typeof C_EXAMPLES)[number];

/** Built by the global setup, like every example; read here. */
const wasmOf = (name: string) => example(name).wasm;


/** One service with one example registered. */
function serviceWith(name: CExample) {
  const s: { t?: TestService } = {};
  beforeAll(async () => {
    s.t = await startTestService();
    await s.t.admin.register({ name, component: readFileSync(wasmOf(name)) });
  });
  afterAll(() => s.t?.cleanup());
  return () => s.t!;
}

describe('examples/c-volume-naming', () => {
  const t = serviceWith('c-volume-naming');
  // 1_764_000_000 is 2025-11-24T16:00:00Z.
  const SCHED = 1_764_000_000;

  it('subscribes to NewVolume only', async () => {
    const start = await (await t().session()).send({ type: 'job-start', job: testJob() });
    expect(start.hooks[0].subscription).toEqual({ jobInit: false, jobRun: false, newVolume: true, volumePurged: false });
    expect(start.report).toEqual([]);
  });

  it('names the volume <pool>-<yyyymmdd>-<n> with the first n the catalog does not have', async () => {
    const asked: string[] = [];
    const taken = new Set(['Full-20251124-1', 'Full-20251124-2']);
    const s = await t().session({ doesVolumeExist: (name) => { asked.push(name); return taken.has(name); } });
    const job = testJob({ pool: 'Full', schedTime: SCHED });
    await s.send({ type: 'job-start', job });
    const nv = await s.send({ type: 'new-volume', job });
    expect(asked).toEqual(['Full-20251124-1', 'Full-20251124-2', 'Full-20251124-3']);
    expect(nv.report).toEqual(['VolumeName Full-20251124-3 (n=3, 2 taken)']);
    expect(nv.writes).toEqual({ volumeName: 'Full-20251124-3' });
    expect(nv.hooks[0].status).toBe('ok');
  });

  it('takes n=1 when nothing is taken, and dates by UTC across leap days', async () => {
    const s = await t().session({ doesVolumeExist: () => false });
    for (const [pool, schedTime, name] of [
      ['Inc', 1_709_164_800, 'Inc-20240229-1'], // 2024-02-29T00:00:00Z
      ['Inc', 951_782_399, 'Inc-20000228-1'], // 2000-02-28T23:59:59Z
      ['Diff', 4_102_444_800, 'Diff-21000101-1'], // 2100-01-01T00:00:00Z
      ['Full', 86_400, 'Full-19700102-1'],
    ] as const) {
      const job = testJob({ pool, schedTime });
      await s.send({ type: 'job-start', job });
      const nv = await s.send({ type: 'new-volume', job });
      expect(nv.report).toEqual([`VolumeName ${name} (n=1, 0 taken)`]);
      expect(nv.writes).toEqual({ volumeName: name });
    }
  });

  it('reports and fails the event when the director cannot answer', async () => {
    const refusing = await t().session({ doesVolumeExist: () => { throw new Error('catalog is down'); } });
    const job = testJob({ pool: 'Full', schedTime: SCHED });
    await refusing.send({ type: 'job-start', job });
    const nv = await refusing.send({ type: 'new-volume', job });
    expect(nv.report).toEqual(['DoesVolumeExist(Full-20251124-1) failed: refused: catalog is down']);
    expect(nv.hooks[0]).toMatchObject({
      status: 'failed', message: 'cannot name the volume: DoesVolumeExist(Full-20251124-1) failed: refused: catalog is down',
    });
    expect(nv.writes).toEqual({});

    const unary = testJob({ pool: 'Full', schedTime: SCHED });
    await t().dispatch.dispatch(DAEMON, { id: 'vn1', type: 'job-start', job: unary });
    const nv2 = await t().dispatch.dispatch(DAEMON, { id: 'vn2', type: 'new-volume', job: unary });
    expect(nv2.report).toEqual(['DoesVolumeExist(Full-20251124-1) failed: no-director-session']);
    expect(nv2.hooks[0]).toMatchObject({ status: 'failed', message: 'cannot name the volume: DoesVolumeExist(Full-20251124-1) failed: no-director-session' });
  });
});

describe('examples/c-failure-notifier', () => {
  const t = serviceWith('c-failure-notifier');

  async function end(overrides: Parameters<typeof testJob>[0]) {
    const s = await t().session();
    const job = testJob(overrides);
    const start = await s.send({ type: 'job-start', job });
    expect(start.hooks[0].subscription).toEqual({ jobInit: false, jobRun: false, newVolume: false, volumePurged: false });
    return { job, o: await s.send({ type: 'job-end', job }) };
  }

  it('reports one structured line for a job that ended in error', async () => {
    const { job, o } = await end({ status: 'error-terminated', client: 'mail-fd', jobErrors: 3, jobBytes: 9_007_199_254_740_000, jobFiles: 12 });
    expect(o.report).toEqual([
      `job-failed job=${job.jobName} client=mail-fd status=error-terminated errors=3 bytes=9007199254740000 files=12`,
    ]);
    expect([o.hooks[0].status, o.writes]).toEqual(['ok', {}]);
  });

  it('reports canceled and fatal jobs too', async () => {
    for (const status of ['canceled', 'fatal-error', 'incomplete'] as const) {
      const { job, o } = await end({ status, jobErrors: 0, jobBytes: 0, jobFiles: 0 });
      expect(o.report).toEqual([`job-failed job=${job.jobName} client=client1-fd status=${status} errors=0 bytes=0 files=0`]);
    }
  });

  it('says nothing for a job that terminated, with or without warnings', async () => {
    for (const status of ['terminated', 'terminated-with-warnings'] as const) {
      const { o } = await end({ status, jobErrors: 1 });
      expect([o.hooks[0].status, o.report]).toEqual(['ok', []]);
    }
  });
});
