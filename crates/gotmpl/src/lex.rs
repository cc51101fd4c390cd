//! Lexer for Go's `text/template` syntax.
//!
//! A faithful re-implementation of Go 1.25's `text/template/parse/lex.go`: the
//! same state machine, the same tokens (with the same byte positions and line
//! numbers), and the same error texts. The parser pulls one item at a time with
//! [`Lexer::next_item`]; after an error item the input is discarded, exactly as
//! Go's lexer does.

use std::fmt;

use crate::ast_fmt::{fmt_sharp_u, quote};

/// The kind of a lexed item. The order matters: every kind after `Keyword` is
/// a keyword (Go prints those as `<word>` in error messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum ItemType {
    Error,
    Bool,
    Char,
    CharConstant,
    Comment,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    Keyword,
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

/// A token: its kind, byte offset, text and starting line. It is `Copy`
/// (the parser's lookahead copies items around): an error's message stays
/// in the lexer, see [`Lexer::error_message`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Item<'a> {
    pub typ: ItemType,
    /// For an `Error` item, 1 + the index of its message in the lexer.
    msg: u32,
    pub pos: usize,
    /// The source text of the item (empty for errors).
    pub val: &'a str,
    pub line: usize,
}

impl Item<'_> {
    /// Go's zero `item`: what a parser's lookahead buffer holds before any read.
    pub(crate) fn zero() -> Item<'static> {
        Item {
            typ: ItemType::Error,
            pos: 0,
            val: "",
            line: 0,
            msg: 0,
        }
    }
}

/// Go's `item.String()`, used in parse error messages (for an `Error`
/// item, whose message the lexer keeps, see [`Lexer::error_message`]).
impl fmt::Display for Item<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.typ {
            ItemType::Eof => f.write_str("EOF"),
            ItemType::Error => f.write_str(self.val),
            t if t > ItemType::Keyword => write!(f, "<{}>", self.val),
            _ if self.val.len() > 10 => {
                // `%.10q...`: the precision counts runes, not bytes.
                let cut = self
                    .val
                    .char_indices()
                    .nth(10)
                    .map_or(self.val.len(), |(i, _)| i);
                write!(f, "{}...", quote(&self.val[..cut]))
            }
            _ => f.write_str(&quote(self.val)),
        }
    }
}

fn keyword(word: &str) -> Option<ItemType> {
    Some(match word {
        "." => ItemType::Dot,
        "block" => ItemType::Block,
        "break" => ItemType::Break,
        "continue" => ItemType::Continue,
        "define" => ItemType::Define,
        "else" => ItemType::Else,
        "end" => ItemType::End,
        "if" => ItemType::If,
        "range" => ItemType::Range,
        "nil" => ItemType::Nil,
        "template" => ItemType::Template,
        "with" => ItemType::With,
        _ => return None,
    })
}

/// Lexer switches, set by the parser (Go's `lexOptions`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct LexOptions {
    /// Emit `Comment` items instead of dropping comments.
    pub emit_comment: bool,
    /// `break` is a keyword (not shadowed by a function).
    pub break_ok: bool,
    /// `continue` is a keyword (not shadowed by a function).
    pub continue_ok: bool,
}

pub(crate) const LEFT_DELIM: &str = "{{";
pub(crate) const RIGHT_DELIM: &str = "}}";
const LEFT_COMMENT: &str = "/*";
const RIGHT_COMMENT: &str = "*/";
const TRIM_MARKER: u8 = b'-';
/// The trim marker plus the space before or after it.
const TRIM_MARKER_LEN: usize = 2;

/// The lexer's states (Go's state functions).
#[derive(Clone, Copy, Debug)]
enum State {
    Text,
    LeftDelim,
    Comment,
    RightDelim,
    InsideAction,
    Space,
    Identifier,
    Field,
    Variable,
    Char,
    Number,
    Quote,
    RawQuote,
}

/// The scanner. `None` as a rune stands for Go's `eof`.
pub(crate) struct Lexer<'a> {
    input: &'a str,
    left_delim: &'a str,
    right_delim: &'a str,
    /// Searcher for the left delimiter, built once per parse.
    left_finder: memchr::memmem::Finder<'a>,
    pos: usize,
    start: usize,
    at_eof: bool,
    paren_depth: i64,
    line: usize,
    start_line: usize,
    item: Option<Item<'a>>,
    inside_action: bool,
    /// The right delimiter is the default `}}`: the fast paths
    /// ([`Lexer::fast_action_item`], [`Lexer::fast_left_delim`]) are on.
    default_right: bool,
    /// Where `lex_text` last found the left delimiter (saves searching twice).
    delim_at: usize,
    /// The messages of the error items produced.
    errors: Vec<String>,
    pub options: LexOptions,
}

impl<'a> Lexer<'a> {
    /// A lexer for `input`; empty delimiters mean the defaults `{{` and `}}`.
    pub(crate) fn new(input: &'a str, left: &'a str, right: &'a str) -> Lexer<'a> {
        let left_delim = if left.is_empty() { LEFT_DELIM } else { left };
        let right_delim = if right.is_empty() { RIGHT_DELIM } else { right };
        Lexer {
            input,
            left_delim,
            left_finder: memchr::memmem::Finder::new(left_delim.as_bytes()),
            right_delim,
            default_right: right_delim == RIGHT_DELIM,
            delim_at: usize::MAX,
            errors: Vec::new(),
            pos: 0,
            start: 0,
            at_eof: false,
            paren_depth: 0,
            line: 1,
            start_line: 1,
            item: None,
            inside_action: false,
            options: LexOptions::default(),
        }
    }

    /// The message of an `Error` item (Go's `item.String()` of it); the
    /// item's text for other items.
    pub(crate) fn error_message<'s>(&'s self, item: &Item<'s>) -> &'s str {
        (item.msg as usize)
            .checked_sub(1)
            .and_then(|i| self.errors.get(i))
            .map_or(item.val, String::as_str)
    }

    fn rest(&self, from: usize) -> &'a [u8] {
        self.input.as_bytes().get(from..).unwrap_or(&[])
    }

    fn slice(&self, from: usize, to: usize) -> &'a str {
        self.input.get(from..to).unwrap_or("")
    }

    fn count_newlines(&self, from: usize, to: usize) -> usize {
        let Some(s) = self.input.as_bytes().get(from..to) else {
            return 0;
        };
        // Most ranges are a trim marker or a short text: not worth a SIMD call.
        if s.len() < 16 {
            return s.iter().filter(|&&c| c == b'\n').count();
        }
        memchr::memchr_iter(b'\n', s).count()
    }

    /// Consumes and returns the next rune.
    #[inline]
    fn next(&mut self) -> Option<char> {
        // ASCII (nearly all template text) needs no UTF-8 decoding.
        match self.input.as_bytes().get(self.pos) {
            Some(&b) if b < 0x80 => {
                self.pos += 1;
                if b == b'\n' {
                    self.line += 1;
                }
                Some(b as char)
            }
            _ => self.next_slow(),
        }
    }

    #[cold]
    fn next_slow(&mut self) -> Option<char> {
        let Some(r) = self.input.get(self.pos..).and_then(|s| s.chars().next()) else {
            self.at_eof = true;
            return None;
        };
        self.pos += r.len_utf8();
        if r == '\n' {
            self.line += 1;
        }
        Some(r)
    }

    #[inline]
    fn peek(&mut self) -> Option<char> {
        match self.input.as_bytes().get(self.pos) {
            Some(&b) if b < 0x80 => Some(b as char),
            _ => {
                let r = self.next();
                self.backup();
                r
            }
        }
    }

    /// Steps back one rune (a no-op once the end of input has been seen, as in Go).
    #[inline]
    fn backup(&mut self) {
        if !self.at_eof && self.pos > 0 {
            if let Some(&b) = self.input.as_bytes().get(self.pos - 1) {
                if b < 0x80 {
                    self.pos -= 1;
                    if b == b'\n' {
                        self.line -= 1;
                    }
                    return;
                }
            }
            if let Some(r) = self
                .input
                .get(..self.pos)
                .and_then(|s| s.chars().next_back())
            {
                self.pos -= r.len_utf8();
                if r == '\n' {
                    self.line -= 1;
                }
            }
        }
    }

    fn this_item(&mut self, typ: ItemType) -> Item<'a> {
        let item = Item {
            typ,
            pos: self.start,
            val: self.slice(self.start, self.pos),
            line: self.start_line,
            msg: 0,
        };
        self.start = self.pos;
        self.start_line = self.line;
        item
    }

    fn emit(&mut self, typ: ItemType) -> Option<State> {
        let item = self.this_item(typ);
        self.emit_item(item)
    }

    fn emit_item(&mut self, item: Item<'a>) -> Option<State> {
        self.item = Some(item);
        None
    }

    /// Skips the pending input, counting the newlines in it.
    fn ignore(&mut self) {
        self.line += self.count_newlines(self.start, self.pos);
        self.start = self.pos;
        self.start_line = self.line;
    }

    fn accept(&mut self, valid: &str) -> bool {
        if self.next().is_some_and(|r| valid.contains(r)) {
            return true;
        }
        self.backup();
        false
    }

    fn accept_run(&mut self, valid: &str) {
        while self.next().is_some_and(|r| valid.contains(r)) {}
        self.backup();
    }

    /// Emits an error item and discards the rest of the input.
    fn errorf(&mut self, msg: String) -> Option<State> {
        self.errors.push(msg);
        self.item = Some(Item {
            typ: ItemType::Error,
            pos: self.start,
            val: "",
            line: self.start_line,
            msg: u32::try_from(self.errors.len()).unwrap_or(0),
        });
        self.start = 0;
        self.pos = 0;
        self.input = "";
        None
    }

    /// Returns the next item.
    #[inline]
    pub(crate) fn next_item(&mut self) -> Item<'a> {
        if self.inside_action {
            if self.default_right {
                if let Some(item) = self.fast_action_item() {
                    return item;
                }
            }
        } else if self.pos == self.delim_at && self.pos == self.start && self.default_right {
            if let Some(item) = self.fast_left_delim() {
                return item;
            }
        }
        self.next_item_slow()
    }

    /// The item [`Lexer::fast_action_item`] gives up on, or one of the text.
    fn next_item_slow(&mut self) -> Item<'a> {
        let mut state = if self.inside_action {
            State::InsideAction
        } else {
            State::Text
        };
        loop {
            let next = match state {
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::Comment => self.lex_comment(),
                State::RightDelim => self.lex_right_delim(),
                State::InsideAction => self.lex_inside_action(),
                State::Space => self.lex_space(),
                State::Identifier => self.lex_identifier(),
                State::Field => self.lex_field_or_variable(ItemType::Field),
                State::Variable => self.lex_variable(),
                State::Char => self.lex_char(),
                State::Number => self.lex_number(),
                State::Quote => self.lex_quote(),
                State::RawQuote => self.lex_raw_quote(),
            };
            match next {
                Some(s) => state = s,
                None => {
                    return self.item.take().unwrap_or(Item {
                        typ: ItemType::Eof,
                        pos: self.pos,
                        val: "",
                        line: self.start_line,
                        msg: 0,
                    })
                }
            }
        }
    }

    /// The next item inside an action when it is one of the common ASCII
    /// forms (with the default right delimiter), lexed in one pass over its
    /// bytes with the result the state machine would give: words and fields
    /// followed by a terminator, plain numbers, strings without escapes,
    /// space runs, punctuation and `}}`. `None`, with nothing consumed, leaves
    /// everything else (errors, trim markers, Unicode, other numbers) to it.
    #[inline]
    fn fast_action_item(&mut self) -> Option<Item<'a>> {
        let b = self.input.as_bytes();
        let start = self.pos;
        if start != self.start {
            return None;
        }
        let (typ, end) = match *b.get(start)? {
            b'}' => {
                // At the right delimiter: an unclosed paren is an error.
                if b.get(start + 1) != Some(&b'}') || self.paren_depth != 0 {
                    return None;
                }
                self.inside_action = false;
                (ItemType::RightDelim, start + 2)
            }
            b' ' | b'\t' | b'\r' | b'\n' => {
                // Runs are short: count their line breaks on the way.
                let mut end = start;
                let mut newlines = 0;
                while let Some(&c) = b.get(end) {
                    if !is_space_byte(c) {
                        break;
                    }
                    newlines += usize::from(c == b'\n');
                    end += 1;
                }
                // " -}}": the space belongs to a trim-marked delimiter.
                if b.get(end) == Some(&b'-') {
                    return None;
                }
                return Some(self.fast_item_lines(ItemType::Space, end, newlines));
            }
            c @ (b'.' | b'$') => {
                // ".5" is a number, and so is "." at the end of the input.
                if c == b'.' && b.get(start + 1).is_none_or(u8::is_ascii_digit) {
                    return None;
                }
                let end = start + 1 + ascii_word_length(&b[start + 1..]);
                if !ascii_terminator(b, end)? {
                    return None;
                }
                let typ = match (c, end == start + 1) {
                    (b'.', true) => ItemType::Dot,
                    (b'.', false) => ItemType::Field,
                    _ => ItemType::Variable,
                };
                (typ, end)
            }
            b'0'..=b'9' => {
                let end = start + b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
                // Bases, fractions, exponents, '_', 'i' and complex
                // numbers (and bad ones) take the full scan.
                match b.get(end) {
                    Some(&c) if c >= 0x80 || c.is_ascii_alphanumeric() => return None,
                    Some(b'_' | b'.' | b'+' | b'-') => return None,
                    _ => {}
                }
                (ItemType::Number, end)
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let end = start + ascii_word_length(&b[start..]);
                if !ascii_terminator(b, end)? {
                    return None;
                }
                let word = self.slice(start, end);
                let typ = match keyword(word) {
                    Some(item) if item > ItemType::Keyword => {
                        if item == ItemType::Break && !self.options.break_ok
                            || item == ItemType::Continue && !self.options.continue_ok
                        {
                            ItemType::Identifier
                        } else {
                            item
                        }
                    }
                    _ if word == "true" || word == "false" => ItemType::Bool,
                    _ => ItemType::Identifier,
                };
                (typ, end)
            }
            b'"' => {
                let rest = &b[start + 1..];
                let i = memchr::memchr3(b'\\', b'\n', b'"', rest)?;
                if rest[i] != b'"' {
                    return None;
                }
                (ItemType::String, start + 2 + i)
            }
            b'`' => {
                let rest = &b[start + 1..];
                let i = memchr::memchr(b'`', rest)?;
                let newlines = memchr::memchr_iter(b'\n', &rest[..i]).count();
                return Some(self.fast_item_lines(ItemType::RawString, start + 2 + i, newlines));
            }
            b'|' => (ItemType::Pipe, start + 1),
            b'(' => {
                self.paren_depth += 1;
                (ItemType::LeftParen, start + 1)
            }
            b')' => {
                if self.paren_depth <= 0 {
                    return None;
                }
                self.paren_depth -= 1;
                (ItemType::RightParen, start + 1)
            }
            b'=' => (ItemType::Assign, start + 1),
            b':' if b.get(start + 1) == Some(&b'=') => (ItemType::Declare, start + 2),
            b',' => (ItemType::Char, start + 1),
            _ => return None,
        };
        Some(self.fast_item_lines(typ, end, 0))
    }

    /// `lex_left_delim` at the delimiter `lex_text` found, unless a comment
    /// follows (`None`, with nothing consumed).
    #[inline]
    fn fast_left_delim(&mut self) -> Option<Item<'a>> {
        let end = self.pos + self.left_delim.len();
        let rest = self.rest(end);
        let marker = if has_left_trim_marker(rest) {
            TRIM_MARKER_LEN
        } else {
            0
        };
        if rest.get(marker..)?.starts_with(LEFT_COMMENT.as_bytes()) {
            return None;
        }
        let item = self.fast_item_lines(ItemType::LeftDelim, end, 0);
        // The marker's space may be a line break.
        let newlines = usize::from(marker != 0 && rest[1] == b'\n');
        self.pos += marker;
        self.start = self.pos;
        self.line += newlines;
        self.start_line = self.line;
        self.inside_action = true;
        self.paren_depth = 0;
        Some(item)
    }

    /// Emits `start..end` as an item spanning `newlines` line breaks.
    #[inline]
    fn fast_item_lines(&mut self, typ: ItemType, end: usize, newlines: usize) -> Item<'a> {
        let item = Item {
            typ,
            pos: self.start,
            val: self.slice(self.start, end),
            line: self.start_line,
            msg: 0,
        };
        self.pos = end;
        self.start = end;
        self.line += newlines;
        self.start_line = self.line;
        item
    }

    /// Scans until an opening action delimiter.
    fn lex_text(&mut self) -> Option<State> {
        let rest = self.rest(self.pos);
        // Right after a text item the delimiter that ended it is known.
        let found = if self.delim_at == self.pos {
            Some(0)
        } else {
            self.left_finder.find(rest)
        };
        if let Some(x) = found {
            if x > 0 {
                self.pos += x;
                // Trim the trailing space of the text if the action starts with "{{- ".
                let mut trim = 0;
                let delim_end = self.pos + self.left_delim.len();
                if has_left_trim_marker(self.rest(delim_end)) {
                    trim = right_trim_length(&self.input.as_bytes()[self.start..self.pos]);
                }
                self.pos -= trim;
                self.line += self.count_newlines(self.start, self.pos);
                let item = self.this_item(ItemType::Text);
                self.pos += trim;
                self.ignore();
                self.delim_at = self.pos;
                if !item.val.is_empty() {
                    return self.emit_item(item);
                }
            }
            return Some(State::LeftDelim);
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.line += self.count_newlines(self.start, self.pos);
            return self.emit(ItemType::Text);
        }
        self.emit(ItemType::Eof)
    }

    /// Whether the input is at a right delimiter, and whether it has a trim marker.
    fn at_right_delim(&self) -> (bool, bool) {
        let rest = self.rest(self.pos);
        let right = self.right_delim.as_bytes();
        if has_right_trim_marker(rest) && has_prefix(&rest[TRIM_MARKER_LEN..], right) {
            return (true, true);
        }
        if has_prefix(rest, right) {
            return (true, false);
        }
        (false, false)
    }

    /// Scans the left delimiter, which is known to be present.
    fn lex_left_delim(&mut self) -> Option<State> {
        self.pos += self.left_delim.len();
        let trim = has_left_trim_marker(self.rest(self.pos));
        let after_marker = if trim { TRIM_MARKER_LEN } else { 0 };
        if self
            .rest(self.pos + after_marker)
            .starts_with(LEFT_COMMENT.as_bytes())
        {
            self.pos += after_marker;
            self.ignore();
            return Some(State::Comment);
        }
        let item = self.this_item(ItemType::LeftDelim);
        self.inside_action = true;
        self.pos += after_marker;
        self.ignore();
        self.paren_depth = 0;
        self.emit_item(item)
    }

    /// Scans a comment; the left comment marker is known to be present.
    fn lex_comment(&mut self) -> Option<State> {
        self.pos += LEFT_COMMENT.len();
        let Some(x) = find(self.rest(self.pos), RIGHT_COMMENT.as_bytes()) else {
            return self.errorf("unclosed comment".into());
        };
        self.pos += x + RIGHT_COMMENT.len();
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.errorf("comment ends before closing delimiter".into());
        }
        self.line += self.count_newlines(self.start, self.pos);
        let item = self.this_item(ItemType::Comment);
        if trim {
            self.pos += TRIM_MARKER_LEN;
        }
        self.pos += self.right_delim.len();
        if trim {
            self.pos += left_trim_length(self.rest(self.pos));
        }
        self.ignore();
        if self.options.emit_comment {
            return self.emit_item(item);
        }
        Some(State::Text)
    }

    /// Scans the right delimiter, which is known to be present.
    fn lex_right_delim(&mut self) -> Option<State> {
        let (_, trim) = self.at_right_delim();
        if trim {
            self.pos += TRIM_MARKER_LEN;
            self.ignore();
        }
        self.pos += self.right_delim.len();
        let item = self.this_item(ItemType::RightDelim);
        if trim {
            self.pos += left_trim_length(self.rest(self.pos));
            self.ignore();
        }
        self.inside_action = false;
        self.emit_item(item)
    }

    /// Scans the elements inside action delimiters.
    fn lex_inside_action(&mut self) -> Option<State> {
        let (delim, _) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return Some(State::RightDelim);
            }
            return self.errorf("unclosed left paren".into());
        }
        let Some(r) = self.next() else {
            return self.errorf("unclosed action".into());
        };
        match r {
            _ if is_space(r) => {
                self.backup(); // Put the space back in case we have " -}}".
                Some(State::Space)
            }
            '=' => self.emit(ItemType::Assign),
            ':' => {
                if self.next() != Some('=') {
                    return self.errorf("expected :=".into());
                }
                self.emit(ItemType::Declare)
            }
            '|' => self.emit(ItemType::Pipe),
            '"' => Some(State::Quote),
            '`' => Some(State::RawQuote),
            '$' => Some(State::Variable),
            '\'' => Some(State::Char),
            '.' | '+' | '-' | '0'..='9' => {
                // Special look-ahead for ".field" so we don't break backup().
                if r == '.' {
                    if let Some(&b) = self.input.as_bytes().get(self.pos) {
                        if !b.is_ascii_digit() {
                            return Some(State::Field);
                        }
                    }
                }
                self.backup();
                Some(State::Number)
            }
            _ if is_alphanumeric(r) => {
                self.backup();
                Some(State::Identifier)
            }
            '(' => {
                self.paren_depth += 1;
                self.emit(ItemType::LeftParen)
            }
            ')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.errorf("unexpected right paren".into());
                }
                self.emit(ItemType::RightParen)
            }
            ' '..='~' => self.emit(ItemType::Char),
            _ => self.errorf(format!(
                "unrecognized character in action: {}",
                fmt_sharp_u(r)
            )),
        }
    }

    /// Scans a run of space characters; the first one is known to be present.
    fn lex_space(&mut self) -> Option<State> {
        let mut num_spaces = 0;
        while self.peek().is_some_and(is_space) {
            self.next();
            num_spaces += 1;
        }
        // A trim-marked right delimiter starts with a space: leave it alone.
        let before = self.pos.saturating_sub(1);
        let rest = self.rest(before);
        if has_right_trim_marker(rest)
            && has_prefix(&rest[TRIM_MARKER_LEN..], self.right_delim.as_bytes())
        {
            self.backup(); // Before the space.
            if num_spaces == 1 {
                return Some(State::RightDelim); // On the delimiter, so go right to it.
            }
        }
        self.emit(ItemType::Space)
    }

    /// Scans an alphanumeric word: identifier, keyword or boolean.
    fn lex_identifier(&mut self) -> Option<State> {
        self.skip_ascii_alphanumeric();
        loop {
            let r = self.next();
            if r.is_some_and(is_alphanumeric) {
                continue;
            }
            self.backup();
            let word = self.slice(self.start, self.pos);
            if !self.at_terminator() {
                return self.errorf(format!("bad character {}", fmt_rune_or_eof(r)));
            }
            return match keyword(word) {
                Some(item) if item > ItemType::Keyword => {
                    if item == ItemType::Break && !self.options.break_ok
                        || item == ItemType::Continue && !self.options.continue_ok
                    {
                        self.emit(ItemType::Identifier)
                    } else {
                        self.emit(item)
                    }
                }
                _ if word.starts_with('.') => self.emit(ItemType::Field),
                _ if word == "true" || word == "false" => self.emit(ItemType::Bool),
                _ => self.emit(ItemType::Identifier),
            };
        }
    }

    /// Scans a variable; the `$` has been consumed.
    fn lex_variable(&mut self) -> Option<State> {
        if self.at_terminator() {
            return self.emit(ItemType::Variable); // Just "$".
        }
        self.lex_field_or_variable(ItemType::Variable)
    }

    /// Scans a field or variable name; the `.` or `$` has been consumed.
    fn lex_field_or_variable(&mut self, typ: ItemType) -> Option<State> {
        if self.at_terminator() {
            // Nothing interesting follows: "." or "$".
            if typ == ItemType::Variable {
                return self.emit(ItemType::Variable);
            }
            return self.emit(ItemType::Dot);
        }
        self.skip_ascii_alphanumeric();
        let r = loop {
            let r = self.next();
            if !r.is_some_and(is_alphanumeric) {
                self.backup();
                break r;
            }
        };
        if !self.at_terminator() {
            return self.errorf(format!("bad character {}", fmt_rune_or_eof(r)));
        }
        self.emit(typ)
    }

    /// Skips a run of ASCII letters, digits and `_` (no newlines, so the
    /// line is unchanged); the rune-by-rune loop that follows handles the rest.
    #[inline]
    fn skip_ascii_alphanumeric(&mut self) {
        let rest = self.rest(self.pos);
        self.pos += rest
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_')
            .count();
    }

    /// Whether the input is at a character that may follow an identifier.
    fn at_terminator(&mut self) -> bool {
        match self.peek() {
            None | Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            Some(r) if is_space(r) => true,
            Some(_) => has_prefix(self.rest(self.pos), self.right_delim.as_bytes()),
        }
    }

    /// Scans a character constant; the opening quote has been consumed.
    fn lex_char(&mut self) -> Option<State> {
        loop {
            match self.next() {
                Some('\\') => {
                    if matches!(self.next(), None | Some('\n')) {
                        return self.errorf("unterminated character constant".into());
                    }
                }
                None | Some('\n') => return self.errorf("unterminated character constant".into()),
                Some('\'') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemType::CharConstant)
    }

    /// Scans a number (decimal, octal, hex, float, imaginary or `a+bi` complex).
    /// Like Go's, it is lax: the parser's conversion catches what it lets through.
    fn lex_number(&mut self) -> Option<State> {
        if !self.scan_number() {
            let text = self.slice(self.start, self.pos);
            return self.errorf(format!("bad number syntax: {}", quote(text)));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            // Complex: 1+2i. No spaces, must end in 'i'.
            if !self.scan_number()
                || self.input.as_bytes().get(self.pos.wrapping_sub(1)) != Some(&b'i')
            {
                let text = self.slice(self.start, self.pos);
                return self.errorf(format!("bad number syntax: {}", quote(text)));
            }
            return self.emit(ItemType::Complex);
        }
        self.emit(ItemType::Number)
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            // A leading 0 does not mean octal in floats.
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 10 + 1 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 16 + 6 + 1 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        // Imaginary?
        self.accept("i");
        // The next thing must not be alphanumeric.
        if self.peek().is_some_and(is_alphanumeric) {
            self.next();
            return false;
        }
        true
    }

    /// Scans a quoted string; the opening quote has been consumed.
    fn lex_quote(&mut self) -> Option<State> {
        // Only `\`, newline and `"` matter below: skip to the first of them.
        let rest = self.rest(self.pos);
        self.pos += memchr::memchr3(b'\\', b'\n', b'"', rest).unwrap_or(rest.len());
        loop {
            match self.next() {
                Some('\\') => {
                    if matches!(self.next(), None | Some('\n')) {
                        return self.errorf("unterminated quoted string".into());
                    }
                }
                None | Some('\n') => return self.errorf("unterminated quoted string".into()),
                Some('"') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemType::String)
    }

    /// Scans a raw quoted string; the opening backquote has been consumed.
    fn lex_raw_quote(&mut self) -> Option<State> {
        // Skip to the closing backquote (or the end), counting newlines.
        let rest = self.rest(self.pos);
        let skip = memchr::memchr(b'`', rest).unwrap_or(rest.len());
        self.line += self.count_newlines(self.pos, self.pos + skip);
        self.pos += skip;
        loop {
            match self.next() {
                None => return self.errorf("unterminated raw quoted string".into()),
                Some('`') => break,
                Some(_) => {}
            }
        }
        self.emit(ItemType::RawString)
    }
}

/// Byte offset of the first occurrence of `needle` in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// Go's `%#U` of a rune, or of `eof` (-1).
fn fmt_rune_or_eof(r: Option<char>) -> String {
    match r {
        Some(r) => fmt_sharp_u(r),
        None => "U+FFFFFFFFFFFFFFFF".to_string(),
    }
}

/// Length of the run of ASCII letters, digits and `_` at the start of `s`.
#[inline]
fn ascii_word_length(s: &[u8]) -> usize {
    s.iter()
        .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_')
        .count()
}

/// Go's `atTerminator` at `b[at]` for the default right delimiter; `None`
/// when the byte there is not ASCII (a letter may go on).
#[inline]
fn ascii_terminator(b: &[u8], at: usize) -> Option<bool> {
    match b.get(at) {
        None => Some(true),
        Some(&c) if c >= 0x80 => None,
        Some(b'.' | b',' | b'|' | b':' | b')' | b'(' | b' ' | b'\t' | b'\r' | b'\n') => Some(true),
        Some(b'}') => Some(b.get(at + 1) == Some(&b'}')),
        Some(_) => Some(false),
    }
}

/// `hay.starts_with(needle)` for the short delimiters, compared inline
/// (`starts_with` calls `memcmp`, costly for two bytes).
#[inline]
fn has_prefix(hay: &[u8], needle: &[u8]) -> bool {
    hay.len() >= needle.len() && hay.iter().zip(needle).all(|(a, b)| a == b)
}

fn is_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Length of the ASCII space run at the end of `s`.
fn right_trim_length(s: &[u8]) -> usize {
    s.iter().rev().take_while(|&&b| is_space_byte(b)).count()
}

/// Length of the ASCII space run at the start of `s`.
fn left_trim_length(s: &[u8]) -> usize {
    s.iter().take_while(|&&b| is_space_byte(b)).count()
}

fn has_left_trim_marker(s: &[u8]) -> bool {
    s.len() >= 2 && s[0] == TRIM_MARKER && is_space_byte(s[1])
}

fn has_right_trim_marker(s: &[u8]) -> bool {
    s.len() >= 2 && is_space_byte(s[0]) && s[1] == TRIM_MARKER
}

/// Go's `isSpace`: only ASCII space, tab, CR and LF.
pub(crate) fn is_space(r: char) -> bool {
    matches!(r, ' ' | '\t' | '\r' | '\n')
}

/// Go's `isAlphaNumeric`: `_`, `unicode.IsLetter` or `unicode.IsDigit`
/// (Unicode 15.0.0 tables, as in Go 1.25).
#[inline]
pub(crate) fn is_alphanumeric(r: char) -> bool {
    if r.is_ascii() {
        return r == '_' || r.is_ascii_alphanumeric();
    }
    in_table(ALNUM, r)
}

pub(crate) fn in_table(table: &[(u32, u32)], r: char) -> bool {
    let c = r as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Non-ASCII code points for which Go 1.25's `unicode.IsLetter(r) || unicode.IsDigit(r)`
/// holds, as inclusive ranges (generated from Go 1.25.5).
#[rustfmt::skip]
const ALNUM: &[(u32, u32)] = &[
    (0xAA, 0xAA), (0xB5, 0xB5), (0xBA, 0xBA), (0xC0, 0xD6),
    (0xD8, 0xF6), (0xF8, 0x2C1), (0x2C6, 0x2D1), (0x2E0, 0x2E4),
    (0x2EC, 0x2EC), (0x2EE, 0x2EE), (0x370, 0x374), (0x376, 0x377),
    (0x37A, 0x37D), (0x37F, 0x37F), (0x386, 0x386), (0x388, 0x38A),
    (0x38C, 0x38C), (0x38E, 0x3A1), (0x3A3, 0x3F5), (0x3F7, 0x481),
    (0x48A, 0x52F), (0x531, 0x556), (0x559, 0x559), (0x560, 0x588),
    (0x5D0, 0x5EA), (0x5EF, 0x5F2), (0x620, 0x64A), (0x660, 0x669),
    (0x66E, 0x66F), (0x671, 0x6D3), (0x6D5, 0x6D5), (0x6E5, 0x6E6),
    (0x6EE, 0x6FC), (0x6FF, 0x6FF), (0x710, 0x710), (0x712, 0x72F),
    (0x74D, 0x7A5), (0x7B1, 0x7B1), (0x7C0, 0x7EA), (0x7F4, 0x7F5),
    (0x7FA, 0x7FA), (0x800, 0x815), (0x81A, 0x81A), (0x824, 0x824),
    (0x828, 0x828), (0x840, 0x858), (0x860, 0x86A), (0x870, 0x887),
    (0x889, 0x88E), (0x8A0, 0x8C9), (0x904, 0x939), (0x93D, 0x93D),
    (0x950, 0x950), (0x958, 0x961), (0x966, 0x96F), (0x971, 0x980),
    (0x985, 0x98C), (0x98F, 0x990), (0x993, 0x9A8), (0x9AA, 0x9B0),
    (0x9B2, 0x9B2), (0x9B6, 0x9B9), (0x9BD, 0x9BD), (0x9CE, 0x9CE),
    (0x9DC, 0x9DD), (0x9DF, 0x9E1), (0x9E6, 0x9F1), (0x9FC, 0x9FC),
    (0xA05, 0xA0A), (0xA0F, 0xA10), (0xA13, 0xA28), (0xA2A, 0xA30),
    (0xA32, 0xA33), (0xA35, 0xA36), (0xA38, 0xA39), (0xA59, 0xA5C),
    (0xA5E, 0xA5E), (0xA66, 0xA6F), (0xA72, 0xA74), (0xA85, 0xA8D),
    (0xA8F, 0xA91), (0xA93, 0xAA8), (0xAAA, 0xAB0), (0xAB2, 0xAB3),
    (0xAB5, 0xAB9), (0xABD, 0xABD), (0xAD0, 0xAD0), (0xAE0, 0xAE1),
    (0xAE6, 0xAEF), (0xAF9, 0xAF9), (0xB05, 0xB0C), (0xB0F, 0xB10),
    (0xB13, 0xB28), (0xB2A, 0xB30), (0xB32, 0xB33), (0xB35, 0xB39),
    (0xB3D, 0xB3D), (0xB5C, 0xB5D), (0xB5F, 0xB61), (0xB66, 0xB6F),
    (0xB71, 0xB71), (0xB83, 0xB83), (0xB85, 0xB8A), (0xB8E, 0xB90),
    (0xB92, 0xB95), (0xB99, 0xB9A), (0xB9C, 0xB9C), (0xB9E, 0xB9F),
    (0xBA3, 0xBA4), (0xBA8, 0xBAA), (0xBAE, 0xBB9), (0xBD0, 0xBD0),
    (0xBE6, 0xBEF), (0xC05, 0xC0C), (0xC0E, 0xC10), (0xC12, 0xC28),
    (0xC2A, 0xC39), (0xC3D, 0xC3D), (0xC58, 0xC5A), (0xC5D, 0xC5D),
    (0xC60, 0xC61), (0xC66, 0xC6F), (0xC80, 0xC80), (0xC85, 0xC8C),
    (0xC8E, 0xC90), (0xC92, 0xCA8), (0xCAA, 0xCB3), (0xCB5, 0xCB9),
    (0xCBD, 0xCBD), (0xCDD, 0xCDE), (0xCE0, 0xCE1), (0xCE6, 0xCEF),
    (0xCF1, 0xCF2), (0xD04, 0xD0C), (0xD0E, 0xD10), (0xD12, 0xD3A),
    (0xD3D, 0xD3D), (0xD4E, 0xD4E), (0xD54, 0xD56), (0xD5F, 0xD61),
    (0xD66, 0xD6F), (0xD7A, 0xD7F), (0xD85, 0xD96), (0xD9A, 0xDB1),
    (0xDB3, 0xDBB), (0xDBD, 0xDBD), (0xDC0, 0xDC6), (0xDE6, 0xDEF),
    (0xE01, 0xE30), (0xE32, 0xE33), (0xE40, 0xE46), (0xE50, 0xE59),
    (0xE81, 0xE82), (0xE84, 0xE84), (0xE86, 0xE8A), (0xE8C, 0xEA3),
    (0xEA5, 0xEA5), (0xEA7, 0xEB0), (0xEB2, 0xEB3), (0xEBD, 0xEBD),
    (0xEC0, 0xEC4), (0xEC6, 0xEC6), (0xED0, 0xED9), (0xEDC, 0xEDF),
    (0xF00, 0xF00), (0xF20, 0xF29), (0xF40, 0xF47), (0xF49, 0xF6C),
    (0xF88, 0xF8C), (0x1000, 0x102A), (0x103F, 0x1049), (0x1050, 0x1055),
    (0x105A, 0x105D), (0x1061, 0x1061), (0x1065, 0x1066), (0x106E, 0x1070),
    (0x1075, 0x1081), (0x108E, 0x108E), (0x1090, 0x1099), (0x10A0, 0x10C5),
    (0x10C7, 0x10C7), (0x10CD, 0x10CD), (0x10D0, 0x10FA), (0x10FC, 0x1248),
    (0x124A, 0x124D), (0x1250, 0x1256), (0x1258, 0x1258), (0x125A, 0x125D),
    (0x1260, 0x1288), (0x128A, 0x128D), (0x1290, 0x12B0), (0x12B2, 0x12B5),
    (0x12B8, 0x12BE), (0x12C0, 0x12C0), (0x12C2, 0x12C5), (0x12C8, 0x12D6),
    (0x12D8, 0x1310), (0x1312, 0x1315), (0x1318, 0x135A), (0x1380, 0x138F),
    (0x13A0, 0x13F5), (0x13F8, 0x13FD), (0x1401, 0x166C), (0x166F, 0x167F),
    (0x1681, 0x169A), (0x16A0, 0x16EA), (0x16F1, 0x16F8), (0x1700, 0x1711),
    (0x171F, 0x1731), (0x1740, 0x1751), (0x1760, 0x176C), (0x176E, 0x1770),
    (0x1780, 0x17B3), (0x17D7, 0x17D7), (0x17DC, 0x17DC), (0x17E0, 0x17E9),
    (0x1810, 0x1819), (0x1820, 0x1878), (0x1880, 0x1884), (0x1887, 0x18A8),
    (0x18AA, 0x18AA), (0x18B0, 0x18F5), (0x1900, 0x191E), (0x1946, 0x196D),
    (0x1970, 0x1974), (0x1980, 0x19AB), (0x19B0, 0x19C9), (0x19D0, 0x19D9),
    (0x1A00, 0x1A16), (0x1A20, 0x1A54), (0x1A80, 0x1A89), (0x1A90, 0x1A99),
    (0x1AA7, 0x1AA7), (0x1B05, 0x1B33), (0x1B45, 0x1B4C), (0x1B50, 0x1B59),
    (0x1B83, 0x1BA0), (0x1BAE, 0x1BE5), (0x1C00, 0x1C23), (0x1C40, 0x1C49),
    (0x1C4D, 0x1C7D), (0x1C80, 0x1C88), (0x1C90, 0x1CBA), (0x1CBD, 0x1CBF),
    (0x1CE9, 0x1CEC), (0x1CEE, 0x1CF3), (0x1CF5, 0x1CF6), (0x1CFA, 0x1CFA),
    (0x1D00, 0x1DBF), (0x1E00, 0x1F15), (0x1F18, 0x1F1D), (0x1F20, 0x1F45),
    (0x1F48, 0x1F4D), (0x1F50, 0x1F57), (0x1F59, 0x1F59), (0x1F5B, 0x1F5B),
    (0x1F5D, 0x1F5D), (0x1F5F, 0x1F7D), (0x1F80, 0x1FB4), (0x1FB6, 0x1FBC),
    (0x1FBE, 0x1FBE), (0x1FC2, 0x1FC4), (0x1FC6, 0x1FCC), (0x1FD0, 0x1FD3),
    (0x1FD6, 0x1FDB), (0x1FE0, 0x1FEC), (0x1FF2, 0x1FF4), (0x1FF6, 0x1FFC),
    (0x2071, 0x2071), (0x207F, 0x207F), (0x2090, 0x209C), (0x2102, 0x2102),
    (0x2107, 0x2107), (0x210A, 0x2113), (0x2115, 0x2115), (0x2119, 0x211D),
    (0x2124, 0x2124), (0x2126, 0x2126), (0x2128, 0x2128), (0x212A, 0x212D),
    (0x212F, 0x2139), (0x213C, 0x213F), (0x2145, 0x2149), (0x214E, 0x214E),
    (0x2183, 0x2184), (0x2C00, 0x2CE4), (0x2CEB, 0x2CEE), (0x2CF2, 0x2CF3),
    (0x2D00, 0x2D25), (0x2D27, 0x2D27), (0x2D2D, 0x2D2D), (0x2D30, 0x2D67),
    (0x2D6F, 0x2D6F), (0x2D80, 0x2D96), (0x2DA0, 0x2DA6), (0x2DA8, 0x2DAE),
    (0x2DB0, 0x2DB6), (0x2DB8, 0x2DBE), (0x2DC0, 0x2DC6), (0x2DC8, 0x2DCE),
    (0x2DD0, 0x2DD6), (0x2DD8, 0x2DDE), (0x2E2F, 0x2E2F), (0x3005, 0x3006),
    (0x3031, 0x3035), (0x303B, 0x303C), (0x3041, 0x3096), (0x309D, 0x309F),
    (0x30A1, 0x30FA), (0x30FC, 0x30FF), (0x3105, 0x312F), (0x3131, 0x318E),
    (0x31A0, 0x31BF), (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0xA48C),
    (0xA4D0, 0xA4FD), (0xA500, 0xA60C), (0xA610, 0xA62B), (0xA640, 0xA66E),
    (0xA67F, 0xA69D), (0xA6A0, 0xA6E5), (0xA717, 0xA71F), (0xA722, 0xA788),
    (0xA78B, 0xA7CA), (0xA7D0, 0xA7D1), (0xA7D3, 0xA7D3), (0xA7D5, 0xA7D9),
    (0xA7F2, 0xA801), (0xA803, 0xA805), (0xA807, 0xA80A), (0xA80C, 0xA822),
    (0xA840, 0xA873), (0xA882, 0xA8B3), (0xA8D0, 0xA8D9), (0xA8F2, 0xA8F7),
    (0xA8FB, 0xA8FB), (0xA8FD, 0xA8FE), (0xA900, 0xA925), (0xA930, 0xA946),
    (0xA960, 0xA97C), (0xA984, 0xA9B2), (0xA9CF, 0xA9D9), (0xA9E0, 0xA9E4),
    (0xA9E6, 0xA9FE), (0xAA00, 0xAA28), (0xAA40, 0xAA42), (0xAA44, 0xAA4B),
    (0xAA50, 0xAA59), (0xAA60, 0xAA76), (0xAA7A, 0xAA7A), (0xAA7E, 0xAAAF),
    (0xAAB1, 0xAAB1), (0xAAB5, 0xAAB6), (0xAAB9, 0xAABD), (0xAAC0, 0xAAC0),
    (0xAAC2, 0xAAC2), (0xAADB, 0xAADD), (0xAAE0, 0xAAEA), (0xAAF2, 0xAAF4),
    (0xAB01, 0xAB06), (0xAB09, 0xAB0E), (0xAB11, 0xAB16), (0xAB20, 0xAB26),
    (0xAB28, 0xAB2E), (0xAB30, 0xAB5A), (0xAB5C, 0xAB69), (0xAB70, 0xABE2),
    (0xABF0, 0xABF9), (0xAC00, 0xD7A3), (0xD7B0, 0xD7C6), (0xD7CB, 0xD7FB),
    (0xF900, 0xFA6D), (0xFA70, 0xFAD9), (0xFB00, 0xFB06), (0xFB13, 0xFB17),
    (0xFB1D, 0xFB1D), (0xFB1F, 0xFB28), (0xFB2A, 0xFB36), (0xFB38, 0xFB3C),
    (0xFB3E, 0xFB3E), (0xFB40, 0xFB41), (0xFB43, 0xFB44), (0xFB46, 0xFBB1),
    (0xFBD3, 0xFD3D), (0xFD50, 0xFD8F), (0xFD92, 0xFDC7), (0xFDF0, 0xFDFB),
    (0xFE70, 0xFE74), (0xFE76, 0xFEFC), (0xFF10, 0xFF19), (0xFF21, 0xFF3A),
    (0xFF41, 0xFF5A), (0xFF66, 0xFFBE), (0xFFC2, 0xFFC7), (0xFFCA, 0xFFCF),
    (0xFFD2, 0xFFD7), (0xFFDA, 0xFFDC), (0x10000, 0x1000B), (0x1000D, 0x10026),
    (0x10028, 0x1003A), (0x1003C, 0x1003D), (0x1003F, 0x1004D), (0x10050, 0x1005D),
    (0x10080, 0x100FA), (0x10280, 0x1029C), (0x102A0, 0x102D0), (0x10300, 0x1031F),
    (0x1032D, 0x10340), (0x10342, 0x10349), (0x10350, 0x10375), (0x10380, 0x1039D),
    (0x103A0, 0x103C3), (0x103C8, 0x103CF), (0x10400, 0x1049D), (0x104A0, 0x104A9),
    (0x104B0, 0x104D3), (0x104D8, 0x104FB), (0x10500, 0x10527), (0x10530, 0x10563),
    (0x10570, 0x1057A), (0x1057C, 0x1058A), (0x1058C, 0x10592), (0x10594, 0x10595),
    (0x10597, 0x105A1), (0x105A3, 0x105B1), (0x105B3, 0x105B9), (0x105BB, 0x105BC),
    (0x10600, 0x10736), (0x10740, 0x10755), (0x10760, 0x10767), (0x10780, 0x10785),
    (0x10787, 0x107B0), (0x107B2, 0x107BA), (0x10800, 0x10805), (0x10808, 0x10808),
    (0x1080A, 0x10835), (0x10837, 0x10838), (0x1083C, 0x1083C), (0x1083F, 0x10855),
    (0x10860, 0x10876), (0x10880, 0x1089E), (0x108E0, 0x108F2), (0x108F4, 0x108F5),
    (0x10900, 0x10915), (0x10920, 0x10939), (0x10980, 0x109B7), (0x109BE, 0x109BF),
    (0x10A00, 0x10A00), (0x10A10, 0x10A13), (0x10A15, 0x10A17), (0x10A19, 0x10A35),
    (0x10A60, 0x10A7C), (0x10A80, 0x10A9C), (0x10AC0, 0x10AC7), (0x10AC9, 0x10AE4),
    (0x10B00, 0x10B35), (0x10B40, 0x10B55), (0x10B60, 0x10B72), (0x10B80, 0x10B91),
    (0x10C00, 0x10C48), (0x10C80, 0x10CB2), (0x10CC0, 0x10CF2), (0x10D00, 0x10D23),
    (0x10D30, 0x10D39), (0x10E80, 0x10EA9), (0x10EB0, 0x10EB1), (0x10F00, 0x10F1C),
    (0x10F27, 0x10F27), (0x10F30, 0x10F45), (0x10F70, 0x10F81), (0x10FB0, 0x10FC4),
    (0x10FE0, 0x10FF6), (0x11003, 0x11037), (0x11066, 0x1106F), (0x11071, 0x11072),
    (0x11075, 0x11075), (0x11083, 0x110AF), (0x110D0, 0x110E8), (0x110F0, 0x110F9),
    (0x11103, 0x11126), (0x11136, 0x1113F), (0x11144, 0x11144), (0x11147, 0x11147),
    (0x11150, 0x11172), (0x11176, 0x11176), (0x11183, 0x111B2), (0x111C1, 0x111C4),
    (0x111D0, 0x111DA), (0x111DC, 0x111DC), (0x11200, 0x11211), (0x11213, 0x1122B),
    (0x1123F, 0x11240), (0x11280, 0x11286), (0x11288, 0x11288), (0x1128A, 0x1128D),
    (0x1128F, 0x1129D), (0x1129F, 0x112A8), (0x112B0, 0x112DE), (0x112F0, 0x112F9),
    (0x11305, 0x1130C), (0x1130F, 0x11310), (0x11313, 0x11328), (0x1132A, 0x11330),
    (0x11332, 0x11333), (0x11335, 0x11339), (0x1133D, 0x1133D), (0x11350, 0x11350),
    (0x1135D, 0x11361), (0x11400, 0x11434), (0x11447, 0x1144A), (0x11450, 0x11459),
    (0x1145F, 0x11461), (0x11480, 0x114AF), (0x114C4, 0x114C5), (0x114C7, 0x114C7),
    (0x114D0, 0x114D9), (0x11580, 0x115AE), (0x115D8, 0x115DB), (0x11600, 0x1162F),
    (0x11644, 0x11644), (0x11650, 0x11659), (0x11680, 0x116AA), (0x116B8, 0x116B8),
    (0x116C0, 0x116C9), (0x11700, 0x1171A), (0x11730, 0x11739), (0x11740, 0x11746),
    (0x11800, 0x1182B), (0x118A0, 0x118E9), (0x118FF, 0x11906), (0x11909, 0x11909),
    (0x1190C, 0x11913), (0x11915, 0x11916), (0x11918, 0x1192F), (0x1193F, 0x1193F),
    (0x11941, 0x11941), (0x11950, 0x11959), (0x119A0, 0x119A7), (0x119AA, 0x119D0),
    (0x119E1, 0x119E1), (0x119E3, 0x119E3), (0x11A00, 0x11A00), (0x11A0B, 0x11A32),
    (0x11A3A, 0x11A3A), (0x11A50, 0x11A50), (0x11A5C, 0x11A89), (0x11A9D, 0x11A9D),
    (0x11AB0, 0x11AF8), (0x11C00, 0x11C08), (0x11C0A, 0x11C2E), (0x11C40, 0x11C40),
    (0x11C50, 0x11C59), (0x11C72, 0x11C8F), (0x11D00, 0x11D06), (0x11D08, 0x11D09),
    (0x11D0B, 0x11D30), (0x11D46, 0x11D46), (0x11D50, 0x11D59), (0x11D60, 0x11D65),
    (0x11D67, 0x11D68), (0x11D6A, 0x11D89), (0x11D98, 0x11D98), (0x11DA0, 0x11DA9),
    (0x11EE0, 0x11EF2), (0x11F02, 0x11F02), (0x11F04, 0x11F10), (0x11F12, 0x11F33),
    (0x11F50, 0x11F59), (0x11FB0, 0x11FB0), (0x12000, 0x12399), (0x12480, 0x12543),
    (0x12F90, 0x12FF0), (0x13000, 0x1342F), (0x13441, 0x13446), (0x14400, 0x14646),
    (0x16800, 0x16A38), (0x16A40, 0x16A5E), (0x16A60, 0x16A69), (0x16A70, 0x16ABE),
    (0x16AC0, 0x16AC9), (0x16AD0, 0x16AED), (0x16B00, 0x16B2F), (0x16B40, 0x16B43),
    (0x16B50, 0x16B59), (0x16B63, 0x16B77), (0x16B7D, 0x16B8F), (0x16E40, 0x16E7F),
    (0x16F00, 0x16F4A), (0x16F50, 0x16F50), (0x16F93, 0x16F9F), (0x16FE0, 0x16FE1),
    (0x16FE3, 0x16FE3), (0x17000, 0x187F7), (0x18800, 0x18CD5), (0x18D00, 0x18D08),
    (0x1AFF0, 0x1AFF3), (0x1AFF5, 0x1AFFB), (0x1AFFD, 0x1AFFE), (0x1B000, 0x1B122),
    (0x1B132, 0x1B132), (0x1B150, 0x1B152), (0x1B155, 0x1B155), (0x1B164, 0x1B167),
    (0x1B170, 0x1B2FB), (0x1BC00, 0x1BC6A), (0x1BC70, 0x1BC7C), (0x1BC80, 0x1BC88),
    (0x1BC90, 0x1BC99), (0x1D400, 0x1D454), (0x1D456, 0x1D49C), (0x1D49E, 0x1D49F),
    (0x1D4A2, 0x1D4A2), (0x1D4A5, 0x1D4A6), (0x1D4A9, 0x1D4AC), (0x1D4AE, 0x1D4B9),
    (0x1D4BB, 0x1D4BB), (0x1D4BD, 0x1D4C3), (0x1D4C5, 0x1D505), (0x1D507, 0x1D50A),
    (0x1D50D, 0x1D514), (0x1D516, 0x1D51C), (0x1D51E, 0x1D539), (0x1D53B, 0x1D53E),
    (0x1D540, 0x1D544), (0x1D546, 0x1D546), (0x1D54A, 0x1D550), (0x1D552, 0x1D6A5),
    (0x1D6A8, 0x1D6C0), (0x1D6C2, 0x1D6DA), (0x1D6DC, 0x1D6FA), (0x1D6FC, 0x1D714),
    (0x1D716, 0x1D734), (0x1D736, 0x1D74E), (0x1D750, 0x1D76E), (0x1D770, 0x1D788),
    (0x1D78A, 0x1D7A8), (0x1D7AA, 0x1D7C2), (0x1D7C4, 0x1D7CB), (0x1D7CE, 0x1D7FF),
    (0x1DF00, 0x1DF1E), (0x1DF25, 0x1DF2A), (0x1E030, 0x1E06D), (0x1E100, 0x1E12C),
    (0x1E137, 0x1E13D), (0x1E140, 0x1E149), (0x1E14E, 0x1E14E), (0x1E290, 0x1E2AD),
    (0x1E2C0, 0x1E2EB), (0x1E2F0, 0x1E2F9), (0x1E4D0, 0x1E4EB), (0x1E4F0, 0x1E4F9),
    (0x1E7E0, 0x1E7E6), (0x1E7E8, 0x1E7EB), (0x1E7ED, 0x1E7EE), (0x1E7F0, 0x1E7FE),
    (0x1E800, 0x1E8C4), (0x1E900, 0x1E943), (0x1E94B, 0x1E94B), (0x1E950, 0x1E959),
    (0x1EE00, 0x1EE03), (0x1EE05, 0x1EE1F), (0x1EE21, 0x1EE22), (0x1EE24, 0x1EE24),
    (0x1EE27, 0x1EE27), (0x1EE29, 0x1EE32), (0x1EE34, 0x1EE37), (0x1EE39, 0x1EE39),
    (0x1EE3B, 0x1EE3B), (0x1EE42, 0x1EE42), (0x1EE47, 0x1EE47), (0x1EE49, 0x1EE49),
    (0x1EE4B, 0x1EE4B), (0x1EE4D, 0x1EE4F), (0x1EE51, 0x1EE52), (0x1EE54, 0x1EE54),
    (0x1EE57, 0x1EE57), (0x1EE59, 0x1EE59), (0x1EE5B, 0x1EE5B), (0x1EE5D, 0x1EE5D),
    (0x1EE5F, 0x1EE5F), (0x1EE61, 0x1EE62), (0x1EE64, 0x1EE64), (0x1EE67, 0x1EE6A),
    (0x1EE6C, 0x1EE72), (0x1EE74, 0x1EE77), (0x1EE79, 0x1EE7C), (0x1EE7E, 0x1EE7E),
    (0x1EE80, 0x1EE89), (0x1EE8B, 0x1EE9B), (0x1EEA1, 0x1EEA3), (0x1EEA5, 0x1EEA9),
    (0x1EEAB, 0x1EEBB), (0x1FBF0, 0x1FBF9), (0x20000, 0x2A6DF), (0x2A700, 0x2B739),
    (0x2B740, 0x2B81D), (0x2B820, 0x2CEA1), (0x2CEB0, 0x2EBE0), (0x2F800, 0x2FA1D),
    (0x30000, 0x3134A), (0x31350, 0x323AF),
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    /// Lexes `input` with comments emitted and break/continue as keywords
    /// (as Go's lex tests do) and renders the items like the Go reference
    /// tool: `type@pos:line=%q(val);` with Go's numeric item types.
    fn render(input: &str) -> String {
        let mut l = Lexer::new(input, "", "");
        l.options = LexOptions {
            emit_comment: true,
            break_ok: true,
            continue_ok: true,
        };
        let mut out = String::new();
        for _ in 0..1000 {
            let item = l.next_item();
            let val = match item.typ {
                ItemType::Error => l.error_message(&item).to_string(),
                _ => item.val.to_string(),
            };
            let _ = write!(
                out,
                "{}@{}:{}={};",
                item.typ as u8,
                item.pos,
                item.line,
                quote(&val)
            );
            if matches!(item.typ, ItemType::Eof | ItemType::Error) {
                break;
            }
        }
        out
    }

    fn kinds(input: &str, left: &str, right: &str, options: LexOptions) -> Vec<(ItemType, String)> {
        let mut l = Lexer::new(input, left, right);
        l.options = options;
        let mut out = Vec::new();
        loop {
            let item = l.next_item();
            let typ = item.typ;
            let shown = match typ {
                ItemType::Error => l.error_message(&item).to_string(),
                _ => item.to_string(),
            };
            out.push((typ, shown));
            if matches!(typ, ItemType::Eof | ItemType::Error) {
                return out;
            }
        }
    }

    #[test]
    fn matches_go_reference_table() {
        let mut failures = Vec::new();
        for &(input, want) in GO_LEX_TABLE {
            let got = render(input);
            if got != want {
                failures.push(format!("input {input:?}\n  want {want}\n  got  {got}"));
            }
        }
        assert!(
            failures.is_empty(),
            "{} mismatches:\n{}",
            failures.len(),
            failures.join("\n")
        );
        assert_eq!(render(""), "8@0:1=\"\";");
    }

    #[test]
    fn item_display() {
        use ItemType::*;
        let k = kinds(
            "{{if .X \"a long string\" `r` 12 $v}}",
            "",
            "",
            LexOptions::default(),
        );
        let shown: Vec<&str> = k.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            shown,
            [
                "\"{{\"",
                "<if>",
                "\" \"",
                "\".X\"",
                "\" \"",
                "\"\\\"a long st\"...",
                "\" \"",
                "\"`r`\"",
                "\" \"",
                "\"12\"",
                "\" \"",
                "\"$v\"",
                "\"}}\"",
                "EOF"
            ]
        );
        assert_eq!(k[1].0, If);
        // Multi-byte values are cut after ten runes, not ten bytes.
        let k = kinds("{{\"ééééééééééé\"}}", "", "", LexOptions::default());
        assert_eq!(k[1].1, "\"\\\"ééééééééé\"...");
        let k = kinds("{{.}}{{nil}}{{else}}", "", "", LexOptions::default());
        assert_eq!(k[1].1, "<.>");
        assert_eq!(k[4].1, "<nil>");
        assert_eq!(k[7].1, "<else>");
    }

    #[test]
    fn break_and_continue_need_options() {
        use ItemType::*;
        let text = "{{break}}{{continue}}";
        let off = kinds(text, "", "", LexOptions::default());
        assert_eq!(off[1].0, Identifier);
        assert_eq!(off[4].0, Identifier);
        let on = LexOptions {
            break_ok: true,
            continue_ok: true,
            emit_comment: false,
        };
        let on = kinds(text, "", "", on);
        assert_eq!(on[1].0, Break);
        assert_eq!(on[4].0, Continue);
    }

    #[test]
    fn custom_delimiters() {
        use ItemType::*;
        let k = kinds(
            "a$$- .X -@@ {{b}}$$/* c */@@",
            "$$",
            "@@",
            LexOptions {
                emit_comment: true,
                ..LexOptions::default()
            },
        );
        let typs: Vec<ItemType> = k.iter().map(|(t, _)| *t).collect();
        assert_eq!(
            typs,
            [Text, LeftDelim, Field, RightDelim, Text, Comment, Eof]
        );
        assert_eq!(k[4].1, "\"{{b}}\"");
    }

    #[test]
    fn error_items() {
        let last = |s: &str| kinds(s, "", "", LexOptions::default()).pop().unwrap().1;
        assert_eq!(last("{{.X"), "unclosed action");
        assert_eq!(last("{{(.X}}"), "unclosed left paren");
        assert_eq!(last("{{.X)}}"), "unexpected right paren");
        assert_eq!(last("{{/* x"), "unclosed comment");
        assert_eq!(
            last("{{/* x */ .X}}"),
            "comment ends before closing delimiter"
        );
        assert_eq!(last("{{\"x}}"), "unterminated quoted string");
        assert_eq!(last("{{`x}}"), "unterminated raw quoted string");
        assert_eq!(last("{{'x}}"), "unterminated character constant");
        assert_eq!(last("{{.X!}}"), "bad character U+0021 '!'");
        assert_eq!(last("{{x\u{301}}}"), "bad character U+0301 '\u{301}'");
        assert_eq!(
            last("{{\u{7}}}"),
            "unrecognized character in action: U+0007"
        );
        assert_eq!(
            last("{{\u{a0}}}"),
            "unrecognized character in action: U+00A0"
        );
        assert_eq!(last("{{:x}}"), "expected :=");
        assert_eq!(last("{{0x1g}}"), "bad number syntax: \"0x1g\"");
        assert_eq!(last("{{1+2}}"), "bad number syntax: \"1+2\"");
    }

    /// The fast paths give exactly the state machine's items (kinds,
    /// positions, texts, lines, error messages) on inputs built from the
    /// pieces that matter to them.
    #[test]
    fn fast_paths_match_state_machine() {
        const PIECES: &[&str] = &[
            "{{",
            "}}",
            "{{- ",
            " -}}",
            "{{-",
            "-}}",
            " ",
            "  ",
            "\n",
            "\t",
            "\r\n",
            "x",
            "ab_1",
            ".",
            ".a",
            ".a.b",
            "..",
            "$",
            "$x",
            "$x.y",
            "1",
            "0x1f",
            "1.5",
            "1e3",
            "1_0",
            "2i",
            "1+2i",
            "-1",
            "+",
            "\"s\"",
            "\"a\\\"b\"",
            "\"\n\"",
            "`r`",
            "`r\nr`",
            "`",
            "'c'",
            "(",
            ")",
            "|",
            ":=",
            "=",
            ":",
            ",",
            "#",
            "!",
            "é",
            "\u{663}",
            "}",
            "{",
            "/* c */",
            "/*",
            "*/",
            "if",
            "end",
            "else",
            "range",
            "true",
            "false",
            "nil",
            "break",
            "continue",
            "define",
            "block",
            "with",
            "template",
            "text",
            "\u{0}",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let items = |input: &str, fast: bool, options: LexOptions| {
            let mut l = Lexer::new(input, "", "");
            l.options = options;
            l.default_right = fast;
            let mut out = Vec::new();
            for _ in 0..10_000 {
                let item = l.next_item();
                let msg = l.error_message(&item).to_string();
                out.push((item.typ, item.pos, item.val.to_string(), item.line, msg));
                if matches!(item.typ, ItemType::Eof | ItemType::Error) {
                    break;
                }
            }
            out
        };
        for case in 0..20_000 {
            let mut input = String::new();
            let n = 1 + next() % 12;
            for _ in 0..n {
                input.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            let options = LexOptions {
                emit_comment: case % 2 == 0,
                break_ok: case % 3 == 0,
                continue_ok: case % 3 == 0,
            };
            assert_eq!(
                items(&input, true, options),
                items(&input, false, options),
                "{input:?}"
            );
        }
    }

    #[test]
    fn alphanumeric_follows_go() {
        // Letters (L*) and decimal digits (Nd) only, per Go's unicode tables.
        for c in ['a', 'Z', '_', '0', 'é', 'ß', 'ª', 'µ', 'Ж', '٣', '漢', '𝟎'] {
            assert!(is_alphanumeric(c), "{c:?}");
        }
        for c in [
            '-', ' ', '²', 'Ⅻ', '\u{301}', '\u{345}', '\u{903}', '\u{a0}', '😀', '\u{200b}', '〇',
        ] {
            assert!(!is_alphanumeric(c), "{c:?}");
        }
    }

    /// Token streams produced by Go 1.25's lexer (lex.go compiled
    /// unchanged) for the inputs of Go's lex tests plus edge cases.
    #[rustfmt::skip]
    const GO_LEX_TABLE: &[(&str, &str)] = &[
    (" \t\n", "20@0:1=\" \\t\\n\";8@3:2=\"\";"),
    ("now is the time", "20@0:1=\"now is the time\";8@15:1=\"\";"),
    ("hello-{{/* this is a comment */}}-world", "20@0:1=\"hello-\";4@8:1=\"/* this is a comment */\";20@33:1=\"-world\";8@39:1=\"\";"),
    ("{{,@% }}", "11@0:1=\"{{\";2@2:1=\",\";2@3:1=\"@\";2@4:1=\"%\";18@5:1=\" \";16@6:1=\"}}\";8@8:1=\"\";"),
    ("{{((3))}}", "11@0:1=\"{{\";12@2:1=\"(\";12@3:1=\"(\";13@4:1=\"3\";17@5:1=\")\";17@6:1=\")\";16@7:1=\"}}\";8@9:1=\"\";"),
    ("{{}}", "11@0:1=\"{{\";16@2:1=\"}}\";8@4:1=\"\";"),
    ("{{for}}", "11@0:1=\"{{\";10@2:1=\"for\";16@5:1=\"}}\";8@7:1=\"\";"),
    ("{{block \"foo\" .}}", "11@0:1=\"{{\";23@2:1=\"block\";18@7:1=\" \";19@8:1=\"\\\"foo\\\"\";18@13:1=\" \";26@14:1=\".\";16@15:1=\"}}\";8@17:1=\"\";"),
    ("{{\"abc \\n\\t\\\" \"}}", "11@0:1=\"{{\";19@2:1=\"\\\"abc \\\\n\\\\t\\\\\\\" \\\"\";16@15:1=\"}}\";8@17:1=\"\";"),
    ("{{1 02 0x14 0X14 -7.2i 1e3 1E3 +1.2e-4 4.2i 1+2i 1_2 0x1.e_fp4 0X1.E_FP4}}", "11@0:1=\"{{\";13@2:1=\"1\";18@3:1=\" \";13@4:1=\"02\";18@6:1=\" \";13@7:1=\"0x14\";18@11:1=\" \";13@12:1=\"0X14\";18@16:1=\" \";13@17:1=\"-7.2i\";18@22:1=\" \";13@23:1=\"1e3\";18@26:1=\" \";13@27:1=\"1E3\";18@30:1=\" \";13@31:1=\"+1.2e-4\";18@38:1=\" \";13@39:1=\"4.2i\";18@43:1=\" \";5@44:1=\"1+2i\";18@48:1=\" \";13@49:1=\"1_2\";18@52:1=\" \";13@53:1=\"0x1.e_fp4\";18@62:1=\" \";13@63:1=\"0X1.E_FP4\";16@72:1=\"}}\";8@74:1=\"\";"),
    ("{{'a' '\\n' '\\'' '\\\\' '\\u00FF' '\\xFF' '\u{672c}'}}", "11@0:1=\"{{\";3@2:1=\"'a'\";18@5:1=\" \";3@6:1=\"'\\\\n'\";18@10:1=\" \";3@11:1=\"'\\\\''\";18@15:1=\" \";3@16:1=\"'\\\\\\\\'\";18@20:1=\" \";3@21:1=\"'\\\\u00FF'\";18@29:1=\" \";3@30:1=\"'\\\\xFF'\";18@36:1=\" \";3@37:1=\"'\u{672c}'\";16@42:1=\"}}\";8@44:1=\"\";"),
    ("{{true false}}", "11@0:1=\"{{\";1@2:1=\"true\";18@6:1=\" \";1@7:1=\"false\";16@12:1=\"}}\";8@14:1=\"\";"),
    ("{{.}}", "11@0:1=\"{{\";26@2:1=\".\";16@3:1=\"}}\";8@5:1=\"\";"),
    ("{{nil}}", "11@0:1=\"{{\";31@2:1=\"nil\";16@5:1=\"}}\";8@7:1=\"\";"),
    ("{{.x . .2 .x.y.z}}", "11@0:1=\"{{\";9@2:1=\".x\";18@4:1=\" \";26@5:1=\".\";18@6:1=\" \";13@7:1=\".2\";18@9:1=\" \";9@10:1=\".x\";9@12:1=\".y\";9@14:1=\".z\";16@16:1=\"}}\";8@18:1=\"\";"),
    ("{{range if else end with}}", "11@0:1=\"{{\";32@2:1=\"range\";18@7:1=\" \";30@8:1=\"if\";18@10:1=\" \";28@11:1=\"else\";18@15:1=\" \";29@16:1=\"end\";18@19:1=\" \";34@20:1=\"with\";16@24:1=\"}}\";8@26:1=\"\";"),
    ("{{$c := printf $ $hello $23 $ $var.Field .Method}}", "11@0:1=\"{{\";21@2:1=\"$c\";18@4:1=\" \";7@5:1=\":=\";18@7:1=\" \";10@8:1=\"printf\";18@14:1=\" \";21@15:1=\"$\";18@16:1=\" \";21@17:1=\"$hello\";18@23:1=\" \";21@24:1=\"$23\";18@27:1=\" \";21@28:1=\"$\";18@29:1=\" \";21@30:1=\"$var\";9@34:1=\".Field\";18@40:1=\" \";9@41:1=\".Method\";16@48:1=\"}}\";8@50:1=\"\";"),
    ("{{$x 23}}", "11@0:1=\"{{\";21@2:1=\"$x\";18@4:1=\" \";13@5:1=\"23\";16@7:1=\"}}\";8@9:1=\"\";"),
    ("intro {{echo hi 1.2 |noargs|args 1 \"hi\"}} outro", "20@0:1=\"intro \";11@6:1=\"{{\";10@8:1=\"echo\";18@12:1=\" \";10@13:1=\"hi\";18@15:1=\" \";13@16:1=\"1.2\";18@19:1=\" \";14@20:1=\"|\";10@21:1=\"noargs\";14@27:1=\"|\";10@28:1=\"args\";18@32:1=\" \";13@33:1=\"1\";18@34:1=\" \";19@35:1=\"\\\"hi\\\"\";16@39:1=\"}}\";20@41:1=\" outro\";8@47:1=\"\";"),
    ("{{$v := 3}}", "11@0:1=\"{{\";21@2:1=\"$v\";18@4:1=\" \";7@5:1=\":=\";18@7:1=\" \";13@8:1=\"3\";16@9:1=\"}}\";8@11:1=\"\";"),
    ("{{$v , $w := 3}}", "11@0:1=\"{{\";21@2:1=\"$v\";18@4:1=\" \";2@5:1=\",\";18@6:1=\" \";21@7:1=\"$w\";18@9:1=\" \";7@10:1=\":=\";18@12:1=\" \";13@13:1=\"3\";16@14:1=\"}}\";8@16:1=\"\";"),
    ("{{(.X).Y}}", "11@0:1=\"{{\";12@2:1=\"(\";9@3:1=\".X\";17@5:1=\")\";9@6:1=\".Y\";16@8:1=\"}}\";8@10:1=\"\";"),
    ("hello- {{- 3 -}} -world", "20@0:1=\"hello-\";11@7:1=\"{{\";13@11:1=\"3\";16@14:1=\"}}\";20@17:1=\"-world\";8@23:1=\"\";"),
    ("hello- {{- /* hello */ -}} -world", "20@0:1=\"hello-\";4@11:1=\"/* hello */\";20@27:1=\"-world\";8@33:1=\"\";"),
    ("#{{\u{1}}}", "20@0:1=\"#\";11@1:1=\"{{\";0@3:1=\"unrecognized character in action: U+0001\";"),
    ("{{", "11@0:1=\"{{\";0@2:1=\"unclosed action\";"),
    ("{{range", "11@0:1=\"{{\";32@2:1=\"range\";0@7:1=\"unclosed action\";"),
    ("{{\"\n\"}}", "11@0:1=\"{{\";0@2:1=\"unterminated quoted string\";"),
    ("{{`xx}}", "11@0:1=\"{{\";0@2:1=\"unterminated raw quoted string\";"),
    ("{{'\n}}", "11@0:1=\"{{\";0@2:1=\"unterminated character constant\";"),
    ("{{3k}}", "11@0:1=\"{{\";0@2:1=\"bad number syntax: \\\"3k\\\"\";"),
    ("{{(3}}", "11@0:1=\"{{\";12@2:1=\"(\";13@3:1=\"3\";0@4:1=\"unclosed left paren\";"),
    ("{{3)}}", "11@0:1=\"{{\";13@2:1=\"3\";0@3:1=\"unexpected right paren\";"),
    ("{{|||||}}", "11@0:1=\"{{\";14@2:1=\"|\";14@3:1=\"|\";14@4:1=\"|\";14@5:1=\"|\";14@6:1=\"|\";16@7:1=\"}}\";8@9:1=\"\";"),
    ("hello-{{/*/}}-world", "20@0:1=\"hello-\";0@8:1=\"unclosed comment\";"),
    ("hello-{{/* */ }}-world", "20@0:1=\"hello-\";0@8:1=\"comment ends before closing delimiter\";"),
    ("hello-{.}}-world", "20@0:1=\"hello-{.}}-world\";8@16:1=\"\";"),
    ("$$,@%{{}}@@", "20@0:1=\"$$,@%\";11@5:1=\"{{\";16@7:1=\"}}\";20@9:1=\"@@\";8@11:1=\"\";"),
    ("$$@@", "20@0:1=\"$$@@\";8@4:1=\"\";"),
    ("$$for@@", "20@0:1=\"$$for@@\";8@7:1=\"\";"),
    ("$$\"abc \\n\\t\\\" \"@@", "20@0:1=\"$$\\\"abc \\\\n\\\\t\\\\\\\" \\\"@@\";8@17:1=\"\";"),
    ("{{-3}}", "11@0:1=\"{{\";13@2:1=\"-3\";16@4:1=\"}}\";8@6:1=\"\";"),
    ("{{- 3 -}}", "11@0:1=\"{{\";13@4:1=\"3\";16@7:1=\"}}\";8@9:1=\"\";"),
    ("x \n{{- .X -}}\n y", "20@0:1=\"x\";11@3:2=\"{{\";9@7:2=\".X\";16@11:2=\"}}\";20@15:3=\"y\";8@16:3=\"\";"),
    ("{{.X\n-}}\n", "11@0:1=\"{{\";9@2:1=\".X\";16@6:2=\"}}\";8@9:3=\"\";"),
    ("{{.X \n -}} z", "11@0:1=\"{{\";9@2:1=\".X\";18@4:1=\" \\n\";16@8:2=\"}}\";20@11:2=\"z\";8@12:2=\"\";"),
    ("{{ /* c\n */ -}}\n x", "11@0:1=\"{{\";18@2:1=\" \";2@3:1=\"/\";2@4:1=\"*\";18@5:1=\" \";10@6:1=\"c\";18@7:1=\"\\n \";2@9:2=\"*\";2@10:2=\"/\";16@13:2=\"}}\";20@17:3=\"x\";8@18:3=\"\";"),
    ("{{/* c */}}", "4@2:1=\"/* c */\";8@11:1=\"\";"),
    ("{{`a\nb`}}\n{{.}}", "11@0:1=\"{{\";15@2:1=\"`a\\nb`\";16@7:2=\"}}\";20@9:2=\"\\n\";11@10:3=\"{{\";26@12:3=\".\";16@13:3=\"}}\";8@15:3=\"\";"),
    ("{{0x1p-2 1_000 0b1 0o7 1e3 1i 1+2i 08 .5 5. +i}}", "11@0:1=\"{{\";13@2:1=\"0x1p-2\";18@8:1=\" \";13@9:1=\"1_000\";18@14:1=\" \";13@15:1=\"0b1\";18@18:1=\" \";13@19:1=\"0o7\";18@22:1=\" \";13@23:1=\"1e3\";18@26:1=\" \";13@27:1=\"1i\";18@29:1=\" \";5@30:1=\"1+2i\";18@34:1=\" \";13@35:1=\"08\";18@37:1=\" \";13@38:1=\".5\";18@40:1=\" \";13@41:1=\"5.\";18@43:1=\" \";13@44:1=\"+i\";16@46:1=\"}}\";8@48:1=\"\";"),
    ("{{3x}}", "11@0:1=\"{{\";0@2:1=\"bad number syntax: \\\"3x\\\"\";"),
    ("{{1+2}}", "11@0:1=\"{{\";0@2:1=\"bad number syntax: \\\"1+2\\\"\";"),
    ("{{$x := .Y | printf \"%d\" $}}", "11@0:1=\"{{\";21@2:1=\"$x\";18@4:1=\" \";7@5:1=\":=\";18@7:1=\" \";9@8:1=\".Y\";18@10:1=\" \";14@11:1=\"|\";18@12:1=\" \";10@13:1=\"printf\";18@19:1=\" \";19@20:1=\"\\\"%d\\\"\";18@24:1=\" \";21@25:1=\"$\";16@26:1=\"}}\";8@28:1=\"\";"),
    ("{{$x.a.b}}", "11@0:1=\"{{\";21@2:1=\"$x\";9@4:1=\".a\";9@6:1=\".b\";16@8:1=\"}}\";8@10:1=\"\";"),
    ("{{.a.b.c}}", "11@0:1=\"{{\";9@2:1=\".a\";9@4:1=\".b\";9@6:1=\".c\";16@8:1=\"}}\";8@10:1=\"\";"),
    ("{{html.X}}", "11@0:1=\"{{\";10@2:1=\"html\";9@6:1=\".X\";16@8:1=\"}}\";8@10:1=\"\";"),
    ("{{'\\''}}", "11@0:1=\"{{\";3@2:1=\"'\\\\''\";16@6:1=\"}}\";8@8:1=\"\";"),
    ("{{'\\\n'}}", "11@0:1=\"{{\";0@2:1=\"unterminated character constant\";"),
    ("{{\"\\\n\"}}", "11@0:1=\"{{\";0@2:1=\"unterminated quoted string\";"),
    ("{{\u{1}}}", "11@0:1=\"{{\";0@2:1=\"unrecognized character in action: U+0001\";"),
    ("{{\u{e9}\u{663} .\u{e9} $\u{e9}}}", "11@0:1=\"{{\";10@2:1=\"\u{e9}\u{663}\";18@6:1=\" \";9@7:1=\".\u{e9}\";18@10:1=\" \";21@11:1=\"$\u{e9}\";16@14:1=\"}}\";8@16:1=\"\";"),
    ("{{.X\u{301}}}", "11@0:1=\"{{\";0@2:1=\"bad character U+0301 '\u{301}'\";"),
    ("{{x+}}", "11@0:1=\"{{\";0@2:1=\"bad character U+002B '+'\";"),
    ("{{.X:}}", "11@0:1=\"{{\";9@2:1=\".X\";0@4:1=\"expected :=\";"),
    ("{{:x}}", "11@0:1=\"{{\";0@2:1=\"expected :=\";"),
    ("{{break continue block define else end if range nil template with true false}}", "11@0:1=\"{{\";24@2:1=\"break\";18@7:1=\" \";25@8:1=\"continue\";18@16:1=\" \";23@17:1=\"block\";18@22:1=\" \";27@23:1=\"define\";18@29:1=\" \";28@30:1=\"else\";18@34:1=\" \";29@35:1=\"end\";18@38:1=\" \";30@39:1=\"if\";18@41:1=\" \";32@42:1=\"range\";18@47:1=\" \";31@48:1=\"nil\";18@51:1=\" \";33@52:1=\"template\";18@60:1=\" \";34@61:1=\"with\";18@65:1=\" \";1@66:1=\"true\";18@70:1=\" \";1@71:1=\"false\";16@76:1=\"}}\";8@78:1=\"\";"),
    ("{{.}}{{ . }}{{..}}", "11@0:1=\"{{\";26@2:1=\".\";16@3:1=\"}}\";11@5:1=\"{{\";18@7:1=\" \";26@8:1=\".\";18@9:1=\" \";16@10:1=\"}}\";11@12:1=\"{{\";26@14:1=\".\";26@15:1=\".\";16@16:1=\"}}\";8@18:1=\"\";"),
    ("{{$}}{{$ }}{{$.X}}", "11@0:1=\"{{\";21@2:1=\"$\";16@3:1=\"}}\";11@5:1=\"{{\";21@7:1=\"$\";18@8:1=\" \";16@9:1=\"}}\";11@11:1=\"{{\";21@13:1=\"$\";9@14:1=\".X\";16@16:1=\"}}\";8@18:1=\"\";"),
    ("{{(}}", "11@0:1=\"{{\";12@2:1=\"(\";0@3:1=\"unclosed left paren\";"),
    ("{{)}}", "11@0:1=\"{{\";0@2:1=\"unexpected right paren\";"),
    ("{{((1)}}", "11@0:1=\"{{\";12@2:1=\"(\";12@3:1=\"(\";13@4:1=\"1\";17@5:1=\")\";0@6:1=\"unclosed left paren\";"),
    ("{{/*/}}", "0@2:1=\"unclosed comment\";"),
    ("{{/* */ x}}", "0@2:1=\"comment ends before closing delimiter\";"),
    ("{{#}}", "11@0:1=\"{{\";2@2:1=\"#\";16@3:1=\"}}\";8@5:1=\"\";"),
    ("{{ \t\r\n }}", "11@0:1=\"{{\";18@2:1=\" \\t\\r\\n \";16@7:2=\"}}\";8@9:2=\"\";"),
    ("a{{", "20@0:1=\"a\";11@1:1=\"{{\";0@3:1=\"unclosed action\";"),
    ("a{{-", "20@0:1=\"a\";11@1:1=\"{{\";13@3:1=\"-\";0@4:1=\"unclosed action\";"),
    ("{{- /* c */ -}}", "4@4:1=\"/* c */\";8@15:1=\"\";"),
    ("{{-/* c */-}}", "11@0:1=\"{{\";13@2:1=\"-\";2@3:1=\"/\";2@4:1=\"*\";18@5:1=\" \";10@6:1=\"c\";18@7:1=\" \";2@8:1=\"*\";2@9:1=\"/\";13@10:1=\"-\";16@11:1=\"}}\";8@13:1=\"\";"),
    ];
}
