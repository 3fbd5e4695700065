//! The types of `bacula:hooks/types@1.0.0`: enums, the catalog record, the
//! job-events flags and the two error variants.

use std::fmt;

macro_rules! wit_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($wit:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $kebab:literal ; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
        }

        impl $name {
            /// Every case, in WIT order (the index is the canonical-ABI discriminant).
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];

            /// The WIT (kebab-case) name of the case, e.g. `"verify-catalog"`.
            pub fn name(self) -> &'static str {
                match self { $( $name::$variant => $kebab, )* }
            }

            /// The case with this WIT name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $( $kebab => Some($name::$variant), )* _ => None }
            }

            /// Lifts the canonical-ABI discriminant; an out-of-range value is a host bug and traps.
            #[inline]
            pub(crate) fn lift(v: i32) -> Self {
                match Self::ALL.get(v as u32 as usize) {
                    Some(x) => *x,
                    None => crate::abi::invalid($wit, v as u32),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

macro_rules! bacula_codes {
    ($name:ident { $( $variant:ident = $code:literal, )* }) => {
        impl $name {
            /// Bacula's one-character code, as stored in the catalog.
            pub fn code(self) -> char {
                match self { $( $name::$variant => $code, )* }
            }
            /// The case with this Bacula one-character code.
            pub fn from_code(c: char) -> Option<Self> {
                match c { $( $code => Some($name::$variant), )* _ => None }
            }
        }
    };
}

wit_enum! {
    /// Bacula: Level.
    pub enum Level ("level") {
        /// 'F' Full
        Full = "full";
        /// 'I' Incremental
        Incremental = "incremental";
        /// 'D' Differential
        Differential = "differential";
        /// 'S' Since
        Since = "since";
        /// 'C' VerifyCatalog
        VerifyCatalog = "verify-catalog";
        /// 'V' VerifyInit
        VerifyInit = "verify-init";
        /// 'O' VerifyVolumeToCatalog
        VerifyVolumeToCatalog = "verify-volume-to-catalog";
        /// 'd' VerifyDiskToCatalog
        VerifyDiskToCatalog = "verify-disk-to-catalog";
        /// 'A' VerifyData
        VerifyData = "verify-data";
        /// 'B' Base
        Base = "base";
        /// 'f' VirtualFull
        VirtualFull = "virtual-full";
        /// ' ' no level (restore, admin, ...)
        None = "none";
    }
}
bacula_codes!(Level {
    Full = 'F', Incremental = 'I', Differential = 'D', Since = 'S', VerifyCatalog = 'C', VerifyInit = 'V',
    VerifyVolumeToCatalog = 'O', VerifyDiskToCatalog = 'd', VerifyData = 'A', Base = 'B', VirtualFull = 'f',
    None = ' ',
});

wit_enum! {
    /// Bacula: Type.
    pub enum JobType ("job-type") {
        /// 'B' Backup
        Backup = "backup";
        /// 'M' a previous backup job that was migrated
        MigratedJob = "migrated-job";
        /// 'V' Verify
        Verify = "verify";
        /// 'R' Restore
        Restore = "restore";
        /// 'U' Console
        Console = "console";
        /// 'I' internal system job
        System = "system";
        /// 'D' Admin
        Admin = "admin";
        /// 'A' Archive
        Archive = "archive";
        /// 'C' a copy of a job
        JobCopy = "job-copy";
        /// 'c' the copy job itself
        Copy = "copy";
        /// 'g' Migrate
        Migrate = "migrate";
        /// 'S' Scan
        Scan = "scan";
        /// 'O' Consolidate (Bareos)
        Consolidate = "consolidate";
    }
}
bacula_codes!(JobType {
    Backup = 'B', MigratedJob = 'M', Verify = 'V', Restore = 'R', Console = 'U', System = 'I', Admin = 'D',
    Archive = 'A', JobCopy = 'C', Copy = 'c', Migrate = 'g', Scan = 'S', Consolidate = 'O',
});

wit_enum! {
    /// Bacula: JobStatus (also FDJobStatus, SDJobStatus).
    pub enum JobStatus ("job-status") {
        /// 'C' Created, not yet running
        Created = "created";
        /// 'R' Running
        Running = "running";
        /// 'B' Blocked
        Blocked = "blocked";
        /// 'T' Terminated normally
        Terminated = "terminated";
        /// 'W' Terminated with warnings
        TerminatedWithWarnings = "terminated-with-warnings";
        /// 'E' Terminated with errors
        ErrorTerminated = "error-terminated";
        /// 'e' Non-fatal error
        NonFatalError = "non-fatal-error";
        /// 'f' Fatal error
        FatalError = "fatal-error";
        /// 'D' Verify found differences
        Differences = "differences";
        /// 'A' Canceled by user
        Canceled = "canceled";
        /// 'I' Incomplete job
        Incomplete = "incomplete";
        /// 'L' Committing data (last despool)
        Committing = "committing";
        /// 'F' Waiting for Client
        WaitFd = "wait-fd";
        /// 'S' Waiting for Storage daemon
        WaitSd = "wait-sd";
        /// 'm' Waiting for new media
        WaitMedia = "wait-media";
        /// 'M' Waiting for media mount
        WaitMount = "wait-mount";
        /// 's' Waiting for storage resource
        WaitStorageResource = "wait-storage-resource";
        /// 'j' Waiting for job resource
        WaitJobResource = "wait-job-resource";
        /// 'c' Waiting for client resource
        WaitClientResource = "wait-client-resource";
        /// 'd' Waiting on maximum jobs
        WaitMaxJobs = "wait-max-jobs";
        /// 't' Waiting on start time
        WaitStartTime = "wait-start-time";
        /// 'p' Waiting on higher priority jobs
        WaitPriority = "wait-priority";
        /// 'q' Queued waiting for device
        WaitDevice = "wait-device";
        /// 'a' SD despooling attributes
        DespoolingAttributes = "despooling-attributes";
        /// 'i' Doing batch insert of file records
        BatchInsert = "batch-insert";
        /// 'l' Doing data despooling
        DespoolingData = "despooling-data";
    }
}
bacula_codes!(JobStatus {
    Created = 'C', Running = 'R', Blocked = 'B', Terminated = 'T', TerminatedWithWarnings = 'W',
    ErrorTerminated = 'E', NonFatalError = 'e', FatalError = 'f', Differences = 'D', Canceled = 'A',
    Incomplete = 'I', Committing = 'L', WaitFd = 'F', WaitSd = 'S', WaitMedia = 'm', WaitMount = 'M',
    WaitStorageResource = 's', WaitJobResource = 'j', WaitClientResource = 'c', WaitMaxJobs = 'd',
    WaitStartTime = 't', WaitPriority = 'p', WaitDevice = 'q', DespoolingAttributes = 'a',
    BatchInsert = 'i', DespoolingData = 'l',
});

wit_enum! {
    /// Bacula: the Database Vendor of CatalogRes.
    pub enum CatalogVendor ("catalog-vendor") {
        Mysql = "mysql";
        Postgresql = "postgresql";
        Sqlite = "sqlite";
        Internal = "internal";
    }
}

/// Bacula: CatalogRes, from the job's Catalog resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogRes {
    /// DBName
    pub db_name: String,
    /// Address
    pub address: String,
    /// User
    pub user: String,
    /// Password: `Some` only when the hook was granted the catalog password.
    pub password: Option<String>,
    /// Socket
    pub socket: String,
    /// Port
    pub port: u32,
    /// Database Vendor
    pub vendor: CatalogVendor,
}

/// The job events a hook asks for at JobStart, for that job
/// (Bacula: the methods of the JobEvents object given to `job.set_events()`).
/// JobEnd is always delivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct JobEvents {
    /// JobInit: job set up, before it runs (the only time the level may change)
    pub job_init: bool,
    /// JobRun: just before running
    pub job_run: bool,
    /// NewVolume: the director needs a new volume name
    pub new_volume: bool,
    /// VolumePurged: a volume was purged
    pub volume_purged: bool,
}

impl JobEvents {
    /// No job event (JobEnd still comes).
    pub const NONE: JobEvents = JobEvents { job_init: false, job_run: false, new_volume: false, volume_purged: false };
    /// Every job event.
    pub const ALL: JobEvents = JobEvents { job_init: true, job_run: true, new_volume: true, volume_purged: true };

    /// The canonical-ABI flags byte (bit 0 job-init, 1 job-run, 2 new-volume, 3 volume-purged).
    pub fn bits(self) -> u8 {
        (self.job_init as u8) | (self.job_run as u8) << 1 | (self.new_volume as u8) << 2 | (self.volume_purged as u8) << 3
    }
}

/// Why a write to the job was refused. Never silent, never a trap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// The attribute may not be written at this event (e.g. Level outside JobInit).
    WrongTime(String),
    /// The value is out of range (e.g. Priority outside 1-100, an empty volume name).
    OutOfRange(String),
}

impl WriteError {
    /// The WIT case name: `"wrong-time"` or `"out-of-range"`.
    pub fn tag(&self) -> &'static str {
        match self {
            WriteError::WrongTime(_) => "wrong-time",
            WriteError::OutOfRange(_) => "out-of-range",
        }
    }
    /// The host's message.
    pub fn message(&self) -> &str {
        match self {
            WriteError::WrongTime(m) | WriteError::OutOfRange(m) => m,
        }
    }
}

/// `wrong-time: <message>` / `out-of-range: <message>`.
impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.tag(), self.message())
    }
}

impl std::error::Error for WriteError {}

/// Lets a handler use `?` on a write: the event then fails with `"<tag>: <message>"`.
impl From<WriteError> for String {
    fn from(e: WriteError) -> String {
        e.to_string()
    }
}

/// Why a director call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirectorError {
    /// The event came without a director session (unary dispatch): nobody can answer.
    NoDirectorSession,
    /// The director answered with a refusal, with its message.
    Refused(String),
    /// The director did not answer in time.
    TimedOut,
    /// The session ended or the call could not be delivered.
    Unavailable(String),
}

impl DirectorError {
    /// The WIT case name: `"no-director-session"`, `"refused"`, `"timed-out"`, `"unavailable"`.
    pub fn tag(&self) -> &'static str {
        match self {
            DirectorError::NoDirectorSession => "no-director-session",
            DirectorError::Refused(_) => "refused",
            DirectorError::TimedOut => "timed-out",
            DirectorError::Unavailable(_) => "unavailable",
        }
    }
    /// The message, for the cases that carry one.
    pub fn message(&self) -> Option<&str> {
        match self {
            DirectorError::Refused(m) | DirectorError::Unavailable(m) => Some(m),
            _ => None,
        }
    }
}

/// `no-director-session`, `refused: <message>`, `timed-out`, `unavailable: <message>`.
impl fmt::Display for DirectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.message() {
            Some(m) => write!(f, "{}: {}", self.tag(), m),
            None => f.write_str(self.tag()),
        }
    }
}

impl std::error::Error for DirectorError {}

/// Lets a handler use `?` on a director call: the event then fails with the error's text.
impl From<DirectorError> for String {
    fn from(e: DirectorError) -> String {
        e.to_string()
    }
}
