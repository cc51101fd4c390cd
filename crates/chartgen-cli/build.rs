//! Embeds the repository's chart (`chart/`, symlinks followed) into the
//! binary, so `chartgen template` without a CHART renders it anywhere, and
//! prepares it: its templates parsed (`gotmpl::compiled`) and its schema
//! made ready for the interpreter (`chartgen_helm::schema::precompile`), its
//! values files read (`chartgen_helm::prepared_values`), so that runs
//! decode them instead (a third of a one-shot render's
//! instructions were parsing them). Runs check that what they decode was
//! prepared from the text they hold, so a chart on disk with the same
//! files uses them too, and any other is parsed as usual.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        // `metadata` follows symlinks (values.schema.json -> ../schema/…).
        let meta = fs::metadata(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if meta.is_dir() {
            collect(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("under root");
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, fs::canonicalize(&path).expect("canonical path")));
        }
    }
}

fn main() {
    link_fixed_address();
    link_hot_code_first();
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let chart = manifest.join("chart");
    let chart = fs::canonicalize(&chart).expect("chart/ exists at the repository root");
    println!("cargo:rerun-if-changed={}", chart.display());
    let mut files = Vec::new();
    collect(&chart, &chart, &mut files);
    // `.helmignore` applied now, as loading the directory would apply it.
    let mut rules = files
        .iter()
        .find(|(name, _)| name == ".helmignore")
        .and_then(|(_, path)| fs::read(path).ok())
        .map(|data| chartgen_helm::ignore::Rules::parse(&data).unwrap_or_else(|_| Rules::empty()))
        .unwrap_or_else(Rules::empty);
    rules.add_defaults();
    files.retain(|(name, _)| !ignored(&rules, name));
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_chart.rs");
    let mut f = fs::File::create(out).expect("create embedded_chart.rs");
    writeln!(
        f,
        "/// The chart's files that `.helmignore` keeps: (path relative to the chart root, content)."
    )
    .unwrap();
    writeln!(f, "pub static FILES: &[(&str, &[u8])] = &[").unwrap();
    for (name, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            f,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
    precompile_templates(&files, &mut f);
    precompile_schemas(&files, &mut f);
    prepare_values(&files, &mut f);
    tree_build_id(&manifest, &mut f);
}

/// Writes `TREE_BUILD_ID`: a hash of the template engine's sources, which
/// decide how a text parses and how trees are encoded. Trees a run keeps
/// for the next (see src/tree_cache.rs) are used only by a build with the
/// same id, so a changed parser never decodes trees its predecessor wrote.
fn tree_build_id(manifest: &Path, f: &mut fs::File) {
    use std::hash::{Hash, Hasher};
    let src = manifest.join("crates/gotmpl/src");
    println!("cargo:rerun-if-changed={}", src.display());
    let mut sources = Vec::new();
    collect(&src, &src, &mut sources);
    let mut hasher = std::hash::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    for (name, path) in &sources {
        name.hash(&mut hasher);
        fs::read(path)
            .expect("read engine source")
            .hash(&mut hasher);
    }
    writeln!(
        f,
        "/// Identifies how this build parses and encodes templates.\npub const TREE_BUILD_ID: u64 = {:#x};",
        hasher.finish()
    )
    .unwrap();
}

/// Prepares the chart's schemas now (see `chartgen_helm::schema::precompile`):
/// writes `SCHEMAS`. A schema the interpreter declines is left out.
fn precompile_schemas(files: &[(String, PathBuf)], f: &mut fs::File) {
    write_prepared(
        files,
        f,
        ("SCHEMAS", "The schemas prepared at build time.", "schema"),
        |name| name == "values.schema.json" || name.ends_with("/values.schema.json"),
        chartgen_helm::schema::precompile,
    );
}

/// Reads the values files of the chart and its sub-charts now (see
/// `chartgen_helm::prepared_values`): writes `VALUES`. A file that cannot
/// be prepared is left out (runs parse it, and report its errors).
fn prepare_values(files: &[(String, PathBuf)], f: &mut fs::File) {
    write_prepared(
        files,
        f,
        ("VALUES", "The values files read at build time.", "values"),
        |name| {
            name == "values.yaml" || (name.starts_with("charts/") && name.ends_with("/values.yaml"))
        },
        chartgen_helm::prepared_values::prepare,
    );
}

/// Writes `pub static NAME: &[&[u8]]`, documented by `doc`: what `prepare`
/// makes of each file `wanted` accepts, kept in OUT_DIR as `STEM-i.bin`
/// (a file it declines is left out).
fn write_prepared(
    files: &[(String, PathBuf)],
    f: &mut fs::File,
    (name, doc, stem): (&str, &str, &str),
    wanted: impl Fn(&str) -> bool,
    prepare: impl Fn(&[u8]) -> Option<Vec<u8>>,
) {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    writeln!(f, "/// {doc}").unwrap();
    writeln!(f, "pub static {name}: &[&[u8]] = &[").unwrap();
    for (i, (file, path)) in files.iter().enumerate() {
        if !wanted(file) {
            continue;
        }
        let Ok(bytes) = fs::read(path) else { continue };
        let Some(prepared) = prepare(&bytes) else {
            continue;
        };
        let out = out_dir.join(format!("{stem}-{i}.bin"));
        fs::write(&out, prepared).expect("write a prepared file");
        writeln!(f, "    include_bytes!({:?}),", out.display().to_string()).unwrap();
    }
    writeln!(f, "];").unwrap();
}

use chartgen_helm::ignore::Rules;

/// A file is skipped when it, or any directory above it, matches a rule.
fn ignored(rules: &Rules, name: &str) -> bool {
    let mut dir_end = 0;
    while let Some(i) = name[dir_end..].find('/') {
        dir_end += i;
        if rules.ignore(&name[..dir_end], true) {
            return true;
        }
        dir_end += 1;
    }
    rules.ignore(name, false)
}

/// Parses the chart's templates now, so that runs decode their trees
/// instead of parsing them (see `gotmpl::compiled`): writes `COMPILED`,
/// (template name as helm names it, encoded trees). A template that does not
/// parse is left out: the run parses it and reports the error. Functions are
/// not checked here (the engine's are not known to this script); decoding
/// checks that every function a template calls exists.
fn precompile_templates(files: &[(String, PathBuf)], f: &mut fs::File) {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let chart_name = files
        .iter()
        .find(|(name, _)| name == "Chart.yaml")
        .and_then(|(_, path)| top_level_name(&fs::read_to_string(path).ok()?));
    writeln!(
        f,
        "/// The templates parsed at build time: (template name, encoded trees)."
    )
    .unwrap();
    writeln!(f, "pub static COMPILED: &[(&str, &[u8])] = &[").unwrap();
    let is_func = |name: &str| gotmpl::builtins::is_builtin(name);
    let options = gotmpl::parse::ParseOptions {
        skip_func_check: true,
        ..Default::default()
    };
    for (i, (name, path)) in files.iter().enumerate() {
        let Some(chart_name) = &chart_name else { break };
        if !is_template_path(name) {
            continue;
        }
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        let full_name = format!("{chart_name}/{name}");
        let text: std::sync::Arc<str> = text.into();
        let Ok(trees) = gotmpl::parse::parse_shared(&full_name, &text, options, &is_func) else {
            continue;
        };
        let Some(encoded) = gotmpl::compiled::encode(&trees, &full_name, &is_func) else {
            continue;
        };
        let out = out_dir.join(format!("compiled-{i}.bin"));
        fs::write(&out, encoded).expect("write encoded trees");
        writeln!(
            f,
            "    ({full_name:?}, include_bytes!({:?})),",
            out.display().to_string()
        )
        .unwrap();
    }
    writeln!(f, "];").unwrap();
}

/// `templates/…` of the chart or of a sub-chart in `charts/NAME/`.
fn is_template_path(name: &str) -> bool {
    let mut rest = name;
    while let Some(sub) = rest.strip_prefix("charts/") {
        match sub.split_once('/') {
            Some((_, after)) => rest = after,
            None => return false,
        }
    }
    rest.starts_with("templates/")
}

/// The `name:` of a Chart.yaml, read as a plain top-level line: a name
/// written otherwise just leaves the templates to be parsed at run time
/// (runs look the trees up by the name the loader gives).
fn top_level_name(chart_yaml: &str) -> Option<String> {
    let value = chart_yaml
        .lines()
        .find_map(|line| line.strip_prefix("name:"))?
        .trim();
    let value = value.trim_matches(|c| c == '"' || c == '\'');
    (!value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
    .then(|| value.to_string())
}

/// Links the binary at a fixed address (not position-independent) on Linux:
/// a position-independent executable has the loader patch some 15,000
/// pointers at every start, faulting in and copying the pages they sit on,
/// about a tenth of a short command's time.
fn link_fixed_address() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

/// Has the linker put the functions listed in `hot-symbols.txt` (written by
/// `scripts/hot-symbols.sh`: what typical commands run, hottest first)
/// together at the start of the code. Spread over the whole 9 MB of code,
/// they made a run map in 6 MB of it (the kernel maps code in blocks around
/// each touched page); packed, about 2 MB: peak RSS 2-4 MB lower, fewer page
/// faults. Names missing from the binary are skipped.
///
/// Only where the link is known to go through LLD, which takes the list:
/// rustc's default on x86-64 Linux since 1.90, unless the flags choose
/// another linker. `CHARTGEN_NO_HOT_SYMBOLS=1` turns it off.
fn link_hot_code_first() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let list = manifest.join("crates/chartgen-cli/hot-symbols.txt");
    println!("cargo:rerun-if-changed={}", list.display());
    println!("cargo:rerun-if-env-changed=CHARTGEN_NO_HOT_SYMBOLS");
    if std::env::var_os("CHARTGEN_NO_HOT_SYMBOLS").is_some_and(|v| v != "0") || !list.is_file() {
        return;
    }
    if std::env::var("TARGET").as_deref() != Ok("x86_64-unknown-linux-gnu") {
        return;
    }
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if ["linker", "link-self-contained", "fuse-ld"]
        .iter()
        .any(|f| flags.contains(f))
        || std::env::var_os("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER").is_some()
    {
        return;
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let minor = std::process::Command::new(rustc)
        .arg("-V")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| v.split_whitespace().nth(1).map(str::to_owned))
        .and_then(|v| v.split('.').nth(1).and_then(|m| m.parse::<u32>().ok()));
    if minor.is_some_and(|m| m >= 90) {
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            list.display()
        );
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}
