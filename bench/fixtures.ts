// What the benchmark sends: a realistic backup job, its JobStart/JobEnd
// events, and the byte size of one encoded DirectorMessage carrying an event.
import { bacula } from '../src/gen/hooks-proto.js';
import type { DaemonInfo, JobSnapshot } from '../src/model/job.js';
import { sampleBackupJob } from '../src/model/sample-job.js';
import { encodeEvent } from '../src/wire/codec.js';

import pb = bacula.hooks.v1;

export const DAEMON: DaemonInfo = {
  name: 'bench-dir', version: '9.6.7 (10 December 2020)',
  configFile: '/etc/bacula/bacula-dir.conf', workingDir: '/var/lib/bacula',
};

/** A backup job as a director would describe it at JobStart. */
export const benchJob = (jobId: number): JobSnapshot => sampleBackupJob(jobId);

/** The same job as it ends. */
export function endedJob(job: JobSnapshot): JobSnapshot {
  return {
    ...job, status: 'terminated', jobFiles: 1342, jobBytes: 73_400_320, readBytes: 73_400_320,
    sdJobFiles: 1342, volumeName: 'TestA-3', fdJobStatus: 'terminated', sdJobStatus: 'terminated',
  };
}

/**
 * One encoded DirectorMessage{event: JobStart} as the session client puts it
 * on the wire (id like the client's own "e<n>", with a 4-digit n). The echo
 * baseline sends exactly these bytes.
 */
export function encodedEventMessage(): Buffer {
  const job = benchJob(1_000_001);
  const msg: pb.IDirectorMessage = { event: encodeEvent({ id: 'e1234', type: 'job-start', job }) };
  return Buffer.from(pb.DirectorMessage.encode(msg).finish());
}
