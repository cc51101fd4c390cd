//! The repository's `.pre-commit-hooks.yaml` through the real `pre-commit`:
//! a scratch git repository uses this repository as its hook repository
//! (a local path and commit, so nothing is fetched), pre-commit builds
//! chartgen with `cargo install --path .` as its `language: rust` does, and
//! `git commit` is accepted for valid values and refused, with the located
//! diagnostics, for invalid ones.
//!
//! pre-commit is installed from PyPI when missing; the test is skipped (with
//! a message saying why) only when Python, pip or git cannot provide it.
//! Builds are cached under the target directory between runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `python3 -m pre_commit` works, installing it if needed.
fn pre_commit_available() -> Result<(), String> {
    let works = || {
        Command::new("python3")
            .args(["-m", "pre_commit", "--version"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if works() {
        return Ok(());
    }
    let pip = Command::new("python3")
        .args(["-m", "pip", "install", "-q", "pre-commit"])
        .output()
        .map_err(|e| format!("python3 is not available: {e}"))?;
    if !pip.status.success() || !works() {
        return Err(format!("pip could not install pre-commit: {}", text(&pip)));
    }
    Ok(())
}

/// Where pre-commit keeps its environments, and the cargo settings its
/// build uses: given to pre-commit and to git (whose hook runs pre-commit).
fn hook_env(cmd: &mut Command) -> &mut Command {
    let cache = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pre-commit");
    cmd.env("PRE_COMMIT_HOME", cache.join("home"))
        // Keep the compiled dependencies between runs, and build the hook
        // quickly and small on disk: this checks the hook, not the optimiser.
        .env("CARGO_TARGET_DIR", cache.join("cargo-target"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "0")
        .env("CARGO_PROFILE_RELEASE_LTO", "off")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "false")
}

fn git(dir: &Path, args: &[&str]) -> Output {
    run(hook_env(Command::new("git").args(args).current_dir(dir))
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid"))
}

/// The commit pre-commit should build: the working tree's tracked state
/// (`git stash create` records uncommitted changes without touching
/// anything), else HEAD.
fn hook_repo_rev(repo: &Path) -> Option<String> {
    for args in [&["stash", "create"][..], &["rev-parse", "HEAD"][..]] {
        let o = git(repo, args);
        let rev = String::from_utf8_lossy(&o.stdout).trim().to_string();
        if o.status.success() && !rev.is_empty() {
            return Some(rev);
        }
    }
    None
}

const VALID: &str = "executor: KubernetesExecutor\nwebserver:\n  replicas: 2\n";
const INVALID: &str = "\
executor: CeleryExecutor
schedulr:
  replicas: 2
webserver:
  replicas: two
workers:
  replicas: -3
";

#[test]
fn validate_hook_accepts_valid_and_refuses_invalid_commits() {
    if let Err(why) = pre_commit_available() {
        eprintln!("SKIPPED validate_hook_accepts_valid_and_refuses_invalid_commits: {why}");
        return;
    }
    let hook_repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Some(rev) = hook_repo_rev(&hook_repo) else {
        eprintln!(
            "SKIPPED validate_hook_accepts_valid_and_refuses_invalid_commits: {} is not a git repository",
            hook_repo.display()
        );
        return;
    };
    let work = tempfile::tempdir().expect("temp dir");
    let dir = work.path();
    assert!(git(dir, &["init", "-q"]).status.success());
    std::fs::write(
        dir.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: chartgen-validate\n",
            hook_repo.display()
        ),
    )
    .unwrap();
    std::fs::write(dir.join("values.yaml"), VALID).unwrap();

    let pre_commit = |args: &[&str]| {
        run(hook_env(
            Command::new("python3")
                .args(["-m", "pre_commit"])
                .args(args)
                .current_dir(dir),
        ))
    };
    let install = pre_commit(&["install"]);
    assert!(install.status.success(), "{}", text(&install));
    // Build the hook's environment once, before the first commit.
    let env = pre_commit(&["install-hooks"]);
    assert!(env.status.success(), "{}", text(&env));

    assert!(git(dir, &["add", "-A"]).status.success());
    let ok = git(dir, &["commit", "-q", "-m", "valid values"]);
    assert!(ok.status.success(), "valid values refused:\n{}", text(&ok));
    assert!(text(&ok).contains("chartgen validate"), "{}", text(&ok));

    std::fs::write(dir.join("values.yaml"), INVALID).unwrap();
    assert!(git(dir, &["add", "-A"]).status.success());
    let refused = git(dir, &["commit", "-q", "-m", "invalid values"]);
    let out = text(&refused);
    assert!(
        !refused.status.success(),
        "invalid values committed:\n{out}"
    );
    for line in [
        "values.yaml:2:1: error: additional properties 'schedulr' not allowed",
        "help: did you mean `schedulr` → `scheduler`?",
        "values.yaml:5:13: error: got string, want integer",
        "values.yaml:7:13: error: minimum: got -3, want 0",
    ] {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }
    let log = git(dir, &["rev-list", "--count", "HEAD"]);
    assert_eq!(String::from_utf8_lossy(&log.stdout).trim(), "1");
}
