//! A loaded chart, shaped like helm's `chart/v2.Chart`.
//!
//! The loader (directories, `.tgz` archives, `.helmignore`, `charts/`) fills
//! this in; dependency processing ([`crate::deps`]) edits it; the engine only
//! reads it.

use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::{MapEntries, Type, Value};

/// A file of the chart, by its path relative to the chart root (`/`-separated).
#[derive(Clone, Debug)]
pub struct File {
    pub name: String,
    pub data: FileData,
}

/// The content of a chart file: bytes in memory, bytes compiled into the
/// program, or a large file of a chart directory that no template or
/// loader step needs to read up front (CRDs, dashboards, docs), read on
/// first use. Rendering without touching such files (helm reads them all)
/// keeps them out of memory: kube-prometheus-stack's 4.7 MB of CRDs are
/// only read when `--include-crds` prints them.
///
/// A file read on first use shows its content at that moment; if it can no
/// longer be read, it is empty.
#[derive(Clone)]
pub struct FileData(Arc<Content>);

struct Content {
    bytes: Bytes,
    /// The content as template text, made once for every render to share.
    text: std::sync::OnceLock<Arc<str>>,
}

enum Bytes {
    Shared(Arc<[u8]>),
    Owned(Box<[u8]>),
    Static(&'static [u8]),
    OnDisk {
        path: std::path::PathBuf,
        read: std::sync::OnceLock<Box<[u8]>>,
    },
}

/// A file's leading UTF-8 byte order mark, which helm's loader drops.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl FileData {
    fn new(bytes: Bytes) -> FileData {
        FileData(Arc::new(Content {
            bytes,
            text: std::sync::OnceLock::new(),
        }))
    }

    /// Bytes compiled into the program (not copied).
    pub fn from_static(bytes: &'static [u8]) -> FileData {
        FileData::new(Bytes::Static(bytes))
    }

    /// A file read when its content is first asked for, without its byte
    /// order mark (as the directory loader strips it).
    pub fn on_disk(path: std::path::PathBuf) -> FileData {
        FileData::new(Bytes::OnDisk {
            path,
            read: std::sync::OnceLock::new(),
        })
    }

    /// The content, shared: no copy when it already is shared.
    pub fn to_shared(&self) -> Arc<[u8]> {
        match &self.0.bytes {
            Bytes::Shared(a) => a.clone(),
            _ => Arc::from(&self[..]),
        }
    }

    /// The content as Go template text (invalid UTF-8 kept as marks, see
    /// [`gotmpl::gostr::marked`]), made on first use and then shared.
    pub fn template_text(&self) -> Arc<str> {
        self.0
            .text
            .get_or_init(|| match &self.0.bytes {
                Bytes::Shared(bytes) if std::str::from_utf8(bytes).is_ok() => {
                    let raw = Arc::into_raw(bytes.clone()) as *const str;
                    // SAFETY: the bytes are valid UTF-8 (checked) and never
                    // change (an `Arc<[u8]>` gives no mutable access while
                    // shared); `str` and `[u8]` have the same layout, so
                    // the allocation and its count are shared as they are.
                    unsafe { Arc::from_raw(raw) }
                }
                _ => Arc::from(gotmpl::gostr::marked(self)),
            })
            .clone()
    }
}

impl std::ops::Deref for FileData {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &self.0.bytes {
            Bytes::Shared(a) => a,
            Bytes::Owned(b) => b,
            Bytes::Static(s) => s,
            Bytes::OnDisk { path, read } => read.get_or_init(|| {
                let data = std::fs::read(path).unwrap_or_default();
                match data.strip_prefix(BOM) {
                    Some(rest) => rest.into(),
                    None => data.into_boxed_slice(),
                }
            }),
        }
    }
}

impl From<Vec<u8>> for FileData {
    fn from(v: Vec<u8>) -> FileData {
        FileData::new(Bytes::Owned(v.into_boxed_slice()))
    }
}

impl From<Arc<[u8]>> for FileData {
    fn from(a: Arc<[u8]>) -> FileData {
        FileData::new(Bytes::Shared(a))
    }
}

impl From<&[u8]> for FileData {
    fn from(b: &[u8]) -> FileData {
        FileData::new(Bytes::Shared(Arc::from(b)))
    }
}

impl std::fmt::Debug for FileData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0.bytes {
            Bytes::OnDisk { path, read } if read.get().is_none() => {
                write!(f, "FileData(not read yet: {})", path.display())
            }
            _ => write!(f, "FileData({} bytes)", self.len()),
        }
    }
}

/// A Chart.yaml maintainer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Maintainer {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// One entry of Chart.yaml's `dependencies`.
#[derive(Clone, Debug, Default)]
pub struct Dependency {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    /// `import-values` entries: strings or `{child, parent}` maps as written;
    /// after dependency processing, helm's normalized `{child, parent}` maps
    /// (`map[string]string`).
    pub import_values: Vec<Value>,
    pub alias: String,
}

/// Chart.yaml (helm's `chart.Metadata`), every field.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    pub name: String,
    pub home: String,
    pub sources: Vec<String>,
    pub version: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub maintainers: Vec<Maintainer>,
    pub icon: String,
    pub api_version: String,
    pub condition: String,
    /// Chart.yaml's `tags` (a plain string in helm's model).
    pub tags: String,
    pub app_version: String,
    pub deprecated: bool,
    /// `None` when Chart.yaml has no `annotations` (a nil map in Go).
    pub annotations: Option<BTreeMap<String, String>>,
    pub kube_version: String,
    /// `None` when Chart.yaml has no `dependencies` (a nil slice in Go; helm
    /// skips dependency processing then).
    pub dependencies: Option<Vec<Dependency>>,
    /// `application`, `library` or empty.
    pub chart_type: String,
}

fn str_list(items: &[String]) -> Value {
    Value::list(items.iter().map(|s| Value::from(s.as_str())).collect())
}

impl Dependency {
    /// The dependency as `structToMap` gives it inside `.Chart.Dependencies`.
    pub fn as_map(&self) -> Value {
        let mut m = MapEntries::new();
        m.insert("Name".into(), Value::from(self.name.as_str()));
        m.insert("Version".into(), Value::from(self.version.as_str()));
        m.insert("Repository".into(), Value::from(self.repository.as_str()));
        m.insert("Condition".into(), Value::from(self.condition.as_str()));
        m.insert("Tags".into(), str_list(&self.tags));
        m.insert("Enabled".into(), Value::Bool(self.enabled));
        m.insert(
            "ImportValues".into(),
            Value::list(self.import_values.clone()),
        );
        m.insert("Alias".into(), Value::from(self.alias.as_str()));
        Value::map(m)
    }
}

impl Metadata {
    /// helm v4's `MetadataAsMap`: every field under its Go name. `.Chart` in
    /// templates is this plus `IsRoot`.
    pub fn as_map(&self) -> MapEntries {
        let mut m = MapEntries::new();
        let s = |v: &str| Value::from(v);
        m.insert("Name".into(), s(&self.name));
        m.insert("Home".into(), s(&self.home));
        m.insert("Sources".into(), str_list(&self.sources));
        m.insert("Version".into(), s(&self.version));
        m.insert("Description".into(), s(&self.description));
        m.insert("Keywords".into(), str_list(&self.keywords));
        let maint = self
            .maintainers
            .iter()
            .map(|x| {
                let mut e = MapEntries::new();
                e.insert("Name".into(), s(&x.name));
                e.insert("Email".into(), s(&x.email));
                e.insert("URL".into(), s(&x.url));
                Value::map(e)
            })
            .collect();
        m.insert("Maintainers".into(), Value::list(maint));
        m.insert("Icon".into(), s(&self.icon));
        m.insert("APIVersion".into(), s(&self.api_version));
        m.insert("Condition".into(), s(&self.condition));
        m.insert("Tags".into(), s(&self.tags));
        m.insert("AppVersion".into(), s(&self.app_version));
        m.insert("Deprecated".into(), Value::Bool(self.deprecated));
        // Without annotations in Chart.yaml the field is a nil map:
        // `toJson`/`toYaml` print it as `null`.
        let annotations = match &self.annotations {
            None => Value::nil_map(Type::map_of(Type::String)),
            Some(a) => Value::typed_map(
                Type::map_of(Type::String),
                a.iter().map(|(k, v)| (k.as_str().into(), s(v))).collect(),
            ),
        };
        m.insert("Annotations".into(), annotations);
        m.insert("KubeVersion".into(), s(&self.kube_version));
        let deps = self
            .dependencies
            .iter()
            .flatten()
            .map(Dependency::as_map)
            .collect();
        m.insert("Dependencies".into(), Value::list(deps));
        m.insert("Type".into(), s(&self.chart_type));
        m
    }
}

/// A chart with its sub-charts.
#[derive(Clone, Debug, Default)]
pub struct Chart {
    pub metadata: Metadata,
    /// Files under `templates/`, names including the `templates/` prefix, in
    /// load order (sorted by path for directories, archive order for `.tgz`).
    pub templates: Vec<File>,
    /// The chart's default values (values.yaml), a `map[string]interface {}`
    /// (an empty map when there is no values.yaml).
    pub values: Value,
    /// values.yaml as read (helm's `Raw`; packaging writes it back verbatim).
    pub raw_values: Option<Arc<[u8]>>,
    /// Chart.lock (or requirements.lock) as read, if any.
    pub raw_lock: Option<Arc<[u8]>>,
    /// values.schema.json, if any.
    pub schema: Option<Arc<[u8]>>,
    /// Every other file (what `.Files` sees), including crds/ and `.helmignore`.
    pub files: Vec<File>,
    /// Sub-charts from `charts/` (after [`crate::deps::process_dependencies`]:
    /// only the enabled ones, aliased copies renamed).
    pub dependencies: Vec<Chart>,
}

impl Chart {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    pub fn is_library(&self) -> bool {
        self.metadata.chart_type.eq_ignore_ascii_case("library")
    }

    /// The chart's default values as a map (empty if none).
    pub fn values_map(&self) -> MapEntries {
        self.values
            .as_map()
            .map(|m| (*m).clone())
            .unwrap_or_default()
    }

    /// The CRD files (`crds/` at the chart root) with a manifest extension
    /// (`.yaml`, `.yml`, `.json`, any case), as helm's `CRDObjects` lists them.
    pub fn crds(&self) -> impl Iterator<Item = &File> {
        self.files.iter().filter(|f| {
            f.name.starts_with("crds/") && {
                let base = f.name.rsplit('/').next().unwrap_or("");
                let ext = base.rfind('.').map(|i| &base[i..]).unwrap_or("");
                [".yaml", ".yml", ".json"]
                    .iter()
                    .any(|e| ext.eq_ignore_ascii_case(e))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_text_marks_invalid_utf8_and_keeps_valid_bytes() {
        let invalid = FileData::from(&b"a\xffb"[..]);
        assert_eq!(
            &*invalid.template_text(),
            &*gotmpl::gostr::marked(b"a\xffb")
        );
        assert_eq!(&invalid[..], b"a\xffb");
        let valid = FileData::from(&b"x: {{ .y }}"[..]);
        let text = valid.template_text();
        assert_eq!(&*text, "x: {{ .y }}");
        assert_eq!(text.as_ptr(), valid.as_ptr());
        drop(valid);
        assert_eq!(&*text, "x: {{ .y }}");
        let owned = FileData::from(b"z".to_vec());
        assert_eq!(&*owned.template_text(), "z");
        assert_eq!(&*FileData::from_static(b"s").template_text(), "s");
    }
}
