//! A recognizer for the common shape of rendered manifests, so that their
//! heads are read without running the scanner and parser over every byte:
//! a block mapping at column 0 of block mappings and sequences whose keys
//! are plain or quoted (without escapes) and whose scalars are plain on one
//! line, quoted (without `\x`/`\u`/`\U` escapes), `|`/`>` block scalars
//! without an indentation digit, `[]`, `{}` or one-line flow sequences of
//! simple scalars; printable ASCII and `\n` only.
//!
//! Soundness: it accepts a subset of what goyaml v2 parses and decodes and
//! sigs.k8s.io/yaml converts without error. Each construct it accepts is
//! checked with goyaml's own rules for it (where a plain scalar may start
//! and stop, when a block scalar's indentation ends it, which lines
//! continue a plain scalar, where document markers are errors, the simple
//! key length limit), keys and values with the very tests the filtered
//! decoder uses ([`plain_key_safe`], [`plain_value_safe`]), and anything
//! else — tabs, `\r`, non-ASCII, document markers, directives, anchors,
//! aliases, tags, complex keys, multi-line plain scalars, flow mappings,
//! lines indented other than the block structure allows — answers `None`
//! and the caller takes the full path. In that subset the block structure
//! follows from the lines' indentation alone, so the document's entries
//! (and those of a mapping below one) are runs of whole lines that decode
//! alike on their own. tests/quick_subset.rs compares the outcome with the
//! full path on rendered manifests, generated documents and mutations.
//!
//! [`decode_document`] reads whole values documents the same way (the
//! plain path's first step): the recognizer's structure, with one-line
//! scalars decoded on the spot and the entries it only delimits (block
//! scalars, flow collections, quoted scalars with escapes or over several
//! lines, plain scalars over several lines) handed to the scanner and
//! parser one by one; non-ASCII characters that change no structure are
//! allowed there. tests/quick_values.rs compares it with the full path.

use crate::decode::{plain_key_safe, plain_value_safe};

/// How deep collections may nest before the recognizer gives up (the full
/// parser has far higher limits; real manifests stay well below).
const MAX_DEPTH: usize = 64;

/// The longest key accepted: goyaml drops a simple key candidate more than
/// 1024 characters before its `:` (and fails if it was required).
const MAX_KEY: usize = 512;

/// A mapping key: its text, plain or quoted (without escapes).
#[derive(Clone, Copy)]
pub(crate) struct Key<'a> {
    pub text: &'a str,
    pub quoted: bool,
    /// The offset past the key as written (past its closing quote).
    pub end: usize,
}

/// A top-level entry of a document in the subset.
pub(crate) struct TopEntry<'a> {
    pub key: Key<'a>,
    /// Where its line starts; the entry runs to the next one's line (or
    /// the end of the input).
    pub line: usize,
    /// When its value is a block mapping on the lines below: where that
    /// mapping's first key line starts, and its entries likewise.
    pub sub: Option<(usize, Vec<(Key<'a>, usize)>)>,
}

/// The top-level entries of a document in the subset, in order; `None`
/// when the document is not certainly in the subset.
pub(crate) fn top_entries(t: &[u8]) -> Option<Vec<TopEntry<'_>>> {
    // Printable ASCII and line feeds only (tabs, `\r`, control characters,
    // non-ASCII and a BOM all fall back).
    let mut bad = 0u8;
    for chunk in t.chunks(64) {
        for &b in chunk {
            bad |= u8::from(!(0x20..0x7F).contains(&b) && b != b'\n');
        }
        if bad != 0 {
            return None;
        }
    }
    let text = std::str::from_utf8(t).ok()?;
    let mut q = Quick {
        t,
        text,
        pos: 0,
        cur: None,
        depth: 0,
        top: Vec::new(),
    };
    q.set_pos(0);
    q.skip_ignorable();
    let line = q.line()?;
    if line.col != 0 {
        return None;
    }
    q.mapping(0, line.start, Level::Top)?;
    if q.pos < t.len() {
        return None;
    }
    Some(q.top)
}

/// Which mapping is being read: the document's, a direct child of one of
/// its entries, or another.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Top,
    Child,
    Other,
}

#[derive(Clone, Copy)]
struct Line {
    /// Offset of the line's first byte.
    start: usize,
    /// Its indentation (leading spaces).
    col: usize,
    /// Offset of its `\n` (or the end of the input).
    end: usize,
}

struct Quick<'a> {
    t: &'a [u8],
    /// `t` as text (all ASCII).
    text: &'a str,
    /// Between nodes: the start of the next line to read.
    pos: usize,
    /// The line at `pos`.
    cur: Option<Line>,
    depth: usize,
    top: Vec<TopEntry<'a>>,
}

/// The byte at `p`; past the end, a line feed (the end of the input ends
/// a line, and is blank where goyaml asks).
fn byte(t: &[u8], p: usize) -> u8 {
    t.get(p).copied().unwrap_or(b'\n')
}

/// Whether a `-` at `p` is a block entry indicator (a blank or line end
/// follows: `\n` also stands for the end of the input).
fn is_entry(t: &[u8], p: usize) -> bool {
    byte(t, p) == b'-' && matches!(byte(t, p + 1), b' ' | b'\n')
}

/// Whether the byte at `p` can start a plain scalar in block context
/// (goyaml's rule without the `?`/`:` cases, which fall back).
fn plain_start(t: &[u8], p: usize) -> bool {
    match byte(t, p) {
        b'-' => !matches!(byte(t, p + 1), b' ' | b'\n'),
        b' ' | b'\n' | b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*'
        | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' => false,
        _ => true,
    }
}

/// Where a plain scalar starting at `p` (on a line ending at `end`) stops
/// in block context: at `: `/`:` + line end (a key), at ` #` (a comment)
/// or at the line end. Returns the end of its text (trailing spaces
/// excluded) and whether a `:` indicator follows.
fn plain_end(t: &[u8], p: usize, end: usize) -> (usize, bool) {
    let line = &t[p..end];
    let mut from = 0;
    // Lines are short: a plain loop beats a vectorized search's setup.
    while let Some(i) = line[from..].iter().position(|&b| b == b':' || b == b'#') {
        let at = from + i;
        if line[at] == b':' {
            if matches!(byte(line, at + 1), b' ' | b'\n') {
                return (p + at, true);
            }
        } else if at > 0 && line[at - 1] == b' ' {
            return (p + trim_end(line, at), false);
        }
        from = at + 1;
    }
    (p + trim_end(line, line.len()), false)
}

/// Where a key's text is, whether quoted, and where its `:` is.
struct KeyAt {
    from: usize,
    to: usize,
    quoted: bool,
    colon: usize,
}

/// The mapping key starting at `p` on a line ending at `end`, if it is one:
/// a plain scalar ended by `: ` (or `:` at the line end), or a quoted one
/// without escapes directly followed by that.
fn key_at(t: &[u8], p: usize, end: usize) -> Option<KeyAt> {
    match byte(t, p) {
        q @ (b'"' | b'\'') => {
            let stop: &[u8] = if q == b'"' { b"\"\\" } else { b"'" };
            let close = p + 1 + t[p + 1..end].iter().position(|b| stop.contains(b))?;
            let colon = close + 1;
            (t[close] == q && byte(t, colon) == b':' && matches!(byte(t, colon + 1), b' ' | b'\n'))
                .then_some(KeyAt {
                    from: p + 1,
                    to: close,
                    quoted: true,
                    colon,
                })
        }
        _ if plain_start(t, p) => match plain_end(t, p, end) {
            (to, true) if to > p => Some(KeyAt {
                from: p,
                to,
                quoted: false,
                colon: to,
            }),
            _ => None,
        },
        _ => None,
    }
}

/// `to` less the spaces before it.
fn trim_end(s: &[u8], mut to: usize) -> usize {
    while to > 0 && s[to - 1] == b' ' {
        to -= 1;
    }
    to
}

impl<'a> Quick<'a> {
    /// The line at `pos` (`None` at the end of the input).
    #[inline]
    fn line(&self) -> Option<Line> {
        self.cur
    }

    /// Move to the line starting at `pos`.
    fn set_pos(&mut self, pos: usize) {
        let t = self.t;
        self.pos = pos;
        self.cur = t.get(pos..).filter(|r| !r.is_empty()).map(|rest| {
            let end = pos + memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            let col = rest.iter().take_while(|&&b| b == b' ').count();
            Line {
                start: pos,
                col,
                end,
            }
        });
    }

    fn str(&self, from: usize, to: usize) -> Option<&'a str> {
        self.text.get(from..to)
    }

    /// Skip lines that hold only spaces or a comment (goyaml skips them
    /// between tokens at any indentation).
    fn skip_ignorable(&mut self) {
        while let Some(l) = self.line() {
            let c = byte(self.t, l.start + l.col);
            if l.start + l.col < l.end && c != b'#' {
                return;
            }
            self.set_pos(l.end + 1);
        }
    }

    /// After a node: past its line and the ignorable lines after it.
    fn next_line(&mut self, end: usize) {
        self.set_pos(end + 1);
        self.skip_ignorable();
    }

    /// The key of a mapping entry at `p` on `line`, in a mapping at column
    /// `n`: `None` for a document marker at column 0, a line that holds no
    /// key, a key too long, or a plain key `plain_ok` refuses.
    fn entry_key(
        &self,
        n: usize,
        p: usize,
        line: Line,
        plain_ok: fn(&str) -> bool,
    ) -> Option<(KeyAt, &'a str)> {
        let t = self.t;
        if n == 0
            && (t[p..].starts_with(b"---") || t[p..].starts_with(b"..."))
            && matches!(byte(t, p + 3), b' ' | b'\n')
        {
            return None;
        }
        let k = key_at(t, p, line.end)?;
        if k.to - k.from > MAX_KEY {
            return None;
        }
        let key = self.str(k.from, k.to)?;
        if !k.quoted && (byte(t, k.to - 1) == b' ' || !plain_ok(key)) {
            return None;
        }
        Some((k, key))
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// A block mapping at column `n` whose first key starts at `p` (on the
    /// line at `pos`); the document's and its children record their
    /// entries. Returns at the first line (or the end) indented less than `n`.
    fn mapping(&mut self, n: usize, mut p: usize, level: Level) -> Option<()> {
        self.enter()?;
        if level == Level::Child {
            let last = self.top.last_mut()?;
            last.sub = Some((self.cur?.start, Vec::new()));
        }
        loop {
            let line = self.line()?;
            let (k, key) = self.entry_key(n, p, line, plain_key_safe)?;
            let key = Key {
                text: key,
                quoted: k.quoted,
                end: k.colon,
            };
            match level {
                Level::Top => self.top.push(TopEntry {
                    key,
                    line: line.start,
                    sub: None,
                }),
                Level::Child => {
                    if let Some((_, sub)) = &mut self.top.last_mut()?.sub {
                        sub.push((key, line.start));
                    }
                }
                Level::Other => {}
            }
            let key_end = k.colon;
            let child = if level == Level::Top {
                Level::Child
            } else {
                Level::Other
            };
            self.value(key_end + 1, line, n, Some(child))?;
            match self.line() {
                None => break,
                Some(l) if l.col < n => break,
                Some(l) if l.col == n && !is_entry(self.t, l.start + l.col) => {
                    p = l.start + n;
                }
                Some(_) => return None,
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// The value after a key's `:` or an entry's `-` at `q` on `line`, in a
    /// block collection at column `n` (goyaml's current indentation);
    /// `in_map` (the level of a mapping below) when a mapping's, which
    /// allows an indentless sequence on the lines below. Leaves `pos` at
    /// the next line that is not ignorable.
    fn value(&mut self, q: usize, line: Line, n: usize, in_map: Option<Level>) -> Option<()> {
        let t = self.t;
        let mut v = q;
        while byte(t, v) == b' ' {
            v += 1;
        }
        if v >= line.end || (byte(t, v) == b'#' && v > q) {
            // The value is on the lines below, if any.
            self.next_line(line.end);
            let Some(l) = self.line() else {
                return Some(());
            };
            let at = l.start + l.col;
            if l.col > n {
                return if is_entry(t, at) {
                    self.sequence(l.col)
                } else if key_at(t, at, l.end).is_some() {
                    self.mapping(l.col, at, in_map.unwrap_or(Level::Other))
                } else {
                    self.scalar(at, l, n)
                };
            }
            if in_map.is_some() && l.col == n && is_entry(t, at) {
                return self.sequence(n);
            }
            return Some(());
        }
        if v == q {
            return None;
        }
        match byte(t, v) {
            b'|' | b'>' => self.block_scalar(v, line, n),
            _ if in_map.is_none() && key_at(t, v, line.end).is_some() => {
                // `- key: value`: a mapping at the key's column.
                let col = v - line.start;
                self.mapping(col, v, Level::Other)
            }
            _ => self.scalar(v, line, n),
        }
    }

    /// A node that ends on its line, starting at `v`: a quoted or plain
    /// scalar, `[]`, `{}` or a flow sequence of scalars.
    fn scalar(&mut self, v: usize, line: Line, n: usize) -> Option<()> {
        let t = self.t;
        match byte(t, v) {
            b'"' | b'\'' => {
                // It may span lines, none of which starts with a document
                // marker (goyaml has no indentation rule for them).
                let e = quoted_end(t, v, t.len())?;
                let mut line = line;
                if e > line.end {
                    let inside = &t[line.end..e];
                    for nl in memchr::memchr_iter(b'\n', inside) {
                        let at = line.end + nl + 1;
                        let marker = t[at..].starts_with(b"---") || t[at..].starts_with(b"...");
                        if marker && matches!(byte(t, at + 3), b' ' | b'\n') {
                            return None;
                        }
                    }
                    let last = line.end + memchr::memrchr(b'\n', inside)? + 1;
                    self.set_pos(last);
                    line = self.line()?;
                }
                self.line_end(e, line)?;
            }
            b'[' => {
                let e = flow_sequence_end(t, v, line.end)?;
                self.line_end(e, line)?;
            }
            b'{' if byte(t, v + 1) == b'}' => self.line_end(v + 2, line)?,
            _ if plain_start(t, v) => {
                let (e, is_key) = plain_end(t, v, line.end);
                let text = self.str(v, e)?;
                if is_key || !plain_value_safe(text) {
                    return None;
                }
                self.next_line(line.end);
            }
            _ => return None,
        }
        // A node on the lines below must not be more indented than the
        // collection (it would continue a plain scalar or be an error).
        match self.line() {
            Some(l) if l.col > n => None,
            _ => Some(()),
        }
    }

    /// After a one-line node ending at `e`: only spaces and a comment may
    /// follow on its line.
    fn line_end(&mut self, e: usize, line: Line) -> Option<()> {
        let t = self.t;
        let mut p = e;
        while byte(t, p) == b' ' {
            p += 1;
        }
        if p < line.end && byte(t, p) != b'#' {
            return None;
        }
        self.next_line(line.end);
        Some(())
    }

    /// A block sequence at column `m` (its first `-` on the line at `pos`).
    fn sequence(&mut self, m: usize) -> Option<()> {
        self.enter()?;
        loop {
            let line = self.line()?;
            let at = line.start + m;
            if !is_entry(self.t, at) {
                return None;
            }
            self.value(at + 1, line, m, None)?;
            match self.line() {
                None => break,
                Some(l) if l.col < m => break,
                Some(l) if l.col == m => {
                    if !is_entry(self.t, l.start + m) {
                        // The next key of the mapping this indentless
                        // sequence is a value of (or an error, which the
                        // caller sees).
                        break;
                    }
                }
                Some(_) => return None,
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// A `|` or `>` block scalar whose indicator is at `v`, in a collection
    /// at column `n`: goyaml's header, indentation and end rules.
    fn block_scalar(&mut self, v: usize, line: Line, n: usize) -> Option<()> {
        let t = self.t;
        let mut p = v + 1;
        if matches!(byte(t, p), b'+' | b'-') {
            p += 1;
        }
        // Blanks, then a comment or the line end (an explicit indentation
        // digit falls back).
        while byte(t, p) == b' ' {
            p += 1;
        }
        if p < line.end && byte(t, p) != b'#' {
            return None;
        }
        self.set_pos(line.end + 1);
        // The leading empty lines and the first text line set the
        // indentation: the deepest of them, at least `n + 1`.
        let mut max_indent = 0;
        let mut first: Option<Line> = None;
        while let Some(l) = self.line() {
            max_indent = max_indent.max(l.col);
            if l.start + l.col < l.end {
                first = Some(l);
                break;
            }
            self.set_pos(l.end + 1);
        }
        let indent = max_indent.max(n + 1);
        let Some(first) = first else {
            return Some(());
        };
        if first.col < indent {
            // Empty scalar; the line is the next token.
            return self.after_block_scalar(n);
        }
        // Text lines (indented at least `indent`) and empty lines.
        while let Some(l) = self.line() {
            if l.col < indent && l.start + l.col < l.end {
                break;
            }
            self.set_pos(l.end + 1);
        }
        self.after_block_scalar(n)
    }

    fn after_block_scalar(&mut self, n: usize) -> Option<()> {
        self.skip_ignorable();
        match self.line() {
            Some(l) if l.col > n => None,
            _ => Some(()),
        }
    }
}

/// The end (past the closing quote) of a quoted scalar starting at `v`
/// that closes before `end`, with only one-character escapes (and escaped
/// line breaks).
fn quoted_end(t: &[u8], v: usize, end: usize) -> Option<usize> {
    let quote = t[v];
    let mut p = v + 1;
    loop {
        let rest = t.get(p..end)?;
        let i = if quote == b'"' {
            memchr::memchr2(b'"', b'\\', rest)?
        } else {
            memchr::memchr(b'\'', rest)?
        };
        p += i;
        match (t[p], quote) {
            (b'\\', _) => {
                // goyaml's one-character escapes (`\x`, `\u` and `\U`
                // fall back).
                if !matches!(
                    byte(t, p + 1),
                    b'\n'
                        | b'0'
                        | b'a'
                        | b'b'
                        | b't'
                        | b'n'
                        | b'v'
                        | b'f'
                        | b'r'
                        | b'e'
                        | b' '
                        | b'"'
                        | b'\''
                        | b'\\'
                        | b'N'
                        | b'_'
                        | b'L'
                        | b'P'
                ) || p + 1 >= end
                {
                    return None;
                }
                p += 2;
            }
            (b'\'', b'\'') if p + 1 < end && t[p + 1] == b'\'' => p += 2,
            _ => return Some(p + 1),
        }
    }
}

/// The end (past `]`) of a one-line flow sequence at `v` of quoted scalars
/// and simple plain ones (letters, digits, `.`, `_`, `/`, `-`, starting
/// with a letter or digit).
fn flow_sequence_end(t: &[u8], v: usize, end: usize) -> Option<usize> {
    let mut p = v + 1;
    let skip = |mut p: usize| {
        while byte(t, p) == b' ' {
            p += 1;
        }
        p
    };
    p = skip(p);
    if byte(t, p) == b']' {
        return Some(p + 1);
    }
    loop {
        p = match byte(t, p) {
            b'"' | b'\'' => quoted_end(t, p, end)?,
            b if b.is_ascii_alphanumeric() => {
                let run = t[p..end]
                    .iter()
                    .take_while(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'/' | b'-')
                    })
                    .count();
                p + run
            }
            _ => return None,
        };
        p = skip(p);
        match byte(t, p) {
            b']' if p < end => return Some(p + 1),
            b',' if p < end => p = skip(p + 1),
            _ => return None,
        }
    }
}

/// The value of a document in the subset, decoded and converted as
/// [`crate::decode::plain_value`] converts it (numbers as floats, no
/// tags, anchors, merge keys or non-string keys): `Some(None)` for a
/// document with no node (null), `None` when the document is not
/// certainly in the subset or holds what the plain path refuses. The
/// recognizer above decides the structure; scalars on one line become
/// values here, and the rare entries it accepts but this does not decode
/// (block scalars, flow sequences, quoted scalars with escapes or over
/// several lines) are decoded on their own by the plain path, their lines
/// moved left by the entry's column (in the subset they decode alike).
pub(crate) fn decode_document(t: &[u8]) -> Option<Option<gotmpl::Value>> {
    let mut bad = 0u8;
    let mut wide = 0u8;
    for chunk in t.chunks(64) {
        for &b in chunk {
            bad |= u8::from(b < 0x20 && b != b'\n' || b == 0x7F);
            wide |= b & 0x80;
        }
        if bad != 0 {
            return None;
        }
    }
    let text = std::str::from_utf8(t).ok()?;
    if wide != 0 && !text.chars().all(plain_wide_char) {
        return None;
    }
    let mut q = Quick {
        t,
        text,
        pos: 0,
        cur: None,
        depth: 0,
        top: Vec::new(),
    };
    q.set_pos(0);
    q.skip_ignorable();
    let Some(line) = q.line() else {
        return Some(None);
    };
    if line.col != 0 {
        return None;
    }
    let v = q.decode_mapping(0, line.start)?;
    if q.pos < t.len() {
        return None;
    }
    Some(Some(v))
}

/// Whether a character is ASCII, or one goyaml reads as any other
/// printable character: not a line break (NEL, LS, PS), a byte order mark,
/// a C1 control or a non-character. Such characters only occur inside
/// scalars and comments, where they change no structure (indentation is
/// made of spaces, and columns are only taken of ASCII positions).
fn plain_wide_char(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{A0}'..='\u{2027}' | '\u{202A}'..='\u{D7FF}' | '\u{E000}'..='\u{FEFE}' | '\u{FF00}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether a plain key is a string to goyaml (the plain path refuses
/// other keys: they are stringified, and may collide).
fn plain_key_is_string(key: &str) -> bool {
    key != "<<"
        && matches!(
            crate::resolve::resolve("", key),
            Ok((_, crate::resolve::Resolved::Str))
        )
}

impl Quick<'_> {
    /// [`Quick::mapping`], building the mapping's value.
    fn decode_mapping(&mut self, n: usize, mut p: usize) -> Option<gotmpl::Value> {
        self.enter()?;
        let mut entries = gotmpl::MapEntries::new();
        loop {
            let line = self.line()?;
            let (k, key) = self.entry_key(n, p, line, plain_key_is_string)?;
            let value = self.decode_value(k.colon + 1, line, n, true, p)?;
            entries.insert(gotmpl::Str::from(key), value);
            match self.line() {
                None => break,
                Some(l) if l.col < n => break,
                Some(l) if l.col == n && !is_entry(self.t, l.start + l.col) => {
                    p = l.start + n;
                }
                Some(_) => return None,
            }
        }
        self.depth -= 1;
        Some(gotmpl::Value::map(entries))
    }

    /// [`Quick::sequence`], building the sequence's value.
    fn decode_sequence(&mut self, m: usize) -> Option<gotmpl::Value> {
        self.enter()?;
        let mut items = Vec::new();
        loop {
            let line = self.line()?;
            let at = line.start + m;
            if !is_entry(self.t, at) {
                return None;
            }
            items.push(self.decode_value(at + 1, line, m, false, at)?);
            match self.line() {
                None => break,
                Some(l) if l.col < m => break,
                Some(l) if l.col == m => {
                    if !is_entry(self.t, l.start + m) {
                        break;
                    }
                }
                Some(_) => return None,
            }
        }
        self.depth -= 1;
        Some(gotmpl::Value::grown_list(items))
    }

    /// [`Quick::value`], building the value. `entry` is where the key or
    /// the `-` of the entry this value belongs to starts (at column `n`).
    fn decode_value(
        &mut self,
        q: usize,
        line: Line,
        n: usize,
        in_map: bool,
        entry: usize,
    ) -> Option<gotmpl::Value> {
        let t = self.t;
        let mut v = q;
        while byte(t, v) == b' ' {
            v += 1;
        }
        if v >= line.end || (byte(t, v) == b'#' && v > q) {
            self.next_line(line.end);
            let Some(l) = self.line() else {
                return Some(gotmpl::Value::Nil);
            };
            let at = l.start + l.col;
            if l.col > n {
                return if is_entry(t, at) {
                    self.decode_sequence(l.col)
                } else if key_at(t, at, l.end).is_some() {
                    self.decode_mapping(l.col, at)
                } else {
                    self.decode_scalar(at, l, n, entry, line)
                };
            }
            if in_map && l.col == n && is_entry(t, at) {
                return self.decode_sequence(n);
            }
            return Some(gotmpl::Value::Nil);
        }
        if v == q {
            return None;
        }
        match byte(t, v) {
            b'|' | b'>' => {
                self.block_scalar(v, line, n)?;
                self.decode_alone(entry, line, in_map)
            }
            _ if !in_map && key_at(t, v, line.end).is_some() => {
                let col = v - line.start;
                self.decode_mapping(col, v)
            }
            _ => self.decode_scalar(v, line, n, entry, line),
        }
    }

    /// [`Quick::scalar`] at `v` on `line`, building the value; `first` is
    /// the line of the entry (`entry`) it belongs to.
    fn decode_scalar(
        &mut self,
        v: usize,
        line: Line,
        n: usize,
        entry: usize,
        first: Line,
    ) -> Option<gotmpl::Value> {
        let t = self.t;
        let in_map = !is_entry(t, entry);
        let value = match byte(t, v) {
            q @ (b'"' | b'\'') => {
                let e = quoted_end(t, v, t.len())?;
                let inner = &t[v + 1..e - 1];
                if e > line.end || (q == b'"' && inner.contains(&b'\\')) {
                    self.scalar(v, line, n)?;
                    return self.decode_alone(entry, first, in_map);
                }
                let inner = self.str(v + 1, e - 1)?;
                let value = if q == b'\'' && inner.contains("''") {
                    gotmpl::Value::string(inner.replace("''", "'").as_str())
                } else {
                    gotmpl::Value::string(inner)
                };
                self.line_end(e, line)?;
                value
            }
            b'[' | b'{' => {
                let close = if t[v] == b'[' { b']' } else { b'}' };
                let mut e = v + 1;
                while byte(t, e) == b' ' {
                    e += 1;
                }
                if byte(t, e) == close && e < line.end {
                    self.line_end(e + 1, line)?;
                    if close == b']' {
                        gotmpl::Value::list(Vec::new())
                    } else {
                        gotmpl::Value::map(gotmpl::MapEntries::new())
                    }
                } else {
                    // A flow collection on its line (one that goes on
                    // below is more indented, which ends it here).
                    self.next_line(line.end);
                    return self.decode_alone_below(entry, first, in_map, n);
                }
            }
            _ if plain_start(t, v) => {
                let (e, is_key) = plain_end(t, v, line.end);
                let text = self.str(v, e)?;
                if is_key || !plain_value_safe(text) {
                    return None;
                }
                self.next_line(line.end);
                if self.line().is_some_and(|l| l.col > n) {
                    // A plain scalar going on over more indented lines.
                    return self.decode_alone_below(entry, first, in_map, n);
                }
                crate::decode::plain_scalar(text)?
            }
            _ => return None,
        };
        match self.line() {
            Some(l) if l.col > n => None,
            _ => Some(value),
        }
    }

    /// [`Quick::decode_alone`] for an entry whose value goes on over the
    /// lines below `pos` indented more than `n` (with the ignorable lines
    /// among them): past those first.
    fn decode_alone_below(
        &mut self,
        entry: usize,
        first: Line,
        in_map: bool,
        n: usize,
    ) -> Option<gotmpl::Value> {
        while let Some(l) = self.line() {
            if l.col <= n {
                break;
            }
            self.next_line(l.end);
        }
        self.decode_alone(entry, first, in_map)
    }

    /// The value of the entry starting at `entry` (its key, or its `-`),
    /// on `first` and the lines up to `pos`, which the recognizer has just
    /// passed: decoded on its own by the plain path, the lines after the
    /// first moved left by the entry's column.
    fn decode_alone(&self, entry: usize, first: Line, in_map: bool) -> Option<gotmpl::Value> {
        let t = self.t;
        let col = entry - first.start;
        let end = self.pos.min(t.len());
        let mut doc = Vec::with_capacity(end.saturating_sub(entry) + 1);
        // Line breaks as in the input (the last line may have none, which
        // a block scalar's chomping sees).
        let first_end = (first.end + 1).min(t.len());
        doc.extend_from_slice(&t[entry..first_end]);
        let mut p = first_end;
        while p < end {
            let line_end = memchr::memchr(b'\n', &t[p..end]).map_or(end, |i| p + i + 1);
            let line = &t[p..line_end];
            let spaces = line.iter().take(col).take_while(|&&b| b == b' ').count();
            doc.extend_from_slice(&line[spaces..]);
            p = line_end;
        }
        let target = if in_map {
            crate::Target::Map
        } else {
            crate::Target::Array
        };
        let value = crate::decode::plain_value_parsed(&doc, target)?;
        if let gotmpl::Value::Map(m) = &value {
            let entries = m.entries_unobserved();
            let mut values = entries.values();
            let v = values.next()?.clone();
            return values.next().is_none().then_some(v);
        }
        match value.as_list()? {
            [item] => Some(item.clone()),
            _ => None,
        }
    }
}
