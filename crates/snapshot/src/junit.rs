//! A JUnit XML report of a suite run: one `testcase` per case (a failure
//! carries the diff), one failing `testcase` per orphan golden.

use std::fmt::Write as _;

use crate::{diff, Report, Status};

/// The report as JUnit XML; `suite_name` names the `testsuite`, paths are
/// shown through `display` (e.g. relative to the working directory).
pub fn render(
    report: &Report,
    suite_name: &str,
    display: impl Fn(&std::path::Path) -> String,
) -> String {
    let errors = report.errors();
    let failures = report.failed() - errors;
    let tests = report.cases.len() + report.orphans.len();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites name=\"chartgen snapshot\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{:.3}\">",
        report.time.as_secs_f64()
    );
    let _ = writeln!(
        x,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{:.3}\">",
        escape(suite_name),
        report.time.as_secs_f64()
    );
    for c in &report.cases {
        let golden = display(&c.golden);
        let _ = write!(
            x,
            "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
            escape(&c.name),
            escape(suite_name),
            c.time.as_secs_f64()
        );
        match &c.status {
            Status::Pass => x.push_str("/>\n"),
            Status::Changed {
                golden: old,
                rendered,
            } => {
                let body = diff::unified(old, rendered, &golden, "rendered", false);
                let _ = writeln!(
                    x,
                    ">\n      <failure type=\"mismatch\" message=\"{}\">{}</failure>\n    </testcase>",
                    escape(&format!("rendered output differs from {golden}")),
                    escape(&body)
                );
            }
            Status::Missing { .. } => {
                let _ = writeln!(
                    x,
                    ">\n      <failure type=\"missing\" message=\"{}\"/>\n    </testcase>",
                    escape(&format!("golden {golden} does not exist"))
                );
            }
            Status::Error(e) => {
                let _ = writeln!(
                    x,
                    ">\n      <error type=\"error\" message=\"{}\">{}</error>\n    </testcase>",
                    escape(&first_line(e)),
                    escape(e)
                );
            }
        }
    }
    for o in &report.orphans {
        let path = display(o);
        let _ = writeln!(
            x,
            "    <testcase name=\"{}\" classname=\"{}\" time=\"0.000\">\n      <failure type=\"orphan\" message=\"{}\"/>\n    </testcase>",
            escape(&format!("orphan {path}")),
            escape(suite_name),
            escape(&format!("no case produces the golden {path}"))
        );
    }
    x.push_str("  </testsuite>\n</testsuites>\n");
    x
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().to_string()
}

/// Text for XML 1.0 content and attributes: markup characters escaped,
/// characters XML cannot carry (most C0 controls, ANSI's ESC among them)
/// written as `\u{..}`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("a<b>&\"'\x1b\n"),
            "a&lt;b&gt;&amp;&quot;&apos;\\u{1b}\n"
        );
    }
}
