// The metrics-exporter example, built from source by its own build.sh: real
// JobStart…JobEnd events over gRPC, then a real scrape of /metrics with the
// exact bytes, files, job counts and duration observations per job and level.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testJob } from '../helpers/service.js';
import { sample, startObservedService, type ObservedService } from './observed-service.js';
import { example } from '../../src/cli/example-hooks.js';
import type { JobSnapshot } from '../../src/model/job.js';

const HOOK = { tenant: 'default', hook: 'metrics-exporter' };
const CATALOG_FULL = { ...HOOK, job: 'BackupCatalog', level: 'full' };
const CLIENT_INCR = { ...HOOK, job: 'BackupClient1', level: 'incremental' };

let s: ObservedService;
const reports: string[][] = [];

beforeAll(async () => {
  s = await startObservedService();
  await s.admin().register({ name: 'metrics-exporter', component: readFileSync(example('metrics-exporter').wasm), wasiGrants: ['clocks'] });
  const session = await s.session();
  const run = async (job: JobSnapshot) => {
    await session.send({ type: 'job-start', job: { ...job, status: 'running', jobBytes: 0, jobFiles: 0 } });
    const end = await session.send({ type: 'job-end', job });
    expect(end.hooks[0].status).toBe('ok');
    reports.push(end.report);
  };
  await run(testJob({ name: 'BackupCatalog', level: 'full', status: 'terminated', jobBytes: 1_500_000_000, jobFiles: 120 }));
  await run(testJob({ name: 'BackupClient1', level: 'incremental', status: 'terminated', jobBytes: 42_000, jobFiles: 7 }));
  await run(testJob({ name: 'BackupCatalog', level: 'full', status: 'error-terminated', jobBytes: 2_500_000_000, jobFiles: 80 }));
}, 120_000);

afterAll(() => s?.cleanup());

describe('examples/metrics-exporter', () => {
  it('reports what it exported at each JobEnd', () => {
    expect(reports.map((r) => r.map((l) => l.replace(/, [\d.]+ s$/, ', <t> s')))).toEqual([
      ['metrics-exporter: BackupCatalog full terminated: 1500000000 bytes, 120 files, <t> s'],
      ['metrics-exporter: BackupClient1 incremental terminated: 42000 bytes, 7 files, <t> s'],
      ['metrics-exporter: BackupCatalog full error-terminated: 2500000000 bytes, 80 files, <t> s'],
    ]);
  });

  it('exports bytes and files per job name and level, and jobs by status', async () => {
    const { samples, text } = await s.scrape();
    expect(text).toContain('# TYPE hook_job_bytes_total counter');
    expect(samples.get(sample('hook_job_bytes_total', CATALOG_FULL))).toBe(4_000_000_000);
    expect(samples.get(sample('hook_job_files_total', CATALOG_FULL))).toBe(200);
    expect(samples.get(sample('hook_job_bytes_total', CLIENT_INCR))).toBe(42_000);
    expect(samples.get(sample('hook_job_files_total', CLIENT_INCR))).toBe(7);
    expect(samples.get(sample('hook_jobs_total', { ...CATALOG_FULL, status: 'terminated' }))).toBe(1);
    expect(samples.get(sample('hook_jobs_total', { ...CATALOG_FULL, status: 'error-terminated' }))).toBe(1);
    expect(samples.get(sample('hook_jobs_total', { ...CLIENT_INCR, status: 'terminated' }))).toBe(1);
    expect([...samples.keys()].filter((k) => k.startsWith('hook_job_bytes_total'))).toHaveLength(2);
  });

  it('observes each job\'s duration, JobStart to JobEnd, in its buckets', async () => {
    const { samples, text } = await s.scrape();
    expect(text).toContain('# TYPE hook_job_duration_seconds histogram');
    const bucket = (labels: Record<string, string>, le: string) => samples.get(sample('hook_job_duration_seconds_bucket', { ...labels, le }));
    // Each job's events came within a second of each other: every observation is in the first bucket (60 s).
    expect(['60', '300', '86400', '+Inf'].map((le) => bucket(CATALOG_FULL, le))).toEqual([2, 2, 2, 2]);
    expect(['60', '+Inf'].map((le) => bucket(CLIENT_INCR, le))).toEqual([1, 1]);
    expect(samples.get(sample('hook_job_duration_seconds_count', CATALOG_FULL))).toBe(2);
    const sum = samples.get(sample('hook_job_duration_seconds_sum', CATALOG_FULL))!;
    expect(sum).toBeGreaterThanOrEqual(0);
    expect(sum).toBeLessThan(10);
  });
});
