//! Templates parsed ahead of time (`gotmpl::compiled`): for any template
//! that parses, its trees encoded and decoded are the parsed trees (lone
//! literal actions decoded as text, `compiled::decoded_form`); and
//! decoding any bytes (the input itself, or an encoding with a byte
//! changed) gives trees or `None`, never a panic or a hang.
#![no_main]

use std::sync::Arc;

use gotmpl::compiled::{decode, encode};
use gotmpl::parse::{parse_shared, ParseOptions};
use libfuzzer_sys::fuzz_target;

fn is_func(name: &str) -> bool {
    gotmpl::builtins::is_builtin(name) || matches!(name, "include" | "toYaml" | "quote" | "default")
}

fuzz_target!(|input: &[u8]| {
    let text: Arc<str> = gotmpl::gostr::marked(input).into_owned().into();
    // Printing decodes the lists decoding left for later.
    let _ = decode(input.to_vec(), "t", &text, &is_func).map(|t| format!("{t:?}"));
    let Ok(trees) = parse_shared("t", &text, ParseOptions::default(), &is_func) else {
        return;
    };
    let Some(bytes) = encode(&trees, "t", &is_func) else {
        return;
    };
    let back = decode(bytes.clone(), "t", &text, &is_func).expect("an encoding decodes");
    let want: Vec<_> = trees.iter().map(gotmpl::compiled::decoded_form).collect();
    assert_eq!(format!("{back:?}"), format!("{want:?}"));
    if !bytes.is_empty() {
        let mut damaged = bytes.clone();
        let i = input.len() % damaged.len();
        damaged[i] ^= input.first().copied().unwrap_or(1) | 1;
        let _ = decode(damaged, "t", &text, &is_func).map(|t| format!("{t:?}"));
    }
});
