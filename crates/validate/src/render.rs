//! A report as text (annotate-snippets draws the source line and caret) or
//! as JSON.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::{Diagnostic, Report, Severity};

/// How a [`Report`] is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `file:line:col: error: message`, the source line with a caret, the
    /// JSON pointer, notes and suggestions; nothing when there is nothing to say.
    Text,
    /// `{"valid": …, "diagnostics": […]}`, always.
    Json,
}

pub fn render(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Json => {
            #[derive(Serialize)]
            struct Out<'a> {
                valid: bool,
                diagnostics: &'a [Diagnostic],
            }
            let out = Out {
                valid: !report.has_errors(),
                diagnostics: &report.diagnostics,
            };
            let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Text => {
            let renderer = if color {
                Renderer::styled()
            } else {
                Renderer::plain()
            };
            let mut out = String::new();
            for d in &report.diagnostics {
                let source = report.sources.get(&d.file).map(String::as_str);
                out.push_str(&renderer.render(&[group(d, source)]));
                out.push_str("\n\n");
            }
            out
        }
    }
}

/// The byte range of `width` characters from (line, column), within the line.
fn byte_range(
    text: &str,
    line: usize,
    column: usize,
    width: usize,
) -> Option<std::ops::Range<usize>> {
    let mut start_of_line = 0;
    for _ in 1..line {
        start_of_line += text[start_of_line..].find('\n')? + 1;
    }
    let line_text = &text[start_of_line..];
    let line_text = &line_text[..line_text.find('\n').unwrap_or(line_text.len())];
    // A column just past the end (an error at the end of a line or file)
    // is an empty range there.
    let from = line_text
        .char_indices()
        .map(|(i, _)| i)
        .chain([line_text.len()])
        .nth(column.saturating_sub(1))?;
    let to = line_text
        .char_indices()
        .skip(column.saturating_sub(1) + width.max(1))
        .map(|(i, _)| i)
        .next()
        .unwrap_or(line_text.len());
    Some(start_of_line + from..start_of_line + to)
}

fn group<'a>(d: &'a Diagnostic, source: Option<&'a str>) -> Group<'a> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut g = Group::with_title(level.no_name().primary_title(d.headline()));
    if let Some(range) = source
        .filter(|_| d.line > 0)
        .and_then(|s| Some((s, byte_range(s, d.line, d.column, d.width)?)))
    {
        g = g.element(
            Snippet::source(range.0)
                .line_start(1)
                .fold(true)
                .annotation(AnnotationKind::Primary.span(range.1)),
        );
    }
    if let Some(p) = &d.pointer {
        let shown = if p.is_empty() {
            "\"\" (the top level)"
        } else {
            p
        };
        g = g.element(Level::NOTE.with_name("pointer").message(shown));
    }
    for n in &d.notes {
        g = g.element(Level::NOTE.message(n.as_str()));
    }
    if let (Some(s), Some(p)) = (&d.suggestion, &d.pointer) {
        let typo = p.rsplit('/').next().unwrap_or("");
        let typo = typo.replace("~1", "/").replace("~0", "~");
        g = g.element(Level::HELP.message(format!("did you mean `{typo}` → `{s}`?")));
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_count_characters() {
        let t = "a: 1\nb: é1\nc: x";
        assert_eq!(byte_range(t, 2, 4, 2), Some(8..11));
        assert_eq!(byte_range(t, 3, 4, 5), Some(15..16));
        assert_eq!(byte_range(t, 4, 1, 1), None);
        assert_eq!(byte_range(t, 1, 5, 1), Some(4..4));
        assert_eq!(byte_range(t, 1, 9, 1), None);
    }
}
