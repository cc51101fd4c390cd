//! A chart's own files as the loader decodes them: the input, split on 0
//! bytes, gives Chart.yaml, requirements.yaml, Chart.lock,
//! requirements.lock, values.yaml and a sub-chart's Chart.yaml (a missing
//! part is no file). A loaded chart then goes through helm's install
//! checks and dependency processing. Any input must give a chart or an
//! error, never a panic, a hang or a stack overflow.
#![no_main]

use chartgen_helm::chart::FileData;
use chartgen_helm::deps;
use chartgen_helm::loader::{load_files, BufferedFile};
use gotmpl::{MapEntries, Value};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 6] = [
    "Chart.yaml",
    "requirements.yaml",
    "Chart.lock",
    "requirements.lock",
    "values.yaml",
    "charts/s/Chart.yaml",
];

fuzz_target!(|data: &[u8]| {
    let files: Vec<BufferedFile> = data
        .split(|&b| b == 0)
        .zip(NAMES)
        .filter(|(part, _)| !part.is_empty())
        .map(|(part, name)| BufferedFile {
            name: name.to_string(),
            data: FileData::from(part.to_vec()),
        })
        .collect();
    let Ok(mut chart) = load_files(files, "c") else {
        return;
    };
    let _ = deps::check_dependencies(&chart);
    let _ = deps::process_dependencies(&mut chart, &Value::map(MapEntries::new()));
});
