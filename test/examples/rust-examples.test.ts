// The Rust examples (examples/rust-*), each built from source with its own
// build.sh (the Rust kit) when its .wasm is missing or stale, registered and
// driven over real gRPC.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAEMON, startTestService, testJob, type TestService } from '../helpers/service.js';
import { example } from '../../src/cli/example-hooks.js';

const RUST_EXAMPLES = ['rust-duplicate-canceller', 'rust-job-chaining'] as const;
type RustExample = (typeof RUST_EXAMPLES)[number];

/** Built by the global setup, like every example; read here. */
const wasmOf = (name: string) => example(name).wasm;

/** A service of its own for each example: the example registered alone, its memory fresh. */
let t: TestService;
function serviceWith(name: RustExample) {
  beforeAll(async () => {
    t = await startTestService();
    await t.admin.register({ name, component: readFileSync(wasmOf(name)) });
  });
  afterAll(() => t?.cleanup());
}

describe('examples/rust-duplicate-canceller', () => {
  serviceWith('rust-duplicate-canceller');

  function director() {
    const cancelled: number[] = [];
    return { cancelled, handlers: { cancel: (id: number) => { cancelled.push(id); } } };
  }

  it('cancels a second job of the same Job resource while the first runs, until the first ends', async () => {
    const d = director();
    const s = await t.session(d.handlers);
    const first = testJob({ name: 'NightlyDup' });
    const second = testJob({ name: 'NightlyDup' });
    const third = testJob({ name: 'NightlyDup' });
    const fourth = testJob({ name: 'NightlyDup' });

    const a = await s.send({ type: 'job-start', job: first });
    expect([a.report, d.cancelled]).toEqual([[], []]);
    expect(a.hooks[0].subscription).toEqual({ jobInit: false, jobRun: false, newVolume: false, volumePurged: false });

    const b = await s.send({ type: 'job-start', job: second });
    expect(d.cancelled).toEqual([second.jobId]);
    expect(b.report).toEqual([`duplicate of JobId ${first.jobId}: cancelled JobId ${second.jobId}`]);
    expect(b.hooks[0]).toMatchObject({ status: 'ok', writes: {} });
    expect(b.hooks[0].subscription).toEqual({ jobInit: false, jobRun: false, newVolume: false, volumePurged: false });

    // The cancelled duplicate ends: the first job is still the one recorded.
    expect((await s.send({ type: 'job-end', job: { ...second, status: 'canceled' } })).report).toEqual([]);
    const c = await s.send({ type: 'job-start', job: third });
    expect(c.report).toEqual([`duplicate of JobId ${first.jobId}: cancelled JobId ${third.jobId}`]);
    expect(d.cancelled).toEqual([second.jobId, third.jobId]);

    // The first job ends: the next one runs and becomes the recorded one.
    await s.send({ type: 'job-end', job: { ...third, status: 'canceled' } });
    expect((await s.send({ type: 'job-end', job: { ...first, status: 'terminated' } })).report).toEqual([]);
    const e = await s.send({ type: 'job-start', job: fourth });
    expect(e.report).toEqual([]);
    expect(d.cancelled).toEqual([second.jobId, third.jobId]);
    const dup = testJob({ name: 'NightlyDup' });
    expect((await s.send({ type: 'job-start', job: dup })).report).toEqual([`duplicate of JobId ${fourth.jobId}: cancelled JobId ${dup.jobId}`]);
    await s.send({ type: 'job-end', job: fourth });
  });

  it('lets jobs of different Job resources run together', async () => {
    const d = director();
    const s = await t.session(d.handlers);
    const x = testJob({ name: 'DupX' });
    const y = testJob({ name: 'DupY' });
    expect((await s.send({ type: 'job-start', job: x })).report).toEqual([]);
    expect((await s.send({ type: 'job-start', job: y })).report).toEqual([]);
    expect(d.cancelled).toEqual([]);
    await s.send({ type: 'job-end', job: x });
    await s.send({ type: 'job-end', job: y });
  });

  it('reports a refused or impossible cancel, and the event still succeeds', async () => {
    const s = await t.session({ cancel: (id) => { throw new Error(`JobId ${id} is not running`); } });
    const first = testJob({ name: 'DupRefused' });
    const second = testJob({ name: 'DupRefused' });
    await s.send({ type: 'job-start', job: first });
    const b = await s.send({ type: 'job-start', job: second });
    expect(b.report).toEqual([`duplicate of JobId ${first.jobId}: could not cancel JobId ${second.jobId}: refused: JobId ${second.jobId} is not running`]);
    expect(b.hooks[0].status).toBe('ok');

    const third = testJob({ name: 'DupRefused' });
    const u = await t.dispatch.dispatch(DAEMON, { id: 'dup-u', type: 'job-start', job: third });
    expect(u.report).toEqual([`duplicate of JobId ${first.jobId}: could not cancel JobId ${third.jobId}: no-director-session`]);
    await s.send({ type: 'job-end', job: first });
  });
});

describe('examples/rust-job-chaining', () => {
  serviceWith('rust-job-chaining');

  function director() {
    const calls: string[] = [];
    return { calls, handlers: { run: (cmd: string) => { calls.push(cmd); return 9001; } } };
  }

  it('subscribes to no job event', async () => {
    const s = await t.session(director().handlers);
    const start = await s.send({ type: 'job-start', job: testJob() });
    expect(start.hooks[0].subscription).toEqual({ jobInit: false, jobRun: false, newVolume: false, volumePurged: false });
    expect(start.report).toEqual([]);
  });

  it.each(['terminated', 'terminated-with-warnings'] as const)('runs <name>-copy after a backup that ends %s', async (status) => {
    const d = director();
    const s = await t.session(d.handlers);
    const job = testJob({ name: 'BackupClient1' });
    await s.send({ type: 'job-start', job });
    const end = await s.send({ type: 'job-end', job: { ...job, status } });
    expect(d.calls).toEqual(['run job=BackupClient1-copy yes']);
    expect(end.report).toEqual(['chained copy job: JobId 9001']);
    expect(end.hooks[0]).toMatchObject({ status: 'ok', writes: {} });
  });

  it('leaves failed and cancelled backups, and jobs that are not backups, alone', async () => {
    const d = director();
    const s = await t.session(d.handlers);
    const cases = [
      testJob({ status: 'error-terminated' }),
      testJob({ status: 'canceled' }),
      testJob({ status: 'fatal-error' }),
      testJob({ jobType: 'restore', level: 'none', status: 'terminated' }),
      testJob({ jobType: 'copy', name: 'BackupClient1-copy', status: 'terminated' }),
      testJob({ jobType: 'admin', level: 'none', status: 'terminated' }),
    ];
    for (const job of cases) {
      await s.send({ type: 'job-start', job });
      const end = await s.send({ type: 'job-end', job });
      expect([end.report, end.hooks[0].status]).toEqual([[], 'ok']);
    }
    expect(d.calls).toEqual([]);
  });

  it('reports a refusal and does not fail the event', async () => {
    const s = await t.session({ run: () => { throw new Error('Job "Nightly-copy" not found'); } });
    const job = testJob({ name: 'Nightly', status: 'terminated' });
    await s.send({ type: 'job-start', job });
    const end = await s.send({ type: 'job-end', job });
    expect(end.report).toEqual(['could not chain Nightly-copy: refused: Job "Nightly-copy" not found']);
    expect(end.hooks[0].status).toBe('ok');
  });

  it('says so when no director can answer (unary dispatch)', async () => {
    const job = testJob({ name: 'Nightly', status: 'terminated-with-warnings' });
    await t.dispatch.dispatch(DAEMON, { id: 'chain-u1', type: 'job-start', job: { ...job, status: 'created' } });
    const end = await t.dispatch.dispatch(DAEMON, { id: 'chain-u2', type: 'job-end', job });
    expect(end.report).toEqual(['could not chain Nightly-copy: no-director-session']);
    expect(end.hooks[0].status).toBe('ok');
  });
});
