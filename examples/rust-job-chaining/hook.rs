//! rust-job-chaining: after a backup completes, run its copy job.
//!
//! At JobEnd of a backup job that terminated normally (T) or with warnings
//! (W), the hook asks the director to run the job `<name>-copy` (a console
//! `run job=<name>-copy yes`) and reports the new JobId. A refusal is
//! reported and does not fail the event: the backup itself went well.
//! Every other job (failed or cancelled backups, restores, the copy jobs
//! themselves, ...) is left alone.
//!
//! Build: ./build.sh  (writes rust-job-chaining.wasm next to this file)

use bacula_hooks::{director, Hook, Job, JobStatus, JobType};

#[derive(Default)]
struct JobChaining;

impl Hook for JobChaining {
    // The default job_start subscribes to no job event: only JobEnd (always
    // delivered) is needed.

    fn job_end(&mut self, job: &Job) -> Result<(), String> {
        let succeeded = matches!(job.status(), JobStatus::Terminated | JobStatus::TerminatedWithWarnings);
        if job.job_type() != JobType::Backup || !succeeded {
            return Ok(());
        }
        let copy = format!("{}-copy", job.name());
        match director::run(&format!("run job={} yes", copy)) {
            Ok(id) => job.write_report(&format!("chained copy job: JobId {}", id)),
            Err(e) => job.write_report(&format!("could not chain {}: {}", copy, e)),
        }
        Ok(())
    }
}

bacula_hooks::export_hook!(JobChaining);
