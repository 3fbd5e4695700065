// examples/priority-policy, built from source, over real gRPC.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, testJob, type TestService } from '../helpers/service.js';
import { example } from '../../src/cli/example-hooks.js';

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
  await t.admin.register({ name: 'priority-policy', component: readFileSync(example('priority-policy').wasm) });
});
afterAll(() => t.cleanup());

const DAY = 86_400;

async function init(overrides: Parameters<typeof testJob>[0]) {
  const s = await t.session();
  const job = testJob(overrides);
  const start = await s.send({ type: 'job-start', job });
  const o = await s.send({ type: 'job-init', job });
  return { start, o };
}

describe('examples/priority-policy', () => {
  it('lowers the priority of a Full backup of a named client', async () => {
    const { o } = await init({ client: 'fileserver-fd', level: 'full', priority: 10 });
    expect(o.writes).toEqual({ priority: 20 });
    expect(o.report).toEqual(['priority-policy: Full backup of fileserver-fd: Priority 10 -> 20']);
  });

  it('leaves Full backups of other clients, and clients already lower, alone', async () => {
    expect((await init({ client: 'laptop-fd', level: 'full', priority: 10 })).o.writes).toEqual({});
    expect((await init({ client: 'mailstore-fd', level: 'full', priority: 30 })).o.writes).toEqual({});
  });

  it('raises an Incremental whose last backup is more than a week old to Differential', async () => {
    const { o } = await init({ level: 'incremental', schedTime: 1_764_000_000, sinceTime: 1_764_000_000 - 9 * DAY });
    expect(o.writes).toEqual({ level: 'differential' });
    expect(o.report).toEqual(['priority-policy: last backup 9 days before this one: Level Incremental -> Differential']);
  });

  it('keeps a recent Incremental, and one with no previous backup, as it is', async () => {
    expect((await init({ level: 'incremental', schedTime: 1_764_000_000, sinceTime: 1_764_000_000 - 6 * DAY })).o.writes).toEqual({});
    expect((await init({ level: 'incremental', schedTime: 1_764_000_000, sinceTime: 0 })).o.writes).toEqual({});
  });

  it('does not subscribe to JobInit for jobs that are not backups', async () => {
    const { start, o } = await init({ jobType: 'restore', level: 'none' });
    expect(start.hooks[0].subscription).toEqual({ jobInit: false, jobRun: false, newVolume: false, volumePurged: false });
    expect(o.hooks).toEqual([]);
  });
});
