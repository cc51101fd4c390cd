//! Go's `fmt` printing (`Sprint`, `Sprintln`, `Sprintf`) over [`Value`]s,
//! byte-for-byte as Go 1.25 formats the equivalent Go values.
//!
//! The structure mirrors Go's `print.go`/`format.go`: a printer holding the
//! flags of the current directive, `print_arg` for an operand, and
//! `print_value` for the reflect-driven printing of composites. Output is
//! appended to a caller-supplied `String`.
//!
//! Mapping of the value model onto Go's reflection:
//! * [`Value::Invalid`] and [`Value::Nil`] are a nil `interface {}` operand;
//!   inside a container they are a nil interface element (`<nil>`).
//! * Objects with a `go_string()` behave as a `Stringer`/`error`; `%#v`
//!   never calls it (objects have no `GoString`).
//! * Objects of kind `Struct` print their `struct_fields()`; kind `Pointer`
//!   is taken as a pointer to such a struct (`&{…}` at top level, an address
//!   inside containers). Addresses are the fixed placeholder `0xc000000000`.

use crate::gostr::Output;
use crate::strconv;
use crate::value::{Kind, Object, Type, UintKind, Value};

/// What `%p` and nested pointers print as the address of any non-nil
/// reference value: Go would print a real heap address.
const PLACEHOLDER_ADDR: u64 = 0xc000000000;

const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";

/// Go's `fmt.Sprint`: operands in their default format, with spaces between
/// operands when neither is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    sprint_into(&mut out, args);
    out
}

/// [`sprint`], appending to `out`.
pub fn sprint_into(out: &mut String, args: &[Value]) {
    let start = out.len();
    let raw = sprint_raw(out, args);
    finish_text(out, start, raw);
}

fn sprint_raw(out: &mut String, args: &[Value]) -> bool {
    let mut p = Printer::new(out);
    let mut prev_string = false;
    for (i, arg) in args.iter().enumerate() {
        let is_string = arg.kind() == Kind::String;
        if i > 0 && !is_string && !prev_string {
            p.buf.push(' ');
        }
        p.print_arg(arg, 'v');
        prev_string = is_string;
    }
    p.raw
}

/// Go's `fmt.Sprintln`: operands separated by spaces, then a newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    sprintln_into(&mut out, args);
    out
}

/// [`sprintln`], appending to `out`.
pub fn sprintln_into(out: &mut String, args: &[Value]) {
    let start = out.len();
    let raw = sprintln_raw(out, args);
    finish_text(out, start, raw);
}

fn sprintln_raw(out: &mut String, args: &[Value]) -> bool {
    let mut p = Printer::new(out);
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            p.buf.push(' ');
        }
        p.print_arg(arg, 'v');
    }
    p.buf.push('\n');
    p.raw
}

/// Prints one value as `fmt.Sprint(v)` would (what `{{ . }}` emits).
pub fn fprint_into(out: &mut String, v: &Value) {
    match v {
        // The common cases, without setting up a printer.
        Value::String(s) => out.push_str(s),
        Value::Int(i, _) => strconv::append_int(out, *i, 10),
        _ => {
            let start = out.len();
            let mut p = Printer::new(out);
            p.print_arg(v, 'v');
            let raw = p.raw;
            finish_text(out, start, raw);
        }
    }
}

/// [`fprint_into`] into a template's byte output.
pub fn fprint_output(out: &mut Output, v: &Value) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Bytes(b) => out.push_bytes(b.as_bytes()),
        _ => {
            let mut marked_tail = None;
            out.write_with(|text| {
                let start = text.len();
                let mut p = Printer::new(text);
                p.print_arg(v, 'v');
                if p.raw {
                    marked_tail = Some(text.split_off(start));
                }
            });
            // A list or map holding byte strings: Go prints their bytes.
            if let Some(t) = marked_tail {
                match crate::gostr::unmarked(&t) {
                    Value::Bytes(b) => out.push_bytes(b.as_bytes()),
                    _ => out.push_str(&t),
                }
            }
        }
    }
}

/// What text/template prints for an action whose value is a non-nil pointer
/// to a struct without a `String` or `Error` method: `printableValue`
/// dereferences it, so the struct prints without the `&` that `print`
/// and `printf` give it.
pub fn fprint_output_pointee(out: &mut Output, o: &dyn Object) {
    out.write_with(|text| {
        let mut p = Printer::new(text);
        let name = o.go_type().to_string();
        let elem = name.strip_prefix('*').unwrap_or(&name);
        p.print_struct(o, elem, 'v', 0);
    });
}

/// `fmt.Sprint` of what a non-nil pointer to a struct points to (`{…}`,
/// where the pointer prints `&{…}`).
pub fn sprint_pointee(o: &dyn Object) -> String {
    let mut text = String::new();
    let mut p = Printer::new(&mut text);
    let name = o.go_type().to_string();
    let elem = name.strip_prefix('*').unwrap_or(&name);
    p.print_struct(o, elem, 'v', 0);
    text
}

/// Go's `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::with_capacity(format.len() + 16 * args.len());
    sprintf_into(&mut out, format, args);
    out
}

/// [`sprintf`], appending to `out`.
pub fn sprintf_into(out: &mut String, format: &str, args: &[Value]) {
    let start = out.len();
    let mut p = Printer::new(out);
    p.do_printf(format, args);
    let raw = p.raw;
    finish_text(out, start, raw);
}

/// [`sprint`] as Go's `string`: the bytes of strings that are not UTF-8 kept.
pub fn sprint_value(args: &[Value]) -> Value {
    let mut out = String::new();
    let raw = sprint_raw(&mut out, args);
    finish_value(out, raw)
}

/// [`sprintln`] as Go's `string`.
pub fn sprintln_value(args: &[Value]) -> Value {
    let mut out = String::new();
    let raw = sprintln_raw(&mut out, args);
    finish_value(out, raw)
}

/// [`sprintf`] as Go's `string`.
pub fn sprintf_value(format: &str, args: &[Value]) -> Value {
    sprintf_bytes(format.as_bytes(), args)
}

/// [`sprintf_value`] with a format of any bytes (Go copies the bytes
/// between verbs as they are).
pub fn sprintf_bytes(format: &[u8], args: &[Value]) -> Value {
    let format = raw_text(format);
    let mut out = String::with_capacity(format.len() + 16 * args.len());
    let mut p = Printer::new(&mut out);
    p.raw = matches!(format, std::borrow::Cow::Owned(_));
    p.do_printf(&format, args);
    let raw = p.raw;
    finish_value(out, raw)
}

// A byte that is not UTF-8 is written to the printer's text as its mark
// (`gostr::marked`), so that widths and precisions count it as one rune, as
// Go does; the finishing step turns the marks back into bytes (or U+FFFD for
// a text result). Only printers that wrote such a byte (`Printer::raw`) are
// post-processed.
use crate::gostr::{mark_byte as raw_byte, marked as raw_text};

fn finish_text(out: &mut String, start: usize, raw: bool) {
    if raw {
        let tail: String = out[start..]
            .chars()
            .map(|c| if raw_byte(c).is_some() { '\u{fffd}' } else { c })
            .collect();
        out.replace_range(start.., &tail);
    }
}

fn finish_value(out: String, raw: bool) -> Value {
    if raw {
        crate::gostr::unmarked(&out)
    } else {
        Value::from(out)
    }
}

/// The flags of one directive (Go's `fmtFlags`).
#[derive(Clone, Copy, Default)]
struct Flags {
    wid_present: bool,
    prec_present: bool,
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    // `%+v` and `%#v` move plus/sharp here: they are distinct formats.
    plus_v: bool,
    sharp_v: bool,
}

struct Printer<'o> {
    buf: &'o mut String,
    f: Flags,
    wid: i64,
    prec: i64,
    /// The directive used explicit argument indexes.
    reordered: bool,
    /// The most recent argument index was valid.
    good_arg_num: bool,
    /// Printing a bad-verb report: String methods are not consulted.
    erroring: bool,
    /// Bytes that are not UTF-8 were written (as raw marks).
    raw: bool,
}

/// Go's `parsenum`: a decimal number at `s[start..end]`, or none. A number
/// too large to be a width consumes the whole rest of the format.
fn parse_num(s: &[u8], start: usize, end: usize) -> (i64, bool, usize) {
    if start >= end {
        return (0, false, end);
    }
    let mut num: i64 = 0;
    let mut isnum = false;
    let mut i = start;
    while i < end && s[i].is_ascii_digit() {
        if too_large(num) {
            return (0, false, end);
        }
        num = num * 10 + i64::from(s[i] - b'0');
        isnum = true;
        i += 1;
    }
    (num, isnum, i)
}

fn too_large(x: i64) -> bool {
    !(-1_000_000..=1_000_000).contains(&x)
}

/// Go's `parseArgNumber` on `format` starting at a `[`: the zero-based
/// index, the bytes consumed, and whether it parsed.
fn parse_arg_number(format: &[u8]) -> (i64, usize, bool) {
    if format.len() < 3 {
        return (0, 1, false);
    }
    for i in 1..format.len() {
        if format[i] == b']' {
            let (width, ok, newi) = parse_num(format, 1, i);
            if !ok || newi != i {
                return (0, i + 1, false);
            }
            return (width - 1, i + 1, true);
        }
    }
    (0, 1, false)
}

/// Go's `intFromArg`: a `*` width or precision operand.
fn int_from_arg(args: &[Value], arg_num: usize) -> (i64, bool, usize) {
    if arg_num >= args.len() {
        return (0, false, arg_num);
    }
    let (mut num, mut is_int) = match &args[arg_num] {
        Value::Int(i, _) => (*i, true),
        Value::Uint(u, _) => match i64::try_from(*u) {
            Ok(i) => (i, true),
            Err(_) => (0, false),
        },
        _ => (0, false),
    };
    if too_large(num) {
        num = 0;
        is_int = false;
    }
    (num, is_int, arg_num + 1)
}

/// Whether a list is Go's unnamed `[]byte`.
fn is_plain_byte_slice(ty: &Type) -> bool {
    matches!(ty, Type::Slice { elem, name: None } if **elem == Type::Uint(UintKind::Uint8))
}

fn is_byte_slice(ty: &Type) -> bool {
    matches!(ty, Type::Slice { elem, .. } if **elem == Type::Uint(UintKind::Uint8))
}

fn list_bytes(items: &[Value]) -> Vec<u8> {
    items
        .iter()
        .map(|v| match v {
            Value::Uint(u, _) => *u as u8,
            Value::Int(i, _) => *i as u8,
            _ => 0,
        })
        .collect()
}

impl<'o> Printer<'o> {
    fn new(buf: &'o mut String) -> Printer<'o> {
        Printer {
            buf,
            f: Flags::default(),
            wid: 0,
            prec: 0,
            reordered: false,
            good_arg_num: true,
            erroring: false,
            raw: false,
        }
    }

    fn clear_flags(&mut self) {
        self.f = Flags::default();
        self.wid = 0;
        self.prec = 0;
    }

    // -----------------------------------------------------------------------
    // Padding (format.go)

    /// Appends `n` bytes of padding: zeros if zero-padding to the left.
    fn write_padding(&mut self, n: i64) {
        if n <= 0 {
            return;
        }
        let c = if self.f.zero && !self.f.minus {
            '0'
        } else {
            ' '
        };
        self.buf.extend(std::iter::repeat_n(c, n as usize));
    }

    /// Appends `s`, padded to the width on the left or (with `-`) right.
    fn pad(&mut self, s: &str) {
        if !self.f.wid_present || self.wid == 0 {
            self.buf.push_str(s);
            return;
        }
        let width = self.wid - s.chars().count() as i64;
        if self.f.minus {
            self.buf.push_str(s);
            self.write_padding(width);
        } else {
            self.write_padding(width);
            self.buf.push_str(s);
        }
    }

    /// Pads text already appended at `buf[start..]`, as [`Self::pad`] would.
    fn pad_from(&mut self, start: usize) {
        if !self.f.wid_present || self.wid == 0 {
            return;
        }
        let width = self.wid - self.buf[start..].chars().count() as i64;
        if width <= 0 {
            return;
        }
        if self.f.minus {
            self.write_padding(width);
        } else {
            let c = if self.f.zero { '0' } else { ' ' };
            self.insert_fill(start, c, width as usize);
        }
    }

    /// Inserts `n` copies of `c` (a space or `0`) at byte offset `at`, in one
    /// move of the tail (widths reach 10^6).
    fn insert_fill(&mut self, at: usize, c: char, n: usize) {
        let fill: String = std::iter::repeat_n(c, n).collect();
        self.buf.insert_str(at, &fill);
    }

    // -----------------------------------------------------------------------
    // Basic formatting (format.go)

    fn fmt_boolean(&mut self, v: bool) {
        self.pad(if v { "true" } else { "false" });
    }

    /// `U+0078`, or with `#` `U+0078 'x'`.
    fn fmt_unicode(&mut self, u: u64) {
        let start = self.buf.len();
        let mut prec: i64 = 4;
        if self.f.prec_present && self.prec > 4 {
            prec = self.prec;
        }
        let ndigits = ((64 - u.leading_zeros()).max(1)).div_ceil(4) as i64;
        self.buf.push_str("U+");
        for _ in ndigits..prec {
            self.buf.push('0');
        }
        for k in (0..ndigits).rev() {
            self.buf
                .push(char::from(UDIGITS[((u >> (4 * k)) & 15) as usize]));
        }
        if self.f.sharp && u <= 0x10FFFF && strconv::is_print_code(u as u32) {
            if let Some(c) = char::from_u32(u as u32) {
                self.buf.push_str(" '");
                self.buf.push(c);
                self.buf.push('\'');
            }
        }
        let zero = self.f.zero;
        self.f.zero = false;
        self.pad_from(start);
        self.f.zero = zero;
    }

    /// Go's `fmt.fmtInteger`: `u` in `base`, with sign, precision,
    /// zero padding and `#` prefixes.
    fn fmt_integer(&mut self, mut u: u64, base: u32, signed: bool, verb: char, digits: &[u8; 17]) {
        let negative = signed && (u as i64) < 0;
        if negative {
            u = u.wrapping_neg();
        }
        let mut stack = [0u8; 68];
        let mut heap;
        let mut buf: &mut [u8] = &mut stack;
        if self.f.wid_present || self.f.prec_present {
            // Room for a sign and "0x" besides the digits and padding.
            let width = (3 + self.wid + self.prec) as usize;
            if width > buf.len() {
                heap = vec![0u8; width];
                buf = &mut heap;
            }
        }

        // Two ways to ask for leading zeros: %.3d or %03d. With both, the
        // zero flag is ignored and padding uses spaces.
        let mut prec: i64 = 0;
        if self.f.prec_present {
            prec = self.prec;
            // Precision 0 and value 0 print nothing but padding.
            if prec == 0 && u == 0 {
                let zero = self.f.zero;
                self.f.zero = false;
                self.write_padding(self.wid);
                self.f.zero = zero;
                return;
            }
        } else if self.f.zero && !self.f.minus && self.f.wid_present {
            prec = self.wid;
            if negative || self.f.plus || self.f.space {
                prec -= 1; // leave room for the sign
            }
        }

        let mut i = buf.len();
        let b = u64::from(base);
        while u >= b {
            i -= 1;
            buf[i] = digits[(u % b) as usize];
            u /= b;
        }
        i -= 1;
        buf[i] = digits[u as usize];
        while i > 0 && prec > (buf.len() - i) as i64 {
            i -= 1;
            buf[i] = b'0';
        }

        if self.f.sharp {
            match base {
                2 => {
                    i -= 2;
                    buf[i..i + 2].copy_from_slice(b"0b");
                }
                8 if buf[i] != b'0' => {
                    i -= 1;
                    buf[i] = b'0';
                }
                16 => {
                    i -= 2;
                    buf[i] = b'0';
                    buf[i + 1] = digits[16];
                }
                _ => {}
            }
        }
        if verb == 'O' {
            i -= 2;
            buf[i..i + 2].copy_from_slice(b"0o");
        }
        if negative {
            i -= 1;
            buf[i] = b'-';
        } else if self.f.plus {
            i -= 1;
            buf[i] = b'+';
        } else if self.f.space {
            i -= 1;
            buf[i] = b' ';
        }

        // Zero padding was done above as precision, or is overridden by it.
        let text = std::str::from_utf8(&buf[i..]).expect("ASCII digits");
        let zero = self.f.zero;
        self.f.zero = false;
        self.pad(text);
        self.f.zero = zero;
    }

    /// `s` cut to the precision, counted in runes.
    fn truncate<'s>(&self, s: &'s str) -> &'s str {
        if self.f.prec_present {
            if let Some((i, _)) = s.char_indices().nth(self.prec.max(0) as usize) {
                return &s[..i];
            }
        }
        s
    }

    fn fmt_s(&mut self, s: &str) {
        let s = self.truncate(s);
        self.pad(s);
    }

    /// A byte slice printed as a string (its bytes as they are).
    fn fmt_bs(&mut self, b: &[u8]) {
        let s = raw_text(b);
        self.raw |= matches!(s, std::borrow::Cow::Owned(_));
        self.fmt_s(&s);
    }

    /// Hex encoding of the bytes of a string or byte slice.
    fn fmt_sbx(&mut self, b: &[u8], digits: &[u8; 17]) {
        let mut length = b.len() as i64;
        if self.f.prec_present && self.prec < length {
            length = self.prec;
        }
        // The width of the encoding, with `#` and space flags.
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if self.f.wid_present {
                self.write_padding(self.wid);
            }
            return;
        }
        if self.f.wid_present && self.wid > width && !self.f.minus {
            self.write_padding(self.wid - width);
        }
        let prefix = ['0', char::from(digits[16])];
        if self.f.sharp {
            self.buf.extend(prefix);
        }
        for (i, &c) in b[..length as usize].iter().enumerate() {
            if self.f.space && i > 0 {
                self.buf.push(' ');
                if self.f.sharp {
                    self.buf.extend(prefix);
                }
            }
            self.buf.push(char::from(digits[usize::from(c >> 4)]));
            self.buf.push(char::from(digits[usize::from(c & 15)]));
        }
        if self.f.wid_present && self.wid > width && self.f.minus {
            self.write_padding(self.wid - width);
        }
    }

    /// A double-quoted Go string, or with `#` a raw string if possible.
    fn fmt_q(&mut self, s: &str) {
        let s = self.truncate(s);
        let start = self.buf.len();
        if self.f.sharp && strconv::can_backquote(s) {
            self.buf.push('`');
            self.buf.push_str(s);
            self.buf.push('`');
        } else if self.f.plus {
            strconv::append_quote_ascii(self.buf, s);
        } else {
            strconv::append_quote(self.buf, s);
        }
        self.pad_from(start);
    }

    /// [`Self::fmt_q`] of a byte slice (invalid UTF-8 escaped as `\x`).
    fn fmt_q_bytes(&mut self, b: &[u8]) {
        match std::str::from_utf8(b) {
            Ok(s) => self.fmt_q(s),
            Err(_) => {
                // Truncation counts invalid bytes as one rune each, as Go does.
                let mut end = b.len();
                if self.f.prec_present {
                    let mut n = self.prec;
                    let mut i = 0;
                    for chunk in b.utf8_chunks() {
                        for c in chunk.valid().chars() {
                            if n == 0 && end == b.len() {
                                end = i;
                            }
                            n -= 1;
                            i += c.len_utf8();
                        }
                        for _ in chunk.invalid() {
                            if n == 0 && end == b.len() {
                                end = i;
                            }
                            n -= 1;
                            i += 1;
                        }
                    }
                }
                let start = self.buf.len();
                strconv::append_quote_bytes(self.buf, &b[..end], self.f.plus);
                self.pad_from(start);
            }
        }
    }

    /// An integer as the character it encodes (`U+FFFD` if invalid).
    fn fmt_c(&mut self, c: u64) {
        let ch = u32::try_from(c)
            .ok()
            .and_then(char::from_u32)
            .unwrap_or('\u{FFFD}');
        let mut tmp = [0u8; 4];
        self.pad(ch.encode_utf8(&mut tmp));
    }

    /// An integer as a single-quoted Go character literal.
    fn fmt_qc(&mut self, c: u64) {
        let r = u32::try_from(c).unwrap_or(0xFFFD);
        let start = self.buf.len();
        strconv::append_quote_rune_code(self.buf, r, self.f.plus);
        self.pad_from(start);
    }

    /// Go's `fmt.fmtFloat`: `verb` is a strconv format, `prec` the default
    /// precision if none was given. The number is built in place at the end
    /// of the buffer.
    fn fmt_float(&mut self, v: f64, size: u32, verb: char, prec: i64) {
        let prec = if self.f.prec_present { self.prec } else { prec };
        let start = self.buf.len();
        // Reserve a byte for the sign.
        self.buf.push('+');
        strconv::append_float(self.buf, v, verb as u8, prec as i32, size);
        if matches!(self.buf.as_bytes()[start + 1], b'-' | b'+') {
            self.buf.remove(start);
        }
        // Space means a leading space instead of "+", unless plus is set.
        if self.f.space && self.buf.as_bytes()[start] == b'+' && !self.f.plus {
            self.buf.replace_range(start..start + 1, " ");
        }
        let lead = self.buf.as_bytes()[start + 1];
        if lead == b'I' || lead == b'N' {
            // Infinities and NaN are not padded with zeros; NaN shows a
            // sign only if asked for.
            let zero = self.f.zero;
            self.f.zero = false;
            if lead == b'N' && !self.f.space && !self.f.plus {
                self.buf.remove(start);
            }
            self.pad_from(start);
            self.f.zero = zero;
            return;
        }
        // `#` forces a decimal point and keeps trailing zeros.
        if self.f.sharp && verb != 'b' {
            let mut digits: i64 = 0;
            if matches!(verb, 'v' | 'g' | 'G' | 'x') {
                digits = if prec == -1 { 6 } else { prec };
            }
            // The exponent part ("e+123", "p-1023") is moved aside.
            let mut tail = [0u8; 8];
            let mut tail_len = 0;
            let mut has_point = false;
            let mut saw_nonzero = false;
            let num = &self.buf.as_bytes()[start..];
            let mut cut = num.len();
            for (i, &c) in num.iter().enumerate().skip(1) {
                let is_exp = match c {
                    b'p' | b'P' => true,
                    b'e' | b'E' => verb != 'x' && verb != 'X',
                    _ => false,
                };
                if is_exp {
                    tail_len = num.len() - i;
                    tail[..tail_len].copy_from_slice(&num[i..]);
                    cut = i;
                    break;
                }
                if c == b'.' {
                    has_point = true;
                    continue;
                }
                if c != b'0' {
                    saw_nonzero = true;
                }
                // Count significant digits after the first non-zero digit.
                if saw_nonzero {
                    digits -= 1;
                }
            }
            let lone_zero = cut == 2 && num[1] == b'0';
            self.buf.truncate(start + cut);
            if !has_point {
                // A lone leading 0 counts once towards the digits.
                if lone_zero {
                    digits -= 1;
                }
                self.buf.push('.');
            }
            while digits > 0 {
                self.buf.push('0');
                digits -= 1;
            }
            strconv::push_ascii(self.buf, &tail[..tail_len]);
        }
        let len = (self.buf.len() - start) as i64;
        if self.f.plus || self.buf.as_bytes()[start] != b'+' {
            // With zero padding, the sign goes before the zeros.
            if self.f.zero && !self.f.minus && self.f.wid_present && self.wid > len {
                self.insert_fill(start + 1, '0', (self.wid - len) as usize);
            } else {
                self.pad_from(start);
            }
        } else {
            self.buf.remove(start);
            self.pad_from(start);
        }
    }

    // -----------------------------------------------------------------------
    // Operands (print.go)

    /// `%!verb(type=value)`: an operand the verb does not apply to.
    fn bad_verb(&mut self, verb: char, v: Option<&Value>) {
        let erroring = self.erroring;
        self.erroring = true;
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push('(');
        match v {
            Some(v) if !v.is_nil_interface() => {
                self.push_type(v);
                self.buf.push('=');
                self.print_value(v, 'v', 0);
            }
            _ => self.buf.push_str("<nil>"),
        }
        self.buf.push(')');
        self.erroring = erroring;
    }

    /// [`Self::bad_verb`] for a `string` operand given as `&str`.
    fn bad_verb_str(&mut self, verb: char, s: &str) {
        let erroring = self.erroring;
        self.erroring = true;
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push_str("(string=");
        self.fmt_string(s, 'v', None);
        self.buf.push(')');
        self.erroring = erroring;
    }

    fn push_type(&mut self, v: &Value) {
        use std::fmt::Write as _;
        match v.go_type() {
            Some(t) => {
                let _ = write!(self.buf, "{t}");
            }
            None => self.buf.push_str("<nil>"),
        }
    }

    fn fmt_bool(&mut self, b: bool, verb: char, v: &Value) {
        match verb {
            't' | 'v' => self.fmt_boolean(b),
            _ => self.bad_verb(verb, Some(v)),
        }
    }

    /// `u` in hex, with `0x` if `leading0x` (by temporarily setting `#`).
    fn fmt_0x64(&mut self, u: u64, leading0x: bool) {
        let sharp = self.f.sharp;
        self.f.sharp = leading0x;
        self.fmt_integer(u, 16, false, 'v', LDIGITS);
        self.f.sharp = sharp;
    }

    fn print_integer(&mut self, u: u64, signed: bool, verb: char, v: &Value) {
        match verb {
            'v' => {
                if self.f.sharp_v && !signed {
                    self.fmt_0x64(u, true);
                } else {
                    self.fmt_integer(u, 10, signed, verb, LDIGITS);
                }
            }
            'd' => self.fmt_integer(u, 10, signed, verb, LDIGITS),
            'b' => self.fmt_integer(u, 2, signed, verb, LDIGITS),
            'o' | 'O' => self.fmt_integer(u, 8, signed, verb, LDIGITS),
            'x' => self.fmt_integer(u, 16, signed, verb, LDIGITS),
            'X' => self.fmt_integer(u, 16, signed, verb, UDIGITS),
            'c' => self.fmt_c(u),
            'q' => self.fmt_qc(u),
            'U' => self.fmt_unicode(u),
            _ => self.bad_verb(verb, Some(v)),
        }
    }

    fn print_float(&mut self, f: f64, size: u32, verb: char, v: &Value) {
        match verb {
            'v' => self.fmt_float(f, size, 'g', -1),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float(f, size, verb, -1),
            'f' | 'e' | 'E' => self.fmt_float(f, size, verb, 6),
            'F' => self.fmt_float(f, size, 'f', 6),
            _ => self.bad_verb(verb, Some(v)),
        }
    }

    /// `(r+ii)`; the imaginary part always has a sign.
    fn print_complex(&mut self, re: f64, im: f64, verb: char, v: &Value) {
        match verb {
            'v' | 'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' => {
                let plus = self.f.plus;
                self.buf.push('(');
                self.print_float(re, 64, verb, v);
                self.f.plus = true;
                self.print_float(im, 64, verb, v);
                self.buf.push_str("i)");
                self.f.plus = plus;
            }
            _ => self.bad_verb(verb, Some(v)),
        }
    }

    /// A string operand; `v` is the operand for error reports (`None`: a
    /// plain `string`).
    fn fmt_string(&mut self, s: &str, verb: char, v: Option<&Value>) {
        match verb {
            'v' => {
                if self.f.sharp_v {
                    self.fmt_q(s);
                } else {
                    self.fmt_s(s);
                }
            }
            's' => self.fmt_s(s),
            'x' => self.fmt_sbx(s.as_bytes(), LDIGITS),
            'X' => self.fmt_sbx(s.as_bytes(), UDIGITS),
            'q' => self.fmt_q(s),
            _ => match v {
                Some(v) => self.bad_verb(verb, Some(v)),
                None => self.bad_verb_str(verb, s),
            },
        }
    }

    /// [`Self::fmt_string`] of a string that is not UTF-8.
    fn fmt_byte_string(&mut self, b: &[u8], verb: char, v: &Value) {
        match verb {
            'v' if self.f.sharp_v => self.fmt_q_bytes(b),
            'v' | 's' => self.fmt_bs(b),
            'x' => self.fmt_sbx(b, LDIGITS),
            'X' => self.fmt_sbx(b, UDIGITS),
            'q' => self.fmt_q_bytes(b),
            _ => self.bad_verb(verb, Some(v)),
        }
    }

    /// Go's `fmtBytes`: a byte slice (`v`) with its bytes `b`.
    fn fmt_bytes(&mut self, b: &[u8], verb: char, type_string: &str, v: &Value) {
        match verb {
            'v' | 'd' => {
                if self.f.sharp_v {
                    self.buf.push_str(type_string);
                    if matches!(v, Value::List(l) if l.nil) {
                        self.buf.push_str("(nil)");
                        return;
                    }
                    self.buf.push('{');
                    for (i, &c) in b.iter().enumerate() {
                        if i > 0 {
                            self.buf.push_str(", ");
                        }
                        self.fmt_0x64(u64::from(c), true);
                    }
                    self.buf.push('}');
                } else {
                    self.buf.push('[');
                    for (i, &c) in b.iter().enumerate() {
                        if i > 0 {
                            self.buf.push(' ');
                        }
                        self.fmt_integer(u64::from(c), 10, false, verb, LDIGITS);
                    }
                    self.buf.push(']');
                }
            }
            's' => self.fmt_bs(b),
            'x' => self.fmt_sbx(b, LDIGITS),
            'X' => self.fmt_sbx(b, UDIGITS),
            'q' => self.fmt_q_bytes(b),
            _ => self.print_list_items(v, verb, 0),
        }
    }

    /// Go's `fmtPointer`, for reference-kind values.
    fn fmt_pointer(&mut self, v: &Value, verb: char) {
        let u = match v {
            Value::List(_) | Value::Map(_) => PLACEHOLDER_ADDR,
            Value::Object(o)
                if matches!(
                    o.go_type().kind(),
                    Kind::Chan | Kind::Func | Kind::Map | Kind::Pointer | Kind::Slice
                ) =>
            {
                if o.is_nil() {
                    0
                } else {
                    PLACEHOLDER_ADDR
                }
            }
            _ => {
                self.bad_verb(verb, Some(v));
                return;
            }
        };
        match verb {
            'v' => {
                if self.f.sharp_v {
                    self.buf.push('(');
                    self.push_type(v);
                    self.buf.push_str(")(");
                    if u == 0 {
                        self.buf.push_str("nil");
                    } else {
                        self.fmt_0x64(u, true);
                    }
                    self.buf.push(')');
                } else if u == 0 {
                    self.pad("<nil>");
                } else {
                    self.fmt_0x64(u, !self.f.sharp);
                }
            }
            'p' => self.fmt_0x64(u, !self.f.sharp),
            'b' | 'o' | 'd' | 'x' | 'X' => self.print_integer(u, false, verb, v),
            _ => self.bad_verb(verb, Some(v)),
        }
    }

    /// Go's `handleMethods`: `String()`/`Error()` for string-accepting verbs.
    fn handle_methods(&mut self, v: &Value, verb: char) -> bool {
        if self.erroring {
            return false;
        }
        if verb == 'w' {
            // %w is only valid in Errorf.
            self.bad_verb(verb, Some(v));
            return true;
        }
        if self.f.sharp_v {
            if let Value::Object(o) = v {
                if let Some(s) = o.go_syntax() {
                    self.fmt_s(&s);
                    return true;
                }
            }
            return false;
        }
        if let ('v' | 's' | 'x' | 'X' | 'q', Value::Object(o)) = (verb, v) {
            if let Some(s) = o.go_string().filter(|_| !o.stringer_on_pointer()) {
                self.fmt_string(&s, verb, None);
                return true;
            }
        }
        false
    }

    /// Go's `printArg`: one top-level operand.
    fn print_arg(&mut self, arg: &Value, verb: char) {
        match arg {
            Value::Invalid | Value::Nil => {
                match verb {
                    'T' | 'v' => self.pad("<nil>"),
                    _ => self.bad_verb(verb, None),
                }
                return;
            }
            _ => {}
        }
        match verb {
            'T' => {
                let name = arg.type_name();
                self.fmt_s(&name);
                return;
            }
            'p' => {
                self.fmt_pointer(arg, 'p');
                return;
            }
            _ => {}
        }
        match arg {
            Value::Invalid | Value::Nil => {}
            Value::Bool(b) => self.fmt_bool(*b, verb, arg),
            Value::Int(i, _) => self.print_integer(*i as u64, true, verb, arg),
            Value::Uint(u, _) => self.print_integer(*u, false, verb, arg),
            Value::Float(f) => self.print_float(*f, 64, verb, arg),
            Value::Complex(re, im) => self.print_complex(*re, *im, verb, arg),
            Value::String(s) => self.fmt_string(s, verb, Some(arg)),
            Value::Bytes(b) => self.fmt_byte_string(b.as_bytes(), verb, arg),
            Value::List(l) if is_plain_byte_slice(&l.ty) => {
                let bytes = list_bytes(&l.items);
                self.fmt_bytes(&bytes, verb, "[]byte", arg);
            }
            Value::List(_) | Value::Map(_) if arg.has_cycle() => {
                // Go recurses until its stack overflows; chartgen says why instead.
                self.buf.push_str("%!");
                self.buf.push(verb);
                self.buf.push_str("(CYCLE: a map contains itself)");
            }
            Value::List(_) | Value::Map(_) | Value::Object(_) => {
                if !self.handle_methods(arg, verb) {
                    self.print_value(arg, verb, 0);
                }
            }
        }
    }

    /// Go's `printValue`: a value reached by reflection; `depth` is 0 for
    /// the operand itself.
    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        // Values nest deeply (YAML up to 10000 levels).
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.print_value_level(v, verb, depth)
        })
    }

    fn print_value_level(&mut self, v: &Value, verb: char, depth: usize) {
        if depth > 0 && self.handle_methods(v, verb) {
            return;
        }
        match v {
            Value::Invalid | Value::Nil => {
                // A nil interface element.
                if self.f.sharp_v {
                    self.buf.push_str("interface {}(nil)");
                } else {
                    self.buf.push_str("<nil>");
                }
            }
            Value::Bool(b) => self.fmt_bool(*b, verb, v),
            Value::Int(i, _) => self.print_integer(*i as u64, true, verb, v),
            Value::Uint(u, _) => self.print_integer(*u, false, verb, v),
            Value::Float(f) => self.print_float(*f, 64, verb, v),
            Value::Complex(re, im) => self.print_complex(*re, *im, verb, v),
            Value::String(s) => self.fmt_string(s, verb, Some(v)),
            Value::Bytes(b) => self.fmt_byte_string(b.as_bytes(), verb, v),
            Value::List(l) if self.f.sharp_v && l.nil => {
                self.push_type(v);
                self.buf.push_str("(nil)");
            }
            Value::Map(m) if self.f.sharp_v && m.is_nil() => {
                self.push_type(v);
                self.buf.push_str("(nil)");
            }
            Value::Map(m) => {
                if self.f.sharp_v {
                    self.push_type(v);
                    self.buf.push('{');
                } else {
                    self.buf.push_str("map[");
                }
                for (i, (k, val)) in m.entries().iter().enumerate() {
                    if i > 0 {
                        if self.f.sharp_v {
                            self.buf.push_str(", ");
                        } else {
                            self.buf.push(' ');
                        }
                    }
                    self.fmt_string(k, verb, None);
                    self.buf.push(':');
                    self.print_value(val, verb, depth + 1);
                }
                self.buf.push(if self.f.sharp_v { '}' } else { ']' });
            }
            Value::List(l) => {
                if matches!(verb, 's' | 'q' | 'x' | 'X') && is_byte_slice(&l.ty) {
                    let bytes = list_bytes(&l.items);
                    let ty = l.ty.to_string();
                    self.fmt_bytes(&bytes, verb, &ty, v);
                    return;
                }
                self.print_list_items(v, verb, depth);
            }
            Value::Object(o) => self.print_object(v, &**o, verb, depth),
        }
    }

    /// The elements of a list value: `[a b]` or `T{a, b}`.
    fn print_list_items(&mut self, v: &Value, verb: char, depth: usize) {
        let Value::List(l) = v else {
            return;
        };
        if self.f.sharp_v {
            self.push_type(v);
            self.buf.push('{');
            for (i, item) in l.items.iter().enumerate() {
                if i > 0 {
                    self.buf.push_str(", ");
                }
                self.print_value(item, verb, depth + 1);
            }
            self.buf.push('}');
        } else {
            self.buf.push('[');
            for (i, item) in l.items.iter().enumerate() {
                if i > 0 {
                    self.buf.push(' ');
                }
                self.print_value(item, verb, depth + 1);
            }
            self.buf.push(']');
        }
    }

    fn print_object(&mut self, v: &Value, o: &dyn Object, verb: char, depth: usize) {
        let ty = o.go_type();
        match ty.kind() {
            Kind::Struct => self.print_struct(o, &ty.to_string(), verb, depth),
            Kind::Pointer => {
                // A pointer to a struct prints as &{...} at top level only
                // (deeper, it might be a cycle).
                if depth == 0 && !o.is_nil() {
                    self.buf.push('&');
                    let name = ty.to_string();
                    let elem = name.strip_prefix('*').unwrap_or(&name);
                    self.print_struct(o, elem, verb, depth + 1);
                } else {
                    self.fmt_pointer(v, verb);
                }
            }
            Kind::Chan | Kind::Func => self.fmt_pointer(v, verb),
            // A named map or slice type without a String method (helm's
            // `engine.files`): printed as its plain value.
            Kind::Map | Kind::Slice if o.go_string().is_none() && o.underlying().is_some() => {
                let u = o.underlying().unwrap_or_default();
                self.print_value(&u, verb, depth);
            }
            // A named integer type, reached without its String method
            // (`%d`, `%#v`).
            _ if o.integer().is_some() => {
                let n = o.integer().unwrap_or_default();
                self.print_integer(n as u64, true, verb, v);
            }
            _ => {
                // A named basic or composite type whose underlying value the
                // object model does not expose.
                if let Some(s) = o.go_string() {
                    self.fmt_s(&s);
                } else {
                    self.buf.push('?');
                    self.push_type(v);
                    self.buf.push('?');
                }
            }
        }
    }

    /// `{a b}`, `{A:a B:b}` (`%+v`) or `T{A:a, B:b}` (`%#v`).
    fn print_struct(&mut self, o: &dyn Object, type_name: &str, verb: char, depth: usize) {
        if self.f.sharp_v {
            self.buf.push_str(type_name);
        }
        self.buf.push('{');
        for (i, (name, val)) in o.struct_fields().iter().enumerate() {
            if i > 0 {
                if self.f.sharp_v {
                    self.buf.push_str(", ");
                } else {
                    self.buf.push(' ');
                }
            }
            if (self.f.plus_v || self.f.sharp_v) && !name.is_empty() {
                self.buf.push_str(name);
                self.buf.push(':');
            }
            self.print_value(val, verb, depth + 1);
        }
        self.buf.push('}');
    }

    // -----------------------------------------------------------------------
    // The format string (doPrintf)

    /// Go's `argNumber`: an explicit `[n]` index at `format[i..]`.
    fn arg_number(
        &mut self,
        arg_num: usize,
        format: &[u8],
        i: usize,
        num_args: usize,
    ) -> (usize, usize, bool) {
        if format.len() <= i || format[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid, ok) = parse_arg_number(&format[i..]);
        if ok && 0 <= index && (index as usize) < num_args {
            return (index as usize, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, ok)
    }

    /// Moves `#`/`+` to their `%#v`/`%+v` meanings.
    fn set_v_flags(&mut self) {
        self.f.sharp_v = self.f.sharp;
        self.f.sharp = false;
        self.f.plus_v = self.f.plus;
        self.f.plus = false;
    }

    fn do_printf(&mut self, format: &str, args: &[Value]) {
        let fb = format.as_bytes();
        let end = fb.len();
        let mut arg_num: usize = 0;
        let mut after_index;
        self.reordered = false;
        let mut i = 0;
        'format: while i < end {
            self.good_arg_num = true;
            let lasti = i;
            while i < end && fb[i] != b'%' {
                i += 1;
            }
            if i > lasti {
                self.buf.push_str(&format[lasti..i]);
            }
            if i >= end {
                break;
            }
            // Process one verb.
            i += 1;
            self.clear_flags();
            while i < end {
                let c = fb[i];
                match c {
                    b'#' => self.f.sharp = true,
                    b'0' => self.f.zero = true,
                    b'+' => self.f.plus = true,
                    b'-' => self.f.minus = true,
                    b' ' => self.f.space = true,
                    _ => {
                        // Fast path: a lower-case verb with no width,
                        // precision or index.
                        if c.is_ascii_lowercase() && arg_num < args.len() {
                            if c == b'v' || c == b'w' {
                                self.set_v_flags();
                            }
                            self.print_arg(&args[arg_num], char::from(c));
                            arg_num += 1;
                            i += 1;
                            continue 'format;
                        }
                        break;
                    }
                }
                i += 1;
            }

            // Explicit argument index?
            (arg_num, i, after_index) = self.arg_number(arg_num, fb, i, args.len());

            // Width?
            if i < end && fb[i] == b'*' {
                i += 1;
                let present;
                (self.wid, present, arg_num) = int_from_arg(args, arg_num);
                self.f.wid_present = present;
                if !present {
                    self.buf.push_str("%!(BADWIDTH)");
                }
                // A negative width means left-justify.
                if self.wid < 0 {
                    self.wid = -self.wid;
                    self.f.minus = true;
                    self.f.zero = false;
                }
                after_index = false;
            } else {
                let present;
                (self.wid, present, i) = parse_num(fb, i, end);
                self.f.wid_present = present;
                if after_index && present {
                    // "%[3]2d"
                    self.good_arg_num = false;
                }
            }

            // Precision?
            if i + 1 < end && fb[i] == b'.' {
                i += 1;
                if after_index {
                    // "%[3].2d"
                    self.good_arg_num = false;
                }
                (arg_num, i, after_index) = self.arg_number(arg_num, fb, i, args.len());
                if i < end && fb[i] == b'*' {
                    i += 1;
                    let present;
                    (self.prec, present, arg_num) = int_from_arg(args, arg_num);
                    self.f.prec_present = present;
                    // Negative precisions make no sense.
                    if self.prec < 0 {
                        self.prec = 0;
                        self.f.prec_present = false;
                    }
                    if !self.f.prec_present {
                        self.buf.push_str("%!(BADPREC)");
                    }
                    after_index = false;
                } else {
                    let present;
                    (self.prec, present, i) = parse_num(fb, i, end);
                    self.f.prec_present = present;
                    if !present {
                        self.prec = 0;
                        self.f.prec_present = true;
                    }
                }
            }

            if !after_index {
                (arg_num, i, _) = self.arg_number(arg_num, fb, i, args.len());
            }

            if i >= end {
                self.buf.push_str("%!(NOVERB)");
                break;
            }

            let verb = format[i..].chars().next().unwrap_or('\u{FFFD}');
            i += verb.len_utf8();

            if verb == '%' {
                // Percent takes no operand and ignores width and precision.
                self.buf.push('%');
            } else if !self.good_arg_num {
                self.bad_arg_num(verb, "(BADINDEX)");
            } else if arg_num >= args.len() {
                self.bad_arg_num(verb, "(MISSING)");
            } else {
                if verb == 'v' || verb == 'w' {
                    self.set_v_flags();
                }
                self.print_arg(&args[arg_num], verb);
                arg_num += 1;
            }
        }

        // Extra operands, unless indexes were used (then unused operands
        // are hard to detect and arguably fine).
        if !self.reordered && arg_num < args.len() {
            self.clear_flags();
            self.buf.push_str("%!(EXTRA ");
            for (i, arg) in args[arg_num..].iter().enumerate() {
                if i > 0 {
                    self.buf.push_str(", ");
                }
                if arg.is_nil_interface() {
                    self.buf.push_str("<nil>");
                } else {
                    self.push_type(arg);
                    self.buf.push('=');
                    self.print_arg(arg, 'v');
                }
            }
            self.buf.push(')');
        }
    }

    fn bad_arg_num(&mut self, verb: char, what: &str) {
        self.buf.push_str("%!");
        self.buf.push(verb);
        self.buf.push_str(what);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{IntKind, Object, Str, Type, UintKind};
    use std::any::Any;

    fn int(i: i64) -> Value {
        Value::int(i)
    }
    fn s(x: &str) -> Value {
        Value::string(x)
    }
    fn fl(f: f64) -> Value {
        Value::Float(f)
    }
    fn l(v: Vec<Value>) -> Value {
        Value::list(v)
    }
    fn sl(v: &[&str]) -> Value {
        Value::typed_list(Type::String, v.iter().map(|x| s(x)).collect())
    }
    fn il(v: &[i64]) -> Value {
        Value::typed_list(Type::Int(IntKind::Int), v.iter().map(|&x| int(x)).collect())
    }
    fn bl(v: &[u8]) -> Value {
        let items = v.iter().map(|&x| Value::Uint(x.into(), UintKind::Uint8));
        Value::typed_list(Type::Uint(UintKind::Uint8), items.collect())
    }
    fn m(v: Vec<(&str, Value)>) -> Value {
        Value::map(v.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }
    fn ms(v: &[(&str, &str)]) -> Value {
        let entries = v.iter().map(|(k, x)| ((*k).into(), s(x)));
        Value::typed_map(Type::map_of(Type::String), entries.collect())
    }

    /// A Go struct, pointer or func value for the tests.
    #[derive(Debug)]
    struct TObj {
        ty: Type,
        fields: Vec<(Str, Value)>,
        string: Option<String>,
        nil: bool,
    }

    impl Object for TObj {
        fn go_type(&self) -> Type {
            self.ty.clone()
        }
        fn is_nil(&self) -> bool {
            self.nil
        }
        fn go_string(&self) -> Option<String> {
            self.string.clone()
        }
        fn struct_fields(&self) -> Vec<(Str, Value)> {
            self.fields.clone()
        }
        fn as_any(&self) -> &dyn Any {
            self
        }
    }

    fn obj(
        name: &str,
        kind: Kind,
        fields: Vec<(&str, Value)>,
        string: Option<&str>,
        nil: bool,
    ) -> Value {
        Value::object(TObj {
            ty: Type::Other {
                name: name.into(),
                kind,
            },
            fields: fields.into_iter().map(|(k, v)| (k.into(), v)).collect(),
            string: string.map(String::from),
            nil,
        })
    }
    fn st(name: &str, fields: Vec<(&str, Value)>) -> Value {
        obj(name, Kind::Struct, fields, None, false)
    }
    fn ptr(name: &str, fields: Vec<(&str, Value)>) -> Value {
        obj(name, Kind::Pointer, fields, None, false)
    }
    fn nilptr(name: &str) -> Value {
        obj(name, Kind::Pointer, vec![], None, true)
    }
    fn nilfunc(name: &str) -> Value {
        obj(name, Kind::Func, vec![], None, true)
    }
    /// A struct (or pointer to one) with a `String()`/`Error()` method.
    fn stringer(name: &str, fields: Vec<(&str, Value)>, string: &str) -> Value {
        let kind = if name.starts_with('*') {
            Kind::Pointer
        } else {
            Kind::Struct
        };
        obj(name, kind, fields, Some(string), false)
    }

    #[derive(PartialEq)]
    enum K {
        /// `Sprintf(format, args…)`
        F,
        /// `Sprint(args…)`
        P,
        /// `Sprintln(args…)`
        LN,
    }
    use K::{F, LN, P};

    /// Expected outputs produced by Go 1.25's fmt for the same operands
    /// (Go structs `main.T{A int; B string}`, `main.P{X any; Y []any}`,
    /// `main.St{N int}` with a String method, `main.E{Msg string}` with an
    /// Error method; heap addresses normalised to 0xc000000000).
    #[rustfmt::skip]
    fn go_cases() -> Vec<(K, &'static str, Vec<Value>, &'static str)> {
        vec![
        (F, "%d", vec![int(0)], "0"),
        (F, "%5d", vec![int(0)], "    0"),
        (F, "%#X", vec![int(0)], "0X0"),
        (F, "%b", vec![int(0)], "0"),
        (F, "%+q", vec![int(0)], "'\\x00'"),
        (F, "%8.3d", vec![int(0)], "     000"),
        (F, "%T", vec![int(0)], "int"),
        (F, "%p", vec![int(0)], "%!p(int=0)"),
        (F, "% d", vec![int(-42)], "-42"),
        (F, "%x", vec![int(-42)], "-2a"),
        (F, "%O", vec![int(-42)], "-0o52"),
        (F, "%q", vec![int(-42)], "'\u{fffd}'"),
        (F, "%.3d", vec![int(-42)], "-042"),
        (F, "%#v", vec![int(-42)], "-42"),
        (F, "%e", vec![int(-42)], "%!e(int=-42)"),
        (F, "%+d", vec![int(9786)], "+9786"),
        (F, "%05d", vec![int(9786)], "09786"),
        (F, "%#o", vec![int(9786)], "023072"),
        (F, "%c", vec![int(9786)], "\u{263a}"),
        (F, "%#U", vec![int(9786)], "U+263A '\u{263a}'"),
        (F, "%.0d", vec![int(9786)], "9786"),
        (F, "%t", vec![int(9786)], "%!t(int=9786)"),
        (F, "%v", vec![Value::int64(-9223372036854775808)], "-9223372036854775808"),
        (F, "%-5d|", vec![Value::int64(-9223372036854775808)], "-9223372036854775808|"),
        (F, "%o", vec![Value::int64(-9223372036854775808)], "-1000000000000000000000"),
        (F, "%#b", vec![Value::int64(-9223372036854775808)], "-0b1000000000000000000000000000000000000000000000000000000000000000"),
        (F, "%U", vec![Value::int64(-9223372036854775808)], "U+8000000000000000"),
        (F, "%08.3d", vec![Value::int64(-9223372036854775808)], "-9223372036854775808"),
        (F, "%s", vec![Value::int64(-9223372036854775808)], "%!s(int64=-9223372036854775808)"),
        (F, "%d", vec![Value::Uint(18446744073709551615, UintKind::Uint64)], "18446744073709551615"),
        (F, "%5d", vec![Value::Uint(18446744073709551615, UintKind::Uint64)], "18446744073709551615"),
        (F, "%#X", vec![Value::Uint(18446744073709551615, UintKind::Uint64)], "0XFFFFFFFFFFFFFFFF"),
        (F, "%b", vec![Value::Uint(18446744073709551615, UintKind::Uint64)], "1111111111111111111111111111111111111111111111111111111111111111"),
        (F, "%+q", vec![Value::Uint(18446744073709551615, UintKind::Uint64)], "'\\ufffd'"),
        (F, "%8.3d", vec![Value::Uint(18446744073709551615, UintKind::Uint64)], "18446744073709551615"),
        (F, "%T", vec![Value::Uint(18446744073709551615, UintKind::Uint64)], "uint64"),
        (F, "%p", vec![Value::Uint(18446744073709551615, UintKind::Uint64)], "%!p(uint64=18446744073709551615)"),
        (F, "%d", vec![Value::Int(-128, IntKind::Int8)], "-128"),
        (F, "%x", vec![Value::Int(-128, IntKind::Int8)], "-80"),
        (F, "%q", vec![Value::Int(-128, IntKind::Int8)], "'\u{fffd}'"),
        (F, "%#v", vec![Value::Int(-32768, IntKind::Int16)], "-32768"),
        (F, "%c", vec![Value::Int(-32768, IntKind::Int16)], "\u{fffd}"),
        (F, "%v", vec![Value::Int(1114111, IntKind::Int32)], "1114111"),
        (F, "%T", vec![Value::Int(1114111, IntKind::Int32)], "int32"),
        (F, "%d", vec![Value::Uint(7, UintKind::Uint)], "7"),
        (F, "%x", vec![Value::Uint(7, UintKind::Uint)], "7"),
        (F, "%q", vec![Value::Uint(7, UintKind::Uint)], "'\\a'"),
        (F, "%#v", vec![Value::Uint(255, UintKind::Uint8)], "0xff"),
        (F, "%c", vec![Value::Uint(255, UintKind::Uint8)], "\u{ff}"),
        (F, "%v", vec![Value::Uint(65535, UintKind::Uint16)], "65535"),
        (F, "%T", vec![Value::Uint(65535, UintKind::Uint16)], "uint16"),
        (F, "%d", vec![Value::Uint(56448, UintKind::Uint32)], "56448"),
        (F, "%x", vec![Value::Uint(56448, UintKind::Uint32)], "dc80"),
        (F, "%q", vec![Value::Uint(56448, UintKind::Uint32)], "'\u{fffd}'"),
        (F, "%#v", vec![Value::Uint(49152, UintKind::Uintptr)], "0xc000"),
        (F, "%c", vec![Value::Uint(49152, UintKind::Uintptr)], "\u{c000}"),
        (F, "%068d", vec![int(-1)], "-0000000000000000000000000000000000000000000000000000000000000000001"),
        (F, "%068d", vec![int(128512)], "00000000000000000000000000000000000000000000000000000000000000128512"),
        (F, "%#.68x", vec![int(-1)], "-0x00000000000000000000000000000000000000000000000000000000000000000001"),
        (F, "%#.68x", vec![int(128512)], "0x0000000000000000000000000000000000000000000000000000000000000001f600"),
        (F, "%.68d", vec![int(-1)], "-00000000000000000000000000000000000000000000000000000000000000000001"),
        (F, "%.68d", vec![int(128512)], "00000000000000000000000000000000000000000000000000000000000000128512"),
        (F, "% .68d", vec![int(-1)], "-00000000000000000000000000000000000000000000000000000000000000000001"),
        (F, "% .68d", vec![int(128512)], " 00000000000000000000000000000000000000000000000000000000000000128512"),
        (F, "%+.68d", vec![int(-1)], "-00000000000000000000000000000000000000000000000000000000000000000001"),
        (F, "%+.68d", vec![int(128512)], "+00000000000000000000000000000000000000000000000000000000000000128512"),
        (F, "%#.3o", vec![int(-1)], "-001"),
        (F, "%#.3o", vec![int(128512)], "0373000"),
        (F, "%-#20.8x|", vec![int(-1)], "-0x00000001         |"),
        (F, "%-#20.8x|", vec![int(128512)], "0x0001f600          |"),
        (F, "%020.8d", vec![int(-1)], "           -00000001"),
        (F, "%020.8d", vec![int(128512)], "            00128512"),
        (F, "%-20.8d|", vec![int(-1)], "-00000001           |"),
        (F, "%-20.8d|", vec![int(128512)], "00128512            |"),
        (F, "%+10d", vec![int(-1)], "        -1"),
        (F, "%+10d", vec![int(128512)], "   +128512"),
        (F, "%+010d", vec![int(-1)], "-000000001"),
        (F, "%+010d", vec![int(128512)], "+000128512"),
        (F, "% 010d", vec![int(-1)], "-000000001"),
        (F, "% 010d", vec![int(128512)], " 000128512"),
        (F, "%x", vec![int(-1)], "-1"),
        (F, "%x", vec![int(128512)], "1f600"),
        (F, "%#08x", vec![int(-1)], "-0x0000001"),
        (F, "%#08x", vec![int(128512)], "0x0001f600"),
        (F, "%-08d|", vec![int(-1)], "-1      |"),
        (F, "%-08d|", vec![int(128512)], "128512  |"),
        (F, "%0-8d|", vec![int(-1)], "-1      |"),
        (F, "%0-8d|", vec![int(128512)], "128512  |"),
        (F, "%U", vec![int(-1)], "U+FFFFFFFFFFFFFFFF"),
        (F, "%U", vec![int(128512)], "U+1F600"),
        (F, "%#.6U", vec![int(-1)], "U+FFFFFFFFFFFFFFFF"),
        (F, "%#.6U", vec![int(128512)], "U+01F600 '\u{1f600}'"),
        (F, "%#8U", vec![int(-1)], "U+FFFFFFFFFFFFFFFF"),
        (F, "%#8U", vec![int(128512)], "U+1F600 '\u{1f600}'"),
        (F, "%-#10U|", vec![int(-1)], "U+FFFFFFFFFFFFFFFF|"),
        (F, "%-#10U|", vec![int(128512)], "U+1F600 '\u{1f600}'|"),
        (F, "%08U", vec![int(-1)], "U+FFFFFFFFFFFFFFFF"),
        (F, "%08U", vec![int(128512)], " U+1F600"),
        (F, "%c", vec![int(-1)], "\u{fffd}"),
        (F, "%c", vec![int(128512)], "\u{1f600}"),
        (F, "%5c", vec![int(-1)], "    \u{fffd}"),
        (F, "%5c", vec![int(128512)], "    \u{1f600}"),
        (F, "%-5c|", vec![int(-1)], "\u{fffd}    |"),
        (F, "%-5c|", vec![int(128512)], "\u{1f600}    |"),
        (F, "%.0c", vec![int(-1)], "\u{fffd}"),
        (F, "%.0c", vec![int(128512)], "\u{1f600}"),
        (F, "%010q", vec![int(-1)], "0000000'\u{fffd}'"),
        (F, "%010q", vec![int(128512)], "0000000'\u{1f600}'"),
        (F, "%-10q|", vec![int(-1)], "'\u{fffd}'       |"),
        (F, "%-10q|", vec![int(128512)], "'\u{1f600}'       |"),
        (F, "%c %c %c %c", vec![int(-1), int(56448), int(1114112), Value::Uint(68719476735, UintKind::Uint64)], "\u{fffd} \u{fffd} \u{fffd} \u{fffd}"),
        (F, "%q %q %q", vec![Value::Int(-1, IntKind::Int32), int(3584), int(1114111)], "'\u{fffd}' '\\u0e00' '\\U0010ffff'"),
        (F, "%+q %+q %+q", vec![int(255), int(10), int(39)], "'\\u00ff' '\\n' '\\''"),
        (F, "%#U %#U %#U", vec![int(10), int(3584), int(55296)], "U+000A U+0E00 U+D800"),
        (F, "%t", vec![Value::Bool(true)], "true"),
        (F, "%v", vec![Value::Bool(true)], "true"),
        (F, "%6t", vec![Value::Bool(true)], "  true"),
        (F, "%-6t|", vec![Value::Bool(true)], "true  |"),
        (F, "%#v", vec![Value::Bool(true)], "true"),
        (F, "%d", vec![Value::Bool(true)], "%!d(bool=true)"),
        (F, "%s", vec![Value::Bool(true)], "%!s(bool=true)"),
        (F, "%q", vec![Value::Bool(true)], "%!q(bool=true)"),
        (F, "%T", vec![Value::Bool(true)], "bool"),
        (F, "%t", vec![Value::Bool(false)], "false"),
        (F, "%v", vec![Value::Bool(false)], "false"),
        (F, "%6t", vec![Value::Bool(false)], " false"),
        (F, "%-6t|", vec![Value::Bool(false)], "false |"),
        (F, "%#v", vec![Value::Bool(false)], "false"),
        (F, "%d", vec![Value::Bool(false)], "%!d(bool=false)"),
        (F, "%s", vec![Value::Bool(false)], "%!s(bool=false)"),
        (F, "%q", vec![Value::Bool(false)], "%!q(bool=false)"),
        (F, "%T", vec![Value::Bool(false)], "bool"),
        (F, "%v", vec![fl(0e+00)], "0"),
        (F, "%.2f", vec![fl(0e+00)], "0.00"),
        (F, "%-10.2f|", vec![fl(0e+00)], "0.00      |"),
        (F, "% .3x", vec![fl(0e+00)], " 0x0.000p+00"),
        (F, "%G", vec![fl(-0e+00)], "-0"),
        (F, "%#v", vec![fl(-0e+00)], "-0"),
        (F, "%#.0e", vec![fl(-0e+00)], "-0.e+00"),
        (F, "%E", vec![fl(1e+00)], "1.000000E+00"),
        (F, "%.3e", vec![fl(1e+00)], "1.000e+00"),
        (F, "%#x", vec![fl(1e+00)], "0x1.0000p+00"),
        (F, "%+010.2f", vec![fl(1e+00)], "+000001.00"),
        (F, "%X", vec![fl(-1.5e+00)], "-0X1.8P+00"),
        (F, "% f", vec![fl(-1.5e+00)], "-1.500000"),
        (F, "%s", vec![fl(-1.5e+00)], "%!s(float64=-1.5)"),
        (F, "%F", vec![fl(1.25e-01)], "0.125000"),
        (F, "%#g", vec![fl(1.25e-01)], "0.125000"),
        (F, "%.1x", vec![fl(1.25e-01)], "0x1.0p-03"),
        (F, "%v", vec![fl(1e+06)], "1e+06"),
        (F, "%.2f", vec![fl(1e+06)], "1000000.00"),
        (F, "%-10.2f|", vec![fl(1e+06)], "1000000.00|"),
        (F, "% .3x", vec![fl(1e+06)], " 0x1.e84p+19"),
        (F, "%G", vec![fl(1.23456789e+08)], "1.23456789E+08"),
        (F, "%#v", vec![fl(1.23456789e+08)], "1.23456789e+08"),
        (F, "%#.0e", vec![fl(1.23456789e+08)], "1.e+08"),
        (F, "%E", vec![fl(1e+21)], "1.000000E+21"),
        (F, "%.3e", vec![fl(1e+21)], "1.000e+21"),
        (F, "%#x", vec![fl(1e+21)], "0x1.b1ae4d6e2ef5p+69"),
        (F, "%+010.2f", vec![fl(1e+21)], "+1000000000000000000000.00"),
        (F, "%X", vec![fl(1e-05)], "0X1.4F8B588E368F1P-17"),
        (F, "% f", vec![fl(1e-05)], " 0.000010"),
        (F, "%s", vec![fl(1e-05)], "%!s(float64=1e-05)"),
        (F, "%F", vec![fl(1.2345678e+03)], "1234.567800"),
        (F, "%#g", vec![fl(1.2345678e+03)], "1234.5678"),
        (F, "%.1x", vec![fl(1.2345678e+03)], "0x1.3p+10"),
        (F, "%v", vec![fl(5e-324)], "5e-324"),
        (F, "%.2f", vec![fl(5e-324)], "0.00"),
        (F, "%-10.2f|", vec![fl(5e-324)], "0.00      |"),
        (F, "% .3x", vec![fl(5e-324)], " 0x1.000p-1074"),
        (F, "%G", vec![fl(1.7976931348623157e+308)], "1.7976931348623157E+308"),
        (F, "%#v", vec![fl(1.7976931348623157e+308)], "1.7976931348623157e+308"),
        (F, "%#.0e", vec![fl(1.7976931348623157e+308)], "2.e+308"),
        (F, "%E", vec![fl(f64::INFINITY)], "+Inf"),
        (F, "%.3e", vec![fl(f64::INFINITY)], "+Inf"),
        (F, "%#x", vec![fl(f64::INFINITY)], "+Inf"),
        (F, "%+010.2f", vec![fl(f64::INFINITY)], "      +Inf"),
        (F, "%X", vec![fl(f64::NEG_INFINITY)], "-Inf"),
        (F, "% f", vec![fl(f64::NEG_INFINITY)], "-Inf"),
        (F, "%s", vec![fl(f64::NEG_INFINITY)], "%!s(float64=-Inf)"),
        (F, "%F", vec![fl(f64::NAN)], "NaN"),
        (F, "%#g", vec![fl(f64::NAN)], "NaN"),
        (F, "%.1x", vec![fl(f64::NAN)], "NaN"),
        (F, "%v", vec![fl(1e+05)], "100000"),
        (F, "%.2f", vec![fl(1e+05)], "100000.00"),
        (F, "%-10.2f|", vec![fl(1e+05)], "100000.00 |"),
        (F, "% .3x", vec![fl(1e+05)], " 0x1.86ap+16"),
        (F, "%G", vec![fl(1.23e-04)], "0.000123"),
        (F, "%#v", vec![fl(1.23e-04)], "0.000123"),
        (F, "%#.0e", vec![fl(1.23e-04)], "1.e-04"),
        (F, "%E", vec![fl(2.5e+00)], "2.500000E+00"),
        (F, "%.3e", vec![fl(2.5e+00)], "2.500e+00"),
        (F, "%#x", vec![fl(2.5e+00)], "0x1.4000p+01"),
        (F, "%+010.2f", vec![fl(2.5e+00)], "+000002.50"),
        (F, "%X", vec![fl(1e+20)], "0X1.5AF1D78B58C4P+66"),
        (F, "% f", vec![fl(1e+20)], " 100000000000000000000.000000"),
        (F, "%s", vec![fl(1e+20)], "%!s(float64=1e+20)"),
        (F, "%.20f", vec![fl(1e-01)], "0.10000000000000000555"),
        (F, "%.20f", vec![fl(3.333333333333333e-01)], "0.33333333333333331483"),
        (F, "%.30e", vec![fl(1e-01)], "1.000000000000000055511151231258e-01"),
        (F, "%.30e", vec![fl(3.333333333333333e-01)], "3.333333333333333148296162562474e-01"),
        (F, "%.17g", vec![fl(1e-01)], "0.10000000000000001"),
        (F, "%.17g", vec![fl(3.333333333333333e-01)], "0.33333333333333331"),
        (F, "%.25g", vec![fl(1e-01)], "0.1000000000000000055511151"),
        (F, "%.25g", vec![fl(3.333333333333333e-01)], "0.3333333333333333148296163"),
        (F, "%#.25g", vec![fl(1e-01)], "0.1000000000000000055511151"),
        (F, "%#.25g", vec![fl(3.333333333333333e-01)], "0.3333333333333333148296163"),
        (F, "%.60e", vec![fl(1e-01)], "1.000000000000000055511151231257827021181583404541015625000000e-01"),
        (F, "%.60e", vec![fl(3.333333333333333e-01)], "3.333333333333333148296162562473909929394721984863281250000000e-01"),
        (F, "%.3f", vec![fl(1e-01)], "0.100"),
        (F, "%.3f", vec![fl(3.333333333333333e-01)], "0.333"),
        (F, "%.0e", vec![fl(1e-01)], "1e-01"),
        (F, "%.0e", vec![fl(3.333333333333333e-01)], "3e-01"),
        (F, "%g", vec![fl(1e-01)], "0.1"),
        (F, "%g", vec![fl(3.333333333333333e-01)], "0.3333333333333333"),
        (F, "%.1g", vec![fl(1e-01)], "0.1"),
        (F, "%.1g", vec![fl(3.333333333333333e-01)], "0.3"),
        (F, "%5.2f|%-5.2f|%05.2f", vec![fl(f64::NAN), fl(f64::INFINITY), fl(f64::NEG_INFINITY)], "  NaN|+Inf | -Inf"),
        (F, "%+f % f %+ f", vec![fl(f64::NAN), fl(f64::NAN), fl(f64::NAN)], "+NaN  NaN +NaN"),
        (F, "%v", vec![Value::Complex(1e+00, 2e+00)], "(1+2i)"),
        (F, "%+.3g", vec![Value::Complex(1e+00, 2e+00)], "(+1+2i)"),
        (F, "%#v", vec![Value::Complex(1e+00, 2e+00)], "(1+2i)"),
        (F, "%T", vec![Value::Complex(1e+00, 2e+00)], "complex128"),
        (F, "%8.2f", vec![Value::Complex(1e+00, 2e+00)], "(    1.00   +2.00i)"),
        (F, "%08.2f", vec![Value::Complex(1e+00, 2e+00)], "(00001.00+0002.00i)"),
        (F, "%.2f", vec![Value::Complex(-1.5e+00, -2.5e-01)], "(-1.50-0.25i)"),
        (F, "% v", vec![Value::Complex(-1.5e+00, -2.5e-01)], "(-1.5-0.25i)"),
        (F, "%e", vec![Value::Complex(-1.5e+00, -2.5e-01)], "(-1.500000e+00-2.500000e-01i)"),
        (F, "%d", vec![Value::Complex(-1.5e+00, -2.5e-01)], "%!d(complex128=(-1.5-0.25i))"),
        (F, "%-8.2f|", vec![Value::Complex(-1.5e+00, -2.5e-01)], "(-1.50   -0.25   i)|"),
        (F, "%v", vec![Value::Complex(f64::INFINITY, f64::NAN)], "(+Inf+NaNi)"),
        (F, "%+.3g", vec![Value::Complex(f64::INFINITY, f64::NAN)], "(+Inf+NaNi)"),
        (F, "%#v", vec![Value::Complex(f64::INFINITY, f64::NAN)], "(+Inf+NaNi)"),
        (F, "%T", vec![Value::Complex(f64::INFINITY, f64::NAN)], "complex128"),
        (F, "%8.2f", vec![Value::Complex(f64::INFINITY, f64::NAN)], "(    +Inf    +NaNi)"),
        (F, "%08.2f", vec![Value::Complex(f64::INFINITY, f64::NAN)], "(    +Inf    +NaNi)"),
        (F, "%.2f", vec![Value::Complex(0e+00, 0e+00)], "(0.00+0.00i)"),
        (F, "% v", vec![Value::Complex(0e+00, 0e+00)], "( 0+0i)"),
        (F, "%e", vec![Value::Complex(0e+00, 0e+00)], "(0.000000e+00+0.000000e+00i)"),
        (F, "%d", vec![Value::Complex(0e+00, 0e+00)], "%!d(complex128=(0+0i))"),
        (F, "%-8.2f|", vec![Value::Complex(0e+00, 0e+00)], "(0.00    +0.00   i)|"),
        (F, "%s", vec![s("")], ""),
        (F, "%q", vec![s("")], "\"\""),
        (F, "%#q", vec![s("")], "``"),
        (F, "%x", vec![s("")], ""),
        (F, "% x", vec![s("")], ""),
        (F, "%# X", vec![s("")], ""),
        (F, "%-5s|", vec![s("")], "     |"),
        (F, "%.2s", vec![s("")], ""),
        (F, "%10.1q", vec![s("")], "        \"\""),
        (F, "%#v", vec![s("")], "\"\""),
        (F, "%d", vec![s("")], "%!d(string=)"),
        (F, "%t", vec![s("")], "%!t(string=)"),
        (F, "%+v", vec![s("")], ""),
        (F, "%s", vec![s("abc")], "abc"),
        (F, "%q", vec![s("abc")], "\"abc\""),
        (F, "%#q", vec![s("abc")], "`abc`"),
        (F, "%x", vec![s("abc")], "616263"),
        (F, "% x", vec![s("abc")], "61 62 63"),
        (F, "%# X", vec![s("abc")], "0X61 0X62 0X63"),
        (F, "%-5s|", vec![s("abc")], "abc  |"),
        (F, "%.2s", vec![s("abc")], "ab"),
        (F, "%10.1q", vec![s("abc")], "       \"a\""),
        (F, "%#v", vec![s("abc")], "\"abc\""),
        (F, "%d", vec![s("abc")], "%!d(string=abc)"),
        (F, "%t", vec![s("abc")], "%!t(string=abc)"),
        (F, "%+v", vec![s("abc")], "abc"),
        (F, "%s", vec![s("\u{65e5}\u{672c}\u{8a9e}")], "\u{65e5}\u{672c}\u{8a9e}"),
        (F, "%q", vec![s("\u{65e5}\u{672c}\u{8a9e}")], "\"\u{65e5}\u{672c}\u{8a9e}\""),
        (F, "%#q", vec![s("\u{65e5}\u{672c}\u{8a9e}")], "`\u{65e5}\u{672c}\u{8a9e}`"),
        (F, "%x", vec![s("\u{65e5}\u{672c}\u{8a9e}")], "e697a5e69cace8aa9e"),
        (F, "% x", vec![s("\u{65e5}\u{672c}\u{8a9e}")], "e6 97 a5 e6 9c ac e8 aa 9e"),
        (F, "%# X", vec![s("\u{65e5}\u{672c}\u{8a9e}")], "0XE6 0X97 0XA5 0XE6 0X9C 0XAC 0XE8 0XAA 0X9E"),
        (F, "%-5s|", vec![s("\u{65e5}\u{672c}\u{8a9e}")], "\u{65e5}\u{672c}\u{8a9e}  |"),
        (F, "%.2s", vec![s("\u{65e5}\u{672c}\u{8a9e}")], "\u{65e5}\u{672c}"),
        (F, "%10.1q", vec![s("\u{65e5}\u{672c}\u{8a9e}")], "       \"\u{65e5}\""),
        (F, "%#v", vec![s("\u{65e5}\u{672c}\u{8a9e}")], "\"\u{65e5}\u{672c}\u{8a9e}\""),
        (F, "%d", vec![s("\u{65e5}\u{672c}\u{8a9e}")], "%!d(string=\u{65e5}\u{672c}\u{8a9e})"),
        (F, "%t", vec![s("\u{65e5}\u{672c}\u{8a9e}")], "%!t(string=\u{65e5}\u{672c}\u{8a9e})"),
        (F, "%+v", vec![s("\u{65e5}\u{672c}\u{8a9e}")], "\u{65e5}\u{672c}\u{8a9e}"),
        (F, "%s", vec![s("a\u{9}b\u{a}\"c\\")], "a\u{9}b\u{a}\"c\\"),
        (F, "%q", vec![s("a\u{9}b\u{a}\"c\\")], "\"a\\tb\\n\\\"c\\\\\""),
        (F, "%#q", vec![s("a\u{9}b\u{a}\"c\\")], "\"a\\tb\\n\\\"c\\\\\""),
        (F, "%x", vec![s("a\u{9}b\u{a}\"c\\")], "6109620a22635c"),
        (F, "% x", vec![s("a\u{9}b\u{a}\"c\\")], "61 09 62 0a 22 63 5c"),
        (F, "%# X", vec![s("a\u{9}b\u{a}\"c\\")], "0X61 0X09 0X62 0X0A 0X22 0X63 0X5C"),
        (F, "%-5s|", vec![s("a\u{9}b\u{a}\"c\\")], "a\u{9}b\u{a}\"c\\|"),
        (F, "%.2s", vec![s("a\u{9}b\u{a}\"c\\")], "a\u{9}"),
        (F, "%10.1q", vec![s("a\u{9}b\u{a}\"c\\")], "       \"a\""),
        (F, "%#v", vec![s("a\u{9}b\u{a}\"c\\")], "\"a\\tb\\n\\\"c\\\\\""),
        (F, "%d", vec![s("a\u{9}b\u{a}\"c\\")], "%!d(string=a\u{9}b\u{a}\"c\\)"),
        (F, "%t", vec![s("a\u{9}b\u{a}\"c\\")], "%!t(string=a\u{9}b\u{a}\"c\\)"),
        (F, "%+v", vec![s("a\u{9}b\u{a}\"c\\")], "a\u{9}b\u{a}\"c\\"),
        (F, "%s", vec![s("`")], "`"),
        (F, "%q", vec![s("`")], "\"`\""),
        (F, "%#q", vec![s("`")], "\"`\""),
        (F, "%x", vec![s("`")], "60"),
        (F, "% x", vec![s("`")], "60"),
        (F, "%# X", vec![s("`")], "0X60"),
        (F, "%-5s|", vec![s("`")], "`    |"),
        (F, "%.2s", vec![s("`")], "`"),
        (F, "%10.1q", vec![s("`")], "       \"`\""),
        (F, "%#v", vec![s("`")], "\"`\""),
        (F, "%d", vec![s("`")], "%!d(string=`)"),
        (F, "%t", vec![s("`")], "%!t(string=`)"),
        (F, "%+v", vec![s("`")], "`"),
        (F, "%s", vec![s("\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}")], "\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}"),
        (F, "%q", vec![s("\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}")], "\"\\u00a0\\u200b\\ufeff\\U0010ffff\\x7f\\x01\""),
        (F, "%#q", vec![s("\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}")], "\"\\u00a0\\u200b\\ufeff\\U0010ffff\\x7f\\x01\""),
        (F, "%x", vec![s("\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}")], "c2a0e2808befbbbff48fbfbf7f01"),
        (F, "% x", vec![s("\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}")], "c2 a0 e2 80 8b ef bb bf f4 8f bf bf 7f 01"),
        (F, "%# X", vec![s("\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}")], "0XC2 0XA0 0XE2 0X80 0X8B 0XEF 0XBB 0XBF 0XF4 0X8F 0XBF 0XBF 0X7F 0X01"),
        (F, "%-5s|", vec![s("\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}")], "\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}|"),
        (F, "%.2s", vec![s("\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}")], "\u{a0}\u{200b}"),
        (F, "%10.1q", vec![s("\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}")], "  \"\\u00a0\""),
        (F, "%#v", vec![s("\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}")], "\"\\u00a0\\u200b\\ufeff\\U0010ffff\\x7f\\x01\""),
        (F, "%d", vec![s("\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}")], "%!d(string=\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1})"),
        (F, "%t", vec![s("\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}")], "%!t(string=\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1})"),
        (F, "%+v", vec![s("\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}")], "\u{a0}\u{200b}\u{feff}\u{10ffff}\u{7f}\u{1}"),
        (F, "%s", vec![s("\u{263a}\u{378}")], "\u{263a}\u{378}"),
        (F, "%q", vec![s("\u{263a}\u{378}")], "\"\u{263a}\\u0378\""),
        (F, "%#q", vec![s("\u{263a}\u{378}")], "`\u{263a}\u{378}`"),
        (F, "%x", vec![s("\u{263a}\u{378}")], "e298bacdb8"),
        (F, "% x", vec![s("\u{263a}\u{378}")], "e2 98 ba cd b8"),
        (F, "%# X", vec![s("\u{263a}\u{378}")], "0XE2 0X98 0XBA 0XCD 0XB8"),
        (F, "%-5s|", vec![s("\u{263a}\u{378}")], "\u{263a}\u{378}   |"),
        (F, "%.2s", vec![s("\u{263a}\u{378}")], "\u{263a}\u{378}"),
        (F, "%10.1q", vec![s("\u{263a}\u{378}")], "       \"\u{263a}\""),
        (F, "%#v", vec![s("\u{263a}\u{378}")], "\"\u{263a}\\u0378\""),
        (F, "%d", vec![s("\u{263a}\u{378}")], "%!d(string=\u{263a}\u{378})"),
        (F, "%t", vec![s("\u{263a}\u{378}")], "%!t(string=\u{263a}\u{378})"),
        (F, "%+v", vec![s("\u{263a}\u{378}")], "\u{263a}\u{378}"),
        (F, "%q", vec![s("\u{7}\u{8}\u{c}\u{d}\u{b}\u{2028}\u{1f600}")], "\"\\a\\b\\f\\r\\v\\u2028\u{1f600}\""),
        (F, "%+q", vec![s("\u{7}\u{8}\u{c}\u{d}\u{b}\u{2028}\u{1f600}")], "\"\\a\\b\\f\\r\\v\\u2028\\U0001f600\""),
        (F, "%#q", vec![s("ab\u{9}c")], "`ab\u{9}c`"),
        (F, "%#q", vec![s("\u{feff}")], "\"\\ufeff\""),
        (F, "%v", vec![Value::Nil], "<nil>"),
        (F, "%v", vec![Value::Invalid], "<nil>"),
        (F, "%10v", vec![Value::Nil], "     <nil>"),
        (F, "%10v", vec![Value::Invalid], "     <nil>"),
        (F, "%-10v|", vec![Value::Nil], "<nil>     |"),
        (F, "%-10v|", vec![Value::Invalid], "<nil>     |"),
        (F, "%#v", vec![Value::Nil], "<nil>"),
        (F, "%#v", vec![Value::Invalid], "<nil>"),
        (F, "%+v", vec![Value::Nil], "<nil>"),
        (F, "%+v", vec![Value::Invalid], "<nil>"),
        (F, "%T", vec![Value::Nil], "<nil>"),
        (F, "%T", vec![Value::Invalid], "<nil>"),
        (F, "%d", vec![Value::Nil], "%!d(<nil>)"),
        (F, "%d", vec![Value::Invalid], "%!d(<nil>)"),
        (F, "%s", vec![Value::Nil], "%!s(<nil>)"),
        (F, "%s", vec![Value::Invalid], "%!s(<nil>)"),
        (F, "%q", vec![Value::Nil], "%!q(<nil>)"),
        (F, "%q", vec![Value::Invalid], "%!q(<nil>)"),
        (F, "%x", vec![Value::Nil], "%!x(<nil>)"),
        (F, "%x", vec![Value::Invalid], "%!x(<nil>)"),
        (F, "%t", vec![Value::Nil], "%!t(<nil>)"),
        (F, "%t", vec![Value::Invalid], "%!t(<nil>)"),
        (F, "%p", vec![Value::Nil], "%!p(<nil>)"),
        (F, "%p", vec![Value::Invalid], "%!p(<nil>)"),
        (F, "%e", vec![Value::Nil], "%!e(<nil>)"),
        (F, "%e", vec![Value::Invalid], "%!e(<nil>)"),
        (F, "%v", vec![l(vec![])], "[]"),
        (F, "%#v", vec![l(vec![])], "[]interface {}{}"),
        (F, "%d", vec![l(vec![])], "[]"),
        (F, "%X", vec![l(vec![])], "[]"),
        (F, "%5v", vec![l(vec![])], "[]"),
        (F, "%03d", vec![l(vec![])], "[]"),
        (F, "%T", vec![l(vec![])], "[]interface {}"),
        (F, "% x", vec![l(vec![])], "[]"),
        (F, "%v", vec![l(vec![int(1), s("x"), Value::Nil, Value::Bool(true), fl(2.5e+00)])], "[1 x <nil> true 2.5]"),
        (F, "%#v", vec![l(vec![int(1), s("x"), Value::Nil, Value::Bool(true), fl(2.5e+00)])], "[]interface {}{1, \"x\", interface {}(nil), true, 2.5}"),
        (F, "%d", vec![l(vec![int(1), s("x"), Value::Nil, Value::Bool(true), fl(2.5e+00)])], "[1 %!d(string=x) <nil> %!d(bool=true) %!d(float64=2.5)]"),
        (F, "%X", vec![l(vec![int(1), s("x"), Value::Nil, Value::Bool(true), fl(2.5e+00)])], "[1 78 <nil> %!X(bool=true) 0X1.4P+01]"),
        (F, "%5v", vec![l(vec![int(1), s("x"), Value::Nil, Value::Bool(true), fl(2.5e+00)])], "[    1     x <nil>  true   2.5]"),
        (F, "%03d", vec![l(vec![int(1), s("x"), Value::Nil, Value::Bool(true), fl(2.5e+00)])], "[001 %!d(string=00x) <nil> %!d(bool=true) %!d(float64=2.5)]"),
        (F, "%T", vec![l(vec![int(1), s("x"), Value::Nil, Value::Bool(true), fl(2.5e+00)])], "[]interface {}"),
        (F, "% x", vec![l(vec![int(1), s("x"), Value::Nil, Value::Bool(true), fl(2.5e+00)])], "[ 1 78 <nil> %!x(bool=true)  0x1.4p+01]"),
        (F, "%v", vec![sl(&["a", "b c"])], "[a b c]"),
        (F, "%#v", vec![sl(&["a", "b c"])], "[]string{\"a\", \"b c\"}"),
        (F, "%d", vec![sl(&["a", "b c"])], "[%!d(string=a) %!d(string=b c)]"),
        (F, "%X", vec![sl(&["a", "b c"])], "[61 622063]"),
        (F, "%5v", vec![sl(&["a", "b c"])], "[    a   b c]"),
        (F, "%03d", vec![sl(&["a", "b c"])], "[%!d(string=00a) %!d(string=b c)]"),
        (F, "%T", vec![sl(&["a", "b c"])], "[]string"),
        (F, "% x", vec![sl(&["a", "b c"])], "[61 62 20 63]"),
        (F, "%v", vec![il(&[1, -2, 300])], "[1 -2 300]"),
        (F, "%#v", vec![il(&[1, -2, 300])], "[]int{1, -2, 300}"),
        (F, "%d", vec![il(&[1, -2, 300])], "[1 -2 300]"),
        (F, "%X", vec![il(&[1, -2, 300])], "[1 -2 12C]"),
        (F, "%5v", vec![il(&[1, -2, 300])], "[    1    -2   300]"),
        (F, "%03d", vec![il(&[1, -2, 300])], "[001 -02 300]"),
        (F, "%T", vec![il(&[1, -2, 300])], "[]int"),
        (F, "% x", vec![il(&[1, -2, 300])], "[ 1 -2  12c]"),
        (F, "%v", vec![l(vec![l(vec![int(1), int(2)]), m(vec![("k", s("v"))]), l(vec![])])], "[[1 2] map[k:v] []]"),
        (F, "%#v", vec![l(vec![l(vec![int(1), int(2)]), m(vec![("k", s("v"))]), l(vec![])])], "[]interface {}{[]interface {}{1, 2}, map[string]interface {}{\"k\":\"v\"}, []interface {}{}}"),
        (F, "%d", vec![l(vec![l(vec![int(1), int(2)]), m(vec![("k", s("v"))]), l(vec![])])], "[[1 2] map[%!d(string=k):%!d(string=v)] []]"),
        (F, "%X", vec![l(vec![l(vec![int(1), int(2)]), m(vec![("k", s("v"))]), l(vec![])])], "[[1 2] map[6B:76] []]"),
        (F, "%5v", vec![l(vec![l(vec![int(1), int(2)]), m(vec![("k", s("v"))]), l(vec![])])], "[[    1     2] map[    k:    v] []]"),
        (F, "%03d", vec![l(vec![l(vec![int(1), int(2)]), m(vec![("k", s("v"))]), l(vec![])])], "[[001 002] map[%!d(string=00k):%!d(string=00v)] []]"),
        (F, "%T", vec![l(vec![l(vec![int(1), int(2)]), m(vec![("k", s("v"))]), l(vec![])])], "[]interface {}"),
        (F, "% x", vec![l(vec![l(vec![int(1), int(2)]), m(vec![("k", s("v"))]), l(vec![])])], "[[ 1  2] map[6b:76] []]"),
        (F, "%v", vec![bl(&[1, 2, 127])], "[1 2 127]"),
        (F, "%#v", vec![bl(&[1, 2, 127])], "[]byte{0x1, 0x2, 0x7f}"),
        (F, "%d", vec![bl(&[1, 2, 127])], "[1 2 127]"),
        (F, "%X", vec![bl(&[1, 2, 127])], "01027F"),
        (F, "%5v", vec![bl(&[1, 2, 127])], "[    1     2   127]"),
        (F, "%03d", vec![bl(&[1, 2, 127])], "[001 002 127]"),
        (F, "%T", vec![bl(&[1, 2, 127])], "[]uint8"),
        (F, "% x", vec![bl(&[1, 2, 127])], "01 02 7f"),
        (F, "%v", vec![l(vec![bl(&[104, 105])])], "[[104 105]]"),
        (F, "%#v", vec![l(vec![bl(&[104, 105])])], "[]interface {}{[]uint8{0x68, 0x69}}"),
        (F, "%d", vec![l(vec![bl(&[104, 105])])], "[[104 105]]"),
        (F, "%X", vec![l(vec![bl(&[104, 105])])], "[6869]"),
        (F, "%5v", vec![l(vec![bl(&[104, 105])])], "[[  104   105]]"),
        (F, "%03d", vec![l(vec![bl(&[104, 105])])], "[[104 105]]"),
        (F, "%T", vec![l(vec![bl(&[104, 105])])], "[]interface {}"),
        (F, "% x", vec![l(vec![bl(&[104, 105])])], "[68 69]"),
        (F, "%q %x %v %#v %d %+q %#q", vec![bl(&[104, 105, 255]), bl(&[104, 105, 255]), bl(&[104, 105, 255]), bl(&[104, 105, 255]), bl(&[104, 105, 255]), bl(&[104, 226, 130, 105]), bl(&[104, 255])], "\"hi\\xff\" 6869ff [104 105 255] []byte{0x68, 0x69, 0xff} [104 105 255] \"h\\xe2\\x82i\" \"h\\xff\""),
        (F, "%.1s|%5s|%-5q|%.1q|%8x", vec![bl(&[104, 105]), bl(&[104, 105]), bl(&[104, 105]), bl(&[104, 105]), bl(&[104, 105])], "h|   hi|\"hi\" |\"h\"|    6869"),
        (F, "%x|%5x|%q", vec![bl(&[]), bl(&[]), bl(&[])], "|     |\"\""),
        (F, "%v", vec![m(vec![])], "map[]"),
        (F, "%+v", vec![m(vec![])], "map[]"),
        (F, "%#v", vec![m(vec![])], "map[string]interface {}{}"),
        (F, "%s", vec![m(vec![])], "map[]"),
        (F, "%d", vec![m(vec![])], "map[]"),
        (F, "%x", vec![m(vec![])], "map[]"),
        (F, "%q", vec![m(vec![])], "map[]"),
        (F, "%6v", vec![m(vec![])], "map[]"),
        (F, "%T", vec![m(vec![])], "map[string]interface {}"),
        (F, "%t", vec![m(vec![])], "map[]"),
        (F, "%v", vec![m(vec![("a", int(1)), ("b", l(vec![int(1), fl(2.5e+00), s("x"), Value::Nil, Value::Bool(true)]))])], "map[a:1 b:[1 2.5 x <nil> true]]"),
        (F, "%+v", vec![m(vec![("a", int(1)), ("b", l(vec![int(1), fl(2.5e+00), s("x"), Value::Nil, Value::Bool(true)]))])], "map[a:1 b:[1 2.5 x <nil> true]]"),
        (F, "%#v", vec![m(vec![("a", int(1)), ("b", l(vec![int(1), fl(2.5e+00), s("x"), Value::Nil, Value::Bool(true)]))])], "map[string]interface {}{\"a\":1, \"b\":[]interface {}{1, 2.5, \"x\", interface {}(nil), true}}"),
        (F, "%s", vec![m(vec![("a", int(1)), ("b", l(vec![int(1), fl(2.5e+00), s("x"), Value::Nil, Value::Bool(true)]))])], "map[a:%!s(int=1) b:[%!s(int=1) %!s(float64=2.5) x <nil> %!s(bool=true)]]"),
        (F, "%d", vec![m(vec![("a", int(1)), ("b", l(vec![int(1), fl(2.5e+00), s("x"), Value::Nil, Value::Bool(true)]))])], "map[%!d(string=a):1 %!d(string=b):[1 %!d(float64=2.5) %!d(string=x) <nil> %!d(bool=true)]]"),
        (F, "%x", vec![m(vec![("a", int(1)), ("b", l(vec![int(1), fl(2.5e+00), s("x"), Value::Nil, Value::Bool(true)]))])], "map[61:1 62:[1 0x1.4p+01 78 <nil> %!x(bool=true)]]"),
        (F, "%q", vec![m(vec![("a", int(1)), ("b", l(vec![int(1), fl(2.5e+00), s("x"), Value::Nil, Value::Bool(true)]))])], "map[\"a\":'\\x01' \"b\":['\\x01' %!q(float64=2.5) \"x\" <nil> %!q(bool=true)]]"),
        (F, "%6v", vec![m(vec![("a", int(1)), ("b", l(vec![int(1), fl(2.5e+00), s("x"), Value::Nil, Value::Bool(true)]))])], "map[     a:     1      b:[     1    2.5      x <nil>   true]]"),
        (F, "%T", vec![m(vec![("a", int(1)), ("b", l(vec![int(1), fl(2.5e+00), s("x"), Value::Nil, Value::Bool(true)]))])], "map[string]interface {}"),
        (F, "%t", vec![m(vec![("a", int(1)), ("b", l(vec![int(1), fl(2.5e+00), s("x"), Value::Nil, Value::Bool(true)]))])], "map[%!t(string=a):%!t(int=1) %!t(string=b):[%!t(int=1) %!t(float64=2.5) %!t(string=x) <nil> true]]"),
        (F, "%v", vec![m(vec![("x", fl(1e+06)), ("y", m(vec![("q", sl(&["r"]))])), ("z", Value::Nil)])], "map[x:1e+06 y:map[q:[r]] z:<nil>]"),
        (F, "%+v", vec![m(vec![("x", fl(1e+06)), ("y", m(vec![("q", sl(&["r"]))])), ("z", Value::Nil)])], "map[x:1e+06 y:map[q:[r]] z:<nil>]"),
        (F, "%#v", vec![m(vec![("x", fl(1e+06)), ("y", m(vec![("q", sl(&["r"]))])), ("z", Value::Nil)])], "map[string]interface {}{\"x\":1e+06, \"y\":map[string]interface {}{\"q\":[]string{\"r\"}}, \"z\":interface {}(nil)}"),
        (F, "%s", vec![m(vec![("x", fl(1e+06)), ("y", m(vec![("q", sl(&["r"]))])), ("z", Value::Nil)])], "map[x:%!s(float64=1e+06) y:map[q:[r]] z:<nil>]"),
        (F, "%d", vec![m(vec![("x", fl(1e+06)), ("y", m(vec![("q", sl(&["r"]))])), ("z", Value::Nil)])], "map[%!d(string=x):%!d(float64=1e+06) %!d(string=y):map[%!d(string=q):[%!d(string=r)]] %!d(string=z):<nil>]"),
        (F, "%x", vec![m(vec![("x", fl(1e+06)), ("y", m(vec![("q", sl(&["r"]))])), ("z", Value::Nil)])], "map[78:0x1.e848p+19 79:map[71:[72]] 7a:<nil>]"),
        (F, "%q", vec![m(vec![("x", fl(1e+06)), ("y", m(vec![("q", sl(&["r"]))])), ("z", Value::Nil)])], "map[\"x\":%!q(float64=1e+06) \"y\":map[\"q\":[\"r\"]] \"z\":<nil>]"),
        (F, "%6v", vec![m(vec![("x", fl(1e+06)), ("y", m(vec![("q", sl(&["r"]))])), ("z", Value::Nil)])], "map[     x: 1e+06      y:map[     q:[     r]]      z:<nil>]"),
        (F, "%T", vec![m(vec![("x", fl(1e+06)), ("y", m(vec![("q", sl(&["r"]))])), ("z", Value::Nil)])], "map[string]interface {}"),
        (F, "%t", vec![m(vec![("x", fl(1e+06)), ("y", m(vec![("q", sl(&["r"]))])), ("z", Value::Nil)])], "map[%!t(string=x):%!t(float64=1e+06) %!t(string=y):map[%!t(string=q):[%!t(string=r)]] %!t(string=z):<nil>]"),
        (F, "%v", vec![ms(&[("a", "b"), ("k", "v")])], "map[a:b k:v]"),
        (F, "%+v", vec![ms(&[("a", "b"), ("k", "v")])], "map[a:b k:v]"),
        (F, "%#v", vec![ms(&[("a", "b"), ("k", "v")])], "map[string]string{\"a\":\"b\", \"k\":\"v\"}"),
        (F, "%s", vec![ms(&[("a", "b"), ("k", "v")])], "map[a:b k:v]"),
        (F, "%d", vec![ms(&[("a", "b"), ("k", "v")])], "map[%!d(string=a):%!d(string=b) %!d(string=k):%!d(string=v)]"),
        (F, "%x", vec![ms(&[("a", "b"), ("k", "v")])], "map[61:62 6b:76]"),
        (F, "%q", vec![ms(&[("a", "b"), ("k", "v")])], "map[\"a\":\"b\" \"k\":\"v\"]"),
        (F, "%6v", vec![ms(&[("a", "b"), ("k", "v")])], "map[     a:     b      k:     v]"),
        (F, "%T", vec![ms(&[("a", "b"), ("k", "v")])], "map[string]string"),
        (F, "%t", vec![ms(&[("a", "b"), ("k", "v")])], "map[%!t(string=a):%!t(string=b) %!t(string=k):%!t(string=v)]"),
        (F, "%v", vec![st("main.T", vec![("A", int(1)), ("B", s("x"))])], "{1 x}"),
        (F, "%#v", vec![st("main.T", vec![("A", int(1)), ("B", s("x"))])], "main.T{A:1, B:\"x\"}"),
        (F, "%d", vec![st("main.T", vec![("A", int(1)), ("B", s("x"))])], "{1 %!d(string=x)}"),
        (F, "%q", vec![st("main.T", vec![("A", int(1)), ("B", s("x"))])], "{'\\x01' \"x\"}"),
        (F, "%p", vec![st("main.T", vec![("A", int(1)), ("B", s("x"))])], "%!p(main.T={1 x})"),
        (F, "%8v", vec![st("main.T", vec![("A", int(1)), ("B", s("x"))])], "{       1        x}"),
        (F, "%+v", vec![ptr("*main.T", vec![("A", int(2)), ("B", s("y"))])], "&{A:2 B:y}"),
        (F, "%s", vec![ptr("*main.T", vec![("A", int(2)), ("B", s("y"))])], "&{%!s(int=2) y}"),
        (F, "%x", vec![ptr("*main.T", vec![("A", int(2)), ("B", s("y"))])], "&{2 79}"),
        (F, "%T", vec![ptr("*main.T", vec![("A", int(2)), ("B", s("y"))])], "*main.T"),
        (F, "%t", vec![ptr("*main.T", vec![("A", int(2)), ("B", s("y"))])], "&{%!t(int=2) %!t(string=y)}"),
        (F, "%v", vec![nilptr("*main.T")], "<nil>"),
        (F, "%#v", vec![nilptr("*main.T")], "(*main.T)(nil)"),
        (F, "%d", vec![nilptr("*main.T")], "0"),
        (F, "%q", vec![nilptr("*main.T")], "%!q(*main.T=<nil>)"),
        (F, "%p", vec![nilptr("*main.T")], "0x0"),
        (F, "%8v", vec![nilptr("*main.T")], "   <nil>"),
        (F, "%+v", vec![st("main.P", vec![("X", Value::Nil), ("Y", l(vec![int(1), Value::Nil]))])], "{X:<nil> Y:[1 <nil>]}"),
        (F, "%s", vec![st("main.P", vec![("X", Value::Nil), ("Y", l(vec![int(1), Value::Nil]))])], "{<nil> [%!s(int=1) <nil>]}"),
        (F, "%x", vec![st("main.P", vec![("X", Value::Nil), ("Y", l(vec![int(1), Value::Nil]))])], "{<nil> [1 <nil>]}"),
        (F, "%T", vec![st("main.P", vec![("X", Value::Nil), ("Y", l(vec![int(1), Value::Nil]))])], "main.P"),
        (F, "%t", vec![st("main.P", vec![("X", Value::Nil), ("Y", l(vec![int(1), Value::Nil]))])], "{<nil> [%!t(int=1) <nil>]}"),
        (F, "%v", vec![st("main.P", vec![("X", ptr("*main.T", vec![("A", int(3)), ("B", s("z"))])), ("Y", l(vec![]))])], "{0xc000000000 []}"),
        (F, "%#v", vec![st("main.P", vec![("X", ptr("*main.T", vec![("A", int(3)), ("B", s("z"))])), ("Y", l(vec![]))])], "main.P{X:(*main.T)(0xc000000000), Y:[]interface {}{}}"),
        (F, "%d", vec![st("main.P", vec![("X", ptr("*main.T", vec![("A", int(3)), ("B", s("z"))])), ("Y", l(vec![]))])], "{824633720832 []}"),
        (F, "%q", vec![st("main.P", vec![("X", ptr("*main.T", vec![("A", int(3)), ("B", s("z"))])), ("Y", l(vec![]))])], "{%!q(*main.T=&{3 z}) []}"),
        (F, "%p", vec![st("main.P", vec![("X", ptr("*main.T", vec![("A", int(3)), ("B", s("z"))])), ("Y", l(vec![]))])], "%!p(main.P={0xc000000000 []})"),
        (F, "%8v", vec![st("main.P", vec![("X", ptr("*main.T", vec![("A", int(3)), ("B", s("z"))])), ("Y", l(vec![]))])], "{0xc000000000 []}"),
        (F, "%+v", vec![st("main.P", vec![("X", l(vec![st("main.T", vec![("A", int(4)), ("B", s("w"))])])), ("Y", l(vec![]))])], "{X:[{A:4 B:w}] Y:[]}"),
        (F, "%s", vec![st("main.P", vec![("X", l(vec![st("main.T", vec![("A", int(4)), ("B", s("w"))])])), ("Y", l(vec![]))])], "{[{%!s(int=4) w}] []}"),
        (F, "%x", vec![st("main.P", vec![("X", l(vec![st("main.T", vec![("A", int(4)), ("B", s("w"))])])), ("Y", l(vec![]))])], "{[{4 77}] []}"),
        (F, "%T", vec![st("main.P", vec![("X", l(vec![st("main.T", vec![("A", int(4)), ("B", s("w"))])])), ("Y", l(vec![]))])], "main.P"),
        (F, "%t", vec![st("main.P", vec![("X", l(vec![st("main.T", vec![("A", int(4)), ("B", s("w"))])])), ("Y", l(vec![]))])], "{[{%!t(int=4) %!t(string=w)}] []}"),
        (F, "%v", vec![stringer("main.St", vec![("N", int(5))], "St<5>")], "St<5>"),
        (F, "%#v", vec![stringer("main.St", vec![("N", int(5))], "St<5>")], "main.St{N:5}"),
        (F, "%d", vec![stringer("main.St", vec![("N", int(5))], "St<5>")], "{5}"),
        (F, "%q", vec![stringer("main.St", vec![("N", int(5))], "St<5>")], "\"St<5>\""),
        (F, "%p", vec![stringer("main.St", vec![("N", int(5))], "St<5>")], "%!p(main.St={5})"),
        (F, "%8v", vec![stringer("main.St", vec![("N", int(5))], "St<5>")], "   St<5>"),
        (F, "%+v", vec![stringer("*main.St", vec![("N", int(6))], "St<6>")], "St<6>"),
        (F, "%s", vec![stringer("*main.St", vec![("N", int(6))], "St<6>")], "St<6>"),
        (F, "%x", vec![stringer("*main.St", vec![("N", int(6))], "St<6>")], "53743c363e"),
        (F, "%T", vec![stringer("*main.St", vec![("N", int(6))], "St<6>")], "*main.St"),
        (F, "%t", vec![stringer("*main.St", vec![("N", int(6))], "St<6>")], "&{%!t(int=6)}"),
        (F, "%v", vec![stringer("main.E", vec![("Msg", s("bad"))], "err: bad")], "err: bad"),
        (F, "%#v", vec![stringer("main.E", vec![("Msg", s("bad"))], "err: bad")], "main.E{Msg:\"bad\"}"),
        (F, "%d", vec![stringer("main.E", vec![("Msg", s("bad"))], "err: bad")], "{%!d(string=bad)}"),
        (F, "%q", vec![stringer("main.E", vec![("Msg", s("bad"))], "err: bad")], "\"err: bad\""),
        (F, "%p", vec![stringer("main.E", vec![("Msg", s("bad"))], "err: bad")], "%!p(main.E={bad})"),
        (F, "%8v", vec![stringer("main.E", vec![("Msg", s("bad"))], "err: bad")], "err: bad"),
        (F, "%+v", vec![l(vec![stringer("main.St", vec![("N", int(7))], "St<7>"), stringer("main.E", vec![("Msg", s("e2"))], "err: e2"), ptr("*main.T", vec![("A", int(8)), ("B", s("p"))])])], "[St<7> err: e2 0xc000000000]"),
        (F, "%s", vec![l(vec![stringer("main.St", vec![("N", int(7))], "St<7>"), stringer("main.E", vec![("Msg", s("e2"))], "err: e2"), ptr("*main.T", vec![("A", int(8)), ("B", s("p"))])])], "[St<7> err: e2 %!s(*main.T=&{8 p})]"),
        (F, "%x", vec![l(vec![stringer("main.St", vec![("N", int(7))], "St<7>"), stringer("main.E", vec![("Msg", s("e2"))], "err: e2"), ptr("*main.T", vec![("A", int(8)), ("B", s("p"))])])], "[53743c373e 6572723a206532 c000000000]"),
        (F, "%T", vec![l(vec![stringer("main.St", vec![("N", int(7))], "St<7>"), stringer("main.E", vec![("Msg", s("e2"))], "err: e2"), ptr("*main.T", vec![("A", int(8)), ("B", s("p"))])])], "[]interface {}"),
        (F, "%t", vec![l(vec![stringer("main.St", vec![("N", int(7))], "St<7>"), stringer("main.E", vec![("Msg", s("e2"))], "err: e2"), ptr("*main.T", vec![("A", int(8)), ("B", s("p"))])])], "[{%!t(int=7)} {%!t(string=e2)} %!t(*main.T=&{8 p})]"),
        (F, "%v", vec![m(vec![("s", stringer("main.St", vec![("N", int(9))], "St<9>")), ("t", st("main.T", vec![("A", int(10)), ("B", s("u"))]))])], "map[s:St<9> t:{10 u}]"),
        (F, "%#v", vec![m(vec![("s", stringer("main.St", vec![("N", int(9))], "St<9>")), ("t", st("main.T", vec![("A", int(10)), ("B", s("u"))]))])], "map[string]interface {}{\"s\":main.St{N:9}, \"t\":main.T{A:10, B:\"u\"}}"),
        (F, "%d", vec![m(vec![("s", stringer("main.St", vec![("N", int(9))], "St<9>")), ("t", st("main.T", vec![("A", int(10)), ("B", s("u"))]))])], "map[%!d(string=s):{9} %!d(string=t):{10 %!d(string=u)}]"),
        (F, "%q", vec![m(vec![("s", stringer("main.St", vec![("N", int(9))], "St<9>")), ("t", st("main.T", vec![("A", int(10)), ("B", s("u"))]))])], "map[\"s\":\"St<9>\" \"t\":{'\\n' \"u\"}]"),
        (F, "%p", vec![m(vec![("s", stringer("main.St", vec![("N", int(9))], "St<9>")), ("t", st("main.T", vec![("A", int(10)), ("B", s("u"))]))])], "0xc000000000"),
        (F, "%8v", vec![m(vec![("s", stringer("main.St", vec![("N", int(9))], "St<9>")), ("t", st("main.T", vec![("A", int(10)), ("B", s("u"))]))])], "map[       s:   St<9>        t:{      10        u}]"),
        (F, "%+v", vec![nilfunc("func()")], "<nil>"),
        (F, "%s", vec![nilfunc("func()")], "%!s(func()=<nil>)"),
        (F, "%x", vec![nilfunc("func()")], "0"),
        (F, "%T", vec![nilfunc("func()")], "func()"),
        (F, "%t", vec![nilfunc("func()")], "%!t(func()=<nil>)"),
        (F, "%*d", vec![int(5), int(42)], "   42"),
        (F, "%-*d|", vec![int(5), int(42)], "42   |"),
        (F, "%*d|", vec![int(-5), int(42)], "42   |"),
        (F, "%0*d", vec![int(-5), int(42)], "42   "),
        (F, "%.*d", vec![int(3), int(42)], "042"),
        (F, "%.*d", vec![int(-3), int(42)], "%!(BADPREC)42"),
        (F, "%*.*f", vec![int(8), int(2), fl(3.25159e+00)], "    3.25"),
        (F, "%*d", vec![s("x"), int(42)], "%!(BADWIDTH)42"),
        (F, "%.*d", vec![s("x"), int(42)], "%!(BADPREC)42"),
        (F, "%*d", vec![int(10000000), int(42)], "%!(BADWIDTH)42"),
        (F, "%*d", vec![Value::Uint(5, UintKind::Uint), int(42)], "   42"),
        (F, "%*d", vec![Value::int64(5), int(42)], "   42"),
        (F, "%*d", vec![Value::Uint(5, UintKind::Uint8), int(42)], "   42"),
        (F, "%*d", vec![fl(5e+00), int(42)], "%!(BADWIDTH)42"),
        (F, "%*d", vec![int(5)], "%!d(MISSING)"),
        (F, "%.*d", vec![int(5)], "%!d(MISSING)"),
        (F, "%[2]d %[1]d", vec![int(1), int(2)], "2 1"),
        (F, "%[1]d %[1]x %[1]o", vec![int(10)], "10 a 12"),
        (F, "%[3]d", vec![int(1), int(2)], "%!d(BADINDEX)"),
        (F, "%[0]d", vec![int(1)], "%!d(BADINDEX)"),
        (F, "%[x]d", vec![int(1)], "%!d(BADINDEX)"),
        (F, "%[2]*[1]d", vec![int(12), int(5)], "   12"),
        (F, "%[1]*[2]d", vec![int(5), int(12)], "   12"),
        (F, "%[2].[1]*d|", vec![int(3), int(12345)], "%!d(BADINDEX)|"),
        (F, "%[3]*.[2]*[1]f", vec![fl(1.2e+01), int(2), int(6)], " 12.00"),
        (F, "%[1]2d", vec![int(1)], "%!d(BADINDEX)"),
        (F, "%[1].2d", vec![int(1)], "%!d(BADINDEX)"),
        (F, "%3.[2]d", vec![int(7)], "%!d(BADINDEX)"),
        (F, "%.[2]d", vec![int(7)], "%!d(BADINDEX)"),
        (F, "%[5]d %d", vec![int(1)], "%!d(BADINDEX) 1"),
        (F, "%[-3]d", vec![int(1)], "%!d(BADINDEX)"),
        (F, "%[99999999999999999999]d", vec![int(1)], "%!d(BADINDEX)"),
        (F, "%d %d %d %[1]d", vec![int(1), int(2)], "1 2 %!d(MISSING) 1"),
        (F, "%[2]d %d", vec![int(1), int(2), int(3)], "2 3"),
        (F, "%d %d", vec![int(1)], "1 %!d(MISSING)"),
        (F, "%d", vec![int(1), s("x"), Value::Nil, l(vec![int(1)]), st("main.T", vec![("A", int(1)), ("B", s("a"))])], "1%!(EXTRA string=x, <nil>, []interface {}=[1], main.T={1 a})"),
        (F, "%s", vec![s("a"), int(1), stringer("main.St", vec![("N", int(3))], "St<3>")], "a%!(EXTRA int=1, main.St=St<3>)"),
        (F, "hello", vec![int(1)], "hello%!(EXTRA int=1)"),
        (F, "%", vec![int(1)], "%!(NOVERB)%!(EXTRA int=1)"),
        (F, "%-", vec![int(1)], "%!(NOVERB)%!(EXTRA int=1)"),
        (F, "%.", vec![int(1)], "%!.(int=1)"),
        (F, "%5", vec![int(1)], "%!(NOVERB)%!(EXTRA int=1)"),
        (F, "%.5", vec![int(1)], "%!(NOVERB)%!(EXTRA int=1)"),
        (F, "%[1]", vec![int(1)], "%!(NOVERB)"),
        (F, "%!", vec![int(1)], "%!!(int=1)"),
        (F, "%z", vec![int(1)], "%!z(int=1)"),
        (F, "%\u{263a}", vec![int(1)], "%!\u{263a}(int=1)"),
        (F, "%-+ #0z", vec![int(1)], "%!z(int=+1)"),
        (F, "%#5.3z", vec![s("abc")], "%!z(string=  abc)"),
        (F, "%w", vec![int(1)], "%!w(int=1)"),
        (F, "%w", vec![stringer("main.E", vec![("Msg", s("x"))], "err: x")], "%!w(main.E={x})"),
        (F, "%w", vec![Value::Nil], "%!w(<nil>)"),
        (F, "%#w", vec![st("main.T", vec![("A", int(1)), ("B", s("x"))])], "%!w(main.T=main.T{A:1, B:\"x\"})"),
        (F, "%v %%", vec![int(1)], "1 %"),
        (F, "%5%|%-5%|%05%", vec![int(1)], "%|%|%%!(EXTRA int=1)"),
        (F, "%100d|", vec![int(1)], "                                                                                                   1|"),
        (F, "%100000000d", vec![int(1)], "%!(NOVERB)%!(EXTRA int=1)"),
        (F, "%100.0d|", vec![int(0)], "                                                                                                    |"),
        (F, "%.100000000d", vec![int(1)], "%!(NOVERB)%!(EXTRA int=1)"),
        (F, "%d%s%v%x%q", vec![int(1), s("a"), fl(1.5e+00), int(255), s("\u{a}")], "1a1.5ff\"\\n\""),
        (F, "%v", vec![l(vec![l(vec![l(vec![int(1)])])])], "[[[1]]]"),
        (F, "%+-#0 v", vec![st("main.T", vec![("A", int(1)), ("B", s("a"))])], "main.T{A: 1, B:\"a\"}"),
        (F, "%+#v", vec![m(vec![("a", st("main.T", vec![("A", int(1)), ("B", s("b"))]))])], "map[string]interface {}{\"a\":main.T{A:1, B:\"b\"}}"),
        (F, "%#+v", vec![l(vec![fl(1e+00), Value::Uint(3, UintKind::Uint8), s("\u{e9}")])], "[]interface {}{1, 0x3, \"\u{e9}\"}"),
        (F, "%-010d|", vec![int(-3)], "-3        |"),
        (F, "%0-10.3f|", vec![fl(-3.5e+00)], "-3.500    |"),
        (F, "%#-10x|", vec![s("ab")], "0x6162    |"),
        (F, "%- 8.3x|", vec![s("abcdef")], "61 62 63|"),
        (F, "%#q", vec![int(96)], "'`'"),
        (F, "%#+q %#q", vec![s("\u{e9}"), s("\u{e9}\u{0}")], "`\u{e9}` \"\u{e9}\\x00\""),
        (F, "%v %v", vec![s("a"), s("b")], "a b"),
        (F, "%T %T %T %T %T", vec![l(vec![]), sl(&[]), m(vec![]), ms(&[]), bl(&[])], "[]interface {} []string map[string]interface {} map[string]string []uint8"),
        (F, "%10T|%-10T|%.3T", vec![int(1), s("x"), fl(1e+00)], "       int|string    |flo"),
        (F, "%p %#p %v", vec![l(vec![int(1)]), m(vec![]), nilfunc("func()")], "0xc000000000 c000000000 <nil>"),
        (F, "%d %x %o %b", vec![ptr("*main.T", vec![("A", int(1)), ("B", s("a"))]), nilptr("*main.T"), nilfunc("func()"), l(vec![])], "&{1 %!d(string=a)} 0 0 []"),
        (F, "%s|%v|%d", vec![nilptr("*main.T"), nilptr("*main.T"), nilptr("*main.T")], "%!s(*main.T=<nil>)|<nil>|0"),
        (F, "%x %X", vec![fl(1e+00), fl(-1e-01)], "0x1p+00 -0X1.999999999999AP-04"),
        (F, "%#b %b", vec![fl(1e+00), fl(-0e+00)], "4503599627370496p-52 -0p-1074"),
        (F, "%.3v %.3s", vec![fl(3.25159e+00), l(vec![s("abcdef"), int(12345)])], "3.25 [abc %!s(int=12345)]"),
        (F, "%08v|%-08v|", vec![l(vec![int(1), s("ab"), fl(-2.5e+00)]), l(vec![int(1), s("ab"), fl(-2.5e+00)])], "[00000001 000000ab -00002.5]|[1        ab       -2.5    ]|"),
        (F, "%+d %+v %+q", vec![l(vec![int(1), int(-1)]), l(vec![int(1), int(-1)]), l(vec![s("\u{e9}")])], "[+1 -1] [1 -1] [\"\\u00e9\"]"),
        (F, "%x", vec![l(vec![s("ab"), int(255), fl(1e+00), Value::Bool(true)])], "[6162 ff 0x1p+00 %!x(bool=true)]"),
        (F, "%c", vec![l(vec![int(97), int(233)])], "[a \u{e9}]"),
        (F, "%U", vec![il(&[65, 128512])], "[U+0041 U+1F600]"),
        (P, "", vec![s("a"), s("b")], "ab"),
        (LN, "", vec![s("a"), s("b")], "a b\u{a}"),
        (P, "", vec![int(1), int(2)], "1 2"),
        (LN, "", vec![int(1), int(2)], "1 2\u{a}"),
        (P, "", vec![s("a"), int(1), s("b")], "a1b"),
        (LN, "", vec![s("a"), int(1), s("b")], "a 1 b\u{a}"),
        (P, "", vec![int(1), s("a"), int(2)], "1a2"),
        (LN, "", vec![int(1), s("a"), int(2)], "1 a 2\u{a}"),
        (P, "", vec![int(1), int(2), s("x"), int(3), int(4)], "1 2x3 4"),
        (LN, "", vec![int(1), int(2), s("x"), int(3), int(4)], "1 2 x 3 4\u{a}"),
        (P, "", vec![Value::Nil, Value::Nil], "<nil> <nil>"),
        (LN, "", vec![Value::Nil, Value::Nil], "<nil> <nil>\u{a}"),
        (P, "", vec![s("x"), Value::Nil], "x<nil>"),
        (LN, "", vec![s("x"), Value::Nil], "x <nil>\u{a}"),
        (P, "", vec![fl(1e+06), fl(1e+21), fl(1e+05), fl(1e-05), fl(-0e+00), fl(f64::INFINITY), fl(f64::NAN)], "1e+06 1e+21 100000 1e-05 -0 +Inf NaN"),
        (LN, "", vec![fl(1e+06), fl(1e+21), fl(1e+05), fl(1e-05), fl(-0e+00), fl(f64::INFINITY), fl(f64::NAN)], "1e+06 1e+21 100000 1e-05 -0 +Inf NaN\u{a}"),
        (P, "", vec![m(vec![("a", int(1)), ("b", l(vec![int(1), fl(2.5e+00), s("x"), Value::Nil, Value::Bool(true)]))])], "map[a:1 b:[1 2.5 x <nil> true]]"),
        (LN, "", vec![m(vec![("a", int(1)), ("b", l(vec![int(1), fl(2.5e+00), s("x"), Value::Nil, Value::Bool(true)]))])], "map[a:1 b:[1 2.5 x <nil> true]]\u{a}"),
        (P, "", vec![l(vec![int(1), int(2)]), sl(&["a", "b"])], "[1 2] [a b]"),
        (LN, "", vec![l(vec![int(1), int(2)]), sl(&["a", "b"])], "[1 2] [a b]\u{a}"),
        (P, "", vec![st("main.T", vec![("A", int(1)), ("B", s("x"))]), ptr("*main.T", vec![("A", int(2)), ("B", s("y"))]), stringer("main.St", vec![("N", int(3))], "St<3>"), stringer("main.E", vec![("Msg", s("q"))], "err: q")], "{1 x} &{2 y} St<3> err: q"),
        (LN, "", vec![st("main.T", vec![("A", int(1)), ("B", s("x"))]), ptr("*main.T", vec![("A", int(2)), ("B", s("y"))]), stringer("main.St", vec![("N", int(3))], "St<3>"), stringer("main.E", vec![("Msg", s("q"))], "err: q")], "{1 x} &{2 y} St<3> err: q\u{a}"),
        (P, "", vec![Value::Bool(true), Value::Complex(1e+00, 2e+00), Value::Uint(7, UintKind::Uint8), s("")], "true (1+2i) 7"),
        (LN, "", vec![Value::Bool(true), Value::Complex(1e+00, 2e+00), Value::Uint(7, UintKind::Uint8), s("")], "true (1+2i) 7 \u{a}"),
        (P, "", vec![s(""), s("")], ""),
        (LN, "", vec![s(""), s("")], " \u{a}"),
        (P, "", vec![], ""),
        (LN, "", vec![], "\u{a}"),
        (P, "", vec![Value::Invalid], "<nil>"),
        (LN, "", vec![Value::Invalid], "<nil>\u{a}"),
        (P, "", vec![l(vec![ptr("*main.T", vec![("A", int(1)), ("B", s("x"))])])], "[0xc000000000]"),
        (LN, "", vec![l(vec![ptr("*main.T", vec![("A", int(1)), ("B", s("x"))])])], "[0xc000000000]\u{a}"),
        ]
    }

    #[test]
    fn matches_go_fmt() {
        let cases = go_cases();
        assert!(cases.len() > 600);
        let mut failures = Vec::new();
        for (kind, format, args, want) in &cases {
            let got = match kind {
                F => sprintf(format, args),
                P => sprint(args),
                LN => sprintln(args),
            };
            if got != *want {
                failures.push(format!(
                    "{format:?} {args:?}\n  got  {got:?}\n  want {want:?}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} mismatches:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn fprint_into_is_sprint_of_one() {
        let vals = [
            s("x"),
            int(-3),
            fl(1e21),
            Value::Nil,
            Value::Invalid,
            l(vec![int(1), Value::Nil]),
            m(vec![("a", fl(0.5))]),
            ptr("*main.T", vec![("A", int(1))]),
            Value::Uint(9, UintKind::Uint8),
        ];
        for v in &vals {
            let mut out = String::from(">");
            fprint_into(&mut out, v);
            assert_eq!(out, format!(">{}", sprint(std::slice::from_ref(v))));
        }
        let mut out = String::from("a=");
        sprintf_into(&mut out, "%05.1f|%v", &[fl(2.25), Value::Nil]);
        assert_eq!(out, "a=002.2|<nil>");
    }

    #[test]
    fn huge_widths() {
        // Go pads to any width a format spells out, but rejects more than
        // seven digits (and the whole rest of the directive with them).
        let out = sprintf("%10000000d|", &[int(1)]);
        assert_eq!(out.len(), 10_000_001);
        assert!(out.ends_with(" 1|"));
        assert_eq!(
            sprintf("%100000000d", &[int(1)]),
            "%!(NOVERB)%!(EXTRA int=1)"
        );
        assert_eq!(sprintf("%*d", &[int(1_000_001), int(1)]), "%!(BADWIDTH)1");
    }
}
