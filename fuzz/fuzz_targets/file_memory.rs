//! The blob of chart files kept between runs (`chartgen_helm::file_memory`):
//! any bytes after a valid checksum must decode to a memory or to nothing,
//! and a chart directory loaded with that memory must load as it does
//! without one (the chart's files are never the blob's), never a panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use chartgen_helm::coalesce::Warnings;
use chartgen_helm::file_memory::FileMemory;
use chartgen_helm::loader::load_pending_remembering;
use libfuzzer_sys::fuzz_target;

/// A small chart directory, written once per process.
fn chart() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("chartgen-fuzz-files-{}", std::process::id()));
        for (name, text) in [
            ("Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n"),
            ("values.yaml", "a: 1\n"),
            ("templates/a.yaml", "a: {{ .Values.a }}\n"),
            ("files/f.txt", "f"),
        ] {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    })
}

fn names(memory: Option<&FileMemory>) -> Vec<(String, Vec<u8>)> {
    let pending = load_pending_remembering(chart(), &mut Warnings::new(), &|_| None, memory);
    let chart = pending.unwrap().finish().unwrap();
    let mut files: Vec<_> = chart
        .templates
        .iter()
        .chain(&chart.files)
        .map(|f| (f.name.clone(), f.data.to_vec()))
        .collect();
    files.sort();
    files
}

fuzz_target!(|body: &[u8]| {
    let memory = FileMemory::new(Some(FileMemory::checksummed(body)));
    let _ = memory.len();
    assert_eq!(names(Some(&memory)), names(None));
    let _ = memory.update();
});
