//! `chartgen validate`: values files checked against a chart's
//! `values.schema.json` (and its sub-charts'), with every problem reported
//! where it was written.
//!
//! The files are read with helm's YAML rules (the `chartgen-yaml` layer,
//! which keeps spans), merged in order as `helm template -f a -f b` merges
//! them, coalesced with the chart's defaults after helm's dependency
//! processing, and validated with helm's schema checks
//! ([`chartgen_helm::schema::violations`], helm's messages). Each problem
//! becomes one [`Diagnostic`] located in the file that supplied the value
//! (the last file that set it); YAML syntax errors, unreadable files and
//! charts that do not load are diagnostics too. Keys written twice in one
//! mapping are warnings: helm keeps the last one without a word.
//!
//! It is **not** a renderer and not a linter of templates: it answers
//! "would helm accept these values for this chart, and if not, where is each
//! problem", nothing about what the chart then renders. `--set` values have
//! no file to point at; [`check_values`] validates them but locates only
//! what files supplied.

mod locate;
mod render;
mod suggest;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chartgen_helm::chart::Chart;
use chartgen_helm::{coalesce, deps, schema, values};
use chartgen_yaml::{Span, SpannedValue};
use gotmpl::{MapEntries, Value};
use serde::Serialize;

pub use render::Format;

/// How bad a [`Diagnostic`] is: only errors make a file set invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem, where it was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file as it was named on the command line (or the chart's path for
    /// a chart that does not load).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// How many characters the caret underlines.
    pub width: usize,
    pub severity: Severity,
    pub message: String,
    /// The JSON pointer of the offending value in the merged values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// The chart whose schema failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart: Option<String>,
    /// For a key the schema does not allow: the declared key it most resembles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Diagnostic {
    fn new(file: &str, span: Option<Span>, severity: Severity, message: String) -> Diagnostic {
        let (line, column) = span.map_or((0, 0), |s| (s.line, s.column));
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            width: 1,
            severity,
            message,
            pointer: None,
            chart: None,
            suggestion: None,
            notes: Vec::new(),
        }
    }

    /// `file:line:col: severity: message` (the first line of the text form).
    pub fn headline(&self) -> String {
        let at = if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column)
        };
        format!("{at}: {}: {}", self.severity.as_str(), self.message)
    }
}

/// A parsed values file.
#[derive(Clone, Debug)]
pub struct Source {
    /// The name diagnostics use.
    pub name: String,
    pub text: String,
    pub tree: SpannedValue,
}

impl Source {
    /// Parses a values file as `helm template -f` does. `Err` holds the
    /// syntax error as a diagnostic.
    pub fn parse(name: &str, data: &[u8]) -> Result<Source, Box<Diagnostic>> {
        let text = String::from_utf8_lossy(data).into_owned();
        match chartgen_yaml::parse_values_spanned(data) {
            Ok(tree) => Ok(Source {
                name: name.to_string(),
                text,
                tree,
            }),
            Err(e) => Err(Box::new(locate::yaml_error(name, &text, &e))),
        }
    }

    /// Keys written twice in one mapping, as warnings.
    pub fn duplicate_key_warnings(&self) -> Vec<Diagnostic> {
        chartgen_yaml::duplicate_keys(self.text.as_bytes())
            .into_iter()
            .map(|d| {
                let mut diag = Diagnostic::new(
                    &self.name,
                    Some(d.repeated),
                    Severity::Warning,
                    format!(
                        "key {} is repeated; helm keeps only this value",
                        quote(&d.key)
                    ),
                );
                diag.width = locate::token_width(&self.text, d.repeated);
                diag.notes.push(format!(
                    "first written at line {}, column {}",
                    d.first.line, d.first.column
                ));
                diag
            })
            .collect()
    }
}

/// The diagnostics of a run, with the sources they point into.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    sources: BTreeMap<String, String>,
}

impl Report {
    /// Whether any diagnostic is an error (the files are invalid).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// The report as text (`color`: ANSI styles) or JSON; empty when there
    /// is nothing to say.
    pub fn render(&self, format: Format, color: bool) -> String {
        render::render(self, format, color)
    }

    fn add_source(&mut self, s: &Source) {
        self.sources.insert(s.name.clone(), s.text.clone());
    }

    /// Sorted by file, line and column; exact repeats (the same chart default
    /// seen through several files) dropped.
    fn finish(&mut self) {
        self.diagnostics.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        self.diagnostics.dedup();
    }
}

/// What to validate against and how.
pub struct Options<'a> {
    /// The chart (directory or archive); `None`: the nearest `Chart.yaml`
    /// above each file, else [`Options::builtin`].
    pub chart: Option<PathBuf>,
    /// Validate each file on its own over the chart's defaults instead of
    /// merging them in order.
    pub each: bool,
    /// Relative paths are resolved against this directory.
    pub cwd: PathBuf,
    /// The chart used when a file has no `Chart.yaml` above it.
    pub builtin: &'a dyn Fn() -> Result<Chart, String>,
    /// What `-` reads (`None`: the process's standard input).
    pub stdin: Option<Vec<u8>>,
    /// Schemas prepared ahead of time (see
    /// [`chartgen_helm::schema::precompile`]): a chart whose schema is one
    /// of them is checked sooner.
    pub prepared_schemas: chartgen_helm::schema::PrecompiledSchemas,
}

/// Which chart a file is checked against.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ChartRef {
    Path(PathBuf),
    Builtin,
}

/// The nearest directory at or above `dir` holding a `Chart.yaml`.
pub fn find_chart_dir(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join("Chart.yaml").is_file())
        .map(Path::to_path_buf)
}

fn read(path: &str, opts: &Options<'_>) -> Result<Vec<u8>, String> {
    if path == "-" {
        if let Some(d) = &opts.stdin {
            return Ok(d.clone());
        }
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map_err(|e| e.to_string())?;
        return Ok(buf);
    }
    std::fs::read(opts.cwd.join(path)).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ if e.raw_os_error() == Some(21) => "is a directory".to_string(),
        _ => e.to_string(),
    })
}

/// Validates values files (see the crate documentation).
pub fn validate_files(files: &[String], opts: &Options<'_>) -> Report {
    let mut report = Report::default();
    // Files per chart, in command-line order; `None` for files that failed.
    let mut groups: BTreeMap<ChartRef, Vec<Option<Source>>> = BTreeMap::new();
    let mut group_order: Vec<ChartRef> = Vec::new();
    for f in files {
        let chart = match &opts.chart {
            Some(c) => ChartRef::Path(opts.cwd.join(c)),
            None => {
                let full = if f == "-" {
                    opts.cwd.clone()
                } else {
                    opts.cwd.join(f)
                };
                let dir = if f == "-" {
                    Some(full.as_path())
                } else {
                    full.parent()
                };
                match dir.and_then(find_chart_dir) {
                    Some(d) => ChartRef::Path(d),
                    None => ChartRef::Builtin,
                }
            }
        };
        let source = match read(f, opts) {
            Err(e) => {
                report.diagnostics.push(Diagnostic::new(
                    f,
                    None,
                    Severity::Error,
                    format!("cannot read the file: {e}"),
                ));
                None
            }
            Ok(data) => match Source::parse(f, &data) {
                Ok(s) => {
                    report.add_source(&s);
                    report.diagnostics.extend(s.duplicate_key_warnings());
                    Some(s)
                }
                Err(d) => {
                    report
                        .sources
                        .insert(f.clone(), String::from_utf8_lossy(&data).into_owned());
                    report.diagnostics.push(*d);
                    None
                }
            },
        };
        if !groups.contains_key(&chart) {
            group_order.push(chart.clone());
        }
        groups.entry(chart).or_default().push(source);
    }
    for chart_ref in group_order {
        let sources = groups.remove(&chart_ref).unwrap_or_default();
        let chart = match &chart_ref {
            ChartRef::Builtin => (opts.builtin)(),
            ChartRef::Path(p) => chartgen_helm::loader::load(p).map_err(|e| e.located()),
        };
        let chart = match chart {
            Ok(c) => c,
            Err(e) => {
                let name = match &chart_ref {
                    ChartRef::Path(p) => p.display().to_string(),
                    ChartRef::Builtin => "<built-in chart>".to_string(),
                };
                report.diagnostics.push(Diagnostic::new(
                    &name,
                    None,
                    Severity::Error,
                    format!("cannot load the chart: {e}"),
                ));
                continue;
            }
        };
        if opts.each {
            for s in sources.iter().flatten() {
                let user = merged(std::slice::from_ref(s));
                report.diagnostics.extend(check_values_prepared(
                    &chart,
                    std::slice::from_ref(s),
                    &user,
                    opts.prepared_schemas,
                ));
            }
        } else if sources.iter().all(Option::is_some) {
            // helm stops at the first file it cannot read: so do merged checks.
            let sources: Vec<Source> = sources.into_iter().flatten().collect();
            let user = merged(&sources);
            report.diagnostics.extend(check_values_prepared(
                &chart,
                &sources,
                &user,
                opts.prepared_schemas,
            ));
        }
    }
    report.finish();
    report
}

/// The files' values merged in order (helm's `-f a -f b`).
pub fn merged(sources: &[Source]) -> Value {
    let mut base = MapEntries::new();
    for s in sources {
        if let Value::Map(m) = s.tree.to_value() {
            base = values::merge_maps(&base, &m.entries());
        }
    }
    Value::map(base)
}

/// Checks user values (merged from `sources`, possibly with more on top,
/// such as `--set`) against `chart` as `helm template` does, and locates
/// each failure in the last of `sources` that set the value.
pub fn check_values(chart: &Chart, sources: &[Source], user: &Value) -> Vec<Diagnostic> {
    check_values_prepared(chart, sources, user, &[])
}

/// [`check_values`] with schemas prepared ahead of time (see
/// [`Options::prepared_schemas`]).
pub fn check_values_prepared(
    chart: &Chart,
    sources: &[Source],
    user: &Value,
    prepared: chartgen_helm::schema::PrecompiledSchemas,
) -> Vec<Diagnostic> {
    let whole = |message: String| {
        let file = sources.last().map_or("<values>", |s| s.name.as_str());
        vec![Diagnostic::new(file, None, Severity::Error, message)]
    };
    let mut chart = chart.clone();
    if let Err(e) = deps::process_dependencies(&mut chart, user) {
        return whole(e.0);
    }
    let coalesced = match coalesce::coalesce_values(&chart, user) {
        Ok(v) => v,
        Err(e) => return whole(e.0),
    };
    let violations = match schema::violations_prepared(&chart, &coalesced, prepared) {
        Ok(v) => v,
        Err(e) => return whole(format!("the chart's schema is unusable: {}", e.0)),
    };
    let user_json = schema::to_json_value(user);
    let mut out = Vec::new();
    for v in &violations {
        out.extend(locate::violation(&chart, sources, &user_json, v));
    }
    out
}

/// helm's (v6's) single-quoting of names in messages.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_dir_is_the_nearest_above() {
        let root = std::env::temp_dir().join(format!("chartgen-validate-{}", std::process::id()));
        let sub = root.join("c/values/prod");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(root.join("c/Chart.yaml"), "name: c\n").unwrap();
        assert_eq!(find_chart_dir(&sub), Some(root.join("c")));
        assert_eq!(find_chart_dir(&root.join("c")), Some(root.join("c")));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
