//! The suite manifest: a YAML file listing cases. Paths in it are relative
//! to the manifest's directory.
//!
//! ```yaml
//! chart: ../chart            # optional; default: the caller's (chartgen: the built-in chart)
//! goldenPattern: "*.yaml"    # optional; files in golden directories that must belong to a case
//! defaults:                  # optional; applied to every case
//!   release: airflow         # default release-name
//!   namespace: airflow       # default "default"
//!   seed: 1                  # sprig's random functions, reproducible
//!   now: "2024-01-01T00:00:00Z"   # frozen clock (RFC 3339)
//! cases:
//!   - name: defaults                  # default: the golden's file stem
//!     values: [cases/defaults.yaml]   # -f, in order
//!     set: [a=1]                      # also setString, setFile, setJson, setLiteral
//!     kubeVersion: "1.30.0"
//!     apiVersions: [example.com/v1]
//!     golden: golden/defaults.yaml
//!   - each: cases/*.yaml              # one case per matching values file,
//!     golden: golden/{name}.yaml      # {name} being its file stem
//! ```
//!
//! Scalars of a case override the defaults; lists (values files, `set*`,
//! `apiVersions`) come after the defaults' lists, as later flags do.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Component, Path, PathBuf};

use chartgen_sprig::Timestamp;
use chartgen_yaml::{Span, SpannedEntry, SpannedNode, SpannedValue};

/// A loaded suite.
#[derive(Clone, Debug)]
pub struct Suite {
    /// The manifest's path as given.
    pub manifest: PathBuf,
    /// The manifest's directory: relative paths in it are relative to this.
    pub dir: PathBuf,
    /// The chart (resolved), or `None` for the caller's default chart.
    pub chart: Option<PathBuf>,
    /// Which files in a golden directory are goldens (a glob on file names).
    pub golden_pattern: glob::Pattern,
    pub cases: Vec<Case>,
}

/// One case: `chartgen template` flags and the golden its output must equal.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Case {
    pub name: String,
    /// The golden file (resolved against the manifest's directory).
    pub golden: PathBuf,
    /// `-f` files, relative to the manifest's directory unless absolute.
    pub values: Vec<String>,
    pub set: Vec<String>,
    pub set_string: Vec<String>,
    /// `--set-file` (its files are relative to the manifest's directory).
    pub set_file: Vec<String>,
    pub set_json: Vec<String>,
    pub set_literal: Vec<String>,
    pub release: Option<String>,
    pub namespace: Option<String>,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub seed: Option<u64>,
    pub now: Option<Timestamp>,
}

/// A manifest that cannot be read or is malformed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestError(pub String);

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ManifestError {}

const TOP_KEYS: &[&str] = &["chart", "goldenPattern", "defaults", "cases"];
const OPTION_KEYS: &[&str] = &[
    "values",
    "set",
    "setString",
    "setFile",
    "setJson",
    "setLiteral",
    "release",
    "namespace",
    "kubeVersion",
    "apiVersions",
    "seed",
    "now",
];
const CASE_KEYS: &[&str] = &["name", "golden", "each"];

impl Suite {
    /// Reads and checks a manifest.
    pub fn load(manifest: &Path) -> Result<Suite, ManifestError> {
        let text = std::fs::read(manifest)
            .map_err(|e| ManifestError(format!("reading {}: {e}", manifest.display())))?;
        Suite::parse(manifest, &text)
    }

    /// Parses a manifest's text (`manifest` names it and fixes its directory).
    pub fn parse(manifest: &Path, text: &[u8]) -> Result<Suite, ManifestError> {
        let dir = match manifest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let r = Reader {
            file: manifest.display().to_string(),
        };
        let root = chartgen_yaml::parse_map_spanned(text).map_err(|e| {
            let at = e.span().unwrap_or_default();
            r.error(at, e.message())
        })?;
        let top = r.map(&root, "the manifest")?;
        r.known_keys(top, TOP_KEYS, "")?;
        let chart = match top.get("chart") {
            Some(e) => Some(clean(&dir.join(r.string(&e.value, "chart")?))),
            None => None,
        };
        let golden_pattern = match top.get("goldenPattern") {
            Some(e) => {
                let s = r.string(&e.value, "goldenPattern")?;
                glob::Pattern::new(&s)
                    .map_err(|err| r.error(e.value.span, &format!("goldenPattern: {err}")))?
            }
            None => glob::Pattern::new("*.yaml").expect("a valid pattern"),
        };
        let defaults = match top.get("defaults") {
            Some(e) => {
                let m = r.map(&e.value, "defaults")?;
                r.known_keys(m, OPTION_KEYS, "defaults.")?;
                r.options(m, "defaults.")?
            }
            None => Case::default(),
        };
        let Some(cases_entry) = top.get("cases") else {
            return Err(r.error(root.span, "the manifest has no `cases` list"));
        };
        let SpannedNode::List(items) = &cases_entry.value.node else {
            return Err(r.error(cases_entry.value.span, "cases: must be a list"));
        };
        let mut cases = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let at = format!("cases[{i}].");
            let m = r.map(item, &format!("cases[{i}]"))?;
            let mut keys: Vec<&str> = OPTION_KEYS.to_vec();
            keys.extend_from_slice(CASE_KEYS);
            r.known_keys(m, &keys, &at)?;
            let own = r.options(m, &at)?;
            let own_values = own.values.clone();
            let case = defaults.then(own);
            let Some(golden) = m.get("golden") else {
                return Err(r.error(item.span, &format!("{at}golden: missing")));
            };
            let golden_text = r.string(&golden.value, &format!("{at}golden"))?;
            let name = match m.get("name") {
                Some(e) => Some(r.string(&e.value, &format!("{at}name"))?),
                None => None,
            };
            match m.get("each") {
                None => {
                    let golden = clean(&dir.join(&golden_text));
                    let name = name.unwrap_or_else(|| stem(&golden));
                    cases.push(Case {
                        name,
                        golden,
                        ..case
                    });
                }
                Some(each) => {
                    let pattern = r.string(&each.value, &format!("{at}each"))?;
                    if !golden_text.contains("{name}") {
                        return Err(r.error(
                            golden.value.span,
                            &format!(
                                "{at}golden: a case with `each` needs {{name}} in its golden path"
                            ),
                        ));
                    }
                    for file in r.expand(&dir, &pattern, each.value.span, &at)? {
                        let file_stem = stem(Path::new(&file));
                        let mut values = defaults.values.clone();
                        values.push(file.clone());
                        values.extend(own_values.iter().cloned());
                        cases.push(Case {
                            name: name
                                .as_deref()
                                .unwrap_or("{name}")
                                .replace("{name}", &file_stem),
                            golden: clean(&dir.join(golden_text.replace("{name}", &file_stem))),
                            values,
                            ..case.clone()
                        });
                    }
                }
            }
        }
        let mut names = BTreeSet::new();
        let mut goldens = BTreeMap::new();
        for c in &cases {
            if !names.insert(c.name.clone()) {
                return Err(r.error(
                    cases_entry.value.span,
                    &format!("two cases are named {}", c.name),
                ));
            }
            if let Some(other) = goldens.insert(c.golden.clone(), c.name.clone()) {
                return Err(r.error(
                    cases_entry.value.span,
                    &format!(
                        "cases {other} and {} share the golden {}",
                        c.name,
                        c.golden.display()
                    ),
                ));
            }
        }
        Ok(Suite {
            manifest: manifest.to_path_buf(),
            dir,
            chart,
            golden_pattern,
            cases,
        })
    }
}

impl Case {
    /// `self` (suite defaults) with `own` applied on top.
    fn then(&self, own: Case) -> Case {
        let cat = |a: &Vec<String>, b: Vec<String>| a.iter().cloned().chain(b).collect();
        Case {
            name: own.name,
            golden: own.golden,
            values: cat(&self.values, own.values),
            set: cat(&self.set, own.set),
            set_string: cat(&self.set_string, own.set_string),
            set_file: cat(&self.set_file, own.set_file),
            set_json: cat(&self.set_json, own.set_json),
            set_literal: cat(&self.set_literal, own.set_literal),
            release: own.release.or_else(|| self.release.clone()),
            namespace: own.namespace.or_else(|| self.namespace.clone()),
            kube_version: own.kube_version.or_else(|| self.kube_version.clone()),
            api_versions: cat(&self.api_versions, own.api_versions),
            seed: own.seed.or(self.seed),
            now: own.now.or_else(|| self.now.clone()),
        }
    }
}

/// The file stem of a path (`golden/x.yaml` -> `x`).
fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Removes `.` components and folds `dir/..` (no file system access), so
/// paths compare equal however the manifest spells them.
pub(crate) fn clean(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let last = out.components().next_back();
                match last {
                    Some(Component::Normal(_)) => {
                        out.pop();
                    }
                    Some(Component::RootDir) => {}
                    _ => out.push(".."),
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

struct Reader {
    file: String,
}

type Entries = BTreeMap<String, SpannedEntry>;

impl Reader {
    fn error(&self, at: Span, msg: &str) -> ManifestError {
        if at.line == 0 {
            ManifestError(format!("{}: {msg}", self.file))
        } else {
            ManifestError(format!("{}:{}:{}: {msg}", self.file, at.line, at.column))
        }
    }

    fn map<'v>(&self, v: &'v SpannedValue, what: &str) -> Result<&'v Entries, ManifestError> {
        match &v.node {
            SpannedNode::Map(m) => Ok(m),
            _ => Err(self.error(v.span, &format!("{what}: must be a map"))),
        }
    }

    fn known_keys(&self, m: &Entries, known: &[&str], at: &str) -> Result<(), ManifestError> {
        for (k, e) in m {
            if !known.contains(&k.as_str()) {
                return Err(self.error(
                    e.key_span,
                    &format!("{at}{k}: unknown key (known: {})", known.join(", ")),
                ));
            }
        }
        Ok(())
    }

    fn string(&self, v: &SpannedValue, what: &str) -> Result<String, ManifestError> {
        match &v.node {
            SpannedNode::String(s) => Ok(s.clone()),
            _ => Err(self.error(v.span, &format!("{what}: must be a string"))),
        }
    }

    /// A list of strings (a single string is a one-item list).
    fn strings(&self, v: &SpannedValue, what: &str) -> Result<Vec<String>, ManifestError> {
        match &v.node {
            SpannedNode::String(s) => Ok(vec![s.clone()]),
            SpannedNode::List(items) => items
                .iter()
                .map(|i| self.string(i, &format!("{what} item")))
                .collect(),
            _ => Err(self.error(v.span, &format!("{what}: must be a list of strings"))),
        }
    }

    fn seed(&self, v: &SpannedValue, what: &str) -> Result<u64, ManifestError> {
        let bad = || self.error(v.span, &format!("{what}: must be a non-negative integer"));
        match &v.node {
            // Numbers arrive as float64: only those exact as integers.
            SpannedNode::Number(f) if f.fract() == 0.0 && *f >= 0.0 && *f < 9007199254740992.0 => {
                Ok(*f as u64)
            }
            SpannedNode::String(s) => s.parse().map_err(|_| bad()),
            _ => Err(bad()),
        }
    }

    /// The options a case or the defaults may set.
    fn options(&self, m: &Entries, at: &str) -> Result<Case, ManifestError> {
        let list = |k: &str| -> Result<Vec<String>, ManifestError> {
            match m.get(k) {
                Some(e) => self.strings(&e.value, &format!("{at}{k}")),
                None => Ok(Vec::new()),
            }
        };
        let text = |k: &str| -> Result<Option<String>, ManifestError> {
            match m.get(k) {
                Some(e) => self.string(&e.value, &format!("{at}{k}")).map(Some),
                None => Ok(None),
            }
        };
        let seed = match m.get("seed") {
            Some(e) => Some(self.seed(&e.value, &format!("{at}seed"))?),
            None => None,
        };
        let now = match m.get("now") {
            Some(e) => {
                let s = self.string(&e.value, &format!("{at}now"))?;
                Some(
                    Timestamp::parse_rfc3339(&s)
                        .map_err(|err| self.error(e.value.span, &format!("{at}now: {err}")))?,
                )
            }
            None => None,
        };
        Ok(Case {
            values: list("values")?,
            set: list("set")?,
            set_string: list("setString")?,
            set_file: list("setFile")?,
            set_json: list("setJson")?,
            set_literal: list("setLiteral")?,
            release: text("release")?,
            namespace: text("namespace")?,
            kube_version: text("kubeVersion")?,
            api_versions: list("apiVersions")?,
            seed,
            now,
            ..Case::default()
        })
    }

    /// Values files matching `pattern` (relative to `dir`), sorted, as
    /// paths relative to `dir`.
    fn expand(
        &self,
        dir: &Path,
        pattern: &str,
        at: Span,
        key: &str,
    ) -> Result<Vec<String>, ManifestError> {
        let full = format!(
            "{}/{pattern}",
            glob::Pattern::escape(&dir.to_string_lossy())
        );
        let paths = glob::glob(&full).map_err(|e| self.error(at, &format!("{key}each: {e}")))?;
        let mut out = Vec::new();
        for p in paths {
            let p = p.map_err(|e| self.error(at, &format!("{key}each: {e}")))?;
            if !p.is_file() {
                continue;
            }
            let rel = p.strip_prefix(dir).unwrap_or(&p);
            out.push(rel.to_string_lossy().into_owned());
        }
        out.sort();
        if out.is_empty() {
            return Err(self.error(at, &format!("{key}each: {pattern} matches no file")));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Suite, ManifestError> {
        Suite::parse(Path::new("s/suite.yaml"), text.as_bytes())
    }

    #[test]
    fn defaults_apply_and_cases_override() {
        let s = parse(
            "chart: ../chart\ndefaults:\n  release: r\n  namespace: ns\n  values: [base.yaml]\n  seed: 3\n  now: \"2024-01-01T00:00:00Z\"\ncases:\n  - golden: g/a.yaml\n    values: a.yaml\n    set: [x=1]\n    seed: 4\n  - name: other\n    golden: ./g/../g/b.yaml\n    release: r2\n    kubeVersion: \"1.30\"\n    apiVersions: [a/v1]\n",
        )
        .unwrap();
        assert_eq!(s.chart, Some(PathBuf::from("chart")));
        assert_eq!(s.dir, PathBuf::from("s"));
        let a = &s.cases[0];
        assert_eq!(a.name, "a");
        assert_eq!(a.golden, PathBuf::from("s/g/a.yaml"));
        assert_eq!(a.values, vec!["base.yaml", "a.yaml"]);
        assert_eq!(a.set, vec!["x=1"]);
        assert_eq!(a.release.as_deref(), Some("r"));
        assert_eq!(a.seed, Some(4));
        assert!(a.now.is_some());
        let b = &s.cases[1];
        assert_eq!(b.name, "other");
        assert_eq!(b.golden, PathBuf::from("s/g/b.yaml"));
        assert_eq!(b.release.as_deref(), Some("r2"));
        assert_eq!(b.namespace.as_deref(), Some("ns"));
        assert_eq!(b.kube_version.as_deref(), Some("1.30"));
        assert_eq!(b.seed, Some(3));
    }

    #[test]
    fn errors_name_the_place() {
        let e = |t: &str| parse(t).unwrap_err().0;
        assert_eq!(
            e("cases:\n  - golden: a.yaml\n    sett: [a=1]\n"),
            "s/suite.yaml:3:5: cases[0].sett: unknown key (known: values, set, setString, setFile, setJson, setLiteral, release, namespace, kubeVersion, apiVersions, seed, now, name, golden, each)"
        );
        assert_eq!(
            e("cases:\n  - values: a.yaml\n"),
            "s/suite.yaml:2:5: cases[0].golden: missing"
        );
        assert_eq!(
            e("cases:\n  - golden: a.yaml\n    seed: -1\n"),
            "s/suite.yaml:3:11: cases[0].seed: must be a non-negative integer"
        );
        assert_eq!(
            e("cases:\n  - golden: a.yaml\n    now: tomorrow\n"),
            "s/suite.yaml:3:10: cases[0].now: \"tomorrow\" is not an RFC 3339 timestamp (like 2024-01-02T03:04:05Z)"
        );
        assert_eq!(
            e("cases:\n  - golden: a.yaml\n  - golden: ./a.yaml\n    name: b\n"),
            "s/suite.yaml:2:3: cases a and b share the golden s/a.yaml"
        );
        assert_eq!(
            e("chart: x\n"),
            "s/suite.yaml:1:1: the manifest has no `cases` list"
        );
        assert!(e("cases: [").starts_with("s/suite.yaml:"));
    }

    #[test]
    fn each_expands_values_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("cases")).unwrap();
        for n in ["b", "a"] {
            std::fs::write(dir.path().join(format!("cases/{n}.yaml")), "").unwrap();
        }
        let manifest = dir.path().join("suite.yaml");
        let s = Suite::parse(
            &manifest,
            b"cases:\n  - each: cases/*.yaml\n    golden: golden/{name}.yaml\n    values: [extra.yaml]\n",
        )
        .unwrap();
        let got: Vec<(String, Vec<String>)> = s
            .cases
            .iter()
            .map(|c| (c.name.clone(), c.values.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "a".to_string(),
                    vec!["cases/a.yaml".to_string(), "extra.yaml".to_string()]
                ),
                (
                    "b".to_string(),
                    vec!["cases/b.yaml".to_string(), "extra.yaml".to_string()]
                ),
            ]
        );
        assert_eq!(s.cases[1].golden, dir.path().join("golden/b.yaml"));
        let e = Suite::parse(
            &manifest,
            b"cases:\n  - each: cases/*.yaml\n    golden: g.yaml\n",
        )
        .unwrap_err();
        assert!(e.0.ends_with("needs {name} in its golden path"), "{e}");
    }

    #[test]
    fn clean_folds_dots() {
        assert_eq!(clean(Path::new("a/./b/../c")), PathBuf::from("a/c"));
        assert_eq!(clean(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(clean(Path::new("a/..")), PathBuf::from("."));
        assert_eq!(clean(Path::new("/../x")), PathBuf::from("/x"));
    }
}
