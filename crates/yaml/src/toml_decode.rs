//! BurntSushi/toml v1.6.0's decoder as helm's `fromToml` runs it:
//! `toml.Unmarshal(data, &map[string]interface{})`.
//!
//! This is a state machine lexer and a recursive parser with the same
//! states, the same leniencies and the same error texts (including which
//! line they name and the `(last key "...")` part) as BurntSushi's. The lexer
//! runs lazily, a state at a time whenever the parser wants an item and none
//! is waiting (BurntSushi's lexer feeds a channel the parser drains the same
//! way), so an error the parser finds first wins over a later lexer error.
//!
//! The parser's bookkeeping is BurntSushi's too: tables live in an arena
//! (Go's maps are references), keys of implicitly created tables and the
//! TOML type last set for each key decide which redefinitions pass. That is
//! how `a.b = 1` followed by `a = 2` gives `{"a": {"b": 1}}`.

use gotmpl::strconv::{quote, quote_rune};
use gotmpl::{MapEntries, Type, Value};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::rc::Rc;

/// How deeply arrays and inline tables may nest. BurntSushi has no limit
/// (Go's stack grows to 1 GB); values this deep are beyond what the rest of
/// chartgen handles (goyaml and encoding/json stop at 10000 too), so deeper
/// nesting is an error here, helm's only known difference.
const MAX_DEPTH: usize = 10_000;

/// Go's `eof` rune of the lexer (the NUL character never gets this far: it
/// is a control character).
const EOF: u32 = 0;
/// `utf8.RuneError`, which `next` returns after queueing an error.
const RUNE_ERROR: u32 = 0xFFFD;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum It {
    Error,
    Eof,
    Text,
    String,
    StringEsc,
    RawString,
    MultilineString,
    RawMultilineString,
    Bool,
    Integer,
    Float,
    Datetime,
    Array,
    ArrayEnd,
    TableStart,
    TableEnd,
    ArrayTableStart,
    ArrayTableEnd,
    KeyStart,
    KeyEnd,
    CommentStart,
    InlineTableStart,
    InlineTableEnd,
}

impl It {
    /// `itemType.String()`.
    fn name(self) -> &'static str {
        match self {
            It::Error => "Error",
            It::Eof => "EOF",
            It::Text => "Text",
            It::String
            | It::StringEsc
            | It::RawString
            | It::MultilineString
            | It::RawMultilineString => "String",
            It::Bool => "Bool",
            It::Integer => "Integer",
            It::Float => "Float",
            It::Datetime => "DateTime",
            It::Array => "Array",
            It::ArrayEnd => "ArrayEnd",
            It::TableStart => "TableStart",
            It::TableEnd => "TableEnd",
            It::ArrayTableStart => "ArrayTableStart",
            It::ArrayTableEnd => "ArrayTableEnd",
            It::KeyStart => "KeyStart",
            It::KeyEnd => "KeyEnd",
            It::CommentStart => "CommentStart",
            It::InlineTableStart => "InlineTableStart",
            It::InlineTableEnd => "InlineTableEnd",
        }
    }
}

struct Item {
    typ: It,
    val: String,
    /// The error message of an `It::Error` item.
    err: String,
    /// `pos.Line`: the only part of a position the error text shows.
    line: i64,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum St {
    Top,
    TopEnd,
    TableStart,
    TableEnd,
    ArrayTableEnd,
    TableNameStart,
    TableNameEnd,
    BareName,
    QuotedName,
    KeyStart,
    KeyNameStart,
    KeyEnd,
    Value,
    ArrayValue,
    ArrayValueEnd,
    ArrayEnd,
    InlineTableValue,
    InlineTableValueEnd,
    InlineTableEnd,
    String,
    MultilineString,
    RawString,
    MultilineRawString,
    MultilineStringEscape,
    StringEscape,
    HexEscape,
    ShortUnicodeEscape,
    LongUnicodeEscape,
    NumberOrDateStart,
    NumberOrDate,
    Datetime,
    HexInteger,
    OctalInteger,
    BinaryInteger,
    DecimalNumber,
    DecimalNumberStart,
    BaseNumberOrDate,
    Float,
    Bool,
    CommentStart,
    Comment,
}

fn is_whitespace(r: u32) -> bool {
    r == '\t' as u32 || r == ' ' as u32
}
fn is_nl(r: u32) -> bool {
    r == '\n' as u32 || r == '\r' as u32
}
fn is_control(r: u32) -> bool {
    match r {
        0x09 | 0x0A | 0x0D => false,
        _ => r <= 0x1f || r == 0x7f,
    }
}
fn is_digit(r: u32) -> bool {
    (b'0' as u32..=b'9' as u32).contains(&r)
}
fn is_binary(r: u32) -> bool {
    r == b'0' as u32 || r == b'1' as u32
}
fn is_octal(r: u32) -> bool {
    (b'0' as u32..=b'7' as u32).contains(&r)
}
fn is_hex(r: u32) -> bool {
    is_digit(r) || (b'a' as u32..=b'f' as u32).contains(&(r | 0x20))
}
fn is_bare_key_char(r: u32) -> bool {
    match char::from_u32(r) {
        Some(c) => c.is_ascii_alphanumeric() || c == '_' || c == '-',
        None => false,
    }
}
fn is_letter(r: u32) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as GC};
    match char::from_u32(r) {
        Some(c) => matches!(
            get_general_category(c),
            GC::UppercaseLetter
                | GC::LowercaseLetter
                | GC::TitlecaseLetter
                | GC::ModifierLetter
                | GC::OtherLetter
        ),
        None => false,
    }
}
fn ch(r: u32) -> char {
    char::from_u32(r).unwrap_or('\u{FFFD}')
}
/// `%q` of a rune.
fn qr(r: u32) -> String {
    quote_rune(ch(r))
}
/// `runeOrEOF`.
fn rune_or_eof(r: u32) -> String {
    if r == EOF {
        "end of file".into()
    } else {
        format!("'{}'", ch(r))
    }
}
fn c(r: char) -> u32 {
    r as u32
}

/// What stops decoding: a `ParseError` (its `Error()` text) or a Go panic
/// that is not one (BurntSushi's "BUG" panics; helm's template engine would
/// report them as a failed call).
pub(crate) enum Fail {
    Parse(String),
    Bug(String),
}

struct Lexer<'a> {
    input: &'a [u8],
    start: usize,
    pos: usize,
    line: i64,
    state: Option<St>,
    items: VecDeque<Item>,
    esc: bool,
    prev_widths: [usize; 4],
    nprev: usize,
    at_eof: bool,
    stack: Vec<St>,
    /// An error item was queued: nothing after it is ever read.
    dead: bool,
    /// A Go panic inside the lexer.
    bug: Option<String>,
}

impl<'a> Lexer<'a> {
    fn new(input: &'a [u8]) -> Self {
        Lexer {
            input,
            start: 0,
            pos: 0,
            line: 1,
            state: Some(St::Top),
            items: VecDeque::new(),
            esc: false,
            prev_widths: [0; 4],
            nprev: 0,
            at_eof: false,
            stack: Vec::with_capacity(10),
            dead: false,
            bug: None,
        }
    }

    fn next_item(&mut self) -> Result<Item, Fail> {
        loop {
            if let Some(b) = self.bug.take() {
                return Err(Fail::Bug(b));
            }
            if let Some(it) = self.items.pop_front() {
                return Ok(it);
            }
            match self.state {
                Some(s) => self.state = self.step(s),
                // Go would call a nil state function here; the parser never
                // asks after EOF or an error.
                None => return Err(Fail::Bug("lexer called after its end".into())),
            }
        }
    }

    fn set_bug(&mut self, msg: &str) {
        if !self.dead && self.bug.is_none() {
            self.bug = Some(msg.to_string());
        }
        self.dead = true;
    }

    fn push(&mut self, s: St) {
        self.stack.push(s);
    }

    fn pop(&mut self) -> Option<St> {
        match self.stack.pop() {
            Some(s) => Some(s),
            None => {
                self.set_bug("BUG in lexer: no states to pop");
                None
            }
        }
    }

    fn current(&self) -> String {
        let b = self.input.get(self.start..self.pos).unwrap_or_default();
        String::from_utf8_lossy(b).into_owned()
    }

    fn queue(&mut self, it: Item) {
        if self.dead {
            return;
        }
        if it.typ == It::Error {
            self.dead = true;
        }
        self.items.push_back(it);
    }

    fn emit(&mut self, typ: It) {
        if self.start > self.pos {
            let b = self.input.get(self.pos).copied().unwrap_or(0);
            self.error(format!("invalid UTF-8 byte: 0x{b:02x}"));
            return;
        }
        let val = self.current();
        self.queue(Item {
            typ,
            val,
            err: String::new(),
            line: self.line,
        });
        self.start = self.pos;
    }

    fn emit_trim(&mut self, typ: It) {
        let val = self.current();
        let val = val.trim_matches(|c: char| c.is_whitespace()).to_string();
        self.queue(Item {
            typ,
            val,
            err: String::new(),
            line: self.line,
        });
        self.start = self.pos;
    }

    fn next(&mut self) -> u32 {
        if self.at_eof {
            self.set_bug("BUG in lexer: next called after EOF");
            return EOF;
        }
        if self.pos >= self.input.len() {
            self.at_eof = true;
            return EOF;
        }
        if self.input[self.pos] == b'\n' {
            self.line += 1;
        }
        self.prev_widths[3] = self.prev_widths[2];
        self.prev_widths[2] = self.prev_widths[1];
        self.prev_widths[1] = self.prev_widths[0];
        if self.nprev < 4 {
            self.nprev += 1;
        }
        let (r, w) = gotmpl::gostr::decode_rune(&self.input[self.pos..]);
        let r = r as u32;
        if r == RUNE_ERROR && w == 1 {
            let b = self.input[self.pos];
            self.error(format!("invalid UTF-8 byte: 0x{b:02x}"));
            return RUNE_ERROR;
        }
        if is_control(r)
            || (r == c('\r')
                && (self.input.len() - 1 == self.pos || self.input[self.pos + 1] != b'\n'))
        {
            self.error_pos(format!(
                "TOML files cannot contain control characters: '0x{r:02x}'"
            ));
            return RUNE_ERROR;
        }
        self.prev_widths[0] = w;
        self.pos += w;
        r
    }

    fn ignore(&mut self) {
        self.start = self.pos;
    }

    fn backup(&mut self) {
        if self.at_eof {
            self.at_eof = false;
            return;
        }
        if self.nprev < 1 {
            self.set_bug("BUG in lexer: backed up too far");
            return;
        }
        let w = self.prev_widths[0];
        self.prev_widths[0] = self.prev_widths[1];
        self.prev_widths[1] = self.prev_widths[2];
        self.prev_widths[2] = self.prev_widths[3];
        self.nprev -= 1;
        self.pos = self.pos.saturating_sub(w);
        if self.pos < self.input.len() && self.input[self.pos] == b'\n' {
            self.line -= 1;
        }
    }

    fn accept(&mut self, valid: u32) -> bool {
        if self.next() == valid {
            return true;
        }
        self.backup();
        false
    }

    fn peek(&mut self) -> u32 {
        let r = self.next();
        self.backup();
        r
    }

    fn skip_ws(&mut self) {
        loop {
            let r = self.next();
            if self.dead {
                return;
            }
            if is_whitespace(r) {
                continue;
            }
            self.backup();
            self.ignore();
            return;
        }
    }

    fn error_item(&mut self, line: i64, err: String) {
        self.queue(Item {
            typ: It::Error,
            val: String::new(),
            err,
            line,
        });
    }

    /// `lx.error`.
    fn error(&mut self, err: String) -> Option<St> {
        if self.at_eof {
            return self.error_prev_line(err);
        }
        self.error_item(self.line, err);
        None
    }

    fn error_prev_line(&mut self, err: String) -> Option<St> {
        self.error_item(self.line - 1, err);
        None
    }

    fn error_pos(&mut self, err: String) -> Option<St> {
        self.error_item(self.line, err);
        None
    }

    fn errorf(&mut self, err: String) -> Option<St> {
        if self.at_eof {
            let mut line = self.line;
            if self.pos >= 1 && self.input.get(self.pos - 1) == Some(&b'\n') {
                line -= 1;
            }
            self.error_item(line, err);
            return None;
        }
        self.error_item(self.line, err);
        None
    }

    fn step(&mut self, s: St) -> Option<St> {
        match s {
            St::Top => {
                let r = self.next();
                if is_whitespace(r) || is_nl(r) {
                    self.ignore();
                    return Some(St::Top);
                }
                if r == c('#') {
                    self.push(St::Top);
                    return Some(St::CommentStart);
                }
                if r == c('[') {
                    return Some(St::TableStart);
                }
                if r == EOF {
                    if self.pos > self.start {
                        return self.errorf("unexpected EOF".into());
                    }
                    self.emit(It::Eof);
                    return None;
                }
                self.backup();
                self.push(St::TopEnd);
                Some(St::KeyStart)
            }
            St::TopEnd => {
                let r = self.next();
                if r == c('#') {
                    self.push(St::Top);
                    return Some(St::CommentStart);
                }
                if is_whitespace(r) {
                    return Some(St::TopEnd);
                }
                if is_nl(r) {
                    self.ignore();
                    return Some(St::Top);
                }
                if r == EOF {
                    self.emit(It::Eof);
                    return None;
                }
                self.errorf(format!(
                    "expected a top-level item to end with a newline, comment, or EOF, but got {} instead",
                    qr(r)
                ))
            }
            St::TableStart => {
                if self.peek() == c('[') {
                    self.next();
                    self.emit(It::ArrayTableStart);
                    self.push(St::ArrayTableEnd);
                } else {
                    self.emit(It::TableStart);
                    self.push(St::TableEnd);
                }
                Some(St::TableNameStart)
            }
            St::TableEnd => {
                self.emit(It::TableEnd);
                Some(St::TopEnd)
            }
            St::ArrayTableEnd => {
                let r = self.next();
                if r != c(']') {
                    return self.errorf(format!(
                        "expected end of table array name delimiter ']', but got {} instead",
                        qr(r)
                    ));
                }
                self.emit(It::ArrayTableEnd);
                Some(St::TopEnd)
            }
            St::TableNameStart => {
                self.skip_ws();
                let r = self.peek();
                if r == c(']') || r == EOF {
                    return self.errorf(
                        "unexpected end of table name (table names cannot be empty)".into(),
                    );
                }
                if r == c('.') {
                    return self
                        .errorf("unexpected table separator (table names cannot be empty)".into());
                }
                if r == c('"') || r == c('\'') {
                    self.ignore();
                    self.push(St::TableNameEnd);
                    return Some(St::QuotedName);
                }
                self.push(St::TableNameEnd);
                Some(St::BareName)
            }
            St::TableNameEnd => {
                self.skip_ws();
                let r = self.next();
                if r == c('.') {
                    self.ignore();
                    return Some(St::TableNameStart);
                }
                if r == c(']') {
                    return self.pop();
                }
                self.errorf(format!(
                    "expected '.' or ']' to end table name, but got {} instead",
                    qr(r)
                ))
            }
            St::BareName => {
                let r = self.next();
                if is_bare_key_char(r) {
                    return Some(St::BareName);
                }
                self.backup();
                self.emit(It::Text);
                self.pop()
            }
            St::QuotedName => {
                let r = self.next();
                if r == c('"') {
                    self.ignore();
                    return Some(St::String);
                }
                if r == c('\'') {
                    self.ignore();
                    return Some(St::RawString);
                }
                if is_whitespace(r) {
                    self.ignore();
                    return Some(St::Value);
                }
                if r == EOF {
                    return self.errorf("unexpected EOF; expected value".into());
                }
                self.errorf(format!("expected value but found {} instead", qr(r)))
            }
            St::KeyStart => {
                self.skip_ws();
                let r = self.peek();
                if r == c('=') || r == EOF {
                    return self.errorf("unexpected '=': key name appears blank".into());
                }
                if r == c('.') {
                    return self.errorf("unexpected '.': keys cannot start with a '.'".into());
                }
                if r == c('"') || r == c('\'') {
                    self.ignore();
                }
                self.emit(It::KeyStart);
                Some(St::KeyNameStart)
            }
            St::KeyNameStart => {
                self.skip_ws();
                let r = self.peek();
                if r == c('"') || r == c('\'') {
                    self.ignore();
                    self.push(St::KeyEnd);
                    return Some(St::QuotedName);
                }
                if r == c('=') || r == EOF {
                    return self.errorf("unexpected '='".into());
                }
                if r == c('.') {
                    return self.errorf("unexpected '.'".into());
                }
                self.push(St::KeyEnd);
                Some(St::BareName)
            }
            St::KeyEnd => {
                self.skip_ws();
                let r = self.next();
                if is_whitespace(r) {
                    self.ignore();
                    return Some(St::KeyEnd);
                }
                if r == EOF {
                    return self.errorf("unexpected EOF; expected key separator '='".into());
                }
                if r == c('.') {
                    self.ignore();
                    return Some(St::KeyNameStart);
                }
                if r == c('=') {
                    self.emit(It::KeyEnd);
                    self.ignore();
                    return Some(St::Value);
                }
                let msg = format!("expected '.' or '=', but got {} instead", qr(r));
                if r == c('\n') {
                    return self.error_prev_line(msg);
                }
                self.errorf(msg)
            }
            St::Value => self.lex_value(),
            St::ArrayValue => self.lex_item_start(
                St::ArrayValue,
                ']',
                St::ArrayEnd,
                St::ArrayValueEnd,
                St::Value,
            ),
            St::ArrayValueEnd => {
                let r = self.next();
                if let Some(next) = self.blank_or_comment(r, St::ArrayValueEnd) {
                    return Some(next);
                }
                if r == c(',') {
                    self.ignore();
                    return Some(St::ArrayValue);
                }
                if r == c(']') {
                    return Some(St::ArrayEnd);
                }
                self.errorf(format!(
                    "expected a comma (',') or array terminator (']'), but got {}",
                    rune_or_eof(r)
                ))
            }
            St::ArrayEnd => {
                self.ignore();
                self.emit(It::ArrayEnd);
                self.pop()
            }
            St::InlineTableValue => self.lex_item_start(
                St::InlineTableValue,
                '}',
                St::InlineTableEnd,
                St::InlineTableValueEnd,
                St::KeyStart,
            ),
            St::InlineTableValueEnd => {
                let r = self.next();
                if let Some(next) = self.blank_or_comment(r, St::InlineTableValueEnd) {
                    return Some(next);
                }
                if r == c(',') {
                    self.ignore();
                    self.skip_ws();
                    if self.peek() == c('}') {
                        return Some(St::InlineTableValueEnd);
                    }
                    return Some(St::InlineTableValue);
                }
                if r == c('}') {
                    return Some(St::InlineTableEnd);
                }
                self.errorf(format!(
                    "expected a comma or an inline table terminator '}}', but got {} instead",
                    rune_or_eof(r)
                ))
            }
            St::InlineTableEnd => {
                self.ignore();
                self.emit(It::InlineTableEnd);
                self.pop()
            }
            St::String => {
                let r = self.next();
                if r == EOF {
                    return self.errorf("unexpected EOF; expected '\"'".into());
                }
                if is_nl(r) {
                    return self.error_prev_line("strings cannot contain newlines".into());
                }
                if r == c('\\') {
                    self.push(St::String);
                    return Some(St::StringEscape);
                }
                if r == c('"') {
                    let item = if self.esc { It::StringEsc } else { It::String };
                    self.esc = false;
                    return self.emit_closed(item, 1);
                }
                Some(St::String)
            }
            St::MultilineString => {
                let r = self.next();
                if r == EOF {
                    return self.errorf("unexpected EOF; expected '\"\"\"'".into());
                }
                if r == c('\\') {
                    return Some(St::MultilineStringEscape);
                }
                if r == c('"') {
                    if self.accept(c('"')) {
                        if self.accept(c('"')) {
                            if self.peek() == c('"') {
                                let cur = self.current();
                                if cur.ends_with("\"\"\"\"\"") && !cur.ends_with("\\\"\"\"\"\"") {
                                    return self.errorf("unexpected '\"\"\"\"\"\"'".into());
                                }
                                self.backup();
                                self.backup();
                                return Some(St::MultilineString);
                            }
                            self.esc = false;
                            return self.emit_closed(It::MultilineString, 3);
                        }
                        self.backup();
                    }
                    return Some(St::MultilineString);
                }
                Some(St::MultilineString)
            }
            St::RawString => {
                let r = self.next();
                if r == EOF {
                    return self.errorf("unexpected EOF; expected \"'\"".into());
                }
                if is_nl(r) {
                    return self.error_prev_line("strings cannot contain newlines".into());
                }
                if r == c('\'') {
                    return self.emit_closed(It::RawString, 1);
                }
                Some(St::RawString)
            }
            St::MultilineRawString => {
                let r = self.next();
                if r == EOF {
                    return self.errorf("unexpected EOF; expected \"'''\"".into());
                }
                if r == c('\'') {
                    if self.accept(c('\'')) {
                        if self.accept(c('\'')) {
                            if self.peek() == c('\'') {
                                if self.current().ends_with("'''''") {
                                    return self.errorf("unexpected \"''''''\"".into());
                                }
                                self.backup();
                                self.backup();
                                return Some(St::MultilineRawString);
                            }
                            return self.emit_closed(It::RawMultilineString, 3);
                        }
                        self.backup();
                    }
                    return Some(St::MultilineRawString);
                }
                Some(St::MultilineRawString)
            }
            St::MultilineStringEscape => {
                let r = self.next();
                if is_nl(r) {
                    return Some(St::MultilineString);
                }
                self.backup();
                self.push(St::MultilineString);
                Some(St::StringEscape)
            }
            St::StringEscape => {
                self.esc = true;
                let r = self.next();
                match char::from_u32(r) {
                    Some('e' | 'b' | 't' | 'n' | 'f' | 'r' | '"' | ' ' | '\t' | '\\') => self.pop(),
                    Some('x') => Some(St::HexEscape),
                    Some('u') => Some(St::ShortUnicodeEscape),
                    Some('U') => Some(St::LongUnicodeEscape),
                    _ => self.error(format!("invalid escape in string '\\{}'", ch(r))),
                }
            }
            St::HexEscape => self.hex_escape(2, "two", 'x'),
            St::ShortUnicodeEscape => self.hex_escape(4, "four", 'u'),
            St::LongUnicodeEscape => self.hex_escape(8, "eight", 'U'),
            St::NumberOrDateStart => {
                if self.next() == c('0') {
                    return Some(St::BaseNumberOrDate);
                }
                Some(St::NumberOrDate)
            }
            St::NumberOrDate => {
                let r = self.next();
                if is_digit(r) {
                    return Some(St::NumberOrDate);
                }
                match char::from_u32(r) {
                    Some('-' | ':') => return Some(St::Datetime),
                    Some('_') => return Some(St::DecimalNumber),
                    Some('.' | 'e' | 'E') => return Some(St::Float),
                    _ => {}
                }
                self.backup();
                self.emit(It::Integer);
                self.pop()
            }
            St::Datetime => {
                let r = self.next();
                if is_digit(r) {
                    return Some(St::Datetime);
                }
                if let Some('-' | ':' | 'T' | 't' | ' ' | '.' | 'Z' | 'z' | '+') = char::from_u32(r)
                {
                    return Some(St::Datetime);
                }
                self.backup();
                self.emit_trim(It::Datetime);
                self.pop()
            }
            St::HexInteger | St::OctalInteger | St::BinaryInteger => {
                let r = self.next();
                let ok = match s {
                    St::HexInteger => is_hex(r),
                    St::OctalInteger => is_octal(r),
                    _ => is_binary(r),
                };
                if ok || r == c('_') {
                    return Some(s);
                }
                self.backup();
                self.emit(It::Integer);
                self.pop()
            }
            St::DecimalNumber => {
                let r = self.next();
                if is_digit(r) {
                    return Some(St::DecimalNumber);
                }
                match char::from_u32(r) {
                    Some('.' | 'e' | 'E') => return Some(St::Float),
                    Some('_') => return Some(St::DecimalNumber),
                    _ => {}
                }
                self.backup();
                self.emit(It::Integer);
                self.pop()
            }
            St::DecimalNumberStart => {
                let r = self.next();
                if r == c('i') {
                    if !self.accept(c('n')) || !self.accept(c('f')) {
                        let cur = self.current();
                        return self.errorf(format!("invalid float: '{cur}'"));
                    }
                    self.emit(It::Float);
                    return self.pop();
                }
                if r == c('n') {
                    if !self.accept(c('a')) || !self.accept(c('n')) {
                        let cur = self.current();
                        return self.errorf(format!("invalid float: '{cur}'"));
                    }
                    self.emit(It::Float);
                    return self.pop();
                }
                if r == c('0') {
                    let p = self.peek();
                    if p == c('b') || p == c('o') || p == c('x') {
                        let cur = self.current();
                        return self.errorf(format!(
                            "cannot use sign with non-decimal numbers: '{cur}{}'",
                            ch(p)
                        ));
                    }
                }
                if r == c('.') {
                    return self.errorf("floats must start with a digit, not '.'".into());
                }
                if is_digit(r) {
                    return Some(St::DecimalNumber);
                }
                self.errorf(format!("expected a digit but got {}", qr(r)))
            }
            St::BaseNumberOrDate => {
                let r = self.next();
                if is_digit(r) {
                    return Some(St::NumberOrDate);
                }
                match char::from_u32(r) {
                    Some('_') => return Some(St::DecimalNumber),
                    Some('.' | 'e' | 'E') => return Some(St::Float),
                    Some(k @ ('b' | 'o' | 'x')) => {
                        let p = self.peek();
                        let (ok, what, next) = match k {
                            'b' => (is_binary(p), "a binary", St::BinaryInteger),
                            'o' => (is_octal(p), "an octal", St::OctalInteger),
                            _ => (is_hex(p), "a hexadecimal", St::HexInteger),
                        };
                        if !ok {
                            let cur = self.current();
                            self.errorf(format!("not {what} number: '{cur}{}'", ch(p)));
                        }
                        return Some(next);
                    }
                    _ => {}
                }
                self.backup();
                self.emit(It::Integer);
                self.pop()
            }
            St::Float => {
                let r = self.next();
                if is_digit(r) {
                    return Some(St::Float);
                }
                if let Some('_' | '.' | '-' | '+' | 'e' | 'E') = char::from_u32(r) {
                    return Some(St::Float);
                }
                self.backup();
                self.emit(It::Float);
                self.pop()
            }
            St::Bool => {
                let mut rs = String::new();
                loop {
                    let r = self.next();
                    if !is_letter(r) {
                        self.backup();
                        break;
                    }
                    rs.push(ch(r));
                }
                if rs == "true" || rs == "false" {
                    self.emit(It::Bool);
                    return self.pop();
                }
                self.errorf(format!("expected value but found {} instead", quote(&rs)))
            }
            St::CommentStart => {
                self.ignore();
                self.emit(It::CommentStart);
                Some(St::Comment)
            }
            St::Comment => {
                let r = self.next();
                if is_nl(r) || r == EOF {
                    self.backup();
                    self.emit(It::Text);
                    return self.pop();
                }
                Some(St::Comment)
            }
        }
    }

    fn hex_escape(&mut self, n: usize, count: &str, letter: char) -> Option<St> {
        for _ in 0..n {
            let r = self.next();
            if !is_hex(r) {
                let cur = self.current();
                return self.errorf(format!(
                    "expected {count} hexadecimal digits after '\\{letter}', but got {} instead",
                    quote(&cur)
                ));
            }
        }
        self.pop()
    }

    /// A string just read up to and including its closing quotes (`quotes`
    /// of them): emits it without them, skips them, and returns to the
    /// state that began the string.
    fn emit_closed(&mut self, item: It, quotes: usize) -> Option<St> {
        for _ in 0..quotes {
            self.backup();
        }
        self.emit(item);
        for _ in 0..quotes {
            self.next();
        }
        self.ignore();
        self.pop()
    }

    /// Inside an array or inline table: blanks (newlines too) are skipped
    /// and a comment is lexed, coming back to `this`; the state to go to when
    /// `r` is one of them.
    fn blank_or_comment(&mut self, r: u32, this: St) -> Option<St> {
        if is_whitespace(r) || is_nl(r) {
            self.ignore();
            return Some(this);
        }
        if r == c('#') {
            self.push(this);
            return Some(St::CommentStart);
        }
        None
    }

    /// Where an array's or inline table's next item starts (BurntSushi's
    /// `lexArrayValue`, `lexInlineTableValue`): blanks and comments skipped,
    /// a stray comma refused, `close` ends the container (state `end`),
    /// anything else is the item (state `item`, then `after`).
    fn lex_item_start(
        &mut self,
        this: St,
        close: char,
        end: St,
        after: St,
        item: St,
    ) -> Option<St> {
        let r = self.next();
        if let Some(next) = self.blank_or_comment(r, this) {
            return Some(next);
        }
        if r == c(',') {
            return self.errorf("unexpected comma".into());
        }
        if r == c(close) {
            return Some(end);
        }
        self.backup();
        self.push(after);
        Some(item)
    }

    fn lex_value(&mut self) -> Option<St> {
        let r = self.next();
        if is_whitespace(r) {
            self.ignore();
            return Some(St::Value);
        }
        if is_digit(r) {
            self.backup();
            return Some(St::NumberOrDateStart);
        }
        match char::from_u32(r) {
            Some('[') => {
                self.ignore();
                self.emit(It::Array);
                return Some(St::ArrayValue);
            }
            Some('{') => {
                self.ignore();
                self.emit(It::InlineTableStart);
                return Some(St::InlineTableValue);
            }
            Some(q @ ('"' | '\'')) => {
                if self.accept(c(q)) {
                    if self.accept(c(q)) {
                        self.ignore();
                        return Some(if q == '"' {
                            St::MultilineString
                        } else {
                            St::MultilineRawString
                        });
                    }
                    self.backup();
                }
                self.ignore();
                return Some(if q == '"' { St::String } else { St::RawString });
            }
            Some('.') => {
                return self.errorf("floats must start with a digit, not '.'".into());
            }
            // The accepted runes stay consumed when this fails.
            Some('i' | 'n')
                if (self.accept(c('n')) && self.accept(c('f')))
                    || (self.accept(c('a')) && self.accept(c('n'))) =>
            {
                self.emit(It::Float);
                return self.pop();
            }
            Some('-' | '+') => return Some(St::DecimalNumberStart),
            _ => {}
        }
        if is_letter(r) {
            self.backup();
            return Some(St::Bool);
        }
        if r == EOF {
            return self.errorf("unexpected EOF; expected value".into());
        }
        let msg = format!("expected value but found {} instead", qr(r));
        if r == c('\n') {
            return self.error_prev_line(msg);
        }
        self.errorf(msg)
    }
}

// ---------------------------------------------------------------------------
// Parser

/// A Go value as the parser holds it (`interface{}`).
#[derive(Clone)]
enum V {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    Datetime(Value),
    /// `[]interface{}`: an arena index (so that no value owns a deep tree).
    Arr(usize),
    /// `map[string]interface{}`: an arena index (maps are references).
    Map(usize),
    /// `[]map[string]interface{}`: an array of tables.
    Aot(Vec<usize>),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TType {
    Integer,
    Float,
    Datetime,
    String,
    Bool,
    Array,
    Hash,
    ArrayHash,
}

/// A key part: cheap to copy, as contexts are copied a lot.
type Part = Rc<str>;

/// `Key.String()` of the parts.
fn key_str_of<'k>(parts: impl IntoIterator<Item = &'k str>) -> String {
    let mut b = String::new();
    for (i, k) in parts.into_iter().enumerate() {
        if i > 0 {
            b.push('.');
        }
        if k.is_empty() {
            b.push_str("\"\"");
        } else if crate::toml::bare(k) {
            b.push_str(k);
        } else {
            b.push_str(&crate::toml::quote(k));
        }
    }
    b
}

/// `Key.String()`.
fn key_str(k: &[Part]) -> String {
    key_str_of(k.iter().map(|p| &**p))
}

/// `Key.String()` of `k` with `last` appended.
fn key_str_plus(k: &[Part], last: &str) -> String {
    key_str_of(k.iter().map(|p| &**p).chain(std::iter::once(last)))
}

/// `%q` of a `Key`: its `String()`, quoted.
fn key_q(k: &[Part]) -> String {
    quote(&key_str(k))
}

struct Parser<'a, 'd> {
    lx: Lexer<'a>,
    context: Vec<Part>,
    current_key: Part,
    /// `p.pos.Line`.
    pos_line: i64,
    key_info: HashMap<String, TType>,
    maps: Vec<BTreeMap<String, V>>,
    arrays: Vec<Vec<V>>,
    implicits: HashSet<String>,
    datetime: &'d dyn Fn(&str) -> Option<Value>,
    /// How many arrays and inline tables are open.
    depth: usize,
}

type R<T> = Result<T, Fail>;

impl<'a, 'd> Parser<'a, 'd> {
    /// `p.current()`.
    fn current(&self) -> String {
        if self.current_key.is_empty() {
            return key_str(&self.context);
        }
        if self.context.is_empty() {
            return self.current_key.to_string();
        }
        format!("{}.{}", key_str(&self.context), self.current_key)
    }

    fn err_at(&self, line: i64, msg: String) -> Fail {
        let last = self.current();
        if last.is_empty() {
            Fail::Parse(format!("toml: line {line}: {msg}"))
        } else {
            Fail::Parse(format!(
                "toml: line {line} (last key {}): {msg}",
                quote(&last)
            ))
        }
    }

    /// `p.panicItemf` / `p.panicErr`.
    fn item_err(&self, it: &Item, msg: String) -> Fail {
        self.err_at(it.line, msg)
    }

    /// `p.panicf`.
    fn panicf(&self, msg: String) -> Fail {
        self.err_at(self.pos_line, msg)
    }

    fn next(&mut self) -> R<Item> {
        let it = self.lx.next_item()?;
        if it.typ == It::Error {
            return Err(self.err_at(it.line, it.err.clone()));
        }
        Ok(it)
    }

    fn next_pos(&mut self) -> R<Item> {
        let it = self.next()?;
        self.pos_line = it.line;
        Ok(it)
    }

    fn assert_equal(&self, expected: It, got: It) -> R<()> {
        if expected != got {
            return Err(Fail::Bug(format!(
                "BUG: Expected '{}' but got '{}'.\n\n",
                expected.name(),
                got.name()
            )));
        }
        Ok(())
    }

    fn expect(&mut self, typ: It) -> R<Item> {
        let it = self.next()?;
        self.assert_equal(typ, it.typ)?;
        Ok(it)
    }

    fn new_map(&mut self) -> usize {
        self.maps.push(BTreeMap::new());
        self.maps.len() - 1
    }

    fn parse(&mut self) -> R<()> {
        loop {
            let item = self.next()?;
            if item.typ == It::Eof {
                return Ok(());
            }
            self.top_level(item)?;
        }
    }

    /// Reads key parts up to `end`.
    fn read_key(&mut self, end: It) -> R<Vec<Part>> {
        let mut k = self.next_pos()?;
        let mut key = Vec::new();
        while k.typ != end && k.typ != It::Eof {
            key.push(self.key_string(&k)?.into());
            k = self.next()?;
        }
        self.assert_equal(end, k.typ)?;
        Ok(key)
    }

    fn top_level(&mut self, item: Item) -> R<()> {
        match item.typ {
            It::CommentStart => {
                self.expect(It::Text)?;
            }
            It::TableStart => {
                let key = self.read_key(It::TableEnd)?;
                self.add_context(&key, false)?;
                self.set_type("", TType::Hash);
            }
            It::ArrayTableStart => {
                let key = self.read_key(It::ArrayTableEnd)?;
                self.add_context(&key, true)?;
                self.set_type("", TType::ArrayHash);
            }
            It::KeyStart => {
                let outer = self.context.clone();
                let key = self.read_key(It::KeyEnd)?;
                self.key_value(key)?;
                self.context = outer;
                self.current_key = "".into();
            }
            t => {
                return Err(Fail::Bug(format!(
                    "BUG: Unexpected type at top level: {}\n\n",
                    t.name()
                )))
            }
        }
        Ok(())
    }

    /// The part of a `key = value` pair after its key is read, shared by
    /// the top level and inline tables; gives the value set.
    fn key_value(&mut self, key: Vec<Part>) -> R<V> {
        let Some(last) = key.last() else {
            return Err(Fail::Bug("runtime error: index out of range [-1]".into()));
        };
        self.current_key = last.clone();
        let parent = &key[..key.len() - 1];
        for part in parent {
            let mut k = self.context.clone();
            k.push(part.clone());
            self.add_implicit_context(&k)?;
        }
        let v_item = self.next()?;
        let (val, typ) = self.value(v_item, false)?;
        let ck = self.current_key.clone();
        self.set_value(&ck, val.clone())?;
        self.set_type(&ck, typ);
        Ok(val)
    }

    fn key_string(&mut self, it: &Item) -> R<String> {
        match it.typ {
            It::Text => Ok(it.val.clone()),
            It::String
            | It::StringEsc
            | It::MultilineString
            | It::RawString
            | It::RawMultilineString => match self.string_value(it)? {
                V::Str(s) => Ok(s),
                _ => unreachable_bug(),
            },
            t => Err(Fail::Bug(format!(
                "BUG: Unexpected key type: {}\n\n",
                t.name()
            ))),
        }
    }

    fn string_value(&mut self, it: &Item) -> R<V> {
        Ok(V::Str(match it.typ {
            It::String | It::RawString => it.val.clone(),
            It::StringEsc => self.replace_escapes(it, &it.val)?,
            It::MultilineString => {
                let s = strip_escaped_newlines(strip_first_newline(&it.val));
                self.replace_escapes(it, &s)?
            }
            _ => strip_first_newline(&it.val).to_string(),
        }))
    }

    fn value(&mut self, it: Item, parent_is_array: bool) -> R<(V, TType)> {
        if matches!(it.typ, It::Array | It::InlineTableStart) {
            if self.depth >= MAX_DEPTH {
                return Err(self.item_err(&it, format!("exceeded max depth of {MAX_DEPTH}")));
            }
            self.depth += 1;
            let r = crate::grow(|| self.value_inner(it, parent_is_array));
            self.depth -= 1;
            return r;
        }
        self.value_inner(it, parent_is_array)
    }

    fn value_inner(&mut self, it: Item, parent_is_array: bool) -> R<(V, TType)> {
        match it.typ {
            It::String
            | It::StringEsc
            | It::MultilineString
            | It::RawString
            | It::RawMultilineString => Ok((self.string_value(&it)?, TType::String)),
            It::Integer => self.value_integer(&it),
            It::Float => self.value_float(&it),
            It::Bool => match it.val.as_str() {
                "true" => Ok((V::Bool(true), TType::Bool)),
                "false" => Ok((V::Bool(false), TType::Bool)),
                v => Err(Fail::Bug(format!(
                    "BUG: Expected boolean value, but got '{v}'.\n\n"
                ))),
            },
            It::Datetime => self.value_datetime(&it),
            It::Array => self.value_array(),
            It::InlineTableStart => self.value_inline_table(parent_is_array),
            t => Err(Fail::Bug(format!(
                "BUG: Unexpected value type: {}\n\n",
                t.name()
            ))),
        }
    }

    fn value_integer(&mut self, it: &Item) -> R<(V, TType)> {
        let s = &it.val;
        if !num_underscores_ok(s) {
            return Err(self.item_err(
                it,
                format!(
                    "Invalid integer {}: underscores must be surrounded by digits",
                    quote(s)
                ),
            ));
        }
        if num_has_leading_zero(s) {
            return Err(self.item_err(
                it,
                format!("Invalid integer {}: cannot have leading zeroes", quote(s)),
            ));
        }
        match parse_int_base0(s) {
            Ok(n) => Ok((V::Int(n), TType::Integer)),
            Err(true) => Err(self.item_err(it, format!("{s} is out of range for int64"))),
            Err(false) => Err(Fail::Bug(format!(
                "BUG: Expected integer value, but got '{s}'.\n\n"
            ))),
        }
    }

    fn value_float(&mut self, it: &Item) -> R<(V, TType)> {
        let s = &it.val;
        let parts: Vec<&str> = s.split(['.', 'e', 'E']).filter(|p| !p.is_empty()).collect();
        for part in &parts {
            if !num_underscores_ok(part) {
                return Err(self.item_err(
                    it,
                    format!(
                        "Invalid float {}: underscores must be surrounded by digits",
                        quote(s)
                    ),
                ));
            }
        }
        if !parts.is_empty() && num_has_leading_zero(parts[0]) {
            return Err(self.item_err(
                it,
                format!("Invalid float {}: cannot have leading zeroes", quote(s)),
            ));
        }
        if !num_periods_ok(s) {
            return Err(self.item_err(
                it,
                format!(
                    "Invalid float {}: '.' must be followed by one or more digits",
                    quote(s)
                ),
            ));
        }
        let mut val = s.replace('_', "");
        let mut signbit = false;
        if val == "+nan" || val == "-nan" {
            signbit = val == "-nan";
            val = "nan".into();
        }
        match parse_float(&val) {
            Some((f, false)) => {
                let f = if signbit { -f.abs() } else { f };
                Ok((V::Float(f), TType::Float))
            }
            Some((_, true)) => Err(self.item_err(it, format!("{s} is out of range for float64"))),
            None => Err(self.item_err(it, format!("Invalid float value: {}", quote(s)))),
        }
    }

    fn value_datetime(&mut self, it: &Item) -> R<(V, TType)> {
        let text: String = it
            .val
            .chars()
            .map(|c| match c {
                'z' => 'Z',
                't' | ' ' => 'T',
                c => c,
            })
            .collect();
        let bad = || format!("invalid datetime: {}", quote(&text));
        match (self.datetime)(&text) {
            Some(v) if !missing_leading_zero(&text) => Ok((V::Datetime(v), TType::Datetime)),
            _ => Err(self.item_err(it, bad())),
        }
    }

    fn value_array(&mut self) -> R<(V, TType)> {
        let ck = self.current_key.clone();
        self.set_type(&ck, TType::Array);
        let mut array = Vec::with_capacity(2);
        loop {
            let it = self.next()?;
            if it.typ == It::ArrayEnd {
                break;
            }
            if it.typ == It::CommentStart {
                self.expect(It::Text)?;
                continue;
            }
            let (v, _) = self.value(it, true)?;
            array.push(v);
        }
        self.arrays.push(array);
        Ok((V::Arr(self.arrays.len() - 1), TType::Array))
    }

    fn value_inline_table(&mut self, parent_is_array: bool) -> R<(V, TType)> {
        let top = self.new_map();
        let outer_context = self.context.clone();
        let outer_key = self.current_key.clone();
        self.context.push(self.current_key.clone());
        let prev_context = self.context.clone();
        self.current_key = "".into();

        let ctx = self.context.clone();
        self.add_implicit(&ctx);
        self.add_context(&ctx, parent_is_array)?;

        loop {
            let it = self.next()?;
            if it.typ == It::InlineTableEnd {
                break;
            }
            if it.typ == It::CommentStart {
                self.expect(It::Text)?;
                continue;
            }
            let key = self.read_key(It::KeyEnd)?;
            let val = self.key_value(key.clone())?;
            let mut hash = top;
            for part in &key[..key.len() - 1] {
                let h = match self.maps[hash].get(&**part) {
                    Some(h) => h.clone(),
                    None => {
                        let m = self.new_map();
                        self.maps[hash].insert(part.to_string(), V::Map(m));
                        V::Map(m)
                    }
                };
                match h {
                    V::Map(m) => hash = m,
                    _ => {
                        return Err(self.panicf(format!("{} is not a table", key_q(&self.context))))
                    }
                }
            }
            let ck = self.current_key.clone();
            self.maps[hash].insert(ck.to_string(), val);
            self.context = prev_context.clone();
        }
        self.context = outer_context;
        self.current_key = outer_key;
        Ok((V::Map(top), TType::Hash))
    }

    fn add_context(&mut self, key: &[Part], array: bool) -> R<()> {
        let Some(last) = key.last() else {
            return Err(Fail::Bug(
                "runtime error: slice bounds out of range [:-1]".into(),
            ));
        };
        let mut hash = 0usize;
        let mut key_context: Vec<Part> = Vec::with_capacity(key.len());
        for k in &key[..key.len() - 1] {
            key_context.push(k.clone());
            if !self.maps[hash].contains_key(&**k) {
                self.add_implicit(&key_context);
                let m = self.new_map();
                self.maps[hash].insert(k.to_string(), V::Map(m));
            }
            hash = match &self.maps[hash][&**k] {
                V::Aot(t) => *t.last().unwrap_or(&0),
                V::Map(m) => *m,
                _ => {
                    return Err(self.panicf(format!(
                        "Key '{}' was already created as a hash.",
                        key_str(&key_context)
                    )))
                }
            };
        }
        self.context = key_context;
        if array {
            if !self.maps[hash].contains_key(&**last) {
                self.maps[hash].insert(last.to_string(), V::Aot(Vec::new()));
            }
            let m = self.new_map();
            match self.maps[hash].get_mut(&**last) {
                Some(V::Aot(t)) => t.push(m),
                _ => {
                    return Err(self.panicf(format!(
                        "Key '{}' was already created and cannot be used as an array.",
                        key_str(key)
                    )))
                }
            }
        } else {
            let m = self.new_map();
            self.set_value(last, V::Map(m))?;
        }
        self.context.push(last.clone());
        Ok(())
    }

    fn set_value(&mut self, key: &str, value: V) -> R<()> {
        let mut hash = 0usize;
        for (i, k) in self.context.iter().enumerate() {
            hash = match self.maps[hash].get(&**k) {
                None => {
                    return Err(Fail::Bug(format!(
                        "BUG: Context for key '{}' has not been established.\n\n",
                        key_str(&self.context[..=i])
                    )))
                }
                Some(V::Aot(t)) => *t.last().unwrap_or(&0),
                Some(V::Map(m)) => *m,
                Some(_) => {
                    return Err(self.panicf(format!(
                        "Key '{}' has already been defined.",
                        key_str(&self.context[..=i])
                    )))
                }
            };
        }
        if self.maps[hash].contains_key(key) {
            let kc = key_str_plus(&self.context, key);
            if self.key_info.get(&kc) == Some(&TType::Array) {
                if !self.implicits.contains(&kc) {
                    return Err(self.panicf(format!("Key '{kc}' has already been defined.")));
                }
                self.implicits.remove(&kc);
                self.maps[hash].insert(key.to_string(), value);
                return Ok(());
            }
            if self.implicits.remove(&kc) {
                return Ok(());
            }
            return Err(self.panicf(format!("Key '{kc}' has already been defined.")));
        }
        self.maps[hash].insert(key.to_string(), value);
        Ok(())
    }

    fn set_type(&mut self, key: &str, typ: TType) {
        let kc = if !key.is_empty() {
            key_str_plus(&self.context, key)
        } else if self.context.is_empty() {
            "\"\"".to_string()
        } else {
            key_str(&self.context)
        };
        self.key_info.insert(kc, typ);
    }

    fn add_implicit(&mut self, key: &[Part]) {
        self.implicits.insert(key_str(key));
    }

    fn add_implicit_context(&mut self, key: &[Part]) -> R<()> {
        self.add_implicit(key);
        self.add_context(key, false)
    }

    fn replace_escapes(&self, it: &Item, s: &str) -> R<String> {
        let b = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let mut skip = 0;
        for (i, c) in s.char_indices() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            let Some(&e) = b.get(i + 1) else {
                return Err(Fail::Bug(format!(
                    "runtime error: index out of range [{}] with length {}",
                    i + 1,
                    b.len()
                )));
            };
            let (n, rep) = match e {
                b' ' | b'\t' => {
                    return Err(self.item_err(it, format!("invalid escape: '\\{}'", e as char)))
                }
                b'b' => (1, '\x08'),
                b't' => (1, '\t'),
                b'n' => (1, '\n'),
                b'f' => (1, '\x0c'),
                b'r' => (1, '\r'),
                b'e' => (1, '\x1b'),
                b'"' => (1, '"'),
                b'\\' => (1, '\\'),
                b'x' | b'u' | b'U' => {
                    let n = match e {
                        b'x' => 2,
                        b'u' => 4,
                        _ => 8,
                    };
                    let Some(hex) = s.get(i + 2..i + 2 + n) else {
                        return Err(Fail::Bug("runtime error: slice bounds out of range".into()));
                    };
                    let Ok(code) = u32::from_str_radix(hex, 16) else {
                        return Err(Fail::Bug(format!(
                            "BUG: Could not parse '{hex}' as a hexadecimal number, but the lexer claims it's OK\n\n"
                        )));
                    };
                    // Go's rune(hex) is an int32: above 0x7FFFFFFF it is
                    // negative, and invalid either way.
                    match char::from_u32(code) {
                        Some(c) => (n + 1, c),
                        None => {
                            return Err(self.item_err(
                                it,
                                format!("Escaped character '\\u{hex}' is not valid UTF-8."),
                            ))
                        }
                    }
                }
                _ => {
                    return Err(Fail::Bug(format!(
                        "BUG: Expected valid escape code after \\, but got {}.\n\n",
                        quote_rune(e as char)
                    )))
                }
            };
            out.push(rep);
            skip = n;
        }
        Ok(out)
    }

    fn to_value(&self, v: &V) -> Value {
        crate::grow(|| match v {
            V::Int(n) => Value::int64(*n),
            V::Float(f) => Value::Float(*f),
            V::Bool(b) => Value::Bool(*b),
            V::Str(s) => Value::string(s.as_str()),
            V::Datetime(d) => d.clone(),
            V::Arr(a) => Value::list(self.arrays[*a].iter().map(|x| self.to_value(x)).collect()),
            V::Map(m) => self.map_value(*m),
            V::Aot(t) => Value::typed_list(
                Type::map_of(Type::Interface),
                t.iter().map(|m| self.map_value(*m)).collect(),
            ),
        })
    }

    fn map_value(&self, m: usize) -> Value {
        let mut e = MapEntries::new();
        for (k, v) in &self.maps[m] {
            e.insert(k.as_str().into(), self.to_value(v));
        }
        Value::map(e)
    }
}

fn unreachable_bug<T>() -> R<T> {
    Err(Fail::Bug("BUG: unreachable".into()))
}

fn strip_first_newline(s: &str) -> &str {
    if let Some(r) = s.strip_prefix('\n') {
        return r;
    }
    if let Some(r) = s.strip_prefix("\r\n") {
        return r;
    }
    s
}

/// `stripEscapedNewlines`: drops each line-ending backslash and the
/// whitespace (newlines included) after it.
fn strip_escaped_newlines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut s = s;
    let mut i = 0;
    loop {
        let Some(ix) = s[i..].find('\\') else {
            out.push_str(s);
            return out;
        };
        i += ix;
        let b = s.as_bytes();
        if b.len() > i + 1 && b[i + 1] == b'\\' {
            i += 2;
            continue;
        }
        let mut j = i + 1;
        while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r' | b'\n') {
            j += 1;
        }
        if j == i + 1 {
            i += 1;
            continue;
        }
        if !s[i..j].contains('\n') {
            i += 1;
            continue;
        }
        out.push_str(&s[..i]);
        s = &s[j..];
        i = 0;
    }
}

fn num_has_leading_zero(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() > 1 && b[0] == b'0' && !(b[1] == b'b' || b[1] == b'o' || b[1] == b'x') {
        return true;
    }
    b.len() > 2 && (b[0] == b'-' || b[0] == b'+') && b[1] == b'0'
}

fn num_underscores_ok(s: &str) -> bool {
    if matches!(s, "nan" | "+nan" | "-nan" | "inf" | "-inf" | "+inf") {
        return true;
    }
    let mut accept = false;
    for r in s.chars() {
        if r == '_' && !accept {
            return false;
        }
        accept = is_hex(r as u32);
    }
    accept
}

fn num_periods_ok(s: &str) -> bool {
    let mut period = false;
    for r in s.chars() {
        if period && !r.is_ascii_digit() {
            return false;
        }
        period = r == '.';
    }
    !period
}

/// Go's `strconv.ParseInt(s, 0, 64)` for what the lexer gives: `Err(true)`
/// when out of range, `Err(false)` on bad syntax.
fn parse_int_base0(s: &str) -> Result<i64, bool> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if !gotmpl::strconv::underscore_ok(s) {
        return Err(false);
    }
    let lower = body.to_ascii_lowercase();
    let (base, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    let mut n: u128 = 0;
    let mut any = false;
    for b in digits.bytes() {
        if b == b'_' {
            continue;
        }
        let d = match b {
            b'0'..=b'9' => (b - b'0') as u32,
            b'a'..=b'z' => (b - b'a') as u32 + 10,
            _ => return Err(false),
        };
        if d >= base {
            return Err(false);
        }
        any = true;
        n = (n * base as u128 + d as u128).min(1 << 70);
    }
    if !any {
        return Err(false);
    }
    if neg {
        if n > 1 << 63 {
            return Err(true);
        }
        Ok((n as i128).wrapping_neg() as i64)
    } else if n > i64::MAX as u128 {
        Err(true)
    } else {
        Ok(n as i64)
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for what the lexer gives: the value and
/// whether it is out of range, `None` on bad syntax.
fn parse_float(s: &str) -> Option<(f64, bool)> {
    let b = s.as_bytes();
    let body = match b.first() {
        Some(b'+' | b'-') => &s[1..],
        _ => s,
    };
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" {
        let f = if b.first() == Some(&b'-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
        return Some((f, false));
    }
    if lower == "nan" {
        return if body.len() == s.len() {
            Some((f64::NAN, false))
        } else {
            None
        };
    }
    // Decimal syntax: digits [. digits] [e [+-] digits], at least one digit
    // in the mantissa.
    let bb = body.as_bytes();
    let mut i = 0;
    let mut mant = 0;
    while i < bb.len() && bb[i].is_ascii_digit() {
        i += 1;
        mant += 1;
    }
    if i < bb.len() && bb[i] == b'.' {
        i += 1;
        while i < bb.len() && bb[i].is_ascii_digit() {
            i += 1;
            mant += 1;
        }
    }
    if mant == 0 {
        return None;
    }
    if i < bb.len() && (bb[i] | 0x20) == b'e' {
        i += 1;
        if i < bb.len() && (bb[i] == b'+' || bb[i] == b'-') {
            i += 1;
        }
        let st = i;
        while i < bb.len() && bb[i].is_ascii_digit() {
            i += 1;
        }
        if i == st {
            return None;
        }
    }
    if i != bb.len() {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    Some((f, f.is_infinite()))
}

/// BurntSushi's `missingLeadingZero` check for the layout that parsed: the
/// only field Go's parser takes with one digit is the hour.
fn missing_leading_zero(d: &str) -> bool {
    let b = d.as_bytes();
    if b.len() > 10 && b[4] == b'-' && b[10] == b'T' {
        return b.get(12) == Some(&b':');
    }
    b.get(1) == Some(&b':')
}

/// `toml.Unmarshal(data, &map[string]interface{})`: the map, or the text
/// of the error.
pub(crate) fn decode(data: &[u8], datetime: &dyn Fn(&str) -> Option<Value>) -> Result<Value, Fail> {
    let mut data = data;
    if data.starts_with(b"\xff\xfe") || data.starts_with(b"\xfe\xff") {
        data = &data[2..];
    } else if data.starts_with(b"\xef\xbb\xbf") {
        data = &data[3..];
    }
    if data[..data.len().min(6)].contains(&0) {
        return Err(Fail::Parse(
            "toml: line 1: files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8"
                .into(),
        ));
    }
    let mut p = Parser {
        lx: Lexer::new(data),
        context: Vec::new(),
        current_key: "".into(),
        pos_line: 0,
        key_info: HashMap::new(),
        maps: vec![BTreeMap::new()],
        arrays: Vec::new(),
        depth: 0,
        implicits: HashSet::new(),
        datetime,
    };
    p.parse()?;
    Ok(p.map_value(0))
}

#[cfg(test)]
mod tests {
    use gotmpl::gostr::marked;

    fn err(b: &[u8]) -> String {
        let v = crate::from_toml(&marked(b));
        let m = v.as_map().expect("a map");
        let e = m.get("Error").expect("an error");
        e.as_str().unwrap_or_default().to_string()
    }

    fn json(b: &[u8]) -> String {
        crate::to_json(&crate::from_toml(&marked(b)))
    }

    #[test]
    fn invalid_utf8_and_boms() {
        assert_eq!(
            err(b"a = \"\xff\""),
            "toml: line 1 (last key \"a\"): invalid UTF-8 byte: 0xff"
        );
        assert_eq!(
            err(b"a = 1\n# \xc3"),
            "toml: line 2: invalid UTF-8 byte: 0xc3"
        );
        assert_eq!(
            err(b"a = \"\xed\xa0\x80\""),
            "toml: line 1 (last key \"a\"): invalid UTF-8 byte: 0xed"
        );
        assert_eq!(json(b"\xff\xfea = 1"), r#"{"a":1}"#);
        assert_eq!(json(b"\xfe\xff"), "{}");
        assert_eq!(json(b"\xef\xbb\xbfa = 1"), r#"{"a":1}"#);
        assert_eq!(
            err(b"\xff\xfe\x00a"),
            "toml: line 1: files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8"
        );
    }

    #[test]
    fn leniencies() {
        assert_eq!(json(b"a.b = 1\na = 2"), r#"{"a":{"b":1}}"#);
        assert_eq!(
            json(b"x = {a.b = 1}\nx.a.c = 2"),
            r#"{"x":{"a":{"b":1,"c":2}}}"#
        );
        assert_eq!(json(b"a = [1]\na.b = 2"), r#"{"a":{"b":2}}"#);
        assert_eq!(json(b"a = 07:32"), r#"{"a":"07:32"}"#);
    }

    #[test]
    fn error_lines_and_last_keys() {
        assert_eq!(
            err(b"a = 1\na = 2"),
            "toml: line 2 (last key \"a\"): Key 'a' has already been defined."
        );
        assert_eq!(
            err(b"[a]\n[a]"),
            "toml: line 2: Key 'a' has already been defined."
        );
        assert_eq!(
            err(b"a"),
            "toml: line 1: unexpected EOF; expected key separator '='"
        );
        assert_eq!(
            err(b"a = 1\nb = 2\r"),
            "toml: line 2 (last key \"b\"): TOML files cannot contain control characters: '0x0d'"
        );
        assert_eq!(
            err(b"a = \"\\"),
            "toml: line 0 (last key \"a\"): invalid escape in string '\\\0'"
        );
    }
}
