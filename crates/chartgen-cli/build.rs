//! Embeds the repository's chart (`chart/`, symlinks followed) into the
//! binary, so `chartgen template` without a CHART renders it anywhere.

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
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let chart = manifest.join("chart");
    let chart = fs::canonicalize(&chart).expect("chart/ exists at the repository root");
    println!("cargo:rerun-if-changed={}", chart.display());
    let mut files = Vec::new();
    collect(&chart, &chart, &mut files);
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_chart.rs");
    let mut f = fs::File::create(out).expect("create embedded_chart.rs");
    writeln!(
        f,
        "/// The chart's files: (path relative to the chart root, content)."
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
