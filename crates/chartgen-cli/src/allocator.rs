//! The process's allocator, chosen by command before `main` runs.
//!
//! `chartgen template` is one short render: glibc's malloc, tuned in
//! `tune_malloc` (huge pages, two arenas), faults in the least memory and
//! gives the lowest wall time. `chartgen snapshot` renders hundreds of cases
//! in one process: there mimalloc's cheaper allocation pays (about a tenth
//! less CPU per case) and its larger footprint is paid once.
//!
//! The choice is made from `argv` in an `.init_array` function, which glibc
//! runs (with `argc`, `argv`, `envp`) before `main`, so before Rust code has
//! allocated anything; should anything have allocated before it, the choice
//! stays with glibc, so every block is freed by the allocator that made it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

/// mimalloc serves every allocation (set at most once, before `main`).
static MIMALLOC: AtomicBool = AtomicBool::new(false);
/// Something was allocated from glibc before the choice was made.
static ALLOCATED_EARLY: AtomicBool = AtomicBool::new(false);

pub struct CommandAllocator;

// The methods stay out of line: inlined into every allocation site, both
// allocators' paths made the binary 0.7 MB larger (and its resident text
// with it).
//
// SAFETY: every call goes to one allocator, the same for the whole run (the
// flag changes only before the first allocation), so blocks are freed and
// resized by the allocator that made them.
unsafe impl GlobalAlloc for CommandAllocator {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Relaxed) {
            mimalloc::MiMalloc.alloc(layout)
        } else {
            note_early();
            System.alloc(layout)
        }
    }

    #[inline(never)]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Relaxed) {
            mimalloc::MiMalloc.alloc_zeroed(layout)
        } else {
            note_early();
            System.alloc_zeroed(layout)
        }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if MIMALLOC.load(Relaxed) {
            mimalloc::MiMalloc.dealloc(ptr, layout)
        } else {
            System.dealloc(ptr, layout)
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if MIMALLOC.load(Relaxed) {
            mimalloc::MiMalloc.realloc(ptr, layout, new_size)
        } else {
            System.realloc(ptr, layout, new_size)
        }
    }
}

/// Marks that glibc has served an allocation. Read first: once set, the
/// flag's cache line is only read, never written, by the rendering threads.
#[inline]
fn note_early() {
    if !ALLOCATED_EARLY.load(Relaxed) {
        ALLOCATED_EARLY.store(true, Relaxed);
    }
}

/// Whether mimalloc serves this run.
pub fn is_mimalloc() -> bool {
    MIMALLOC.load(Relaxed)
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[used]
#[link_section = ".init_array"]
static CHOOSE: extern "C" fn(libc::c_int, *const *const libc::c_char, *const *const libc::c_char) =
    choose;

/// Picks mimalloc for `chartgen snapshot …`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
extern "C" fn choose(
    argc: libc::c_int,
    argv: *const *const libc::c_char,
    _envp: *const *const libc::c_char,
) {
    if argc < 2 || argv.is_null() {
        return;
    }
    // SAFETY: glibc passes the process's argv: `argc` valid pointers to
    // NUL-terminated strings.
    let command = unsafe {
        let arg = *argv.add(1);
        if arg.is_null() {
            return;
        }
        std::ffi::CStr::from_ptr(arg)
    };
    if command.to_bytes() == b"snapshot" && !ALLOCATED_EARLY.load(Relaxed) {
        MIMALLOC.store(true, Relaxed);
    }
}
