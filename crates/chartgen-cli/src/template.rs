//! `chartgen template`: helm template's command (`pkg/cmd/template.go`,
//! `runInstall`) over `chartgen_helm::action`, as a library function the
//! binary and the conformance tests share. It returns what helm would print
//! on stdout and stderr and its exit code.

use std::io::Read;
use std::path::{Path, PathBuf};

use chartgen_helm::action::{log_at, slog_line, EarlyStart, LoadedChart, TemplateOptions};
use chartgen_helm::capabilities::KubeVersion;
use chartgen_helm::chart::Chart;
use chartgen_helm::coalesce::Warnings;
use chartgen_helm::downloader;
use chartgen_helm::loader::{self, path_clean};
use chartgen_helm::release::{self, DocumentKind, OutputOptions, Rendered};
use chartgen_helm::values::{merge_user_values, UserValues};

use crate::embedded;
use crate::flags::{self, Parsed};
use crate::tree_cache::TreeCache;
use chartgen_helm::engine::{HeadsLater, StoredLater};

/// What a command printed and its exit code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub exit: i32,
    pub stdout: String,
    pub stderr: String,
    /// Where the values problems behind a failure were written
    /// (`file:line:col: error: …`). Not part of helm's output: the binary
    /// adds them to stderr only on a terminal (or with
    /// `CHARTGEN_LOCATED_ERRORS=1`), so helm's error text stays byte-identical.
    pub located: Vec<String>,
}

/// Where the command runs: relative paths (chart, values files, output
/// directory) are resolved against `cwd`; `-f -` reads `stdin`.
pub struct Env<'a> {
    pub cwd: PathBuf,
    pub stdin: &'a mut dyn Read,
}

impl Env<'_> {
    pub(crate) fn resolve(&self, p: &str) -> PathBuf {
        let path = Path::new(p);
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.cwd.join(path)
        }
    }
}

/// helm's `settings.Debug`: the `--debug` flag, else `$HELM_DEBUG` read by
/// Go's `strconv.ParseBool` (anything else is false).
fn debug_setting(p: &flags::Parsed) -> bool {
    if p.is_set("debug") {
        return p.bool("debug");
    }
    std::env::var("HELM_DEBUG")
        .ok()
        .and_then(|v| flags::parse_bool(&v))
        .unwrap_or(false)
}

/// How helm's schema validation error starts.
const SCHEMA_FAILURE: &str = "values don't meet the specifications of the schema(s)";

const DEBUG_HINT: &str = "\n\nUse --debug flag to render out invalid YAML";

/// helm's release name for `template` when none is given.
const DEFAULT_RELEASE_NAME: &str = "release-name";

/// Set by a process that exits right after [`run`]: the loaded chart is then
/// not freed.
pub static KEEP_AT_EXIT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The built-in chart's first render, prepared from the process's start
/// (see [`start_early`]).
static EARLY: std::sync::Mutex<Option<EarlyStart>> = std::sync::Mutex::new(None);

/// For a process that runs `chartgen template ARGS…` once: when ARGS render
/// the built-in chart, starts preparing its schema on another core at once
/// ([`EarlyStart`]), while this thread goes on to read values and load the
/// chart. The command takes it up; otherwise it is dropped unused.
pub fn start_early(argv: &[String]) {
    let Ok(p) = flags::parse(argv) else {
        return;
    };
    if !p.args.is_empty() || p.bool("help") || p.bool("skip-schema-validation") {
        return;
    }
    let early = EarlyStart::new(embedded::precompiled());
    if let Some(schema) = embedded::schema() {
        early.prepare_schema(schema);
    }
    *EARLY.lock().unwrap_or_else(|e| e.into_inner()) = Some(early);
}

/// Runs `chartgen template ARGS…` (the arguments after `template`).
pub fn run(argv: &[String], env: &mut Env<'_>) -> Outcome {
    match flags::parse(argv) {
        Ok(p) => run_parsed(&p, env),
        Err(e) => flag_error(&e),
    }
}

/// What a command prints for a command-line error.
pub(crate) fn flag_error(e: &flags::FlagError) -> Outcome {
    let mut out = Outcome::default();
    for n in &e.notices {
        out.stderr.push_str(n);
        out.stderr.push('\n');
    }
    out.stderr.push_str(&format!("Error: {}\n", e.message));
    out.exit = 1;
    out
}

/// `chartgen template` with its command line parsed (also the rendering
/// step of `chartgen diff`).
pub(crate) fn run_parsed(parsed: &Parsed, env: &mut Env<'_>) -> Outcome {
    let mut out = Outcome::default();
    // helm checks the colour mode before it runs any command.
    for f in ["color", "colour"] {
        if let Some(mode) = parsed.string(f) {
            if !matches!(mode.as_str(), "never" | "auto" | "always") {
                let err = format!(
                    "invalid color mode {}: must be one of: never, auto, always",
                    gotmpl::strconv::quote(&mode)
                );
                out.stderr
                    .push_str(&slog_line("WARN", "command failed", &[("error", &err)]));
                out.stderr.push('\n');
                out.exit = 1;
                return out;
            }
        }
    }
    for n in &parsed.notices {
        out.stderr.push_str(n);
        out.stderr.push('\n');
    }
    if parsed.bool("help") {
        out.stdout = flags::clap_command()
            .bin_name("chartgen template")
            .render_long_help()
            .to_string();
        return out;
    }
    let mut cmd = Command {
        parsed,
        env,
        log: Warnings::new(),
        stdout: String::new(),
        debug: debug_setting(parsed),
        located: Vec::new(),
    };
    match cmd.run() {
        Ok(()) => {
            out.stderr.push_str(&cmd.log.render());
            append_text(&mut out.stdout, std::mem::take(&mut cmd.stdout));
        }
        Err(message) => {
            out.stderr.push_str(&cmd.log.render());
            append_text(&mut out.stdout, std::mem::take(&mut cmd.stdout));
            out.stderr.push_str(&format!("Error: {message}\n"));
            out.exit = 1;
            out.located = std::mem::take(&mut cmd.located);
        }
    }
    out
}

/// Appends `text` to `out`, taking it whole when `out` is empty (the
/// rendered output of a large chart is megabytes: not copied again).
fn append_text(out: &mut String, text: String) {
    if out.is_empty() {
        *out = text;
    } else {
        out.push_str(&text);
    }
}

struct Command<'p, 'e, 'i> {
    parsed: &'p Parsed,
    env: &'e mut Env<'i>,
    log: Warnings,
    stdout: String,
    debug: bool,
    located: Vec<String>,
}

impl Command<'_, '_, '_> {
    fn debug_line(&mut self, msg: &str, attrs: &[(&str, &str)]) {
        log_at(&mut self.log, self.debug, "DEBUG", msg, attrs);
    }

    /// helm template's `RunE`.
    fn run(&mut self) -> Result<(), String> {
        let p = self.parsed;
        let kube_version = match p.string("kube-version").filter(|v| !v.is_empty()) {
            Some(v) => Some(
                KubeVersion::parse(&v).map_err(|e| format!("invalid kube version '{v}': {e}"))?,
            ),
            None => None,
        };
        let server = self.dry_run_strategy()? || p.bool("validate");
        let determinism = crate::determinism::from_flags(
            p.string("seed"),
            p.string("now"),
            &crate::determinism::process_var,
        )?;

        // runInstall
        // (--version and --devel only matter for charts from repositories.)
        let version = p.string("version").unwrap_or_default();
        self.debug_line("Original chart version", &[("version", &version)]);
        if version.is_empty() && p.bool("devel") {
            self.debug_line("setting version to >0.0.0-0", &[]);
        }
        let (release_name, chart_ref) = self.name_and_chart(&determinism)?;
        let chart_path = match &chart_ref {
            Some(name) => {
                let abs = self.locate_chart(name)?;
                self.debug_line("Chart path", &[("path", &abs.to_string_lossy())]);
                Some(abs)
            }
            None => {
                self.debug_line("Chart path", &[("path", "<built-in chart>")]);
                None
            }
        };
        let values = self.merge_values()?;
        let tree_cache = chart_path.as_deref().and_then(TreeCache::for_chart);
        let files_memory = tree_cache
            .as_ref()
            .filter(|_| chart_path.as_deref().is_some_and(Path::is_dir))
            .map(|cache| std::sync::Arc::new(cache.load_files()));
        let chart = match &chart_path {
            // A chart on disk whose templates are the built-in chart's (the
            // repository's chart/, a copy of it) decodes them too.
            Some(path) => {
                let mut pre = embedded::precompiled();
                pre.stored_later = tree_cache
                    .clone()
                    .map(|cache| StoredLater::new(move || cache.load()));
                pre.heads_later = tree_cache
                    .clone()
                    .map(|cache| HeadsLater::new(move |heads| cache.load_heads(heads)));
                pre.schema_store = crate::tree_cache::PreparedFiles::schema_store();
                pre.values_store = crate::tree_cache::PreparedFiles::values_store();
                pre.files = files_memory.clone();
                LoadedChart::load_compiled(path, pre, &mut self.log)
            }
            None => match embedded::load_pending() {
                Ok(c) => {
                    let early = EARLY.lock().unwrap_or_else(|e| e.into_inner()).take();
                    let early = early.unwrap_or_else(|| EarlyStart::new(embedded::precompiled()));
                    LoadedChart::from_pending_started(c, early, &mut self.log)
                }
                Err(e) => return Err(e.message),
            },
        };
        const MISSING: &str = "an error occurred while checking for chart dependencies";
        let chart = match (chart, &chart_path) {
            (Err(e), Some(path))
                if p.bool("dependency-update") && e.message.starts_with(MISSING) =>
            {
                // helm's Manager.Update, then the chart reloaded without
                // checking it again.
                let mut out = String::new();
                let updated = downloader::update(path, self.debug, &mut out, &mut self.log);
                self.stdout.push_str(&out);
                updated?;
                let chart = loader::load_logged(path, &mut self.log).map_err(|e| {
                    format!("failed reloading chart after repo update: {}", e.message)
                })?;
                LoadedChart::from_updated_chart(chart).map_err(|e| e.message)?
            }
            (chart, _) => chart.map_err(|e| e.message)?,
        };
        // helm's `settings.Namespace()`: the flag, else `$HELM_NAMESPACE`,
        // else the kubeconfig context's (or the pod's), else `default`.
        let setting = |flag: &str, var: &str| {
            p.string(flag)
                .or_else(|| std::env::var(var).ok())
                .unwrap_or_default()
        };
        let namespace = chartgen_helm::settings::namespace_from_process(
            &setting("namespace", "HELM_NAMESPACE"),
            &p.string("kubeconfig").unwrap_or_default(),
            &setting("kube-context", "HELM_KUBECONTEXT"),
        );

        // Install.RunWithContext
        if server {
            return Err(self.cluster_unreachable());
        }
        let output_dir = p.string("output-dir").filter(|d| !d.is_empty());
        let show_only = p.list("show-only");
        let opts = TemplateOptions {
            release_name: release_name.clone(),
            namespace,
            is_upgrade: p.bool("is-upgrade"),
            kube_version,
            api_versions: p.list("api-versions"),
            skip_schema_validation: p.bool("skip-schema-validation"),
            output: OutputOptions {
                include_crds: p.bool("include-crds"),
                skip_tests: p.bool("skip-tests"),
                no_hooks: p.bool("no-hooks"),
                // Applied below, as helm's command does.
                show_only: Vec::new(),
                subchart_notes: p.bool("render-subchart-notes"),
            },
            debug: self.debug,
            labels: p
                .list("labels")
                .iter()
                .map(|l| match l.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (l.clone(), String::new()),
                })
                .collect(),
            determinism,
            one_thread: false,
            leave_to_exit: KEEP_AT_EXIT.load(std::sync::atomic::Ordering::Relaxed),
            // One render per process: nothing would reuse its outputs.
            reuse_outputs: false,
        };
        let rendered = chart.template(&values, &opts, &mut self.log);

        // template.go: print what was rendered (also on failure with --debug).
        let manifests = match rendered {
            Ok(r) => match &output_dir {
                Some(dir) => {
                    self.write_output_dir(dir, &release_name, &r)?;
                    "\n".to_string()
                }
                None => r.stream,
            },
            Err(e) => {
                if e.message.starts_with(SCHEMA_FAILURE) {
                    self.locate_schema_failure(chart.chart(), &values);
                }
                if !self.debug || !e.during_render {
                    let hint = if e.during_render { DEBUG_HINT } else { "" };
                    return Err(format!("{}{hint}", e.message));
                }
                self.after_render(e.debug_output, &show_only)?;
                return Err(e.message);
            }
        };
        // After a successful render only (a failed one writes nothing).
        if let Some(cache) = tree_cache {
            if let Some(memory) = files_memory {
                cache.save_files_later(memory);
            }
            cache.save_later(chart.tree_keeper());
        }
        if KEEP_AT_EXIT.load(std::sync::atomic::Ordering::Relaxed) {
            // The process ends right after: freeing the chart (parsed
            // templates, compiled schemas) would only cost time.
            std::mem::forget(chart);
            std::mem::forget(values);
        }
        self.after_render(manifests, &show_only)
    }

    /// Prints the manifests, filtered by `--show-only`.
    fn after_render(&mut self, manifests: String, show_only: &[String]) -> Result<(), String> {
        if show_only.is_empty() {
            append_text(&mut self.stdout, manifests);
            return Ok(());
        }
        let shown = release::show_only(&manifests, show_only).map_err(|e| e.message)?;
        append_text(&mut self.stdout, shown);
        Ok(())
    }

    /// Why `repo/chart` cannot be rendered: helm looks the repository up in
    /// its repositories file, then reads the repository's index from its
    /// cache (which `helm repo update` fills); chartgen goes as far as
    /// helm's errors without the network, and does not resolve charts from
    /// an index.
    fn repository_reference_error(&self, reference: &str, repo: &str) -> String {
        let env = |k: &str| std::env::var(k).ok();
        let setting = |flag: &str, var: &str, cache: bool, name: &str| {
            self.parsed
                .string(flag)
                .or_else(|| env(var))
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| chartgen_helm::settings::helm_path(cache, name, &env))
        };
        let config = setting(
            "repository-config",
            "HELM_REPOSITORY_CONFIG",
            false,
            "repositories.yaml",
        );
        let Some(url) = chartgen_helm::settings::repository_url(
            &self.env.resolve(&config.to_string_lossy()),
            repo,
        ) else {
            return format!("repo {repo} not found");
        };
        if url.is_empty() {
            return format!("no URL found for repository {repo}");
        }
        let cache = setting(
            "repository-cache",
            "HELM_REPOSITORY_CACHE",
            true,
            "repository",
        );
        let index = cache.join(format!("{repo}-index.yaml"));
        if !self.env.resolve(&index.to_string_lossy()).exists() {
            return format!(
                "no cached repo found. (try 'helm repo update'): open {}: no such file or directory",
                index.display()
            );
        }
        format!(
            "cannot fetch chart {} from repository {} (chartgen renders offline: pass a chart directory or archive)",
            gotmpl::strconv::quote(reference),
            gotmpl::strconv::quote(repo)
        )
    }

    /// helm's cluster reachability check fails. Where no cluster is
    /// configured (no kubeconfig file, not in a pod, no `--kube-*` flag or
    /// `$HELM_KUBE*` setting), helm's
    /// client asks `http://localhost:8080`: with nothing listening there it
    /// fails as helm does; else chartgen says that it renders offline.
    fn cluster_unreachable(&mut self) -> String {
        const REFUSED: &str = "cluster reachability check failed: kubernetes cluster unreachable: Get \"http://localhost:8080/version\": dial tcp 127.0.0.1:8080: connect: connection refused";
        let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
        let flagged = ["kubeconfig", "kube-context", "kube-apiserver"]
            .iter()
            .any(|f| self.parsed.string(f).is_some_and(|v| !v.is_empty()));
        // A kubeconfig file that is there (`$KUBECONFIG` lists files, the
        // missing ones ignored; else `~/.kube/config`).
        let kubeconfig = match std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
            Some(list) => std::env::split_paths(&list).any(|p| p.exists()),
            None => std::env::var_os("HOME")
                .map(|home| Path::new(&home).join(".kube/config"))
                .is_some_and(|p| p.exists()),
        };
        let unconfigured = !flagged
            && ![
                "KUBERNETES_SERVICE_HOST",
                "HELM_KUBEAPISERVER",
                "HELM_KUBECONTEXT",
                "HELM_KUBETOKEN",
            ]
            .iter()
            .any(|name| set(name))
            && !kubeconfig;
        let refused = unconfigured
            && std::net::TcpStream::connect_timeout(
                &std::net::SocketAddr::from(([127, 0, 0, 1], 8080)),
                std::time::Duration::from_secs(2),
            )
            .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionRefused);
        if refused {
            self.log.0.push(slog_line("ERROR", REFUSED, &[]));
            return REFUSED.to_string();
        }
        "cluster reachability check failed: chartgen renders offline (--dry-run=server and --validate need a Kubernetes cluster)".to_string()
    }

    /// helm's `cmdGetDryRunFlagStrategy` for `template`: whether the server
    /// is to be contacted.
    fn dry_run_strategy(&mut self) -> Result<bool, String> {
        let v = self
            .parsed
            .string("dry-run")
            .unwrap_or_else(|| "client".to_string());
        match v.as_str() {
            "unset" => {
                self.log.0.push(slog_line(
                    "WARN",
                    "--dry-run is deprecated and should be replaced with '--dry-run=client'",
                    &[],
                ));
                return Ok(false);
            }
            "client" => return Ok(false),
            "server" => return Ok(true),
            "none" => {
                return Err(format!(
                    "invalid dry-run value ({}). Must be \"server\" or \"client\"",
                    gotmpl::strconv::quote(&v)
                ))
            }
            _ => {}
        }
        match flags::parse_bool(&v) {
            None => Err(format!(
                "invalid dry-run value ({}). Must be \"none\", \"server\", or \"client\"",
                gotmpl::strconv::quote(&v)
            )),
            Some(false) => Err(format!(
                "invalid dry-run value ({}). Must be \"server\" or \"client\"",
                gotmpl::strconv::quote(&v)
            )),
            Some(true) => {
                self.log.0.push(slog_line(
                    "WARN",
                    &format!(
                        "boolean '--dry-run={v}' flag is deprecated and must be replaced with '--dry-run=client'"
                    ),
                    &[],
                ));
                Ok(false)
            }
        }
    }

    /// helm's `NameAndChart` as `template` drives it (release name preset to
    /// `release-name`). `None` for the chart means the built-in one.
    fn name_and_chart(
        &self,
        determinism: &chartgen_sprig::Determinism,
    ) -> Result<(String, Option<String>), String> {
        let p = self.parsed;
        let name_template = p.string("name-template").unwrap_or_default();
        let flags_not_set = || -> Result<(), String> {
            if p.bool("generate-name") {
                return Err("cannot set --generate-name and also specify a name".into());
            }
            if !name_template.is_empty() {
                return Err("cannot set --name-template and also specify a name".into());
            }
            Ok(())
        };
        let default_name = || -> Result<String, String> {
            if name_template.is_empty() {
                Ok(DEFAULT_RELEASE_NAME.to_string())
            } else {
                render_name_template(&name_template, determinism)
            }
        };
        match p.args.as_slice() {
            [] => Ok((default_name()?, None)),
            [chart] => Ok((default_name()?, Some(chart.clone()))),
            [name, chart] => {
                flags_not_set()?;
                Ok((name.clone(), Some(chart.clone())))
            }
            [_, _, rest @ ..] => Err(format!(
                "expected at most two arguments, unexpected arguments: {}",
                rest.join(", ")
            )),
        }
    }

    /// helm's `VerifyChart` up to the signature check, which chartgen does
    /// not do: its errors for what is not a signed archive, a missing
    /// provenance file and a keyring that cannot be opened.
    fn verify_chart(&self, abs: &str) -> Result<(), String> {
        let meta = std::fs::metadata(abs).map_err(|e| go_path_error("stat", abs, &e))?;
        if meta.is_dir() {
            return Err("unpacked charts cannot be verified".into());
        }
        // Go's `filepath.Ext` of the last element, compared without case.
        let base = abs.rsplit('/').next().unwrap_or(abs);
        let is_tgz = base
            .rfind('.')
            .is_some_and(|i| base[i..].eq_ignore_ascii_case(".tgz"));
        if !is_tgz {
            return Err("chart must be a tgz file".into());
        }
        let prov = format!("{abs}.prov");
        if let Err(e) = std::fs::metadata(&prov) {
            return Err(format!(
                "could not load provenance file {prov}: {}",
                go_path_error("stat", &prov, &e)
            ));
        }
        let keyring = self.parsed.string("keyring").unwrap_or_else(|| {
            // helm's `defaultKeyring`, with client-go's `homedir.HomeDir`.
            match std::env::var("GNUPGHOME") {
                Ok(dir) => go_join(&[&dir, "pubring.gpg"]),
                Err(_) => go_join(&[
                    &std::env::var("HOME").unwrap_or_default(),
                    ".gnupg",
                    "pubring.gpg",
                ]),
            }
        });
        let opened = match keyring.as_str() {
            // (Resolved, "" would name the working directory.)
            "" => Err("open : no such file or directory".to_string()),
            path => std::fs::File::open(self.env.resolve(path))
                .map(drop)
                .map_err(|e| go_path_error("open", path, &e)),
        };
        opened.map_err(|e| format!("failed to load keyring: {e}"))?;
        Ok(())
    }

    /// helm's `LocateChart`, offline: local paths only. Returns the
    /// absolute path.
    fn locate_chart(&mut self, name: &str) -> Result<PathBuf, String> {
        let offline = "chartgen renders offline: pass a chart directory or archive";
        if name.starts_with("oci://") {
            return Err(format!(
                "cannot fetch chart {} from an OCI registry ({offline})",
                gotmpl::strconv::quote(name)
            ));
        }
        let name = name.trim_matches(|c: char| c.is_whitespace());
        if let Some(repo) = self.parsed.string("repo").filter(|r| !r.is_empty()) {
            return Err(format!(
                "cannot fetch chart {} from repository {} ({offline})",
                gotmpl::strconv::quote(name),
                gotmpl::strconv::quote(&repo)
            ));
        }
        let path = self.env.resolve(name);
        if std::fs::metadata(&path).is_ok() {
            let abs = path_clean(&path.to_string_lossy());
            if self.parsed.bool("verify") {
                self.verify_chart(&abs)?;
                return Err(format!(
                    "--verify: chartgen cannot verify chart provenance ({})",
                    gotmpl::strconv::quote(name)
                ));
            }
            return Ok(PathBuf::from(abs));
        }
        if Path::new(name).is_absolute() || name.starts_with('.') {
            return Err(format!("path {} not found", gotmpl::strconv::quote(name)));
        }
        // ChartDownloader.DownloadTo, before it resolves the reference.
        self.debug_line("set up default downloader cache", &[]);
        // helm parses the name as a URL (Go's url.Parse): `repo/chart` names a
        // repository from its repositories file (chartgen has none).
        let Some(url) = GoUrl::parse(name) else {
            return Err(format!("invalid chart URL format: {name}"));
        };
        // An absolute URL with a host and a path is downloaded, by the
        // getter of its scheme (helm has http and https).
        if !url.scheme.is_empty()
            && url.authority.is_some_and(|a| !host_of(a).is_empty())
            && !url.path.is_empty()
        {
            let scheme = url.scheme.to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return Err(format!(
                    "scheme {} not supported",
                    gotmpl::strconv::quote(&scheme)
                ));
            }
            return Err(format!(
                "cannot download chart {} ({offline})",
                gotmpl::strconv::quote(name)
            ));
        }
        match url.path.split_once('/') {
            Some((repo, _)) => Err(self.repository_reference_error(name, repo)),
            None => Err(format!(
                "non-absolute URLs should be in form of repo_name/path_to_chart, got: {}",
                url.string()
            )),
        }
    }

    /// helm's `values.Options.MergeValues`.
    fn merge_values(&mut self) -> Result<gotmpl::Value, String> {
        let p = self.parsed;
        let mut user = UserValues::new().with_base_dir(&self.env.cwd);
        user.value_files = p.list("values");
        user.values = p.list("set");
        user.string_values = p.list("set-string");
        user.file_values = p.list("set-file");
        user.json_values = p.list("set-json");
        user.literal_values = p.list("set-literal");
        let reads_stdin = user.value_files.iter().any(|f| f.trim() == "-")
            || user.file_values.iter().any(|v| {
                v.split(',')
                    .any(|kv| kv.split_once('=').is_some_and(|(_, f)| f.trim() == "-"))
            });
        if reads_stdin {
            let mut stdin = Vec::new();
            self.env
                .stdin
                .read_to_end(&mut stdin)
                .map_err(|e| format!("reading stdin: {e}"))?;
            user = user.with_stdin(stdin);
        } else {
            user = user.with_stdin(Vec::new());
        }
        match merge_user_values(&user) {
            Ok(v) => Ok(v),
            Err(e) => {
                if let (Some(f), Some(s)) = (&e.file, e.span) {
                    self.located
                        .push(format!("{f}:{}:{}: error: {}", s.line, s.column, e.message));
                }
                Err(e.message)
            }
        }
    }

    /// Where the problems of a schema failure were written in the `-f`
    /// files (`chartgen validate`'s diagnostics, first lines only).
    fn locate_schema_failure(&mut self, chart: &Chart, values: &gotmpl::Value) {
        let mut sources = Vec::new();
        for f in self.parsed.list("values") {
            if f.trim() == "-" || f.contains("://") {
                continue;
            }
            let Ok(data) = std::fs::read(self.env.resolve(&f)) else {
                continue;
            };
            if let Ok(s) = chartgen_validate::Source::parse(&f, &data) {
                sources.push(s);
            }
        }
        let prepared = embedded::precompiled().schemas;
        for d in chartgen_validate::check_values_prepared(chart, &sources, values, prepared) {
            if d.line > 0 {
                self.located.push(d.headline());
            }
        }
    }

    /// `--output-dir`: CRDs to `DIR/SOURCE`, manifests and hooks to
    /// `DIR[/RELEASE]/SOURCE` (a file's later documents appended), each
    /// reported as `wrote PATH` on stdout, as helm does.
    fn write_output_dir(
        &mut self,
        dir: &str,
        release: &str,
        rendered: &Rendered,
    ) -> Result<(), String> {
        let new_dir = if self.parsed.bool("release-name") {
            path_clean(&format!("{dir}/{release}"))
        } else {
            dir.to_string()
        };
        // Checked before anything is written, so a refusal leaves no partial tree.
        if let Some(doc) = rendered
            .documents
            .iter()
            .find(|d| d.source.starts_with('/') || d.source.split('/').any(|c| c == ".."))
        {
            return Err(format!(
                "refusing to write {}: it would leave the output directory",
                doc.source
            ));
        }
        let mut written: Vec<String> = Vec::new();
        let mut hook_written: Vec<String> = Vec::new();
        for doc in &rendered.documents {
            let (base, append) = match &doc.role {
                DocumentKind::Crd => (dir, written.contains(&doc.source)),
                DocumentKind::Manifest => (new_dir.as_str(), written.contains(&doc.source)),
                DocumentKind::Hook { .. } => {
                    // helm's command appends to a file that already exists
                    // (from a manifest of this run, or from an earlier run).
                    let exists = hook_written.contains(&doc.source)
                        || self
                            .env
                            .resolve(&format!("{new_dir}/{}", doc.source))
                            .exists();
                    (new_dir.as_str(), exists)
                }
            };
            let shown = format!("{base}/{}", doc.source);
            write_file(
                &self.env.resolve(&shown),
                &shown,
                &doc.source,
                &doc.body,
                append,
            )
            .map_err(|e| {
                if matches!(doc.role, DocumentKind::Hook { .. }) {
                    e
                } else {
                    format!("{e}{DEBUG_HINT}")
                }
            })?;
            self.stdout.push_str(&format!("wrote {shown}\n"));
            match doc.role {
                DocumentKind::Hook { .. } => hook_written.push(doc.source.clone()),
                _ => written.push(doc.source.clone()),
            }
        }
        Ok(())
    }
}

/// The parts of Go's `url.Parse` result that helm's chart reference
/// handling looks at.
struct GoUrl<'a> {
    scheme: &'a str,
    /// Set when the scheme is followed by something other than `/`.
    opaque: Option<&'a str>,
    /// What follows `//` up to the path (user information and host), when
    /// the reference has it.
    authority: Option<&'a str>,
    /// The raw path, and the path unescaped.
    raw_path: &'a str,
    path: String,
    /// `?` and the raw query, when there is one (`?` alone included).
    query: &'a str,
    fragment: Option<&'a str>,
}

impl<'a> GoUrl<'a> {
    fn parse(raw: &'a str) -> Option<GoUrl<'a>> {
        let (u, fragment) = match raw.split_once('#') {
            Some((u, f)) => (u, Some(f)),
            None => (raw, None),
        };
        if let Some(f) = fragment {
            go_unescape(f)?;
        }
        if u.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return None;
        }
        // getScheme
        let mut scheme = "";
        let mut rest = u;
        for (i, c) in u.bytes().enumerate() {
            match c {
                b'a'..=b'z' | b'A'..=b'Z' => {}
                b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
                b':' => {
                    if i == 0 {
                        return None; // missing protocol scheme
                    }
                    scheme = &u[..i];
                    rest = &u[i + 1..];
                    break;
                }
                _ => break,
            }
        }
        let (rest, query) = if rest.ends_with('?') && rest.matches('?').count() == 1 {
            (&rest[..rest.len() - 1], &rest[rest.len() - 1..])
        } else {
            match rest.find('?') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            }
        };
        let mut url = GoUrl {
            scheme,
            opaque: None,
            raw_path: "",
            path: String::new(),
            query,
            fragment,
            authority: None,
        };
        if !rest.starts_with('/') {
            if !scheme.is_empty() {
                url.opaque = Some(rest);
                return Some(url);
            }
            // "first path segment in URL cannot contain colon"
            if rest.split('/').next().unwrap_or_default().contains(':') {
                return None;
            }
        }
        let mut rest = rest;
        if let Some(after) = rest.strip_prefix("//") {
            if !scheme.is_empty() || !rest.starts_with("///") {
                let end = after.find('/').unwrap_or(after.len());
                url.authority = Some(&after[..end]);
                rest = &after[end..];
            }
        }
        url.path = go_unescape(rest)?;
        url.raw_path = rest;
        Some(url)
    }

    /// Go's `URL.String()`.
    fn string(&self) -> String {
        let mut out = String::new();
        if !self.scheme.is_empty() {
            out.push_str(self.scheme);
            out.push(':');
        }
        if let Some(authority) = self.authority.filter(|a| !a.is_empty()) {
            out.push_str("//");
            out.push_str(authority);
        }
        match self.opaque {
            Some(o) if !o.is_empty() => out.push_str(o),
            _ => {
                // EscapedPath: the raw form when it is a valid encoding.
                if validly_encoded(self.raw_path, b"") {
                    out.push_str(self.raw_path);
                } else {
                    out.push_str(&url_escape_path(&self.path));
                }
            }
        }
        out.push_str(self.query);
        if let Some(f) = self.fragment.filter(|f| !f.is_empty()) {
            out.push('#');
            if validly_encoded(f, b"?") {
                out.push_str(f);
            } else {
                for b in go_unescape(f).unwrap_or_default().bytes() {
                    if b.is_ascii_alphanumeric() || b"-_.~$&+,/:;=?@!()*".contains(&b) {
                        out.push(b as char);
                    } else {
                        out.push_str(&format!("%{b:02X}"));
                    }
                }
            }
        }
        out
    }
}

/// The host of a URL's authority (what follows its user information).
fn host_of(authority: &str) -> &str {
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
}

/// Whether a raw path (or, with `?` allowed, a fragment) is a form Go's
/// `EscapedPath`/`EscapedFragment` keeps as written (`validEncoded`).
fn validly_encoded(s: &str, extra: &[u8]) -> bool {
    s.bytes().all(|b| {
        b.is_ascii_alphanumeric() || b"!$&'()*+,;=:@[]%-_.~/".contains(&b) || extra.contains(&b)
    })
}

/// Go's `url.unescape` for paths and fragments: every `%` must start a
/// two-digit hex escape.
fn go_unescape(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            let hi = hex(*b.get(i + 1)?)?;
            let lo = hex(*b.get(i + 2)?)?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Go's `url.PathEscape`-like escaping of `URL.EscapedPath`.
fn url_escape_path(p: &str) -> String {
    let mut out = String::new();
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~$&+,/:;=@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// helm's `writeToFile`.
fn write_file(
    path: &Path,
    shown: &str,
    source: &str,
    body: &str,
    append: bool,
) -> Result<(), String> {
    use std::io::Write;
    let parent_shown = match shown.rfind('/') {
        Some(i) => &shown[..i],
        None => ".",
    };
    if let Some(parent) = path.parent() {
        // helm's ensureDirectoryForFile: stat, then MkdirAll.
        if let Err(e) = std::fs::metadata(parent) {
            if e.kind() != std::io::ErrorKind::NotFound {
                return Err(go_path_error("stat", parent_shown, &e));
            }
        }
        std::fs::create_dir_all(parent).map_err(|e| go_path_error("mkdir", parent_shown, &e))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(!append)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(path)
        .map_err(|e| go_path_error("open", shown, &e))?;
    write!(f, "---\n# Source: {source}\n{body}\n").map_err(|e| go_path_error("write", shown, &e))
}

/// Go's `filepath.Join`: the non-empty elements joined by `/`, cleaned.
fn go_join(parts: &[&str]) -> String {
    let joined = parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("/");
    if joined.is_empty() {
        String::new()
    } else {
        path_clean(&joined)
    }
}

/// Go's `*PathError` text: `op path: reason`.
fn go_path_error(op: &str, path: &str, e: &std::io::Error) -> String {
    let reason = match e.raw_os_error() {
        Some(20) => "not a directory".to_string(),
        Some(21) => "is a directory".to_string(),
        Some(17) => "file exists".to_string(),
        Some(13) => "permission denied".to_string(),
        Some(2) => "no such file or directory".to_string(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    };
    format!("{op} {path}: {reason}")
}

/// helm's `TemplateName`: the template runs with sprig's functions and nil
/// data (seeded and clocked like the render).
fn render_name_template(
    text: &str,
    determinism: &chartgen_sprig::Determinism,
) -> Result<String, String> {
    let mut set = gotmpl::TemplateSet::new("name-template", chartgen_sprig::funcs());
    set.parse("name-template", text)
        .map_err(|e| e.to_string())?;
    let mut out = String::new();
    let mut ctx = chartgen_sprig::Context::new(determinism);
    set.execute_with("name-template", &gotmpl::Value::Invalid, &mut out, &mut ctx)
        .map_err(|e| e.to_string())?;
    Ok(out)
}
