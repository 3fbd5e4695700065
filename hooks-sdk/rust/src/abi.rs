//! The canonical-ABI glue, by hand: the raw imports of the hook world, the
//! memory layouts of their results, `cabi_realloc`, and the lifting/lowering
//! used by the exports that `export_hook!` generates.
//!
//! Flattening rules applied (Component Model canonical ABI, MAX_FLAT_PARAMS = 16,
//! MAX_FLAT_RESULTS = 1):
//! - `borrow<job>` is an `i32` handle; `u32`/`bool`/enums are `i32`; `u64` is `i64`.
//! - a `string` parameter is two `i32`s (pointer, length in bytes, UTF-8); the
//!   guest keeps ownership of it.
//! - a result that flattens to more than one value (a `string`, an `option`, a
//!   `result`, a `record`) is written by the host into a return area whose
//!   address the guest passes as a last `i32` parameter (imports), or is
//!   written by the guest into a static area whose address the export returns
//!   (exports; freed by the `cabi_post_*` function the host calls after reading).
//! - strings the host hands to the guest are allocated through `cabi_realloc`
//!   (align 1) and belong to the guest afterwards.
//!
//! Layouts (byte offsets; a variant's discriminant is a `u8`, its payload is
//! aligned to the largest payload alignment):
//! - `string`: ptr @0, len @4 (size 8)
//! - `option<job-status>`: disc @0, status @1 (size 2)
//! - `option<catalog-res>`: disc @0, record @4: db-name @4, address @12, user @20,
//!   password disc @28 / ptr @32 / len @36, socket @40, port @48, vendor @52 (size 56)
//! - `result<_, write-error>`: disc @0, error disc @4, message @8 (size 16)
//! - `result<u32|bool|_, director-error>`: disc @0, ok value @4 | error disc @4,
//!   message @8 (size 16)
//! - export `result<job-events, string>`: disc @0, flags (u8) @4 | message @4 (size 12)
//! - export `result<_, string>`: disc @0, message @4 (size 12)

use std::alloc::{self, Layout};
use std::mem::MaybeUninit;

#[link(wasm_import_module = "bacula:hooks/job@1.0.0")]
extern "C" {
    /// Ends the borrow of the job lent to an export: the canonical ABI wants
    /// every borrow dropped before the export returns (the host's handle
    /// table would otherwise keep one entry per event).
    #[link_name = "[resource-drop]job"]
    pub fn job_drop(job: i32);
    #[link_name = "[method]job.job-type"]
    pub fn job_job_type(job: i32) -> i32;
    #[link_name = "[method]job.job-id"]
    pub fn job_job_id(job: i32) -> i32;
    #[link_name = "[method]job.client"]
    pub fn job_client(job: i32, ret: *mut u8);
    #[link_name = "[method]job.num-vols"]
    pub fn job_num_vols(job: i32) -> i32;
    #[link_name = "[method]job.pool"]
    pub fn job_pool(job: i32, ret: *mut u8);
    #[link_name = "[method]job.storage"]
    pub fn job_storage(job: i32, ret: *mut u8);
    #[link_name = "[method]job.write-storage"]
    pub fn job_write_storage(job: i32, ret: *mut u8);
    #[link_name = "[method]job.read-storage"]
    pub fn job_read_storage(job: i32, ret: *mut u8);
    #[link_name = "[method]job.catalog"]
    pub fn job_catalog(job: i32, ret: *mut u8);
    #[link_name = "[method]job.media-type"]
    pub fn job_media_type(job: i32, ret: *mut u8);
    #[link_name = "[method]job.name"]
    pub fn job_name(job: i32, ret: *mut u8);
    #[link_name = "[method]job.job-name"]
    pub fn job_job_name(job: i32, ret: *mut u8);
    #[link_name = "[method]job.status"]
    pub fn job_status(job: i32) -> i32;
    #[link_name = "[method]job.priority"]
    pub fn job_priority(job: i32) -> i32;
    #[link_name = "[method]job.level"]
    pub fn job_level(job: i32) -> i32;
    #[link_name = "[method]job.catalog-res"]
    pub fn job_catalog_res(job: i32, ret: *mut u8);
    #[link_name = "[method]job.volume-name"]
    pub fn job_volume_name(job: i32, ret: *mut u8);
    #[link_name = "[method]job.job-errors"]
    pub fn job_job_errors(job: i32) -> i32;
    #[link_name = "[method]job.job-files"]
    pub fn job_job_files(job: i32) -> i64;
    #[link_name = "[method]job.job-bytes"]
    pub fn job_job_bytes(job: i32) -> i64;
    #[link_name = "[method]job.read-bytes"]
    pub fn job_read_bytes(job: i32) -> i64;
    #[link_name = "[method]job.sd-job-files"]
    pub fn job_sd_job_files(job: i32) -> i64;
    #[link_name = "[method]job.sd-errors"]
    pub fn job_sd_errors(job: i32) -> i32;
    #[link_name = "[method]job.fd-job-status"]
    pub fn job_fd_job_status(job: i32, ret: *mut u8);
    #[link_name = "[method]job.sd-job-status"]
    pub fn job_sd_job_status(job: i32, ret: *mut u8);
    #[link_name = "[method]job.sched-time"]
    pub fn job_sched_time(job: i32) -> i64;
    #[link_name = "[method]job.since-time"]
    pub fn job_since_time(job: i32) -> i64;
    #[link_name = "[method]job.set-priority"]
    pub fn job_set_priority(job: i32, priority: i32, ret: *mut u8);
    #[link_name = "[method]job.set-level"]
    pub fn job_set_level(job: i32, level: i32, ret: *mut u8);
    #[link_name = "[method]job.set-volume-name"]
    pub fn job_set_volume_name(job: i32, ptr: *const u8, len: usize, ret: *mut u8);
    #[link_name = "[method]job.write-report"]
    pub fn job_write_report(job: i32, ptr: *const u8, len: usize);
}

#[link(wasm_import_module = "bacula:hooks/daemon@1.0.0")]
extern "C" {
    #[link_name = "name"]
    pub fn daemon_name(ret: *mut u8);
    #[link_name = "config-file"]
    pub fn daemon_config_file(ret: *mut u8);
    #[link_name = "working-dir"]
    pub fn daemon_working_dir(ret: *mut u8);
    #[link_name = "version"]
    pub fn daemon_version(ret: *mut u8);
}

#[link(wasm_import_module = "bacula:hooks/director@1.0.0")]
extern "C" {
    #[link_name = "run"]
    pub fn director_run(ptr: *const u8, len: usize, ret: *mut u8);
    #[link_name = "cancel"]
    pub fn director_cancel(job_id: i32, ret: *mut u8);
    #[link_name = "does-volume-exist"]
    pub fn director_does_volume_exist(ptr: *const u8, len: usize, ret: *mut u8);
}

#[link(wasm_import_module = "bacula:hooks/diagnostics@1.0.0")]
extern "C" {
    #[link_name = "trap-reason"]
    pub fn diagnostics_trap_reason(ptr: *const u8, len: usize);
}

/// A return area the host writes an import's result into (on the guest's stack).
#[repr(C, align(8))]
pub struct RetArea<const N: usize>(MaybeUninit<[u8; N]>);

impl<const N: usize> RetArea<N> {
    #[inline]
    pub fn new() -> Self {
        RetArea(MaybeUninit::uninit())
    }
    #[inline]
    pub fn ptr(&mut self) -> *mut u8 {
        self.0.as_mut_ptr() as *mut u8
    }
}

#[inline]
pub unsafe fn u8_at(base: *const u8, off: usize) -> u8 {
    *base.add(off)
}

#[inline]
pub unsafe fn u32_at(base: *const u8, off: usize) -> u32 {
    *(base.add(off) as *const u32)
}

/// Takes ownership of a string the host allocated with `cabi_realloc`.
#[inline]
pub unsafe fn take_string(ptr: u32, len: u32) -> String {
    if len == 0 {
        return String::new();
    }
    // The host wrote valid UTF-8 (string-encoding=utf8) into an allocation of
    // exactly `len` bytes with alignment 1: the layout a String frees with.
    String::from_raw_parts(ptr as usize as *mut u8, len as usize, len as usize)
}

/// The string stored at `base + off` as (ptr, len).
#[inline]
pub unsafe fn string_at(base: *const u8, off: usize) -> String {
    take_string(u32_at(base, off), u32_at(base, off + 4))
}

/// Calls an import returning `string` through a return area.
#[inline]
pub fn string_result(f: unsafe extern "C" fn(*mut u8)) -> String {
    let mut ret = RetArea::<8>::new();
    unsafe {
        f(ret.ptr());
        string_at(ret.ptr(), 0)
    }
}

/// Calls a job method returning `string` through a return area.
#[inline]
pub fn job_string(f: unsafe extern "C" fn(i32, *mut u8), job: i32) -> String {
    let mut ret = RetArea::<8>::new();
    unsafe {
        f(job, ret.ptr());
        string_at(ret.ptr(), 0)
    }
}

/// A value the host sent that the canonical ABI does not allow: a host bug. Traps.
#[cold]
pub fn invalid(what: &str, value: u32) -> ! {
    panic!("bacula_hooks: the host sent an invalid {} ({})", what, value)
}

/// The allocator the host uses to hand strings to the guest (`cabi_realloc`).
///
/// # Safety
/// The canonical ABI's contract: `old_ptr`/`old_size`/`align` describe an
/// allocation made by this function (or `old_size` is 0), `align` is a power of two.
pub unsafe fn realloc(old_ptr: *mut u8, old_size: usize, align: usize, new_size: usize) -> *mut u8 {
    let layout;
    let ptr = if old_size == 0 {
        if new_size == 0 {
            return align as *mut u8;
        }
        layout = Layout::from_size_align_unchecked(new_size, align);
        alloc::alloc(layout)
    } else {
        layout = Layout::from_size_align_unchecked(old_size, align);
        alloc::realloc(old_ptr, layout, new_size)
    };
    if ptr.is_null() {
        alloc::handle_alloc_error(layout);
    }
    ptr
}

/// The static area an export returns its result in; read by the host, then
/// released by the export's `cabi_post_*`.
#[repr(C, align(8))]
pub struct ExportRet([u8; 12]);
pub static mut EXPORT_RET: ExportRet = ExportRet([0; 12]);

/// Leaks a string as (ptr, len) for the host to read; `free_string` takes it back.
fn leak_string(s: String) -> (u32, u32) {
    let b: Box<[u8]> = s.into_bytes().into_boxed_slice();
    let len = b.len();
    let ptr = Box::into_raw(b) as *mut u8;
    (ptr as usize as u32, len as u32)
}

unsafe fn free_string(ptr: u32, len: u32) {
    if len != 0 {
        drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr as usize as *mut u8, len as usize)));
    }
}

/// Writes `result<flags-byte, string>` / `result<_, string>` into the export area.
pub fn export_result(r: Result<u8, String>) -> *mut u8 {
    unsafe {
        let base = std::ptr::addr_of_mut!(EXPORT_RET) as *mut u8;
        match r {
            Ok(flags) => {
                *base = 0;
                *base.add(4) = flags;
            }
            Err(message) => {
                let (ptr, len) = leak_string(message);
                *base = 1;
                *(base.add(4) as *mut u32) = ptr;
                *(base.add(8) as *mut u32) = len;
            }
        }
        base
    }
}

/// Post-return of every event export: frees the error message, if any.
///
/// # Safety
/// `base` is the pointer the export returned (`EXPORT_RET`), called once after it.
pub unsafe fn export_post_return(base: *mut u8) {
    if *base == 1 {
        free_string(u32_at(base, 4), u32_at(base, 8));
        *base = 0;
    }
}
