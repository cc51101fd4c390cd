//! helm's values-file path (what `-f FILE` does): arbitrary bytes as a user
//! values file, merged by `merge_user_values`, then rendered with a small
//! chart whose defaults, sub-chart, condition, import-values and globals it
//! coalesces with. Any input must give a render or an error, never a
//! panic, a hang or a stack overflow. After a 0 byte, the rest of the input
//! is the chart's own values.yaml.
#![no_main]

use chartgen_helm::action::{LoadedChart, TemplateOptions};
use chartgen_helm::coalesce::Warnings;
use chartgen_helm::loader::{load_files, BufferedFile};
use chartgen_helm::values::{merge_user_values, UserValues};
use libfuzzer_sys::fuzz_target;

const CHART_YAML: &str = "apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n  import-values:\n  - child: exported\n    parent: imported\n";
const DEFAULT_VALUES: &str = "a: 1\nb:\n  c: [1, 2]\n  d: {e: f}\nsub:\n  enabled: true\nglobal:\n  g: 1\n";
const SUB_VALUES: &str = "x: 1\nexported:\n  k: v\nglobal:\n  h: 2\n";
const TEMPLATE: &str = "v: {{ toJson .Values }}\n";
const SUB_TEMPLATE: &str = "s: {{ toJson .Values }}\n";

fn file(name: &str, data: &[u8]) -> BufferedFile {
    BufferedFile {
        name: name.to_string(),
        data: data.to_vec().into(),
    }
}

fuzz_target!(|data: &[u8]| {
    let (user, chart_values) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, DEFAULT_VALUES.as_bytes()),
    };
    let files = vec![
        file("Chart.yaml", CHART_YAML.as_bytes()),
        file("values.yaml", chart_values),
        file("templates/out.yaml", TEMPLATE.as_bytes()),
        file("charts/sub/Chart.yaml", b"apiVersion: v2\nname: sub\nversion: 0.1.0\n"),
        file("charts/sub/values.yaml", SUB_VALUES.as_bytes()),
        file("charts/sub/templates/out.yaml", SUB_TEMPLATE.as_bytes()),
    ];
    let Ok(chart) = load_files(files, "c") else {
        return;
    };
    let mut log = Warnings::new();
    let Ok(loaded) = LoadedChart::from_chart(chart, &mut log) else {
        return;
    };
    let opts = UserValues::new().value_file("-").with_stdin(user);
    let Ok(values) = merge_user_values(&opts) else {
        return;
    };
    let _ = loaded.template(&values, &TemplateOptions::default(), &mut log);
});
