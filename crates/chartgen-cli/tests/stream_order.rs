//! stdout and stderr on one stream (a terminal, `2>&1`): helm logs while it
//! works, prints what it rendered, then its error — a failed `--debug`
//! render reads in that order with chartgen too.

use std::fs;
use std::process::{Command, Stdio};

#[test]
fn debug_render_prints_its_output_before_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    fs::create_dir_all(c.join("templates")).unwrap();
    fs::write(
        c.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .unwrap();
    fs::write(c.join("templates/bad.yaml"), "a: [\n").unwrap();
    let log = dir.path().join("log");
    let file = fs::File::create(&log).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_chartgen"))
        .args(["template", "r", "c", "--debug"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::from(file.try_clone().unwrap()))
        .stderr(Stdio::from(file))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let text = fs::read_to_string(&log).unwrap();
    let debug = text.find("level=DEBUG").expect(&text);
    let source = text.find("# Source: c/templates/bad.yaml").expect(&text);
    let error = text.find("Error: YAML parse error").expect(&text);
    assert!(debug < source && source < error, "{text}");
}
