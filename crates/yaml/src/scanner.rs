//! YAML 1.1 tokenizer with goyaml v2's behaviour: the same tokens, the same
//! error problems and the same marks (0-based line, 0-based column counted in
//! characters, character index).

use std::borrow::Cow;
use std::collections::VecDeque;

/// A position in the decoded input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    /// Character index.
    pub index: usize,
    /// 0-based line.
    pub line: usize,
    /// 0-based column, in characters.
    pub column: usize,
}

/// Which stage raised an error: it decides how goyaml prints the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorStage {
    Reader,
    Scanner,
    Parser,
}

/// A low-level syntax error, before goyaml's formatting.
#[derive(Clone, Debug)]
pub struct SyntaxError {
    pub stage: ErrorStage,
    pub problem: String,
    pub problem_mark: Mark,
    pub context_mark: Mark,
}

impl SyntaxError {
    /// goyaml's `parser.fail()` text, without the `yaml: ` prefix.
    pub fn go_message(&self) -> String {
        let mut line = 0;
        if self.problem_mark.line != 0 {
            line = self.problem_mark.line;
            if self.stage == ErrorStage::Scanner {
                line += 1;
            }
        } else if self.context_mark.line != 0 {
            line = self.context_mark.line;
        }
        let msg = if self.problem.is_empty() {
            "unknown problem parsing YAML content"
        } else {
            &self.problem
        };
        if line != 0 {
            format!("line {line}: {msg}")
        } else {
            msg.to_string()
        }
    }
}

/// Errors are boxed: results stay small on the hot paths that never fail.
pub type SResult<T> = Result<T, Box<SyntaxError>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind<'a> {
    StreamStart,
    StreamEnd,
    VersionDirective(i32, i32),
    TagDirective(String, String),
    DocumentStart,
    DocumentEnd,
    BlockSequenceStart,
    BlockMappingStart,
    BlockEnd,
    FlowSequenceStart,
    FlowSequenceEnd,
    FlowMappingStart,
    FlowMappingEnd,
    BlockEntry,
    FlowEntry,
    Key,
    Value,
    Alias(String),
    Anchor(String),
    Tag(String, String),
    /// The text, borrowed from the input when it is a slice of it.
    Scalar(Cow<'a, str>, ScalarStyle),
}

#[derive(Clone, Debug)]
pub struct Token<'a> {
    pub kind: TokenKind<'a>,
    pub start: Mark,
    pub end: Mark,
}

#[derive(Clone, Copy, Debug, Default)]
struct SimpleKey {
    possible: bool,
    required: bool,
    token_number: usize,
    mark: Mark,
}

const MAX_FLOW_LEVEL: usize = 10000;
const MAX_INDENTS: usize = 10000;

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}
fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}
fn is_breakz(c: char) -> bool {
    is_break(c) || c == '\0'
}
fn is_blankz(c: char) -> bool {
    is_blank(c) || is_breakz(c)
}
fn is_alpha(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// Decoded input: the text as UTF-8 (what goyaml's reader hands its
/// scanner; borrowed when the input is valid as it is; reads past its end
/// give NUL), plus the lazily reported reader error (goyaml decodes 512 raw
/// bytes at a time).
pub struct Input<'a> {
    text: Cow<'a, str>,
    /// Number of valid bytes.
    len: usize,
    /// A reader error, raised once the scanner needs a character at or
    /// beyond `reader_limit` characters.
    reader_error: Option<(String, usize)>,
    /// That character count, or `usize::MAX` without an error.
    reader_limit: usize,
}

impl<'a> Input<'a> {
    pub fn new(bytes: &'a [u8]) -> Input<'a> {
        let (text, err) = decode_input(bytes);
        let len = text.len();
        Input {
            text,
            len,
            reader_limit: err.as_ref().map_or(usize::MAX, |e| e.1),
            reader_error: err,
        }
    }
}

/// Whether goyaml's reader accepts the character.
fn allowed(c: u32) -> bool {
    matches!(c, 0x09 | 0x0A | 0x0D | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// Decode like goyaml's reader: BOM detection, UTF-8 (or UTF-16) validation,
/// allowed character ranges. Returns the text up to the first error, and the
/// error with the number of characters after which it is raised.
fn decode_input(bytes: &[u8]) -> (Cow<'_, str>, Option<(String, usize)>) {
    // UTF-16 input.
    if bytes.len() >= 2 && (bytes[..2] == [0xFF, 0xFE] || bytes[..2] == [0xFE, 0xFF]) {
        let mut out = String::with_capacity(bytes.len());
        let le = bytes[0] == 0xFF;
        let units = bytes[2..].chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        for r in char::decode_utf16(units) {
            match r {
                Ok(c) if allowed(c as u32) => out.push(c),
                Ok(_) => {
                    return (
                        out.into(),
                        Some(("control characters are not allowed".into(), 0)),
                    )
                }
                Err(_) => {
                    return (
                        out.into(),
                        Some(("unexpected low surrogate area".into(), 0)),
                    );
                }
            }
        }
        if (bytes.len() - 2) % 2 == 1 {
            return (out.into(), Some(("incomplete UTF-16 character".into(), 0)));
        }
        return (out.into(), None);
    }
    let bom = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        3
    } else {
        0
    };
    let body = &bytes[bom..];
    // Nearly every manifest and values file is valid UTF-8 of allowed
    // characters only: check that in one pass and take it as it is.
    if let Ok(s) = std::str::from_utf8(body) {
        // Count the disallowed ASCII bytes without an early exit, so that
        // the loop vectorizes.
        let mut bad_ascii = 0u8;
        for chunk in s.as_bytes().chunks(64) {
            for &b in chunk {
                bad_ascii |= u8::from(b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') || b == 0x7F);
            }
            if bad_ascii != 0 {
                break;
            }
        }
        if bad_ascii == 0 && (s.is_ascii() || s.chars().all(|c| allowed(c as u32))) {
            return (Cow::Borrowed(s), None);
        }
    }
    let mut out: Vec<u8> = Vec::with_capacity(body.len());
    // The error is raised once the scanner reaches the 512-byte chunk that
    // holds it: count the characters fully contained in the chunks before.
    let fail = |out: &[u8], at: usize, msg: &str| -> (String, usize) {
        let chunk_start = (at / 512) * 512;
        let mut count = 0;
        if chunk_start > 0 {
            let mut j = bom;
            for c in std::str::from_utf8(out).unwrap_or("").chars() {
                if j >= chunk_start {
                    break;
                }
                j += c.len_utf8();
                if j <= chunk_start {
                    count += 1;
                }
            }
        }
        (msg.to_string(), count)
    };
    let finish = |out: Vec<u8>| Cow::Owned(String::from_utf8(out).unwrap_or_default());
    let mut i = bom;
    while i < bytes.len() {
        // A run of printable ASCII, tabs and line breaks.
        let run = bytes[i..]
            .iter()
            .position(|&b| !(b == b'\t' || b == b'\n' || b == b'\r' || (0x20..0x7F).contains(&b)))
            .unwrap_or(bytes.len() - i);
        if run > 0 {
            out.extend_from_slice(&bytes[i..i + run]);
            i += run;
            continue;
        }
        let b = bytes[i];
        let w = if b & 0x80 == 0 {
            1
        } else if b & 0xE0 == 0xC0 {
            2
        } else if b & 0xF0 == 0xE0 {
            3
        } else if b & 0xF8 == 0xF0 {
            4
        } else {
            let e = fail(&out, i, "invalid leading UTF-8 octet");
            return (finish(out), Some(e));
        };
        if i + w > bytes.len() {
            let e = fail(&out, i, "incomplete UTF-8 octet sequence");
            return (finish(out), Some(e));
        }
        let mut v: u32 = match w {
            1 => (b & 0x7F) as u32,
            2 => (b & 0x1F) as u32,
            3 => (b & 0x0F) as u32,
            _ => (b & 0x07) as u32,
        };
        for k in 1..w {
            let o = bytes[i + k];
            if o & 0xC0 != 0x80 {
                let e = fail(&out, i, "invalid trailing UTF-8 octet");
                return (finish(out), Some(e));
            }
            v = (v << 6) + (o & 0x3F) as u32;
        }
        let ok_len = match w {
            1 => true,
            2 => v >= 0x80,
            3 => v >= 0x800,
            _ => v >= 0x10000,
        };
        if !ok_len {
            let e = fail(&out, i, "invalid length of a UTF-8 sequence");
            return (finish(out), Some(e));
        }
        if (0xD800..=0xDFFF).contains(&v) || v > 0x10FFFF {
            let e = fail(&out, i, "invalid Unicode character");
            return (finish(out), Some(e));
        }
        if !allowed(v) {
            let e = fail(&out, i, "control characters are not allowed");
            return (finish(out), Some(e));
        }
        out.extend_from_slice(&bytes[i..i + w]);
        i += w;
    }
    (finish(out), None)
}

/// Length of the UTF-8 sequence a byte starts (1 for anything else).
#[inline]
fn utf8_width(b: u8) -> usize {
    if b < 0xC0 {
        1
    } else if b < 0xE0 {
        2
    } else if b < 0xF0 {
        3
    } else {
        4
    }
}

/// goyaml's `is_break` on the bytes at `p`: CR, LF, NEL, LS, PS.
#[inline]
fn is_break_at(t: &[u8], p: usize) -> bool {
    match t.get(p).copied().unwrap_or(0) {
        b'\r' | b'\n' => true,
        0xC2 => t.get(p + 1) == Some(&0x85),
        0xE2 => t.get(p + 1) == Some(&0x80) && matches!(t.get(p + 2), Some(0xA8 | 0xA9)),
        _ => false,
    }
}

/// The end of the run of characters from `from` up to an ASCII byte that
/// `stop` accepts (given the byte and its offset) or a line break (NEL, LS
/// and PS too), and how many characters the run has (goyaml counts marks
/// in characters).
#[inline]
fn run_until(t: &[u8], from: usize, stop: impl Fn(u8, usize) -> bool) -> (usize, usize) {
    let mut to = from;
    let mut chars = 0;
    loop {
        let b = t.get(to).copied().unwrap_or(0);
        if b < 0x80 {
            if stop(b, to) {
                break;
            }
            to += 1;
        } else {
            if is_break_at(t, to) {
                break;
            }
            to += utf8_width(b);
        }
        chars += 1;
    }
    (to, chars)
}

/// Byte classes for [`plain_run`]: 1 ends a plain scalar's run of
/// ordinary characters (blanks, breaks, NUL; `:` when a blank follows), 2
/// ends it in flow context only (flow indicators), 4 is not ASCII.
static PLAIN_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0x80;
    while i < 256 {
        t[i] = 4;
        i += 1;
    }
    t[b' ' as usize] = 1;
    t[b'\t' as usize] = 1;
    t[b'\r' as usize] = 1;
    t[b'\n' as usize] = 1;
    t[0] = 1;
    t[b':' as usize] = 1;
    t[b',' as usize] = 2;
    t[b'?' as usize] = 2;
    t[b'[' as usize] = 2;
    t[b']' as usize] = 2;
    t[b'{' as usize] = 2;
    t[b'}' as usize] = 2;
    t
};

/// [`run_until`] with a plain scalar's stops: blanks, breaks, NUL, `:`
/// followed by a blank, flow indicators in flow context.
#[inline]
fn plain_run(t: &[u8], from: usize, in_flow: bool) -> (usize, usize) {
    let mask = if in_flow { 7 } else { 5 };
    let (mut to, mut chars) = (from, 0);
    loop {
        // ASCII characters that do not stop the run, in one sweep.
        let rest = t.get(to..).unwrap_or(&[]);
        let n = rest
            .iter()
            .position(|&b| PLAIN_CLASS[b as usize] & mask != 0)
            .unwrap_or(rest.len());
        to += n;
        chars += n;
        let b = t.get(to).copied().unwrap_or(0);
        if b >= 0x80 {
            if is_break_at(t, to) {
                break;
            }
            to += utf8_width(b);
        } else if b == b':' && !is_blankz_at(t, to + 1) {
            to += 1;
        } else {
            break;
        }
        chars += 1;
    }
    (to, chars)
}

/// goyaml's `is_blankz` on the bytes at `p`.
#[inline]
fn is_blankz_at(t: &[u8], p: usize) -> bool {
    matches!(t.get(p).copied().unwrap_or(0), b' ' | b'\t' | 0) || is_break_at(t, p)
}

/// Which simple key (its index in the stack) was saved at which token
/// number: a map whose keys only grow. Tokens are numbered in order, so
/// entries are kept sorted in a queue; the lookups ask for the token at
/// the head of the queue, whose number only grows too, so entries below
/// it are dropped as they go by.
#[derive(Default)]
struct KeysByToken(VecDeque<(usize, usize)>);

impl KeysByToken {
    /// Saves `idx` for `token`, which is at least every number saved yet.
    fn insert(&mut self, token: usize, idx: usize) {
        match self.0.back_mut() {
            Some(last) if last.0 == token => last.1 = idx,
            _ => self.0.push_back((token, idx)),
        }
    }

    fn remove(&mut self, token: usize) {
        if let Some(at) = self.0.iter().rposition(|e| e.0 == token) {
            self.0.remove(at);
        }
    }

    /// The entry for `token`; `token` is at least every number asked for yet.
    fn get(&mut self, token: usize) -> Option<usize> {
        while let Some(&(t, idx)) = self.0.front() {
            if t == token {
                return Some(idx);
            }
            if t > token {
                return None;
            }
            self.0.pop_front();
        }
        None
    }
}

pub struct Scanner<'a> {
    input: &'a Input<'a>,
    pos: usize,
    mark: Mark,
    pub tokens: VecDeque<Token<'a>>,
    pub tokens_parsed: usize,
    token_available: bool,
    stream_start_produced: bool,
    pub stream_end_produced: bool,
    indent: i64,
    indents: Vec<i64>,
    simple_key_allowed: bool,
    simple_keys: Vec<SimpleKey>,
    simple_keys_by_tok: KeysByToken,
    flow_level: usize,
    pub error: Option<Box<SyntaxError>>,
    /// Whether the one-pass scalar readers may be used (tests compare them
    /// with the general loops).
    fast: bool,
}

impl<'a> Scanner<'a> {
    pub fn new(input: &'a Input<'a>) -> Scanner<'a> {
        Scanner {
            input,
            pos: 0,
            mark: Mark::default(),
            tokens: VecDeque::new(),
            tokens_parsed: 0,
            token_available: false,
            stream_start_produced: false,
            stream_end_produced: false,
            indent: -1,
            indents: Vec::new(),
            simple_key_allowed: false,
            simple_keys: Vec::new(),
            simple_keys_by_tok: KeysByToken::default(),
            flow_level: 0,
            error: None,
            fast: true,
        }
    }

    #[inline]
    fn byte(&self, off: usize) -> u8 {
        self.input
            .text
            .as_bytes()
            .get(self.pos + off)
            .copied()
            .unwrap_or(0)
    }

    /// The character starting `off` bytes ahead. Callers look ahead only
    /// past ASCII characters, where bytes and characters coincide.
    #[inline]
    fn ch(&self, off: usize) -> char {
        let b = self.byte(off);
        if b < 0x80 {
            b as char
        } else {
            self.decode_at(self.pos + off)
        }
    }

    fn decode_at(&self, at: usize) -> char {
        let t = self.input.text.as_bytes();
        let end = (at + utf8_width(t.get(at).copied().unwrap_or(0))).min(t.len());
        t.get(at..end)
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|s| s.chars().next())
            .unwrap_or('\u{FFFD}')
    }

    /// goyaml's `cache`: make sure `n` characters are decoded; this is where
    /// a pending reader error surfaces.
    #[inline]
    fn cache(&mut self, n: usize) -> SResult<()> {
        if self.mark.index + n > self.input.reader_limit {
            return Err(self.reader_err());
        }
        Ok(())
    }

    #[cold]
    fn reader_err(&self) -> Box<SyntaxError> {
        Box::new(SyntaxError {
            stage: ErrorStage::Reader,
            problem: self
                .input
                .reader_error
                .as_ref()
                .map(|e| e.0.clone())
                .unwrap_or_default(),
            problem_mark: Mark::default(),
            context_mark: Mark::default(),
        })
    }

    /// Whether the fast paths may consume many characters at once: only
    /// when no reader error can surface on the way.
    #[inline]
    fn unlimited(&self) -> bool {
        self.input.reader_error.is_none()
    }

    #[inline]
    fn skip(&mut self) {
        self.mark.index += 1;
        self.mark.column += 1;
        self.pos += utf8_width(self.byte(0));
    }

    fn skip_line(&mut self) {
        if self.byte(0) == b'\r' && self.byte(1) == b'\n' {
            self.mark.index += 2;
            self.mark.column = 0;
            self.mark.line += 1;
            self.pos += 2;
        } else if is_break_at(self.input.text.as_bytes(), self.pos) {
            self.mark.index += 1;
            self.mark.column = 0;
            self.mark.line += 1;
            self.pos += utf8_width(self.byte(0));
        }
    }

    /// Append the current character to `s` and skip it.
    #[inline]
    fn read(&mut self, s: &mut String) {
        let b = self.byte(0);
        if b < 0x80 {
            s.push(b as char);
        } else {
            let w = utf8_width(b);
            s.push_str(self.input.text.get(self.pos..self.pos + w).unwrap_or(""));
        }
        self.skip();
    }

    /// Skip characters up to a line break or the end, appending them to `s`
    /// when given (the loop `while !is_breakz { read or skip }`).
    fn run_to_break(&mut self, s: Option<&mut String>) -> SResult<()> {
        if !self.unlimited() {
            let mut s = s;
            while !is_breakz(self.ch(0)) {
                match s.as_deref_mut() {
                    Some(s) => self.read(s),
                    None => self.skip(),
                }
                self.cache(1)?;
            }
            return Ok(());
        }
        let t = self.input.text.as_bytes();
        let from = self.pos;
        let valid = t.get(from..self.input.len).unwrap_or(&[]);
        let line = memchr::memchr2(b'\n', b'\r', valid).map_or(valid, |n| &valid[..n]);
        let (to, chars) = if line.is_ascii() {
            (from + line.len(), line.len())
        } else {
            // NEL, LS and PS break lines too; characters are counted.
            run_until(t, from, |b, _| b == b'\n' || b == b'\r' || b == 0)
        };
        if let Some(s) = s {
            s.push_str(self.input.text.get(from..to).unwrap_or(""));
        }
        self.pos = to;
        self.mark.index += chars;
        self.mark.column += chars;
        Ok(())
    }

    fn read_line(&mut self, s: &mut String) {
        s.push_str(self.take_break());
    }

    /// Skip a line break, returning what goyaml's `read_line` appends for it
    /// (nothing when there is no break).
    fn take_break(&mut self) -> &'static str {
        let c = self.ch(0);
        let text = if c == '\r' && self.byte(1) == b'\n' {
            self.pos += 2;
            self.mark.index += 1;
            "\n"
        } else if c == '\r' || c == '\n' || c == '\u{85}' {
            self.pos += c.len_utf8();
            "\n"
        } else if c == '\u{2028}' {
            self.pos += 3;
            "\u{2028}"
        } else if c == '\u{2029}' {
            self.pos += 3;
            "\u{2029}"
        } else {
            return "";
        };
        self.mark.index += 1;
        self.mark.column = 0;
        self.mark.line += 1;
        text
    }

    /// Skip a blank, extending `ws`, the range of the blanks just read
    /// (goyaml's `whitespaces` buffer, always a contiguous run of the input).
    fn read_blank(&mut self, ws: &mut std::ops::Range<usize>) {
        if ws.start == ws.end {
            *ws = self.pos..self.pos;
        }
        self.skip();
        ws.end = self.pos;
    }

    fn push_range(&self, s: &mut String, r: std::ops::Range<usize>) {
        s.push_str(self.input.text.get(r).unwrap_or(""));
    }

    fn err(&self, context_mark: Mark, problem: &str) -> Box<SyntaxError> {
        Box::new(SyntaxError {
            stage: ErrorStage::Scanner,
            problem: problem.to_string(),
            problem_mark: self.mark,
            context_mark,
        })
    }

    /// The next token, without consuming it.
    #[inline]
    pub fn peek(&mut self) -> SResult<&Token<'a>> {
        if !self.token_available {
            self.fetch_more_tokens()?;
        }
        Ok(&self.tokens[0])
    }

    /// Consume the token returned by `peek`.
    pub fn skip_token(&mut self) {
        self.take_token();
    }

    /// Consume the token returned by `peek`, returning it.
    pub fn take_token(&mut self) -> Option<Token<'a>> {
        self.token_available = false;
        self.tokens_parsed += 1;
        let t = self.tokens.pop_front();
        if let Some(t) = &t {
            self.stream_end_produced = t.kind == TokenKind::StreamEnd;
        }
        t
    }

    // Kept out of `peek`, which is then small enough to inline.
    #[inline(never)]
    fn fetch_more_tokens(&mut self) -> SResult<()> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let r = self.fetch_more_tokens_inner();
        if let Err(e) = &r {
            self.error = Some(e.clone());
        }
        r
    }

    fn fetch_more_tokens_inner(&mut self) -> SResult<()> {
        loop {
            if !self.tokens.is_empty() {
                match self.simple_keys_by_tok.get(self.tokens_parsed) {
                    None => break,
                    Some(idx) => {
                        if !self.simple_key_is_valid(idx)? {
                            break;
                        }
                    }
                }
            }
            self.fetch_next_token()?;
        }
        self.token_available = true;
        Ok(())
    }

    fn simple_key_is_valid(&mut self, idx: usize) -> SResult<bool> {
        let key = self.simple_keys[idx];
        if !key.possible {
            return Ok(false);
        }
        if key.mark.line < self.mark.line || key.mark.index + 1024 < self.mark.index {
            if key.required {
                return Err(self.err(key.mark, "could not find expected ':'"));
            }
            self.simple_keys[idx].possible = false;
            return Ok(false);
        }
        Ok(true)
    }

    fn insert_token(&mut self, pos: Option<usize>, token: Token<'a>) {
        match pos {
            None => self.tokens.push_back(token),
            // A key's tokens usually go in front of the one scalar queued.
            Some(0) => self.tokens.push_front(token),
            Some(p) => {
                let p = p.min(self.tokens.len());
                self.tokens.insert(p, token)
            }
        }
    }

    fn push(&mut self, kind: TokenKind<'a>, start: Mark, end: Mark) {
        self.insert_token(None, Token { kind, start, end });
    }

    fn fetch_next_token(&mut self) -> SResult<()> {
        self.cache(1)?;
        if !self.stream_start_produced {
            self.indent = -1;
            self.simple_keys.push(SimpleKey::default());
            self.simple_key_allowed = true;
            self.stream_start_produced = true;
            let m = self.mark;
            self.push(TokenKind::StreamStart, m, m);
            return Ok(());
        }
        self.scan_to_next_token()?;
        self.unroll_indent(self.mark.column as i64);
        self.cache(4)?;
        let c = self.ch(0);
        if self.pos >= self.input.len {
            return self.fetch_stream_end();
        }
        if self.mark.column == 0 && c == '%' {
            return self.fetch_directive();
        }
        if self.mark.column == 0
            && c == '-'
            && self.ch(1) == '-'
            && self.ch(2) == '-'
            && is_blankz(self.ch(3))
        {
            return self.fetch_document_indicator(TokenKind::DocumentStart);
        }
        if self.mark.column == 0
            && c == '.'
            && self.ch(1) == '.'
            && self.ch(2) == '.'
            && is_blankz(self.ch(3))
        {
            return self.fetch_document_indicator(TokenKind::DocumentEnd);
        }
        match c {
            '[' => return self.fetch_flow_collection_start(TokenKind::FlowSequenceStart),
            '{' => return self.fetch_flow_collection_start(TokenKind::FlowMappingStart),
            ']' => return self.fetch_flow_collection_end(TokenKind::FlowSequenceEnd),
            '}' => return self.fetch_flow_collection_end(TokenKind::FlowMappingEnd),
            ',' => return self.fetch_flow_entry(),
            _ => {}
        }
        let next = self.ch(1);
        if c == '-' && is_blankz(next) {
            return self.fetch_block_entry();
        }
        if c == '?' && (self.flow_level > 0 || is_blankz(next)) {
            return self.fetch_key();
        }
        if c == ':' && (self.flow_level > 0 || is_blankz(next)) {
            return self.fetch_value();
        }
        match c {
            '*' => return self.fetch_anchor(true),
            '&' => return self.fetch_anchor(false),
            '!' => return self.fetch_tag(),
            '|' if self.flow_level == 0 => return self.fetch_block_scalar(true),
            '>' if self.flow_level == 0 => return self.fetch_block_scalar(false),
            '\'' => return self.fetch_flow_scalar(true),
            '"' => return self.fetch_flow_scalar(false),
            _ => {}
        }
        let indicator = is_blankz(c)
            || matches!(
                c,
                '-' | '?'
                    | ':'
                    | ','
                    | '['
                    | ']'
                    | '{'
                    | '}'
                    | '#'
                    | '&'
                    | '*'
                    | '!'
                    | '|'
                    | '>'
                    | '\''
                    | '"'
                    | '%'
                    | '@'
                    | '`'
            );
        if !indicator
            || (c == '-' && !is_blank(next))
            || (self.flow_level == 0 && (c == '?' || c == ':') && !is_blankz(next))
        {
            return self.fetch_plain_scalar();
        }
        Err(self.err(self.mark, "found character that cannot start any token"))
    }

    fn save_simple_key(&mut self) -> SResult<()> {
        let required = self.flow_level == 0 && self.indent == self.mark.column as i64;
        if self.simple_key_allowed {
            let key = SimpleKey {
                possible: true,
                required,
                token_number: self.tokens_parsed + self.tokens.len(),
                mark: self.mark,
            };
            self.remove_simple_key()?;
            let last = self.simple_keys.len() - 1;
            self.simple_keys[last] = key;
            self.simple_keys_by_tok.insert(key.token_number, last);
        }
        Ok(())
    }

    fn remove_simple_key(&mut self) -> SResult<()> {
        let i = self.simple_keys.len() - 1;
        if self.simple_keys[i].possible {
            if self.simple_keys[i].required {
                return Err(self.err(self.simple_keys[i].mark, "could not find expected ':'"));
            }
            self.simple_keys[i].possible = false;
            let n = self.simple_keys[i].token_number;
            self.simple_keys_by_tok.remove(n);
        }
        Ok(())
    }

    fn increase_flow_level(&mut self) -> SResult<()> {
        self.simple_keys.push(SimpleKey {
            possible: false,
            required: false,
            token_number: self.tokens_parsed + self.tokens.len(),
            mark: self.mark,
        });
        self.flow_level += 1;
        if self.flow_level > MAX_FLOW_LEVEL {
            let m = self.simple_keys[self.simple_keys.len() - 1].mark;
            return Err(self.err(m, &format!("exceeded max depth of {MAX_FLOW_LEVEL}")));
        }
        Ok(())
    }

    fn decrease_flow_level(&mut self) {
        if self.flow_level > 0 {
            self.flow_level -= 1;
            if let Some(k) = self.simple_keys.pop() {
                self.simple_keys_by_tok.remove(k.token_number);
            }
        }
    }

    fn roll_indent(
        &mut self,
        column: i64,
        number: Option<usize>,
        kind: TokenKind<'a>,
        mark: Mark,
    ) -> SResult<()> {
        if self.flow_level > 0 {
            return Ok(());
        }
        if self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
            if self.indents.len() > MAX_INDENTS {
                let m = self.simple_keys[self.simple_keys.len() - 1].mark;
                return Err(self.err(m, &format!("exceeded max depth of {MAX_INDENTS}")));
            }
            let pos = number.map(|n| n.saturating_sub(self.tokens_parsed));
            self.insert_token(
                pos,
                Token {
                    kind,
                    start: mark,
                    end: mark,
                },
            );
        }
        Ok(())
    }

    fn unroll_indent(&mut self, column: i64) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            let m = self.mark;
            self.push(TokenKind::BlockEnd, m, m);
            self.indent = self.indents.pop().unwrap_or(-1);
        }
    }

    fn fetch_stream_end(&mut self) -> SResult<()> {
        if self.mark.column != 0 {
            self.mark.column = 0;
            self.mark.line += 1;
        }
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let m = self.mark;
        self.push(TokenKind::StreamEnd, m, m);
        Ok(())
    }

    fn fetch_directive(&mut self) -> SResult<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_directive()?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_document_indicator(&mut self, kind: TokenKind<'a>) -> SResult<()> {
        self.unroll_indent(-1);
        self.remove_simple_key()?;
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        self.skip();
        self.skip();
        let end = self.mark;
        self.push(kind, start, end);
        Ok(())
    }

    fn fetch_flow_collection_start(&mut self, kind: TokenKind<'a>) -> SResult<()> {
        self.save_simple_key()?;
        self.increase_flow_level()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(kind, start, end);
        Ok(())
    }

    fn fetch_flow_collection_end(&mut self, kind: TokenKind<'a>) -> SResult<()> {
        self.remove_simple_key()?;
        self.decrease_flow_level();
        self.simple_key_allowed = false;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(kind, start, end);
        Ok(())
    }

    fn fetch_flow_entry(&mut self) -> SResult<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(TokenKind::FlowEntry, start, end);
        Ok(())
    }

    fn fetch_block_entry(&mut self) -> SResult<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return Err(self.err(
                    self.mark,
                    "block sequence entries are not allowed in this context",
                ));
            }
            let m = self.mark;
            self.roll_indent(m.column as i64, None, TokenKind::BlockSequenceStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(TokenKind::BlockEntry, start, end);
        Ok(())
    }

    fn fetch_key(&mut self) -> SResult<()> {
        if self.flow_level == 0 {
            if !self.simple_key_allowed {
                return Err(self.err(self.mark, "mapping keys are not allowed in this context"));
            }
            let m = self.mark;
            self.roll_indent(m.column as i64, None, TokenKind::BlockMappingStart, m)?;
        }
        self.remove_simple_key()?;
        self.simple_key_allowed = self.flow_level == 0;
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(TokenKind::Key, start, end);
        Ok(())
    }

    fn fetch_value(&mut self) -> SResult<()> {
        let idx = self.simple_keys.len() - 1;
        if self.simple_key_is_valid(idx)? {
            let key = self.simple_keys[idx];
            let pos = key.token_number.saturating_sub(self.tokens_parsed);
            self.insert_token(
                Some(pos),
                Token {
                    kind: TokenKind::Key,
                    start: key.mark,
                    end: key.mark,
                },
            );
            self.roll_indent(
                key.mark.column as i64,
                Some(key.token_number),
                TokenKind::BlockMappingStart,
                key.mark,
            )?;
            self.simple_keys[idx].possible = false;
            self.simple_keys_by_tok.remove(key.token_number);
            self.simple_key_allowed = false;
        } else {
            if self.flow_level == 0 {
                if !self.simple_key_allowed {
                    return Err(
                        self.err(self.mark, "mapping values are not allowed in this context")
                    );
                }
                let m = self.mark;
                self.roll_indent(m.column as i64, None, TokenKind::BlockMappingStart, m)?;
            }
            self.simple_key_allowed = self.flow_level == 0;
        }
        let start = self.mark;
        self.skip();
        let end = self.mark;
        self.push(TokenKind::Value, start, end);
        Ok(())
    }

    fn fetch_anchor(&mut self, alias: bool) -> SResult<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_anchor(alias)?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_tag(&mut self) -> SResult<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_tag()?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_block_scalar(&mut self, literal: bool) -> SResult<()> {
        self.remove_simple_key()?;
        self.simple_key_allowed = true;
        let t = self.scan_block_scalar(literal)?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_flow_scalar(&mut self, single: bool) -> SResult<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_flow_scalar(single)?;
        self.insert_token(None, t);
        Ok(())
    }

    fn fetch_plain_scalar(&mut self) -> SResult<()> {
        self.save_simple_key()?;
        self.simple_key_allowed = false;
        let t = self.scan_plain_scalar()?;
        self.insert_token(None, t);
        Ok(())
    }

    fn scan_to_next_token(&mut self) -> SResult<()> {
        // Most tokens follow the previous one directly (a plain scalar
        // reads the line end and indentation after it): nothing to skip.
        if self.unlimited()
            && !matches!(
                self.byte(0),
                b' ' | b'\t' | b'#' | b'\r' | b'\n' | 0xC2 | 0xE2 | 0xEF
            )
        {
            return Ok(());
        }
        loop {
            self.cache(1)?;
            if self.mark.column == 0 && self.ch(0) == '\u{FEFF}' {
                self.skip();
            }
            self.cache(1)?;
            let tabs = self.flow_level > 0 || !self.simple_key_allowed;
            if self.unlimited() {
                let t = self.input.text.as_bytes();
                let n = t
                    .get(self.pos..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|&&b| b == b' ' || (tabs && b == b'\t'))
                    .count();
                self.pos += n;
                self.mark.index += n;
                self.mark.column += n;
            }
            while self.ch(0) == ' ' || (tabs && self.ch(0) == '\t') {
                self.skip();
                self.cache(1)?;
            }
            if self.ch(0) == '#' {
                self.run_to_break(None)?;
            }
            if is_break(self.ch(0)) {
                self.cache(2)?;
                self.skip_line();
                if self.flow_level == 0 {
                    self.simple_key_allowed = true;
                }
            } else {
                break;
            }
        }
        Ok(())
    }

    fn skip_blanks_and_comment(&mut self) -> SResult<()> {
        self.cache(1)?;
        while is_blank(self.ch(0)) {
            self.skip();
            self.cache(1)?;
        }
        if self.ch(0) == '#' {
            self.run_to_break(None)?;
        }
        Ok(())
    }

    fn scan_directive(&mut self) -> SResult<Token<'a>> {
        let start = self.mark;
        self.skip();
        let name = self.scan_directive_name(start)?;
        let kind = if name == "YAML" {
            let (major, minor) = self.scan_version_directive_value(start)?;
            TokenKind::VersionDirective(major, minor)
        } else if name == "TAG" {
            let (h, p) = self.scan_tag_directive_value(start)?;
            TokenKind::TagDirective(h, p)
        } else {
            return Err(self.err(start, "found unknown directive name"));
        };
        let end = self.mark;
        self.skip_blanks_and_comment()?;
        if !is_breakz(self.ch(0)) {
            return Err(self.err(start, "did not find expected comment or line break"));
        }
        if is_break(self.ch(0)) {
            self.cache(2)?;
            self.skip_line();
        }
        Ok(Token { kind, start, end })
    }

    fn scan_directive_name(&mut self, start: Mark) -> SResult<String> {
        self.cache(1)?;
        let mut s = String::new();
        while is_alpha(self.ch(0)) {
            self.read(&mut s);
            self.cache(1)?;
        }
        if s.is_empty() {
            return Err(self.err(start, "could not find expected directive name"));
        }
        if !is_blankz(self.ch(0)) {
            return Err(self.err(start, "found unexpected non-alphabetical character"));
        }
        Ok(s)
    }

    fn scan_version_directive_value(&mut self, start: Mark) -> SResult<(i32, i32)> {
        self.cache(1)?;
        while is_blank(self.ch(0)) {
            self.skip();
            self.cache(1)?;
        }
        let major = self.scan_version_directive_number(start)?;
        if self.ch(0) != '.' {
            return Err(self.err(start, "did not find expected digit or '.' character"));
        }
        self.skip();
        let minor = self.scan_version_directive_number(start)?;
        Ok((major, minor))
    }

    fn scan_version_directive_number(&mut self, start: Mark) -> SResult<i32> {
        self.cache(1)?;
        let mut value = 0;
        let mut length = 0;
        while self.ch(0).is_ascii_digit() {
            length += 1;
            if length > 2 {
                return Err(self.err(start, "found extremely long version number"));
            }
            value = value * 10 + (self.ch(0) as i32 - '0' as i32);
            self.skip();
            self.cache(1)?;
        }
        if length == 0 {
            return Err(self.err(start, "did not find expected version number"));
        }
        Ok(value)
    }

    fn scan_tag_directive_value(&mut self, start: Mark) -> SResult<(String, String)> {
        self.cache(1)?;
        while is_blank(self.ch(0)) {
            self.skip();
            self.cache(1)?;
        }
        let handle = self.scan_tag_handle(true, start)?;
        self.cache(1)?;
        if !is_blank(self.ch(0)) {
            return Err(self.err(start, "did not find expected whitespace"));
        }
        while is_blank(self.ch(0)) {
            self.skip();
            self.cache(1)?;
        }
        let prefix = self.scan_tag_uri(true, "", start)?;
        self.cache(1)?;
        if !is_blankz(self.ch(0)) {
            return Err(self.err(start, "did not find expected whitespace or line break"));
        }
        Ok((handle, prefix))
    }

    fn scan_anchor(&mut self, alias: bool) -> SResult<Token<'a>> {
        let start = self.mark;
        self.skip();
        self.cache(1)?;
        let mut s = String::new();
        while is_alpha(self.ch(0)) {
            self.read(&mut s);
            self.cache(1)?;
        }
        let end = self.mark;
        let c = self.ch(0);
        if s.is_empty()
            || !(is_blankz(c) || matches!(c, '?' | ':' | ',' | ']' | '}' | '%' | '@' | '`'))
        {
            return Err(self.err(
                start,
                "did not find expected alphabetic or numeric character",
            ));
        }
        let kind = if alias {
            TokenKind::Alias(s)
        } else {
            TokenKind::Anchor(s)
        };
        Ok(Token { kind, start, end })
    }

    fn scan_tag(&mut self) -> SResult<Token<'a>> {
        let start = self.mark;
        self.cache(2)?;
        let (handle, suffix);
        if self.ch(1) == '<' {
            self.skip();
            self.skip();
            suffix = self.scan_tag_uri(false, "", start)?;
            if self.ch(0) != '>' {
                return Err(self.err(start, "did not find the expected '>'"));
            }
            self.skip();
            handle = String::new();
        } else {
            let h = self.scan_tag_handle(false, start)?;
            if h.starts_with('!') && h.len() > 1 && h.ends_with('!') {
                suffix = self.scan_tag_uri(false, "", start)?;
                handle = h;
            } else {
                let s = self.scan_tag_uri(false, &h, start)?;
                if s.is_empty() {
                    handle = String::new();
                    suffix = "!".to_string();
                } else {
                    handle = "!".to_string();
                    suffix = s;
                }
            }
        }
        self.cache(1)?;
        if !is_blankz(self.ch(0)) {
            return Err(self.err(start, "did not find expected whitespace or line break"));
        }
        let end = self.mark;
        Ok(Token {
            kind: TokenKind::Tag(handle, suffix),
            start,
            end,
        })
    }

    fn scan_tag_handle(&mut self, directive: bool, start: Mark) -> SResult<String> {
        self.cache(1)?;
        if self.ch(0) != '!' {
            return Err(self.err(start, "did not find expected '!'"));
        }
        let mut s = String::new();
        self.read(&mut s);
        self.cache(1)?;
        while is_alpha(self.ch(0)) {
            self.read(&mut s);
            self.cache(1)?;
        }
        if self.ch(0) == '!' {
            self.read(&mut s);
        } else if directive && s != "!" {
            return Err(self.err(start, "did not find expected '!'"));
        }
        Ok(s)
    }

    fn scan_tag_uri(&mut self, directive: bool, head: &str, start: Mark) -> SResult<String> {
        let mut bytes: Vec<u8> = Vec::new();
        let mut has_tag = !head.is_empty();
        if head.len() > 1 {
            bytes.extend_from_slice(&head.as_bytes()[1..]);
        }
        self.cache(1)?;
        loop {
            let c = self.ch(0);
            let ok = is_alpha(c)
                || matches!(
                    c,
                    ';' | '/'
                        | '?'
                        | ':'
                        | '@'
                        | '&'
                        | '='
                        | '+'
                        | '$'
                        | ','
                        | '.'
                        | '!'
                        | '~'
                        | '*'
                        | '\''
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '%'
                );
            if !ok {
                break;
            }
            if c == '%' {
                self.scan_uri_escapes(directive, start, &mut bytes)?;
            } else {
                let mut tmp = [0u8; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                self.skip();
            }
            self.cache(1)?;
            has_tag = true;
        }
        if !has_tag {
            return Err(self.err(start, "did not find expected tag URI"));
        }
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn scan_uri_escapes(&mut self, _directive: bool, start: Mark, s: &mut Vec<u8>) -> SResult<()> {
        let mut w: i32 = 1024;
        while w > 0 {
            self.cache(3)?;
            let (c0, c1, c2) = (self.ch(0), self.ch(1), self.ch(2));
            if !(c0 == '%' && c1.is_ascii_hexdigit() && c2.is_ascii_hexdigit()) {
                return Err(self.err(start, "did not find URI escaped octet"));
            }
            let octet = (c1.to_digit(16).unwrap_or(0) * 16 + c2.to_digit(16).unwrap_or(0)) as u8;
            if w == 1024 {
                w = if octet & 0x80 == 0 {
                    1
                } else if octet & 0xE0 == 0xC0 {
                    2
                } else if octet & 0xF0 == 0xE0 {
                    3
                } else if octet & 0xF8 == 0xF0 {
                    4
                } else {
                    return Err(self.err(start, "found an incorrect leading UTF-8 octet"));
                };
            } else if octet & 0xC0 != 0x80 {
                return Err(self.err(start, "found an incorrect trailing UTF-8 octet"));
            }
            s.push(octet);
            self.skip();
            self.skip();
            self.skip();
            w -= 1;
        }
        Ok(())
    }

    fn scan_block_scalar(&mut self, literal: bool) -> SResult<Token<'a>> {
        let start = self.mark;
        self.skip();
        self.cache(1)?;
        let mut chomping = 0i32;
        let mut increment = 0i64;
        let c = self.ch(0);
        if c == '+' || c == '-' {
            chomping = if c == '+' { 1 } else { -1 };
            self.skip();
            self.cache(1)?;
            if self.ch(0).is_ascii_digit() {
                if self.ch(0) == '0' {
                    return Err(self.err(start, "found an indentation indicator equal to 0"));
                }
                increment = self.ch(0) as i64 - '0' as i64;
                self.skip();
            }
        } else if c.is_ascii_digit() {
            if c == '0' {
                return Err(self.err(start, "found an indentation indicator equal to 0"));
            }
            increment = c as i64 - '0' as i64;
            self.skip();
            self.cache(1)?;
            let c = self.ch(0);
            if c == '+' || c == '-' {
                chomping = if c == '+' { 1 } else { -1 };
                self.skip();
            }
        }
        self.skip_blanks_and_comment()?;
        if !is_breakz(self.ch(0)) {
            return Err(self.err(start, "did not find expected comment or line break"));
        }
        if is_break(self.ch(0)) {
            self.cache(2)?;
            self.skip_line();
        }
        let mut end = self.mark;
        let mut indent: i64 = 0;
        if increment > 0 {
            indent = if self.indent >= 0 {
                self.indent + increment
            } else {
                increment
            };
        }
        let mut s = String::new();
        let mut leading_break: &str = "";
        let mut trailing_breaks = String::new();
        self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;
        self.cache(1)?;
        let mut leading_blank = false;
        while self.mark.column as i64 == indent && self.pos < self.input.len {
            let trailing_blank = is_blank(self.ch(0));
            if !literal && !leading_blank && !trailing_blank && leading_break.starts_with('\n') {
                if trailing_breaks.is_empty() {
                    s.push(' ');
                }
            } else {
                s.push_str(leading_break);
            }
            s.push_str(&trailing_breaks);
            trailing_breaks.clear();
            leading_blank = is_blank(self.ch(0));
            self.run_to_break(Some(&mut s))?;
            self.cache(2)?;
            leading_break = self.take_break();
            self.scan_block_scalar_breaks(&mut indent, &mut trailing_breaks, start, &mut end)?;
        }
        if chomping != -1 {
            s.push_str(leading_break);
        }
        if chomping == 1 {
            s.push_str(&trailing_breaks);
        }
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        Ok(Token {
            kind: TokenKind::Scalar(s.into(), style),
            start,
            end,
        })
    }

    fn scan_block_scalar_breaks(
        &mut self,
        indent: &mut i64,
        breaks: &mut String,
        start: Mark,
        end: &mut Mark,
    ) -> SResult<()> {
        *end = self.mark;
        let mut max_indent: i64 = 0;
        loop {
            self.cache(1)?;
            while (*indent == 0 || (self.mark.column as i64) < *indent) && self.ch(0) == ' ' {
                self.skip();
                self.cache(1)?;
            }
            if self.mark.column as i64 > max_indent {
                max_indent = self.mark.column as i64;
            }
            if (*indent == 0 || (self.mark.column as i64) < *indent) && self.ch(0) == '\t' {
                return Err(self.err(
                    start,
                    "found a tab character where an indentation space is expected",
                ));
            }
            if !is_break(self.ch(0)) {
                break;
            }
            self.cache(2)?;
            self.read_line(breaks);
            *end = self.mark;
        }
        if *indent == 0 {
            *indent = max_indent;
            if *indent < self.indent + 1 {
                *indent = self.indent + 1;
            }
            if *indent < 1 {
                *indent = 1;
            }
        }
        Ok(())
    }

    fn at_document_indicator(&self) -> bool {
        self.mark.column == 0
            && ((self.ch(0) == '-' && self.ch(1) == '-' && self.ch(2) == '-')
                || (self.ch(0) == '.' && self.ch(1) == '.' && self.ch(2) == '.'))
            && is_blankz(self.ch(3))
    }

    /// A quoted scalar on one line without escapes (`\\` in double quotes,
    /// `''` in single ones): its value is the input between the quotes.
    /// `None` otherwise, before any state changes.
    fn scan_flow_scalar_line(&mut self, single: bool) -> Option<Token<'a>> {
        let input: &'a Input<'a> = self.input;
        let t = input.text.as_bytes();
        let quote = if single { b'\'' } else { b'"' };
        let from = self.pos + 1;
        let (mut to, mut chars) = (from, 0);
        loop {
            let rest = t.get(to..).unwrap_or(&[]);
            let n = rest
                .iter()
                .position(|&b| b == quote || matches!(b, b'\\' | b'\r' | b'\n') || b >= 0x80)
                .unwrap_or(rest.len());
            to += n;
            chars += n;
            match t.get(to).copied().unwrap_or(0) {
                b'\'' if single && t.get(to + 1) == Some(&b'\'') => return None,
                b if b == quote => break,
                b'\\' if single => to += 1,
                b if b >= 0x80 && !is_break_at(t, to) => to += utf8_width(b),
                // An escape, a line break, the end of the input.
                _ => return None,
            }
            chars += 1;
        }
        let value = input.text.get(from..to)?;
        let start = self.mark;
        self.pos = to + 1;
        self.mark.index += chars + 2;
        self.mark.column += chars + 2;
        let style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        Some(Token {
            kind: TokenKind::Scalar(Cow::Borrowed(value), style),
            start,
            end: self.mark,
        })
    }

    fn scan_flow_scalar(&mut self, single: bool) -> SResult<Token<'a>> {
        if self.fast && self.unlimited() {
            if let Some(t) = self.scan_flow_scalar_line(single) {
                return Ok(t);
            }
        }
        let start = self.mark;
        self.skip();
        let mut s = String::new();
        let mut leading_break: &str = "";
        let mut trailing_breaks = String::new();
        let mut whitespaces = 0..0;
        loop {
            self.cache(4)?;
            if self.at_document_indicator() {
                return Err(self.err(start, "found unexpected document indicator"));
            }
            if self.pos >= self.input.len {
                return Err(self.err(start, "found unexpected end of stream"));
            }
            let mut leading_blanks = false;
            while !is_blankz(self.ch(0)) {
                let c = self.ch(0);
                if single && c == '\'' && self.ch(1) == '\'' {
                    s.push('\'');
                    self.skip();
                    self.skip();
                } else if (single && c == '\'') || (!single && c == '"') {
                    break;
                } else if !single && c == '\\' && is_break(self.ch(1)) {
                    self.cache(3)?;
                    self.skip();
                    self.skip_line();
                    leading_blanks = true;
                    break;
                } else if !single && c == '\\' {
                    let mut code_length = 0;
                    match self.ch(1) {
                        '0' => s.push('\0'),
                        'a' => s.push('\x07'),
                        'b' => s.push('\x08'),
                        't' | '\t' => s.push('\t'),
                        'n' => s.push('\n'),
                        'v' => s.push('\x0B'),
                        'f' => s.push('\x0C'),
                        'r' => s.push('\r'),
                        'e' => s.push('\x1B'),
                        ' ' => s.push(' '),
                        '"' => s.push('"'),
                        '\'' => s.push('\''),
                        '\\' => s.push('\\'),
                        'N' => s.push('\u{85}'),
                        '_' => s.push('\u{A0}'),
                        'L' => s.push('\u{2028}'),
                        'P' => s.push('\u{2029}'),
                        'x' => code_length = 2,
                        'u' => code_length = 4,
                        'U' => code_length = 8,
                        _ => return Err(self.err(start, "found unknown escape character")),
                    }
                    self.skip();
                    self.skip();
                    if code_length > 0 {
                        self.cache(code_length)?;
                        let mut value: u32 = 0;
                        for k in 0..code_length {
                            match self.ch(k).to_digit(16) {
                                Some(d) => value = (value << 4) + d,
                                None => {
                                    return Err(
                                        self.err(start, "did not find expected hexdecimal number")
                                    )
                                }
                            }
                        }
                        if (0xD800..=0xDFFF).contains(&value) || value > 0x10FFFF {
                            return Err(
                                self.err(start, "found invalid Unicode character escape code")
                            );
                        }
                        s.push(char::from_u32(value).unwrap_or('\u{FFFD}'));
                        for _ in 0..code_length {
                            self.skip();
                        }
                    }
                } else if self.unlimited() {
                    // A run of characters that are neither blanks, breaks,
                    // quotes nor backslashes.
                    let t = self.input.text.as_bytes();
                    let from = self.pos;
                    let (to, chars) = run_until(t, from, |b, _| {
                        matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0 | b'\'' | b'"' | b'\\')
                    });
                    if chars == 0 {
                        self.read(&mut s);
                    } else {
                        s.push_str(self.input.text.get(from..to).unwrap_or(""));
                        self.pos = to;
                        self.mark.index += chars;
                        self.mark.column += chars;
                    }
                } else {
                    self.read(&mut s);
                }
                self.cache(2)?;
            }
            self.cache(1)?;
            let c = self.ch(0);
            if (single && c == '\'') || (!single && c == '"') {
                break;
            }
            while is_blank(self.ch(0)) || is_break(self.ch(0)) {
                if is_blank(self.ch(0)) {
                    if !leading_blanks {
                        self.read_blank(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else {
                    self.cache(2)?;
                    if !leading_blanks {
                        whitespaces = 0..0;
                        leading_break = self.take_break();
                        leading_blanks = true;
                    } else {
                        self.read_line(&mut trailing_breaks);
                    }
                }
                self.cache(1)?;
            }
            if leading_blanks {
                if leading_break.starts_with('\n') {
                    if trailing_breaks.is_empty() {
                        s.push(' ');
                    } else {
                        s.push_str(&trailing_breaks);
                    }
                } else {
                    s.push_str(leading_break);
                    s.push_str(&trailing_breaks);
                }
                trailing_breaks.clear();
                leading_break = "";
            } else {
                self.push_range(&mut s, whitespaces.clone());
                whitespaces = 0..0;
            }
        }
        self.skip();
        let end = self.mark;
        let style = if single {
            ScalarStyle::SingleQuoted
        } else {
            ScalarStyle::DoubleQuoted
        };
        Ok(Token {
            kind: TokenKind::Scalar(s.into(), style),
            start,
            end,
        })
    }

    /// The common plain scalar in one pass over the bytes: words and blanks
    /// on one line (so the value is the input slice itself), ended by `: `,
    /// a flow indicator, a comment, the end of input, or a line break
    /// followed by a less indented line. Anything else (a continuation line,
    /// a tab in the indentation, NEL/LS/PS breaks) gives `None` before any
    /// state changes, and the general loop reads the scalar.
    fn scan_plain_scalar_line(&mut self) -> Option<Token<'a>> {
        let t = self.input.text.as_bytes();
        let start = self.mark;
        let in_flow = self.flow_level > 0;
        let indent = self.indent + 1;
        if t.get(self.pos) == Some(&b'#') || (start.column == 0 && self.at_document_indicator()) {
            return None;
        }
        let stops = |b: u8, at: usize| {
            matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0)
                || (b == b':' && is_blankz_at(t, at + 1))
                || (in_flow && matches!(b, b',' | b'?' | b'[' | b']' | b'{' | b'}'))
        };
        let byte = |p: usize| t.get(p).copied().unwrap_or(0);
        let (mut p, mut chars) = (self.pos, 0usize);
        // The end of the last word: the value's end and the token's end mark.
        let (mut end_pos, mut end_chars) = (p, 0usize);
        loop {
            // At a character that is not blank, break or end of input.
            let b = byte(p);
            if b >= 0x80 && is_break_at(t, p) {
                return None;
            }
            if stops(b, p) {
                break;
            }
            let (to, rest) = plain_run(t, p + utf8_width(b), in_flow);
            chars += 1 + rest;
            p = to;
            (end_pos, end_chars) = (p, chars);
            let blanks = t
                .get(p..)
                .unwrap_or(&[])
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            p += blanks;
            chars += blanks;
            if blanks > 0 && !in_flow && ((start.column + chars) as i64) < indent {
                break;
            }
            match byte(p) {
                b'#' => break,
                b'\r' | b'\n' => {
                    // Blank lines and indentation up to the next content.
                    let (mut line, mut col, mut index) = (start.line, 0usize, start.index + chars);
                    loop {
                        let rest = t.get(p..).unwrap_or(&[]);
                        let spaces = rest.iter().position(|&b| b != b' ').unwrap_or(rest.len());
                        p += spaces;
                        index += spaces;
                        col += spaces;
                        match byte(p) {
                            b'\t' if (col as i64) < indent => return None,
                            b'\t' => col += 1,
                            b'\n' => {
                                (line, col) = (line + 1, 0);
                            }
                            b'\r' => {
                                if byte(p + 1) == b'\n' {
                                    p += 1;
                                    index += 1;
                                }
                                (line, col) = (line + 1, 0);
                            }
                            b if b >= 0x80 && is_break_at(t, p) => return None,
                            _ => break,
                        }
                        p += 1;
                        index += 1;
                    }
                    if in_flow || (col as i64) >= indent {
                        return None;
                    }
                    self.simple_key_allowed = true;
                    return Some(self.finish_plain_line(
                        start,
                        end_pos,
                        end_chars,
                        p,
                        Mark {
                            index,
                            line,
                            column: col,
                        },
                    ));
                }
                b if b >= 0x80 && is_break_at(t, p) => return None,
                _ => {}
            }
        }
        let mark = Mark {
            index: start.index + chars,
            line: start.line,
            column: start.column + chars,
        };
        Some(self.finish_plain_line(start, end_pos, end_chars, p, mark))
    }

    fn finish_plain_line(
        &mut self,
        start: Mark,
        end_pos: usize,
        end_chars: usize,
        pos: usize,
        mark: Mark,
    ) -> Token<'a> {
        let input: &'a Input<'a> = self.input;
        let value = input.text.get(self.pos..end_pos).unwrap_or("");
        self.pos = pos;
        self.mark = mark;
        Token {
            kind: TokenKind::Scalar(Cow::Borrowed(value), ScalarStyle::Plain),
            start,
            end: Mark {
                index: start.index + end_chars,
                line: start.line,
                column: start.column + end_chars,
            },
        }
    }

    fn scan_plain_scalar(&mut self) -> SResult<Token<'a>> {
        if self.fast && self.unlimited() {
            if let Some(t) = self.scan_plain_scalar_line() {
                return Ok(t);
            }
        }
        let mut s = String::new();
        let mut leading_break: &str = "";
        let mut trailing_breaks = String::new();
        let mut whitespaces = 0..0;
        let mut leading_blanks = false;
        let indent = self.indent + 1;
        let start = self.mark;
        let mut end = self.mark;
        loop {
            self.cache(4)?;
            if self.at_document_indicator() {
                break;
            }
            if self.ch(0) == '#' {
                break;
            }
            while !is_blankz(self.ch(0)) {
                let c = self.ch(0);
                if (c == ':' && is_blankz(self.ch(1)))
                    || (self.flow_level > 0 && matches!(c, ',' | '?' | '[' | ']' | '{' | '}'))
                {
                    break;
                }
                if leading_blanks || whitespaces.start != whitespaces.end {
                    if leading_blanks {
                        if leading_break.starts_with('\n') {
                            if trailing_breaks.is_empty() {
                                s.push(' ');
                            } else {
                                s.push_str(&trailing_breaks);
                            }
                        } else {
                            s.push_str(leading_break);
                            s.push_str(&trailing_breaks);
                        }
                        trailing_breaks.clear();
                        leading_break = "";
                        leading_blanks = false;
                    } else {
                        self.push_range(&mut s, whitespaces.clone());
                        whitespaces = 0..0;
                    }
                }
                if self.unlimited() {
                    // The rest of the run of ordinary characters in one go
                    // (what the character-by-character loop would read).
                    let t = self.input.text.as_bytes();
                    let from = self.pos;
                    let in_flow = self.flow_level > 0;
                    let (to, rest) = run_until(
                        t,
                        from + utf8_width(t.get(from).copied().unwrap_or(0)),
                        |b, at| {
                            matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0)
                                || (b == b':' && is_blankz_at(t, at + 1))
                                || (in_flow && matches!(b, b',' | b'?' | b'[' | b']' | b'{' | b'}'))
                        },
                    );
                    let chars = 1 + rest;
                    s.push_str(self.input.text.get(from..to).unwrap_or(""));
                    self.pos = to;
                    self.mark.index += chars;
                    self.mark.column += chars;
                    end = self.mark;
                    continue;
                }
                self.read(&mut s);
                end = self.mark;
                self.cache(2)?;
            }
            if !(is_blank(self.ch(0)) || is_break(self.ch(0))) {
                break;
            }
            self.cache(1)?;
            while is_blank(self.ch(0)) || is_break(self.ch(0)) {
                if is_blank(self.ch(0)) {
                    if leading_blanks && (self.mark.column as i64) < indent && self.ch(0) == '\t' {
                        return Err(
                            self.err(start, "found a tab character that violates indentation")
                        );
                    }
                    if !leading_blanks {
                        self.read_blank(&mut whitespaces);
                    } else {
                        self.skip();
                    }
                } else {
                    self.cache(2)?;
                    if !leading_blanks {
                        whitespaces = 0..0;
                        leading_break = self.take_break();
                        leading_blanks = true;
                    } else {
                        self.read_line(&mut trailing_breaks);
                    }
                }
                self.cache(1)?;
            }
            if self.flow_level == 0 && (self.mark.column as i64) < indent {
                break;
            }
        }
        if leading_blanks {
            self.simple_key_allowed = true;
        }
        Ok(Token {
            kind: TokenKind::Scalar(s.into(), ScalarStyle::Plain),
            start,
            end,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The token stream (or the error it ends with) as text.
    fn tokens(text: &[u8], fast: bool) -> String {
        let input = Input::new(text);
        let mut sc = Scanner::new(&input);
        sc.fast = fast;
        let mut out = String::new();
        loop {
            match sc.peek() {
                Ok(t) => {
                    out.push_str(&format!("{t:?}\n"));
                    if t.kind == TokenKind::StreamEnd {
                        return out;
                    }
                }
                Err(e) => return out + &format!("{e:?}"),
            }
            sc.skip_token();
        }
    }

    #[test]
    fn keys_by_token_is_a_map_under_growing_numbers() {
        // Random inserts and removes at growing token numbers, lookups at a
        // growing head, against a hash map.
        let mut model = std::collections::HashMap::new();
        let mut keys = KeysByToken::default();
        let (mut next, mut head, mut rng) = (0usize, 0usize, 0x9E37_79B9_7F4A_7C15u64);
        let mut hits = 0;
        for _ in 0..20_000 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            match rng % 5 {
                0 | 1 => {
                    next += (rng >> 8) as usize % 3;
                    let idx = (rng >> 16) as usize % 4;
                    model.insert(next, idx);
                    keys.insert(next, idx);
                }
                2 => {
                    let t = next.saturating_sub((rng >> 8) as usize % 4);
                    model.remove(&t);
                    keys.remove(t);
                }
                _ => {
                    head = (head + (rng >> 8) as usize % 2).min(next);
                    let want = model.get(&head).copied();
                    hits += usize::from(want.is_some());
                    assert_eq!(keys.get(head), want);
                }
            }
        }
        assert!(hits > 1000, "{hits}");
    }

    #[test]
    fn one_pass_scalars_match_the_general_loops() {
        // Every text of up to 4 characters over an alphabet of scalar
        // characters, blanks, breaks and indicators (up to 5 over a smaller
        // one with quotes and backslashes), after prefixes that put it in block mappings, sequences and
        // flow collections.
        let full = [
            "a", " ", ":", "#", "\n", "\t", "-", ",", "[", "\u{e9}", "\r", "\u{85}",
        ];
        let small = ["a", " ", ":", "#", "\n", "\t", "'", "\"", "\\"];
        let prefixes = ["", "k:\n  ", "- ", "k: ", "{a: ", "  k: v\n  "];
        let mut text = String::new();
        let mut fast_hits = 0;
        for (alphabet, max) in [(&full[..], 4u32), (&small[..], 5)] {
            for len in 0..=max {
                for mut n in 0..alphabet.len().pow(len) {
                    let mut body = String::new();
                    for _ in 0..len {
                        body.push_str(alphabet[n % alphabet.len()]);
                        n /= alphabet.len();
                    }
                    for p in prefixes {
                        text.clear();
                        text.push_str(p);
                        text.push_str(&body);
                        let fast = tokens(text.as_bytes(), true);
                        assert_eq!(fast, tokens(text.as_bytes(), false), "{text:?}");
                        fast_hits += usize::from(fast.contains("Scalar"));
                    }
                }
            }
        }
        assert!(fast_hits > 50_000, "{fast_hits}");
    }
}
