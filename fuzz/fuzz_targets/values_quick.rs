//! The line-structure reader of values documents against the scanner and
//! parser: whatever document it takes must parse to the very same value
//! (`parse_map_spanned` always takes the general path).
#![no_main]

use chartgen_yaml as y;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(quick) = y::quick_values(data) {
        let general = y::parse_map_spanned(data).map(|s| s.to_value());
        assert_eq!(
            format!("{:?}", Ok::<_, y::Error>(quick)),
            format!("{general:?}"),
            "{:?}",
            String::from_utf8_lossy(data)
        );
    }
});
