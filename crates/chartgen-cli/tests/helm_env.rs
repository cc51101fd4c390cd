//! helm's environment settings that change what `template` prints:
//! `$HELM_NAMESPACE` and `$HELM_DEBUG` stand for `--namespace` and
//! `--debug` when the flag is not given (the flag wins when it is), and
//! without either the kubeconfig's context names the namespace.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn chart(dir: &Path) {
    let c = dir.join("c");
    fs::create_dir_all(c.join("templates")).unwrap();
    fs::write(
        c.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    )
    .unwrap();
    fs::write(c.join("templates/t.yaml"), "ns: {{ .Release.Namespace }}\n").unwrap();
}

fn template(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chartgen"));
    cmd.args(["template", "r", "c"])
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        // Nothing of the machine's own settings.
        .env("HOME", dir)
        .env_remove("HELM_NAMESPACE")
        .env_remove("HELM_DEBUG")
        .env_remove("HELM_KUBECONTEXT")
        .env_remove("KUBECONFIG")
        .env_remove("KUBERNETES_SERVICE_HOST");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn helm_namespace_is_the_default_namespace() {
    let dir = tempfile::tempdir().unwrap();
    chart(dir.path());
    let from_env = template(dir.path(), &[("HELM_NAMESPACE", "envns")], &[]);
    assert_eq!(from_env.status.code(), Some(0));
    let text = String::from_utf8(from_env.stdout.clone()).unwrap();
    assert!(text.contains("ns: envns"), "{text}");
    let from_flag = template(dir.path(), &[], &["--namespace", "envns"]);
    assert_eq!(from_env.stdout, from_flag.stdout);
    // The flag wins; an empty namespace is `default`.
    let flag_wins = template(dir.path(), &[("HELM_NAMESPACE", "envns")], &["-n", "other"]);
    assert!(String::from_utf8_lossy(&flag_wins.stdout).contains("ns: other"));
    let empty = template(dir.path(), &[("HELM_NAMESPACE", "")], &[]);
    assert!(String::from_utf8_lossy(&empty.stdout).contains("ns: default"));
}

#[test]
fn helm_debug_turns_on_debug_unless_the_flag_says_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    chart(dir.path());
    let logs = |o: &Output| String::from_utf8_lossy(&o.stderr).contains("level=DEBUG");
    assert!(!logs(&template(dir.path(), &[], &[])));
    for on in ["1", "t", "TRUE", "true"] {
        assert!(
            logs(&template(dir.path(), &[("HELM_DEBUG", on)], &[])),
            "{on}"
        );
    }
    // Go's strconv.ParseBool: anything else leaves debugging off.
    assert!(!logs(&template(dir.path(), &[("HELM_DEBUG", "yes")], &[])));
    assert!(!logs(&template(
        dir.path(),
        &[("HELM_DEBUG", "true")],
        &["--debug=false"]
    )));
}

#[test]
fn the_kubeconfig_context_names_the_namespace_when_nothing_else_does() {
    let dir = tempfile::tempdir().unwrap();
    chart(dir.path());
    let config = dir.path().join("kubeconfig");
    fs::write(
        &config,
        "current-context: dev\ncontexts:\n- name: dev\n  context:\n    cluster: c\n    namespace: team-a\n- name: plain\n  context:\n    cluster: c\n",
    )
    .unwrap();
    let kubeconfig = config.to_string_lossy().into_owned();
    let ns = |env: &[(&str, &str)], args: &[&str]| {
        let out = template(dir.path(), env, args);
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix("ns: ").map(str::to_string))
            .unwrap_or_else(|| panic!("{text}"))
    };
    assert_eq!(ns(&[], &[]), "default");
    assert_eq!(ns(&[("KUBECONFIG", &kubeconfig)], &[]), "team-a");
    assert_eq!(ns(&[], &["--kubeconfig", &kubeconfig]), "team-a");
    assert_eq!(
        ns(&[("KUBECONFIG", &kubeconfig)], &["--kube-context", "plain"]),
        "default"
    );
    assert_eq!(
        ns(
            &[("KUBECONFIG", &kubeconfig), ("HELM_NAMESPACE", "env")],
            &[]
        ),
        "env"
    );
}
