//! `bacula:hooks/daemon`, `bacula:hooks/director` and `bacula:hooks/diagnostics`.

/// The director daemon's read-only attributes (Bacula: the `bacula` object).
pub mod daemon {
    use crate::abi;

    /// Bacula: Name
    pub fn name() -> String {
        abi::string_result(abi::daemon_name)
    }
    /// Bacula: ConfigFile
    pub fn config_file() -> String {
        abi::string_result(abi::daemon_config_file)
    }
    /// Bacula: WorkingDir
    pub fn working_dir() -> String {
        abi::string_result(abi::daemon_working_dir)
    }
    /// Bacula: Version, "Version Build-date"
    pub fn version() -> String {
        abi::string_result(abi::daemon_version)
    }
}

/// Calls into the director. The hook waits while the director answers.
pub mod director {
    use crate::abi::{self, RetArea};
    use crate::types::DirectorError;

    /// Lifts `result<T, director-error>` from a return area; `ok` reads T at offset 4.
    unsafe fn director_result<T>(p: *const u8, ok: impl FnOnce(*const u8) -> T) -> Result<T, DirectorError> {
        match abi::u8_at(p, 0) {
            0 => Ok(ok(p)),
            1 => Err(match abi::u8_at(p, 4) {
                0 => DirectorError::NoDirectorSession,
                1 => DirectorError::Refused(abi::string_at(p, 8)),
                2 => DirectorError::TimedOut,
                3 => DirectorError::Unavailable(abi::string_at(p, 8)),
                d => abi::invalid("director-error discriminant", d as u32),
            }),
            d => abi::invalid("result discriminant", d as u32),
        }
    }

    /// Bacula: `job.run(command)`: a console run command (e.g.
    /// `"run job=Copy1 yes"`); returns the new JobId.
    pub fn run(command: &str) -> Result<u32, DirectorError> {
        let mut ret = RetArea::<16>::new();
        unsafe {
            abi::director_run(command.as_ptr(), command.len(), ret.ptr());
            director_result(ret.ptr(), |p| abi::u32_at(p, 4))
        }
    }

    /// Bacula: `job.cancel(jobid)`.
    pub fn cancel(job_id: u32) -> Result<(), DirectorError> {
        let mut ret = RetArea::<16>::new();
        unsafe {
            abi::director_cancel(job_id as i32, ret.ptr());
            director_result(ret.ptr(), |_| ())
        }
    }

    /// Bacula: `job.DoesVolumeExist(name)`: whether the volume is in the catalog.
    pub fn does_volume_exist(name: &str) -> Result<bool, DirectorError> {
        let mut ret = RetArea::<16>::new();
        unsafe {
            abi::director_does_volume_exist(name.as_ptr(), name.len(), ret.ptr());
            director_result(ret.ptr(), |p| match abi::u8_at(p, 4) {
                0 => false,
                1 => true,
                d => abi::invalid("bool", d as u32),
            })
        }
    }
}

/// What the hook says about itself to whoever reads the event's outcome.
pub mod diagnostics {
    use crate::abi;

    /// Records why the hook is about to trap; the host puts it in the event's
    /// outcome beside the trap. The kit's panic hook calls this with the panic
    /// message, so you rarely need it yourself.
    pub fn trap_reason(reason: &str) {
        unsafe { abi::diagnostics_trap_reason(reason.as_ptr(), reason.len()) }
    }
}
