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

/// One random edit of `doc`: a character deleted, a line indented,
/// dedented or repeated, a space made a tab, or one of `inserts` inserted.
pub fn mutate(r: &mut Rng, doc: &mut Vec<u8>, inserts: &[&str]) {
    let at = if doc.is_empty() {
        0
    } else {
        r.below(doc.len() as u64 + 1) as usize
    };
    let line_start = doc[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    match r.below(8) {
        0 | 1 if at < doc.len() => {
            doc.remove(at);
        }
        2 => {
            // Indent or dedent the line.
            if r.below(2) == 0 {
                let n = 1 + r.below(3) as usize;
                doc.splice(line_start..line_start, std::iter::repeat_n(b' ', n));
            } else if doc.get(line_start) == Some(&b' ') {
                doc.remove(line_start);
            }
        }
        3 => {
            // Repeat the line.
            let end = doc[at..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(doc.len(), |p| at + p + 1);
            let line = doc[line_start..end].to_vec();
            doc.splice(line_start..line_start, line);
        }
        4 if doc.get(at) == Some(&b' ') => doc[at] = b'\t',
        _ => {
            let s = r.pick(inserts).as_bytes().to_vec();
            doc.splice(at..at, s);
        }
    }
}
