/**
 * dir-startup: the port of Bacula's seed Director script DirStartUp.py
 * (examples/python/DirStartup.py, Kern Sibbald) to a WebAssembly hook.
 *
 * The Python original registered a BaculaEvents object for the daemon events
 * (JobStart, JobEnd, Exit) and, per job, a JobEvents object for the job events
 * (JobInit, JobRun, NewVolume, VolumePurged). Here one `events` export holds
 * all of them; jobStart's return value is the per-job subscription
 * (job.set_events(events) in Python).
 *
 * Build: ./build.sh  (writes dir-startup.wasm next to this file)
 */
import { defineHook, describeError, tryDirector } from '../../hooks-sdk/js/index.js';
import { doesVolumeExist } from 'bacula:hooks/director@1.2.0';

export const events = defineHook({
  // Daemon event: a job was created. Subscribe to all the job events.
  jobStart(job) {
    job.writeReport(
      `Dir JobStart: JobId=${job.jobId()} Client=${job.client()} NumVols=${job.numVols()}`,
    );
    return { jobInit: true, jobRun: true, newVolume: true, volumePurged: true };
  },

  // Daemon event: the job is going to terminate.
  jobEnd(job) {
    job.writeReport(`Dir JobEnd output: JobId=${job.jobId()} Client=${job.client()}.`);
  },

  // Daemon event: the director is going to exit. The seed printed
  // "Daemon exiting." to stdout; a hook has no stdout and Exit has no job
  // report, so there is nothing to do but succeed.
  exit() {},

  // Job events: the seed did nothing at JobInit and JobRun.
  jobInit() {},
  jobRun() {},

  // Job event: the director wants a new volume name.
  newVolume(job) {
    const numVols = job.numVols();
    job.writeReport(`JobId=${job.jobId()} Client=${job.client()} NumVols=${numVols}`);
    const vol = `TestA-${numVols}`;
    // The seed asked the catalog whether the volume exists. Without a
    // director session (or if the director refuses) say why, and go on.
    const exists = tryDirector(() => doesVolumeExist(vol));
    if (exists.ok) {
      job.writeReport(`Exists=${exists.value ? 1 : 0} ${vol}`);
    } else {
      job.writeReport(`DoesVolumeExist(${vol}) failed: ${describeError(exists.error)}`);
    }
    // A refusal here (wrong time, bad name) throws; defineHook turns it into
    // the event's error, e.g. "out-of-range: <message>".
    job.setVolumeName(vol);
    job.writeReport('New Volume set for Job.');
  },

  // Job event: a volume was purged; job.volumeName() is its name.
  volumePurged(job) {
    job.writeReport(`Volume purged: ${job.volumeName()}`);
  },
});
