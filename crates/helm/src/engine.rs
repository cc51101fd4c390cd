//! Helm's template engine (`pkg/engine`): parses every template of a chart
//! and its sub-charts into one template set and executes each non-partial
//! file with its chart's scope, reformatting errors as helm does.
//!
//! Helm executes the files one after another, in its order; chartgen runs
//! them on all cores, with the same results: a file that would change a map
//! that others can see (`set .Values …`) is detected, and from it on the
//! files run in helm's order (see `render_in_parallel`).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use gotmpl::ast::Tree;

use gotmpl::{MapEntries, TemplateSet, Type, Value};

use crate::errors::{format_exec_error, format_parse_error};
use crate::funcs::{self, RenderState};
use crate::reuse;
use crate::tree_store::StoredTrees;

/// One template file to render.
#[derive(Clone, Debug)]
pub struct TemplateSource {
    /// Full name as helm shows it: `chart/templates/x.yaml`,
    /// `chart/charts/sub/templates/y.yaml`.
    pub name: String,
    pub text: Arc<str>,
    /// The chart's scope (`.Values`, `.Chart`, `.Release`, …) without `.Template`.
    pub scope: MapEntries,
    /// `chart/templates` or `chart/charts/sub/templates`.
    pub base_path: String,
}

#[derive(Clone, Debug)]
pub struct EngineOptions {
    /// `missingkey=error` instead of helm's default `missingkey=zero`.
    pub strict: bool,
    /// `required`/`fail` do not fail (helm lint).
    pub lint_mode: bool,
    /// Seeded randomness and a frozen clock for the render (default: real).
    pub determinism: chartgen_sprig::Determinism,
    /// Run templates on all cores (see the module doc); callers
    /// that already render on every core turn it off.
    pub parallel: bool,
    /// Reuse the results of repeated `include`s (see [`crate::memo`]).
    pub reuse_includes: bool,
    /// Reuse files' outputs from earlier renders with the same cache (see
    /// [`crate::reuse`]), given a description of everything the sources'
    /// scopes hold besides `.Values` and the loaded chart's `.Files`.
    pub reuse_outputs_for: Option<String>,
    /// The sources' scopes share maps with values other renders use (a
    /// loaded chart's defaults): a template that writes into a map made
    /// before the render makes it start over on copies of the scopes.
    pub values_shared: bool,
}

impl Default for EngineOptions {
    fn default() -> EngineOptions {
        EngineOptions {
            strict: false,
            lint_mode: false,
            determinism: Default::default(),
            parallel: true,
            reuse_includes: true,
            reuse_outputs_for: None,
            values_shared: false,
        }
    }
}

/// A render failure, with helm's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub message: String,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RenderError {}

/// Go's `common.Values` type: what helm passes as dot, `.Values` and `.Template`.
pub fn values_type() -> Type {
    static VALUES: std::sync::LazyLock<Type> = std::sync::LazyLock::new(|| Type::Map {
        elem: Type::shared(Type::Interface),
        name: Some("common.Values".into()),
    });
    VALUES.clone()
}

/// chartgen's bound on what one render may output, per template execution
/// and in total; helm has none (it prints whatever fits in memory). Real
/// charts render a few megabytes at most.
pub const MAX_RENDERED_OUTPUT: usize = 256 << 20;

/// Helm's parse order: deeper paths first, then reverse lexical order.
fn parse_order(names: &mut [&str]) {
    // Each name's depth counted once, not per comparison (a large chart
    // has hundreds of long names).
    let mut keyed: Vec<(usize, &str)> = names
        .iter()
        .map(|name| (memchr::memchr_iter(b'/', name.as_bytes()).count(), *name))
        .collect();
    keyed.sort_unstable_by(|a, b| b.cmp(a));
    for (slot, (_, name)) in names.iter_mut().zip(keyed) {
        *slot = name;
    }
}

fn is_partial(name: &str) -> bool {
    name.rsplit('/')
        .next()
        .is_some_and(|base| base.starts_with('_'))
}

/// Parsed templates kept across renders of the same chart: parsing is a
/// large share of a render, and a file's trees depend only on its name and text.
#[derive(Debug, Default)]
pub struct ParseCache {
    /// Template name -> its text and the trees it parses into.
    trees: Mutex<HashMap<Box<str>, TextAndTrees>>,
    /// The same for the texts templates pass to `tpl`.
    tpl: Arc<funcs::TplCache>,
    /// The heads of rendered documents.
    heads: crate::output::HeadCache,
    /// Renders so far that asked for [`ParseCache::heads`].
    renders: std::sync::atomic::AtomicUsize,
    /// Loads heads kept from an earlier run (see
    /// [`ParseCache::with_heads_later`]); held while it runs.
    heads_later: Mutex<Option<HeadsLater>>,
    /// Whether heads are kept between runs: the first render fills the
    /// cache too.
    heads_kept: AtomicBool,
    /// Files being parsed ahead of the first render.
    early: Mutex<Option<Arc<EarlyParse>>>,
    /// Outputs of earlier renders.
    outputs: reuse::OutputReuse,
    /// Trees parsed ahead of time, by template name (see
    /// [`ParseCache::with_compiled`]).
    compiled: HashMap<&'static str, &'static [u8]>,
    /// Trees kept from an earlier run (see [`ParseCache::with_stored`]);
    /// dropped once the first render decoded them all.
    stored: Mutex<Option<Arc<StoredTrees>>>,
    /// Reads `stored` (see [`ParseCache::with_stored_later`]); held while
    /// it runs, so that whoever else needs the trees waits for them.
    stored_later: Mutex<Option<StoredLater>>,
    /// Whether some file was parsed (its trees were neither stored nor
    /// compiled ahead).
    parsed_any: AtomicBool,
}

/// Reads trees kept from an earlier run, when first needed (see
/// [`ParseCache::with_stored_later`]).
pub struct StoredLater(Box<dyn FnOnce() -> Option<StoredTrees> + Send>);

impl StoredLater {
    pub fn new(read: impl FnOnce() -> Option<StoredTrees> + Send + 'static) -> StoredLater {
        StoredLater(Box::new(read))
    }
}

impl std::fmt::Debug for StoredLater {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoredLater")
    }
}

/// Loads heads of documents kept from an earlier run into a chart's cache
/// (see [`ParseCache::with_heads_later`]), typically with
/// [`crate::output::HeadCache::load`].
pub struct HeadsLater(Box<dyn FnOnce(&crate::output::HeadCache) + Send>);

impl HeadsLater {
    pub fn new(load: impl FnOnce(&crate::output::HeadCache) + Send + 'static) -> HeadsLater {
        HeadsLater(Box::new(load))
    }
}

impl std::fmt::Debug for HeadsLater {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HeadsLater")
    }
}

/// Templates parsed ahead of time: (template name, trees encoded by
/// [`gotmpl::compiled::encode`]).
pub type CompiledTemplates = &'static [(&'static str, &'static [u8])];

/// Template files parsed ahead of a chart's first render (see
/// [`ParseCache::parse_early`]); each file is parsed by whichever thread
/// takes it first.
#[derive(Debug)]
struct EarlyParse {
    files: Vec<(String, Arc<str>)>,
    next: AtomicUsize,
    finished: Mutex<usize>,
    all_finished: Condvar,
}

fn relock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl EarlyParse {
    /// Parses files into `cache` until none is left to take.
    fn work(&self, cache: &ParseCache, set: &TemplateSet) {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some((name, text)) = self.files.get(i) else {
                return;
            };
            // Counted even if parsing panics, so that no one waits forever.
            let _finished = Finished(self);
            // A file that does not parse is parsed again by the render, which reports it.
            let _ = cache.parse(set, name, text);
        }
    }

    /// Waits until every file taken has been parsed.
    fn wait(&self) {
        let mut finished = relock(&self.finished);
        while *finished < self.files.len() {
            finished = self
                .all_finished
                .wait(finished)
                .unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// See [`ParseCache::parse_early`]. Not run, it leaves all the files to
/// the first render.
pub struct EarlyParseJob {
    cache: Arc<ParseCache>,
    early: Arc<EarlyParse>,
}

impl EarlyParseJob {
    pub fn run(self) {
        self.early.work(&self.cache, &new_template_set());
    }
}

struct Finished<'a>(&'a EarlyParse);

impl Drop for Finished<'_> {
    fn drop(&mut self) {
        let mut finished = relock(&self.0.finished);
        *finished += 1;
        // Only the last file can end a wait (a notification is a system
        // call, waiter or not).
        if *finished == self.0.files.len() {
            self.0.all_finished.notify_all();
        }
    }
}

type ParsedFile = Arc<Vec<Arc<Tree>>>;

/// What a template's text parsed into, and the text unless the first tree
/// holds it.
type TextAndTrees = (Option<Box<str>>, ParsedFile);

impl ParseCache {
    pub fn new() -> ParseCache {
        ParseCache::default()
    }

    /// A cache that decodes the trees of these templates instead of parsing
    /// them, where they were encoded from the same text and the engine's
    /// functions parse them the same way (else it parses).
    pub fn with_compiled(compiled: CompiledTemplates) -> ParseCache {
        ParseCache {
            compiled: compiled.iter().copied().collect(),
            ..ParseCache::default()
        }
    }

    /// A cache that also decodes the trees `stored` holds for the same
    /// texts (see [`crate::tree_store`]), and can give what to store next
    /// time ([`ParseCache::stored_update`]).
    pub fn with_stored(mut self, stored: StoredTrees) -> ParseCache {
        self.stored = Mutex::new(Some(Arc::new(stored)));
        self
    }

    /// [`ParseCache::with_stored`] with trees still to be read (a file of
    /// a megabyte or more): by [`ParseCache::load_stored`], which a helper
    /// thread can run while the chart loads, else by the first template
    /// decoded.
    pub fn with_stored_later(mut self, later: StoredLater) -> ParseCache {
        self.stored_later = Mutex::new(Some(later));
        self
    }

    /// Reads the trees given to [`ParseCache::with_stored_later`], unless
    /// that was done; a second caller meanwhile waits for the first. Then
    /// the heads (see [`ParseCache::with_heads_later`]).
    pub fn load_stored(&self) {
        {
            let mut later = relock(&self.stored_later);
            if let Some(StoredLater(read)) = later.take() {
                if let Some(stored) = read() {
                    *relock(&self.stored) = Some(Arc::new(stored));
                }
            }
        }
        self.load_heads();
    }

    /// A cache whose heads of rendered documents are also kept between
    /// runs: `later` loads those of an earlier run (by
    /// [`ParseCache::load_stored`], or when the first render needs them),
    /// and [`ParseCache::heads_update`] gives what to keep for the next.
    pub fn with_heads_later(mut self, later: HeadsLater) -> ParseCache {
        self.heads_later = Mutex::new(Some(later));
        self.heads_kept = AtomicBool::new(true);
        self
    }

    fn load_heads(&self) {
        let mut later = relock(&self.heads_later);
        if let Some(HeadsLater(load)) = later.take() {
            load(&self.heads);
        }
    }

    /// A blob for [`crate::output::HeadCache::load`] holding the heads of
    /// the documents rendered so far, if some had to be decoded.
    pub fn heads_update(&self, build_id: u64) -> Option<Vec<u8>> {
        self.heads.stored_update(build_id)
    }

    /// A blob for [`ParseCache::with_stored`] holding the trees of every
    /// template seen so far, if some template had to be parsed (else
    /// `None`: decoding already served every template).
    pub fn stored_update(&self, build_id: u64) -> Option<Vec<u8>> {
        if !self.parsed_any.load(Ordering::Relaxed) {
            return None;
        }
        let set = new_template_set();
        self.load_stored();
        let stored = relock(&self.stored).clone();
        let files: Vec<(Box<str>, Arc<str>, ParsedFile)> = {
            let trees = relock(&self.trees);
            let mut files: Vec<_> = trees
                .iter()
                .filter_map(|(name, (copy, parsed))| {
                    let text: Arc<str> = match copy {
                        Some(text) => Arc::from(&**text),
                        None => parsed.first()?.text.clone(),
                    };
                    Some((name.clone(), text, parsed.clone()))
                })
                .collect();
            files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            files
        };
        // Encoding is most of the cost: on all cores, like parsing.
        let encoded = crate::par::map_in_order(
            &files,
            |(_, text, _)| text.len(),
            |(name, text, parsed)| match stored.as_ref().and_then(|s| s.get(name, text)) {
                Some(encoded) => Some(encoded.bytes().to_vec()),
                None => set.encode_trees(name, parsed),
            },
        );
        Some(crate::tree_store::write(
            build_id,
            files
                .iter()
                .zip(&encoded)
                .filter_map(|((name, text, _), bytes)| {
                    Some((&**name, &**text, &bytes.as_ref()?[..]))
                }),
        ))
    }

    /// How many file outputs renders took from earlier ones (see
    /// [`EngineOptions::reuse_outputs_for`]).
    pub fn outputs_reused(&self) -> usize {
        self.outputs.reused()
    }

    /// The head cache, from a chart's second render on (a chart rendered
    /// once would only pay for filling it), or from the first when heads
    /// are kept between runs (see [`ParseCache::with_heads_later`]).
    pub fn heads(&self) -> Option<&crate::output::HeadCache> {
        let n = self
            .renders
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if self.heads_kept.load(Ordering::Relaxed) {
            self.load_heads();
            return Some(&self.heads);
        }
        (n > 0).then_some(&self.heads)
    }

    /// Registers template files (full name, text) to parse ahead of the
    /// first render: the returned job parses them on the thread that runs
    /// it, while the first render takes its share of what is left and
    /// waits for the rest.
    pub fn parse_early(self: &Arc<Self>, mut files: Vec<(String, Arc<str>)>) -> EarlyParseJob {
        // Largest first: whoever waits at the end waits for a small file.
        files.sort_by_key(|(_, text)| std::cmp::Reverse(text.len()));
        let early = Arc::new(EarlyParse {
            files,
            next: AtomicUsize::new(0),
            finished: Mutex::new(0),
            all_finished: Condvar::new(),
        });
        *relock(&self.early) = Some(early.clone());
        EarlyParseJob {
            cache: self.clone(),
            early,
        }
    }

    /// Takes part in parsing the files given to [`ParseCache::parse_early`]
    /// and waits until all are done.
    fn finish_early(&self, set: &TemplateSet) {
        let early = relock(&self.early).clone();
        if let Some(early) = early {
            early.work(self, set);
            early.wait();
            // Every file is in the cache now: the copies of the texts can go.
            let mut slot = relock(&self.early);
            if slot.as_ref().is_some_and(|e| Arc::ptr_eq(e, &early)) {
                *slot = None;
            }
            // And the stored trees' index, when they served every file
            // (else `stored_update` copies from them); their bytes stay
            // while decoded trees still hold lists left encoded.
            if !self.parsed_any.load(Ordering::Relaxed) {
                *relock(&self.stored) = None;
            }
        }
    }

    /// The trees of a file parsed before with the same text.
    fn cached(&self, name: &str, text: &Arc<str>) -> Option<ParsedFile> {
        let trees = self.trees.lock().unwrap_or_else(|e| e.into_inner());
        match trees.get(name) {
            // The same shared text, or one equal to it: comparing is cheaper
            // than hashing the text, and exact.
            Some((cached_text, parsed))
                if source_of(cached_text, parsed)
                    .is_some_and(|t| std::ptr::eq(t, &**text) || t == &**text) =>
            {
                Some(parsed.clone())
            }
            _ => None,
        }
    }

    fn parse(
        &self,
        set: &TemplateSet,
        name: &str,
        text: &Arc<str>,
    ) -> Result<ParsedFile, gotmpl::ParseError> {
        if let Some(trees) = self.cached(name, text) {
            return Ok(trees);
        }
        let from_store = || {
            self.load_stored();
            let stored = relock(&self.stored).clone()?;
            // Decoding checks that they were parsed from this text.
            let encoded = stored.encoded(name)?;
            set.decode_trees_shared(name, text, encoded)
        };
        let decoded = from_store().or_else(|| {
            self.compiled
                .get(name)
                .and_then(|&encoded| set.decode_trees_shared(name, text, encoded))
        });
        let trees = match decoded {
            Some(trees) => trees,
            None => {
                self.parsed_any.store(true, Ordering::Relaxed);
                set.parse_trees_shared(name, text)?
            }
        };
        let trees: ParsedFile = Arc::new(trees.into_iter().map(Arc::new).collect());
        // The trees hold the text already (positions refer to it): a copy
        // is kept only where they do not.
        let copy = match trees.first() {
            Some(tree) if *tree.text == **text => None,
            _ => Some((**text).into()),
        };
        self.trees
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.into(), (copy, trees.clone()));
        Ok(trees)
    }
}

/// The text a file's cached trees were parsed from.
fn source_of<'a>(copy: &'a Option<Box<str>>, trees: &'a ParsedFile) -> Option<&'a str> {
    match copy {
        Some(text) => Some(text),
        None => trees.first().map(|tree| &*tree.text),
    }
}

/// Every file's parse result, in `order`. Files parse independently of each
/// other (only the function names matter), so large charts are parsed on
/// all cores; the caller still reports the first failure in helm's order.
fn parse_all(
    set: &TemplateSet,
    order: &[&str],
    by_name: &BTreeMap<&str, &TemplateSource>,
    cache: &ParseCache,
) -> Vec<Result<ParsedFile, gotmpl::ParseError>> {
    cache.finish_early(set);
    // Files parsed by an earlier render need no thread.
    let text = |i: usize| &by_name[order[i]].text;
    let mut results: Vec<Option<Result<ParsedFile, gotmpl::ParseError>>> = (0..order.len())
        .map(|i| cache.cached(order[i], text(i)).map(Ok))
        .collect();
    let missing: Vec<usize> = (0..order.len()).filter(|&i| results[i].is_none()).collect();
    let parsed = crate::par::map_in_order(
        &missing,
        |&i| text(i).len(),
        |&i| cache.parse(set, order[i], text(i)),
    );
    for (i, r) in missing.into_iter().zip(parsed) {
        results[i] = Some(r);
    }
    results
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|| cache.parse(set, order[i], text(i))))
        .collect()
}

/// The template set every render starts from (parsing depends only on its
/// functions).
fn new_template_set() -> TemplateSet {
    let mut set = TemplateSet::new("gotpl", funcs::funcs());
    set.set_map_methods(Some(Arc::new(crate::objects::values_method)));
    set
}

/// Renders every non-partial template; the result maps template name to output
/// (with `<no value>` removed, as helm does).
pub fn render(
    sources: &[TemplateSource],
    opts: &EngineOptions,
) -> Result<BTreeMap<String, String>, RenderError> {
    render_cached(sources, opts, &ParseCache::new())
}

/// [`render`], reusing (and filling) a cache of parsed templates.
pub fn render_cached(
    sources: &[TemplateSource],
    opts: &EngineOptions,
    cache: &ParseCache,
) -> Result<BTreeMap<String, String>, RenderError> {
    render_cached_raw(sources, opts, cache).map(|(files, _)| files)
}

/// The bytes of each rendered file that is not UTF-8, by template name.
pub type RawOutputs = BTreeMap<String, Vec<u8>>;

/// [`render_cached`], with the bytes of each output that is not UTF-8 (Go's
/// output is bytes; such a file's text has U+FFFD for each invalid byte).
pub fn render_cached_raw(
    sources: &[TemplateSource],
    opts: &EngineOptions,
    cache: &ParseCache,
) -> Result<(BTreeMap<String, String>, RawOutputs), RenderError> {
    render_cached_raw_beside(sources, opts, cache, None)
}

/// A job of the caller's run by the render's first helper thread before it
/// takes templates (see [`render_cached_raw_beside`]).
pub type SideJob<'a> = &'a (dyn Fn() + Sync);

/// [`render_cached_raw`], with `side` run on the first thread that helps
/// with the templates, before it takes any: the caller's other work (schema
/// validation) then shares that thread instead of being a third runnable
/// thread beside two rendering ones (whose wait for a core can hold a
/// render back by milliseconds). Whether `side` ran is for the caller to
/// note (it does not run when the render has no helper thread).
pub fn render_cached_raw_beside(
    sources: &[TemplateSource],
    opts: &EngineOptions,
    cache: &ParseCache,
    side: Option<SideJob<'_>>,
) -> Result<(BTreeMap<String, String>, RawOutputs), RenderError> {
    let mut set = new_template_set();
    set.set_missing_key(funcs::missing_key(opts.strict));
    set.set_output_limit(Some(MAX_RENDERED_OUTPUT));
    // Strings and lists as large as the functions themselves may build.
    set.set_value_limits(Some(gotmpl::ValueLimits {
        max_string_bytes: chartgen_sprig::util::MAX_STRING_LEN,
        max_list_items: chartgen_sprig::util::MAX_LIST_LEN,
    }));

    let by_name: BTreeMap<&str, &TemplateSource> =
        sources.iter().map(|s| (s.name.as_str(), s)).collect();
    let mut order: Vec<&str> = by_name.keys().copied().collect();
    parse_order(&mut order);

    let jobs: Vec<(&str, &TemplateSource)> = order
        .iter()
        .filter(|name| !is_partial(name))
        .map(|&name| (name, by_name[name]))
        .collect();
    // Seeded randomness is one sequence through the templates in order.
    let parallel = opts.parallel && opts.determinism.seed.is_none();
    // Made now, while the templates decode beside (see `render_in_parallel`).
    let mut contexts: Vec<Option<Value>> = if parallel && crate::threads().min(jobs.len()) >= 2 {
        jobs.iter()
            .map(|&(name, src)| Some(file_context(name, src)))
            .collect()
    } else {
        Vec::new()
    };

    let parsed = parse_all(&set, &order, &by_name, cache);
    for (name, result) in order.iter().zip(parsed) {
        match result {
            Ok(trees) => {
                for t in trees.iter() {
                    set.add_shared_tree(t.clone());
                }
            }
            Err(e) => {
                return Err(RenderError {
                    message: format_parse_error(name, &e),
                })
            }
        }
    }
    set.freeze();

    let frame = opts
        .reuse_outputs_for
        .as_deref()
        .map(|frame| format!("{frame}\n{:?} {:?}", opts.strict, opts.lint_mode));
    let reuse = frame
        .as_deref()
        .and_then(|frame| cache.outputs.begin(frame, sources.iter().map(|s| &s.scope)));
    // Outputs kept from an earlier render, by job; the other jobs run.
    let reused: Vec<Option<reuse::KeptOutput>> = jobs
        .iter()
        .map(|(name, src)| reuse.as_ref().and_then(|r| r.lookup(name, &src.text)))
        .collect();
    let run: Vec<usize> = (0..jobs.len()).filter(|&j| reused[j].is_none()).collect();
    let run_jobs: Vec<(&str, &TemplateSource)> = run.iter().map(|&j| jobs[j]).collect();
    // `None` unless every job to run has its context.
    let run_contexts: Option<Vec<Value>> = run
        .iter()
        .map(|&j| contexts.get_mut(j).and_then(Option::take))
        .collect();
    drop(contexts);
    let record = reuse.is_some();
    let new_state = || {
        if record {
            // The thread's read numbers live as long as its memo.
            gotmpl::purity::reset_reads();
        }
        let mut state = RenderState::new(opts.lint_mode).with_determinism(&opts.determinism);
        state.tpl_cache = Some(cache.tpl.clone());
        if !opts.reuse_includes {
            state.memo.disable();
        }
        state
    };
    let mut done = if parallel {
        render_in_parallel(&set, &run_jobs, run_contexts, &new_state, record, side)
    } else {
        Vec::new()
    };
    if opts.values_shared && done.iter().any(|o| matches!(o, Some(Outcome::Refused))) {
        return render_detached(sources, opts, cache, reuse.as_ref());
    }
    // Shared values stay as they are: a write goes to a private copy and
    // the render starts over on copies of the scopes.
    let shared_guard = opts.values_shared.then(gotmpl::WriteGuard::new);

    let mut state = new_state();
    // helm gives the templates of a chart one top-level context, setting its
    // `.Template` for each in turn: what one writes into `$`, later ones see.
    let mut contexts: Vec<(&MapEntries, Value)> = Vec::new();
    let mut rendered = BTreeMap::new();
    let mut raw = BTreeMap::new();
    let mut total = 0usize;
    // What the jobs run recorded: (job, reads, effects).
    let mut runs = Vec::new();
    let mut run = 0;
    let mut used = 0;
    // Whether a template wrote to a map made before it (shared values).
    let mut wrote = false;
    for (j, &(name, src)) in jobs.iter().enumerate() {
        // A kept output stands for an execution that wrote nothing and read
        // what it reads now; but once a template wrote, later ones may read
        // what it wrote, so they run.
        if let Some(kept) = reused[j].as_ref().filter(|_| !wrote) {
            used += 1;
            total += kept.text.len();
            check_total(total, name)?;
            rendered.insert(name.to_string(), kept.text.clone());
            if let Some(bytes) = &kept.raw {
                raw.insert(name.to_string(), bytes.clone());
            }
            continue;
        }
        let ran_in_parallel = if reused[j].is_none() {
            run += 1;
            done.get_mut(run - 1).and_then(Option::take)
        } else {
            None
        };
        // From the first template that needed to write shared values (or
        // was not reached), templates run here one after another.
        let file = match ran_in_parallel {
            Some(Outcome::Done(file)) => file,
            Some(Outcome::Refused) | None => {
                done.clear();
                let data = match contexts
                    .iter()
                    .find(|(scope, _)| same_scope(scope, &src.scope))
                {
                    Some((_, data)) => {
                        if let Value::Map(m) = data {
                            m.replace_slot(template_object(name, src));
                        }
                        data.clone()
                    }
                    None => {
                        let data = file_context(name, src);
                        contexts.push((&src.scope, data.clone()));
                        data
                    }
                };
                let file = render_one(&set, name, src, &data, &mut state, record);
                if shared_guard.as_ref().is_some_and(|g| g.take_refused()) {
                    drop(shared_guard);
                    return render_detached(sources, opts, cache, reuse.as_ref());
                }
                file
            }
        };
        let out = file.result.map_err(|e| RenderError {
            message: format_exec_error(name, &e),
        })?;
        if file.effects.wrote_older_map {
            wrote = true;
            done.clear();
        }
        runs.push((j, file.reads, file.effects));
        total += out.len();
        check_total(total, name)?;
        match out.into_result() {
            Ok(out) => {
                rendered.insert(name.to_string(), funcs::strip_no_value(out));
            }
            Err(bytes) => {
                let bytes = gotmpl::gostr::replace_all(&bytes, b"<no value>", b"");
                rendered.insert(name.to_string(), gotmpl::gostr::lossy(&bytes).into_owned());
                raw.insert(name.to_string(), bytes);
            }
        }
    }
    if let Some(reuse) = &reuse {
        reuse.count_reused(used);
        if wrote {
            // What a template read may have been written by another.
            reuse.forget();
        } else {
            for (j, reads, effects) in &runs {
                let (name, src) = jobs[*j];
                if effects.repeatable() {
                    let output = reuse::KeptOutput {
                        text: rendered[name].clone(),
                        raw: raw.get(name).cloned(),
                    };
                    reuse.keep(name, &src.text, output, reads);
                }
            }
        }
    }
    Ok((rendered, raw))
}

/// Renders `sources` again, on copies of their scopes' maps (values included),
/// for templates that write into values other renders share; what the
/// first attempt wrote went to private copies and is forgotten.
fn render_detached(
    sources: &[TemplateSource],
    opts: &EngineOptions,
    cache: &ParseCache,
    reuse: Option<&reuse::RenderReuse>,
) -> Result<(BTreeMap<String, String>, RawOutputs), RenderError> {
    if let Some(reuse) = reuse {
        reuse.count_reused(0);
        reuse.forget();
    }
    // A map reached twice (a sub-chart's `.Values` also under its parent's
    // `.Subcharts`) is copied once.
    let mut copies: rustc_hash::FxHashMap<usize, Arc<gotmpl::Map>> = Default::default();
    let sources: Vec<TemplateSource> = sources
        .iter()
        .map(|s| TemplateSource {
            scope: s
                .scope
                .iter()
                .map(|(k, v)| (k.clone(), detach(v, &mut copies)))
                .collect(),
            ..s.clone()
        })
        .collect();
    let opts = EngineOptions {
        values_shared: false,
        reuse_outputs_for: None,
        ..opts.clone()
    };
    render_cached_raw(&sources, &opts, cache)
}

/// `v` with each of its maps copied (lists holding maps too), once per map.
fn detach(v: &Value, copies: &mut rustc_hash::FxHashMap<usize, Arc<gotmpl::Map>>) -> Value {
    fn holds_maps(v: &Value) -> bool {
        match v {
            Value::Map(_) => true,
            Value::List(l) => l.items.iter().any(holds_maps),
            _ => false,
        }
    }
    match v {
        Value::Map(m) => {
            if let Some(copy) = copies.get(&m.id()) {
                return Value::Map(if copy.ty == m.ty {
                    copy.clone()
                } else {
                    Arc::new(gotmpl::Map::retyped(copy, m.ty.clone()))
                });
            }
            let copy = if m.is_nil() {
                gotmpl::Map::new_nil(m.ty.clone())
            } else {
                let entries = m
                    .entries_unobserved()
                    .iter()
                    .map(|(k, v)| (k.clone(), detach(v, copies)))
                    .collect();
                gotmpl::Map::new(m.ty.clone(), entries)
            };
            let copy = Arc::new(copy);
            copies.insert(m.id(), copy.clone());
            Value::Map(copy)
        }
        Value::List(l) if holds_maps(v) => Value::List(Arc::new(gotmpl::List {
            ty: l.ty.clone(),
            items: l.items.iter().map(|item| detach(item, copies)).collect(),
            nil: l.nil,
            spare: l.spare.clone(),
        })),
        _ => v.clone(),
    }
}

fn check_total(total: usize, name: &str) -> Result<(), RenderError> {
    if total > MAX_RENDERED_OUTPUT {
        return Err(RenderError {
            message: format!(
                "rendered output exceeds chartgen's limit of {MAX_RENDERED_OUTPUT} bytes (at {name})"
            ),
        });
    }
    Ok(())
}

/// A template's `.Template`. Those of one chart differ only in `.Name`,
/// whose reads are watched (see [`crate::memo`]).
fn template_object(name: &str, src: &TemplateSource) -> Value {
    let mut template = MapEntries::new();
    template.insert("Name".into(), Value::from(name));
    template.insert("BasePath".into(), Value::from(src.base_path.as_str()));
    Value::typed_map_watching(values_type(), template, "Name".into())
}

/// A template's top-level context: its chart's scope and its `.Template`
/// (a slot, so that one context can serve a chart's templates in turn).
fn file_context(name: &str, src: &TemplateSource) -> Value {
    let mut top = src.scope.clone();
    top.insert("Template".into(), template_object(name, src));
    Value::typed_map_with_slot(values_type(), top, "Template".into())
}

/// Whether two templates' scopes are one chart's.
fn same_scope(a: &MapEntries, b: &MapEntries) -> bool {
    std::ptr::eq(a, b)
        || (a.len() == b.len()
            && a.iter()
                .zip(b.iter())
                .all(|((k1, v1), (k2, v2))| k1 == k2 && v1.is_identical(v2)))
}

/// One template file's execution.
struct FileRun {
    result: Result<gotmpl::gostr::Output, gotmpl::ExecError>,
    /// Its reads of the scopes' `.Values` (when recorded).
    reads: Vec<gotmpl::purity::Read>,
    effects: gotmpl::purity::Effects,
}

/// Executes one template file with `data` as its top-level context,
/// observing its effects and, if `record`, its reads of tagged maps.
fn render_one(
    set: &TemplateSet,
    name: &str,
    src: &TemplateSource,
    data: &Value,
    state: &mut RenderState,
    record: bool,
) -> FileRun {
    if record {
        gotmpl::purity::record_reads();
    }
    let frame = gotmpl::purity::begin();
    let result = execute_file(set, name, src, data, state);
    let effects = gotmpl::purity::end(frame);
    let reads = if record {
        gotmpl::purity::stop_recording_reads()
    } else {
        Vec::new()
    };
    FileRun {
        result,
        reads,
        effects,
    }
}

fn execute_file(
    set: &TemplateSet,
    name: &str,
    src: &TemplateSource,
    data: &Value,
    state: &mut RenderState,
) -> Result<gotmpl::gostr::Output, gotmpl::ExecError> {
    state.memo.register_root(set, data, &src.scope);
    // A file's output is what `include` of it with the same context gives:
    // charts include whole files for checksums, before or after rendering
    // them, and the memo answers for both.
    let key = gotmpl::Str::from(name);
    let pending = match state.memo.lookup(set, &key, data, 0) {
        crate::memo::Lookup::Hit(value) => return Ok(gotmpl::gostr::Output::from_value(&value)),
        crate::memo::Lookup::Miss(p) => Some(p),
        crate::memo::Lookup::Off => None,
    };
    let mut out = gotmpl::gostr::Output::new();
    let result = set.execute_output_with(name, data, &mut out, state);
    if let Some(p) = pending {
        let value = result.is_ok().then(|| out.to_value());
        state.memo.finish(*p, value.as_ref());
    }
    result?;
    Ok(out)
}

/// What a template run in parallel gave.
enum Outcome {
    Done(FileRun),
    /// It wrote to a map that existed before the render (`set .Values …`):
    /// templates after it in helm's order may see that write, so it and
    /// they are run again in order.
    Refused,
}

/// Runs the templates on all cores. Helm runs them one after another, and a
/// template sees what earlier ones wrote into shared maps; here none may
/// write to a map made before the render (a [`gotmpl::WriteGuard`]), which
/// makes each result independent of the others and so equal to helm's,
/// up to the first template that tried: that one and those after it are
/// left to be run in order. Work stops early at a failure, which the
/// caller reports in order.
///
/// `contexts` are the jobs' own top-level contexts (see [`file_context`]),
/// made before the guard: a template that writes into `$` must be run in
/// order, as helm shares one context between the templates of a chart.
/// Without them (one thread), nothing runs here.
fn render_in_parallel(
    set: &TemplateSet,
    jobs: &[(&str, &TemplateSource)],
    contexts: Option<Vec<Value>>,
    new_state: &(dyn Fn() -> RenderState + Sync),
    record: bool,
    side: Option<SideJob<'_>>,
) -> Vec<Option<Outcome>> {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let threads = crate::threads().min(jobs.len()).min(8);
    let Some(contexts) = contexts.filter(|c| threads >= 2 && c.len() == jobs.len()) else {
        return Vec::new();
    };
    let contexts = &contexts;
    let guard = gotmpl::WriteGuard::new();
    let generation = guard.generation();
    let next = AtomicUsize::new(0);
    // Templates after the first failure or refusal need not run.
    let stop_at = AtomicUsize::new(usize::MAX);
    let work = |_: usize| {
        let guard = gotmpl::WriteGuard::joining(generation);
        let mut state = new_state();
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Relaxed);
            if i >= jobs.len() || i > stop_at.load(Relaxed) {
                break;
            }
            let (name, src) = jobs[i];
            let file = render_one(set, name, src, &contexts[i], &mut state, record);
            let outcome = if guard.take_refused() {
                Outcome::Refused
            } else {
                Outcome::Done(file)
            };
            if !matches!(&outcome, Outcome::Done(file) if file.result.is_ok()) {
                stop_at.fetch_min(i, Relaxed);
                // A failed execution may leave include counts behind.
                state = new_state();
            }
            done.push((i, outcome));
        }
        done
    };
    let mut results: Vec<Option<Outcome>> = (0..jobs.len()).map(|_| None).collect();
    crate::pool::scope(|scope| {
        let work = &work;
        let helpers: Vec<_> = (1..threads)
            .filter_map(|k| {
                let side = side.filter(|_| k == 1);
                scope
                    .spawn(move || {
                        if let Some(side) = side {
                            side();
                        }
                        work(k)
                    })
                    .ok()
            })
            .collect();
        let mine = work(0);
        for (i, outcome) in helpers
            .into_iter()
            .filter_map(|h| h.join().ok())
            .flatten()
            .chain(mine)
        {
            results[i] = Some(outcome);
        }
    });
    drop(guard);
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_order_is_helms() {
        let mut names = vec![
            "c/templates/a.yaml",
            "c/charts/s/templates/z.yaml",
            "c/templates/_h.tpl",
            "c/templates/b.yaml",
        ];
        parse_order(&mut names);
        assert_eq!(
            names,
            vec![
                "c/charts/s/templates/z.yaml",
                "c/templates/b.yaml",
                "c/templates/a.yaml",
                "c/templates/_h.tpl",
            ]
        );
    }

    /// Sources of a chart `c` whose sub-chart `s` has no templates (its
    /// values reachable only through `.Subcharts`), with scopes made afresh
    /// from `values`, as each render makes them.
    fn chart_sources(files: &[(&str, &str)], values: &Value) -> Vec<TemplateSource> {
        let entries = values.as_map().map(|m| (*m).clone()).unwrap_or_default();
        let sub_values = match entries.get("s") {
            Some(Value::Map(m)) => (*m.entries()).clone(),
            _ => MapEntries::new(),
        };
        let mut sub = MapEntries::new();
        sub.insert("Values".into(), Value::typed_map(values_type(), sub_values));
        let mut subcharts = MapEntries::new();
        subcharts.insert("s".into(), Value::map(sub));
        let mut scope = MapEntries::new();
        scope.insert("Values".into(), Value::typed_map(values_type(), entries));
        scope.insert("Subcharts".into(), Value::map(subcharts));
        files
            .iter()
            .map(|(name, text)| TemplateSource {
                name: format!("c/templates/{name}"),
                text: (*text).into(),
                scope: scope.clone(),
                base_path: "c/templates".into(),
            })
            .collect()
    }

    /// Renders each of `values` in turn with one cache, reusing outputs,
    /// and each afresh, on all cores and on one: the results must be the
    /// same. Returns the outputs reused (on all cores, on one).
    fn renders_agree(files: &[(&str, &str)], values: &[&str]) -> (usize, usize) {
        let reused = |parallel: bool| {
            let cache = ParseCache::new();
            let reusing = EngineOptions {
                parallel,
                reuse_outputs_for: Some("frame".into()),
                ..EngineOptions::default()
            };
            let fresh = EngineOptions {
                parallel,
                ..EngineOptions::default()
            };
            for (i, v) in values.iter().enumerate() {
                let v = chartgen_yaml::parse_map(v.as_bytes()).unwrap();
                let got = render_cached_raw(&chart_sources(files, &v), &reusing, &cache);
                let expected =
                    render_cached_raw(&chart_sources(files, &v), &fresh, &ParseCache::new());
                assert_eq!(got, expected, "render {i} (parallel: {parallel})");
            }
            cache.outputs_reused()
        };
        (reused(true), reused(false))
    }

    /// Options that reuse outputs of earlier renders.
    fn reusing() -> EngineOptions {
        EngineOptions {
            reuse_outputs_for: Some("frame".into()),
            ..EngineOptions::default()
        }
    }

    #[test]
    fn outputs_are_reused_when_what_they_read_is_the_same() {
        let files = [
            ("a.yaml", "{{ .Values.a }}"),
            ("b.yaml", "{{ .Values.b.x }}"),
            ("h.yaml", r#"{{ hasKey .Values "h" }}"#),
            ("n.yaml", "{{ len .Values }}"),
            ("y.yaml", "{{ toYaml .Values.b }}"),
            ("t.yaml", r#"{{ (.Values.Table "b").x }}"#),
            ("s.yaml", "{{ .Subcharts.s.Values.k }}"),
        ];
        let values = [
            "a: 1\nb: {x: 1}",
            // Only a.yaml and n.yaml (all of `.Values`) read what changed.
            "a: 2\nb: {x: 1}",
            "a: 2\nb: {x: 1}\nh: 0",
            // Values read from YAML, 1 and 1.0 are the same float64.
            "a: 2\nb: {x: 1.0}\nh: 0",
            // The same text, another type.
            "a: 2\nb: {x: \"1\"}\nh: 0",
            "a: 2\nb: {x: \"1\"}\nh: 0\ns: {k: v}",
        ];
        // Reused: 4 (hasKey reads all the entries), 5, 7, 2, 4.
        assert_eq!(renders_agree(&files, &values), (22, 22));
    }

    /// The side job runs once, on the helper thread, when the render has
    /// one; the output is the render's either way.
    #[test]
    fn a_side_job_runs_once_on_the_render_s_helper_thread() {
        let files: Vec<(String, String)> = (0..8)
            .map(|i| (format!("f{i}.yaml"), format!("{{{{ .Values.a }}}}-{i}\n")))
            .collect();
        let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (&**n, &**t)).collect();
        let values = chartgen_yaml::parse_values(b"a: 1").unwrap();
        let sources = chart_sources(&files, &values);
        let opts = EngineOptions {
            parallel: true,
            ..EngineOptions::default()
        };
        let here = std::thread::current().id();
        let runs = std::sync::Mutex::new(Vec::new());
        let side = || runs.lock().unwrap().push(std::thread::current().id());
        let (beside, _) =
            render_cached_raw_beside(&sources, &opts, &ParseCache::new(), Some(&side)).unwrap();
        let (plain, _) = render_cached_raw(&sources, &opts, &ParseCache::new()).unwrap();
        assert_eq!(beside, plain);
        let runs = runs.into_inner().unwrap();
        if crate::threads() > 1 {
            assert_eq!(runs.len(), 1);
            assert_ne!(runs[0], here);
        } else {
            assert!(runs.is_empty());
        }
    }

    #[test]
    fn reused_includes_carry_their_reads() {
        // The later file takes the helper's result from the earlier one,
        // whose computation followed a read of the same key.
        let files = [
            ("_h.tpl", r#"{{ define "h" }}{{ .Values.a }}{{ end }}"#),
            ("a.yaml", r#"{{ include "h" . }}"#),
            ("b.yaml", r#"{{ .Values.a }}{{ include "h" . }}"#),
            ("c.yaml", r#"{{ .Values.c }}"#),
        ];
        let values = ["a: 1\nc: 1", "a: 2\nc: 1", "a: 2\nc: 2"];
        assert_eq!(renders_agree(&files, &values), (3, 3));
    }

    #[test]
    fn a_render_that_writes_values_reuses_and_keeps_nothing() {
        let files = [
            (
                "b.yaml",
                r#"{{ if .Values.w }}{{ $_ := set .Values "x" "w" }}{{ end }}"#,
            ),
            ("a.yaml", "{{ .Values.x }}"),
        ];
        let values = ["w: false", "w: false", "w: true", "w: true", "w: false"];
        // Only while nothing writes: the second render reuses both.
        let (parallel, one_thread) = renders_agree(&files, &values);
        assert_eq!((parallel, one_thread), (2, 2));
    }

    #[test]
    fn renders_that_reuse_nothing_for_long_stop_recording_for_a_while() {
        let files = [("a.yaml", "{{ .Values.g }}"), ("b.yaml", "{{ .Values.g }}")];
        let cache = ParseCache::new();
        let opts = reusing();
        let render = |g: usize| {
            let values = chartgen_yaml::parse_map(format!("g: {g}").as_bytes()).unwrap();
            let (files, _) =
                render_cached_raw(&chart_sources(&files, &values), &opts, &cache).unwrap();
            assert_eq!(files["c/templates/a.yaml"], g.to_string());
        };
        // Eight renders that find nothing: the next 56 do not record.
        for g in 0..8 {
            render(g);
        }
        for _ in 0..56 {
            render(1);
        }
        assert_eq!(cache.outputs_reused(), 0);
        // Then a render records again, and the next one reuses.
        render(1);
        render(1);
        assert_eq!(cache.outputs_reused(), 2);
    }

    #[test]
    fn random_output_is_not_reused() {
        let files = [("r.yaml", "{{ randAlphaNum 16 }}"), ("a.yaml", "a")];
        let cache = ParseCache::new();
        let opts = reusing();
        let values = Value::map(MapEntries::new());
        let outputs: Vec<String> = (0..3)
            .map(|_| {
                let (files, _) =
                    render_cached_raw(&chart_sources(&files, &values), &opts, &cache).unwrap();
                files["c/templates/r.yaml"].clone()
            })
            .collect();
        assert!(outputs[0] != outputs[1] && outputs[1] != outputs[2]);
        assert_eq!(cache.outputs_reused(), 2);
    }

    #[test]
    fn values_changed_in_place_between_renders_are_seen() {
        let files = [("a.yaml", "{{ .Values.m.k }}")];
        let cache = ParseCache::new();
        let opts = reusing();
        // One map under `m`, shared by both renders' values.
        let values = chartgen_yaml::parse_map(b"m: {k: 1}").unwrap();
        let render = |cache: &ParseCache| {
            let (files, _) =
                render_cached_raw(&chart_sources(&files, &values), &opts, cache).unwrap();
            files["c/templates/a.yaml"].clone()
        };
        assert_eq!(render(&cache), "1");
        let Some(Value::Map(m)) = values.as_map().unwrap().get("m").cloned() else {
            panic!("a map")
        };
        m.insert("k".into(), Value::int(2));
        assert_eq!(render(&cache), "2");
        assert_eq!(render(&cache), "2");
        assert_eq!(cache.outputs_reused(), 1);
    }

    fn source(name: &str, text: &str) -> TemplateSource {
        TemplateSource {
            name: name.into(),
            text: text.into(),
            scope: MapEntries::new(),
            base_path: "c/templates".into(),
        }
    }

    #[test]
    fn early_parsing_gives_the_renders_results() {
        let good = vec![
            source(
                "c/templates/_h.tpl",
                r#"{{ define "h" }}[{{ . }}]{{ end }}"#,
            ),
            source("c/templates/a.yaml", r#"a: {{ include "h" 1 }}"#),
            source("c/templates/b.yaml", r#"b: {{ include "h" 2 }}"#),
        ];
        let mut bad = good.clone();
        bad.push(source("c/templates/c.yaml", "c: {{ nope }}"));
        // Early files named as the render names them, plus one no render asks for.
        let early_files = |sources: &[TemplateSource]| {
            let mut files: Vec<(String, Arc<str>)> = sources
                .iter()
                .map(|s| (s.name.clone(), s.text.clone()))
                .collect();
            files.push(("c/charts/off/templates/x.yaml".into(), "{{ .".into()));
            files
        };
        let opts = EngineOptions::default();
        for sources in [&good, &bad] {
            let expected = render(sources, &opts);
            // The job run before, during, or never: the render does the rest.
            for when in ["before", "during", "never"] {
                let cache = Arc::new(ParseCache::new());
                let job = cache.parse_early(early_files(sources));
                let got = match when {
                    "before" => {
                        job.run();
                        render_cached(sources, &opts, &cache)
                    }
                    "during" => std::thread::scope(|s| {
                        s.spawn(|| job.run());
                        render_cached(sources, &opts, &cache)
                    }),
                    _ => render_cached(sources, &opts, &cache),
                };
                assert_eq!(got, expected, "job run {when}");
            }
        }
        assert!(render(&bad, &opts)
            .unwrap_err()
            .message
            .contains("function \"nope\" not defined"));
        assert_eq!(
            render(&good, &opts).unwrap()["c/templates/b.yaml"],
            "b: [2]"
        );
    }
}
