//! The `--set` family (helm's `pkg/strvals` as `MergeValues` drives it):
//! each input line is one flag value, its first character choosing
//! `--set`, `--set-string`, `--set-json`, `--set-literal` or `--set-file`.
//! The first four are merged by `merge_user_values` exactly as the command
//! line does (including `--set-json`'s whole-object form), then the
//! `--set-file` lines are parsed into the result with a fake file reader.
//! Any input must give a map or an error, never a panic, a hang or a stack
//! overflow.
#![no_main]

use chartgen_helm::strvals;
use chartgen_helm::values::{merge_user_values, UserValues};
use gotmpl::{MapEntries, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut user = UserValues::new().with_stdin(Vec::new());
    let mut file_values = Vec::new();
    for line in text.split('\n') {
        let mut chars = line.chars();
        let Some(mode) = chars.next() else { continue };
        let rest = chars.as_str().to_string();
        match mode as u32 % 5 {
            0 => user.values.push(rest),
            1 => user.string_values.push(rest),
            2 => user.json_values.push(rest),
            3 => user.literal_values.push(rest),
            _ => file_values.push(rest),
        }
    }
    let mut dest = match merge_user_values(&user) {
        Ok(Value::Map(m)) => (*m.entries()).clone(),
        _ => MapEntries::new(),
    };
    let mut read_file = |name: &str| -> Result<Value, String> {
        if name.contains('!') {
            Err(format!("open {name}: no such file or directory"))
        } else {
            Ok(Value::from(format!("content of {name}")))
        }
    };
    for v in &file_values {
        let _ = strvals::parse_into_file(v, &mut dest, &mut read_file);
    }
    // The result must be printable as helm prints values.
    let _ = chartgen_yaml::to_json(&Value::map(dest));
});
