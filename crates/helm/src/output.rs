//! From rendered files to `helm template`'s output: helm's manifest
//! splitting, head parsing, hook detection and kind ordering
//! (`pkg/release/v1/util`), and the stream the `template` command prints.

use std::collections::BTreeMap;

use gotmpl::Value;

/// helm v4's install order of kinds; other kinds follow, alphabetically.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

const HOOK_ANNOTATION: &str = "helm.sh/hook";
const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

/// The fields helm reads from every document (`SimpleHead`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Head {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub annotations: BTreeMap<String, String>,
    pub has_metadata: bool,
}

/// The heads of documents seen by earlier renders of one chart (or kept
/// from an earlier run, see [`HeadCache::load`]), by the document's text.
/// Decoding a document is a large share of a render, and a chart rendered
/// many times (a test suite, a snapshot suite, a user's repeated runs)
/// mostly renders the same documents again; the text is the whole input of
/// [`parse_head`], so the cached answer (or error) is exact. Texts are
/// known by a 128-bit hash (xxh3): no text is kept, and two texts that
/// differ share a hash with odds of one in 2^128.
#[derive(Debug, Default)]
pub struct HeadCache {
    docs: std::sync::Mutex<HeadCacheInner>,
}

#[derive(Debug, Default)]
struct HeadCacheInner {
    heads: rustc_hash::FxHashMap<u128, CachedHead>,
    /// Heads decoded in this process (not loaded), and their documents' size.
    fresh: usize,
    fresh_bytes: usize,
    /// Whether heads kept from an earlier run were loaded.
    loaded: bool,
}

#[derive(Debug)]
struct CachedHead {
    head: Result<Head, String>,
    /// Asked for in this process (decoded here, or loaded and used).
    used: bool,
}

/// Starts a blob of kept heads (see [`HeadCache::stored_update`]).
const HEADS_MAGIC: &[u8; 8] = b"CGHEADS1";

impl HeadCache {
    /// Bound on the heads kept (the cache starts over beyond it).
    const MAX_HEADS: usize = 1 << 20;
    /// Documents decoded that make loaded heads worth replacing: below it,
    /// decoding them again next time costs less than writing the heads
    /// (a chart whose few random secrets change on every run would
    /// otherwise rewrite its heads on every run).
    const UPDATE_MIN_BYTES: usize = 32 << 10;

    pub fn new() -> HeadCache {
        HeadCache::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HeadCacheInner> {
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// [`parse_head`] of `doc`, from the cache when it was seen before.
    pub fn parse_head(&self, doc: &str) -> Result<Head, String> {
        let key = xxhash_rust::xxh3::xxh3_128(doc.as_bytes());
        if let Some(found) = self.lock().heads.get_mut(&key) {
            found.used = true;
            return found.head.clone();
        }
        let head = parse_head(doc);
        let mut inner = self.lock();
        if inner.heads.len() >= Self::MAX_HEADS {
            inner.heads.clear();
        }
        let cached = CachedHead {
            head: head.clone(),
            used: true,
        };
        if inner.heads.insert(key, cached).is_none() {
            inner.fresh += 1;
            inner.fresh_bytes += doc.len();
        }
        head
    }

    /// Adds the heads a blob made by [`HeadCache::stored_update`] for
    /// `build_id` holds; `false` (and nothing added) for any other bytes.
    pub fn load(&self, bytes: &[u8], build_id: u64) -> bool {
        let Some(loaded) = decode_heads(bytes, build_id) else {
            return false;
        };
        let mut inner = self.lock();
        inner.loaded = true;
        for (key, head) in loaded {
            inner.heads.entry(key).or_insert(CachedHead {
                head: Ok(head),
                used: false,
            });
        }
        true
    }

    /// A blob for [`HeadCache::load`] holding the heads this process asked
    /// for (decoded or loaded; errors are not kept), if it had to decode
    /// some: any when nothing was loaded, else enough to be worth it (see
    /// [`HeadCache::UPDATE_MIN_BYTES`]). `None`: what was loaded served.
    pub fn stored_update(&self, build_id: u64) -> Option<Vec<u8>> {
        let inner = self.lock();
        if inner.fresh == 0 || (inner.loaded && inner.fresh_bytes < Self::UPDATE_MIN_BYTES) {
            return None;
        }
        let mut kept: Vec<(&u128, &Head)> = inner
            .heads
            .iter()
            .filter(|(_, c)| c.used)
            .filter_map(|(key, c)| Some((key, c.head.as_ref().ok()?)))
            .collect();
        kept.sort_unstable_by_key(|(key, _)| **key);
        let mut body = Vec::new();
        let push_str = |out: &mut Vec<u8>, s: &str| {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        body.extend_from_slice(&(kept.len() as u32).to_le_bytes());
        for (key, head) in kept {
            body.extend_from_slice(&key.to_le_bytes());
            body.push(u8::from(head.has_metadata));
            push_str(&mut body, &head.api_version);
            push_str(&mut body, &head.kind);
            push_str(&mut body, &head.name);
            body.extend_from_slice(&(head.annotations.len() as u32).to_le_bytes());
            for (k, v) in &head.annotations {
                push_str(&mut body, k);
                push_str(&mut body, v);
            }
        }
        let mut out = HEADS_MAGIC.to_vec();
        out.extend_from_slice(&build_id.to_le_bytes());
        out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
        out.extend_from_slice(&body);
        Some(out)
    }
}

/// The heads in a blob [`HeadCache::stored_update`] made for `build_id`;
/// `None` for anything else (another build's, damaged, cut short).
fn decode_heads(bytes: &[u8], build_id: u64) -> Option<Vec<(u128, Head)>> {
    struct Reader<'a>(&'a [u8]);
    impl<'a> Reader<'a> {
        fn take(&mut self, n: usize) -> Option<&'a [u8]> {
            if self.0.len() < n {
                return None;
            }
            let (head, rest) = self.0.split_at(n);
            self.0 = rest;
            Some(head)
        }
        fn u32(&mut self) -> Option<usize> {
            Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
        }
        fn u64(&mut self) -> Option<u64> {
            Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
        }
        fn string(&mut self) -> Option<String> {
            let n = self.u32()?;
            Some(std::str::from_utf8(self.take(n)?).ok()?.to_string())
        }
    }
    let mut r = Reader(bytes.strip_prefix(HEADS_MAGIC)?);
    if r.u64()? != build_id || r.u64()? != xxhash_rust::xxh3::xxh3_64(r.0) {
        return None;
    }
    let count = r.u32()?;
    // Each head takes at least 33 bytes: no allocation beyond the blob's size.
    let mut heads = Vec::with_capacity(count.min(r.0.len() / 33));
    for _ in 0..count {
        let key = u128::from_le_bytes(r.take(16)?.try_into().ok()?);
        let has_metadata = match r.take(1)?[0] {
            0 => false,
            1 => true,
            _ => return None,
        };
        let api_version = r.string()?;
        let kind = r.string()?;
        let name = r.string()?;
        let mut annotations = BTreeMap::new();
        for _ in 0..r.u32()? {
            let k = r.string()?;
            annotations.insert(k, r.string()?);
        }
        heads.push((
            key,
            Head {
                api_version,
                kind,
                name,
                annotations,
                has_metadata,
            },
        ));
    }
    r.0.is_empty().then_some(heads)
}

/// One document of the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// The template it came from (`chart/templates/x.yaml`).
    pub source: String,
    /// The document, trimmed.
    pub content: String,
    pub head: Head,
}

/// A hook document (helm prints these after the others).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hook {
    pub manifest: Manifest,
    /// Lower-cased events from the `helm.sh/hook` annotation.
    pub events: Vec<String>,
    pub weight: i64,
}

impl Hook {
    pub fn is_test(&self) -> bool {
        self.events
            .iter()
            .any(|e| e == "test" || e == "test-success")
    }
}

/// Helm's `SplitManifests`: split on `---` separators, trim, drop empties.
pub fn split_manifests(file: &str) -> Vec<String> {
    let file = file.trim_matches(is_go_space);
    separated(file.as_bytes())
        .into_iter()
        // The pieces start and end at ASCII bytes.
        .map(|piece| &file[piece])
        .filter(|d| !d.is_empty())
        .map(|d| d.trim_matches(is_go_space).to_string())
        .collect()
}

/// [`split_manifests`] of a rendered file that is not UTF-8: each document
/// as text, or as its bytes when it is not UTF-8.
fn split_manifest_bytes(file: &[u8]) -> Vec<Result<String, Vec<u8>>> {
    let file = trim_go_space_bytes(file);
    separated(file)
        .into_iter()
        .map(|piece| &file[piece])
        .filter(|d| !d.is_empty())
        .map(|d| {
            let d = trim_go_space_bytes(d);
            String::from_utf8(d.to_vec()).map_err(|e| e.into_bytes())
        })
        .collect()
}

/// Whether `b` is in `\s` of Go's regexp syntax (`[\t\n\f\r ]`).
fn is_separator_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// The pieces of `text` that helm's separator `(?:^|\s*\n)---\s*` leaves,
/// as Go's `regexp.Split` cuts them (the leftmost match first, matches not
/// overlapping). A match starts where the run of spaces before a `\n---`
/// starts (after the previous match), or at `---` opening the text, and
/// takes the spaces after its `---`. (A regular expression did this; it
/// took longer to build than the whole split of a large chart's output.)
fn separated(text: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut pieces = Vec::new();
    let mut piece_start = 0;
    let spaces_after = |mut e: usize| {
        while e < text.len() && is_separator_space(text[e]) {
            e += 1;
        }
        e
    };
    if text.starts_with(b"---") {
        piece_start = spaces_after(3);
        pieces.push(0..0);
    }
    let mut from = piece_start;
    while let Some(found) = memchr::memmem::find(&text[from..], b"\n---") {
        let newline = from + found;
        let mut start = newline;
        while start > piece_start && is_separator_space(text[start - 1]) {
            start -= 1;
        }
        pieces.push(piece_start..start);
        piece_start = spaces_after(newline + 4);
        from = piece_start;
    }
    pieces.push(piece_start..text.len());
    pieces
}

/// Go's `strings.TrimSpace` on bytes (invalid UTF-8 is never space).
fn trim_go_space_bytes(mut b: &[u8]) -> &[u8] {
    loop {
        let (c, w) = gotmpl::gostr::decode_rune(b);
        if w == 0 || !is_go_space(c) || (c == '\u{fffd}' && w == 1) {
            break;
        }
        b = &b[w..];
    }
    'outer: while !b.is_empty() {
        for w in 1..=b.len().min(4) {
            if let Ok(s) = std::str::from_utf8(&b[b.len() - w..]) {
                if s.chars().count() == 1 && s.chars().all(is_go_space) {
                    b = &b[..b.len() - w];
                    continue 'outer;
                }
                break 'outer;
            }
        }
        break;
    }
    b
}

fn is_go_space(c: char) -> bool {
    // Go's unicode.IsSpace.
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{85}' | '\u{A0}'
    ) || (c > '\u{FF}' && c.is_whitespace())
}

/// Go's json type name of a value, as in `cannot unmarshal X into …`.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Float(_) | Value::Int(..) | Value::Uint(..) => "number",
        Value::Bool(_) => "bool",
        Value::List(_) => "array",
        Value::Map(_) => "object",
        _ => "null",
    }
}

/// sigs.k8s.io/yaml's YAML-to-JSON step for a `string` target: numbers and
/// booleans become strings (floats as Go's `FormatFloat(f, 'g', -1, 32)`),
/// strings stay, null leaves the field empty; `Err` carries the JSON type
/// of anything else.
fn as_string_target(v: &Value) -> Result<Option<String>, &'static str> {
    Ok(Some(match v {
        Value::String(s) => s.to_string(),
        Value::Int(i, _) => i.to_string(),
        Value::Uint(u, _) => u.to_string(),
        Value::Float(f) => gotmpl::strconv::format_float(*f, b'g', -1, 32),
        Value::Bool(b) => b.to_string(),
        Value::Nil | Value::Invalid => return Ok(None),
        other => return Err(json_kind(other)),
    }))
}

fn holds_number(v: &Value) -> bool {
    match v {
        Value::Float(_) | Value::Int(..) | Value::Uint(..) => true,
        Value::Map(m) => m.entries().values().any(holds_number),
        Value::List(list) => list.items.iter().any(holds_number),
        _ => false,
    }
}

/// sigs.k8s.io/yaml's `Unmarshal(doc, &SimpleHead)`, with Go's error texts.
pub fn parse_head(doc: &str) -> Result<Head, String> {
    parse_head_bytes(doc.as_bytes())
}

/// [`parse_head`] of a document's bytes (goyaml rejects invalid UTF-8).
pub fn parse_head_bytes(doc: &[u8]) -> Result<Head, String> {
    // Only these keys (matched case-insensitively) are read below.
    let wanted = |k: &str| {
        k.eq_ignore_ascii_case("apiversion")
            || k.eq_ignore_ascii_case("kind")
            || k.eq_ignore_ascii_case("metadata")
    };
    // Of metadata, only these.
    let wanted_in = |top: &str, k: &str| {
        !top.eq_ignore_ascii_case("metadata")
            || k.eq_ignore_ascii_case("name")
            || k.eq_ignore_ascii_case("annotations")
    };
    let mut value = chartgen_yaml::parse_top_filtered_in(doc, &wanted, &wanted_in)
        .map_err(|e| e.to_string())?;
    // The fields are strings: a number read into one keeps the form goyaml
    // gave it (an integer in full), which the float the values' reading
    // makes of it has lost. Numbers there are rare: read again for them.
    if holds_number(&value) {
        value = chartgen_yaml::parse_keeping_integers(doc).map_err(|e| e.to_string())?;
    }
    let mut head = Head::default();
    let top = match &value {
        Value::Map(m) => m.entries(),
        Value::Nil | Value::Invalid => return Ok(head),
        other => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type util.SimpleHead",
                json_kind(other)
            ))
        }
    };
    // encoding/json names the innermost struct type: `SimpleHead` for its
    // own fields, nothing for the anonymous metadata struct's.
    let field_err = |path: &str, kind: &str, ty: &str| {
        let owner = if path.contains('.') { "" } else { "SimpleHead" };
        format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go struct field {owner}.{path} of type {ty}"
        )
    };
    // encoding/json keeps decoding after a type error and reports the first;
    // the JSON it reads has sorted keys, matched to fields case-insensitively.
    let mut first_err: Option<String> = None;
    let mut note = |e: String| {
        if first_err.is_none() {
            first_err = Some(e);
        }
    };
    for (key, v) in top.iter() {
        let k = key.to_ascii_lowercase();
        match k.as_str() {
            "apiversion" => match as_string_target(v) {
                Ok(Some(s)) => head.api_version = s,
                Ok(None) => {}
                Err(kind) => note(field_err("apiVersion", kind, "string")),
            },
            "kind" => match as_string_target(v) {
                Ok(Some(s)) => head.kind = s,
                Ok(None) => {}
                Err(kind) => note(field_err("kind", kind, "string")),
            },
            "metadata" => match v {
                Value::Map(m) => {
                    head.has_metadata = true;
                    for (mk, mv) in m.entries().iter() {
                        match mk.to_ascii_lowercase().as_str() {
                            "name" => match as_string_target(mv) {
                                Ok(Some(s)) => head.name = s,
                                Ok(None) => {}
                                Err(kind) => note(field_err("metadata.name", kind, "string")),
                            },
                            "annotations" => match mv {
                                Value::Map(a) => {
                                    for (ak, av) in a.entries().iter() {
                                        match as_string_target(av) {
                                            Ok(s) => {
                                                head.annotations
                                                    .insert(ak.to_string(), s.unwrap_or_default());
                                            }
                                            Err(kind) => note(field_err(
                                                "metadata.annotations",
                                                kind,
                                                "string",
                                            )),
                                        }
                                    }
                                }
                                Value::Nil => {}
                                v => note(field_err(
                                    "metadata.annotations",
                                    json_kind(v),
                                    "map[string]string",
                                )),
                            },
                            _ => {}
                        }
                    }
                }
                Value::Nil => {}
                v => note(format!(
                    "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field SimpleHead.metadata of type struct {{ Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }}",
                    json_kind(v)
                )),
            },
            _ => {}
        }
    }
    match first_err {
        Some(e) => Err(e),
        None => Ok(head),
    }
}

fn kind_rank(kind: &str) -> Option<usize> {
    INSTALL_ORDER.iter().position(|k| *k == kind)
}

/// helm's `lessByKind` for install order.
fn kind_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (kind_rank(a), kind_rank(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Less,
        (None, Some(_)) => Greater,
        (None, None) => a.cmp(b),
    }
}

/// Helm's `SortManifests`: documents and hooks, each in install order
/// (stable, so file order and document order break ties).
pub fn sort_manifests(
    files: &BTreeMap<String, String>,
) -> Result<(Vec<Hook>, Vec<Manifest>), String> {
    sort_manifests_logged(
        files,
        &BTreeMap::new(),
        &mut crate::coalesce::Warnings::new(),
    )
    .map_err(|e| e.message)
}

/// A document that is not valid YAML (or whose head has the wrong types).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortError {
    /// `YAML parse error on FILE: …`
    pub message: String,
    /// The hooks found before the failing document, in file order (helm
    /// still returns them; `helm template --debug` prints them).
    pub hooks: Vec<Hook>,
}

/// [`sort_manifests`], logging helm's `skipping unknown hooks` lines.
/// `raw` holds the bytes of the rendered files that are not UTF-8 (their
/// `files` entry is their text with U+FFFD): goyaml rejects such documents.
pub fn sort_manifests_logged(
    files: &BTreeMap<String, String>,
    raw: &BTreeMap<String, Vec<u8>>,
    log: &mut crate::coalesce::Warnings,
) -> Result<(Vec<Hook>, Vec<Manifest>), SortError> {
    sort_manifests_cached(files, raw, log, None, true)
}

/// [`sort_manifests_logged`], decoding heads through `heads` when given,
/// on all cores when `parallel` (callers that already use every core do not).
pub fn sort_manifests_cached(
    files: &BTreeMap<String, String>,
    raw: &BTreeMap<String, Vec<u8>>,
    log: &mut crate::coalesce::Warnings,
    heads: Option<&HeadCache>,
    parallel: bool,
) -> Result<(Vec<Hook>, Vec<Manifest>), SortError> {
    let mut hooks = Vec::new();
    let mut generic = Vec::new();
    // Each document as text, or as its bytes when it is not UTF-8.
    let docs: Vec<(&String, Result<String, Vec<u8>>)> = files
        .iter()
        .filter(|(path, content)| {
            let base = path.rsplit('/').next().unwrap_or(path);
            !base.starts_with('_') && !content.trim_matches(is_go_space).is_empty()
        })
        .flat_map(|(path, content)| {
            let docs: Vec<Result<String, Vec<u8>>> = match raw.get(path) {
                Some(bytes) => split_manifest_bytes(bytes),
                None => split_manifests(content).into_iter().map(Ok).collect(),
            };
            docs.into_iter().map(move |d| (path, d))
        })
        .collect();
    let parsed = parse_heads(&docs, heads, parallel);
    for ((path, doc), head) in docs.into_iter().zip(parsed) {
        {
            let doc = doc.unwrap_or_else(|b| gotmpl::gostr::lossy(&b).into_owned());
            let head = match head {
                Ok(h) => h,
                Err(e) => {
                    return Err(SortError {
                        message: format!("YAML parse error on {path}: {e}"),
                        hooks,
                    })
                }
            };
            let manifest = Manifest {
                source: path.clone(),
                content: doc,
                head,
            };
            let Some(hook_types) = manifest.head.annotations.get(HOOK_ANNOTATION).cloned() else {
                generic.push(manifest);
                continue;
            };
            let weight = manifest
                .head
                .annotations
                .get("helm.sh/hook-weight")
                .and_then(|w| parse_go_atoi(w))
                .unwrap_or(0);
            let mut events = Vec::new();
            let mut unknown = false;
            for t in hook_types.split(',') {
                let t = t.trim_matches(is_go_space).to_lowercase();
                if !HOOK_EVENTS.contains(&t.as_str()) {
                    unknown = true;
                    break;
                }
                events.push(t);
            }
            if unknown {
                // helm drops documents with unknown hook types.
                log.0.push(crate::action::slog_line(
                    "INFO",
                    "skipping unknown hooks",
                    &[("hookTypes", &hook_types)],
                ));
                continue;
            }
            hooks.push(Hook {
                manifest,
                events,
                weight,
            });
        }
    }
    generic.sort_by(|a, b| kind_cmp(&a.head.kind, &b.head.kind));
    hooks.sort_by(|a, b| kind_cmp(&a.manifest.head.kind, &b.manifest.head.kind));
    Ok((hooks, generic))
}

/// [`parse_head`] of every document, in order; large outputs are decoded on
/// all cores (documents decode independently).
fn parse_heads(
    docs: &[(&String, Result<String, Vec<u8>>)],
    cache: Option<&HeadCache>,
    parallel: bool,
) -> Vec<Result<Head, String>> {
    let decode = |(_, doc): &(&String, Result<String, Vec<u8>>)| match doc {
        Ok(text) => cache.map_or_else(|| parse_head(text), |c| c.parse_head(text)),
        Err(bytes) => parse_head_bytes(bytes),
    };
    if !parallel {
        return docs.iter().map(decode).collect();
    }
    crate::par::map_in_order(
        docs,
        |(_, doc)| doc.as_ref().map_or_else(Vec::len, String::len),
        decode,
    )
}

/// Go's `strconv.Atoi`.
fn parse_go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_follows_helm() {
        assert_eq!(split_manifests("a: 1\n---\nb: 2\n"), vec!["a: 1", "b: 2"]);
        assert_eq!(split_manifests("---\na: 1"), vec!["a: 1"]);
        assert_eq!(split_manifests("  \n\n"), Vec::<String>::new());
        // The first separator swallows the blank lines, so the second `---`
        // no longer follows a newline and stays in the document (as in helm).
        assert_eq!(
            split_manifests("a: 1\n---   \n\n---\nb: 2"),
            vec!["a: 1", "---\nb: 2"]
        );
        // `---` must start a line.
        assert_eq!(split_manifests("a: x---y"), vec!["a: x---y"]);
    }

    #[test]
    fn separators_are_cut_as_gos_regexp_cuts_them() {
        let reference =
            regex::bytes::Regex::new(r"(?:^|[\t\n\x0C\r ]*\n)---[\t\n\x0C\r ]*").unwrap();
        let cut = |text: &[u8]| -> Vec<Vec<u8>> {
            separated(text)
                .into_iter()
                .map(|r| text[r].to_vec())
                .collect()
        };
        let expected =
            |text: &[u8]| -> Vec<Vec<u8>> { reference.split(text).map(|p| p.to_vec()).collect() };
        // Every string of up to 7 bytes over the bytes that matter: the
        // digits of every number below 7^7 in base 7.
        let alphabet = b"-\n \tax\r";
        let base = alphabet.len();
        for len in 0..=7u32 {
            for number in 0..base.pow(len) {
                let text: Vec<u8> = (0..len)
                    .map(|digit| alphabet[number / base.pow(digit) % base])
                    .collect();
                assert_eq!(
                    cut(&text),
                    expected(&text),
                    "{:?}",
                    String::from_utf8_lossy(&text)
                );
            }
        }
        for text in [
            &b"a: 1\n---\nb: 2\n"[..],
            b"---\na\n---\n---\nb",
            b"a  \n\n---  \n\nb\n---x",
            b"\x0C\n---\x0C",
        ] {
            assert_eq!(cut(text), expected(text));
        }
    }

    #[test]
    fn kinds_sort_in_install_order() {
        let mut kinds = vec!["Deployment", "Zeta", "", "Service", "Alpha", "Namespace"];
        kinds.sort_by(|a, b| kind_cmp(a, b));
        assert_eq!(
            kinds,
            vec!["Namespace", "Service", "Deployment", "", "Alpha", "Zeta"]
        );
    }

    #[test]
    fn kept_heads_serve_the_next_run_and_nothing_else() {
        let docs = [
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    helm.sh/hook: test\n",
            "kind: Service\nmetadata: {name: b}\n",
            "kind: [not, a, string]\n",
        ];
        let first = HeadCache::new();
        let heads: Vec<_> = docs.iter().map(|d| first.parse_head(d)).collect();
        assert_eq!(heads, docs.map(parse_head));
        assert!(heads[2].is_err());
        let blob = first.stored_update(7).unwrap();

        // The next run decodes none of the documents it was given heads for.
        let next = HeadCache::new();
        assert!(next.load(&blob, 7));
        assert_eq!(next.parse_head(docs[0]), heads[0]);
        assert_eq!(next.parse_head(docs[1]), heads[1]);
        assert_eq!(next.stored_update(7), None);
        // Errors are not kept: decoded again (a small document is not worth
        // rewriting the heads for).
        assert_eq!(next.parse_head(docs[2]), heads[2]);
        assert_eq!(next.stored_update(7), None);
        // Enough new text is; the update keeps what this run used.
        let large = format!("kind: Secret\ndata:\n{}", "  k: v\n".repeat(6000));
        assert!(next.parse_head(&large).is_ok());
        let update = next.stored_update(7).unwrap();
        let after = HeadCache::new();
        assert!(after.load(&update, 7));
        for d in [docs[0], docs[1], &large] {
            after.parse_head(d).unwrap();
        }
        assert_eq!(after.stored_update(7), None);

        // Another build's heads, or damaged ones, are not loaded at all.
        assert!(!HeadCache::new().load(&blob, 8));
        for cut in [0, 8, 16, blob.len() / 2, blob.len() - 1] {
            assert!(!HeadCache::new().load(&blob[..cut], 7), "cut at {cut}");
        }
        for at in [8, 20, 30, blob.len() - 1] {
            let mut damaged = blob.clone();
            damaged[at] ^= 1;
            assert!(!HeadCache::new().load(&damaged, 7), "byte {at}");
        }
        let unloaded = HeadCache::new();
        assert!(!unloaded.load(b"CGHEADS1", 7));
        unloaded.parse_head(docs[1]).unwrap();
        // Nothing loaded: any decoding is worth keeping.
        assert!(unloaded.stored_update(7).is_some());
    }

    #[test]
    fn head_type_errors_are_gos() {
        assert!(parse_head("just a string")
            .unwrap_err()
            .contains("cannot unmarshal string into Go value of type util.SimpleHead"));
        let h =
            parse_head("kind: Service\nmetadata:\n  name: x\n  annotations:\n    a: b\n").unwrap();
        assert_eq!(h.kind, "Service");
        assert_eq!(h.name, "x");
        assert_eq!(h.annotations.get("a").map(String::as_str), Some("b"));
    }

    #[test]
    fn numbers_in_a_head_read_as_into_string_fields() {
        // goyaml reads integers as integers: a string field shows them in
        // full; a float shows as Go's FormatFloat(f, 'g', -1, 32).
        let h = parse_head(
            "apiVersion: v1\nkind: Job\nmetadata:\n  name: 12345678901\n  annotations:\n    helm.sh/hook: pre-install\n    helm.sh/hook-weight: 123456789\n    f: 1.5\n    e: 1e3\n    big: 123456789.0\n",
        )
        .unwrap();
        assert_eq!(h.name, "12345678901");
        let annotation = |k: &str| h.annotations.get(k).map(String::as_str);
        assert_eq!(annotation("helm.sh/hook-weight"), Some("123456789"));
        assert_eq!(annotation("f"), Some("1.5"));
        assert_eq!(annotation("e"), Some("1000"));
        assert_eq!(annotation("big"), Some("1.2345679e+08"));
    }
}
