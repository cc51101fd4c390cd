//! User-supplied values (`-f`, `--set`, `--set-string`, `--set-json`,
//! `--set-file`, `--set-literal`), merged as helm's `values.Options.MergeValues`
//! does: in a fixed order whatever the command line order was — every `-f`
//! file in order (deep-merged), then `--set-json`, `--set`, `--set-string`,
//! `--set-file`, `--set-literal`, each parsed *into* the accumulated map.

use std::fmt;
use std::path::{Path, PathBuf};

use chartgen_yaml::Span;
use gotmpl::{MapEntries, Value};

use crate::strvals;

/// The value inputs of one `helm template` invocation.
#[derive(Clone, Debug, Default)]
pub struct UserValues {
    /// `-f/--values`, in order (`-` reads [`UserValues::stdin`]).
    pub value_files: Vec<String>,
    /// `--set-json`
    pub json_values: Vec<String>,
    /// `--set`
    pub values: Vec<String>,
    /// `--set-string`
    pub string_values: Vec<String>,
    /// `--set-file`
    pub file_values: Vec<String>,
    /// `--set-literal`
    pub literal_values: Vec<String>,
    /// What `-` (or a `--set-file` path `-`) reads; `None` reads the process's stdin.
    pub stdin: Option<Vec<u8>>,
    /// Directory relative paths are resolved against (default: the working directory).
    pub base_dir: Option<PathBuf>,
}

impl UserValues {
    pub fn new() -> UserValues {
        UserValues::default()
    }
    /// `-f FILE` (one file; helm's `-f a,b` comma splitting is the CLI's job).
    pub fn value_file(mut self, f: impl Into<String>) -> Self {
        self.value_files.push(f.into());
        self
    }
    /// `--set`
    pub fn set(mut self, s: impl Into<String>) -> Self {
        self.values.push(s.into());
        self
    }
    /// `--set-string`
    pub fn set_string(mut self, s: impl Into<String>) -> Self {
        self.string_values.push(s.into());
        self
    }
    /// `--set-json`
    pub fn set_json(mut self, s: impl Into<String>) -> Self {
        self.json_values.push(s.into());
        self
    }
    /// `--set-file`
    pub fn set_file(mut self, s: impl Into<String>) -> Self {
        self.file_values.push(s.into());
        self
    }
    /// `--set-literal`
    pub fn set_literal(mut self, s: impl Into<String>) -> Self {
        self.literal_values.push(s.into());
        self
    }
    /// Content for `-`.
    pub fn with_stdin(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(data.into());
        self
    }
    pub fn with_base_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.base_dir = Some(dir.into());
        self
    }

    /// Whether there is nothing to merge.
    pub fn is_empty(&self) -> bool {
        self.value_files.is_empty()
            && self.json_values.is_empty()
            && self.values.is_empty()
            && self.string_values.is_empty()
            && self.file_values.is_empty()
            && self.literal_values.is_empty()
    }
}

/// A value input that could not be read or parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValuesError {
    /// helm's message.
    pub message: String,
    /// The values file at fault, if any.
    pub file: Option<String>,
    /// Where in it (1-based line and column), when known.
    pub span: Option<Span>,
}

impl ValuesError {
    fn msg(m: impl Into<String>) -> ValuesError {
        ValuesError {
            message: m.into(),
            file: None,
            span: None,
        }
    }

    /// `file:line:col: message`, as much as is known.
    pub fn located(&self) -> String {
        match (&self.file, self.span) {
            (Some(f), Some(s)) => format!("{f}:{}:{}: {}", s.line, s.column, self.message),
            (Some(f), None) => format!("{f}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

impl fmt::Display for ValuesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ValuesError {}

fn read_input(opts: &UserValues, path: &str) -> Result<Vec<u8>, String> {
    if path.trim() == "-" {
        if let Some(d) = &opts.stdin {
            return Ok(d.clone());
        }
        let mut buf = Vec::new();
        use std::io::Read;
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("read /dev/stdin: {e}"))?;
        return Ok(buf);
    }
    if let Some((scheme, _)) = path.split_once("://") {
        if matches!(scheme, "http" | "https" | "oci") {
            return Err(format!(
                "reading values from {scheme} URLs is not supported offline: {path}"
            ));
        }
    }
    let p = Path::new(path);
    let full = match &opts.base_dir {
        Some(b) if p.is_relative() => b.join(p),
        _ => p.to_path_buf(),
    };
    std::fs::read(&full).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory",
            std::io::ErrorKind::PermissionDenied => "permission denied",
            _ if e.raw_os_error() == Some(21) => "is a directory",
            _ => "input/output error",
        };
        if e.raw_os_error() == Some(21) {
            format!("read {path}: {why}")
        } else {
            format!("open {path}: {why}")
        }
    })
}

/// helm's `loader.MergeMaps`: `b` over `a`, maps merged recursively.
pub fn merge_maps(a: &MapEntries, b: &MapEntries) -> MapEntries {
    let mut out = a.clone();
    for (k, v) in b {
        if let Value::Map(bm) = v {
            if let Some(Value::Map(am)) = out.get(k) {
                let merged = merge_maps(&am.entries(), &bm.entries());
                out.insert(k.clone(), Value::map(merged));
                continue;
            }
        }
        out.insert(k.clone(), v.clone());
    }
    out
}

/// helm's `MergeValues`: the user values as one map.
pub fn merge_user_values(opts: &UserValues) -> Result<Value, ValuesError> {
    let mut base = MapEntries::new();
    for f in &opts.value_files {
        let raw = read_input(opts, f).map_err(ValuesError::msg)?;
        let cur = chartgen_yaml::parse_values(&raw).map_err(|e| ValuesError {
            message: format!("failed to parse {f}: {}", e.message()),
            file: Some(f.clone()),
            span: e.span(),
        })?;
        if let Value::Map(m) = &cur {
            base = merge_maps(&base, &m.entries());
        }
    }
    for v in &opts.json_values {
        let t = v.trim();
        if t.starts_with('{') {
            let (m, err) =
                chartgen_yaml::json::unmarshal(t.as_bytes(), chartgen_yaml::json::Target::Map);
            if err.is_some() {
                return Err(ValuesError::msg(format!(
                    "failed parsing --set-json data JSON: {v}"
                )));
            }
            if let Value::Map(m) = &m {
                base = merge_maps(&base, &m.entries());
            }
        } else if strvals::parse_json_into(v, &mut base).is_err() {
            return Err(ValuesError::msg(format!(
                "failed parsing --set-json data {v}"
            )));
        }
    }
    for v in &opts.values {
        strvals::parse_into(v, &mut base)
            .map_err(|e| ValuesError::msg(format!("failed parsing --set data: {e}")))?;
    }
    for v in &opts.string_values {
        strvals::parse_into_string(v, &mut base)
            .map_err(|e| ValuesError::msg(format!("failed parsing --set-string data: {e}")))?;
    }
    for v in &opts.file_values {
        let mut reader = |name: &str| -> Result<Value, String> {
            let data = read_input(opts, name)?;
            // A Go string of the file's bytes (binary files stay bytes).
            Ok(Value::from_bytes(data))
        };
        strvals::parse_into_file(v, &mut base, &mut reader)
            .map_err(|e| ValuesError::msg(format!("failed parsing --set-file data: {e}")))?;
    }
    for v in &opts.literal_values {
        strvals::parse_literal_into(v, &mut base)
            .map_err(|e| ValuesError::msg(format!("failed parsing --set-literal data: {e}")))?;
    }
    Ok(Value::map(base))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_order() {
        let u = UserValues::new()
            .set("a=1")
            .set_string("a=2")
            .set_json("b=[1]")
            .set("b[1]=x")
            .set_literal("c=a,b")
            .value_file("-")
            .with_stdin("a: 0\nd: {e: 1}\n");
        let v = merge_user_values(&u).unwrap();
        assert_eq!(
            chartgen_yaml::to_json(&v),
            r#"{"a":"2","b":[1,"x"],"c":"a,b","d":{"e":1}}"#
        );
    }

    #[test]
    fn errors() {
        let u = UserValues::new().value_file("-").with_stdin("a: [\n");
        let e = merge_user_values(&u).unwrap_err();
        assert!(e.message.starts_with("failed to parse -: "));
        assert!(e.span.is_some());
        let u = UserValues::new().set_json("a=[1");
        assert_eq!(
            merge_user_values(&u).unwrap_err().message,
            "failed parsing --set-json data a=[1"
        );
        let u = UserValues::new().value_file("/nonexistent/x.yaml");
        assert_eq!(
            merge_user_values(&u).unwrap_err().message,
            "open /nonexistent/x.yaml: no such file or directory"
        );
    }
}
