//! Where a problem was written: schema violations (JSON pointers into the
//! merged values) traced back to the file and node that supplied the value,
//! YAML errors at their mark, and how wide the caret under a token is.

use chartgen_helm::chart::Chart;
use chartgen_helm::schema::Violation;
use chartgen_yaml::{Span, SpannedNode, SpannedValue};

use crate::{quote, suggest, Diagnostic, Severity, Source};

/// A YAML error as a diagnostic: helm's message without the wrapping that
/// only repeats what the location says.
pub fn yaml_error(name: &str, text: &str, e: &chartgen_yaml::Error) -> Diagnostic {
    let mut msg = e.message();
    for prefix in [
        "cannot unmarshal yaml document: ",
        "error converting YAML to JSON: ",
        "error unmarshaling JSON: while decoding JSON: ",
        "yaml: ",
    ] {
        msg = msg.strip_prefix(prefix).unwrap_or(msg);
    }
    // `line N:` is relative to the YAML document; the location is absolute.
    if let Some(rest) = msg.strip_prefix("line ") {
        if let Some((n, tail)) = rest.split_once(": ") {
            if n.bytes().all(|b| b.is_ascii_digit()) {
                msg = tail;
            }
        }
    }
    let mut d = Diagnostic::new(name, e.span(), Severity::Error, msg.to_string());
    if e.kind() == chartgen_yaml::ErrorKind::Type {
        d.notes
            .push("a values file must be a mapping of keys to values".into());
    }
    if let Some(span) = e.span() {
        d.width = token_width(text, span);
        if char_at(text, span) == Some('\t') {
            d.notes
                .push("YAML does not allow tabs for indentation: use spaces".into());
        }
    }
    d
}

fn line_text(text: &str, line: usize) -> Option<&str> {
    text.split('\n')
        .nth(line.checked_sub(1)?)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
}

fn char_at(text: &str, span: Span) -> Option<char> {
    line_text(text, span.line)?
        .chars()
        .nth(span.column.checked_sub(1)?)
}

/// How many characters of the token at `span` to underline: a quoted
/// scalar to its closing quote, a one-line flow collection to its closing
/// bracket, a plain scalar or key up to `: `, ` #` (or a flow separator).
pub fn token_width(text: &str, span: Span) -> usize {
    let Some(line) = line_text(text, span.line) else {
        return 1;
    };
    let before: String = line.chars().take(span.column.saturating_sub(1)).collect();
    let rest: Vec<char> = line.chars().skip(span.column.saturating_sub(1)).collect();
    let Some(&first) = rest.first() else {
        return 1;
    };
    let n = match first {
        '"' => {
            let mut i = 1;
            loop {
                match rest.get(i) {
                    None => break rest.len(),
                    Some('\\') => i += 2,
                    Some('"') => break i + 1,
                    Some(_) => i += 1,
                }
            }
        }
        '\'' => {
            let mut i = 1;
            loop {
                match (rest.get(i), rest.get(i + 1)) {
                    (None, _) => break rest.len(),
                    (Some('\''), Some('\'')) => i += 2,
                    (Some('\''), _) => break i + 1,
                    _ => i += 1,
                }
            }
        }
        '[' | '{' => {
            let mut depth = 0usize;
            let mut end = None;
            for (i, c) in rest.iter().enumerate() {
                match c {
                    '[' | '{' => depth += 1,
                    ']' | '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i + 1);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            end.unwrap_or(1)
        }
        '|' | '>' | '\t' => 1,
        '-' if rest.get(1).is_none_or(|c| *c == ' ') => 1,
        _ => {
            let in_flow = before.contains(['[', '{']);
            let mut end = rest.len();
            for i in 0..rest.len() {
                let c = rest[i];
                let next = rest.get(i + 1).copied();
                if c == ':' && next.is_none_or(|n| n == ' ' || n == '\t')
                    || c == '#' && i > 0 && rest[i - 1] == ' '
                    || in_flow && matches!(c, ',' | ']' | '}')
                {
                    end = i;
                    break;
                }
            }
            rest[..end]
                .iter()
                .rposition(|c| !c.is_whitespace())
                .map_or(1, |p| p + 1)
        }
    };
    n.max(1)
}

/// RFC 6901 pointer segments.
fn segments(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// How far a path resolves in one file's tree.
struct Found<'a> {
    depth: usize,
    node: &'a SpannedValue,
    /// The key span of the deepest map entry reached (`None` at the root or
    /// on a list item).
    key: Option<Span>,
}

fn resolve<'a>(tree: &'a SpannedValue, segs: &[String]) -> Found<'a> {
    let mut found = Found {
        depth: 0,
        node: tree,
        key: None,
    };
    for seg in segs {
        let next = match &found.node.node {
            SpannedNode::Map(m) => m.get(seg).map(|e| (&e.value, Some(e.key_span))),
            SpannedNode::List(items) => seg
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .map(|v| (v, None)),
            _ => None,
        };
        match next {
            Some((node, key)) => {
                found = Found {
                    depth: found.depth + 1,
                    node,
                    key,
                }
            }
            None => break,
        }
    }
    found
}

/// The file (index) that supplied the value at `segs`, and how far it goes:
/// the one that resolves the most of the path, the later one on a tie (a
/// later `-f` file wins).
fn supplier<'a>(sources: &'a [Source], segs: &[String]) -> Option<(usize, Found<'a>)> {
    let mut best: Option<(usize, Found<'a>)> = None;
    for (i, s) in sources.iter().enumerate() {
        let f = resolve(&s.tree, segs);
        if best.as_ref().is_none_or(|(_, b)| f.depth >= b.depth) {
            best = Some((i, f));
        }
    }
    best
}

fn is_scalar(v: &SpannedValue) -> bool {
    !matches!(v.node, SpannedNode::Map(_) | SpannedNode::List(_))
}

/// The sub-chart whose values sit at `prefix` (`/a/b`: dependency `b` of `a`).
fn chart_at<'c>(chart: &'c Chart, prefix: &str) -> &'c Chart {
    let mut cur = chart;
    for seg in segments(prefix) {
        match cur.dependencies.iter().find(|d| d.name() == seg) {
            Some(d) => cur = d,
            None => break,
        }
    }
    cur
}

/// One violation as diagnostics (one per unexpected key).
/// `user` is the user values as JSON: a scalar that differs from what its
/// file says was set elsewhere (`--set`), and is not blamed on the file.
pub fn violation(
    chart: &Chart,
    sources: &[Source],
    user: &serde_json::Value,
    v: &Violation,
) -> Vec<Diagnostic> {
    let full = format!("{}{}", v.prefix, v.pointer);
    let sub = chart_at(chart, &v.prefix);
    let mut out = Vec::new();
    if v.unexpected.is_empty() {
        out.push(locate(
            sources, user, &full, &v.prefix, &v.pointer, v, None, sub,
        ));
    } else {
        for key in &v.unexpected {
            let escaped = key.replace('~', "~0").replace('/', "~1");
            let local = format!("{}/{escaped}", v.pointer);
            let full = format!("{}{local}", v.prefix);
            out.push(locate(
                sources,
                user,
                &full,
                &v.prefix,
                &local,
                v,
                Some(key),
                sub,
            ));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn locate(
    sources: &[Source],
    user: &serde_json::Value,
    full: &str,
    prefix: &str,
    local: &str,
    v: &Violation,
    unexpected: Option<&str>,
    sub: &Chart,
) -> Diagnostic {
    let mut segs = segments(full);
    // A sub-chart sees the parent's `global` values as its own.
    if !prefix.is_empty() && local.starts_with("/global") {
        let global = segments(local);
        let depth = |s: &[String]| supplier(sources, s).map_or(0, |f| f.1.depth);
        if depth(&global) > depth(&segs) {
            segs = global;
        }
    }
    let found = supplier(sources, &segs);
    let message = match unexpected {
        Some(k) => format!("additional properties {} not allowed", quote(k)),
        None => v.message.clone(),
    };
    let Some((file_idx, f)) = found else {
        let mut d = Diagnostic::new("<values>", None, Severity::Error, message);
        d.pointer = Some(full.to_string());
        return d;
    };
    let src = &sources[file_idx];
    let complete = f.depth == segs.len();
    if complete && is_scalar(f.node) {
        let path: String = segs
            .iter()
            .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
            .collect();
        let in_file = chartgen_helm::schema::to_json_value(&f.node.to_value());
        if user.pointer(&path) != Some(&in_file) {
            let mut d = Diagnostic::new("<command line>", None, Severity::Error, message);
            d.pointer = Some(full.to_string());
            d.chart = Some(v.chart.clone());
            return d;
        }
    }
    let at_key = !complete || unexpected.is_some() || !v.missing.is_empty() || !is_scalar(f.node);
    let span = match (at_key, f.key) {
        (true, Some(k)) => k,
        // The root (missing properties of the top level) or a list item.
        _ if f.depth == 0 => Span { line: 1, column: 1 },
        _ => f.node.span,
    };
    let mut d = Diagnostic::new(&src.name, Some(span), Severity::Error, message);
    d.width = if f.depth == 0 {
        1
    } else {
        crate::locate::token_width(&src.text, span)
    };
    d.pointer = Some(full.to_string());
    d.chart = Some(v.chart.clone());
    if !prefix.is_empty() {
        d.notes.push(format!(
            "checked against the schema of sub-chart {}",
            quote(&v.chart)
        ));
    }
    if !complete {
        d.notes.push(
            "the value there is not set in these files: it comes from the chart's defaults".into(),
        );
    }
    if let Some(k) = unexpected {
        d.suggestion = suggest::suggest(sub, local, k);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width(line: &str, column: usize) -> usize {
        token_width(line, Span { line: 1, column })
    }

    #[test]
    fn caret_covers_the_token() {
        assert_eq!(width("schedulr:", 1), 8);
        assert_eq!(width("  replicas: -1 # no", 13), 2);
        assert_eq!(width("a: \"x: y\" ", 4), 6);
        assert_eq!(width("a: 'it''s'", 4), 7);
        assert_eq!(width("a: {b: 1, c: [2]}", 4), 14);
        assert_eq!(width("a: {b: 1, c: 2}", 8), 1);
        assert_eq!(width("a: [x, yy]", 8), 2);
        assert_eq!(width("a: http://x", 4), 8);
        assert_eq!(width("a:", 5), 1);
        assert_eq!(token_width("", Span { line: 3, column: 1 }), 1);
    }

    #[test]
    fn pointer_segments_unescape() {
        assert_eq!(segments(""), Vec::<String>::new());
        assert_eq!(segments("/a~1b/~0c/0"), vec!["a/b", "~c", "0"]);
    }

    #[test]
    fn the_last_file_that_sets_a_value_supplies_it() {
        // (`y` would be YAML 1.1's `true`.)
        let a = Source::parse("a.yaml", b"x:\n  p: 1\n  z: [1, 2]\n").unwrap();
        let b = Source::parse("b.yaml", b"w: 0\nx:\n  p: 2\n").unwrap();
        let both = [a, b];
        let segs = |p: &str| segments(p);
        let (i, f) = supplier(&both, &segs("/x/p")).unwrap();
        assert_eq!(
            (i, f.depth, f.node.span),
            (1, 2, Span { line: 3, column: 6 })
        );
        let (i, f) = supplier(&both, &segs("/x/z/1")).unwrap();
        assert_eq!(
            (i, f.depth, f.node.span),
            (
                0,
                3,
                Span {
                    line: 3,
                    column: 10
                }
            )
        );
        // Only partly set anywhere: the later file's deepest key.
        let (i, f) = supplier(&both, &segs("/x/q")).unwrap();
        assert_eq!(
            (i, f.depth, f.key),
            (1, 1, Some(Span { line: 2, column: 1 }))
        );
    }
}
