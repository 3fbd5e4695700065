//! rust-dir-startup: Bacula's seed Director script DirStartUp.py
//! (examples/python/DirStartup.py, Kern Sibbald) as a Rust hook; the same
//! report lines as the TypeScript port in examples/dir-startup.
//!
//! The Python original registered a BaculaEvents object for the daemon events
//! (JobStart, JobEnd, Exit) and, per job, a JobEvents object for the job
//! events (JobInit, JobRun, NewVolume, VolumePurged). Here one `Hook` holds all
//! of them; job_start's return value is the per-job subscription
//! (job.set_events(events) in Python).
//!
//! Build: ./build.sh  (writes rust-dir-startup.wasm next to this file)

use bacula_hooks::{director, Hook, Job, JobEvents};

#[derive(Default)]
struct DirStartUp;

impl Hook for DirStartUp {
    // Daemon event: a job was created. Subscribe to all the job events.
    fn job_start(&mut self, job: &Job) -> Result<JobEvents, String> {
        job.write_report(&format!(
            "Dir JobStart: JobId={} Client={} NumVols={}",
            job.job_id(),
            job.client(),
            job.num_vols()
        ));
        Ok(JobEvents::ALL)
    }

    // Daemon event: the job is going to terminate.
    fn job_end(&mut self, job: &Job) -> Result<(), String> {
        job.write_report(&format!("Dir JobEnd output: JobId={} Client={}.", job.job_id(), job.client()));
        Ok(())
    }

    // Daemon event: the director is going to exit. The seed printed
    // "Daemon exiting." to stdout; a hook has no stdout and Exit has no job
    // report, so there is nothing to do but succeed (the default).

    // Job events: the seed did nothing at JobInit and JobRun (the defaults).

    // Job event: the director wants a new volume name.
    fn new_volume(&mut self, job: &Job) -> Result<(), String> {
        let num_vols = job.num_vols();
        job.write_report(&format!("JobId={} Client={} NumVols={}", job.job_id(), job.client(), num_vols));
        let vol = format!("TestA-{}", num_vols);
        // The seed asked the catalog whether the volume exists. Without a
        // director session (or if the director refuses) say why, and go on.
        match director::does_volume_exist(&vol) {
            Ok(exists) => job.write_report(&format!("Exists={} {}", exists as u8, vol)),
            Err(e) => job.write_report(&format!("DoesVolumeExist({}) failed: {}", vol, e)),
        }
        // A refusal here (wrong time, bad name) fails the event with its
        // reason, e.g. "out-of-range: <message>".
        job.set_volume_name(&vol)?;
        job.write_report("New Volume set for Job.");
        Ok(())
    }

    // Job event: a volume was purged; job.volume_name() is its name.
    fn volume_purged(&mut self, job: &Job) -> Result<(), String> {
        job.write_report(&format!("Volume purged: {}", job.volume_name()));
        Ok(())
    }
}

bacula_hooks::export_hook!(DirStartUp);
