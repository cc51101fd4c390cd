//! `helm template` as a library call: load a chart once, render it many
//! times with different values and options.
//!
//! The order of steps and the errors are helm v4's (`pkg/action/install.go`,
//! `renderResources`): dependencies, values coalescing, schema validation,
//! kubeVersion check, rendering, NOTES, manifest sorting, output assembly.

use std::path::Path;
use std::sync::Arc;

use gotmpl::Value;

use crate::capabilities::{Capabilities, KubeVersion};
use crate::chart::Chart;
use crate::coalesce::{self, Warnings};
use crate::engine::{self, CompiledTemplates, EngineOptions, ParseCache, TemplateSource};
use crate::objects::{self, ReleaseOptions};
use crate::release::{self, OutputOptions, Rendered};
use crate::{deps, loader, schema, semver};

/// Everything `helm template` takes besides the chart and the values.
#[derive(Clone, Debug)]
pub struct TemplateOptions {
    pub release_name: String,
    pub namespace: String,
    pub is_upgrade: bool,
    /// `--kube-version` (default: helm's, v1.35.0).
    pub kube_version: Option<KubeVersion>,
    /// `--api-versions` additions to helm's default list.
    pub api_versions: Vec<String>,
    pub skip_schema_validation: bool,
    pub output: OutputOptions,
    /// `--debug`: log helm's DEBUG lines too.
    pub debug: bool,
    /// `-l/--labels` (release metadata; helm only checks them).
    pub labels: Vec<(String, String)>,
    /// chartgen's own: a seed for sprig's random functions and a frozen
    /// clock, for reproducible renders (default: real randomness and time).
    pub determinism: chartgen_sprig::Determinism,
    /// Render on the calling thread only, for callers that already keep
    /// every core busy (by default schema validation, the templates and
    /// the decoding of document heads run on all cores).
    pub one_thread: bool,
    /// The process exits right after this render (the command line): the
    /// copies of the values the render would free at its end, and a schema
    /// prepared for this render only, are left for the exit to reclaim; and
    /// templates may write into values shared with the loaded chart's
    /// defaults and the caller's (no later render could see it).
    pub leave_to_exit: bool,
    /// Keep each file's output with what it read, for later renders of the
    /// same loaded chart to reuse where the values they read are the same
    /// (on by default; a single render only pays for it).
    pub reuse_outputs: bool,
}

impl Default for TemplateOptions {
    fn default() -> Self {
        TemplateOptions {
            release_name: "release-name".to_string(),
            namespace: "default".to_string(),
            is_upgrade: false,
            kube_version: None,
            api_versions: Vec::new(),
            skip_schema_validation: false,
            output: OutputOptions::default(),
            debug: false,
            labels: Vec::new(),
            determinism: chartgen_sprig::Determinism::default(),
            one_thread: false,
            leave_to_exit: false,
            reuse_outputs: true,
        }
    }
}

/// A failure, with helm's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    pub message: String,
    /// helm had already created the release object: its CLI then appends
    /// "Use --debug flag to render out invalid YAML".
    pub during_render: bool,
    /// What `helm template --debug` prints on stdout before the error (only
    /// when `during_render`): the manifests rendered so far, or every
    /// rendered file when one of them is not valid YAML.
    pub debug_output: String,
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

fn before_render(message: impl Into<String>) -> TemplateError {
    TemplateError {
        message: message.into(),
        during_render: false,
        debug_output: String::new(),
    }
}

/// A failure once helm has created the release: `--debug` prints the (empty)
/// manifest, a blank line.
fn in_render(message: impl Into<String>) -> TemplateError {
    TemplateError {
        message: message.into(),
        during_render: true,
        debug_output: "\n".to_string(),
    }
}

/// One line of helm's slog text handler (`level=L msg=… key=value…`).
pub fn slog_line(level: &str, msg: &str, attrs: &[(&str, &str)]) -> String {
    let mut line = format!("level={level} msg={}", coalesce::slog_value(msg));
    for (k, v) in attrs {
        line.push(' ');
        line.push_str(k);
        line.push('=');
        line.push_str(&coalesce::slog_value(v));
    }
    line
}

/// Logs a line at `level` (DEBUG lines only when `debug`).
pub fn log_at(log: &mut Warnings, debug: bool, level: &str, msg: &str, attrs: &[(&str, &str)]) {
    if level != "DEBUG" || debug {
        log.0.push(slog_line(level, msg, attrs));
    }
}

/// A (pooled) thread that prepares what a chart's first render needs while
/// the chart loads: the jobs it is given, in order. Without it (the thread
/// could not start), the render and the validation do it all.
struct EarlyHelper(Option<std::sync::mpsc::Sender<Box<dyn FnOnce() + Send>>>);

impl EarlyHelper {
    fn start() -> EarlyHelper {
        let (send, receive) = std::sync::mpsc::channel::<Box<dyn FnOnce() + Send>>();
        let started = crate::pool::spawn_detached(move || {
            // Nothing more comes when the chart failed to load.
            while let Ok(job) = receive.recv() {
                job();
            }
        });
        EarlyHelper(started.ok().map(|_| send))
    }

    /// Hands the thread a job (dropped if there is no thread).
    fn send(&self, job: impl FnOnce() + Send + 'static) {
        if let Some(send) = &self.0 {
            let _ = send.send(Box::new(job));
        }
    }
}

/// The preparation of a chart's first render, started before the chart
/// loads: the helper thread and the caches it fills. A caller that knows a
/// chart's schema before loading it (a chart built into the program) has
/// it prepared at once: preparing a large schema is the longest job before
/// a first render, and the process's first milliseconds leave the other
/// cores idle.
pub struct EarlyStart {
    helper: EarlyHelper,
    schemas: Arc<schema::SchemaCache>,
    parsed: Arc<ParseCache>,
    values: crate::prepared_values::PreparedValues,
    values_store: Option<Arc<dyn crate::prepared_values::ValuesStore>>,
}

impl EarlyStart {
    pub fn new(pre: Precompiled) -> EarlyStart {
        let early = EarlyStart {
            helper: EarlyHelper::start(),
            schemas: Arc::new(
                schema::SchemaCache::with_precompiled(pre.schemas)
                    .with_store(pre.schema_store.clone()),
            ),
            values: pre.values,
            values_store: pre.values_store.clone(),
            parsed: Arc::new(pre.parse_cache()),
        };
        // Kept trees are read first: decoding starts as soon as the chart
        // is loaded.
        let parsed = early.parsed.clone();
        early.helper.send(move || parsed.load_stored());
        early
    }

    /// Has the helper prepare `text`, a schema the chart will hold, now.
    /// The chart's copy, registered when the chart loads, takes over the
    /// work done or under way; a chart without this schema only wasted it.
    pub fn prepare_schema(&self, text: Arc<[u8]>) {
        let schema = self.schemas.register_early(&text);
        self.helper.send(move || schema.prepare());
    }
}

/// A loaded chart, ready to be rendered any number of times.
#[derive(Clone, Debug)]
pub struct LoadedChart {
    chart: Chart,
    /// Templates parsed by earlier renders.
    parsed: Arc<ParseCache>,
    /// Schemas compiled by earlier renders.
    schemas: Arc<schema::SchemaCache>,
}

/// A chart's templates and schemas prepared ahead of time, by a program
/// that embeds the chart and prepares them when it is built: templates by
/// [`gotmpl::compiled::encode`], schemas by [`schema::precompile`]. Each is
/// used only for the text it was prepared from.
///
/// `stored` are trees kept from an earlier run of the program (see
/// [`crate::tree_store`] and [`LoadedChart::stored_update`]).
#[derive(Default)]
pub struct Precompiled {
    pub templates: CompiledTemplates,
    pub schemas: schema::PrecompiledSchemas,
    /// Values files read ahead of time ([`crate::prepared_values`]).
    pub values: crate::prepared_values::PreparedValues,
    pub stored: Option<crate::tree_store::StoredTrees>,
    /// Reads `stored` instead, on the helper thread while the chart loads
    /// (where [`EarlyStart`] starts one).
    pub stored_later: Option<engine::StoredLater>,
    /// Loads heads of documents kept from an earlier run, on the helper
    /// thread after `stored_later` (see [`ParseCache::with_heads_later`]
    /// and [`TreeKeeper::heads_update`]).
    pub heads_later: Option<engine::HeadsLater>,
    /// Prepared schemas kept between runs (see [`schema::SchemaStore`]).
    pub schema_store: Option<Arc<dyn schema::SchemaStore>>,
    /// Prepared values files kept between runs (see
    /// [`crate::prepared_values::ValuesStore`]).
    pub values_store: Option<Arc<dyn crate::prepared_values::ValuesStore>>,
    /// The chart directory's files kept from an earlier load, and where
    /// this load notes what it reads (see [`crate::file_memory`]).
    pub files: Option<Arc<crate::file_memory::FileMemory>>,
}

impl std::fmt::Debug for Precompiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Precompiled")
            .field("templates", &self.templates)
            .field("schemas", &self.schemas.len())
            .field("stored", &self.stored.is_some())
            .field("stored_later", &self.stored_later.is_some())
            .field("heads_later", &self.heads_later.is_some())
            .field("schema_store", &self.schema_store.is_some())
            .field("values_store", &self.values_store.is_some())
            .field("files", &self.files)
            .finish_non_exhaustive()
    }
}

impl Precompiled {
    fn parse_cache(self) -> ParseCache {
        let cache = ParseCache::with_compiled(self.templates);
        let cache = match self.stored {
            Some(stored) => cache.with_stored(stored),
            None => cache,
        };
        let cache = match self.stored_later {
            Some(later) => cache.with_stored_later(later),
            None => cache,
        };
        match self.heads_later {
            Some(later) => cache.with_heads_later(later),
            None => cache,
        }
    }
}

/// See [`LoadedChart::tree_keeper`].
#[derive(Clone, Debug)]
pub struct TreeKeeper(Arc<ParseCache>);

impl TreeKeeper {
    /// [`LoadedChart::stored_update`].
    pub fn stored_update(&self, build_id: u64) -> Option<Vec<u8>> {
        self.0.stored_update(build_id)
    }

    /// The heads of the documents rendered, to keep for the next run (see
    /// [`Precompiled::heads_later`]), if some had to be decoded.
    pub fn heads_update(&self, build_id: u64) -> Option<Vec<u8>> {
        self.0.heads_update(build_id)
    }
}

impl LoadedChart {
    /// Loads a chart directory or archive and runs helm's install checks
    /// (installable type, dependencies present in `charts/`).
    ///
    /// The templates and schemas are parsed on another thread while the
    /// values files load.
    pub fn load(path: impl AsRef<Path>, log: &mut Warnings) -> Result<LoadedChart, TemplateError> {
        Self::load_compiled(path, Precompiled::default(), log)
    }

    /// [`LoadedChart::load`], starting from what was prepared ahead of time
    /// from the same texts (templates and schemas alike; others are
    /// parsed).
    pub fn load_compiled(
        path: impl AsRef<Path>,
        mut pre: Precompiled,
        log: &mut Warnings,
    ) -> Result<LoadedChart, TemplateError> {
        let memory = pre.files.take();
        // Started first, so that what needs no chart is done while it loads.
        let early = EarlyStart::new(pre);
        // The schema's text as the helper read it, for the loader to take.
        let schema_read: Arc<std::sync::Mutex<Option<Arc<[u8]>>>> = Arc::default();
        if path.as_ref().is_dir() {
            // The loader's walk reads the schema file last, and preparing it
            // is the largest job: the helper reads and prepares it meanwhile.
            let dir = path.as_ref().to_path_buf();
            let cache = early.schemas.clone();
            let slot = schema_read.clone();
            early.helper.send(move || {
                if let Some((text, schema)) = cache.read_ahead(&dir) {
                    *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(text);
                    schema.prepare();
                }
            });
        }
        let already_read = |name: &str| {
            if name != "values.schema.json" {
                return None;
            }
            schema_read.lock().unwrap_or_else(|e| e.into_inner()).take()
        };
        let pending =
            loader::load_pending_remembering(path.as_ref(), log, &already_read, memory.as_deref())
                .map_err(|e| before_render(e.message))?;
        Self::from_pending_started(pending, early, log)
    }

    /// [`LoadedChart::load`] for a chart whose values files are not parsed
    /// yet ([`loader::load_files_pending`]).
    pub fn from_pending(
        pending: loader::Pending,
        log: &mut Warnings,
    ) -> Result<LoadedChart, TemplateError> {
        Self::from_pending_compiled(pending, Precompiled::default(), log)
    }

    /// [`LoadedChart::from_pending`] starting from what was prepared ahead
    /// of time (see [`LoadedChart::load_compiled`]).
    pub fn from_pending_compiled(
        pending: loader::Pending,
        pre: Precompiled,
        log: &mut Warnings,
    ) -> Result<LoadedChart, TemplateError> {
        Self::from_pending_started(pending, EarlyStart::new(pre), log)
    }

    /// [`LoadedChart::from_pending_compiled`] with its first render's
    /// preparation already under way (see [`EarlyStart`]).
    pub fn from_pending_started(
        pending: loader::Pending,
        early: EarlyStart,
        log: &mut Warnings,
    ) -> Result<LoadedChart, TemplateError> {
        let EarlyStart {
            helper,
            schemas,
            parsed,
            values,
            values_store,
        } = early;
        let templates = parsed.parse_early(objects::all_templates(pending.chart()));
        // Registered here, before any validation can look them up.
        let early_schemas: Vec<_> = all_schemas(pending.chart())
            .iter()
            .map(|schema| schemas.register_early(schema))
            .collect();
        helper.send(move || {
            templates.run();
            for schema in &early_schemas {
                schema.prepare();
            }
        });
        let chart = pending
            .finish_with(values, values_store.as_deref())
            .map_err(|e| before_render(e.message))?;
        Self::check(&chart, log)?;
        Ok(LoadedChart {
            chart,
            parsed,
            schemas,
        })
    }

    /// Wraps an already loaded chart (for example one built with
    /// [`loader::load_files`]).
    pub fn from_chart(chart: Chart, log: &mut Warnings) -> Result<LoadedChart, TemplateError> {
        Self::check(&chart, log)?;
        Ok(Self::from_chart_unchecked(chart))
    }

    /// helm's install checks.
    fn check(chart: &Chart, log: &mut Warnings) -> Result<(), TemplateError> {
        deps::preflight(chart, log).map_err(|e| before_render(e.0))?;
        Self::check_api_version(chart)
    }

    /// helm v4 loads apiVersion v3 charts, but its install action takes v2
    /// charts only.
    fn check_api_version(chart: &Chart) -> Result<(), TemplateError> {
        if chart.metadata.api_version == "v3" {
            return Err(before_render("invalid chart apiVersion"));
        }
        Ok(())
    }

    /// Wraps a chart without helm's dependency checks: what `helm template
    /// --dependency-update` renders after updating the dependencies (helm
    /// reloads the chart and does not check them again; its install action
    /// still refuses an apiVersion v3 chart).
    pub fn from_updated_chart(chart: Chart) -> Result<LoadedChart, TemplateError> {
        Self::check_api_version(&chart)?;
        Ok(Self::from_chart_unchecked(chart))
    }

    /// Wraps a chart without any of helm's install checks.
    pub fn from_chart_unchecked(chart: Chart) -> LoadedChart {
        LoadedChart {
            chart,
            parsed: Arc::new(ParseCache::new()),
            schemas: Arc::new(schema::SchemaCache::new()),
        }
    }

    pub fn chart(&self) -> &Chart {
        &self.chart
    }

    /// What to keep for the next run's [`Precompiled::stored`]: the trees of
    /// every template parsed so far under `build_id` (see
    /// [`crate::tree_store`]), or `None` when the stored trees the chart was
    /// loaded with already held them all.
    pub fn stored_update(&self, build_id: u64) -> Option<Vec<u8>> {
        self.parsed.stored_update(build_id)
    }

    /// The heads of the documents rendered so far, to keep for the next run
    /// (see [`Precompiled::heads_later`]), if some had to be decoded.
    pub fn heads_update(&self, build_id: u64) -> Option<Vec<u8>> {
        self.parsed.heads_update(build_id)
    }

    /// A handle for [`LoadedChart::stored_update`] that outlives the chart
    /// (to write the update after the output is out).
    pub fn tree_keeper(&self) -> TreeKeeper {
        TreeKeeper(self.parsed.clone())
    }

    /// How many file outputs renders of this chart took from earlier ones
    /// (see [`TemplateOptions::reuse_outputs`]).
    pub fn outputs_reused(&self) -> usize {
        self.parsed.outputs_reused()
    }

    /// Renders the chart as `helm template` would with these user values
    /// (already merged from `-f`/`--set*`, see [`crate::values`]).
    pub fn template(
        &self,
        user_values: &Value,
        opts: &TemplateOptions,
        log: &mut Warnings,
    ) -> Result<Rendered, TemplateError> {
        if let Err(e) = validate_release_name(&opts.release_name) {
            log_at(
                log,
                opts.debug,
                "ERROR",
                "release name check failed",
                &[("error", &e)],
            );
            return Err(before_render(format!("release name check failed: {e}")));
        }
        let mut chart = self.chart.clone();
        if let Err(e) = deps::process_dependencies_logged(&mut chart, user_values, log) {
            log_at(
                log,
                opts.debug,
                "ERROR",
                "chart dependencies processing failed",
                &[("error", &e.0)],
            );
            return Err(before_render(format!(
                "chart dependencies processing failed: {}",
                e.0
            )));
        }
        let caps = Capabilities::for_template(opts.kube_version.clone(), &opts.api_versions);
        let coalesced = coalesce::coalesce_values_logged(&chart, user_values, log)
            .map_err(|e| before_render(e.0))?;
        if opts.skip_schema_validation {
            return self.render(&chart, &coalesced, &caps, opts, log, None);
        }
        if opts.debug {
            if let Value::Map(m) = &coalesced {
                schema_debug_lines(&chart, &m.entries(), log);
            }
        }
        if !opts.one_thread && !opts.leave_to_exit {
            // The render leaves the values as they are (templates that write
            // into them start over on copies, see
            // [`EngineOptions::values_shared`]), so the validation thread
            // makes its JSON copy of them too. helm validates first: a render
            // is only kept (with what it logged) when the values are valid.
            let validate = || {
                let prepared = schema::Prepared::new(&chart, &coalesced);
                let urn_warnings = if opts.debug {
                    Vec::new()
                } else {
                    prepared.urn_warnings()
                };
                (urn_warnings, prepared.validate(&self.schemas))
            };
            let mut render_log = Warnings::new();
            let ((urn_warnings, valid), rendered) = beside(validate, |side| {
                self.render(&chart, &coalesced, &caps, opts, &mut render_log, side)
            });
            log.0.extend(urn_warnings);
            valid.map_err(|e| before_render(e.to_string()))?;
            log.0.extend(render_log.0);
            return rendered;
        }
        let mut prepared = schema::Prepared::new(&chart, &coalesced);
        if opts.leave_to_exit {
            prepared.leave_to_exit();
        }
        if !opts.debug {
            log.0.extend(prepared.urn_warnings());
        }
        if opts.one_thread {
            prepared
                .validate(&self.schemas)
                .map_err(|e| before_render(e.to_string()))?;
            return self.render(&chart, &coalesced, &caps, opts, log, None);
        }
        // Validation works on its own copy of the values, so it can run
        // while the templates render; helm validates first, so a render is
        // only kept (with what it logged) when the values are valid.
        let mut render_log = Warnings::new();
        let (valid, rendered) = beside(
            || prepared.validate(&self.schemas),
            |side| self.render(&chart, &coalesced, &caps, opts, &mut render_log, side),
        );
        if opts.leave_to_exit {
            std::mem::forget(prepared);
            std::mem::forget(coalesced);
        }
        valid.map_err(|e| before_render(e.to_string()))?;
        log.0.extend(render_log.0);
        rendered
    }

    /// The part of [`LoadedChart::template`] after schema validation.
    fn render(
        &self,
        chart: &Chart,
        coalesced: &Value,
        caps: &Capabilities,
        opts: &TemplateOptions,
        log: &mut Warnings,
        side: Option<engine::SideJob<'_>>,
    ) -> Result<Rendered, TemplateError> {
        const SYSTEM_LABELS: [&str; 6] = [
            "name",
            "owner",
            "status",
            "version",
            "createdAt",
            "modifiedAt",
        ];
        if opts
            .labels
            .iter()
            .any(|(k, _)| SYSTEM_LABELS.contains(&k.as_str()))
        {
            return Err(before_render(format!(
                "user supplied labels contains system reserved label name. System labels: [{}]",
                SYSTEM_LABELS.join(" ")
            )));
        }
        let release =
            ReleaseOptions::for_template(&opts.release_name, &opts.namespace, opts.is_upgrade);
        let top = objects::render_values(chart, coalesced, &release, caps);

        let kube_constraint = &chart.metadata.kube_version;
        if !kube_constraint.is_empty()
            && !semver::is_compatible_range(kube_constraint, &caps.kube_version.normalized)
        {
            return Err(in_render(format!(
                "chart requires kubeVersion: {kube_constraint} which is incompatible with Kubernetes {}",
                caps.kube_version.version
            )));
        }

        let scopes = objects::chart_scopes(chart, &top);
        // What the scopes hold besides `.Values` and the chart's `.Files`:
        // outputs of earlier renders within the same frame may be reused.
        let frame = opts.reuse_outputs.then(|| {
            // (Seeded randomness and a frozen clock need not be described:
            // what draws randomness or reads the clock is never kept.)
            let mut frame = format!("{release:?}\n{caps:?}");
            for scope in &scopes {
                let meta = scope.scope.get("Chart").map(chartgen_yaml::to_json);
                frame.push_str(&format!("\n{} {}", scope.path, meta.unwrap_or_default()));
            }
            frame
        });
        let mut sources = Vec::new();
        for scope in scopes {
            for (name, text) in &scope.templates {
                sources.push(TemplateSource {
                    name: name.clone(),
                    text: text.clone(),
                    scope: scope.scope.clone(),
                    base_path: scope.base_path.clone(),
                });
            }
        }
        let engine_opts = EngineOptions {
            determinism: opts.determinism.clone(),
            parallel: !opts.one_thread,
            reuse_outputs_for: frame,
            // Coalesced values share maps with the chart's defaults and the
            // caller's values.
            values_shared: !opts.leave_to_exit,
            ..EngineOptions::default()
        };
        let (files, raw) =
            engine::render_cached_raw_beside(&sources, &engine_opts, &self.parsed, side)
                .map_err(|e| in_render(e.message))?;
        let heads = self.parsed.heads();
        release::assemble_cached(
            chart,
            files,
            &raw,
            &opts.output,
            log,
            heads,
            !opts.one_thread,
        )
        .map_err(|e| TemplateError {
            message: e.message,
            during_render: true,
            debug_output: e.debug_output,
        })
    }
}

/// Runs `validate` beside `render`: given to the render as its side job
/// (run on its first helper thread before that thread takes templates, see
/// [`engine::render_cached_raw_beside`]), or, when the render had no helper
/// thread to run it on, here after the render.
fn beside<V: Send, R>(
    validate: impl Fn() -> V + Sync,
    render: impl FnOnce(Option<engine::SideJob<'_>>) -> R,
) -> (V, R) {
    let result = std::sync::Mutex::new(None);
    let side = || {
        let valid = validate();
        *result.lock().unwrap_or_else(|e| e.into_inner()) = Some(valid);
    };
    let rendered = render(Some(&side));
    let valid = result
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .unwrap_or_else(validate);
    (valid, rendered)
}

/// The schema of every chart in the tree.
fn all_schemas(chart: &Chart) -> Vec<Arc<[u8]>> {
    let mut out: Vec<Arc<[u8]>> = chart.schema.iter().cloned().collect();
    for child in &chart.dependencies {
        out.extend(all_schemas(child));
    }
    out
}

/// The DEBUG lines helm's `ValidateAgainstSchema` logs, in its order: the
/// chart's own schema, then each sub-chart that has values.
fn schema_debug_lines(chart: &Chart, values: &gotmpl::MapEntries, log: &mut Warnings) {
    if let Some(schema) = &chart.schema {
        log.0.push(slog_line(
            "DEBUG",
            "chart name",
            &[("chart-name", chart.name())],
        ));
        if serde_json::from_slice::<serde_json::Value>(schema).is_ok() {
            // slog quotes byte slices unconditionally.
            log.0.push(format!(
                "{} schema={}",
                slog_line("DEBUG", "unmarshalled JSON schema", &[]),
                gotmpl::strconv::quote(&String::from_utf8_lossy(schema))
            ));
            log.0.extend(schema::urn_warning(schema));
        }
    }
    log.0.push(slog_line(
        "DEBUG",
        "number of dependencies in the chart",
        &[
            ("chart", chart.name()),
            ("dependencies", &chart.dependencies.len().to_string()),
        ],
    ));
    for sub in &chart.dependencies {
        if let Some(Value::Map(m)) = values.get(sub.name()) {
            schema_debug_lines(sub, &m.entries(), log);
        }
    }
}

/// helm's `ValidateReleaseName`, worded as `availableName` reports it.
pub fn validate_release_name(name: &str) -> Result<(), String> {
    const PATTERN: &str = RELEASE_NAME_PATTERN;
    if name.is_empty() {
        return Err(format!(
            "release name {}: no name provided",
            gotmpl::strconv::quote(name)
        ));
    }
    if name.len() > 53 || !is_dns_subdomain(name) {
        return Err(format!(
            "release name {}: invalid release name, must match regex {PATTERN} and the length must not be longer than 53",
            gotmpl::strconv::quote(name)
        ));
    }
    Ok(())
}

/// helm's release name pattern (quoted in its error).
const RELEASE_NAME_PATTERN: &str =
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

/// Whether `name` matches [`RELEASE_NAME_PATTERN`]: dot-separated labels
/// of lowercase letters, digits and `-`, none empty, none starting or
/// ending with `-`. (Compiling the regexp took a one-shot run longer than
/// everything else it does with the name.)
fn is_dns_subdomain(name: &str) -> bool {
    name.split('.').all(|label| {
        let b = label.as_bytes();
        let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
        b.first().is_some_and(alnum)
            && b.last().is_some_and(alnum)
            && b.iter().all(|c| alnum(c) || *c == b'-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::BufferedFile;

    #[test]
    fn release_names_are_checked_as_helm_s_regexp_checks_them() {
        let re = regex::Regex::new(RELEASE_NAME_PATTERN).expect("valid regexp");
        let alphabet = ["a", "z", "0", "9", "-", ".", "A", "_", " ", "é", "\n"];
        // Every string of up to four characters over the alphabet.
        let mut names = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = names
                .iter()
                .flat_map(|n| alphabet.iter().map(move |c| format!("{n}{c}")))
                .collect();
            names.extend(longer.into_iter().filter(|n| n.chars().count() <= 4));
            names.sort();
            names.dedup();
        }
        assert!(names.len() > 10_000);
        for name in names
            .iter()
            .chain(&["release-name".to_string(), "a.b-c.d9".to_string()])
        {
            assert_eq!(is_dns_subdomain(name), re.is_match(name), "{name:?}");
        }
    }

    fn chart(files: &[(&str, &str)]) -> LoadedChart {
        let files = files
            .iter()
            .map(|(name, text)| BufferedFile {
                name: name.to_string(),
                data: text.as_bytes().into(),
            })
            .collect();
        let chart = loader::load_files(files, "test").expect("chart loads");
        LoadedChart::from_chart(chart, &mut Warnings::new()).expect("installable")
    }

    fn render(chart: &LoadedChart, values: &str) -> String {
        let values = chartgen_yaml::parse_map(values.as_bytes()).unwrap();
        chart
            .template(&values, &TemplateOptions::default(), &mut Warnings::new())
            .expect("renders")
            .stream
    }

    /// `beside` validates once: on the render's side-job thread when the
    /// render runs the side job, else after the render.
    #[test]
    fn beside_validates_once_wherever_the_render_leaves_it() {
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let validate = || calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let (valid, rendered) = beside(validate, |side| {
            std::thread::scope(|s| {
                s.spawn(|| side.expect("a side job")());
            });
            "rendered"
        });
        assert_eq!((valid, rendered), (0, "rendered"));
        let (valid, _) = beside(validate, |_| ());
        assert_eq!(valid, 1);
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);
    }

    /// A schema handed to [`EarlyStart::prepare_schema`] before the chart
    /// loads (a copy of the chart's, as the built-in chart's is) decides as
    /// the chart's own would; one the chart does not hold changes nothing.
    #[test]
    fn a_schema_prepared_before_the_chart_loads_validates_the_same() {
        let schema =
            r#"{"type": "object", "properties": {"count": {"type": "integer", "minimum": 2}}}"#;
        let files = || {
            [
                ("Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n"),
                ("values.yaml", "count: 3\n"),
                ("values.schema.json", schema),
                ("templates/a.yaml", "count: {{ .Values.count }}\n"),
            ]
            .iter()
            .map(|(name, text)| BufferedFile {
                name: name.to_string(),
                data: text.as_bytes().into(),
            })
            .collect()
        };
        let outcome = |early: Option<&str>, values: &str| {
            let start = EarlyStart::new(Precompiled::default());
            if let Some(text) = early {
                start.prepare_schema(Arc::from(text.as_bytes()));
            }
            let pending = loader::load_files_pending(files(), "test").expect("chart loads");
            let chart = LoadedChart::from_pending_started(pending, start, &mut Warnings::new())
                .expect("installable");
            let values = chartgen_yaml::parse_map(values.as_bytes()).unwrap();
            chart
                .template(&values, &TemplateOptions::default(), &mut Warnings::new())
                .map(|r| r.stream)
                .map_err(|e| e.message)
        };
        for values in ["{}", "count: 1", "count: x"] {
            let plain = outcome(None, values);
            assert_eq!(outcome(Some(schema), values), plain, "{values}");
            assert_eq!(
                outcome(Some(r#"{"type": "string"}"#), values),
                plain,
                "{values}"
            );
        }
        assert_eq!(
            outcome(Some(schema), "{}").unwrap(),
            "---\n# Source: c/templates/a.yaml\ncount: 3\n"
        );
        let refused = outcome(Some(schema), "count: 1").unwrap_err();
        assert!(refused.contains("minimum: got 1, want 2"), "{refused}");
    }

    #[test]
    fn what_a_render_writes_into_values_stays_in_that_render() {
        let chart = chart(&[
            ("Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n"),
            ("values.yaml", "m: {a: 1}\nl: [{b: 2}]\n"),
            (
                "templates/a.yaml",
                "{{ $_ := set .Values.m \"n\" (len .Values.m) }}{{ $_ := set (first .Values.l) \"c\" 3 }}a: m={{ toJson .Values.m }} l={{ toJson .Values.l }} u={{ toJson .Values.u }}\n",
            ),
        ]);
        let user = "u: {x: 1}";
        let first = render(&chart, user);
        assert_eq!(
            first,
            "---\n# Source: c/templates/a.yaml\na: m={\"a\":1,\"n\":1} l=[{\"b\":2,\"c\":3}] u={\"x\":1}\n"
        );
        assert_eq!(render(&chart, user), first);
    }

    #[test]
    fn renders_reuse_outputs_of_files_whose_values_are_the_same() {
        let chart = chart(&[
            ("Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n"),
            ("values.yaml", "a: 1\nb: 1\n"),
            ("templates/a.yaml", "a: {{ .Values.a }}\n"),
            ("templates/b.yaml", "b: {{ .Values.b }}\n"),
        ]);
        assert_eq!(chart.outputs_reused(), 0);
        let both = |a, b| {
            format!("---\n# Source: c/templates/a.yaml\na: {a}\n---\n# Source: c/templates/b.yaml\nb: {b}\n")
        };
        assert_eq!(render(&chart, "a: 2"), both(2, 1));
        assert_eq!(render(&chart, "a: 3"), both(3, 1));
        assert_eq!(chart.outputs_reused(), 1);
        assert_eq!(render(&chart, "b: 3"), both(1, 3));
        assert_eq!(chart.outputs_reused(), 1);
        let opts = TemplateOptions {
            release_name: "other".into(),
            ..TemplateOptions::default()
        };
        // Another frame (release) reuses nothing from the earlier one.
        let values = chartgen_yaml::parse_map(b"b: 3").unwrap();
        chart
            .template(&values, &opts, &mut Warnings::new())
            .unwrap();
        assert_eq!(chart.outputs_reused(), 1);
        chart
            .template(&values, &opts, &mut Warnings::new())
            .unwrap();
        assert_eq!(chart.outputs_reused(), 3);
    }
}
