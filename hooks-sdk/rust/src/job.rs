//! `bacula:hooks/job@1.0.0`: the job an event is about.

use crate::abi::{self, RetArea};
use crate::types::{CatalogRes, CatalogVendor, JobStatus, JobType, Level, WriteError};

/// The job an event is about (Bacula: the Job object passed to each event).
///
/// A borrowed handle: it is only valid during the handler call that received
/// it, which is why handlers get a `&Job` and `Job` is neither `Clone` nor
/// constructible outside the kit. Every read asks the host, so it sees the
/// hook's own accepted writes (e.g. `priority()` after `set_priority`).
pub struct Job {
    handle: i32,
    _not_send: std::marker::PhantomData<*const ()>,
}

macro_rules! string_attrs {
    ($( $(#[$m:meta])* $method:ident => $import:ident; )*) => {
        $( $(#[$m])* pub fn $method(&self) -> String { abi::job_string(abi::$import, self.handle) } )*
    };
}

impl Job {
    #[doc(hidden)]
    pub unsafe fn __from_handle(handle: i32) -> Job {
        Job { handle, _not_send: std::marker::PhantomData }
    }

    /// Bacula: Type
    pub fn job_type(&self) -> JobType {
        JobType::lift(unsafe { abi::job_job_type(self.handle) })
    }
    /// Bacula: JobId
    pub fn job_id(&self) -> u32 {
        unsafe { abi::job_job_id(self.handle) as u32 }
    }
    /// Bacula: NumVols, the number of volumes in the job's pool
    pub fn num_vols(&self) -> u32 {
        unsafe { abi::job_num_vols(self.handle) as u32 }
    }

    string_attrs! {
        /// Bacula: Client
        client => job_client;
        /// Bacula: Pool
        pool => job_pool;
        /// Bacula: Storage
        storage => job_storage;
        /// Bacula: write storage (Bareos WriteStorage)
        write_storage => job_write_storage;
        /// Bacula: read storage (Bareos ReadStorage)
        read_storage => job_read_storage;
        /// Bacula: Catalog, the name of the Catalog resource
        catalog => job_catalog;
        /// Bacula: MediaType
        media_type => job_media_type;
        /// Bacula: Job, the Job resource's name (not unique)
        name => job_name;
        /// Bacula: JobName, the unique run name (name.date_time_seq)
        job_name => job_job_name;
        /// Bacula: VolumeName. After VolumePurged: the purged volume's name.
        volume_name => job_volume_name;
    }

    /// Bacula: JobStatus
    pub fn status(&self) -> JobStatus {
        JobStatus::lift(unsafe { abi::job_status(self.handle) })
    }
    /// Bacula: Priority
    pub fn priority(&self) -> u32 {
        unsafe { abi::job_priority(self.handle) as u32 }
    }
    /// Bacula: Level
    pub fn level(&self) -> Level {
        Level::lift(unsafe { abi::job_level(self.handle) })
    }

    /// Bacula: CatalogRes; `None` when the director sent none. The password is
    /// `None` unless the hook was granted it.
    pub fn catalog_res(&self) -> Option<CatalogRes> {
        let mut ret = RetArea::<56>::new();
        unsafe {
            abi::job_catalog_res(self.handle, ret.ptr());
            let p = ret.ptr();
            match abi::u8_at(p, 0) {
                0 => None,
                1 => Some(CatalogRes {
                    db_name: abi::string_at(p, 4),
                    address: abi::string_at(p, 12),
                    user: abi::string_at(p, 20),
                    password: match abi::u8_at(p, 28) {
                        0 => None,
                        1 => Some(abi::string_at(p, 32)),
                        d => abi::invalid("option discriminant", d as u32),
                    },
                    socket: abi::string_at(p, 40),
                    port: abi::u32_at(p, 48),
                    vendor: CatalogVendor::lift(abi::u8_at(p, 52) as i32),
                }),
                d => abi::invalid("option discriminant", d as u32),
            }
        }
    }

    /// Bacula: JobErrors
    pub fn job_errors(&self) -> u32 {
        unsafe { abi::job_job_errors(self.handle) as u32 }
    }
    /// Bacula: JobFiles
    pub fn job_files(&self) -> u64 {
        unsafe { abi::job_job_files(self.handle) as u64 }
    }
    /// Bacula: JobBytes
    pub fn job_bytes(&self) -> u64 {
        unsafe { abi::job_job_bytes(self.handle) as u64 }
    }
    /// Bacula: ReadBytes
    pub fn read_bytes(&self) -> u64 {
        unsafe { abi::job_read_bytes(self.handle) as u64 }
    }
    /// Bacula: SDJobFiles
    pub fn sd_job_files(&self) -> u64 {
        unsafe { abi::job_sd_job_files(self.handle) as u64 }
    }
    /// Bacula: SDErrors
    pub fn sd_errors(&self) -> u32 {
        unsafe { abi::job_sd_errors(self.handle) as u32 }
    }
    /// Bacula: FDJobStatus; `None` until the file daemon reports.
    pub fn fd_job_status(&self) -> Option<JobStatus> {
        option_status(abi::job_fd_job_status, self.handle)
    }
    /// Bacula: SDJobStatus; `None` until the storage daemon reports.
    pub fn sd_job_status(&self) -> Option<JobStatus> {
        option_status(abi::job_sd_job_status, self.handle)
    }
    /// Bacula: SchedTime, seconds since the Unix epoch (0 when unknown)
    pub fn sched_time(&self) -> u64 {
        unsafe { abi::job_sched_time(self.handle) as u64 }
    }
    /// Bacula: the "since" time of an Incremental/Differential, seconds since
    /// the Unix epoch (0 when none)
    pub fn since_time(&self) -> u64 {
        unsafe { abi::job_since_time(self.handle) as u64 }
    }

    /// Bacula: `Priority = n`. 1-100, only before the job runs (JobStart, JobInit, JobRun).
    pub fn set_priority(&self, priority: u32) -> Result<(), WriteError> {
        let mut ret = RetArea::<16>::new();
        unsafe {
            abi::job_set_priority(self.handle, priority as i32, ret.ptr());
            write_result(ret.ptr())
        }
    }
    /// Bacula: `Level = x`. Only during JobInit.
    pub fn set_level(&self, level: Level) -> Result<(), WriteError> {
        let mut ret = RetArea::<16>::new();
        unsafe {
            abi::job_set_level(self.handle, level as i32, ret.ptr());
            write_result(ret.ptr())
        }
    }
    /// Bacula: `VolumeName = name`. Only during NewVolume; not empty, at most
    /// 127 bytes, letters, digits and ` -_.:`.
    pub fn set_volume_name(&self, name: &str) -> Result<(), WriteError> {
        let mut ret = RetArea::<16>::new();
        unsafe {
            abi::job_set_volume_name(self.handle, name.as_ptr(), name.len(), ret.ptr());
            write_result(ret.ptr())
        }
    }
    /// Bacula: `JobReport = line` / `job.write(text)`: a line into the job's
    /// report (a trailing newline is dropped, inner newlines split lines).
    pub fn write_report(&self, line: &str) {
        unsafe { abi::job_write_report(self.handle, line.as_ptr(), line.len()) }
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Job(handle {})", self.handle)
    }
}

fn option_status(f: unsafe extern "C" fn(i32, *mut u8), handle: i32) -> Option<JobStatus> {
    let mut ret = RetArea::<2>::new();
    unsafe {
        f(handle, ret.ptr());
        match abi::u8_at(ret.ptr(), 0) {
            0 => None,
            1 => Some(JobStatus::lift(abi::u8_at(ret.ptr(), 1) as i32)),
            d => abi::invalid("option discriminant", d as u32),
        }
    }
}

/// Lifts `result<_, write-error>` from a return area.
unsafe fn write_result(p: *const u8) -> Result<(), WriteError> {
    match abi::u8_at(p, 0) {
        0 => Ok(()),
        1 => {
            let message = abi::string_at(p, 8);
            match abi::u8_at(p, 4) {
                0 => Err(WriteError::WrongTime(message)),
                1 => Err(WriteError::OutOfRange(message)),
                d => abi::invalid("write-error discriminant", d as u32),
            }
        }
        d => abi::invalid("result discriminant", d as u32),
    }
}
