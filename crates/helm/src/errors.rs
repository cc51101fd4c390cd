//! Helm's rewriting of template errors (`pkg/engine/engine.go`).
//!
//! Helm parses the text of each error in Go's unwrap chain. When every link
//! reads as a `template: …` error, it prints one block per link:
//!
//! ```text
//! c/templates/x.yaml:1:10
//!   executing "c/templates/x.yaml" at <.Values.missing.x>:
//!     nil pointer evaluating interface {}.x
//! ```
//!
//! When the innermost error came from a function (plain text), it keeps Go's
//! one-line message. `required`/`fail` messages travel between markers and
//! become `execution error at (LOCATION): MESSAGE`.

use std::error::Error;

use gotmpl::{ExecError, ParseError};

/// Markers helm wraps around `required`/`fail` messages.
pub const WARN_START: &str = "HELM_ERR_START";
pub const WARN_END: &str = "HELM_ERR_END";

/// Wraps a message the way helm's `required` and `fail` do.
pub fn warn_wrap(msg: &str) -> String {
    format!("{WARN_START}{msg}{WARN_END}")
}

/// Helm's `cleanupParseError`: `parse error at (file:line): last message part`.
pub fn format_parse_error(filename: &str, err: &ParseError) -> String {
    let text = err.to_string();
    let tokens: Vec<&str> = text.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({filename}): {text}");
    }
    format!(
        "parse error at ({}): {}",
        tokens[1],
        tokens[tokens.len() - 1]
    )
}

#[derive(PartialEq, Eq, Debug)]
struct Traceable {
    location: String,
    message: String,
    executed: String,
}

impl Traceable {
    fn write(&self, out: &mut String) {
        if !self.location.is_empty() {
            out.push_str(&self.location);
            out.push_str("\n  ");
        }
        if !self.executed.is_empty() {
            out.push_str(&self.executed);
            out.push_str("\n    ");
        }
        if !self.message.is_empty() {
            out.push_str(&self.message);
            out.push('\n');
        }
    }
}

/// Cuts a chained `… template: …` tail off a message.
fn cut_chained(msg: &str) -> &str {
    match msg.find(" template:") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

/// Helm's `parseTemplateExecErrorString`.
fn parse_exec_error_string(s: &str) -> Option<Traceable> {
    let remainder = s.strip_prefix("template: ")?;
    if remainder.starts_with("no template ") {
        return Some(Traceable {
            location: String::new(),
            message: s.to_string(),
            executed: String::new(),
        });
    }
    if let Some(idx) = remainder.find(": executing ") {
        let template_name = &remainder[..idx];
        let after = &remainder[idx + ": executing ".len()..];
        let parsed = (|| {
            let after = after.strip_prefix('"')?;
            let end_quote = after.find('"')?;
            let function_name = &after[..end_quote];
            let after_at = after[end_quote + 1..].strip_prefix(" at <")?;
            let end_loc = after_at.find(">: ")?;
            let location_name = &after_at[..end_loc];
            let msg = &after_at[end_loc + 3..];
            Some(Traceable {
                location: template_name.to_string(),
                message: cut_chained(msg).to_string(),
                executed: format!("executing \"{function_name}\" at <{location_name}>:"),
            })
        })();
        // A malformed executing form is not a match at all (helm returns false).
        return parsed;
    }
    let sep = remainder.rfind(": ")?;
    Some(Traceable {
        location: remainder[..sep].to_string(),
        message: cut_chained(&remainder[sep + 2..]).to_string(),
        executed: String::new(),
    })
}

/// Helm's `reformatExecErrorMsg`.
pub fn format_exec_error(filename: &str, err: &ExecError) -> String {
    let text = err.to_string();
    let tokens: Vec<&str> = text.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return format!("execution error in ({filename}): {text}");
    }
    let location = tokens[1];
    if let Some(start) = tokens[2].find(WARN_START) {
        let body = &tokens[2][start + WARN_START.len()..];
        // Greedy like helm's regexp: up to the last end marker.
        if let Some(end) = body.rfind(WARN_END) {
            return format!("execution error at ({location}): {}", &body[..end]);
        }
    }
    let mut blocks: Vec<Traceable> = Vec::new();
    let mut current: Option<&(dyn Error + 'static)> = Some(err);
    while let Some(e) = current {
        match parse_exec_error_string(&e.to_string()) {
            Some(t) => {
                if blocks.last() != Some(&t) {
                    blocks.push(t);
                }
            }
            None => return text,
        }
        current = e.source();
    }
    let mut out = String::new();
    for b in &blocks {
        b.write(&mut out);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn executing_form_is_parsed() {
        let t = parse_exec_error_string(
            "template: c/t.yaml:1:10: executing \"c/t.yaml\" at <.a.b>: nil pointer evaluating interface {}.b",
        )
        .unwrap();
        assert_eq!(t.location, "c/t.yaml:1:10");
        assert_eq!(t.executed, "executing \"c/t.yaml\" at <.a.b>:");
        assert_eq!(t.message, "nil pointer evaluating interface {}.b");
    }

    #[test]
    fn chained_tail_is_cut() {
        let t = parse_exec_error_string(
            "template: a:1:2: executing \"a\" at <include \"x\" .>: error calling include: template: b:1:1: boom",
        )
        .unwrap();
        assert_eq!(t.message, "error calling include:");
    }

    #[test]
    fn plain_errors_do_not_parse() {
        assert!(parse_exec_error_string("incompatible types").is_none());
    }
}
