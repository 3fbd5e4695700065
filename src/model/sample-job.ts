// A realistic backup job, every attribute set: for the demo director, the
// tests and the benchmark, so they all describe a job the same way.
import { makeJob, type JobSnapshot } from './job.js';

export function sampleBackupJob(jobId: number, overrides: Partial<JobSnapshot> = {}): JobSnapshot {
  return makeJob({
    jobId, name: 'BackupClient1', jobType: 'backup', level: 'incremental', status: 'created', priority: 10,
    client: 'client1-fd', pool: 'Full', storage: 'File1', writeStorage: 'File1', readStorage: 'File2',
    catalog: 'MyCatalog', mediaType: 'File1', numVols: 3, volumeName: '', jobErrors: 0,
    jobFiles: 0, jobBytes: 0, readBytes: 0, sdJobFiles: 0, sdErrors: 0,
    catalogRes: { dbName: 'bacula', address: 'db.example', user: 'bacula', password: 's3cret', socket: '/run/pg.sock', port: 5432, vendor: 'postgresql' },
    schedTime: 1_764_000_000, sinceTime: 1_763_900_000,
    ...overrides,
  });
}
