//! `--seed`/`--now` (and `$CHARTGEN_SEED`/`$CHARTGEN_NOW`) make charts with
//! random secrets and clock readings render reproducibly, in `template` and
//! in snapshot suites; without them renders stay random.

use std::fs;
use std::path::Path;

use chartgen::diff::Terminal;
use chartgen::snapshot::{Command, Common, Context};

const SECRET: &str = r#"apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-random
stringData:
  password: {{ randAlphaNum 24 | quote }}
  id: {{ uuidv4 | quote }}
  pin: {{ randNumeric 6 | quote }}
  order: {{ shuffle "abcdefghij" | quote }}
  htpasswd: {{ htpasswd "admin" "pw" | quote }}
  stamp: {{ now | date "2006-01-02T15:04:05Z07:00" | quote }}
  ca: {{ (genCA "ca" 1).Cert | b64enc | quote }}
"#;

fn chart(dir: &Path) {
    fs::create_dir_all(dir.join("templates")).unwrap();
    fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: rnd\nversion: 0.1.0\n",
    )
    .unwrap();
    fs::write(dir.join("templates/secret.yaml"), SECRET).unwrap();
}

fn template(cwd: &Path, args: &[&str]) -> String {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let mut stdin = std::io::empty();
    let mut env = chartgen::Env {
        cwd: cwd.to_path_buf(),
        stdin: &mut stdin,
    };
    let out = chartgen::run_template(&args, &mut env);
    assert_eq!(out.exit, 0, "{}", out.stderr);
    out.stdout
}

#[test]
fn seed_makes_random_functions_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    chart(&dir.path().join("c"));
    let now = "--now=2024-02-03T04:05:06Z";
    let one = template(dir.path(), &["c", "--seed", "1", now]);
    assert_eq!(one, template(dir.path(), &["c", "--seed", "1", now]));
    assert_ne!(one, template(dir.path(), &["c", "--seed", "2", now]));
    assert!(one.contains("stamp: \"2024-02-03T04:05:06Z\""), "{one}");
    // Without a seed: random, as helm.
    assert_ne!(
        template(dir.path(), &["c", now]),
        template(dir.path(), &["c", now])
    );
    // A seeded name template too.
    let named = |seed: &str| {
        let out = template(
            dir.path(),
            &[
                "c",
                "--name-template",
                "{{ randAlpha 6 | lower }}",
                "--seed",
                seed,
            ],
        );
        out.lines()
            .find_map(|l| l.strip_prefix("  name: "))
            .unwrap()
            .to_string()
    };
    assert_eq!(named("5"), named("5"));
    assert_ne!(named("5"), named("6"));
}

#[test]
fn parallel_seeded_renders_do_not_share_a_random_stream() {
    let dir = tempfile::tempdir().unwrap();
    chart(&dir.path().join("c"));
    let root = dir.path();
    let args = ["c", "--seed", "9", "--now", "2024-01-01T00:00:00Z"];
    let expected = template(root, &args);
    let outs: Vec<String> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..4).map(|_| s.spawn(|| template(root, &args))).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for o in outs {
        assert_eq!(o, expected);
    }
}

#[test]
fn bad_seed_and_now_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    chart(&dir.path().join("c"));
    let run = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut stdin = std::io::empty();
        let mut env = chartgen::Env {
            cwd: dir.path().to_path_buf(),
            stdin: &mut stdin,
        };
        chartgen::run_template(&args, &mut env)
    };
    let out = run(&["c", "--seed", "-1"]);
    assert_eq!(out.exit, 1);
    assert_eq!(
        out.stderr,
        "Error: invalid --seed: \"-1\" is not a non-negative integer\n"
    );
    let out = run(&["c", "--now", "2024-02-30T00:00:00Z"]);
    assert_eq!(out.exit, 1);
    assert!(
        out.stderr.starts_with("Error: invalid --now: "),
        "{}",
        out.stderr
    );
}

#[test]
fn environment_variables_seed_and_freeze_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    chart(&dir.path().join("c"));
    let bin = env!("CARGO_BIN_EXE_chartgen");
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut cmd = std::process::Command::new(bin);
        cmd.current_dir(dir.path())
            .arg("template")
            .arg("c")
            .args(args)
            .env_remove("CHARTGEN_SEED")
            .env_remove("CHARTGEN_NOW");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let now = "2030-01-01T00:00:00Z";
    let by_env = run(&[("CHARTGEN_SEED", "4"), ("CHARTGEN_NOW", now)], &[]);
    let by_flags = run(&[], &["--seed", "4", "--now", now]);
    assert_eq!(by_env, by_flags);
    assert!(by_env.contains("stamp: \"2030-01-01T00:00:00Z\""));
    // Flags win over the environment.
    assert_eq!(
        run(&[("CHARTGEN_SEED", "5")], &["--seed", "4", "--now", now]),
        by_flags
    );
}

#[test]
fn snapshot_suites_with_random_secrets_are_stable() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    chart(&root.join("c"));
    fs::write(
        root.join("suite.yaml"),
        "chart: c\ndefaults:\n  seed: 11\n  now: \"2024-01-01T00:00:00Z\"\ncases:\n  - name: a\n    golden: golden/a.yaml\n  - name: b\n    seed: 12\n    release: other\n    golden: golden/b.yaml\n",
    )
    .unwrap();
    let run = |cmd: Command| {
        let ctx = Context {
            cwd: root.to_path_buf(),
            var: &|_| None,
            term: Terminal::default(),
        };
        chartgen::snapshot::run(&cmd, &ctx)
    };
    let common = || Common {
        manifest: "suite.yaml".into(),
        seed: None,
        now: None,
        junit: None,
        jobs: Some(2),
        color: None,
    };
    let out = run(Command::Update {
        common: common(),
        force: false,
    });
    assert_eq!(
        out.stdout,
        "wrote golden/a.yaml (new)\nwrote golden/b.yaml (new)\n2 written, 0 unchanged, 0 failed\n"
    );
    for _ in 0..2 {
        let out = run(Command::Check { common: common() });
        assert_eq!(out.stdout, "2 passed, 0 failed\n");
    }
    let a = fs::read_to_string(root.join("golden/a.yaml")).unwrap();
    // The case's own seed gives other secrets than the suite default.
    let b = fs::read_to_string(root.join("golden/b.yaml")).unwrap();
    let password = |s: &str| {
        s.lines()
            .find(|l| l.contains("password:"))
            .unwrap()
            .to_string()
    };
    assert_ne!(password(&a), password(&b));
    // The command line's seed only applies where the suite sets none.
    let mut c = common();
    c.seed = Some("99".into());
    assert_eq!(
        run(Command::Check { common: c }).stdout,
        "2 passed, 0 failed\n"
    );
}
