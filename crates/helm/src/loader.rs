//! Chart loading as helm v4's `pkg/chart/loader` and `pkg/chart/v2/loader`
//! do it: directories (walked in lexical order, following symlinks, with
//! `.helmignore` rules) and `.tgz` archives, `charts/` holding sub-chart
//! directories and archives to any depth, Chart.yaml decoded the way
//! sigs.k8s.io/yaml decodes into helm's `Metadata` struct (numbers into
//! string fields become strings, keys match case-insensitively, the first
//! type error is reported with Go's text) and validated with helm's errors.
//!
//! Errors carry helm's exact message ([`LoadError::message`], also the
//! `Display`), plus the file and, for YAML problems, the line and column
//! ([`LoadError::located`]).

use std::fmt;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chartgen_yaml::{Span, SpannedNode, SpannedValue};
use gotmpl::{MapEntries, Value};

use crate::chart::{Chart, Dependency, File, FileData, Maintainer, Metadata};
use crate::coalesce::Warnings;
use crate::file_memory::{EntryType, FileMemory, FileStatus, Listing, Recalled};
use crate::ignore::Rules;
use crate::prepared_values::{PreparedValues, ValuesStore};

/// helm's `MaxDecompressedChartSize` (100 MiB).
pub const MAX_DECOMPRESSED_CHART_SIZE: u64 = 100 * 1024 * 1024;
/// helm's `MaxDecompressedFileSize` (5 MiB).
pub const MAX_DECOMPRESSED_FILE_SIZE: u64 = 5 * 1024 * 1024;

/// A chart that could not be loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// helm's message (what `helm template` prints after `Error: `).
    pub message: String,
    /// The file at fault, as a path (archive members as `archive.tgz:member`).
    pub file: Option<String>,
    /// Where in that file, when known (1-based line and column).
    pub span: Option<Span>,
}

impl LoadError {
    fn msg(message: impl Into<String>) -> LoadError {
        LoadError {
            message: message.into(),
            file: None,
            span: None,
        }
    }

    fn wrap(mut self, prefix: &str) -> LoadError {
        self.message = format!("{prefix}{}", self.message);
        self
    }

    /// `file:line:col: message` (or as much of the location as is known).
    pub fn located(&self) -> String {
        match (&self.file, self.span) {
            (Some(f), Some(s)) => format!("{f}:{}:{}: {}", s.line, s.column, self.message),
            (Some(f), None) => format!("{f}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LoadError {}

/// A file read from a chart directory or archive (helm's `BufferedFile`).
#[derive(Clone, Debug)]
pub struct BufferedFile {
    pub name: String,
    pub data: FileData,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Go's `os` error texts for an `io::Error`.
fn go_io_error(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "no such file or directory",
        K::PermissionDenied => "permission denied",
        _ => match e.raw_os_error() {
            Some(20) => "not a directory",
            Some(21) => "is a directory",
            Some(40) => "too many levels of symbolic links",
            _ => "input/output error",
        },
    }
}

/// Why Go's `filepath.EvalSymlinks` fails on `path` (which the caller
/// found it cannot resolve): it walks the path a component at a time,
/// following links as it meets them (at most 255), and stops at the first
/// component `lstat` fails on (`lstat <path so far>: …`), at a file with
/// components after it (`not a directory`) or at a link it cannot read.
fn go_walk_symlinks_error(path: &Path) -> String {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let mut rest: Vec<u8> = path.as_os_str().as_bytes().to_vec();
    let mut vol_len = usize::from(rest.first() == Some(&b'/'));
    let mut dest: Vec<u8> = rest[..vol_len].to_vec();
    let mut links = 0;
    let mut end = vol_len;
    while end < rest.len() {
        let mut start = end;
        while start < rest.len() && rest[start] == b'/' {
            start += 1;
        }
        end = start;
        while end < rest.len() && rest[end] != b'/' {
            end += 1;
        }
        let part = &rest[start..end];
        if part.is_empty() {
            break;
        }
        if part == b"." {
            continue;
        }
        if part == b".." {
            let slash = dest[vol_len..].iter().rposition(|&b| b == b'/');
            match slash {
                Some(r) if &dest[vol_len + r + 1..] != b".." => dest.truncate(vol_len + r),
                _ => {
                    if dest.len() > vol_len {
                        dest.push(b'/');
                    }
                    dest.extend_from_slice(b"..");
                }
            }
            continue;
        }
        if !dest.is_empty() && dest.last() != Some(&b'/') {
            dest.push(b'/');
        }
        dest.extend_from_slice(part);
        let at = Path::new(OsStr::from_bytes(&dest));
        let meta = match std::fs::symlink_metadata(at) {
            Ok(m) => m,
            Err(e) => return format!("lstat {}: {}", at.display(), go_io_error(&e)),
        };
        if !meta.file_type().is_symlink() {
            if !meta.is_dir() && end < rest.len() {
                return "not a directory".into();
            }
            continue;
        }
        links += 1;
        if links > 255 {
            return "EvalSymlinks: too many links".into();
        }
        let link = match std::fs::read_link(at) {
            Ok(l) => l.as_os_str().as_bytes().to_vec(),
            Err(e) => return format!("readlink {}: {}", at.display(), go_io_error(&e)),
        };
        let mut next = link.clone();
        next.extend_from_slice(&rest[end..]);
        rest = next;
        if link.first() == Some(&b'/') {
            dest = b"/".to_vec();
            vol_len = 1;
            end = 1;
        } else {
            match dest[vol_len..].iter().rposition(|&b| b == b'/') {
                Some(r) => dest.truncate(vol_len + r),
                None => dest.truncate(vol_len),
            }
            end = 0;
        }
    }
    // Resolved after all (the file appeared meanwhile): what the caller saw.
    "no such file or directory".into()
}

/// Go's `path.Clean`.
pub fn path_clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Abs` (joined with the working directory and cleaned; symlinks kept).
fn abs_path(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    PathBuf::from(path_clean(&joined.to_string_lossy()))
}

/// Loads a chart from a directory or a `.tgz` archive (helm's `loader.Load`).
pub fn load(path: impl AsRef<Path>) -> Result<Chart, LoadError> {
    load_logged(path, &mut Warnings::new())
}

/// [`load`], collecting the log lines helm prints while loading (symlinks followed).
pub fn load_logged(path: impl AsRef<Path>, log: &mut Warnings) -> Result<Chart, LoadError> {
    load_logged_with(path.as_ref(), log, ValuesYaml::Parse)
}

/// When `load_files` parses a chart's values.yaml.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ValuesYaml {
    /// Where it meets the file, as helm does.
    Parse,
    /// Later, in [`Pending::finish`].
    Later,
}

/// A chart loaded but for its values.yaml files (its own and its
/// sub-charts'): what needs only templates and schemas (parsing them) can
/// start while the values are parsed.
pub struct Pending {
    chart: Chart,
    source: Source,
    values_parsed: bool,
}

/// What a [`Pending`] chart was loaded from, to load it again in one pass.
enum Source {
    Path(PathBuf),
    Files(Vec<BufferedFile>, String),
}

impl Pending {
    /// The chart; every `values` is still an empty map.
    pub fn chart(&self) -> &Chart {
        &self.chart
    }

    /// Parses the values files: the chart [`load_logged`] returns.
    pub fn finish(self) -> Result<Chart, LoadError> {
        self.finish_prepared(&[])
    }

    /// [`Pending::finish`], decoding the values files `prepared` holds
    /// (see [`crate::prepared_values`]) instead of parsing them.
    pub fn finish_prepared(self, prepared: PreparedValues) -> Result<Chart, LoadError> {
        self.finish_with(prepared, None)
    }

    /// [`Pending::finish_prepared`], also decoding what `store` kept from
    /// earlier runs (and telling it which files had to be parsed).
    pub fn finish_with(
        mut self,
        prepared: PreparedValues,
        store: Option<&dyn ValuesStore>,
    ) -> Result<Chart, LoadError> {
        if self.values_parsed || parse_pending_values(&mut self.chart, prepared, store).is_ok() {
            return Ok(self.chart);
        }
        // The error, and which error comes first, as the one-pass load has them.
        match self.source {
            Source::Path(path) => load_logged(path, &mut Warnings::new()),
            Source::Files(files, origin) => load_files(files, &origin),
        }
    }
}

/// [`load_logged`] in two steps, the values files left to [`Pending::finish`].
pub fn load_pending(path: impl AsRef<Path>, log: &mut Warnings) -> Result<Pending, LoadError> {
    load_pending_with(path, log, &|_| None)
}

/// The contents of a chart file (by its name in the chart) that was read
/// already, so that the loader need not read it again.
pub type AlreadyRead<'a> = &'a (dyn Fn(&str) -> Option<Arc<[u8]>> + Sync);

/// [`load_pending`], taking the contents of a file `already_read` gives
/// instead of reading it (a file the walk meets, not ignored, that is
/// regular or a link to one): the large schema, read ahead to be prepared
/// while the chart loads, is read only once.
pub fn load_pending_with(
    path: impl AsRef<Path>,
    log: &mut Warnings,
    already_read: AlreadyRead<'_>,
) -> Result<Pending, LoadError> {
    load_pending_remembering(path, log, already_read, None)
}

/// [`load_pending_with`], taking the files of a chart directory that
/// `memory` kept from an earlier load while their status is unchanged, and
/// noting in it what this load read (see [`FileMemory`]).
pub fn load_pending_remembering(
    path: impl AsRef<Path>,
    log: &mut Warnings,
    already_read: AlreadyRead<'_>,
    memory: Option<&FileMemory>,
) -> Result<Pending, LoadError> {
    let path = path.as_ref();
    let source = Source::Path(path.to_path_buf());
    match load_logged_read(path, log, ValuesYaml::Later, already_read, memory) {
        Ok(chart) => Ok(Pending {
            chart,
            source,
            values_parsed: false,
        }),
        // helm meets a values file before some other faults: the one-pass
        // load reports whichever it meets first (its log repeats the walk's).
        Err(_) => load_logged(path, &mut Warnings::new()).map(|chart| Pending {
            chart,
            source,
            values_parsed: true,
        }),
    }
}

/// [`load_files`] in two steps, the values files left to [`Pending::finish`].
pub fn load_files_pending(files: Vec<BufferedFile>, origin: &str) -> Result<Pending, LoadError> {
    let copy = files.clone();
    match load_files_with(files, origin, ValuesYaml::Later, &mut Warnings::new()) {
        Ok(chart) => Ok(Pending {
            chart,
            source: Source::Files(copy, origin.to_string()),
            values_parsed: false,
        }),
        Err(_) => load_files(copy, origin).map(|chart| Pending {
            chart,
            source: Source::Files(Vec::new(), String::new()),
            values_parsed: true,
        }),
    }
}

fn parse_pending_values(
    chart: &mut Chart,
    prepared: PreparedValues,
    store: Option<&dyn ValuesStore>,
) -> Result<(), chartgen_yaml::Error> {
    if let Some(raw) = &chart.raw_values {
        let decoded = crate::prepared_values::values_for(prepared, raw)
            .or_else(|| store.and_then(|s| crate::prepared_values::kept_values(s, raw)));
        chart.values = match decoded {
            Some(values) => values,
            None => {
                let values = load_values(raw)?;
                if let Some(s) = store {
                    s.missed(raw.clone());
                }
                values
            }
        };
    }
    chart
        .dependencies
        .iter_mut()
        .try_for_each(|dep| parse_pending_values(dep, prepared, store))
}

fn load_logged_with(
    path: &Path,
    log: &mut Warnings,
    values: ValuesYaml,
) -> Result<Chart, LoadError> {
    load_logged_read(path, log, values, &|_| None, None)
}

fn load_logged_read(
    path: &Path,
    log: &mut Warnings,
    values: ValuesYaml,
    already_read: AlreadyRead<'_>,
    memory: Option<&FileMemory>,
) -> Result<Chart, LoadError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| LoadError::msg(format!("stat {}: {}", path.display(), go_io_error(&e))))?;
    if meta.is_dir() {
        load_dir_logged(path, log, values, already_read, memory)
    } else {
        load_file_with(path, values, log)
    }
}

/// The first decoding pass of helm's top-level loader: only `apiVersion`,
/// choosing the chart loader (v1, v2 and empty are helm's v2 charts).
/// Gives the parsed document, for the second pass to reuse
/// ([`ChartYamlParsed`]).
fn check_api_version(data: &[u8], file: &str) -> Result<SpannedValue, LoadError> {
    let doc = chartgen_yaml::parse_spanned(data)
        .map_err(|e| yaml_error(&e, file).wrap("cannot load Chart.yaml: "))?;
    let mut dec = Decoder::new(data);
    let mut api = String::new();
    match &doc.node {
        SpannedNode::Null => {}
        SpannedNode::Map(m) => {
            for (k, e) in m {
                if k.eq_ignore_ascii_case("apiVersion") {
                    if let Some(s) = dec.string(&e.value, "chartBase", "apiVersion") {
                        api = s;
                    }
                }
            }
        }
        _ => dec.value_err(&doc, "loader.chartBase"),
    }
    if let Some((msg, span)) = dec.err {
        return Err(LoadError {
            message: format!(
                "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: {msg}"
            ),
            file: Some(file.to_string()),
            span: Some(span),
        });
    }
    match api.as_str() {
        // helm loads v3 charts (with a loader much like v2's) only to refuse
        // to install them (see `action::LoadedChart::from_chart`).
        "v1" | "v2" | "v3" | "" => Ok(doc),
        _ => Err(LoadError {
            message: "unsupported chart version".into(),
            file: Some(file.to_string()),
            span: None,
        }),
    }
}

fn yaml_error(e: &chartgen_yaml::Error, file: &str) -> LoadError {
    LoadError {
        message: e.message().to_string(),
        file: Some(file.to_string()),
        span: e.span(),
    }
}

/// Loads a chart directory (helm's `LoadDir`).
pub fn load_dir(dir: &Path) -> Result<Chart, LoadError> {
    load_dir_logged(
        dir,
        &mut Warnings::new(),
        ValuesYaml::Parse,
        &|_| None,
        None,
    )
}

fn load_dir_logged(
    dir: &Path,
    log: &mut Warnings,
    values: ValuesYaml,
    already_read: AlreadyRead<'_>,
    memory: Option<&FileMemory>,
) -> Result<Chart, LoadError> {
    let topdir = abs_path(dir);
    let chart_yaml = topdir.join("Chart.yaml");
    let data: Arc<[u8]> = std::fs::read(&chart_yaml).map(Arc::from).map_err(|e| {
        // Opening a directory succeeds; Go's ReadFile then fails to read it.
        let op = if e.raw_os_error() == Some(21) {
            "read"
        } else {
            "open"
        };
        LoadError::msg(format!(
            "unable to detect chart at {}: {op} {}: {}",
            chart_yaml.display(),
            chart_yaml.display(),
            go_io_error(&e)
        ))
    })?;
    let doc = check_api_version(&data, &chart_yaml.to_string_lossy())?;

    let mut rules = Rules::empty();
    let ifile = topdir.join(".helmignore");
    if ifile.exists() {
        let text = std::fs::read(&ifile).map_err(|e| {
            LoadError::msg(format!("open {}: {}", ifile.display(), go_io_error(&e)))
        })?;
        rules = Rules::parse(&text).map_err(|m| LoadError {
            message: m,
            file: Some(ifile.to_string_lossy().into_owned()),
            span: None,
        })?;
    }
    rules.add_defaults();

    let top = format!("{}/", topdir.to_string_lossy().trim_end_matches('/'));
    // Chart.yaml as just read, not read again.
    let given = |name: &str| match name {
        "Chart.yaml" => already_read(name).or_else(|| Some(data.clone())),
        _ => already_read(name),
    };
    let files = walk(&top, &rules, log, &given, memory)?;
    let parsed = ChartYamlParsed {
        bytes: &data,
        doc: Some(doc),
        generation: None,
    };
    load_files_parsed(files, &topdir.to_string_lossy(), values, parsed, log)
}

/// The files of the chart directory `top` (ending in `/`) that `rules`
/// keep, in helm's walk order (depth first, names sorted bytewise).
///
/// helm reads each file as its walk meets it, and stops at the first
/// fault. Here one thread lists the directories while another reads the
/// files listed so far (most of the time is in the file system calls);
/// what the reads gave is then taken in walk order, so the first fault in
/// that order is the one reported, and only the symbolic links met before
/// it are logged.
fn walk(
    top: &str,
    rules: &Rules,
    log: &mut Warnings,
    already_read: AlreadyRead<'_>,
    memory: Option<&FileMemory>,
) -> Result<Vec<BufferedFile>, LoadError> {
    let queue = ReadQueue {
        memory: memory.map(|memory| (memory, std::fs::File::open(top).ok())),
        ..ReadQueue::default()
    };
    let mut walker = Walker {
        top,
        rules,
        met: Vec::new(),
        queue: &queue,
        already_read,
    };
    let listed = crate::pool::scope(|scope| {
        let queue = &queue;
        // Also if the listing panics: the second reader stops waiting.
        let _listed = ListingOver(queue);
        let mut second_reader = false;
        let listed = walker.walk_dir(Path::new(top), 0, &mut || {
            if !second_reader && crate::threads() > 1 {
                second_reader = true;
                // (Without a thread, this one reads everything below.)
                let _ = scope.spawn(|| queue.read(true));
            }
        });
        queue.listed();
        queue.read(false);
        listed
    });
    if let Some(memory) = memory {
        memory.walked();
    }
    let mut read = std::mem::take(&mut queue.lock().done);
    let mut files = Vec::with_capacity(read.len());
    for met in walker.met {
        match met {
            Met::Read(slot) => match read[slot].take() {
                Some(Ok(file)) => files.push(file),
                Some(Err(e)) => return Err(e),
                // Every file queued was read once the scope ended (a
                // reader's panic was raised again by the scope).
                None => unreachable!("a queued file was not read"),
            },
            Met::Given(file) => files.push(file),
            Met::Link { path, resolved } => log.info(
                "found symbolic link in path. Contents of linked file included and used",
                &[("path", &path), ("resolved", &resolved)],
            ),
        }
    }
    listed?;
    Ok(files)
}

/// What the walk met, in its order.
enum Met {
    /// A file to read: its slot in the [`ReadQueue`].
    Read(usize),
    /// A file whose contents were given (see [`AlreadyRead`]).
    Given(BufferedFile),
    /// A symbolic link followed (helm logs it as its walk passes it).
    Link { path: String, resolved: String },
}

/// Files the walk listed, read by whichever thread takes each first.
#[derive(Default)]
struct ReadQueue<'m> {
    /// With the chart's directory, open, to look files up from.
    memory: Option<(&'m FileMemory, Option<std::fs::File>)>,
    state: std::sync::Mutex<ReadState>,
    /// Wakes a reader waiting for files to be listed.
    more: std::sync::Condvar,
}

#[derive(Default)]
struct ReadState {
    /// In the order listed; a job is emptied when taken.
    jobs: Vec<ReadJob>,
    /// The first job not taken.
    next: usize,
    /// What reading each job gave.
    done: Vec<Option<Result<BufferedFile, LoadError>>>,
    /// Whether the listing is over (nothing more will be queued).
    listed: bool,
    /// Whether a reader waits on `more`.
    waiting: bool,
}

impl ReadQueue<'_> {
    fn lock(&self) -> std::sync::MutexGuard<'_, ReadState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a file; gives its slot and how many queued files wait for a
    /// reader.
    fn push(&self, job: ReadJob) -> (usize, usize) {
        let mut state = self.lock();
        state.jobs.push(job);
        state.done.push(None);
        if state.waiting {
            self.more.notify_one();
        }
        (state.jobs.len() - 1, state.jobs.len() - state.next)
    }

    fn listed(&self) {
        let mut state = self.lock();
        state.listed = true;
        if state.waiting {
            self.more.notify_all();
        }
    }

    /// Reads queued files until none is left; with `wait`, until the
    /// listing is over too.
    fn read(&self, wait: bool) {
        let mut scratch = Vec::new();
        let mut state = self.lock();
        loop {
            if state.next < state.jobs.len() {
                let slot = state.next;
                state.next += 1;
                let job = std::mem::take(&mut state.jobs[slot]);
                drop(state);
                let read = job.read(&mut scratch, self.memory.as_ref());
                state = self.lock();
                state.done[slot] = Some(read);
            } else if state.listed || !wait {
                return;
            } else {
                state.waiting = true;
                state = self.more.wait(state).unwrap_or_else(|e| e.into_inner());
                state.waiting = false;
            }
        }
    }
}

/// Marks the listing over when dropped.
struct ListingOver<'a, 'm>(&'a ReadQueue<'m>);

impl Drop for ListingOver<'_, '_> {
    fn drop(&mut self) {
        self.0.listed();
    }
}

/// A file to read: its path, its name in the chart, and its size if the
/// walk looked it up.
#[derive(Default)]
struct ReadJob {
    path: PathBuf,
    name: String,
    len: Option<u64>,
}

impl ReadJob {
    /// The file's contents, as helm's walk reads them (`scratch`: see
    /// [`read_all`]), or as `memory` kept them if the file's status is
    /// unchanged (what was read is noted in `memory`).
    fn read(
        self,
        scratch: &mut Vec<u8>,
        memory: Option<&(&FileMemory, Option<std::fs::File>)>,
    ) -> Result<BufferedFile, LoadError> {
        let ReadJob { path, name, len } = self;
        let recalled = memory.and_then(|(memory, top)| {
            memory.recall(&name, || match top {
                Some(top) => FileStatus::at(top, &name),
                None => FileStatus::of(&std::fs::metadata(&path).ok()?),
            })
        });
        let memory = memory.map(|(memory, _)| *memory);
        if let Some(recalled) = recalled {
            let data = match recalled {
                Recalled::Contents(bytes) => FileData::from(bytes),
                Recalled::Unread => FileData::on_disk(path),
            };
            return Ok(BufferedFile { name, data });
        }
        let too_large = || {
            let base = path
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            LoadError::msg(format!(
                "chart file {} is larger than the maximum file size {}",
                gotmpl::strconv::quote(&base),
                MAX_DECOMPRESSED_FILE_SIZE
            ))
        };
        let read_error = |e: std::io::Error| {
            LoadError::msg(format!(
                "error reading {name}: read {}: {}",
                path.display(),
                go_io_error(&e)
            ))
        };
        if len.is_some_and(|len| len > MAX_DECOMPRESSED_FILE_SIZE) {
            return Err(too_large());
        }
        // Opened now, also a file read only when used: one helm could not
        // read fails here too.
        let mut file = std::fs::File::open(&path).map_err(read_error)?;
        // The status from before the read: a change during it moves the
        // change time, so the next load reads the file again.
        let (len, status) = match (len, memory) {
            (Some(len), None) => (len, None),
            _ => {
                let meta = file.metadata().map_err(read_error)?;
                (meta.len(), FileStatus::of(&meta))
            }
        };
        let noted = |data: Option<&FileData>| {
            if let (Some(memory), Some(status)) = (memory, status) {
                memory.note(&name, status, data);
            }
        };
        if len > MAX_DECOMPRESSED_FILE_SIZE {
            return Err(too_large());
        }
        if read_on_use(&name) && len > READ_ON_USE_MIN_SIZE {
            noted(None);
            return Ok(BufferedFile {
                data: FileData::on_disk(path),
                name,
            });
        }
        // Straight into a buffer of its size (no copy), unless the file
        // changed size since it was looked at.
        if let Some(bytes) = read_sized(&mut file, len as usize).map_err(read_error)? {
            let data = match bytes.strip_prefix(BOM) {
                Some(rest) => FileData::from(rest),
                None => FileData::from(bytes),
            };
            noted(Some(&data));
            return Ok(BufferedFile { name, data });
        }
        file.rewind().map_err(read_error)?;
        let data = read_all(&mut file, scratch).map_err(read_error)?;
        if data.len() as u64 > MAX_DECOMPRESSED_FILE_SIZE {
            return Err(too_large());
        }
        let data = FileData::from(data.strip_prefix(BOM).unwrap_or(data));
        Ok(BufferedFile { name, data })
    }
}

struct Walker<'a> {
    top: &'a str,
    rules: &'a Rules,
    met: Vec<Met>,
    queue: &'a ReadQueue<'a>,
    already_read: AlreadyRead<'a>,
}

/// Queued files waiting for a reader before the walk asks for a second
/// reader (the thread costs more than a few small reads).
const SECOND_READER_AT: usize = 8;

/// What a directory entry is, as far as the walk needs to know.
enum EntryKind {
    Dir,
    /// A regular file, with its size if it was looked up.
    File(Option<u64>),
    Other,
}

impl EntryKind {
    fn of(meta: &std::fs::Metadata) -> EntryKind {
        if meta.is_dir() {
            EntryKind::Dir
        } else if meta.is_file() {
            EntryKind::File(Some(meta.len()))
        } else {
            EntryKind::Other
        }
    }
}

/// Called when files wait to be read.
type OnQueued<'f> = dyn FnMut() + 'f;

impl Walker<'_> {
    fn walk_dir(
        &mut self,
        dir: &Path,
        depth: usize,
        on_queued: &mut OnQueued<'_>,
    ) -> Result<(), LoadError> {
        if depth > 64 {
            return Err(LoadError::msg(format!(
                "error walking {}: too many levels of symbolic links",
                dir.display()
            )));
        }
        let entries = self.list(dir)?;
        for (name, entry_type) in entries.iter() {
            use std::os::unix::ffi::OsStrExt;
            let path = dir.join(std::ffi::OsStr::from_bytes(name));
            let kind = match entry_type {
                EntryType::Dir => EntryKind::Dir,
                EntryType::File => EntryKind::File(None),
                EntryType::Other => EntryKind::of(&self.follow(&path)?),
            };
            self.visit(path, kind, depth, on_queued)?;
        }
        Ok(())
    }

    /// The entries of `dir`, sorted by name, with the type the directory
    /// listing gives (no `lstat` per entry where the file system reports
    /// it); the listing the memory kept if the directory is unchanged.
    fn list(&self, dir: &Path) -> Result<Arc<Listing>, LoadError> {
        let full = dir.to_string_lossy();
        let name = full.strip_prefix(self.top).unwrap_or(&full);
        let memory = self.queue.memory.as_ref();
        let status = |memory: &(&FileMemory, Option<std::fs::File>)| match &memory.1 {
            Some(top) => FileStatus::at(top, if name.is_empty() { "." } else { name }),
            None => FileStatus::of(&std::fs::metadata(dir).ok()?),
        };
        if let Some(listing) = memory.and_then(|m| m.0.recall_dir(name, || status(m))) {
            return Ok(listing);
        }
        // Looked at before the listing: an entry added meanwhile changes it.
        let before = memory.and_then(status);
        let rd = std::fs::read_dir(dir)
            .map_err(|e| LoadError::msg(format!("open {}: {}", dir.display(), go_io_error(&e))))?;
        let mut entries = Listing::new();
        for ent in rd {
            let ent = ent.map_err(|e| {
                LoadError::msg(format!("readdirent {}: {}", dir.display(), go_io_error(&e)))
            })?;
            use std::os::unix::ffi::OsStrExt;
            let entry_type = match ent.file_type() {
                Ok(t) if t.is_dir() => EntryType::Dir,
                Ok(t) if t.is_file() => EntryType::File,
                _ => EntryType::Other,
            };
            entries.push((ent.file_name().as_bytes().to_vec(), entry_type));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let entries = Arc::new(entries);
        if let (Some(memory), Some(status)) = (memory, before) {
            memory.0.note_dir(name, status, &entries);
        }
        Ok(entries)
    }

    /// What `path` is, following a symbolic link (as helm's walk does,
    /// logging it).
    fn follow(&mut self, path: &Path) -> Result<std::fs::Metadata, LoadError> {
        let lmeta = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) => {
                return Err(LoadError::msg(format!(
                    "lstat {}: {}",
                    path.display(),
                    go_io_error(&e)
                )))
            }
        };
        if !lmeta.file_type().is_symlink() {
            return Ok(lmeta);
        }
        match std::fs::metadata(path) {
            Ok(m) => {
                let resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                self.met.push(Met::Link {
                    path: path.to_string_lossy().into_owned(),
                    resolved: resolved.to_string_lossy().into_owned(),
                });
                Ok(m)
            }
            Err(_) => Err(LoadError::msg(format!(
                "error evaluating symlink {}: {}",
                path.display(),
                go_walk_symlinks_error(path)
            ))),
        }
    }

    fn visit(
        &mut self,
        path: PathBuf,
        kind: EntryKind,
        depth: usize,
        on_queued: &mut OnQueued<'_>,
    ) -> Result<(), LoadError> {
        let full = path.to_string_lossy();
        let name = full.strip_prefix(self.top).unwrap_or(&full).to_string();
        if name.is_empty() {
            return Ok(());
        }
        let len = match kind {
            EntryKind::Dir => {
                if self.rules.ignore(&name, true) {
                    return Ok(());
                }
                return self.walk_dir(&path, depth + 1, on_queued);
            }
            _ if self.rules.ignore(&name, false) => return Ok(()),
            EntryKind::Other => {
                return Err(LoadError::msg(format!(
                    "cannot load irregular file {full} as it has file mode type bits set"
                )))
            }
            EntryKind::File(len) => len,
        };
        if let Some(bytes) = (self.already_read)(&name) {
            if bytes.len() as u64 <= MAX_DECOMPRESSED_FILE_SIZE && !bytes.starts_with(BOM) {
                self.met.push(Met::Given(BufferedFile {
                    name,
                    data: FileData::from(bytes),
                }));
                return Ok(());
            }
        }
        let (slot, waiting) = self.queue.push(ReadJob { path, name, len });
        self.met.push(Met::Read(slot));
        if waiting >= SECOND_READER_AT {
            on_queued();
        }
        Ok(())
    }
}
/// The whole of `file` (or, past [`MAX_DECOMPRESSED_FILE_SIZE`], its first
/// bytes beyond that limit), read into `scratch`, which keeps its size for
/// the next file: no `stat` first, and no buffer to zero per file.
fn read_all<'s>(file: &mut std::fs::File, scratch: &'s mut Vec<u8>) -> std::io::Result<&'s [u8]> {
    const FIRST: usize = 256 << 10;
    if scratch.len() < FIRST {
        scratch.resize(FIRST, 0);
    }
    let mut filled = 0;
    loop {
        if filled == scratch.len() {
            if filled as u64 > MAX_DECOMPRESSED_FILE_SIZE {
                break;
            }
            scratch.resize(scratch.len() * 2, 0);
        }
        match file.read(&mut scratch[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(&scratch[..filled])
}

/// Reads a whole file into one shared buffer of the size `stat` gave, so
/// that sharing it (template texts, values, schemas) needs no copy.
pub fn read_shared(path: &Path, len: u64) -> std::io::Result<Arc<[u8]>> {
    let mut file = std::fs::File::open(path)?;
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    if len <= MAX_DECOMPRESSED_FILE_SIZE as usize {
        if let Some(buf) = read_sized(&mut file, len)? {
            return Ok(buf);
        }
    }
    // Larger, or it changed size since it was looked at: read what it is now.
    Ok(std::fs::read(path)?.into())
}

/// The whole of `file`, read from where it stands into a new shared buffer
/// of `len` bytes (not zeroed first); `None` if it does not hold exactly
/// `len` more bytes (it changed size since it was looked at), the position
/// then unknown.
///
/// Each read also asks for one byte more, into a spare byte: a read that
/// fills the buffer but not that byte has met the end of the file, which
/// spares a last read to find it (the reads of a chart's files are a large
/// share of loading it).
fn read_sized(file: &mut std::fs::File, len: usize) -> std::io::Result<Option<Arc<[u8]>>> {
    let mut buf = Arc::<[u8]>::new_uninit_slice(len);
    let slot = Arc::get_mut(&mut buf).expect("a new buffer is not shared");
    let mut filled = 0;
    loop {
        let mut spare = [0u8];
        let wanted = len - filled;
        let n = match read_uninit(file, &mut slot[filled..], &mut spare) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n > wanted {
            // Longer than `len`.
            return Ok(None);
        }
        filled += n;
        if n == 0 || filled == len {
            // The end of the file: where it was expected, or before.
            break;
        }
    }
    if filled < len {
        return Ok(None);
    }
    // SAFETY: every byte was written by a read above.
    Ok(Some(unsafe { buf.assume_init() }))
}

/// One read into `buf`, whose bytes need not be initialised, then `spare`;
/// gives how many bytes it wrote in all (from the start of `buf`).
#[cfg(unix)]
fn read_uninit(
    file: &mut std::fs::File,
    buf: &mut [std::mem::MaybeUninit<u8>],
    spare: &mut [u8; 1],
) -> std::io::Result<usize> {
    use std::os::fd::AsRawFd;
    let parts = [
        libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        },
        libc::iovec {
            iov_base: spare.as_mut_ptr().cast(),
            iov_len: 1,
        },
    ];
    // SAFETY: both parts are writable memory of the lengths given, which
    // `readv` writes at most; uninitialised bytes are fine to write over.
    let n = unsafe { libc::readv(file.as_raw_fd(), parts.as_ptr(), 2) };
    if n < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(n as usize)
}

#[cfg(not(unix))]
fn read_uninit(
    file: &mut std::fs::File,
    buf: &mut [std::mem::MaybeUninit<u8>],
    spare: &mut [u8; 1],
) -> std::io::Result<usize> {
    let mut chunk = vec![0u8; buf.len().min(1 << 20) + 1];
    let n = file.read(&mut chunk)?;
    let into_buf = n.min(buf.len());
    for (slot, byte) in buf.iter_mut().zip(&chunk[..into_buf]) {
        slot.write(*byte);
    }
    if n > buf.len() {
        spare[0] = chunk[buf.len()];
    }
    Ok(n)
}

/// Files of a chart directory larger than this, which the loader itself
/// never reads, are read when first used (see [`FileData`]).
const READ_ON_USE_MIN_SIZE: u64 = 16 << 10;

/// Whether the loader can leave a file unread: not a template, nor a file it
/// decodes (Chart.yaml, values, schema, lock and requirements files), nor a
/// sub-chart archive. Reading any of these on use would still be correct,
/// only later.
fn read_on_use(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    !(name.starts_with("templates/")
        || name.contains("/templates/")
        || base.ends_with(".tgz")
        || matches!(
            base,
            "Chart.yaml"
                | "values.yaml"
                | "values.schema.json"
                | "Chart.lock"
                | "requirements.yaml"
                | "requirements.lock"
        ))
}

/// Loads a chart archive file (helm's `LoadFile`).
pub fn load_file(path: &Path) -> Result<Chart, LoadError> {
    load_file_with(path, ValuesYaml::Parse, &mut Warnings::new())
}

fn load_file_with(path: &Path, values: ValuesYaml, log: &mut Warnings) -> Result<Chart, LoadError> {
    let name = path.to_string_lossy().into_owned();
    let raw = std::fs::read(path)
        .map_err(|e| LoadError::msg(format!("open {name}: {}", go_io_error(&e))))?;
    ensure_archive(&name, &raw)?;
    // helm's top-level `LoadFile` keeps only a gzip header error's details.
    let files = load_archive_files_kept(&raw).map_err(|e| {
        if e.message == "gzip: invalid header" {
            LoadError::msg(format!(
                "file '{name}' does not appear to be a valid chart file (details: {})",
                e.message
            ))
        } else {
            LoadError::msg("unable to load chart archive")
        }
    })?;
    let Some(cy) = files.iter().find(|f| f.name == "Chart.yaml") else {
        return Err(LoadError::msg(
            "unable to detect chart version, no Chart.yaml found",
        ));
    };
    let doc = check_api_version(&cy.data, &format!("{name}:Chart.yaml"))?;
    let bytes = cy.data.to_shared();
    let parsed = ChartYamlParsed {
        bytes: &bytes,
        doc: Some(doc),
        generation: None,
    };
    load_files_parsed(files, &name, values, parsed, log)
}

/// A top-level Chart.yaml parsed already (by helm's first pass, which
/// reads only `apiVersion`), for the second pass to decode without parsing
/// it again: used only for a Chart.yaml with these very bytes.
struct ChartYamlParsed<'a> {
    bytes: &'a [u8],
    doc: Option<SpannedValue>,
    /// The loader a parent chart was loaded by (`None` for a top chart).
    generation: Option<LoaderGeneration>,
}

/// Loads a chart from the bytes of a `.tgz` (helm's `LoadArchive`).
pub fn load_archive(data: &[u8]) -> Result<Chart, LoadError> {
    let files = load_archive_files(data)?;
    load_files(files, "<archive>")
}

/// helm's `EnsureArchive`: a readable hint when the file is not gzip.
fn ensure_archive(name: &str, raw: &[u8]) -> Result<(), LoadError> {
    // Go sniffs a zero-padded 512-byte buffer.
    let mut buf = raw[..raw.len().min(512)].to_vec();
    buf.resize(512, 0);
    let head = &buf[..];
    if head.starts_with(b"\x1F\x8B\x08") {
        return Ok(());
    }
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        return Err(LoadError::msg(format!(
            "file '{name}' seems to be a YAML file, but expected a gzipped archive"
        )));
    }
    Err(LoadError::msg(format!(
        "file '{name}' does not appear to be a gzipped archive; got '{}'",
        detect_content_type(head)
    )))
}

/// A small part of Go's `http.DetectContentType`, enough for the usual mistakes.
fn detect_content_type(data: &[u8]) -> &'static str {
    if data.is_empty() {
        return "text/plain; charset=utf-8";
    }
    if data.starts_with(b"PK\x03\x04") {
        return "application/zip";
    }
    if data.starts_with(b"\x1F\x8B\x08") {
        return "application/x-gzip";
    }
    if data.starts_with(b"%PDF-") {
        return "application/pdf";
    }
    let binary = data.iter().any(|&b| {
        b <= 0x08 || b == 0x0B || (0x0E..=0x1A).contains(&b) || (0x1C..=0x1F).contains(&b)
    });
    if binary {
        "application/octet-stream"
    } else {
        "text/plain; charset=utf-8"
    }
}

/// Go's tar header type flags that carry no file.
const TYPE_DIR: u8 = b'5';

/// A tar stream in memory whose padding and unread data the tar reader
/// skips by moving, rather than by reading into a zeroed 32 KiB buffer at
/// every entry. Skipping past the end fails as reading would.
struct SkippingSlice<'a>(std::io::Cursor<&'a [u8]>);

impl Read for SkippingSlice<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl std::io::Seek for SkippingSlice<'_> {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        let len = self.0.get_ref().len() as u64;
        let target = match pos {
            std::io::SeekFrom::Current(n) => self.0.position().checked_add_signed(n),
            std::io::SeekFrom::Start(n) => Some(n),
            std::io::SeekFrom::End(n) => len.checked_add_signed(n),
        };
        match target {
            Some(t) if t <= len => {
                self.0.set_position(t);
                Ok(t)
            }
            _ => {
                // Where a read would have stopped: at the end.
                self.0.set_position(len);
                Err(std::io::Error::other("unexpected EOF during skip"))
            }
        }
    }
}

/// The most a chart archive's own gzip trailer may make [`load_archive_files`]
/// reserve before decompressing.
const ARCHIVE_SIZE_HINT_MAX: usize = 16 << 20;

/// helm's `LoadArchiveFiles`: gunzip, untar, strip the top directory, and
/// reject unsafe paths.
pub fn load_archive_files(data: &[u8]) -> Result<Vec<BufferedFile>, LoadError> {
    if data.len() < 10 || data[0] != 0x1F || data[1] != 0x8B {
        // Go's `io.ReadFull` of the 10-byte header: nothing read is EOF.
        return Err(LoadError::msg(if data.is_empty() {
            "EOF"
        } else if data.len() < 10 {
            "unexpected EOF"
        } else {
            "gzip: invalid header"
        }));
    }
    let mut gz = flate2::read::MultiGzDecoder::new(data);
    let limit = MAX_DECOMPRESSED_CHART_SIZE + 1024 * 1024;
    // The gzip trailer's size field (the last member's size, modulo 2^32)
    // sizes the buffer at once, rather than by doubling and copying. It is
    // only a hint: an archive may lie, so it is capped.
    let trailer_size = u32::from_le_bytes(data[data.len() - 4..].try_into().expect("4 bytes"));
    let mut tarball = Vec::with_capacity((trailer_size as usize).min(ARCHIVE_SIZE_HINT_MAX) + 1);
    // Go reads the tar stream lazily: a bad checksum in the gzip trailer, or
    // a cut after the last entry, goes unnoticed; a gzip error only surfaces
    // when the tar reader needs bytes that are not there.
    let gz_err = (&mut gz)
        .take(limit)
        .read_to_end(&mut tarball)
        .err()
        .map(|e| LoadError::msg(format!("gzip: {e}")));
    let tar_err = |e: std::io::Error| {
        gz_err
            .clone()
            .unwrap_or_else(|| LoadError::msg(format!("archive/tar: {e}")))
    };
    let mut archive = tar::Archive::new(SkippingSlice(std::io::Cursor::new(&tarball[..])));
    let entries = archive.entries_with_seek().map_err(tar_err)?;
    let mut files = Vec::new();
    let mut remaining = MAX_DECOMPRESSED_CHART_SIZE as i64;
    for entry in entries {
        let mut entry = entry.map_err(tar_err)?;
        let typeflag = entry.header().entry_type().as_byte();
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        // Go's reader turns an old-style regular entry named `x/` into a directory.
        let is_dir = typeflag == TYPE_DIR || (typeflag == 0 && raw_name.ends_with('/'));
        if is_dir {
            continue;
        }
        if matches!(typeflag, b'g' | b'x') {
            continue;
        }
        let delim = if raw_name.contains('\\') { '\\' } else { '/' };
        let parts: Vec<&str> = raw_name.split(delim).collect();
        let n = parts[1..].join(&delim.to_string()).replace(delim, "/");
        if n.starts_with('/') {
            return Err(LoadError::msg("chart illegally contains absolute paths"));
        }
        let n = path_clean(&n);
        if n == "." {
            return Err(LoadError::msg(format!(
                "chart illegally contains content outside the base directory: {}",
                gotmpl::strconv::quote(&raw_name)
            )));
        }
        if n.starts_with("..") {
            return Err(LoadError::msg(
                "chart illegally references parent directory",
            ));
        }
        let nb = n.as_bytes();
        if nb.len() >= 3 && nb[0].is_ascii_alphabetic() && nb[1] == b':' && nb[2] == b'/' {
            return Err(LoadError::msg("chart contains illegally named files"));
        }
        if parts[0] == "Chart.yaml" {
            return Err(LoadError::msg("chart yaml not in base directory"));
        }
        let size = entry.header().size().unwrap_or(0) as i64;
        if size > remaining {
            return Err(LoadError::msg(format!(
                "decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"
            )));
        }
        if size > MAX_DECOMPRESSED_FILE_SIZE as i64 {
            return Err(LoadError::msg(format!(
                "decompressed chart file {} is larger than the maximum file size {}",
                gotmpl::strconv::quote(&raw_name),
                MAX_DECOMPRESSED_FILE_SIZE
            )));
        }
        // `size` is at most MAX_DECOMPRESSED_FILE_SIZE (checked above); one
        // more byte lets read_to_end see the end without growing.
        let mut buf = Vec::with_capacity(size.max(0) as usize + 1);
        entry.read_to_end(&mut buf).map_err(tar_err)?;
        if let (Some(e), true) = (&gz_err, (buf.len() as i64) < size) {
            return Err(e.clone());
        }
        remaining -= buf.len() as i64;
        if (buf.len() as i64) < size || remaining <= 0 {
            return Err(LoadError::msg(format!(
                "decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}"
            )));
        }
        let data = match buf.strip_prefix(BOM) {
            Some(d) => d.into(),
            None => buf.into(),
        };
        files.push(BufferedFile { name: n, data });
    }
    if files.is_empty() {
        return Err(LoadError::msg("no files in chart archive"));
    }
    Ok(files)
}

/// Expanded chart archives kept between processes (a cache directory): what
/// [`prepare_archive`] made of an archive, offered again for its bytes.
/// A kept form is used only for the very archive it was made from (its
/// length and 128-bit hash, checked when read), so a stale or damaged one
/// is ignored.
pub trait ArchiveStore: Send + Sync {
    /// What was kept for an archive with these bytes, if anything.
    fn load(&self, archive: &[u8]) -> Option<Vec<u8>>;
    /// `archive` was expanded from scratch: the store may keep
    /// [`prepare_archive`]`(archive)` for the next run.
    fn missed(&self, archive: Arc<[u8]>);
}

static ARCHIVE_STORE: std::sync::OnceLock<Arc<dyn ArchiveStore>> = std::sync::OnceLock::new();

/// Keeps expanded archives in `store` for the rest of the process (the
/// first store given stays). Without one, every archive is expanded.
pub fn keep_archives_in(store: Arc<dyn ArchiveStore>) {
    let _ = ARCHIVE_STORE.set(store);
}

const KEPT_ARCHIVE_MAGIC: &[u8; 8] = b"cgtgz\x001\n";

/// What [`load_archive_files`] gives for `archive`, as bytes to keep (none
/// for an archive that fails: its error is made again each time).
pub fn prepare_archive(archive: &[u8]) -> Option<Vec<u8>> {
    let files = load_archive_files(archive).ok()?;
    let mut out = Vec::with_capacity(
        48 + files
            .iter()
            .map(|f| 8 + f.name.len() + f.data.len())
            .sum::<usize>(),
    );
    out.extend_from_slice(KEPT_ARCHIVE_MAGIC);
    out.extend_from_slice(&xxhash_rust::xxh3::xxh3_128(archive).to_le_bytes());
    out.extend_from_slice(&(archive.len() as u64).to_le_bytes());
    out.extend_from_slice(&u32::try_from(files.len()).ok()?.to_le_bytes());
    for f in &files {
        out.extend_from_slice(&u32::try_from(f.name.len()).ok()?.to_le_bytes());
        out.extend_from_slice(f.name.as_bytes());
        out.extend_from_slice(&u32::try_from(f.data.len()).ok()?.to_le_bytes());
        out.extend_from_slice(&f.data);
    }
    Some(out)
}

/// The files `kept` holds, if [`prepare_archive`] made it of `archive`.
fn kept_archive_files(kept: &[u8], archive: &[u8]) -> Option<Vec<BufferedFile>> {
    let mut rest = kept.strip_prefix(KEPT_ARCHIVE_MAGIC.as_slice())?;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = rest.split_at_checked(n)?;
        rest = tail;
        Some(head)
    };
    let hash = u128::from_le_bytes(take(16)?.try_into().ok()?);
    let len = u64::from_le_bytes(take(8)?.try_into().ok()?);
    if len != archive.len() as u64 || hash != xxhash_rust::xxh3::xxh3_128(archive) {
        return None;
    }
    let count = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
    // Each file takes at least 8 bytes: no allocation beyond the blob's size.
    let mut files = Vec::with_capacity(count.min(kept.len() / 8));
    for _ in 0..count {
        let name_len = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        let name = std::str::from_utf8(take(name_len)?).ok()?.to_string();
        let data_len = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        let data = FileData::from(take(data_len)?);
        files.push(BufferedFile { name, data });
    }
    (rest.is_empty() && !files.is_empty()).then_some(files)
}

/// [`load_archive_files`], through the store given to [`keep_archives_in`]
/// if any: an archive expanded by an earlier run is not inflated again.
fn load_archive_files_kept(archive: &[u8]) -> Result<Vec<BufferedFile>, LoadError> {
    let Some(store) = ARCHIVE_STORE.get() else {
        return load_archive_files(archive);
    };
    if let Some(files) = store
        .load(archive)
        .and_then(|kept| kept_archive_files(&kept, archive))
    {
        return Ok(files);
    }
    let files = load_archive_files(archive)?;
    store.missed(Arc::from(archive));
    Ok(files)
}

/// helm's `LoadValues`: documents split on `---`, deep-merged.
pub fn load_values(data: &[u8]) -> Result<Value, chartgen_yaml::Error> {
    chartgen_yaml::parse_values(data)
}

fn file_label(origin: &str, name: &str) -> String {
    if origin.ends_with(".tgz") || origin == "<archive>" || origin.contains(".tgz:") {
        format!("{origin}:{name}")
    } else {
        format!("{origin}/{name}")
    }
}

/// helm's `LoadFiles`: builds a chart (and, recursively, its sub-charts)
/// from its files. `origin` is only used to name files in errors.
pub fn load_files(files: Vec<BufferedFile>, origin: &str) -> Result<Chart, LoadError> {
    load_files_with(files, origin, ValuesYaml::Parse, &mut Warnings::new())
}

fn load_files_with(
    files: Vec<BufferedFile>,
    origin: &str,
    values: ValuesYaml,
    log: &mut Warnings,
) -> Result<Chart, LoadError> {
    load_files_by(files, origin, values, None, log)
}

/// [`load_files_with`] by the loader `generation` of a parent chart (`None`:
/// chosen by this chart's own apiVersion).
fn load_files_by(
    files: Vec<BufferedFile>,
    origin: &str,
    values: ValuesYaml,
    generation: Option<LoaderGeneration>,
    log: &mut Warnings,
) -> Result<Chart, LoadError> {
    let parsed = ChartYamlParsed {
        bytes: &[],
        doc: None,
        generation,
    };
    load_files_parsed(files, origin, values, parsed, log)
}

/// helm 4 has two chart loaders, chosen by the top chart's apiVersion,
/// which load its sub-charts too, whatever theirs: v2's (apiVersion v1, v2
/// or none) and v3's, which defaults a missing apiVersion to v3 and takes
/// `requirements.yaml` and `requirements.lock` for plain files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LoaderGeneration {
    V2,
    V3,
}

impl LoaderGeneration {
    /// The Go package of its chart structs.
    fn package(self) -> &'static str {
        match self {
            LoaderGeneration::V2 => "v2",
            LoaderGeneration::V3 => "v3",
        }
    }
}

/// Chart.yaml's `apiVersion` when it is a string (Go's JSON decoding: the
/// last key naming the field wins).
fn api_version_of(doc: &SpannedValue) -> Option<&str> {
    let SpannedNode::Map(m) = &doc.node else {
        return None;
    };
    m.iter()
        .rev()
        .find(|(k, _)| match_field(k, METADATA_FIELDS) == Some("apiVersion"))
        .and_then(|(_, e)| match &e.value.node {
            SpannedNode::String(s) => Some(s.as_str()),
            _ => None,
        })
}

fn load_files_parsed(
    files: Vec<BufferedFile>,
    origin: &str,
    values: ValuesYaml,
    mut parsed: ChartYamlParsed<'_>,
    log: &mut Warnings,
) -> Result<Chart, LoadError> {
    let mut c = Chart {
        values: Value::map(MapEntries::new()),
        ..Default::default()
    };
    let mut metadata: Option<RawMetadata> = None;
    let mut generation = parsed.generation;
    for f in &files {
        if f.name == "Chart.yaml" {
            let label = file_label(origin, "Chart.yaml");
            let doc = match parsed.doc.take() {
                Some(doc) if *f.data == *parsed.bytes => doc,
                _ => chartgen_yaml::parse_spanned(&f.data)
                    .map_err(|e| yaml_error(&e, &label).wrap("cannot load Chart.yaml: "))?,
            };
            // A top chart's loader is chosen by its apiVersion alone (helm
            // reads it first, into a struct of that one field).
            let generation = *generation.get_or_insert_with(|| match api_version_of(&doc) {
                Some("v3") => LoaderGeneration::V3,
                _ => LoaderGeneration::V2,
            });
            let mut raw = decode_metadata_onto(
                RawMetadata::default(),
                &f.data,
                &doc,
                &label,
                "Chart.yaml",
                generation,
            )?;
            if raw.md.api_version.is_empty() {
                raw.md.api_version = match generation {
                    LoaderGeneration::V2 => "v1",
                    LoaderGeneration::V3 => "v3",
                }
                .into();
            }
            metadata = Some(raw);
        }
    }
    let generation = generation.unwrap_or(LoaderGeneration::V2);
    let is_v1 = |m: &Option<RawMetadata>| m.as_ref().is_some_and(|m| m.md.api_version == "v1");
    let mut subcharts: Vec<(String, Vec<BufferedFile>)> = Vec::new();
    for f in files {
        let name = f.name.clone();
        match name.as_str() {
            "Chart.yaml" => continue,
            "Chart.lock" => {
                check_lock(&f.data, &file_label(origin, &name), &name, generation)?;
                c.raw_lock = Some(f.data.to_shared());
            }
            "requirements.lock" if generation == LoaderGeneration::V2 => {
                check_lock(&f.data, &file_label(origin, &name), &name, generation)?;
                c.raw_lock = Some(f.data.to_shared());
                let md = metadata.get_or_insert_with(RawMetadata::default);
                if md.md.api_version != "v1" {
                    log.info(
                        "Warning: Dependency locking is handled in Chart.lock since apiVersion \"v2\". We recommend migrating to Chart.lock.",
                        &[],
                    );
                }
                if is_v1(&metadata) {
                    c.files.push(to_file(f));
                }
            }
            "values.yaml" => {
                if values == ValuesYaml::Parse {
                    let label = file_label(origin, "values.yaml");
                    c.values = load_values(&f.data)
                        .map_err(|e| yaml_error(&e, &label).wrap("cannot load values.yaml: "))?;
                }
                c.raw_values = Some(f.data.to_shared());
            }
            "values.schema.json" => c.schema = Some(f.data.to_shared()),
            // Decoded over Chart.yaml's metadata, every field (helm's
            // loader unmarshals the whole file into it).
            "requirements.yaml" if generation == LoaderGeneration::V2 => {
                let md = metadata.take().unwrap_or_default();
                if md.md.api_version != "v1" {
                    log.info(
                        "Warning: Dependencies are handled in Chart.yaml since apiVersion \"v2\". We recommend migrating dependencies to Chart.yaml.",
                        &[],
                    );
                }
                let label = file_label(origin, &name);
                let doc = chartgen_yaml::parse_spanned(&f.data)
                    .map_err(|e| yaml_error(&e, &label).wrap("cannot load requirements.yaml: "))?;
                metadata = Some(decode_metadata_onto(
                    md,
                    &f.data,
                    &doc,
                    &label,
                    "requirements.yaml",
                    generation,
                )?);
                if is_v1(&metadata) {
                    c.files.push(to_file(f));
                }
            }
            n if n.starts_with("templates/") => c.templates.push(to_file(f)),
            n if n.starts_with("charts/") => {
                if n.rsplit('/')
                    .next()
                    .is_some_and(|b| b.rfind('.').is_some_and(|i| &b[i..] == ".prov"))
                {
                    c.files.push(to_file(f));
                    continue;
                }
                let fname = n["charts/".len()..].to_string();
                let cname = fname.split('/').next().unwrap_or("").to_string();
                let bf = BufferedFile {
                    name: fname,
                    data: f.data,
                };
                match subcharts.iter_mut().find(|(k, _)| *k == cname) {
                    Some((_, v)) => v.push(bf),
                    None => subcharts.push((cname, vec![bf])),
                }
            }
            _ => c.files.push(to_file(f)),
        }
    }
    let Some(RawMetadata {
        mut md,
        null_maintainer,
        null_dependency,
    }) = metadata
    else {
        return Err(LoadError::msg("Chart.yaml file is missing"));
    };
    validate_metadata(&mut md, null_maintainer, null_dependency).map_err(|m| LoadError {
        message: format!("validation: {m}"),
        file: Some(file_label(origin, "Chart.yaml")),
        span: None,
    })?;
    c.metadata = md;
    let chart_name = c.metadata.name.clone();

    subcharts.sort_by(|a, b| a.0.cmp(&b.0));
    for (n, files) in subcharts {
        if n.starts_with('_') || n.starts_with('.') {
            continue;
        }
        let sub_origin = format!("{origin}/charts/{n}");
        let sc = if n.rfind('.').is_some_and(|i| &n[i..] == ".tgz") {
            let file = &files[0];
            if file.name != n {
                return Err(LoadError::msg(format!(
                    "error unpacking subchart tar in {chart_name}: expected {n}, got {}",
                    file.name
                )));
            }
            load_archive_files_kept(&file.data)
                .and_then(|fs| load_files_by(fs, &sub_origin, values, Some(generation), log))
        } else {
            let buff: Vec<BufferedFile> = files
                .into_iter()
                .filter_map(|f| {
                    f.name.split_once('/').map(|(_, rest)| BufferedFile {
                        name: rest.to_string(),
                        data: f.data,
                    })
                })
                .collect();
            load_files_by(buff, &sub_origin, values, Some(generation), log)
        };
        match sc {
            Ok(sc) => c.dependencies.push(sc),
            Err(e) => {
                return Err(e.wrap(&format!("error unpacking subchart {n} in {chart_name}: ")))
            }
        }
    }
    Ok(c)
}

fn to_file(f: BufferedFile) -> File {
    File {
        name: f.name,
        data: f.data,
    }
}

// ---------------------------------------------------------------------------
// Chart.yaml decoding (sigs.k8s.io/yaml into helm's structs).

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`.
fn format_float32(f: f64) -> String {
    gotmpl::strconv::format_float(f, b'g', -1, 32)
}

/// sigs.k8s.io/yaml's scalar-to-string coercion for string targets, from
/// the float alone: what [`Decoder::number_string`] falls back to should a
/// number's span not be found (integral floats print as integers, which
/// differs from helm only past 2^24 or 10^15).
fn number_to_string(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format_float32(f)
    }
}

fn json_kind(v: &SpannedValue) -> &'static str {
    match v.node {
        SpannedNode::Null => "null",
        SpannedNode::Bool(_) => "bool",
        SpannedNode::Number(_) => "number",
        SpannedNode::String(_) => "string",
        SpannedNode::List(_) => "array",
        SpannedNode::Map(_) => "object",
    }
}

/// encoding/json's decoder state: the first type error wins.
struct Decoder<'t> {
    err: Option<(String, Span)>,
    /// The Go package of the chart structs decoded into (helm's v2 or v3
    /// chart model), as type names in errors show it.
    package: &'static str,
    /// The document's text.
    text: &'t [u8],
    /// Its numbers as string fields receive them (see
    /// [`chartgen_yaml::number_strings`]), found when the first is met.
    numbers: Option<Vec<(Span, String)>>,
}

impl<'t> Decoder<'t> {
    fn new(text: &'t [u8]) -> Decoder<'t> {
        Decoder::for_package(text, "v2")
    }

    fn for_package(text: &'t [u8], package: &'static str) -> Decoder<'t> {
        Decoder {
            err: None,
            package,
            text,
            numbers: None,
        }
    }

    /// The Go name of chart struct `name` (`v2.Metadata`, `v3.Lock`, …).
    fn go_type(&self, name: &str) -> String {
        format!("{}.{name}", self.package)
    }

    /// The number at `span` as a string field receives it.
    fn number_string(&mut self, span: Span, f: f64) -> String {
        let text = self.text;
        let numbers = self
            .numbers
            .get_or_insert_with(|| chartgen_yaml::number_strings(text));
        match numbers.iter().find(|(at, _)| *at == span) {
            Some((_, s)) => s.clone(),
            None => number_to_string(f),
        }
    }

    fn field_err(&mut self, v: &SpannedValue, strukt: &str, path: &str, ty: &str) {
        if self.err.is_none() {
            self.err = Some((
                format!(
                    "json: cannot unmarshal {} into Go struct field {strukt}.{path} of type {ty}",
                    json_kind(v)
                ),
                v.span,
            ));
        }
    }

    fn value_err(&mut self, v: &SpannedValue, ty: &str) {
        if self.err.is_none() {
            self.err = Some((
                format!(
                    "json: cannot unmarshal {} into Go value of type {ty}",
                    json_kind(v)
                ),
                v.span,
            ));
        }
    }

    /// A `string` field (`None` leaves it unchanged: null or an error).
    fn string(&mut self, v: &SpannedValue, strukt: &str, path: &str) -> Option<String> {
        match &v.node {
            SpannedNode::Null => None,
            SpannedNode::String(s) => Some(s.clone()),
            SpannedNode::Bool(b) => Some(b.to_string()),
            SpannedNode::Number(f) => Some(self.number_string(v.span, *f)),
            _ => {
                self.field_err(v, strukt, path, "string");
                None
            }
        }
    }

    fn bool(&mut self, v: &SpannedValue, strukt: &str, path: &str) -> Option<bool> {
        match &v.node {
            SpannedNode::Null => None,
            SpannedNode::Bool(b) => Some(*b),
            _ => {
                self.field_err(v, strukt, path, "bool");
                None
            }
        }
    }

    fn strings(&mut self, v: &SpannedValue, strukt: &str, path: &str) -> Option<Vec<String>> {
        match &v.node {
            SpannedNode::Null => Some(Vec::new()),
            SpannedNode::List(items) => Some(
                items
                    .iter()
                    .map(|x| self.string(x, strukt, path).unwrap_or_default())
                    .collect(),
            ),
            _ => {
                self.field_err(v, strukt, path, "[]string");
                None
            }
        }
    }
}

/// Finds the struct field a JSON key decodes into: exact name first, else
/// the first case-insensitive match.
fn match_field<'a>(key: &str, fields: &[&'a str]) -> Option<&'a str> {
    fields
        .iter()
        .find(|f| **f == key)
        .or_else(|| fields.iter().find(|f| f.eq_ignore_ascii_case(key)))
        .copied()
}

const METADATA_FIELDS: &[&str] = &[
    "name",
    "home",
    "sources",
    "version",
    "description",
    "keywords",
    "maintainers",
    "icon",
    "apiVersion",
    "condition",
    "tags",
    "appVersion",
    "deprecated",
    "annotations",
    "kubeVersion",
    "dependencies",
    "type",
];

const DEPENDENCY_FIELDS: &[&str] = &[
    "name",
    "version",
    "repository",
    "condition",
    "tags",
    "enabled",
    "import-values",
    "alias",
];

const MAINTAINER_FIELDS: &[&str] = &["name", "email", "url"];

fn set_str(dst: &mut String, v: Option<String>) {
    if let Some(s) = v {
        *dst = s;
    }
}

/// Decodes `dependencies` (a `[]*Dependency`); entries are `None` for null.
/// A lock file (`Chart.lock`, `requirements.lock`) decoded as helm's
/// loader decodes it into its `Lock` (generated time, digest,
/// dependencies): only its errors matter, the file is kept as it is.
fn check_lock(
    data: &[u8],
    label: &str,
    name: &str,
    generation: LoaderGeneration,
) -> Result<(), LoadError> {
    let doc = chartgen_yaml::parse_spanned(data)
        .map_err(|e| yaml_error(&e, label).wrap(&format!("cannot load {name}: ")))?;
    let fail = |msg: String, span: Span| LoadError {
        message: format!("cannot load {name}: error unmarshaling JSON: while decoding JSON: {msg}"),
        file: Some(label.to_string()),
        span: Some(span),
    };
    let mut dec = Decoder::for_package(data, generation.package());
    match &doc.node {
        SpannedNode::Null => {}
        SpannedNode::Map(m) => {
            for (k, e) in m {
                let v = &e.value;
                match match_field(k, LOCK_FIELDS) {
                    // A type's own decoding error ends Go's decoding at once
                    // (mismatched types are only noted, the first one kept).
                    Some("generated") => match &v.node {
                        SpannedNode::Null => {}
                        // sigs.k8s.io/yaml leaves scalars as they are for a
                        // field that decodes itself: only a string is one.
                        SpannedNode::String(text) => {
                            if let Some(msg) = chartgen_sprig::time_unmarshal_json_error(text) {
                                return Err(fail(msg, v.span));
                            }
                        }
                        _ => {
                            return Err(fail(
                                "Time.UnmarshalJSON: input is not a JSON string".into(),
                                v.span,
                            ))
                        }
                    },
                    Some("digest") => {
                        dec.string(v, "Lock", "digest");
                    }
                    Some(_) => {
                        decode_dependencies(&mut dec, v, "Lock");
                    }
                    None => {}
                }
            }
        }
        _ => dec.value_err(&doc, &dec.go_type("Lock")),
    }
    match dec.err {
        Some((msg, span)) => Err(fail(msg, span)),
        None => Ok(()),
    }
}

/// The JSON names of helm's `Lock` fields.
const LOCK_FIELDS: &[&str] = &["generated", "digest", "dependencies"];

/// A `dependencies` list of `owner` (the struct holding it: `Metadata` or
/// `Lock`).
fn decode_dependencies(
    dec: &mut Decoder,
    v: &SpannedValue,
    owner: &str,
) -> Option<Option<Vec<Option<Dependency>>>> {
    match &v.node {
        SpannedNode::Null => Some(None),
        SpannedNode::List(items) => {
            let mut out = Vec::new();
            for it in items {
                match &it.node {
                    SpannedNode::Null => out.push(None),
                    SpannedNode::Map(m) => {
                        let mut d = Dependency::default();
                        for (k, e) in m {
                            let v = &e.value;
                            let Some(f) = match_field(k, DEPENDENCY_FIELDS) else {
                                continue;
                            };
                            let path = format!("dependencies.{f}");
                            match f {
                                "name" => set_str(&mut d.name, dec.string(v, "Dependency", &path)),
                                "version" => {
                                    set_str(&mut d.version, dec.string(v, "Dependency", &path))
                                }
                                "repository" => {
                                    set_str(&mut d.repository, dec.string(v, "Dependency", &path))
                                }
                                "condition" => {
                                    set_str(&mut d.condition, dec.string(v, "Dependency", &path))
                                }
                                "alias" => {
                                    set_str(&mut d.alias, dec.string(v, "Dependency", &path))
                                }
                                "tags" => {
                                    if let Some(t) = dec.strings(v, "Dependency", &path) {
                                        d.tags = t;
                                    }
                                }
                                "enabled" => {
                                    if let Some(b) = dec.bool(v, "Dependency", &path) {
                                        d.enabled = b;
                                    }
                                }
                                _ => match &v.node {
                                    SpannedNode::Null => d.import_values = Vec::new(),
                                    SpannedNode::List(items) => {
                                        d.import_values =
                                            items.iter().map(|x| x.to_value()).collect()
                                    }
                                    _ => dec.field_err(v, "Dependency", &path, "[]interface {}"),
                                },
                            }
                        }
                        out.push(Some(d));
                    }
                    _ => {
                        dec.field_err(it, owner, "dependencies", &dec.go_type("Dependency"));
                        out.push(Some(Dependency::default()));
                    }
                }
            }
            Some(Some(out))
        }
        _ => {
            dec.field_err(
                v,
                owner,
                "dependencies",
                &format!("[]*{}", dec.go_type("Dependency")),
            );
            None
        }
    }
}

/// Chart.yaml decoded into helm's `Metadata` (before validation).
#[derive(Default)]
struct RawMetadata {
    md: Metadata,
    null_maintainer: bool,
    null_dependency: bool,
}

/// Decodes the document `doc` of `file` (Chart.yaml, or a requirements.yaml
/// decoded over it), parsed from `data` (the file `label`), onto `start`:
/// as Go's JSON decoding into an existing struct, the fields the document
/// has replace those of `start`, and its annotations are added to theirs.
fn decode_metadata_onto(
    start: RawMetadata,
    data: &[u8],
    doc: &SpannedValue,
    label: &str,
    file: &str,
    generation: LoaderGeneration,
) -> Result<RawMetadata, LoadError> {
    let mut dec = Decoder::for_package(data, generation.package());
    let RawMetadata {
        mut md,
        mut null_maintainer,
        mut null_dependency,
    } = start;
    match &doc.node {
        SpannedNode::Null => {}
        SpannedNode::Map(m) => {
            for (k, e) in m {
                let v = &e.value;
                let Some(f) = match_field(k, METADATA_FIELDS) else {
                    continue;
                };
                let s = "Metadata";
                match f {
                    "name" => set_str(&mut md.name, dec.string(v, s, f)),
                    "home" => set_str(&mut md.home, dec.string(v, s, f)),
                    "version" => set_str(&mut md.version, dec.string(v, s, f)),
                    "description" => set_str(&mut md.description, dec.string(v, s, f)),
                    "icon" => set_str(&mut md.icon, dec.string(v, s, f)),
                    "apiVersion" => set_str(&mut md.api_version, dec.string(v, s, f)),
                    "condition" => set_str(&mut md.condition, dec.string(v, s, f)),
                    "tags" => set_str(&mut md.tags, dec.string(v, s, f)),
                    "appVersion" => set_str(&mut md.app_version, dec.string(v, s, f)),
                    "kubeVersion" => set_str(&mut md.kube_version, dec.string(v, s, f)),
                    "type" => set_str(&mut md.chart_type, dec.string(v, s, f)),
                    "sources" => {
                        if let Some(x) = dec.strings(v, s, f) {
                            md.sources = x;
                        }
                    }
                    "keywords" => {
                        if let Some(x) = dec.strings(v, s, f) {
                            md.keywords = x;
                        }
                    }
                    "deprecated" => {
                        if let Some(b) = dec.bool(v, s, f) {
                            md.deprecated = b;
                        }
                    }
                    "annotations" => match &v.node {
                        SpannedNode::Null => md.annotations = None,
                        SpannedNode::Map(am) => {
                            let mut out = md.annotations.take().unwrap_or_default();
                            for (ak, ae) in am {
                                let val = dec.string(&ae.value, s, f).unwrap_or_default();
                                out.insert(ak.clone(), val);
                            }
                            md.annotations = Some(out);
                        }
                        _ => dec.field_err(v, s, f, "map[string]string"),
                    },
                    "maintainers" => match &v.node {
                        SpannedNode::Null => {
                            null_maintainer = false;
                            md.maintainers = Vec::new();
                        }
                        SpannedNode::List(items) => {
                            null_maintainer = false;
                            let mut out = Vec::new();
                            for it in items {
                                match &it.node {
                                    SpannedNode::Null => null_maintainer = true,
                                    SpannedNode::Map(mm) => {
                                        let mut mt = Maintainer::default();
                                        for (mk, me) in mm {
                                            let Some(mf) = match_field(mk, MAINTAINER_FIELDS)
                                            else {
                                                continue;
                                            };
                                            let p = format!("maintainers.{mf}");
                                            let val = dec.string(&me.value, "Maintainer", &p);
                                            match mf {
                                                "name" => set_str(&mut mt.name, val),
                                                "email" => set_str(&mut mt.email, val),
                                                _ => set_str(&mut mt.url, val),
                                            }
                                        }
                                        out.push(mt);
                                    }
                                    _ => {
                                        dec.field_err(it, s, f, &dec.go_type("Maintainer"));
                                        out.push(Maintainer::default());
                                    }
                                }
                            }
                            md.maintainers = out;
                        }
                        _ => dec.field_err(v, s, f, &format!("[]*{}", dec.go_type("Maintainer"))),
                    },
                    _ => {
                        if let Some(d) = decode_dependencies(&mut dec, v, "Metadata") {
                            null_dependency =
                                d.as_ref().is_some_and(|l| l.iter().any(Option::is_none));
                            md.dependencies = d.map(|l| l.into_iter().flatten().collect());
                        }
                    }
                }
            }
        }
        _ => dec.value_err(doc, &dec.go_type("Metadata")),
    }
    if let Some((msg, span)) = dec.err {
        return Err(LoadError {
            message: format!(
                "cannot load {file}: error unmarshaling JSON: while decoding JSON: {msg}"
            ),
            file: Some(label.to_string()),
            span: Some(span),
        });
    }
    Ok(RawMetadata {
        md,
        null_maintainer,
        null_dependency,
    })
}

/// Go's `unicode.IsSpace`.
fn go_is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    ) || (c as u32 > 0xFF && c.is_whitespace())
}

/// Go's `unicode.IsPrint`.
fn go_is_print(c: char) -> bool {
    gotmpl::strconv::is_print(c)
}

/// helm's `sanitizeString`: whitespace becomes a space, unprintables are dropped.
pub fn sanitize_string(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if go_is_space(c) {
                Some(' ')
            } else if go_is_print(c) {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

fn alias_ok(a: &str) -> bool {
    !a.is_empty()
        && a.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// helm's `Metadata.Validate` (sanitizing as it goes); the error text
/// without its `validation: ` prefix.
fn validate_metadata(
    md: &mut Metadata,
    null_maintainer: bool,
    null_dependency: bool,
) -> Result<(), String> {
    md.name = sanitize_string(&md.name);
    md.description = sanitize_string(&md.description);
    md.home = sanitize_string(&md.home);
    md.icon = sanitize_string(&md.icon);
    md.condition = sanitize_string(&md.condition);
    md.tags = sanitize_string(&md.tags);
    md.app_version = sanitize_string(&md.app_version);
    md.kube_version = sanitize_string(&md.kube_version);
    for s in md.sources.iter_mut().chain(md.keywords.iter_mut()) {
        *s = sanitize_string(s);
    }
    if md.api_version.is_empty() {
        return Err("chart.metadata.apiVersion is required".into());
    }
    if md.name.is_empty() {
        return Err("chart.metadata.name is required".into());
    }
    let q = gotmpl::strconv::quote;
    if md.name == "." || md.name == ".." {
        return Err(format!(
            "chart.metadata.name {} is not allowed",
            q(&md.name)
        ));
    }
    let base = {
        let t = md.name.trim_end_matches('/');
        if t.is_empty() {
            "/"
        } else {
            t.rsplit('/').next().unwrap_or(t)
        }
    };
    if md.name != base {
        return Err(format!("chart.metadata.name {} is invalid", q(&md.name)));
    }
    if md.version.is_empty() {
        return Err("chart.metadata.version is required".into());
    }
    if crate::semver::Version::parse(&md.version).is_err() {
        return Err(format!(
            "chart.metadata.version {} is invalid",
            q(&md.version)
        ));
    }
    if !matches!(md.chart_type.as_str(), "" | "application" | "library") {
        return Err("chart.metadata.type must be application or library".into());
    }
    if null_maintainer {
        return Err("maintainers must not contain empty or null nodes".into());
    }
    for m in &mut md.maintainers {
        m.name = sanitize_string(&m.name);
        m.email = sanitize_string(&m.email);
        m.url = sanitize_string(&m.url);
    }
    if null_dependency {
        return Err("dependencies must not contain empty or null nodes".into());
    }
    let mut seen: Vec<String> = Vec::new();
    for d in md.dependencies.iter_mut().flatten() {
        d.name = sanitize_string(&d.name);
        d.version = sanitize_string(&d.version);
        d.repository = sanitize_string(&d.repository);
        d.condition = sanitize_string(&d.condition);
        for t in &mut d.tags {
            *t = sanitize_string(t);
        }
        if !d.alias.is_empty() && !alias_ok(&d.alias) {
            return Err(format!(
                "dependency {} has disallowed characters in the alias",
                q(&d.name)
            ));
        }
        let key = if d.alias.is_empty() {
            d.name.clone()
        } else {
            d.alias.clone()
        };
        if seen.contains(&key) {
            return Err(format!(
                "more than one dependency with name or alias {}",
                q(&key)
            ));
        }
        seen.push(key);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<BufferedFile> {
        list.iter()
            .map(|(n, d)| BufferedFile {
                name: n.to_string(),
                data: d.as_bytes().into(),
            })
            .collect()
    }

    /// A gzipped tar of `files` (each under `c/`), cut to `keep` bytes of tar.
    fn archive(files: &[(&str, &[u8])], keep: Option<usize>) -> Vec<u8> {
        use std::io::Write;
        let mut builder = tar::Builder::new(Vec::new());
        for (name, data) in files {
            let mut header = tar::Header::new_ustar();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(&mut header, format!("c/{name}"), *data)
                .unwrap();
        }
        let mut tarball = builder.into_inner().unwrap();
        if let Some(keep) = keep {
            tarball.truncate(keep);
        }
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&tarball).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn archive_entries_are_read_whole_and_in_order() {
        let big = vec![b'x'; 70_000];
        let data = archive(
            &[("Chart.yaml", b"name: c\n"), ("big", &big), ("z", b"end")],
            None,
        );
        let got = load_archive_files(&data).unwrap();
        let names: Vec<_> = got.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Chart.yaml", "big", "z"]);
        assert_eq!(&*got[1].data, &big[..]);
        assert_eq!(&*got[2].data, b"end");
    }

    #[test]
    fn a_kept_archive_gives_its_files_for_its_own_bytes_only() {
        let big = vec![b'x'; 70_000];
        let data = archive(
            &[
                ("Chart.yaml", b"name: c\n"),
                ("big", &big),
                ("bom", b"\xEF\xBB\xBFtext"),
                ("empty", b""),
            ],
            None,
        );
        let files = |got: Vec<BufferedFile>| -> Vec<(String, Vec<u8>)> {
            got.into_iter().map(|f| (f.name, f.data.to_vec())).collect()
        };
        let kept = prepare_archive(&data).unwrap();
        let expanded = files(load_archive_files(&data).unwrap());
        assert_eq!(files(kept_archive_files(&kept, &data).unwrap()), expanded);
        assert_eq!(expanded[2], ("bom".to_string(), b"text".to_vec()));
        // Not for another archive, nor cut short or grown.
        let other = archive(&[("Chart.yaml", b"name: d\n")], None);
        assert!(kept_archive_files(&kept, &other).is_none());
        for cut in [0, 8, 40, kept.len() / 2, kept.len() - 1] {
            assert!(kept_archive_files(&kept[..cut], &data).is_none(), "{cut}");
        }
        let mut longer = kept.clone();
        longer.push(0);
        assert!(kept_archive_files(&longer, &data).is_none());
        // An archive that fails is not kept.
        assert!(prepare_archive(&data[..data.len() / 2]).is_none());
    }

    #[test]
    fn archive_cut_in_an_entrys_padding_fails_as_a_read_past_the_end() {
        // One header block, 10 bytes of data, then 5 of the 502 padding bytes.
        let data = archive(&[("Chart.yaml", b"name: c\n\n\n")], Some(512 + 10 + 5));
        let Err(err) = load_archive_files(&data) else {
            panic!("a cut archive loads");
        };
        assert_eq!(err.to_string(), "archive/tar: unexpected EOF during skip");
    }

    #[test]
    fn float32_format() {
        assert_eq!(format_float32(1.1), "1.1");
        assert_eq!(format_float32(1e6), "1e+06");
        assert_eq!(format_float32(0.0001), "0.0001");
        assert_eq!(format_float32(0.00001), "1e-05");
        assert_eq!(format_float32(123456.0), "123456");
        assert_eq!(number_to_string(1.0), "1");
        assert_eq!(number_to_string(1.2), "1.2");
    }

    #[test]
    fn chart_yaml_coercion_and_errors() {
        let c = load_files(
            files(&[(
                "Chart.yaml",
                "apiVersion: v2\nName: c\nversion: 1.10\nappVersion: 1.2\nannotations: {a: 1, b: y}\n",
            )]),
            "c",
        )
        .unwrap();
        assert_eq!(c.metadata.name, "c");
        assert_eq!(c.metadata.version, "1.1");
        assert_eq!(c.metadata.app_version, "1.2");
        let ann = c.metadata.annotations.unwrap();
        assert_eq!(ann["a"], "1");
        assert_eq!(ann["b"], "true");
        let e = load_files(
            files(&[(
                "Chart.yaml",
                "apiVersion: v2\nname: c\nversion: 1.0.0\nsources: a\n",
            )]),
            "c",
        )
        .unwrap_err();
        assert_eq!(e.message, "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.sources of type []string");
        assert_eq!(e.span.map(|s| s.line), Some(4));
        let e = load_files(
            files(&[("Chart.yaml", "apiVersion: v2\nname: c\nversion: x\n")]),
            "c",
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "validation: chart.metadata.version \"x\" is invalid"
        );
    }

    #[test]
    fn subcharts_from_files() {
        let c = load_files(
            files(&[
                ("Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n"),
                ("values.yaml", "a: 1\n"),
                ("templates/x.yaml", "x"),
                (
                    "charts/s/Chart.yaml",
                    "apiVersion: v2\nname: s\nversion: 1.0.0\n",
                ),
                ("charts/s/templates/y.yaml", "y"),
                ("charts/_skip/Chart.yaml", "bogus"),
                ("README.md", "r"),
            ]),
            "p",
        )
        .unwrap();
        assert_eq!(c.templates.len(), 1);
        assert_eq!(c.files.len(), 1);
        assert_eq!(c.dependencies.len(), 1);
        assert_eq!(c.dependencies[0].templates[0].name, "templates/y.yaml");
        let e = load_files(
            files(&[
                ("Chart.yaml", "apiVersion: v2\nname: p\nversion: 1.0.0\n"),
                ("charts/s/values.yaml", "a: [\n"),
                (
                    "charts/s/Chart.yaml",
                    "apiVersion: v2\nname: s\nversion: 1.0.0\n",
                ),
            ]),
            "p",
        )
        .unwrap_err();
        assert!(e
            .message
            .starts_with("error unpacking subchart s in p: cannot load values.yaml: "));
        assert_eq!(e.file.as_deref(), Some("p/charts/s/values.yaml"));
    }

    #[test]
    fn clean() {
        assert_eq!(path_clean("a/../../b"), "../b");
        assert_eq!(path_clean("./a//b/"), "a/b");
        assert_eq!(path_clean(""), ".");
    }

    /// Writes a chart directory; `None` contents make a directory.
    fn write_chart(root: &Path, list: &[(&str, &str)]) {
        let _ = std::fs::remove_dir_all(root);
        for (name, data) in list {
            let p = root.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, data).unwrap();
        }
    }

    #[test]
    fn two_step_load_gives_the_one_pass_result_and_error() {
        let root = std::env::temp_dir().join(format!("chartgen-pending-{}", std::process::id()));
        let chart_yaml = "apiVersion: v2\nname: top\nversion: 1.0.0\n";
        let sub_yaml = "apiVersion: v2\nname: sub\nversion: 0.1.0\n";
        let cases: Vec<Vec<(&str, &str)>> = vec![
            // Valid: the values of the chart and its sub-chart are parsed.
            vec![
                ("Chart.yaml", chart_yaml),
                ("values.yaml", "a: 1\nb: [x]\n"),
                ("charts/sub/Chart.yaml", sub_yaml),
                ("charts/sub/values.yaml", "c: {d: true}\n"),
            ],
            // A bad values.yaml and a Chart.yaml that fails validation: helm
            // meets the values file first.
            vec![
                ("Chart.yaml", "apiVersion: v2\nname: top\n"),
                ("values.yaml", "a: [1\n"),
            ],
            // A bad sub-chart values.yaml after a good top one.
            vec![
                ("Chart.yaml", chart_yaml),
                ("values.yaml", "a: 1\n"),
                ("charts/sub/Chart.yaml", sub_yaml),
                ("charts/sub/values.yaml", "\tc: 1\n"),
            ],
            // A bad values.yaml and a later sub-chart without Chart.yaml.
            vec![
                ("Chart.yaml", chart_yaml),
                ("values.yaml", "a: b: c\n"),
                ("charts/sub/values.yaml", "c: 1\n"),
            ],
            // Only the sub-chart is broken (no Chart.yaml), the values are fine.
            vec![
                ("Chart.yaml", chart_yaml),
                ("values.yaml", "a: 1\n"),
                ("charts/sub/values.yaml", "c: 1\n"),
            ],
        ];
        for (i, case) in cases.iter().enumerate() {
            write_chart(&root, case);
            let in_memory = (
                load_files(files(case), "<mem>"),
                load_files_pending(files(case), "<mem>").and_then(Pending::finish),
            );
            let one_pass = load_logged(&root, &mut Warnings::new());
            let two_step = load_pending(&root, &mut Warnings::new()).and_then(Pending::finish);
            for (one_pass, two_step) in [(one_pass, two_step), in_memory] {
                match (one_pass, two_step) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(i, 0, "case {i} should fail");
                        assert_eq!(format!("{:?}", a.values), format!("{:?}", b.values));
                        assert_eq!(
                            format!("{:?}", a.dependencies[0].values),
                            format!("{:?}", b.dependencies[0].values)
                        );
                        assert!(a.values.as_map().is_some_and(|m| m.len() == 2));
                    }
                    (Err(a), Err(b)) => assert_eq!(a, b, "case {i}"),
                    (a, b) => panic!("case {i}: one pass {:?}, two steps {:?}", a.err(), b.err()),
                }
            }
        }
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn large_unneeded_files_are_read_on_use_with_their_bom_dropped() {
        let root = std::env::temp_dir().join(format!("chartgen-on-use-{}", std::process::id()));
        let big = "x".repeat(READ_ON_USE_MIN_SIZE as usize + 1);
        let with_bom = format!("\u{feff}{big}");
        let tpl = format!("{{{{/* {big} */}}}}\n");
        write_chart(
            &root,
            &[
                ("Chart.yaml", "apiVersion: v2\nname: top\nversion: 1.0.0\n"),
                ("crds/big.yaml", &with_bom),
                ("files/small.txt", "\u{feff}small"),
                ("templates/big.yaml", &tpl),
            ],
        );
        let c = load_dir(&root).unwrap();
        let file = |name: &str| {
            c.files
                .iter()
                .find(|f| f.name == name)
                .unwrap()
                .data
                .clone()
        };
        let crd = file("crds/big.yaml");
        assert!(format!("{crd:?}").contains("not read yet"), "{crd:?}");
        assert!(!format!("{:?}", file("files/small.txt")).contains("not read yet"));
        assert_eq!(&file("files/small.txt")[..], b"small");
        assert!(!format!("{:?}", c.templates[0].data).contains("not read yet"));
        assert_eq!(&c.templates[0].data[..], tpl.as_bytes());
        // A template's text is its bytes, not a copy, for every render.
        let text = c.templates[0].data.template_text();
        assert_eq!(&*text, tpl.as_str());
        assert_eq!(text.as_ptr(), c.templates[0].data.as_ptr());
        assert_eq!(c.templates[0].data.template_text().as_ptr(), text.as_ptr());
        // The first use reads it, once: later changes on disk are not seen.
        assert_eq!(&crd[..], big.as_bytes());
        std::fs::write(root.join("crds/big.yaml"), "changed").unwrap();
        assert_eq!(&crd[..], big.as_bytes());
        assert_eq!(&file("crds/big.yaml")[..], big.as_bytes());
        let _ = std::fs::remove_dir_all(&root);
    }

    /// The walk reads files without looking them up first: the size limit
    /// and the file kinds still give helm's errors (checked against helm
    /// 4.1.4), and a file of exactly the limit, or past the first read's
    /// buffer, is read whole.
    #[test]
    fn the_walk_reads_files_whole_and_keeps_helms_limits() {
        let root = std::env::temp_dir().join(format!("chartgen-limits-{}", std::process::id()));
        let limit = MAX_DECOMPRESSED_FILE_SIZE as usize;
        let at_limit = format!("# {}\n", "x".repeat(limit - 3));
        write_chart(
            &root,
            &[
                ("Chart.yaml", "apiVersion: v2\nname: top\nversion: 1.0.0\n"),
                ("templates/big.yaml", &at_limit),
                ("values.yaml", "a: 1\n"),
            ],
        );
        let c = load_dir(&root).unwrap();
        assert_eq!(c.templates[0].data.len(), limit);
        assert_eq!(&c.templates[0].data[..], at_limit.as_bytes());

        std::fs::write(root.join("templates/big.yaml"), format!("{at_limit}y")).unwrap();
        assert_eq!(
            load_dir(&root).unwrap_err().message,
            format!("chart file \"big.yaml\" is larger than the maximum file size {limit}")
        );
        std::fs::remove_file(root.join("templates/big.yaml")).unwrap();

        let fifo = root.join("templates/pipe.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert_eq!(
                load_dir(&root).unwrap_err().message,
                format!(
                    "cannot load irregular file {} as it has file mode type bits set",
                    fifo.display()
                )
            );
        }
        let _ = std::fs::remove_dir_all(&root);
    }

    /// Files are read into buffers of the size `stat` gives; a file whose
    /// size is not what it holds (procfs reports 0 for everything) is read
    /// whole all the same, BOM included (dropped) or not.
    #[cfg(target_os = "linux")]
    #[test]
    fn files_whose_size_stat_misreports_are_read_whole() {
        let root = std::env::temp_dir().join(format!("chartgen-sized-{}", std::process::id()));
        write_chart(
            &root,
            &[
                ("Chart.yaml", "apiVersion: v2\nname: top\nversion: 1.0.0\n"),
                ("templates/bom.yaml", "\u{feff}a: 1\n"),
                ("templates/empty.yaml", ""),
            ],
        );
        std::os::unix::fs::symlink("/proc/version", root.join("templates/version.txt")).unwrap();
        std::os::unix::fs::symlink("/proc/version", root.join("version.txt")).unwrap();
        let expected = std::fs::read("/proc/version").unwrap();
        assert!(!expected.is_empty());
        assert_eq!(std::fs::metadata("/proc/version").unwrap().len(), 0);
        let c = load_dir(&root).unwrap();
        let template = |name: &str| {
            let f = c.templates.iter().find(|f| f.name == name).unwrap();
            f.data.to_vec()
        };
        assert_eq!(template("templates/version.txt"), expected);
        assert_eq!(template("templates/bom.yaml"), b"a: 1\n");
        assert_eq!(template("templates/empty.yaml"), b"");
        let file = c.files.iter().find(|f| f.name == "version.txt").unwrap();
        assert_eq!(file.data.to_vec(), expected);
        assert_eq!(
            &read_shared(Path::new("/proc/version"), 0).unwrap()[..],
            &expected[..]
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    /// A file the caller read already is taken as it was read (by its name
    /// in the chart), not read again; one the walk ignores is not asked for.
    #[test]
    fn the_first_fault_in_walk_order_wins_and_later_links_are_not_logged() {
        let root = std::env::temp_dir().join(format!("chartgen-order-{}", std::process::id()));
        // Enough files that a second thread reads some of them.
        let mut list: Vec<(String, String)> = (0..40)
            .map(|i| (format!("templates/t{i:02}.yaml"), format!("n: {i}\n")))
            .collect();
        list.push((
            "Chart.yaml".into(),
            "apiVersion: v2\nname: top\nversion: 1.0.0\n".into(),
        ));
        let list: Vec<(&str, &str)> = list.iter().map(|(a, b)| (&**a, &**b)).collect();
        let too_big = "x".repeat(MAX_DECOMPRESSED_FILE_SIZE as usize + 1);
        let link = |from: &str, to: &str| {
            std::os::unix::fs::symlink(root.join(to), root.join(from)).unwrap();
        };
        let fifo = |name: &str| {
            std::process::Command::new("mkfifo")
                .arg(root.join(name))
                .status()
                .is_ok_and(|s| s.success())
        };
        let logged = |log: &Warnings| log.0.iter().filter(|l| l.contains("symbolic link")).count();
        let too_large = "chart file \"big.yaml\" is larger than the maximum file size 5242880";

        // A file too large to read, met before a link and an irregular file.
        write_chart(&root, &list);
        std::fs::write(root.join("templates/t20big.yaml"), &too_big).unwrap();
        std::fs::rename(
            root.join("templates/t20big.yaml"),
            root.join("templates/big.yaml"),
        )
        .unwrap();
        link("templates/t30link.yaml", "templates/t00.yaml");
        let made_fifo = fifo("templates/t35pipe.yaml");
        let mut log = Warnings::new();
        let e = load_logged(&root, &mut log).unwrap_err();
        assert_eq!(e.message, too_large);
        // `big.yaml` sorts before every `t…` name: no link was passed.
        assert_eq!(logged(&log), 0);

        // The irregular file met first.
        if made_fifo {
            write_chart(&root, &list);
            link("templates/t05link.yaml", "templates/t00.yaml");
            assert!(fifo("templates/t10pipe.yaml"));
            link("templates/t15link.yaml", "templates/t01.yaml");
            std::fs::write(root.join("templates/t20big.yaml"), &too_big).unwrap();
            let mut log = Warnings::new();
            let e = load_logged(&root, &mut log).unwrap_err();
            assert!(
                e.message.starts_with("cannot load irregular file")
                    && e.message.contains("t10pipe"),
                "{}",
                e.message
            );
            assert_eq!(logged(&log), 1);
        }

        // A link between two faults is logged only if met before the first.
        write_chart(&root, &list);
        link("templates/t05link.yaml", "templates/t00.yaml");
        std::fs::write(root.join("templates/t10big.yaml"), &too_big).unwrap();
        link("templates/t15link.yaml", "templates/t01.yaml");
        let mut log = Warnings::new();
        let e = load_logged(&root, &mut log).unwrap_err();
        assert_eq!(e.message, too_large.replace("big.yaml", "t10big.yaml"));
        assert_eq!(logged(&log), 1);

        // Without a fault, every file in walk order and every link logged.
        std::fs::remove_file(root.join("templates/t10big.yaml")).unwrap();
        let mut log = Warnings::new();
        let c = load_logged(&root, &mut log).unwrap();
        let names: Vec<&str> = c.templates.iter().map(|f| &*f.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        assert_eq!(names.len(), 42);
        assert_eq!(logged(&log), 2);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn files_read_already_are_taken_not_read_again() {
        let root = std::env::temp_dir().join(format!("chartgen-read-{}", std::process::id()));
        write_chart(
            &root,
            &[
                ("Chart.yaml", "apiVersion: v2\nname: top\nversion: 1.0.0\n"),
                (".helmignore", "skipped.txt\n"),
                ("skipped.txt", "on disk"),
                ("values.schema.json", "{\"type\": \"object\"}"),
            ],
        );
        let read: Arc<[u8]> = Arc::from(&b"{}"[..]);
        let asked = std::sync::Mutex::new(Vec::new());
        let already_read = |name: &str| {
            asked.lock().unwrap().push(name.to_string());
            (name == "values.schema.json").then(|| read.clone())
        };
        let c = load_pending_with(&root, &mut Warnings::new(), &already_read)
            .unwrap()
            .finish()
            .unwrap();
        let schema = c.schema.clone().unwrap();
        assert!(Arc::ptr_eq(&schema, &read));
        let asked = asked.lock().unwrap().clone();
        assert!(
            asked.contains(&"values.schema.json".to_string()),
            "{asked:?}"
        );
        assert!(!asked.contains(&"skipped.txt".to_string()), "{asked:?}");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[cfg(unix)]
    #[test]
    fn files_kept_from_an_earlier_load_are_taken_while_unchanged() {
        use crate::file_memory::{FileMemory, FileStatus, KeptBytes};
        let root = std::env::temp_dir().join(format!("chartgen-memory-{}", std::process::id()));
        let big = format!("{{\"k\": \"{}\"}}", "x".repeat(20 << 10));
        write_chart(
            &root,
            &[
                ("Chart.yaml", "apiVersion: v2\nname: top\nversion: 1.0.0\n"),
                ("values.yaml", "a: 1\n"),
                ("templates/a.yaml", "a: {{ .Values.a }}\n"),
                ("files/big.json", &big),
            ],
        );
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
        let kept_from = |blob: Vec<u8>| {
            FileMemory::settled_before(Box::new(move || Some(Box::new(blob) as KeptBytes)), later)
        };
        let load = |memory: &FileMemory| {
            load_pending_remembering(&root, &mut Warnings::new(), &|_| None, Some(memory))
                .unwrap()
                .finish()
                .unwrap()
        };
        let template = |c: &Chart| c.templates[0].data.to_vec();
        let big_file = |c: &Chart| {
            c.files
                .iter()
                .find(|f| f.name == "files/big.json")
                .unwrap()
                .data
                .to_vec()
        };

        // A first load notes every file it reads (Chart.yaml is read apart).
        let first = FileMemory::settled_before(Box::new(|| None), later);
        let c = load(&first);
        assert_eq!(template(&c), b"a: {{ .Values.a }}\n");
        let blob = first.update().unwrap();
        let kept = kept_from(blob);
        assert_eq!(kept.len(), 3);

        // Kept contents that differ from the file show that they were taken.
        let status =
            |name: &str| FileStatus::of(&std::fs::metadata(root.join(name)).unwrap()).unwrap();
        let staged = FileMemory::settled_before(Box::new(|| None), later);
        staged.note(
            "values.yaml",
            status("values.yaml"),
            Some(&FileData::from(&b"a: 1\n"[..])),
        );
        let kept_text = FileData::from(&b"a: {{ 2 }}\n"[..]);
        staged.note(
            "templates/a.yaml",
            status("templates/a.yaml"),
            Some(&kept_text),
        );
        staged.note("files/big.json", status("files/big.json"), None);
        let blob = staged.update().unwrap();
        let memory = kept_from(blob.clone());
        let c = load(&memory);
        assert_eq!(template(&c), b"a: {{ 2 }}\n");
        // A file left unread is read from disk when used.
        assert_eq!(big_file(&c), big.as_bytes());
        // The directories were listed (none were staged): kept now, and
        // taken next time, when nothing new is met and nothing is written.
        let blob = memory.update().unwrap();
        let memory = kept_from(blob.clone());
        assert_eq!(template(&load(&memory)), b"a: {{ 2 }}\n");
        assert_eq!(memory.update(), None);

        // A changed file is read again, and kept anew.
        std::fs::write(root.join("templates/a.yaml"), "a: {{ .Values.a }}!\n").unwrap();
        let memory = kept_from(blob);
        let c = load(&memory);
        assert_eq!(template(&c), b"a: {{ .Values.a }}!\n");
        let next = memory.update().unwrap();
        let memory = kept_from(next.clone());
        assert_eq!(memory.len(), 3);
        assert_eq!(template(&load(&memory)), b"a: {{ .Values.a }}!\n");
        assert_eq!(memory.update(), None);

        // A file added changes its directory: the new listing is met.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(root.join("templates/b.yaml"), "b: 1\n").unwrap();
        let memory = kept_from(next);
        let c = load(&memory);
        let names: Vec<&str> = c.templates.iter().map(|t| &*t.name).collect();
        assert_eq!(names, ["templates/a.yaml", "templates/b.yaml"]);

        // Files changed lately (all of them, for a load starting now) are
        // read and not kept.
        let now = FileMemory::new(None);
        assert_eq!(template(&load(&now)), b"a: {{ .Values.a }}!\n");
        assert_eq!(now.update(), None);
        let _ = std::fs::remove_dir_all(&root);
    }
}
