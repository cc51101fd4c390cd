//! `chartgen snapshot` and `chartgen diff` through the CLI's own entry
//! points (as the binary runs them). Their printed output is pinned with
//! insta snapshots under `tests/snapshots/`.

use std::fs;
use std::path::{Path, PathBuf};

use chartgen::diff::Terminal;
use chartgen::snapshot::{Command, Common, Context};

fn repo() -> PathBuf {
    // The chartgen package manifest is the repository root.
    fs::canonicalize(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Copies a directory, following symlinks (the chart's schema is one).
fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for e in fs::read_dir(src).unwrap() {
        let p = e.unwrap().path();
        let to = dst.join(p.file_name().unwrap());
        if fs::metadata(&p).unwrap().is_dir() {
            copy_dir(&p, &to);
        } else {
            fs::copy(&p, &to).unwrap();
        }
    }
}

fn no_vars(_: &str) -> Option<String> {
    None
}

fn common(manifest: &str) -> Common {
    Common {
        manifest: PathBuf::from(manifest),
        seed: None,
        now: None,
        junit: None,
        jobs: Some(2),
        color: None,
    }
}

fn snapshot(cwd: &Path, cmd: Command, var: &dyn Fn(&str) -> Option<String>) -> chartgen::Outcome {
    let ctx = Context {
        cwd: cwd.to_path_buf(),
        var,
        term: Terminal::default(),
    };
    chartgen::snapshot::run(&cmd, &ctx)
}

fn check(cwd: &Path, manifest: &str) -> chartgen::Outcome {
    snapshot(
        cwd,
        Command::Check {
            common: common(manifest),
        },
        &no_vars,
    )
}

fn update(cwd: &Path, manifest: &str) -> chartgen::Outcome {
    snapshot(
        cwd,
        Command::Update {
            common: common(manifest),
            force: false,
        },
        &no_vars,
    )
}

/// A scratch suite: a copy of the chart, the named fixtures' values and
/// goldens, and a manifest rendering every copied case.
fn scratch(cases: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&repo().join("chart"), &root.join("chart"));
    fs::create_dir_all(root.join("cases")).unwrap();
    fs::create_dir_all(root.join("golden")).unwrap();
    for c in cases {
        fs::copy(
            repo().join(format!("fixtures/cases/{c}.yaml")),
            root.join(format!("cases/{c}.yaml")),
        )
        .unwrap();
        fs::copy(
            repo().join(format!("fixtures/golden/{c}.yaml")),
            root.join(format!("golden/{c}.yaml")),
        )
        .unwrap();
    }
    fs::write(
        root.join("suite.yaml"),
        "chart: chart\ndefaults:\n  release: airflow\n  namespace: airflow\ncases:\n  - each: cases/*.yaml\n    golden: golden/{name}.yaml\n",
    )
    .unwrap();
    dir
}

/// Without the chart loader's INFO line about the schema symlink.
fn stderr(out: &chartgen::Outcome) -> String {
    out.stderr
        .lines()
        .filter(|l| !l.starts_with("level=INFO"))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn fixtures_suite_passes_and_reports_junit() {
    let n = fs::read_dir(repo().join("fixtures/cases")).unwrap().count();
    let junit = tempfile::tempdir().unwrap();
    let xml_path = junit.path().join("report.xml");
    let mut c = common("fixtures/snapshots.yaml");
    c.junit = Some(xml_path.clone());
    let out = snapshot(&repo(), Command::Check { common: c }, &no_vars);
    assert_eq!(
        out.stdout,
        format!("{n} passed, 0 failed\n"),
        "{}",
        out.stderr
    );
    assert_eq!(out.exit, 0);
    assert_eq!(stderr(&out), "");
    let xml = fs::read_to_string(xml_path).unwrap();
    assert!(xml.contains(&format!("tests=\"{n}\" failures=\"0\" errors=\"0\"")));
    assert_eq!(xml.matches("<testcase ").count(), n);
}

#[test]
fn a_changed_template_fails_with_a_readable_diff() {
    let dir = scratch(&["defaults", "executor-local"]);
    let root = dir.path();
    assert_eq!(check(root, "suite.yaml").stdout, "2 passed, 0 failed\n");
    let t = root.join("chart/templates/scheduler/scheduler-deployment.yaml");
    let text = fs::read_to_string(&t).unwrap();
    let changed = text.replace(
        "replicas: {{ int64 $c.replicas }}",
        "replicas: {{ add 1 (int64 $c.replicas) }}",
    );
    assert_ne!(text, changed);
    fs::write(&t, changed).unwrap();
    let out = check(root, "suite.yaml");
    assert_eq!(out.exit, 1);
    insta::assert_snapshot!("changed_template", out.stdout);
    // check never writes: the goldens are still helm's.
    for c in ["defaults", "executor-local"] {
        assert_eq!(
            fs::read(root.join(format!("golden/{c}.yaml"))).unwrap(),
            fs::read(repo().join(format!("fixtures/golden/{c}.yaml"))).unwrap()
        );
    }
}

#[test]
fn a_removed_case_leaves_an_orphan_golden() {
    let dir = scratch(&["defaults", "executor-local"]);
    let root = dir.path();
    fs::remove_file(root.join("cases/executor-local.yaml")).unwrap();
    let out = check(root, "suite.yaml");
    assert_eq!(out.exit, 1);
    insta::assert_snapshot!("orphan", out.stdout);
}

#[test]
fn missing_goldens_fail_check_and_update_writes_only_what_changed() {
    let dir = scratch(&["defaults", "executor-local", "executor-kubernetes"]);
    let root = dir.path();
    let golden = |c: &str| root.join(format!("golden/{c}.yaml"));
    fs::remove_file(golden("executor-kubernetes")).unwrap();
    let stale = fs::read_to_string(golden("executor-local"))
        .unwrap()
        .replacen("replicas: 1", "replicas: 5", 1);
    fs::write(golden("executor-local"), stale).unwrap();
    let untouched = fs::metadata(golden("defaults"))
        .unwrap()
        .modified()
        .unwrap();

    let out = check(root, "suite.yaml");
    assert_eq!(out.exit, 1);
    insta::assert_snapshot!("missing_and_stale", out.stdout);
    assert!(!golden("executor-kubernetes").exists());

    let out = update(root, "suite.yaml");
    assert_eq!(out.exit, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "wrote golden/executor-kubernetes.yaml (new)\nwrote golden/executor-local.yaml\n2 written, 1 unchanged, 0 failed\n"
    );
    assert_eq!(
        fs::metadata(golden("defaults"))
            .unwrap()
            .modified()
            .unwrap(),
        untouched
    );
    for c in ["executor-local", "executor-kubernetes"] {
        assert_eq!(
            fs::read(golden(c)).unwrap(),
            fs::read(repo().join(format!("fixtures/golden/{c}.yaml"))).unwrap()
        );
    }
    // No temporary files left behind.
    assert_eq!(fs::read_dir(root.join("golden")).unwrap().count(), 3);
    assert_eq!(check(root, "suite.yaml").stdout, "3 passed, 0 failed\n");
    assert_eq!(
        update(root, "suite.yaml").stdout,
        "0 written, 3 unchanged, 0 failed\n"
    );
}

#[test]
fn update_refuses_in_ci_unless_forced() {
    let dir = scratch(&["defaults"]);
    let root = dir.path();
    fs::write(root.join("golden/defaults.yaml"), "stale\n").unwrap();
    let run = |ci: &'static str, force: bool| {
        let var = move |k: &str| (k == "CI").then(|| ci.to_string());
        snapshot(
            root,
            Command::Update {
                common: common("suite.yaml"),
                force,
            },
            &var,
        )
    };
    let refused = run("true", false);
    assert_eq!(refused.exit, 2);
    assert_eq!(
        refused.stderr,
        "Error: refusing to write goldens in CI ($CI is set); run `chartgen snapshot check`, or pass --force\n"
    );
    assert_eq!(
        fs::read_to_string(root.join("golden/defaults.yaml")).unwrap(),
        "stale\n"
    );
    for (ci, force) in [("false", false), ("1", true)] {
        fs::write(root.join("golden/defaults.yaml"), "stale\n").unwrap();
        let out = run(ci, force);
        assert_eq!(out.exit, 0, "CI={ci} force={force}: {}", out.stderr);
        assert_eq!(
            out.stdout,
            "wrote golden/defaults.yaml\n1 written, 0 unchanged, 0 failed\n"
        );
    }
}

#[test]
fn junit_report_of_a_failing_suite() {
    let dir = scratch(&["defaults", "executor-local"]);
    let root = dir.path();
    let stale = fs::read_to_string(root.join("golden/defaults.yaml"))
        .unwrap()
        .replacen("replicas: 1", "replicas: 5", 1);
    fs::write(root.join("golden/defaults.yaml"), stale).unwrap();
    fs::write(root.join("golden/extra.yaml"), "").unwrap();
    fs::write(root.join("cases/broken.yaml"), "executor: 7\n").unwrap();
    let mut c = common("suite.yaml");
    c.junit = Some(PathBuf::from("out/report.xml"));
    let out = snapshot(root, Command::Check { common: c }, &no_vars);
    assert_eq!(out.exit, 1);
    let xml = fs::read_to_string(root.join("out/report.xml")).unwrap();
    let xml = regex::Regex::new(r#"time="[0-9.]+""#)
        .unwrap()
        .replace_all(&xml, "time=\"T\"");
    insta::assert_snapshot!("junit", xml);
}

#[test]
fn manifest_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let out = check(root, "nope.yaml");
    assert_eq!(out.exit, 2);
    assert!(
        out.stderr.starts_with("Error: reading nope.yaml: "),
        "{}",
        out.stderr
    );
    fs::write(
        root.join("s.yaml"),
        "cases:\n  - golden: g.yaml\n    sets: [a=1]\n",
    )
    .unwrap();
    let out = check(root, "s.yaml");
    assert_eq!(out.exit, 2);
    assert!(
        out.stderr
            .starts_with("Error: s.yaml:3:5: cases[0].sets: unknown key"),
        "{}",
        out.stderr
    );
    fs::write(root.join("c.yaml"), "chart: nowhere\ncases: []\n").unwrap();
    let out = check(root, "c.yaml");
    assert_eq!(out.exit, 2);
    assert!(
        out.stderr.starts_with("Error: loading the chart: "),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------
// chartgen diff

fn diff(args: &[&str], term: Terminal) -> chartgen::Outcome {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let mut stdin = std::io::empty();
    let mut env = chartgen::Env {
        cwd: repo(),
        stdin: &mut stdin,
    };
    chartgen::diff::run(&args, &mut env, term)
}

const BASE: &[&str] = &[
    "airflow",
    "chart",
    "-f",
    "fixtures/cases/defaults.yaml",
    "--namespace",
    "airflow",
    "--golden",
    "fixtures/golden/defaults.yaml",
];

fn with(extra: &[&'static str]) -> Vec<&'static str> {
    BASE.iter().chain(extra).copied().collect()
}

#[test]
fn diff_of_an_identical_render_is_empty() {
    let out = diff(BASE, Terminal::default());
    assert_eq!((out.exit, out.stdout.as_str()), (0, ""), "{}", out.stderr);
}

#[test]
fn diff_shows_lines_and_resources_that_changed() {
    let out = diff(
        &with(&[
            "--set",
            "scheduler.replicas=3",
            "--set",
            "scheduler.podDisruptionBudget.enabled=true",
            "--set",
            "scheduler.serviceAccount.create=false",
        ]),
        Terminal::default(),
    );
    assert_eq!(out.exit, 1, "{}", out.stderr);
    insta::assert_snapshot!("diff_changed", out.stdout);
}

#[test]
fn diff_colours_follow_color_flag_tty_and_no_color() {
    let changed = with(&["--set", "scheduler.replicas=3"]);
    let esc = |args: &[&str], term: Terminal| {
        let out = diff(args, term);
        assert_eq!(out.exit, 1);
        out.stdout.contains('\x1b')
    };
    let tty = Terminal {
        is_tty: true,
        no_color: false,
    };
    let tty_no_color = Terminal {
        is_tty: true,
        no_color: true,
    };
    assert!(!esc(&changed, Terminal::default()));
    assert!(esc(&changed, tty));
    assert!(!esc(&changed, tty_no_color));
    let always: Vec<&str> = changed
        .iter()
        .copied()
        .chain(["--color", "always"])
        .collect();
    assert!(esc(&always, Terminal::default()));
    assert!(esc(&always, tty_no_color));
    let never: Vec<&str> = changed.iter().copied().chain(["--color=never"]).collect();
    assert!(!esc(&never, tty));
    let out = diff(
        &with(&["--set", "scheduler.replicas=3", "--color", "always"]),
        Terminal::default(),
    );
    assert!(
        out.stdout.contains("\x1b[31m-  replicas: 1\x1b[0m\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\x1b[32m+  replicas: 3\x1b[0m\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn diff_errors_exit_2() {
    let no_golden = diff(&BASE[..6], Terminal::default());
    assert_eq!(no_golden.exit, 2);
    assert_eq!(
        no_golden.stderr,
        "Error: required flag \"golden\" not set\n"
    );

    let bad_flag = diff(&with(&["--no-such-flag"]), Terminal::default());
    assert_eq!(bad_flag.exit, 2);
    assert_eq!(bad_flag.stderr, "Error: unknown flag: --no-such-flag\n");

    let render = diff(&with(&["--set", "executor=7"]), Terminal::default());
    assert_eq!(render.exit, 2);
    assert!(
        render
            .stderr
            .contains("Error: values don't meet the specifications of the schema"),
        "{}",
        render.stderr
    );

    let mut missing = BASE.to_vec();
    missing[7] = "fixtures/golden/none.yaml";
    let out = diff(&missing, Terminal::default());
    assert_eq!(out.exit, 2);
    assert!(
        stderr(&out).starts_with("Error: reading golden fixtures/golden/none.yaml: "),
        "{}",
        out.stderr
    );
}

/// The binary's `snapshot` runs with its own allocator (a per-thread cache
/// of small blocks, chosen before `main`): every fixture case, rendered on
/// two threads, must still match helm's golden.
#[test]
fn snapshot_check_runs_from_the_binary() {
    let n = fs::read_dir(repo().join("fixtures/cases")).unwrap().count();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_chartgen"))
        .current_dir(repo())
        .args([
            "snapshot",
            "check",
            "fixtures/snapshots.yaml",
            "--jobs",
            "2",
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{n} passed, 0 failed\n"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn diff_runs_from_the_binary_with_exit_codes() {
    let bin = env!("CARGO_BIN_EXE_chartgen");
    let run = |extra: &[&str]| {
        std::process::Command::new(bin)
            .current_dir(repo())
            .arg("diff")
            .args(BASE)
            .args(extra)
            .env_remove("NO_COLOR")
            .output()
            .unwrap()
    };
    let same = run(&[]);
    assert_eq!(same.status.code(), Some(0));
    let changed = run(&["--set", "scheduler.replicas=3"]);
    assert_eq!(changed.status.code(), Some(1));
    // Not a terminal: no colours.
    assert!(!String::from_utf8_lossy(&changed.stdout).contains('\x1b'));
    assert_eq!(run(&["--set", "executor=7"]).status.code(), Some(2));
}
