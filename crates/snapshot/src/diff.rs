//! Comparing a golden with a fresh render: a unified line diff (optionally
//! coloured for a terminal) and a per-resource summary, resources being the
//! YAML documents of a `helm template` stream identified by `Kind/name`.

use std::collections::HashMap;
use std::fmt;

use gotmpl::Value;
use similar::{ChangeTag, DiffOp, TextDiff};

/// Lines of unchanged context around each change.
const CONTEXT: usize = 3;

/// ANSI styles used when colouring.
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// A unified diff from `old` (labelled `old_label`) to `new`, empty when the
/// texts are equal. With `color`, removed lines are red, added lines green,
/// hunk headers cyan and file headers bold.
pub fn unified(old: &str, new: &str, old_label: &str, new_label: &str, color: bool) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::new();
    let header = format!("--- {old_label}\n+++ {new_label}\n");
    push_styled(&mut out, &header, BOLD, color);
    for hunk in diff.unified_diff().context_radius(CONTEXT).iter_hunks() {
        push_styled(&mut out, &format!("{}\n", hunk.header()), CYAN, color);
        for change in hunk.iter_changes() {
            let (sign, style) = match change.tag() {
                ChangeTag::Delete => ('-', RED),
                ChangeTag::Insert => ('+', GREEN),
                ChangeTag::Equal => (' ', ""),
            };
            let value = change.value();
            let mut line = format!("{sign}{}", value.strip_suffix('\n').unwrap_or(value));
            if change.missing_newline() {
                line.push_str("\n\\ No newline at end of file");
            }
            line.push('\n');
            push_styled(&mut out, &line, style, color && !style.is_empty());
        }
    }
    out
}

/// Appends `text`, wrapping each line in `style` (so a pager that cuts
/// lines keeps colours balanced).
fn push_styled(out: &mut String, text: &str, style: &str, color: bool) {
    if !color || style.is_empty() {
        out.push_str(text);
        return;
    }
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        out.push_str(style);
        out.push_str(body);
        out.push_str(RESET);
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
}

/// How one resource differs between the golden and the render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Present in both, with this many lines changed (a replaced line counts once).
    Changed(usize),
    /// Only in the render.
    Added,
    /// Only in the golden.
    Removed,
}

/// One resource's change, printed as `Deployment/airflow-scheduler: 3 lines changed`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceChange {
    /// `Kind/name`, or the template's `# Source:` path for documents
    /// without both, followed by ` #N` for the N-th repeat of an identity.
    pub resource: String,
    pub change: Change,
}

impl fmt::Display for ResourceChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.change {
            Change::Changed(1) => write!(f, "{}: 1 line changed", self.resource),
            Change::Changed(n) => write!(f, "{}: {n} lines changed", self.resource),
            Change::Added => write!(f, "{}: added", self.resource),
            Change::Removed => write!(f, "{}: removed", self.resource),
        }
    }
}

/// The resources that differ between two streams: changed and added ones in
/// the render's order, then removed ones in the golden's order.
pub fn resource_changes(old: &str, new: &str) -> Vec<ResourceChange> {
    let old_docs = documents(old);
    let new_docs = documents(new);
    let old_by_id: HashMap<&str, &str> = old_docs
        .iter()
        .map(|(id, body)| (id.as_str(), *body))
        .collect();
    let new_ids: std::collections::HashSet<&str> =
        new_docs.iter().map(|(id, _)| id.as_str()).collect();
    let mut out = Vec::new();
    for (id, body) in &new_docs {
        match old_by_id.get(id.as_str()) {
            None => out.push(ResourceChange {
                resource: id.clone(),
                change: Change::Added,
            }),
            Some(old_body) if old_body != body => out.push(ResourceChange {
                resource: id.clone(),
                change: Change::Changed(changed_lines(old_body, body)),
            }),
            Some(_) => {}
        }
    }
    for (id, _) in &old_docs {
        if !new_ids.contains(id.as_str()) {
            out.push(ResourceChange {
                resource: id.clone(),
                change: Change::Removed,
            });
        }
    }
    out
}

/// Changed lines between two texts: a replaced block counts its longer side.
fn changed_lines(old: &str, new: &str) -> usize {
    TextDiff::from_lines(old, new)
        .ops()
        .iter()
        .map(|op| match *op {
            DiffOp::Equal { .. } => 0,
            DiffOp::Delete { old_len, .. } => old_len,
            DiffOp::Insert { new_len, .. } => new_len,
            DiffOp::Replace {
                old_len, new_len, ..
            } => old_len.max(new_len),
        })
        .sum()
}

/// The documents of a stream (split on `---` lines), each with its identity.
fn documents(stream: &str) -> Vec<(String, &str)> {
    let mut bodies = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in stream.split_inclusive('\n') {
        if line.trim_end() == "---" {
            bodies.push(&stream[start..pos]);
            start = pos + line.len();
        }
        pos += line.len();
    }
    bodies.push(&stream[start..]);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for body in bodies {
        if body.trim().is_empty() {
            continue;
        }
        let id = identity(body);
        let n = seen.entry(id.clone()).or_insert(0);
        *n += 1;
        let id = if *n > 1 { format!("{id} #{n}") } else { id };
        out.push((id, body));
    }
    out
}

/// `Kind/name` from the document, else its `# Source:` path, else `document`.
fn identity(body: &str) -> String {
    let parsed = chartgen_yaml::parse(body.as_bytes()).ok();
    let field = |path: &[&str]| -> Option<String> {
        let mut cur = parsed.clone()?;
        for key in path {
            cur = match &cur {
                Value::Map(m) => m.get(key)?,
                _ => return None,
            };
        }
        cur.as_str().filter(|s| !s.is_empty()).map(str::to_string)
    };
    let source = || {
        body.lines()
            .find_map(|l| l.strip_prefix("# Source: "))
            .map(|s| s.trim().to_string())
    };
    match (field(&["kind"]), field(&["metadata", "name"])) {
        (Some(kind), Some(name)) => format!("{kind}/{name}"),
        _ => source().unwrap_or_else(|| "document".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: \"1\"\n  y: \"2\"\n---\n# Source: c/templates/b.yaml\nkind: Secret\nmetadata:\n  name: b\n";
    const NEW: &str = "---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: \"3\"\n  y: \"4\"\n  z: \"5\"\n---\n# Source: c/templates/d.yaml\nkind: Service\nmetadata:\n  name: d\n";

    #[test]
    fn summary_names_changed_added_and_removed_resources() {
        let lines: Vec<String> = resource_changes(OLD, NEW)
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(
            lines,
            vec![
                "ConfigMap/a: 3 lines changed",
                "Service/d: added",
                "Secret/b: removed"
            ]
        );
        assert!(resource_changes(OLD, OLD).is_empty());
    }

    #[test]
    fn documents_without_identity_use_their_source_and_repeats_are_numbered() {
        let s = "---\n# Source: c/templates/n.txt\nnot: [yaml\n---\n# Source: c/templates/a.yaml\nkind: A\nmetadata:\n  name: x\n---\n# Source: c/templates/b.yaml\nkind: A\nmetadata:\n  name: x\n";
        let ids: Vec<String> = documents(s).into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, vec!["c/templates/n.txt", "A/x", "A/x #2"]);
    }

    #[test]
    fn unified_diff_plain_and_coloured() {
        assert_eq!(unified("a\n", "a\n", "g", "r", true), "");
        let plain = unified("a\nb\n", "a\nc\n", "g", "r", false);
        assert_eq!(plain, "--- g\n+++ r\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n");
        let colour = unified("a\nb\n", "a\nc\n", "g", "r", true);
        assert!(colour.contains("\x1b[31m-b\x1b[0m\n"), "{colour:?}");
        assert!(colour.contains("\x1b[32m+c\x1b[0m\n"), "{colour:?}");
        let no_newline = unified("a", "b", "g", "r", false);
        assert!(no_newline.contains("-a\n\\ No newline at end of file\n"));
    }
}
