//! A loaded chart, shaped like helm's `chart/v2.Chart`.
//!
//! The loader (directories, `.tgz` archives, `.helmignore`, `charts/`) fills
//! this in; the engine only reads it.

use std::sync::Arc;

use gotmpl::Value;

/// A file of the chart, by its path relative to the chart root (`/`-separated).
#[derive(Clone, Debug)]
pub struct File {
    pub name: String,
    pub data: Arc<[u8]>,
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
    /// Raw `import-values` entries (strings or `{child, parent}` maps).
    pub import_values: Vec<Value>,
    pub alias: String,
}

/// Chart.yaml.
#[derive(Clone, Debug, Default)]
pub struct Metadata {
    pub api_version: String,
    pub name: String,
    pub version: String,
    pub app_version: String,
    pub kube_version: String,
    pub description: String,
    /// `application` or `library` (empty means application).
    pub chart_type: String,
    pub dependencies: Vec<Dependency>,
    /// Chart.yaml as `.Chart` shows it: every field under helm's names
    /// (`Name`, `Version`, `AppVersion`, …), as helm v4's `MetadataAsMap` builds it.
    pub as_map: Value,
}

/// A chart with its sub-charts.
#[derive(Clone, Debug, Default)]
pub struct Chart {
    pub metadata: Metadata,
    /// Files under `templates/`, names including the `templates/` prefix.
    pub templates: Vec<File>,
    /// The chart's default values (values.yaml), a `map[string]interface {}`.
    pub values: Value,
    /// values.schema.json, if any.
    pub schema: Option<Arc<[u8]>>,
    /// Every other file (what `.Files` sees), including crds/.
    pub files: Vec<File>,
    /// Sub-charts from `charts/`, after loading (before conditions are applied).
    pub dependencies: Vec<Chart>,
}

impl Chart {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    pub fn is_library(&self) -> bool {
        self.metadata.chart_type.eq_ignore_ascii_case("library")
    }

    /// The CRD files (`crds/` at the chart root).
    pub fn crds(&self) -> impl Iterator<Item = &File> {
        self.files.iter().filter(|f| f.name.starts_with("crds/"))
    }
}
