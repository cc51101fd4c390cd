//! `chartgen validate`: the command over `chartgen_validate` (which does the
//! work), with the built-in chart for files that have no Chart.yaml above them.

use std::path::PathBuf;

use chartgen_validate::{validate_files, Format, Options};

use crate::embedded;
use crate::template::Outcome;

/// `chartgen validate`'s arguments.
#[derive(Clone, Debug)]
pub struct Args {
    pub chart: Option<PathBuf>,
    pub each: bool,
    pub format: Format,
    pub color: bool,
    pub files: Vec<String>,
}

/// Exit status for invalid values (usage errors are clap's 2).
pub const EXIT_INVALID: i32 = 1;

/// Validates `args.files`; the report goes to stdout (nothing when valid,
/// in text form), the exit status says whether they are valid.
pub fn run(args: &Args, cwd: PathBuf) -> Outcome {
    let builtin = || embedded::load().map_err(|e| e.located());
    let opts = Options {
        chart: args.chart.clone(),
        each: args.each,
        cwd,
        builtin: &builtin,
        stdin: None,
        prepared_schemas: embedded::precompiled().schemas,
    };
    let report = validate_files(&args.files, &opts);
    Outcome {
        exit: if report.has_errors() { EXIT_INVALID } else { 0 },
        stdout: report.render(args.format, args.color),
        ..Outcome::default()
    }
}
