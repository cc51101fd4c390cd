//! Shared by the generated-input tests: a small deterministic generator
//! (xorshift64), so that every run checks the same inputs.

#![allow(dead_code)]

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// The golden outputs helm rendered for our chart (fixtures/golden), sorted.
pub fn golden_files() -> Vec<std::path::PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/golden");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures/golden")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}
