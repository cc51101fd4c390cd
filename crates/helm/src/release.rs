//! What `helm template` does after the engine: NOTES handling, manifest
//! sorting, CRDs, hooks, `--show-only`, and the exact text it prints.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::chart::Chart;
use crate::output::{self, Hook, Manifest};

/// Output choices of `helm template`.
#[derive(Clone, Debug, Default)]
pub struct OutputOptions {
    /// `--include-crds`: print the charts' `crds/` files first.
    pub include_crds: bool,
    /// `--skip-tests`: leave out test hooks.
    pub skip_tests: bool,
    /// `--no-hooks`: leave out every hook.
    pub no_hooks: bool,
    /// `-s/--show-only` patterns (`templates/x.yaml`, globs), in flag order.
    pub show_only: Vec<String>,
    /// `--render-subchart-notes`.
    pub subchart_notes: bool,
}

/// What a document is in the release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// A CRD from a chart's `crds/` directory (printed verbatim).
    Crd,
    /// An ordinary manifest.
    Manifest,
    /// A hook, with its events (`pre-install`, `test`, …).
    Hook { events: Vec<String>, weight: i64 },
}

/// One document of the output, in output order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The file it came from (`chart/templates/x.yaml`, `chart/crds/y.yaml`).
    pub source: String,
    pub api_version: String,
    pub kind: String,
    pub name: String,
    /// The document text as printed after its `# Source:` line.
    pub body: String,
    pub role: DocumentKind,
}

/// A rendered release.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// Documents in output order (before `--show-only` filtering).
    pub documents: Vec<Document>,
    /// NOTES.txt output (helm renders it but `template` does not print it).
    pub notes: String,
    /// Exactly what `helm template` prints on stdout.
    pub stream: String,
}

impl Rendered {
    /// helm's release manifest: the CRDs (with `--include-crds`) and the
    /// manifests, each as `---\n# Source: FILE\nBODY\n` (no hooks).
    pub fn manifest(&self) -> String {
        let mut out = String::new();
        for d in &self.documents {
            if matches!(d.role, DocumentKind::Crd | DocumentKind::Manifest) {
                push_source_block(&mut out, &d.source, &d.body);
            }
        }
        out
    }
}

/// A failure after rendering; `after_render` errors get helm's
/// "Use --debug flag" hint in the CLI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssembleError {
    pub message: String,
    /// What `helm template --debug` prints before the error.
    pub debug_output: String,
}

impl std::fmt::Display for AssembleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AssembleError {}

const NOTES_SUFFIX: &str = "NOTES.txt";

/// `(path, data)` of every CRD of the chart and its sub-charts, in helm's
/// order (a chart's own first, then each dependency's).
pub fn crd_objects(chart: &Chart) -> Vec<(String, String)> {
    fn walk(chart: &Chart, full_path: &str, out: &mut Vec<(String, String)>) {
        for f in &chart.files {
            if f.name.starts_with("crds/") && has_manifest_extension(&f.name) {
                out.push((
                    format!("{full_path}/{}", f.name),
                    String::from_utf8_lossy(&f.data).into_owned(),
                ));
            }
        }
        for dep in &chart.dependencies {
            walk(dep, &format!("{full_path}/charts/{}", dep.name()), out);
        }
    }
    let mut out = Vec::new();
    walk(chart, chart.name(), &mut out);
    out
}

fn has_manifest_extension(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    match base.rfind('.') {
        Some(i) => {
            let ext = &base[i..];
            ext.eq_ignore_ascii_case(".yaml")
                || ext.eq_ignore_ascii_case(".yml")
                || ext.eq_ignore_ascii_case(".json")
        }
        None => false,
    }
}

fn doc(m: Manifest, role: DocumentKind) -> Document {
    Document {
        source: m.source,
        api_version: m.head.api_version,
        kind: m.head.kind,
        name: m.head.name,
        body: m.content,
        role,
    }
}

/// Turns the engine's rendered files into `helm template`'s output.
pub fn assemble(
    chart: &Chart,
    files: BTreeMap<String, String>,
    opts: &OutputOptions,
) -> Result<Rendered, AssembleError> {
    assemble_logged(
        chart,
        files,
        &BTreeMap::new(),
        opts,
        &mut crate::coalesce::Warnings::new(),
    )
}

/// Appends `---\n# Source: SOURCE\nBODY\n`.
fn push_source_block(out: &mut String, source: &str, body: &str) {
    out.reserve(source.len() + body.len() + 16);
    out.push_str("---\n# Source: ");
    out.push_str(source);
    out.push('\n');
    out.push_str(body);
    out.push('\n');
}

/// The stream `helm template` prints: the trimmed manifest, then the hooks
/// (unless `--no-hooks`; test hooks unless `--skip-tests`). Built in
/// `manifest`'s own buffer: the output of a large chart is not copied.
fn stream_of<'a>(
    mut manifest: String,
    hooks: impl Iterator<Item = &'a Hook>,
    opts: &OutputOptions,
) -> String {
    let end = manifest.trim_end_matches(is_space).len();
    manifest.truncate(end);
    let start = manifest.len() - manifest.trim_start_matches(is_space).len();
    manifest.drain(..start);
    manifest.push('\n');
    if !opts.no_hooks {
        for h in hooks {
            if opts.skip_tests && h.is_test() {
                continue;
            }
            push_source_block(&mut manifest, &h.manifest.source, &h.manifest.content);
        }
    }
    manifest
}

/// [`assemble`], logging what helm logs (skipped unknown hooks).
/// `raw` holds the bytes of rendered files that are not UTF-8.
pub fn assemble_logged(
    chart: &Chart,
    files: BTreeMap<String, String>,
    raw: &BTreeMap<String, Vec<u8>>,
    opts: &OutputOptions,
    log: &mut crate::coalesce::Warnings,
) -> Result<Rendered, AssembleError> {
    assemble_cached(chart, files, raw, opts, log, None, true)
}

/// [`assemble_logged`], decoding document heads through `heads` when given
/// (a chart rendered many times), on all cores when `parallel`.
pub fn assemble_cached(
    chart: &Chart,
    mut files: BTreeMap<String, String>,
    raw: &BTreeMap<String, Vec<u8>>,
    opts: &OutputOptions,
    log: &mut crate::coalesce::Warnings,
    heads: Option<&output::HeadCache>,
    parallel: bool,
) -> Result<Rendered, AssembleError> {
    // NOTES.txt is rendered like everything else, then set aside.
    let root_notes = format!("{}/templates/{NOTES_SUFFIX}", chart.name());
    let mut notes = String::new();
    let note_names: Vec<String> = files
        .keys()
        .filter(|k| k.ends_with(NOTES_SUFFIX))
        .cloned()
        .collect();
    for k in note_names {
        let v = files.remove(&k).unwrap_or_default();
        if opts.subchart_notes || k == root_notes {
            if !notes.is_empty() {
                notes.push('\n');
            }
            notes.push_str(&v);
        }
    }

    let (hooks, manifests): (Vec<Hook>, Vec<Manifest>) =
        match output::sort_manifests_cached(&files, raw, log, heads, parallel) {
            Ok(r) => r,
            Err(e) => {
                // helm hands back every rendered file to help debugging
                // (in Go's random map order; here sorted by name).
                let mut blob = String::new();
                for (name, content) in &files {
                    if content.trim_matches(is_space).is_empty() {
                        continue;
                    }
                    push_source_block(&mut blob, name, content);
                }
                return Err(AssembleError {
                    message: e.message,
                    debug_output: stream_of(blob, e.hooks.iter(), opts),
                });
            }
        };

    let mut documents = Vec::new();
    let mut manifest_text = String::new();
    if opts.include_crds {
        for (path, data) in crd_objects(chart) {
            push_source_block(&mut manifest_text, &path, &data);
            let head = output::parse_head(&data).unwrap_or_default();
            documents.push(Document {
                source: path,
                api_version: head.api_version,
                kind: head.kind,
                name: head.name,
                body: data,
                role: DocumentKind::Crd,
            });
        }
    }
    manifest_text.reserve(
        manifests
            .iter()
            .map(|m| m.source.len() + m.content.len() + 16)
            .sum(),
    );
    for m in &manifests {
        push_source_block(&mut manifest_text, &m.source, &m.content);
    }
    let mut stream = stream_of(manifest_text, hooks.iter(), opts);
    documents.extend(
        manifests
            .into_iter()
            .map(|m| doc(m, DocumentKind::Manifest)),
    );
    if !opts.no_hooks {
        for h in hooks {
            if opts.skip_tests && h.is_test() {
                continue;
            }
            documents.push(doc(
                h.manifest,
                DocumentKind::Hook {
                    events: h.events.clone(),
                    weight: h.weight,
                },
            ));
        }
    }

    if !opts.show_only.is_empty() {
        stream = show_only(&stream, &opts.show_only)?;
    }
    Ok(Rendered {
        documents,
        notes,
        stream,
    })
}

fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    ) || (c > '\u{FF}' && c.is_whitespace())
}

/// `--show-only`: re-split the stream and keep the documents whose template
/// path (without the chart name) matches each pattern, in pattern order.
pub fn show_only(stream: &str, patterns: &[String]) -> Result<String, AssembleError> {
    static SOURCE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"# Source: [^/]+/(.+)").expect("valid regexp"));
    let docs = output::split_manifests(stream);
    let mut out = String::new();
    for pattern in patterns {
        // filepath.ToSlash: nothing to do where the separator is `/`.
        let mut missing = true;
        for d in &docs {
            let Some(c) = SOURCE.captures(d) else {
                continue;
            };
            let path = &c[1];
            if crate::ignore::filepath_match(pattern, path).unwrap_or(false) {
                out.push_str(&format!("---\n{d}\n"));
                missing = false;
            }
        }
        if missing {
            return Err(AssembleError {
                message: format!("could not find template {pattern} in chart"),
                debug_output: String::new(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::BufferedFile;

    fn chart() -> Chart {
        let file = |name: &str, data: &str| BufferedFile {
            name: name.into(),
            data: data.as_bytes().to_vec().into(),
        };
        crate::loader::load_files(
            vec![
                file("Chart.yaml", "apiVersion: v2\nname: c\nversion: 1.0.0\n"),
                file("crds/crd.yaml", "kind: CustomResourceDefinition\n"),
            ],
            "test",
        )
        .unwrap()
    }

    fn rendered(opts: &OutputOptions) -> Rendered {
        let files: BTreeMap<String, String> = [
            ("c/templates/a.yaml", "\n\nkind: Service\n\n"),
            (
                "c/templates/hook.yaml",
                "kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n",
            ),
            (
                "c/templates/test.yaml",
                "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n",
            ),
            (
                "c/templates/d.yaml",
                "kind: Deployment\n---\nkind: ConfigMap",
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assemble(&chart(), files, opts).unwrap()
    }

    #[test]
    fn the_stream_is_the_trimmed_manifest_then_the_hooks() {
        let r = rendered(&OutputOptions::default());
        let manifest = "---\n# Source: c/templates/d.yaml\nkind: ConfigMap\n\
                        ---\n# Source: c/templates/a.yaml\nkind: Service\n\
                        ---\n# Source: c/templates/d.yaml\nkind: Deployment\n";
        assert_eq!(r.manifest(), manifest);
        // Hooks in kind order too: a Pod before a Job.
        let hooks = "---\n# Source: c/templates/test.yaml\nkind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n\
                     ---\n# Source: c/templates/hook.yaml\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n";
        assert_eq!(r.stream, format!("{manifest}{hooks}"));

        let r = rendered(&OutputOptions {
            include_crds: true,
            skip_tests: true,
            ..OutputOptions::default()
        });
        let crd = "---\n# Source: c/crds/crd.yaml\nkind: CustomResourceDefinition\n\n";
        assert_eq!(r.manifest(), format!("{crd}{manifest}"));
        assert!(r.stream.starts_with("---\n# Source: c/crds/crd.yaml\n"));
        assert!(!r.stream.contains("kind: Pod"));

        let r = rendered(&OutputOptions {
            no_hooks: true,
            ..OutputOptions::default()
        });
        assert_eq!(r.stream, manifest);
        assert_eq!(r.documents.len(), 3);
    }

    #[test]
    fn an_empty_release_prints_one_newline() {
        let r = assemble(&chart(), BTreeMap::new(), &OutputOptions::default()).unwrap();
        assert_eq!(r.manifest(), "");
        assert_eq!(r.stream, "\n");
    }
}
