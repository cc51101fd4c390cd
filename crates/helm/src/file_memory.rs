//! What a load of a chart directory read, kept for the next load of the
//! same directory: a file whose status (`stat`: device, inode, size, mode,
//! modification and change times) is the same as when it was read is taken
//! from here, one `stat` instead of an open, a read and a close; likewise a
//! directory's listing. A large chart has several hundred files, and those
//! calls were a tenth of the CPU time of a render.
//!
//! The rule is git's index's. A file's change time (ctime) moves on every
//! write, on a rename over it and on a change of mode or owner, and no
//! program can set it back, so an equal status means equal contents; a
//! directory's moves whenever an entry is added, removed or renamed. The
//! exception is a file changed twice within one tick of the file system's
//! clock when a load read it between the two changes. So a file or
//! directory is kept only if its ctime is [`SETTLE`] older than the load
//! that read it; one changed more recently is read every time until it
//! settles.
//!
//! What this is not: a cache of anything made from the files (parsed trees,
//! values: see [`crate::tree_store`] and [`crate::prepared_values`]). It
//! does not read or write its blob either: the program that keeps it does.
//! The blob is self-checking: an xxh3 checksum over its index (names,
//! statuses, listings), which a damaged or foreign blob fails whole, and
//! one per file's contents, checked when the file is taken (by the thread
//! that takes it, not all up front); nothing here panics on bad bytes.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use xxhash_rust::xxh3::xxh3_64;

use crate::chart::FileData;
use crate::tree_store::Reader;

const MAGIC: &[u8; 8] = b"CGFILES3";

/// How long before a load a file must have last changed to be kept.
pub const SETTLE: Duration = Duration::from_secs(5);

/// A file's status as `stat` gives it: what must be unchanged for a kept
/// file to stand for the file on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStatus {
    dev: u64,
    ino: u64,
    size: u64,
    mode: u32,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl FileStatus {
    /// The status `meta` describes (`None` where the platform has no change
    /// time to go by).
    pub fn of(meta: &std::fs::Metadata) -> Option<FileStatus> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileStatus {
                dev: meta.dev(),
                ino: meta.ino(),
                size: meta.size(),
                mode: meta.mode(),
                mtime: (meta.mtime(), meta.mtime_nsec()),
                ctime: (meta.ctime(), meta.ctime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }

    /// The status of the file `relative` names in the directory `dir` (an
    /// open directory), following symbolic links, as `fstatat` gives it:
    /// the path is looked up from the directory, not from the root.
    pub fn at(dir: &std::fs::File, relative: &str) -> Option<FileStatus> {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            let name = std::ffi::CString::new(relative).ok()?;
            let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
            // SAFETY: a valid descriptor, a NUL-terminated name and a
            // buffer of the size the call writes.
            let rc = unsafe { libc::fstatat(dir.as_raw_fd(), name.as_ptr(), st.as_mut_ptr(), 0) };
            if rc != 0 {
                return None;
            }
            // SAFETY: written by the successful call above.
            let st = unsafe { st.assume_init() };
            // The fields' types differ between platforms.
            #[allow(clippy::unnecessary_cast)]
            Some(FileStatus {
                dev: st.st_dev as u64,
                ino: st.st_ino as u64,
                size: st.st_size as u64,
                mode: st.st_mode as u32,
                mtime: (st.st_mtime as i64, st.st_mtime_nsec as i64),
                ctime: (st.st_ctime as i64, st.st_ctime_nsec as i64),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = (dir, relative);
            None
        }
    }

    /// Whether the file last changed before `time` (seconds and nanoseconds
    /// since the epoch).
    fn changed_before(&self, time: (i64, i64)) -> bool {
        self.ctime < time
    }

    fn write(&self, out: &mut Vec<u8>) {
        for n in [self.dev, self.ino, self.size] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(&self.mode.to_le_bytes());
        for n in [self.mtime.0, self.mtime.1, self.ctime.0, self.ctime.1] {
            out.extend_from_slice(&n.to_le_bytes());
        }
    }

    fn read(r: &mut Reader<'_>) -> Option<FileStatus> {
        Some(FileStatus {
            dev: r.u64()?,
            ino: r.u64()?,
            size: r.u64()?,
            mode: r.u32()?,
            mtime: (r.u64()? as i64, r.u64()? as i64),
            ctime: (r.u64()? as i64, r.u64()? as i64),
        })
    }
}

/// A file kept from the last load: its status then, and its contents, or
/// `None` for a file that load left unread (read when used, see
/// [`FileData::on_disk`]).
struct Known {
    status: FileStatus,
    /// Where in the blob, and the xxh3 hash of the contents.
    contents: Option<(Range<usize>, u64)>,
}

/// What a directory listing says of an entry (see [`FileMemory::recall_dir`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EntryType {
    Dir,
    File,
    /// Anything else: a symbolic link, or a type the listing did not give.
    Other,
}

impl EntryType {
    fn code(self) -> u8 {
        match self {
            EntryType::Dir => 1,
            EntryType::File => 2,
            EntryType::Other => 3,
        }
    }

    fn from_code(code: u8) -> Option<EntryType> {
        Some(match code {
            1 => EntryType::Dir,
            2 => EntryType::File,
            3 => EntryType::Other,
            _ => return None,
        })
    }
}

/// A directory's entries, by name (bytes, as the file system gives them).
pub(crate) type Listing = Vec<(Vec<u8>, EntryType)>;

/// A directory kept from the last load, or met by this one.
#[derive(Clone)]
struct Dir {
    status: FileStatus,
    entries: Arc<Listing>,
}

/// A file this load met, to keep for the next.
struct Seen {
    name: String,
    status: FileStatus,
    contents: Option<FileData>,
}

/// A blob's bytes: in memory, or a file's mapped pages.
pub type KeptBytes = Box<dyn std::ops::Deref<Target = [u8]> + Send + Sync>;

/// Reads the blob a memory starts from (see [`FileMemory::later`]).
pub type KeptLater = Box<dyn FnOnce() -> Option<KeptBytes> + Send>;

/// The files of one chart directory kept from its last load, and what this
/// load met, to keep for the next (see the module documentation).
pub struct FileMemory {
    /// Read when the load first looks something up (the chart directory's
    /// own listing, on the walking thread), not before the load starts.
    kept_later: Mutex<Option<KeptLater>>,
    kept: OnceLock<Kept>,
    /// Files whose ctime is not before this are not kept.
    settled_before: (i64, i64),
    seen: Mutex<Vec<Seen>>,
    seen_dirs: Mutex<Vec<(String, Dir)>>,
    /// Whether this load met a file or directory not taken from `kept`.
    changed: AtomicBool,
}

struct Kept {
    /// Let go once the walk is over (see [`FileMemory::walked`]).
    blob: std::sync::RwLock<Option<KeptBytes>>,
    known: HashMap<Box<str>, Known>,
    dirs: HashMap<Box<str>, Dir>,
}

impl std::fmt::Debug for FileMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileMemory")
            .field("known", &self.kept.get().map(|k| k.known.len()))
            .finish_non_exhaustive()
    }
}

/// What [`FileMemory::recall`] gives for a file.
pub(crate) enum Recalled {
    Contents(Arc<[u8]>),
    /// A file the last load left unread.
    Unread,
}

impl FileMemory {
    /// A memory holding the files of `kept` (a blob [`FileMemory::update`]
    /// gave; anything else is ignored), for a load starting now.
    pub fn new(kept: Option<Vec<u8>>) -> FileMemory {
        FileMemory::later(Box::new(move || kept.map(|k| Box::new(k) as KeptBytes)))
    }

    /// [`FileMemory::new`] with the blob `read` gives, read when the load
    /// first looks something up.
    pub fn later(read: KeptLater) -> FileMemory {
        let settled = SystemTime::now().checked_sub(SETTLE);
        FileMemory::settled_before(read, settled.unwrap_or(SystemTime::UNIX_EPOCH))
    }

    /// [`FileMemory::later`], keeping the files that last changed before
    /// `time` (rather than [`SETTLE`] before now).
    pub fn settled_before(read: KeptLater, time: SystemTime) -> FileMemory {
        let settled_before = match time.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => (d.as_secs() as i64, i64::from(d.subsec_nanos())),
            Err(_) => (i64::MIN, 0),
        };
        FileMemory {
            kept_later: Mutex::new(Some(read)),
            kept: OnceLock::new(),
            settled_before,
            seen: Mutex::new(Vec::new()),
            seen_dirs: Mutex::new(Vec::new()),
            changed: AtomicBool::new(false),
        }
    }

    fn kept(&self) -> &Kept {
        self.kept.get_or_init(|| {
            let read = self
                .kept_later
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            read.and_then(|read| read())
                .and_then(parse)
                .unwrap_or_else(|| Kept {
                    blob: std::sync::RwLock::new(None),
                    known: HashMap::new(),
                    dirs: HashMap::new(),
                })
        })
    }

    /// The blob of `body` (what follows the checksum: the index's length,
    /// the index, the contents) with the checksum its index passes; for
    /// fuzzing the decoding behind it too.
    #[doc(hidden)]
    pub fn checksummed(body: &[u8]) -> Vec<u8> {
        let index_len = body
            .get(..8)
            .map_or(0, |n| u64::from_le_bytes(n.try_into().unwrap_or_default()));
        let index_end = usize::try_from(index_len)
            .ok()
            .and_then(|n| n.checked_add(8))
            .map_or(body.len(), |end| end.min(body.len()));
        let mut blob = MAGIC.to_vec();
        blob.extend_from_slice(&xxh3_64(&body[..index_end]).to_le_bytes());
        blob.extend_from_slice(body);
        blob
    }

    /// How many files the last load kept.
    pub fn len(&self) -> usize {
        self.kept().known.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The kept file `name`, if its status is still the one it was kept
    /// with; `status` gives the file's status now.
    pub(crate) fn recall(
        &self,
        name: &str,
        status: impl FnOnce() -> Option<FileStatus>,
    ) -> Option<Recalled> {
        let kept = self.kept();
        let known = kept.known.get(name)?;
        let status = status()?;
        if status != known.status {
            return None;
        }
        let (recalled, contents) = match &known.contents {
            Some((range, hash)) => {
                let blob = kept.blob.read().unwrap_or_else(|e| e.into_inner());
                let kept_bytes = blob.as_ref()?.get(range.clone())?;
                if xxh3_64(kept_bytes) != *hash {
                    return None;
                }
                let bytes: Arc<[u8]> = Arc::from(kept_bytes);
                (
                    Recalled::Contents(bytes.clone()),
                    Some(FileData::from(bytes)),
                )
            }
            None => (Recalled::Unread, None),
        };
        self.seen_push(Seen {
            name: name.to_string(),
            status,
            contents,
        });
        Some(recalled)
    }

    /// The kept listing of the directory `name` (`""`: the chart's own),
    /// if its status is still the one it was kept with; `status` gives the
    /// directory's status now.
    pub(crate) fn recall_dir(
        &self,
        name: &str,
        status: impl FnOnce() -> Option<FileStatus>,
    ) -> Option<Arc<Listing>> {
        let dir = self.kept().dirs.get(name)?;
        if status()? != dir.status {
            return None;
        }
        self.seen_dirs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((name.to_string(), dir.clone()));
        Some(dir.entries.clone())
    }

    /// Notes the listing of the directory `name`, with the directory's
    /// status from before it was listed, to keep for the next load if it
    /// has settled.
    pub(crate) fn note_dir(&self, name: &str, status: FileStatus, entries: &Arc<Listing>) {
        if !status.changed_before(self.settled_before) {
            return;
        }
        self.changed.store(true, Ordering::Relaxed);
        self.seen_dirs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((
                name.to_string(),
                Dir {
                    status,
                    entries: entries.clone(),
                },
            ));
    }

    /// Lets the kept contents go (the walk is over; what it took was
    /// copied): a blob of megabytes no longer counts in the process's
    /// memory while it renders. Later look-ups find nothing.
    pub fn walked(&self) {
        if let Some(kept) = self.kept.get() {
            *kept.blob.write().unwrap_or_else(|e| e.into_inner()) = None;
        }
    }

    /// Notes a file this load read (`contents`) or left unread (`None`),
    /// with its status from before it was read, to keep for the next load
    /// if it has settled.
    pub(crate) fn note(&self, name: &str, status: FileStatus, contents: Option<&FileData>) {
        if !status.changed_before(self.settled_before) {
            return;
        }
        self.changed.store(true, Ordering::Relaxed);
        self.seen_push(Seen {
            name: name.to_string(),
            status,
            contents: contents.cloned(),
        });
    }

    fn seen_push(&self, seen: Seen) {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(seen);
    }

    /// The blob to keep for the next load, if it would differ from the one
    /// this memory was made from: every settled file and directory this
    /// load met, whether read or recalled (one no longer met, or changed
    /// lately, is dropped). A load that only adds files changed lately
    /// writes nothing: they are kept by a later load, once settled.
    pub fn update(&self) -> Option<Vec<u8>> {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let mut dirs = self.seen_dirs.lock().unwrap_or_else(|e| e.into_inner());
        let (known, known_dirs) = self
            .kept
            .get()
            .map_or((0, 0), |kept| (kept.known.len(), kept.dirs.len()));
        let unchanged = !self.changed.load(Ordering::Relaxed)
            && seen.len() == known
            && dirs.len() == known_dirs;
        let nothing = seen.is_empty() && dirs.is_empty() && known + known_dirs == 0;
        if unchanged || nothing {
            return None;
        }
        seen.sort_by(|a, b| a.name.cmp(&b.name));
        seen.dedup_by(|a, b| a.name == b.name);
        dirs.sort_by(|a, b| a.0.cmp(&b.0));
        dirs.dedup_by(|a, b| a.0 == b.0);
        // The index, then the contents it points into.
        let mut index = Vec::new();
        let mut contents = Vec::new();
        index.extend_from_slice(&(seen.len() as u64).to_le_bytes());
        for file in seen.iter() {
            index.extend_from_slice(&(file.name.len() as u64).to_le_bytes());
            index.extend_from_slice(file.name.as_bytes());
            file.status.write(&mut index);
            match &file.contents {
                Some(data) => {
                    index.push(1);
                    index.extend_from_slice(&(contents.len() as u64).to_le_bytes());
                    index.extend_from_slice(&(data.len() as u64).to_le_bytes());
                    index.extend_from_slice(&xxh3_64(data).to_le_bytes());
                    contents.extend_from_slice(data);
                }
                None => index.push(0),
            }
        }
        index.extend_from_slice(&(dirs.len() as u64).to_le_bytes());
        for (name, dir) in dirs.iter() {
            index.extend_from_slice(&(name.len() as u64).to_le_bytes());
            index.extend_from_slice(name.as_bytes());
            dir.status.write(&mut index);
            index.extend_from_slice(&(dir.entries.len() as u64).to_le_bytes());
            for (entry, kind) in dir.entries.iter() {
                index.extend_from_slice(&(entry.len() as u64).to_le_bytes());
                index.extend_from_slice(entry);
                index.push(kind.code());
            }
        }
        let mut body = (index.len() as u64).to_le_bytes().to_vec();
        body.extend_from_slice(&index);
        body.extend_from_slice(&contents);
        Some(FileMemory::checksummed(&body))
    }
}

fn parse(blob: KeptBytes) -> Option<Kept> {
    let mut r = Reader {
        bytes: &blob,
        at: 0,
    };
    if r.take(MAGIC.len())? != MAGIC {
        return None;
    }
    let checksum = r.u64()?;
    let index_len = usize::try_from(r.u64()?).ok()?;
    let index_end = r.at.checked_add(index_len)?;
    if index_end > blob.len() || xxh3_64(&blob[r.at - 8..index_end]) != checksum {
        return None;
    }
    let contents_at = index_end;
    let count = r.u64()?;
    // An entry takes more than 64 bytes: no allocation beyond the blob's size.
    let mut known = HashMap::with_capacity((count as usize).min(blob.len() / 64));
    for _ in 0..count {
        let name = read_name(&mut r)?;
        let status = FileStatus::read(&mut r)?;
        let contents = match r.take(1)?[0] {
            0 => None,
            1 => {
                let start = contents_at.checked_add(usize::try_from(r.u64()?).ok()?)?;
                let end = start.checked_add(usize::try_from(r.u64()?).ok()?)?;
                let hash = r.u64()?;
                if end > blob.len() {
                    return None;
                }
                Some((start..end, hash))
            }
            _ => return None,
        };
        known.insert(name.into(), Known { status, contents });
    }
    let count = r.u64()?;
    let mut dirs = HashMap::with_capacity((count as usize).min(blob.len() / 64));
    for _ in 0..count {
        let name = read_name(&mut r)?;
        let status = FileStatus::read(&mut r)?;
        let len = r.u64()?;
        // An entry takes at least 9 bytes.
        let mut entries = Vec::with_capacity((len as usize).min(blob.len() / 9));
        for _ in 0..len {
            let entry_len = usize::try_from(r.u64()?).ok()?;
            let entry = r.take(entry_len)?.to_vec();
            entries.push((entry, EntryType::from_code(r.take(1)?[0])?));
        }
        let entries = Arc::new(entries);
        dirs.insert(name.into(), Dir { status, entries });
    }
    if r.at != index_end {
        return None;
    }
    Some(Kept {
        blob: std::sync::RwLock::new(Some(blob)),
        known,
        dirs,
    })
}

/// A name: its length (8 bytes), then as many bytes of UTF-8.
fn read_name<'a>(r: &mut Reader<'a>) -> Option<&'a str> {
    let len = usize::try_from(r.u64()?).ok()?;
    std::str::from_utf8(r.take(len)?).ok()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::path::Path;

    fn later() -> SystemTime {
        SystemTime::now() + Duration::from_secs(3600)
    }

    fn status_of(path: &Path) -> FileStatus {
        FileStatus::of(&std::fs::metadata(path).unwrap()).unwrap()
    }

    /// The status of `path` now, for `recall`.
    fn now(path: &Path) -> impl FnOnce() -> Option<FileStatus> + '_ {
        move || FileStatus::of(&std::fs::metadata(path).ok()?)
    }

    fn kept_from(blob: Vec<u8>) -> FileMemory {
        FileMemory::settled_before(Box::new(move || Some(Box::new(blob) as KeptBytes)), later())
    }

    /// A memory kept from a load that met `files` (name, path, contents or
    /// unread), all settled.
    fn kept(files: &[(&str, &Path, Option<&[u8]>)]) -> Vec<u8> {
        let memory = FileMemory::settled_before(Box::new(|| None), later());
        for (name, path, contents) in files {
            let data = contents.map(FileData::from);
            memory.note(name, status_of(path), data.as_ref());
        }
        memory.update().unwrap()
    }

    #[test]
    fn a_file_whose_status_is_unchanged_is_recalled_with_its_kept_contents() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let big = dir.path().join("big.json");
        std::fs::write(&a, "on disk").unwrap();
        std::fs::write(&big, "{}").unwrap();
        // Kept contents that differ from the file's show which was used.
        let blob = kept(&[("a.yaml", &a, Some(b"kept")), ("big.json", &big, None)]);
        let memory = kept_from(blob.clone());
        assert_eq!(memory.len(), 2);
        match memory.recall("a.yaml", now(&a)) {
            Some(Recalled::Contents(c)) => assert_eq!(&c[..], b"kept"),
            _ => panic!("not recalled"),
        }
        assert!(matches!(
            memory.recall("big.json", now(&big)),
            Some(Recalled::Unread)
        ));
        assert!(memory.recall("other.yaml", now(&a)).is_none());
        // The same files met again: nothing new to keep.
        assert_eq!(memory.update(), None);
        // After the walk, contents are gone: nothing is recalled.
        memory.walked();
        assert!(memory.recall("a.yaml", now(&a)).is_none());
    }

    #[test]
    fn a_changed_file_is_not_recalled_and_its_new_contents_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        std::fs::write(&a, "first").unwrap();
        let blob = kept(&[("a.yaml", &a, Some(b"first"))]);
        // Another size, and a later change time.
        std::fs::write(&a, "second!").unwrap();
        let memory = kept_from(blob);
        assert!(memory.recall("a.yaml", now(&a)).is_none());
        memory.note(
            "a.yaml",
            status_of(&a),
            Some(&FileData::from(&b"second!"[..])),
        );
        let next = kept_from(memory.update().unwrap());
        match next.recall("a.yaml", now(&a)) {
            Some(Recalled::Contents(c)) => assert_eq!(&c[..], b"second!"),
            _ => panic!("not recalled"),
        }
    }

    #[test]
    fn only_the_same_status_recalls_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        std::fs::write(&a, "x").unwrap();
        let real = status_of(&a);
        let variants = [
            FileStatus {
                dev: real.dev ^ 1,
                ..real
            },
            FileStatus {
                ino: real.ino ^ 1,
                ..real
            },
            FileStatus {
                size: real.size + 1,
                ..real
            },
            FileStatus {
                mode: real.mode ^ 0o100,
                ..real
            },
            FileStatus {
                mtime: (real.mtime.0, real.mtime.1 ^ 1),
                ..real
            },
            FileStatus {
                ctime: (real.ctime.0 - 1, real.ctime.1),
                ..real
            },
        ];
        for status in variants {
            let memory = FileMemory::settled_before(Box::new(|| None), later());
            memory.note("a.yaml", status, Some(&FileData::from(&b"x"[..])));
            let memory = kept_from(memory.update().unwrap());
            assert_eq!(memory.len(), 1);
            assert!(memory.recall("a.yaml", now(&a)).is_none(), "{status:?}");
        }
    }

    #[test]
    fn a_directory_listing_is_recalled_while_the_directory_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        let listing: Listing = vec![
            (b"a.yaml".to_vec(), EntryType::File),
            (b"d".to_vec(), EntryType::Dir),
            (b"\xff".to_vec(), EntryType::Other),
        ];
        let first = FileMemory::settled_before(Box::new(|| None), later());
        first.note_dir("sub", status_of(&sub), &Arc::new(listing.clone()));
        let memory = kept_from(first.update().unwrap());
        let recalled = memory.recall_dir("sub", now(&sub)).unwrap();
        assert_eq!(*recalled, listing);
        assert!(memory.recall_dir("other", now(&sub)).is_none());
        assert_eq!(memory.update(), None);
        // An entry added changes the directory's status.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(sub.join("new.yaml"), "x").unwrap();
        let memory = kept_from(first.update().unwrap());
        assert!(memory.recall_dir("sub", now(&sub)).is_none());
    }

    #[test]
    fn status_from_a_directory_is_the_status_from_the_path() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let a = dir.path().join("sub/a.yaml");
        std::fs::write(&a, "x").unwrap();
        std::os::unix::fs::symlink(&a, dir.path().join("link")).unwrap();
        let open = std::fs::File::open(dir.path()).unwrap();
        assert_eq!(FileStatus::at(&open, "sub/a.yaml"), Some(status_of(&a)));
        // Links followed, as the walk follows them.
        assert_eq!(FileStatus::at(&open, "link"), Some(status_of(&a)));
        assert_eq!(FileStatus::at(&open, "missing"), None);
        assert_eq!(FileStatus::at(&open, "nul\0"), None);
    }

    #[test]
    fn files_changed_lately_are_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        std::fs::write(&a, "x").unwrap();
        // Just written: not settled for a load starting now.
        let memory = FileMemory::new(None);
        memory.note("a.yaml", status_of(&a), Some(&FileData::from(&b"x"[..])));
        // Nothing settled, nothing kept before: nothing to write.
        assert_eq!(memory.update(), None);
        // Kept before, changed lately: dropped once, then nothing to write.
        let blob = kept(&[("a.yaml", &a, Some(b"x"))]);
        std::fs::write(&a, "yy").unwrap();
        let memory = FileMemory::later(Box::new(move || Some(Box::new(blob) as KeptBytes)));
        assert!(memory.recall("a.yaml", now(&a)).is_none());
        memory.note("a.yaml", status_of(&a), Some(&FileData::from(&b"yy"[..])));
        let next = memory.update().unwrap();
        let memory = FileMemory::new(Some(next));
        assert!(memory.is_empty());
        memory.note("a.yaml", status_of(&a), Some(&FileData::from(&b"yy"[..])));
        assert_eq!(memory.update(), None);
    }

    #[test]
    fn a_damaged_or_cut_blob_is_ignored_whole() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        std::fs::write(&a, "xyz").unwrap();
        let blob = kept(&[("a.yaml", &a, Some(b"xyz")), ("b", &a, None)]);
        assert_eq!(kept_from(blob.clone()).len(), 2);
        for cut in 0..blob.len() {
            let memory = kept_from(blob[..cut].to_vec());
            assert!(memory.is_empty(), "cut at {cut}");
        }
        // The contents are the last bytes: a change there refuses the file
        // when it is taken; anywhere else, the whole blob.
        let contents_at = blob.len() - 3;
        for i in 0..blob.len() {
            let mut flipped = blob.clone();
            flipped[i] ^= 0x10;
            let memory = kept_from(flipped);
            if i < contents_at {
                assert!(memory.is_empty(), "byte {i}");
            } else {
                assert_eq!(memory.len(), 2);
                assert!(memory.recall("a.yaml", now(&a)).is_none(), "byte {i}");
                assert!(memory.recall("b", now(&a)).is_some());
            }
        }
    }
}
