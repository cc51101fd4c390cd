//! `chartgen diff [NAME] [CHART] [template flags] --golden FILE`: renders
//! exactly as `chartgen template` with the same flags and prints a unified
//! diff against the golden, then one line per changed resource. Exit 0 when
//! equal, 1 when different, 2 on a usage or render error.

use std::io::IsTerminal;

use chartgen_snapshot::diff;

use crate::flags::{self, FlagDef, Kind};
use crate::template::{self, Env, Outcome};

/// `diff`'s flags besides `template`'s.
const EXTRA: &[FlagDef] = &[flags::flag(
    "golden",
    None,
    Kind::Text,
    "the expected output to compare the render with (required)",
)];

/// Where the output goes, for `--color auto`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Terminal {
    /// Standard output is a terminal.
    pub is_tty: bool,
    /// `$NO_COLOR` is set and not empty.
    pub no_color: bool,
}

impl Terminal {
    pub fn detect() -> Terminal {
        Terminal {
            is_tty: std::io::stdout().is_terminal(),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        }
    }

    /// Whether to colour, given `--color never|auto|always` (`None`: auto).
    pub fn color(&self, mode: Option<&str>) -> bool {
        match mode {
            Some("always") => true,
            Some("never") => false,
            _ => self.is_tty && !self.no_color,
        }
    }
}

fn usage_error(message: &str) -> Outcome {
    Outcome {
        exit: 2,
        stdout: String::new(),
        stderr: format!("Error: {message}\n"),
        located: Vec::new(),
    }
}

/// Runs `chartgen diff ARGS…` (the arguments after `diff`).
pub fn run(argv: &[String], env: &mut Env<'_>, term: Terminal) -> Outcome {
    let parsed = match flags::parse_with(argv, EXTRA) {
        Ok(p) => p,
        Err(e) => {
            let mut out = template::flag_error(&e);
            out.exit = 2;
            return out;
        }
    };
    if parsed.bool("help") {
        return Outcome {
            exit: 0,
            stdout: clap_command()
                .bin_name("chartgen diff")
                .render_long_help()
                .to_string(),
            stderr: String::new(),
            located: Vec::new(),
        };
    }
    let Some(golden) = parsed.string("golden").filter(|g| !g.is_empty()) else {
        return usage_error("required flag \"golden\" not set");
    };
    if parsed.string("output-dir").is_some_and(|d| !d.is_empty()) {
        return usage_error("--output-dir cannot be used with diff");
    }
    let mode = parsed.string("colour").or_else(|| parsed.string("color"));
    let color = term.color(mode.as_deref());
    let rendered = template::run_parsed(&parsed, env);
    if rendered.exit != 0 {
        return Outcome {
            exit: 2,
            stdout: String::new(),
            stderr: rendered.stderr,
            located: Vec::new(),
        };
    }
    let expected = match std::fs::read(env.resolve(&golden)) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            let mut out = usage_error(&format!("reading golden {golden}: {e}"));
            out.stderr.insert_str(0, &rendered.stderr);
            return out;
        }
    };
    let text = diff::unified(&expected, &rendered.stdout, &golden, "rendered", color);
    if text.is_empty() {
        return Outcome {
            exit: 0,
            stdout: String::new(),
            stderr: rendered.stderr,
            located: Vec::new(),
        };
    }
    let mut stdout = text;
    for change in diff::resource_changes(&expected, &rendered.stdout) {
        stdout.push_str(&change.to_string());
        stdout.push('\n');
    }
    Outcome {
        exit: 1,
        stdout,
        stderr: rendered.stderr,
        located: Vec::new(),
    }
}

/// The flags as a clap command, for `--help` and shell completion.
pub fn clap_command() -> clap::Command {
    flags::clap_command()
        .name("diff")
        .about("Render as `template` does and diff the output against a golden file (exit 0 same, 1 different, 2 error)")
        .override_usage("chartgen diff [NAME] [CHART] [template flags] --golden FILE")
        .arg(
            clap::Arg::new("golden")
                .long("golden")
                .value_name("FILE")
                .help(EXTRA[0].help)
                .value_hint(clap::ValueHint::FilePath)
                .action(clap::ArgAction::Set),
        )
}
