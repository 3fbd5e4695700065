//! The Rust kit for Bacula director hooks: the WIT world
//! `bacula:hooks/hook@1.0.0` (`hooks-sdk/wit/hooks.wit`) as a safe Rust API,
//! over hand-written canonical-ABI glue, with no dependencies.
//!
//! ```ignore
//! use bacula_hooks::{director, Hook, Job, JobEvents};
//!
//! #[derive(Default)]
//! struct MyHook;
//!
//! impl Hook for MyHook {
//!     fn job_start(&mut self, job: &Job) -> Result<JobEvents, String> {
//!         job.write_report(&format!("JobStart: JobId={}", job.job_id()));
//!         Ok(JobEvents { new_volume: true, ..JobEvents::NONE })
//!     }
//!     fn new_volume(&mut self, job: &Job) -> Result<(), String> {
//!         job.set_volume_name(&format!("Vol-{}", job.num_vols() + 1))?;
//!         Ok(())
//!     }
//! }
//!
//! bacula_hooks::export_hook!(MyHook);
//! ```
//!
//! Build with `hooks-sdk/rust/build.sh hook.rs -o hook.wasm` (see README.md).

mod abi;
mod host;
mod job;
mod types;

pub use host::{daemon, diagnostics, director};
pub use job::Job;
pub use types::{CatalogRes, CatalogVendor, DirectorError, JobEvents, JobStatus, JobType, Level, WriteError};

/// The sha256 of the `hooks-sdk/wit/hooks.wit` this kit's glue was written for.
pub const WIT_SHA256: &str = "7b36ae7d4e784af79d43f224b5fa9b4b5122a8730758b49b1b2abdcbd5000f5a";

/// The WIT package and version this kit implements.
pub const WIT_PACKAGE: &str = "bacula:hooks@1.0.0";

/// A hook: the event handlers of `bacula:hooks/events`. Every method has a
/// default that does nothing and succeeds; implement those you need.
///
/// One value of the type lives for the life of the component instance (it is
/// created with `Default` just before the first event), so fields are the
/// hook's memory between events and across jobs. The service may replace the
/// instance (after a trap, a reload or a restart): that memory is then empty.
///
/// Returning `Err(message)` fails this hook's part of the event with that
/// message (the writes of the failed call are not applied). A `WriteError` or
/// `DirectorError` converts into the message with `?`.
pub trait Hook {
    /// Bacula JobStart (daemon event): the job record was created. Returns the
    /// job events this hook wants for THIS job. The default wants none.
    fn job_start(&mut self, job: &Job) -> Result<JobEvents, String> {
        let _ = job;
        Ok(JobEvents::NONE)
    }
    /// Bacula JobInit (if asked for): the only point where the level may change.
    fn job_init(&mut self, job: &Job) -> Result<(), String> {
        let _ = job;
        Ok(())
    }
    /// Bacula JobRun (if asked for): just before the job runs.
    fn job_run(&mut self, job: &Job) -> Result<(), String> {
        let _ = job;
        Ok(())
    }
    /// Bacula NewVolume (if asked for): name the volume with `job.set_volume_name`.
    fn new_volume(&mut self, job: &Job) -> Result<(), String> {
        let _ = job;
        Ok(())
    }
    /// Bacula VolumePurged (if asked for): `job.volume_name()` is the purged volume.
    fn volume_purged(&mut self, job: &Job) -> Result<(), String> {
        let _ = job;
        Ok(())
    }
    /// Bacula JobEnd (daemon event, always delivered): the job terminated.
    fn job_end(&mut self, job: &Job) -> Result<(), String> {
        let _ = job;
        Ok(())
    }
    /// Bacula Exit (daemon event): the director shuts down. No job, no report.
    fn exit(&mut self) -> Result<(), String> {
        Ok(())
    }
}

/// The panic hook the kit installs: `panicked at '<message>', <file>:<line>:<col>`
/// goes to `diagnostics.trap-reason`; then `panic=abort` traps (`unreachable`).
#[allow(deprecated)] // PanicInfo: the name rustc 1.63 has (newer ones call it PanicHookInfo)
fn report_panic(info: &std::panic::PanicInfo<'_>) {
    let payload = info.payload();
    let message = if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.as_str()
    } else {
        "Box<dyn Any>"
    };
    let reason = match info.location() {
        Some(l) => format!("panicked at '{}', {}:{}:{}", message, l.file(), l.line(), l.column()),
        None => format!("panicked at '{}'", message),
    };
    diagnostics::trap_reason(&reason);
}

/// Used by `export_hook!`; not part of the API.
#[doc(hidden)]
pub mod __private {
    use crate::{abi, Hook, Job};
    pub use abi::{export_post_return, realloc};

    /// Installs the panic hook, once per instance.
    pub fn init() {
        static mut DONE: bool = false;
        unsafe {
            if !DONE {
                DONE = true;
                std::panic::set_hook(Box::new(crate::report_panic));
            }
        }
    }

    pub unsafe fn job_start<H: Hook>(hook: &mut H, handle: i32) -> *mut u8 {
        let job = Job::__from_handle(handle);
        let r = hook.job_start(&job).map(|e| e.bits());
        abi::job_drop(handle);
        abi::export_result(r)
    }

    pub unsafe fn job_event<H: Hook>(hook: &mut H, handle: i32, f: fn(&mut H, &Job) -> Result<(), String>) -> *mut u8 {
        let job = Job::__from_handle(handle);
        let r = f(hook, &job);
        abi::job_drop(handle);
        abi::export_result(r.map(|()| 0))
    }

    pub unsafe fn exit<H: Hook>(hook: &mut H) -> *mut u8 {
        abi::export_result(hook.exit().map(|()| 0))
    }
}

/// Exports a hook type (`Hook + Default`) as the component's `bacula:hooks/events`:
/// generates `bacula:hooks/events@1.0.0#job-start` … `#exit`, their
/// `cabi_post_*` and `cabi_realloc`, and keeps one value of the type for the
/// life of the instance. Use it once, at the top level of the hook crate.
#[macro_export]
macro_rules! export_hook {
    ($hook:ty) => {
        const _: () = {
            static mut HOOK: ::core::option::Option<$hook> = ::core::option::Option::None;

            fn hook() -> &'static mut $hook {
                $crate::__private::init();
                // Wasm instances are single-threaded and exports are not re-entered.
                unsafe { (*::core::ptr::addr_of_mut!(HOOK)).get_or_insert_with(<$hook as ::core::default::Default>::default) }
            }

            #[export_name = "bacula:hooks/events@1.0.0#job-start"]
            unsafe extern "C" fn job_start(job: i32) -> *mut u8 {
                $crate::__private::job_start(hook(), job)
            }
            #[export_name = "bacula:hooks/events@1.0.0#job-init"]
            unsafe extern "C" fn job_init(job: i32) -> *mut u8 {
                $crate::__private::job_event(hook(), job, <$hook as $crate::Hook>::job_init)
            }
            #[export_name = "bacula:hooks/events@1.0.0#job-run"]
            unsafe extern "C" fn job_run(job: i32) -> *mut u8 {
                $crate::__private::job_event(hook(), job, <$hook as $crate::Hook>::job_run)
            }
            #[export_name = "bacula:hooks/events@1.0.0#new-volume"]
            unsafe extern "C" fn new_volume(job: i32) -> *mut u8 {
                $crate::__private::job_event(hook(), job, <$hook as $crate::Hook>::new_volume)
            }
            #[export_name = "bacula:hooks/events@1.0.0#volume-purged"]
            unsafe extern "C" fn volume_purged(job: i32) -> *mut u8 {
                $crate::__private::job_event(hook(), job, <$hook as $crate::Hook>::volume_purged)
            }
            #[export_name = "bacula:hooks/events@1.0.0#job-end"]
            unsafe extern "C" fn job_end(job: i32) -> *mut u8 {
                $crate::__private::job_event(hook(), job, <$hook as $crate::Hook>::job_end)
            }
            #[export_name = "bacula:hooks/events@1.0.0#exit"]
            unsafe extern "C" fn exit() -> *mut u8 {
                $crate::__private::exit(hook())
            }

            #[export_name = "cabi_post_bacula:hooks/events@1.0.0#job-start"]
            unsafe extern "C" fn post_job_start(ret: *mut u8) {
                $crate::__private::export_post_return(ret)
            }
            #[export_name = "cabi_post_bacula:hooks/events@1.0.0#job-init"]
            unsafe extern "C" fn post_job_init(ret: *mut u8) {
                $crate::__private::export_post_return(ret)
            }
            #[export_name = "cabi_post_bacula:hooks/events@1.0.0#job-run"]
            unsafe extern "C" fn post_job_run(ret: *mut u8) {
                $crate::__private::export_post_return(ret)
            }
            #[export_name = "cabi_post_bacula:hooks/events@1.0.0#new-volume"]
            unsafe extern "C" fn post_new_volume(ret: *mut u8) {
                $crate::__private::export_post_return(ret)
            }
            #[export_name = "cabi_post_bacula:hooks/events@1.0.0#volume-purged"]
            unsafe extern "C" fn post_volume_purged(ret: *mut u8) {
                $crate::__private::export_post_return(ret)
            }
            #[export_name = "cabi_post_bacula:hooks/events@1.0.0#job-end"]
            unsafe extern "C" fn post_job_end(ret: *mut u8) {
                $crate::__private::export_post_return(ret)
            }
            #[export_name = "cabi_post_bacula:hooks/events@1.0.0#exit"]
            unsafe extern "C" fn post_exit(ret: *mut u8) {
                $crate::__private::export_post_return(ret)
            }

            #[export_name = "cabi_realloc"]
            unsafe extern "C" fn cabi_realloc(old_ptr: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
                $crate::__private::realloc(old_ptr, old_size, align, new_size)
            }
        };
    };
}
