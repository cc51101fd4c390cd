//! The process's allocator, chosen by command before `main` runs.
//!
//! Rendering allocates and frees small blocks by the million, and glibc's
//! small-block work (its per-thread cache holds 7 blocks per size; past
//! that, bins, consolidation and locking) was a sixth of all instructions.
//! `chartgen template` and `chartgen snapshot` put a larger per-thread cache
//! of small blocks in front of glibc ([`thread_cache`]): an eighth less CPU
//! per case for `snapshot`, which renders hundreds of cases in one process
//! (it keeps at most 4 MiB per thread, and gives the rest back to glibc).
//! A one-shot `template` mostly allocates: it cuts its small blocks from
//! 64 KiB glibc blocks instead of asking glibc for each (a tenth of its
//! instructions were glibc's), and keeps every freed one for reuse. Without
//! glibc's 8-byte header and 16-byte rounding per block, that takes less
//! memory, not more (glibc's tuning in `tune_malloc`, huge pages and two
//! arenas, stays underneath). Other commands use glibc alone.
//!
//! The choice is made from `argv` in an `.init_array` function, which glibc
//! runs (with `argc`, `argv`, `envp`) before `main`, so before Rust code has
//! allocated anything; should anything have allocated before it, the choice
//! stays with plain glibc, so every block is freed the way it was made.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

/// What one thread's cache of small blocks keeps at most; 0: no cache, small
/// blocks go to glibc; [`CARVE`]: small blocks are carved (set at most once,
/// before `main`).
static KEEP_BYTES: AtomicUsize = AtomicUsize::new(0);

/// `KEEP_BYTES` for a run that renders once and exits (`template`): small
/// blocks are cut from larger glibc blocks and, freed, always kept for reuse
/// by the same thread and size (see [`thread_cache`]).
const CARVE: usize = usize::MAX;
/// Something was allocated before the choice was made.
static ALLOCATED_EARLY: AtomicBool = AtomicBool::new(false);

pub struct CommandAllocator;

// The methods stay out of line: inlined into every allocation site, both
// paths would grow the binary by a megabyte (and its resident text with it).
//
// SAFETY: every call takes the same path for the whole run (`KEEP_BYTES` changes
// only before the first allocation), so blocks are freed and resized the way
// they were made; both paths return glibc blocks, aligned as glibc aligns
// (16 bytes on 64-bit targets, all the cache serves), or in `CARVE` mode
// 16-byte-aligned parts of one, which are never handed to glibc's `free`.
unsafe impl GlobalAlloc for CommandAllocator {
    #[inline(never)]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if thread_cache_on() {
            thread_cache::alloc(layout)
        } else {
            note_early();
            System.alloc(layout)
        }
    }

    #[inline(never)]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if thread_cache_on() {
            thread_cache::alloc_zeroed(layout)
        } else {
            note_early();
            System.alloc_zeroed(layout)
        }
    }

    #[inline(never)]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if thread_cache_on() {
            thread_cache::dealloc(ptr, layout)
        } else {
            System.dealloc(ptr, layout)
        }
    }

    #[inline(never)]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if thread_cache_on() {
            thread_cache::realloc(ptr, layout, new_size)
        } else {
            System.realloc(ptr, layout, new_size)
        }
    }
}

/// Whether small blocks go through the per-thread cache.
#[inline]
fn thread_cache_on() -> bool {
    KEEP_BYTES.load(Relaxed) != 0
}

/// Marks that an allocation was made. Read first: once set, the flag's cache
/// line is only read, never written, by the rendering threads.
#[inline]
fn note_early() {
    if !ALLOCATED_EARLY.load(Relaxed) {
        ALLOCATED_EARLY.store(true, Relaxed);
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
#[used]
#[link_section = ".init_array"]
static CHOOSE: extern "C" fn(libc::c_int, *const *const libc::c_char, *const *const libc::c_char) =
    choose;

/// Turns the per-thread cache on for `chartgen snapshot …` and
/// `chartgen template …`.
#[cfg(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
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
    let keep = match command.to_bytes() {
        b"snapshot" => 4 << 20,
        b"template" => CARVE,
        _ => return,
    };
    if !ALLOCATED_EARLY.load(Relaxed) {
        KEEP_BYTES.store(keep, Relaxed);
    }
}

/// Elsewhere the cache is never turned on.
#[cfg(not(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64")))]
mod thread_cache {
    use std::alloc::{GlobalAlloc, Layout, System};

    pub unsafe fn alloc(layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }

    pub unsafe fn alloc_zeroed(layout: Layout) -> *mut u8 {
        System.alloc_zeroed(layout)
    }

    pub unsafe fn dealloc(ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    pub unsafe fn realloc(ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        System.realloc(ptr, layout, new_size)
    }
}

/// Free lists of small blocks, one per 16-byte size class and thread.
///
/// A block of class `c` holds `(c + 1) × 16` bytes; freed, it is pushed on
/// its thread's list for that class (its first word links the list) unless
/// the thread already keeps `KEEP_BYTES`, and an allocation of that class
/// pops one before making a block. Kept to a limit, blocks are glibc blocks
/// of their own, and those past the limit go back to glibc; in [`CARVE`]
/// mode (a process that renders once) they are cut in turn from a thread's
/// current 64 KiB glibc block, and every freed one is kept. Blocks may be
/// freed by another thread than the one that made them, which keeps them
/// (or, under a limit, frees them to glibc). What a thread keeps when it
/// ends stays with the process.
#[cfg(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
mod thread_cache {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::cell::UnsafeCell;
    use std::sync::atomic::Ordering::Relaxed;

    /// glibc's alignment on 64-bit targets, and the class width.
    const GRAIN: usize = 16;
    /// Classes up to 1 KiB; larger blocks go to glibc directly.
    const CLASSES: usize = 64;

    /// What a carving thread asks glibc for at a time.
    const CHUNK: usize = 64 << 10;

    struct Cache {
        heads: [*mut u8; CLASSES],
        kept: usize,
        /// The part of the current chunk not carved yet (addresses; both 0
        /// before the first chunk).
        next: usize,
        end: usize,
    }

    // No destructor: the cache can be reached until the thread's very end
    // (other destructors free memory too), and nothing is registered when a
    // thread first touches it.
    thread_local! {
        static CACHE: UnsafeCell<Cache> = const {
            UnsafeCell::new(Cache {
                heads: [std::ptr::null_mut(); CLASSES],
                kept: 0,
                next: 0,
                end: 0,
            })
        };
    }

    #[inline]
    fn class(layout: &Layout) -> Option<usize> {
        let size = layout.size();
        if layout.align() <= GRAIN && size != 0 && size <= GRAIN * CLASSES {
            Some((size - 1) / GRAIN)
        } else {
            None
        }
    }

    pub unsafe fn alloc(layout: Layout) -> *mut u8 {
        let Some(c) = class(&layout) else {
            return System.alloc(layout);
        };
        let size = (c + 1) * GRAIN;
        let carve = super::KEEP_BYTES.load(Relaxed) == super::CARVE;
        let kept = CACHE.with(|cache| {
            // SAFETY: only this thread reaches its cache, and no call below
            // re-enters the allocator while the reference lives.
            let cache = &mut *cache.get();
            let head = cache.heads[c];
            if !head.is_null() {
                cache.heads[c] = *(head as *mut *mut u8);
                cache.kept -= size;
                return head;
            }
            if !carve {
                return head;
            }
            if cache.end - cache.next < size {
                // The rest of the old chunk (under 1 KiB) is left unused.
                let chunk = libc::malloc(CHUNK) as usize;
                if chunk == 0 {
                    return std::ptr::null_mut();
                }
                cache.next = chunk;
                cache.end = chunk + CHUNK;
            }
            let block = cache.next as *mut u8;
            cache.next += size;
            block
        });
        if !kept.is_null() || carve {
            return kept;
        }
        libc::malloc(size) as *mut u8
    }

    pub unsafe fn alloc_zeroed(layout: Layout) -> *mut u8 {
        if class(&layout).is_none() {
            return System.alloc_zeroed(layout);
        }
        let p = alloc(layout);
        if !p.is_null() {
            std::ptr::write_bytes(p, 0, layout.size());
        }
        p
    }

    pub unsafe fn dealloc(ptr: *mut u8, layout: Layout) {
        let Some(c) = class(&layout) else {
            return System.dealloc(ptr, layout);
        };
        let size = (c + 1) * GRAIN;
        let kept = CACHE.with(|cache| {
            // SAFETY: as in `alloc`.
            let cache = &mut *cache.get();
            if cache.kept.saturating_add(size) > super::KEEP_BYTES.load(Relaxed) {
                return false;
            }
            *(ptr as *mut *mut u8) = cache.heads[c];
            cache.heads[c] = ptr;
            cache.kept += size;
            true
        });
        if !kept {
            libc::free(ptr as *mut libc::c_void);
        }
    }

    pub unsafe fn realloc(ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size`, rounded up to the
        // alignment, does not overflow `isize`.
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        match (class(&layout), class(&new_layout)) {
            // The block already holds `(c + 1) × 16` bytes.
            (Some(a), Some(b)) if a == b => ptr,
            (None, None) => System.realloc(ptr, layout, new_size),
            _ => {
                let p = alloc(new_layout);
                if !p.is_null() {
                    std::ptr::copy_nonoverlapping(ptr, p, layout.size().min(new_size));
                    dealloc(ptr, layout);
                }
                p
            }
        }
    }
}
