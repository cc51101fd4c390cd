//! Templates parsed by one run and decoded by the next (src/tree_cache.rs):
//! every run prints what a run without the cache prints, whatever the cache
//! holds; the cache is written only when something had to be parsed and
//! the render succeeded.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Setup {
    _dir: tempfile::TempDir,
    root: PathBuf,
    cache: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let c = root.join("c");
        fs::create_dir_all(c.join("templates")).unwrap();
        fs::create_dir_all(c.join("charts/sub/templates")).unwrap();
        fs::write(
            c.join("Chart.yaml"),
            "apiVersion: v2\nname: c\nversion: 0.1.0\n",
        )
        .unwrap();
        fs::write(c.join("values.yaml"), "greeting: hello\nitems: [a, b]\n").unwrap();
        fs::write(
            c.join("templates/_helpers.tpl"),
            "{{- define \"c.name\" -}}{{ .Chart.Name | trunc 63 }}{{- end }}\n",
        )
        .unwrap();
        fs::write(
            c.join("templates/cm.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"c.name\" . }}\ndata:\n  greeting: {{ .Values.greeting | quote }}\n{{- range $i, $x := .Values.items }}\n  item{{ $i }}: {{ $x }}\n{{- end }}\n",
        )
        .unwrap();
        fs::write(
            c.join("charts/sub/Chart.yaml"),
            "apiVersion: v2\nname: sub\nversion: 0.2.0\n",
        )
        .unwrap();
        fs::write(
            c.join("charts/sub/templates/svc.yaml"),
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\n",
        )
        .unwrap();
        let cache = root.join("cache");
        Setup {
            _dir: dir,
            root,
            cache,
        }
    }

    fn chart(&self) -> PathBuf {
        self.root.join("c")
    }

    fn run_with(&self, cache: Option<&Path>, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_chartgen"));
        cmd.arg("template")
            .arg("r")
            .arg("c")
            .args(args)
            .current_dir(&self.root)
            .stdin(Stdio::null())
            .env_remove("CHARTGEN_NO_CACHE");
        match cache {
            Some(dir) => cmd.env("CHARTGEN_CACHE_DIR", dir),
            None => cmd.env("CHARTGEN_NO_CACHE", "1"),
        };
        cmd.output().unwrap()
    }

    /// A run with the cache, checked against a run without it.
    fn run(&self, args: &[&str]) -> Output {
        let with = self.run_with(Some(&self.cache), args);
        let without = self.run_with(None, args);
        assert_eq!(with.status.code(), without.status.code());
        assert_eq!(
            String::from_utf8_lossy(&with.stdout),
            String::from_utf8_lossy(&without.stdout)
        );
        assert_eq!(
            String::from_utf8_lossy(&with.stderr),
            String::from_utf8_lossy(&without.stderr)
        );
        with
    }

    fn cache_files(&self) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(self.cache.join("trees")) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        files
    }

    /// The one cache file and its bytes.
    fn cache_file(&self) -> (PathBuf, Vec<u8>) {
        let files = self.cache_files();
        assert_eq!(files.len(), 1, "{files:?}");
        let bytes = fs::read(&files[0]).unwrap();
        (files[0].clone(), bytes)
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn a_second_run_decodes_and_writes_nothing() {
    let s = Setup::new();
    let first = s.run(&[]);
    assert!(first.status.success(), "{first:?}");
    assert!(
        stdout(&first).contains("  item1: b\n"),
        "{}",
        stdout(&first)
    );
    let (file, bytes) = s.cache_file();
    // Unchanged texts are all decoded: nothing parsed, nothing rewritten.
    fs::write(&file, &bytes).unwrap();
    let modified = fs::metadata(&file).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = s.run(&["--set", "greeting=bye"]);
    assert!(stdout(&second).contains("greeting: \"bye\""));
    assert_eq!(s.cache_file().1, bytes);
    assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), modified);
}

#[test]
fn an_edited_template_is_parsed_again() {
    let s = Setup::new();
    s.run(&[]);
    let (_, before) = s.cache_file();
    // Same length, one byte changed: the stored trees must not serve it.
    let cm = s.chart().join("templates/cm.yaml");
    let text = fs::read_to_string(&cm).unwrap();
    fs::write(&cm, text.replace("item{{ $i }}", "ITEM{{ $i }}")).unwrap();
    let edited = s.run(&[]);
    assert!(
        stdout(&edited).contains("  ITEM1: b\n"),
        "{}",
        stdout(&edited)
    );
    assert_ne!(s.cache_file().1, before);
    let helpers = s.chart().join("templates/_helpers.tpl");
    let text = fs::read_to_string(&helpers).unwrap();
    fs::write(&helpers, text.replace("trunc 63", "trunc 1 ")).unwrap();
    let edited = s.run(&[]);
    assert!(
        stdout(&edited).contains("  name: c\n"),
        "{}",
        stdout(&edited)
    );
}

#[test]
fn a_damaged_cache_file_changes_nothing_and_is_replaced() {
    let s = Setup::new();
    s.run(&[]);
    let (file, good) = s.cache_file();
    let damaged: Vec<Vec<u8>> = vec![
        Vec::new(),
        good[..good.len() / 2].to_vec(),
        good.iter().map(|b| b ^ 0xff).collect(),
        {
            let mut g = good.clone();
            let mid = g.len() - 10;
            g[mid] ^= 0x01;
            g
        },
        b"not a cache file at all".to_vec(),
    ];
    for bytes in damaged {
        fs::write(&file, &bytes).unwrap();
        let out = s.run(&[]);
        assert!(out.status.success(), "{out:?}");
        assert_eq!(s.cache_file().1, good);
    }
}

#[test]
fn a_failed_render_writes_no_cache() {
    let s = Setup::new();
    fs::write(
        s.chart().join("templates/fail.yaml"),
        "{{ fail \"stop here\" }}\n",
    )
    .unwrap();
    let out = s.run(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stop here"));
    assert!(s.cache_files().is_empty());
    // A template that no longer parses fails as it would without a cache.
    fs::remove_file(s.chart().join("templates/fail.yaml")).unwrap();
    s.run(&[]);
    assert_eq!(s.cache_files().len(), 1);
    fs::write(
        s.chart().join("templates/_helpers.tpl"),
        "{{- define \"c.name\" -}}{{ .Chart.Name | trunc 63 }}\n",
    )
    .unwrap();
    let out = s.run(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("unexpected EOF"),
        "{out:?}"
    );
}

#[test]
fn no_cache_means_no_directory() {
    let s = Setup::new();
    let out = s.run_with(None, &[]);
    assert!(out.status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_chartgen"))
        .args(["template", "r", "c"])
        .current_dir(&s.root)
        .env("CHARTGEN_CACHE_DIR", &s.cache)
        .env("CHARTGEN_NO_CACHE", "yes")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!s.cache.exists());
}

#[test]
fn an_unwritable_cache_directory_is_skipped() {
    let s = Setup::new();
    // A file where the directory should be.
    fs::write(&s.cache, b"").unwrap();
    let out = s.run(&[]);
    assert!(out.status.success(), "{out:?}");
    assert!(out.stderr.is_empty());
}

#[test]
fn snapshot_runs_share_the_cache() {
    let s = Setup::new();
    fs::write(
        s.root.join("snapshots.yaml"),
        "chart: c\ncases:\n  - name: default\n    golden: goldens/default.yaml\n  - name: bye\n    set: [greeting=bye]\n    golden: goldens/bye.yaml\n",
    )
    .unwrap();
    let snapshot = |sub: &str| {
        Command::new(env!("CARGO_BIN_EXE_chartgen"))
            .args(["snapshot", sub, "snapshots.yaml"])
            .current_dir(&s.root)
            .env("CHARTGEN_CACHE_DIR", &s.cache)
            .env_remove("CHARTGEN_NO_CACHE")
            .env_remove("CI")
            .output()
            .unwrap()
    };
    let update = snapshot("update");
    assert!(update.status.success(), "{update:?}");
    let (_, bytes) = s.cache_file();
    let check = snapshot("check");
    assert!(check.status.success(), "{check:?}");
    assert_eq!(s.cache_file().1, bytes);
    // A template run reads what the snapshot run kept.
    let out = s.run(&[]);
    assert!(out.status.success());
    assert_eq!(s.cache_file().1, bytes);
}

/// A schema whose prepared form the cache keeps (under `schemas/`).
const SCHEMA: &str = r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "greeting": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 8},
    "items": {"type": "array", "items": {"type": "string"}}
  },
  "required": ["greeting"]
}"#;

impl Setup {
    /// The files under `sub` of the cache directory, sorted.
    fn files_under(&self, sub: &str) -> Vec<PathBuf> {
        let Ok(entries) = fs::read_dir(self.cache.join(sub)) else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        files
    }

    fn schema_files(&self) -> Vec<PathBuf> {
        self.files_under("schemas")
    }

    fn values_files(&self) -> Vec<PathBuf> {
        self.files_under("values")
    }

    /// The one form kept under `sub` by the successful run `first`: a
    /// second run uses it without rewriting it, and damaged (emptied, cut,
    /// a byte flipped), it is ignored (the run agrees with one without
    /// cache) and replaced. Gives the file and its bytes.
    fn check_kept_form(&self, sub: &str, first: &Output) -> (PathBuf, Vec<u8>) {
        let files = self.files_under(sub);
        assert_eq!(files.len(), 1, "{files:?}");
        let good = fs::read(&files[0]).unwrap();
        let modified = fs::metadata(&files[0]).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let again = self.run(&[]);
        assert_eq!(again.stdout, first.stdout);
        // Used, not rewritten.
        assert_eq!(
            fs::metadata(&files[0]).unwrap().modified().unwrap(),
            modified
        );
        let mut flipped = good.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x01;
        for bytes in [Vec::new(), good[..good.len() / 2].to_vec(), flipped] {
            fs::write(&files[0], &bytes).unwrap();
            let out = self.run(&[]);
            assert_eq!(out.stdout, first.stdout);
            assert_eq!(fs::read(&files[0]).unwrap(), good);
        }
        (files[0].clone(), good)
    }
}

#[test]
fn prepared_schemas_are_kept_and_checked() {
    let s = Setup::new();
    fs::write(s.chart().join("values.schema.json"), SCHEMA).unwrap();
    // Valid and invalid values, each checked against a run without cache.
    let valid = s.run(&[]);
    assert!(valid.status.success(), "{valid:?}");
    let files = s.schema_files();
    assert_eq!(files.len(), 1, "{files:?}");
    let good = fs::read(&files[0]).unwrap();
    let modified = fs::metadata(&files[0]).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    for bad in ["greeting=Hello", "greeting=toolongtext", "items[0]=1"] {
        let out = s.run(&["--set", bad]);
        assert!(!out.status.success(), "{bad}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("values don't meet the specifications"),
            "{bad}: {out:?}"
        );
    }
    // Used, not rewritten.
    assert_eq!(
        fs::metadata(&files[0]).unwrap().modified().unwrap(),
        modified
    );
    // Damaged anywhere, it is ignored (the runs still agree with runs
    // without cache) and replaced.
    let damaged: Vec<Vec<u8>> = vec![
        Vec::new(),
        good[..good.len() / 2].to_vec(),
        {
            let mut g = good.clone();
            let mid = g.len() / 2;
            g[mid] ^= 0x01;
            g
        },
        {
            let mut g = good.clone();
            let last = g.len() - 1;
            g[last] ^= 0x20;
            g
        },
    ];
    for bytes in damaged {
        fs::write(&files[0], &bytes).unwrap();
        let out = s.run(&["--set", "greeting=Hello"]);
        assert!(!out.status.success(), "{out:?}");
        s.run(&[]);
        assert_eq!(fs::read(&files[0]).unwrap(), good);
    }
    // Another text (same length, one rule changed) is prepared afresh.
    fs::write(
        s.chart().join("values.schema.json"),
        SCHEMA.replace("\"maxLength\": 8", "\"maxLength\": 3"),
    )
    .unwrap();
    // Kept even though the values fail it: the prepared form depends on
    // the text alone, and the next run (with values fixed) wants it.
    let out = s.run(&[]);
    assert!(!out.status.success(), "{out:?}");
    assert_eq!(s.schema_files().len(), 2);
    let kept = s.schema_files();
    let out = s.run(&["--set", "greeting=hi"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(s.schema_files(), kept);
}

#[test]
fn prepared_values_files_are_kept_and_checked() {
    let s = Setup::new();
    let first = s.run(&[]);
    assert!(first.status.success(), "{first:?}");
    // The chart's values.yaml (the sub-chart has none).
    let (file, good) = s.check_kept_form("values", &first);
    // A form kept for another text is not used for this one: the same
    // length, another greeting.
    let other = s.chart().join("values.yaml");
    fs::write(&other, "greeting: howdy\nitems: [a, b]\n").unwrap();
    let out = s.run(&[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("greeting: \"howdy\""));
    assert_eq!(s.values_files().len(), 2);
    // Even put in the place of this text's own file.
    let kept = s.values_files();
    let howdy = kept.iter().find(|f| **f != file).unwrap().clone();
    fs::write(&howdy, &good).unwrap();
    let out = s.run(&[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("greeting: \"howdy\""));
}

/// The heads of the documents a run rendered are kept beside its trees
/// (under `heads/`, by the same name), rewritten only when enough new text
/// had to be decoded; damaged, they change nothing and are replaced.
#[test]
fn document_heads_are_kept_beside_the_trees() {
    let s = Setup::new();
    let first = s.run(&[]);
    assert!(first.status.success(), "{first:?}");
    let heads = s.files_under("heads");
    assert_eq!(heads.len(), 1, "{heads:?}");
    assert_eq!(
        heads[0].file_name(),
        s.cache_file().0.file_name(),
        "named as the trees are"
    );
    let good = fs::read(&heads[0]).unwrap();
    let modified = fs::metadata(&heads[0]).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    // The same documents, or a small change: nothing rewritten.
    s.run(&[]);
    let second = s.run(&["--set", "greeting=bye"]);
    assert!(stdout(&second).contains("greeting: \"bye\""));
    assert_eq!(fs::read(&heads[0]).unwrap(), good);
    assert_eq!(
        fs::metadata(&heads[0]).unwrap().modified().unwrap(),
        modified
    );
    // Much new text: rewritten, and the next run prints the same.
    let many: Vec<String> = (0..3000).map(|i| format!("items[{i}]=x{i}")).collect();
    let large = s.run(&["--set", &many.join(",")]);
    assert!(stdout(&large).contains("  item2999: x2999\n"));
    assert_ne!(fs::read(&heads[0]).unwrap(), good);
    s.run(&["--set", &many.join(",")]);

    for damaged in [Vec::new(), good[..good.len() / 2].to_vec(), {
        let mut g = good.clone();
        let last = g.len() - 1;
        g[last] ^= 1;
        g
    }] {
        fs::write(&heads[0], &damaged).unwrap();
        let out = s.run(&[]);
        assert!(out.status.success(), "{out:?}");
        assert_eq!(fs::read(&heads[0]).unwrap(), good);
    }
}

/// A `.tgz` chart holding `files`, each under the directory `top`.
fn chart_archive(top: &str, files: &[(&str, &str)]) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    for (name, text) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, format!("{top}/{name}"), text.as_bytes())
            .unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap()
}

/// A `.tgz` sub-chart is expanded by the first run only: later runs read
/// what it kept under `archives/`. A damaged kept form, or one made of
/// another archive, is ignored (and the damaged one replaced); every run
/// prints what a run without the cache prints.
#[test]
fn expanded_archives_are_kept_and_checked() {
    let s = Setup::new();
    let sub = |service: &str| {
        chart_archive(
            "sub",
            &[
                ("Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.2.0\n"),
                (
                    "templates/svc.yaml",
                    &format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {service}\n"),
                ),
            ],
        )
    };
    let archive = s.chart().join("charts/sub-0.2.0.tgz");
    fs::remove_dir_all(s.chart().join("charts/sub")).unwrap();
    fs::write(&archive, sub("{{ .Release.Name }}-{{ .Chart.Name }}")).unwrap();
    let first = s.run(&[]);
    assert!(first.status.success(), "{first:?}");
    assert!(
        stdout(&first).contains("name: r-sub\n"),
        "{}",
        stdout(&first)
    );
    let (file, good) = s.check_kept_form("archives", &first);
    // Another archive under the same name gets its own kept form, and the
    // first one's form is not used for it, even in its place.
    fs::write(&archive, sub("{{ .Release.Name }}-other")).unwrap();
    let out = s.run(&[]);
    assert!(stdout(&out).contains("name: r-other\n"), "{}", stdout(&out));
    let kept = s.files_under("archives");
    assert_eq!(kept.len(), 2, "{kept:?}");
    let other = kept.iter().find(|f| **f != file).unwrap();
    fs::write(other, &good).unwrap();
    let out = s.run(&[]);
    assert!(stdout(&out).contains("name: r-other\n"), "{}", stdout(&out));
}

/// Files under `files/` (what a load of the chart read, see
/// chartgen_helm::file_memory).
fn kept_files(s: &Setup) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = fs::read_dir(s.cache.join("files")) else {
        return Vec::new();
    };
    entries
        .map(|e| {
            let path = e.unwrap().path();
            let bytes = fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect()
}

#[test]
fn settled_files_are_kept_and_an_edit_is_seen() {
    let s = Setup::new();
    // Files changed in the last seconds are read every run, not kept.
    let first = s.run(&[]);
    assert!(first.status.success(), "{first:?}");
    assert!(kept_files(&s).is_empty());
    std::thread::sleep(std::time::Duration::from_millis(6500));
    s.run(&[]);
    let kept = kept_files(&s);
    assert_eq!(kept.len(), 1);
    let (file, bytes) = &kept[0];
    for text in ["greeting: hello", "trunc 63", "kind: Service"] {
        assert!(
            bytes.windows(text.len()).any(|w| w == text.as_bytes()),
            "{text}"
        );
    }
    // Taken from there next time: nothing new to write.
    let modified = fs::metadata(file).unwrap().modified().unwrap();
    let again = s.run(&["--set", "greeting=bye"]);
    assert!(stdout(&again).contains("greeting: \"bye\""));
    assert_eq!(fs::metadata(file).unwrap().modified().unwrap(), modified);
    // An edit of the same length is seen at once, in a template and in a
    // values file.
    let cm = s.chart().join("templates/cm.yaml");
    let text = fs::read_to_string(&cm).unwrap();
    fs::write(&cm, text.replace("item{{ $i }}", "ITEM{{ $i }}")).unwrap();
    let values = s.chart().join("values.yaml");
    fs::write(&values, "greeting: howdy\nitems: [a, b]\n").unwrap();
    let edited = s.run(&[]);
    let out = stdout(&edited);
    assert!(out.contains("  ITEM1: b\n"), "{out}");
    assert!(out.contains("greeting: \"howdy\""), "{out}");
    // A file that is gone is not taken either.
    fs::remove_file(s.chart().join("charts/sub/templates/svc.yaml")).unwrap();
    let out = stdout(&s.run(&[]));
    assert!(!out.contains("kind: Service"), "{out}");
}
