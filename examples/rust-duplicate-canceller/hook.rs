//! rust-duplicate-canceller: at most one running job per Job resource.
//!
//! The hook remembers, in its own memory across jobs, which job of each Job
//! resource (`job.name()`, e.g. "BackupClient1") is running: from its JobStart
//! to its JobEnd. When a second job of the same resource starts while the
//! first is still running, the hook asks the director to cancel the new one
//! and says so in the new job's report. Bacula's own `Allow Duplicate Jobs =
//! no` does this inside the director; this is the same policy as a hook,
//! where it can be refined (per client, per level, by time of day, ...).
//!
//! Build: ./build.sh  (writes rust-duplicate-canceller.wasm next to this file)

use std::collections::HashMap;

use bacula_hooks::{daemon, director, Hook, Job, JobEvents};

#[derive(Default)]
struct DuplicateCanceller {
    /// "<director>/<Job resource name>" -> JobId of the job of that resource now running.
    /// JobIds are per director, hence the director's name in the key.
    running: HashMap<String, u32>,
}

fn key(job: &Job) -> String {
    format!("{}/{}", daemon::name(), job.name())
}

impl Hook for DuplicateCanceller {
    fn job_start(&mut self, job: &Job) -> Result<JobEvents, String> {
        let key = key(job);
        let id = job.job_id();
        match self.running.get(&key) {
            Some(&old) if old != id => match director::cancel(id) {
                Ok(()) => job.write_report(&format!("duplicate of JobId {}: cancelled JobId {}", old, id)),
                Err(e) => job.write_report(&format!("duplicate of JobId {}: could not cancel JobId {}: {}", old, id, e)),
            },
            _ => {
                self.running.insert(key, id);
            }
        }
        // Only JobEnd is needed, and it always comes: no job events.
        Ok(JobEvents::NONE)
    }

    fn job_end(&mut self, job: &Job) -> Result<(), String> {
        let key = key(job);
        // A cancelled duplicate ends too: forget only the job that was recorded.
        if self.running.get(&key) == Some(&job.job_id()) {
            self.running.remove(&key);
        }
        Ok(())
    }
}

bacula_hooks::export_hook!(DuplicateCanceller);
