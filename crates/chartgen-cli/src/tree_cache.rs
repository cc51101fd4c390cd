//! Parsed templates kept between runs, one file per chart in the user's
//! cache directory: the next `template`, `diff` or `snapshot` run of the same chart
//! decodes the trees of every unchanged template instead of parsing it
//! (parsing is more than half of a large chart's render).
//!
//! Where: `$CHARTGEN_CACHE_DIR`, else `$XDG_CACHE_HOME/chartgen`, else
//! `$HOME/.cache/chartgen`; files under `trees/`, named by a hash of the
//! chart's canonical path and of the build (see build.rs, `TREE_BUILD_ID`).
//! Beside each, under `heads/` by the same name, the heads of the documents
//! the chart's last run rendered (kind, name, annotations: what helm decodes
//! of each document to sort it), by a hash of each document's text: a run
//! that renders the same documents again decodes none of them.
//! Prepared schemas and values files are kept beside them, under `schemas/`
//! and `values/`, and expanded chart archives under `archives/` (see
//! [`PreparedFiles`]). Setting
//! `CHARTGEN_NO_CACHE` to anything but the empty string turns it off.
//!
//! Correctness never depends on the files: a template's stored trees are
//! used only for the exact text they were parsed from, by the build that
//! wrote them (see `chartgen_helm::tree_store`); anything else is parsed as
//! without a cache. The cache is best effort: `template` and `diff` write
//! it only after a successful render (`snapshot` after its run, whatever
//! the cases gave: trees do not depend on values), atomically (a whole new
//! file renamed over the old), never when every template was decoded; a
//! file that cannot be read or written is silently skipped. At most [`MAX_FILES`] charts are kept:
//! writing a new one removes the least recently written.
//!
//! The library does not use it unless [`enable_from_env`] was called (the
//! binary calls it); in-process users keep a `LoadedChart` instead.

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use chartgen_helm::action::TreeKeeper;
use chartgen_helm::file_memory::{FileMemory, KeptBytes};
use chartgen_helm::output::HeadCache;
use chartgen_helm::tree_store::{StoredTrees, MAX_STORE_BYTES};

use crate::embedded::TREE_BUILD_ID;

/// Charts whose trees are kept.
pub const MAX_FILES: usize = 64;

static CACHE_DIR: OnceLock<Option<PathBuf>> = OnceLock::new();

static LOADED: AtomicUsize = AtomicUsize::new(0);

/// How many times this process found a chart's trees in the cache.
pub fn loaded() -> usize {
    LOADED.load(Ordering::Relaxed)
}

/// Turns the cache on for this process, in the directory the environment
/// names (see the module documentation).
pub fn enable_from_env() {
    enable_in(dir_from_env(&|name| std::env::var_os(name)));
}

/// Turns the cache on for this process in `dir` (`None`: off), unless it
/// was set before.
pub fn enable_in(dir: Option<PathBuf>) {
    CACHE_DIR.get_or_init(|| dir);
    if let Some(store) = PreparedFiles::archive_store() {
        chartgen_helm::loader::keep_archives_in(store);
    }
}

fn dir_from_env(var: &dyn Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    if set("CHARTGEN_NO_CACHE").is_some() {
        return None;
    }
    if let Some(dir) = set("CHARTGEN_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    // The XDG rule: a relative XDG_CACHE_HOME is invalid and ignored.
    if let Some(dir) = set("XDG_CACHE_HOME").map(PathBuf::from) {
        if dir.is_absolute() {
            return Some(dir.join("chartgen"));
        }
    }
    set("HOME").map(|home| Path::new(&home).join(".cache").join("chartgen"))
}

static DEFER: AtomicBool = AtomicBool::new(false);

type Save = Box<dyn FnOnce() + Send>;

static DEFERRED: Mutex<Vec<Save>> = Mutex::new(Vec::new());

/// Makes [`TreeCache::save_later`] wait for [`save_deferred`]: a process
/// that prints its output first (the binary) keeps its user waiting no
/// longer for the cache than without it.
pub fn defer_saves() {
    DEFER.store(true, Ordering::Relaxed);
}

/// Runs `save` now, or holds it back for [`save_deferred`] if
/// [`defer_saves`] was called.
fn save_when_due(save: impl FnOnce() + Send + 'static) {
    if DEFER.load(Ordering::Relaxed) {
        DEFERRED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Box::new(save));
    } else {
        save();
    }
}

/// Runs the saves [`defer_saves`] held back.
pub fn save_deferred() {
    let saves = std::mem::take(&mut *DEFERRED.lock().unwrap_or_else(|e| e.into_inner()));
    for save in saves {
        save();
    }
}

/// The cache files of one chart: its trees, and the heads of the documents
/// its last run rendered (under `heads/`, by the same name).
#[derive(Clone)]
pub struct TreeCache {
    file: PathBuf,
    heads: PathBuf,
    files: PathBuf,
}

impl TreeCache {
    /// The cache file of the chart at `chart` (an absolute path), if the
    /// cache is on.
    pub fn for_chart(chart: &Path) -> Option<TreeCache> {
        let dir = CACHE_DIR.get()?.as_ref()?;
        // One file per chart however its path is spelt.
        let chart = fs::canonicalize(chart).unwrap_or_else(|_| chart.to_path_buf());
        let mut key = chart.as_os_str().as_encoded_bytes().to_vec();
        key.extend_from_slice(&TREE_BUILD_ID.to_le_bytes());
        let name = format!("{:016x}.bin", xxhash_rust::xxh3::xxh3_64(&key));
        Some(TreeCache {
            file: dir.join("trees").join(&name),
            heads: dir.join("heads").join(&name),
            files: dir.join("files").join(name),
        })
    }

    /// The trees kept for the chart, if any were kept by this build.
    pub fn load(&self) -> Option<StoredTrees> {
        let len = fs::metadata(&self.file).ok()?.len();
        if len > MAX_STORE_BYTES as u64 {
            return None;
        }
        // Into one shared buffer, which the decoded trees keep (see `Encoded`).
        let bytes = chartgen_helm::loader::read_shared(&self.file, len).ok()?;
        let stored = StoredTrees::from_bytes(bytes, TREE_BUILD_ID)?;
        LOADED.fetch_add(1, Ordering::Relaxed);
        Some(stored)
    }

    /// Loads the heads kept for the chart (by this build) into `heads`.
    pub fn load_heads(&self, heads: &HeadCache) {
        let Ok(meta) = fs::metadata(&self.heads) else {
            return;
        };
        if meta.len() > MAX_STORE_BYTES as u64 {
            return;
        }
        if let Ok(bytes) = fs::read(&self.heads) {
            heads.load(&bytes, TREE_BUILD_ID);
        }
    }

    /// The chart directory's files as the last run read them (see
    /// `chartgen_helm::file_memory`), for a load starting now.
    pub fn load_files(&self) -> FileMemory {
        let file = self.files.clone();
        // Mapped when the loader first needs it.
        FileMemory::later(Box::new(move || {
            let f = fs::File::open(&file).ok()?;
            let len = f.metadata().ok()?.len();
            if len > MAX_STORE_BYTES as u64 {
                return None;
            }
            Mapped::of(&f, len as usize).map(|m| Box::new(m) as KeptBytes)
        }))
    }

    /// Keeps the files `memory` noted for the next run, if they differ from
    /// what it was loaded with: now, or after the output if
    /// [`defer_saves`] was called.
    pub fn save_files_later(&self, memory: std::sync::Arc<FileMemory>) {
        let file = self.files.clone();
        save_when_due(move || {
            if let Some(update) = memory.update() {
                write_atomically(&file, &update);
            }
        });
    }

    /// Keeps what `keeper` has for the next run, if it has anything new:
    /// now, or after the output if [`defer_saves`] was called.
    pub fn save_later(self, keeper: TreeKeeper) {
        save_when_due(move || {
            if let Some(update) = keeper.stored_update(TREE_BUILD_ID) {
                self.save(&update);
            }
            if let Some(update) = keeper.heads_update(TREE_BUILD_ID) {
                self.save_heads(&update);
            }
        });
    }

    /// Keeps `bytes` (a `chartgen_helm::tree_store` blob) for the next run.
    pub fn save(&self, bytes: &[u8]) {
        write_atomically(&self.file, bytes);
    }

    /// Keeps `bytes` (a blob of `HeadCache::stored_update`) for the next run.
    pub fn save_heads(&self, bytes: &[u8]) {
        write_atomically(&self.heads, bytes);
    }
}

/// A cache file's pages mapped read-only: no copy and no fresh memory for a
/// blob of megabytes read once. Cache files are only ever replaced whole (a
/// new file renamed over the old, see [`write_atomically`]) or removed,
/// never written into or cut short, so the mapped file keeps its length.
struct Mapped {
    at: *mut libc::c_void,
    len: usize,
}

// SAFETY: read-only memory, unmapped only on drop.
unsafe impl Send for Mapped {}
unsafe impl Sync for Mapped {}

impl Mapped {
    fn of(file: &fs::File, len: usize) -> Option<Mapped> {
        use std::os::fd::AsRawFd;
        if len == 0 {
            return None;
        }
        // SAFETY: a fresh private read-only mapping of an open file.
        let at = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        (at != libc::MAP_FAILED).then_some(Mapped { at, len })
    }
}

impl std::ops::Deref for Mapped {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        // SAFETY: `len` readable bytes mapped at `at` until drop.
        unsafe { std::slice::from_raw_parts(self.at as *const u8, self.len) }
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `of`.
        unsafe { libc::munmap(self.at, self.len) };
    }
}

/// Prepared forms kept between runs, one file per text: schemas under
/// `schemas/`, values files under `values/`, expanded `.tgz` charts under
/// `archives/` (inflating the official Airflow chart's PostgreSQL archive
/// was a tenth of its run), each named by a hash of the text and of the
/// build. A large schema (the official Airflow chart's is
/// 700 KB) takes longer to parse, check and translate than its prepared
/// form takes to read, and a 100 KB values file four times longer to parse
/// than to decode. Written after the output, like the trees, but whatever
/// the values gave (a prepared form depends on its text alone); a form read
/// back is used only for the text it was made from (see
/// `chartgen_helm::schema::SchemaStore`,
/// `chartgen_helm::prepared_values::ValuesStore` and
/// `chartgen_helm::loader::ArchiveStore`), and only whole (a checksum of
/// the file).
pub struct PreparedFiles {
    dir: PathBuf,
    prepare: fn(&[u8]) -> Option<Vec<u8>>,
}

impl PreparedFiles {
    /// The store of prepared schemas, if the cache is on.
    pub fn schema_store() -> Option<std::sync::Arc<dyn chartgen_helm::schema::SchemaStore>> {
        Some(std::sync::Arc::new(Self::in_cache(
            "schemas",
            chartgen_helm::schema::precompile,
        )?))
    }

    /// The store of prepared values files, if the cache is on.
    pub fn values_store() -> Option<std::sync::Arc<dyn chartgen_helm::prepared_values::ValuesStore>>
    {
        Some(std::sync::Arc::new(Self::in_cache(
            "values",
            chartgen_helm::prepared_values::prepare,
        )?))
    }

    /// The store of expanded chart archives (`.tgz` sub-charts, a `.tgz`
    /// chart), if the cache is on.
    pub fn archive_store() -> Option<std::sync::Arc<dyn chartgen_helm::loader::ArchiveStore>> {
        Some(std::sync::Arc::new(Self::in_cache(
            "archives",
            chartgen_helm::loader::prepare_archive,
        )?))
    }

    fn in_cache(sub: &str, prepare: fn(&[u8]) -> Option<Vec<u8>>) -> Option<PreparedFiles> {
        let dir = CACHE_DIR.get()?.as_ref()?.join(sub);
        Some(PreparedFiles { dir, prepare })
    }

    fn file(&self, text: &[u8]) -> PathBuf {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(text);
        hasher.update(&TREE_BUILD_ID.to_le_bytes());
        self.dir.join(format!("{:016x}.bin", hasher.digest()))
    }

    fn load(&self, text: &[u8]) -> Option<Vec<u8>> {
        let file = self.file(text);
        if fs::metadata(&file).ok()?.len() > MAX_STORE_BYTES as u64 {
            return None;
        }
        // The prepared form names the text it came from, not itself: a
        // checksum of the whole guards against a damaged file.
        let mut kept = fs::read(file).ok()?;
        if kept.len() < 8 {
            return None;
        }
        let body = kept.split_off(8);
        (kept[..] == xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes()).then_some(body)
    }

    fn missed(&self, text: std::sync::Arc<[u8]>) {
        let file = self.file(&text);
        let prepare = self.prepare;
        save_when_due(move || {
            if let Some(prepared) = prepare(&text) {
                let mut kept = xxhash_rust::xxh3::xxh3_64(&prepared).to_le_bytes().to_vec();
                kept.extend_from_slice(&prepared);
                write_atomically(&file, &kept);
            }
        });
    }
}

impl chartgen_helm::schema::SchemaStore for PreparedFiles {
    fn load(&self, text: &[u8]) -> Option<Vec<u8>> {
        PreparedFiles::load(self, text)
    }

    fn missed(&self, text: std::sync::Arc<[u8]>) {
        PreparedFiles::missed(self, text)
    }
}

impl chartgen_helm::loader::ArchiveStore for PreparedFiles {
    fn load(&self, archive: &[u8]) -> Option<Vec<u8>> {
        PreparedFiles::load(self, archive)
    }

    fn missed(&self, archive: std::sync::Arc<[u8]>) {
        PreparedFiles::missed(self, archive)
    }
}

impl chartgen_helm::prepared_values::ValuesStore for PreparedFiles {
    fn load(&self, text: &[u8]) -> Option<Vec<u8>> {
        PreparedFiles::load(self, text)
    }

    fn missed(&self, text: std::sync::Arc<[u8]>) {
        PreparedFiles::missed(self, text)
    }
}

/// Writes `bytes` to `file` as a whole new file renamed over the old one,
/// creating its directory; a new file may evict the oldest (see [`evict`]).
/// Best effort: a failure leaves things as they were.
fn write_atomically(file: &Path, bytes: &[u8]) {
    let Some(dir) = file.parent() else {
        return;
    };
    if bytes.len() > MAX_STORE_BYTES {
        return;
    }
    if fs::create_dir_all(dir).is_err() {
        return;
    }
    let is_new = !file.exists();
    // Unique to this writer: renders of one chart may finish together
    // in other processes or on other threads of this one.
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    let tmp = file.with_extension(format!(
        "tmp{}{:04}",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed) % 10_000
    ));
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes));
    if written.is_err() || fs::rename(&tmp, file).is_err() {
        let _ = fs::remove_file(&tmp);
        return;
    }
    if is_new {
        evict(dir, MAX_FILES);
    }
}

/// Removes the least recently written files of `dir` beyond `keep`
/// (leftover temporary files included).
fn evict(dir: &Path, keep: usize) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(|e| {
            let e = e.ok()?;
            let meta = e.metadata().ok()?;
            let ours = e
                .path()
                .extension()
                .and_then(OsStr::to_str)
                .is_some_and(|x| {
                    x == "bin"
                        || x.strip_prefix("tmp")
                            .is_some_and(|pid| pid.parse::<u32>().is_ok())
                });
            if !(meta.is_file() && ours) {
                return None;
            }
            Some((meta.modified().ok()?, e.path()))
        })
        .collect();
    if files.len() <= keep {
        return;
    }
    files.sort();
    let excess = files.len() - keep;
    for (_, path) in files.into_iter().take(excess) {
        let _ = fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<std::ffi::OsString> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).into())
        }
    }

    #[test]
    fn directory_follows_the_environment() {
        let dir = |vars: &[(&str, &str)]| dir_from_env(&env(vars));
        assert_eq!(
            dir(&[("HOME", "/home/u")]),
            Some(PathBuf::from("/home/u/.cache/chartgen"))
        );
        assert_eq!(
            dir(&[("HOME", "/home/u"), ("XDG_CACHE_HOME", "/xdg")]),
            Some(PathBuf::from("/xdg/chartgen"))
        );
        assert_eq!(
            dir(&[("HOME", "/home/u"), ("XDG_CACHE_HOME", "relative")]),
            Some(PathBuf::from("/home/u/.cache/chartgen"))
        );
        assert_eq!(
            dir(&[("XDG_CACHE_HOME", "/xdg"), ("CHARTGEN_CACHE_DIR", "/c")]),
            Some(PathBuf::from("/c"))
        );
        assert_eq!(
            dir(&[("CHARTGEN_CACHE_DIR", "/c"), ("CHARTGEN_NO_CACHE", "1")]),
            None
        );
        assert_eq!(
            dir(&[("CHARTGEN_CACHE_DIR", "/c"), ("CHARTGEN_NO_CACHE", "")]),
            Some(PathBuf::from("/c"))
        );
        assert_eq!(dir(&[]), None);
    }

    #[test]
    fn eviction_keeps_the_newest_files_and_ignores_others() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000);
        for (i, name) in ["a.bin", "b.bin", "c.tmp123", "d.bin", "notes.txt"]
            .iter()
            .enumerate()
        {
            let path = dir.path().join(name);
            fs::write(&path, b"x").unwrap();
            let f = fs::File::options().write(true).open(&path).unwrap();
            f.set_modified(base + std::time::Duration::from_secs(i as u64))
                .unwrap();
        }
        evict(dir.path(), 2);
        let mut left: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["c.tmp123", "d.bin", "notes.txt"]);
    }
}
