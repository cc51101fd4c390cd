//! `pattern` and `patternProperties` as helm's validator reads them: Go's
//! `regexp` (RE2 syntax, `\d` `\s` `\w` `\b` ASCII-only, no lookaround or
//! backreference). The `jsonschema` crate reads patterns as ECMA-262, so each
//! pattern is parsed here with RE2's rules and handed to the crate as the
//! equivalent regex in fully explicit syntax (classes as code point ranges,
//! anchors as `\A`/`\z`), which its translation leaves unchanged.

use std::collections::HashMap;
use std::fmt::Write as _;

use regex_syntax::ast::{self, Ast, ClassPerlKind};
use serde_json::Value as J;

/// Go's limit on `{n,m}` counts.
const MAX_REPEAT: u32 = 1000;

/// The explicit equivalent of RE2 pattern `p`, or Go's compile error
/// (`error parsing regexp: …`).
pub(crate) fn translate(p: &str) -> Result<String, String> {
    let p = &go_class_literals(p);
    let ast = ast::parse::ParserBuilder::new()
        .nest_limit(1000)
        .build()
        .parse(p)
        .map_err(|e| go_error(p, &e))?;
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    check(&ast, p, &mut edits)?;
    let mut src = String::with_capacity(p.len() + 16);
    let mut at = 0;
    edits.sort_by_key(|e| e.0);
    for (start, end, with) in edits {
        // Edits replace disjoint AST nodes; an overlap would be a bug here.
        let Some(before) = p.get(at..start) else {
            return Err(unsupported(p));
        };
        src.push_str(before);
        src.push_str(&with);
        at = end;
    }
    src.push_str(p.get(at..).unwrap_or(""));
    let hir = regex_syntax::ParserBuilder::new()
        .nest_limit(1000)
        .build()
        .parse(&src)
        .map_err(|_| unsupported(p))?;
    let mut out = String::with_capacity(src.len() + 16);
    print(&hir, &mut out).ok_or_else(|| unsupported(p))?;
    Ok(out)
}

/// Writes `hir` in a syntax that is valid ECMA-262 (the `jsonschema`
/// crate checks `format: regex` on draft 4 to 7 schemas) and that the
/// crate's ECMA translation hands to the `regex` crate unchanged: every
/// character other than a letter or digit as `\u{…}`, anchors as `^`/`$`
/// (never in multi-line mode) and `(?m:^)`, groups as `(?:…)`. Only the
/// ASCII word boundary has no such spelling. `None`: not expressible.
fn print(hir: &regex_syntax::hir::Hir, out: &mut String) -> Option<()> {
    use regex_syntax::hir::{Class, HirKind, Look};
    match hir.kind() {
        HirKind::Empty => out.push_str("(?:)"),
        HirKind::Literal(l) => {
            for c in std::str::from_utf8(&l.0).ok()?.chars() {
                char_into(c, out);
            }
        }
        HirKind::Class(Class::Unicode(cls)) => {
            if cls.ranges().is_empty() {
                out.push_str("[^\\u{0}-\\u{10ffff}]");
                return Some(());
            }
            out.push('[');
            for r in cls.ranges() {
                char_into(r.start(), out);
                if r.end() != r.start() {
                    out.push('-');
                    char_into(r.end(), out);
                }
            }
            out.push(']');
        }
        HirKind::Class(Class::Bytes(_)) => return None,
        HirKind::Look(l) => out.push_str(match l {
            Look::Start => "^",
            Look::End => "$",
            Look::StartLF => "(?m:^)",
            Look::EndLF => "(?m:$)",
            Look::WordAscii => "(?-u:\\b)",
            Look::WordAsciiNegate => "(?-u:\\B)",
            _ => return None,
        }),
        HirKind::Repetition(r) => {
            out.push_str("(?:");
            print(&r.sub, out)?;
            out.push(')');
            match r.max {
                Some(max) => out.push_str(&format!("{{{},{max}}}", r.min)),
                None => out.push_str(&format!("{{{},}}", r.min)),
            }
            if !r.greedy {
                out.push('?');
            }
        }
        HirKind::Capture(c) => {
            out.push('(');
            print(&c.sub, out)?;
            out.push(')');
        }
        HirKind::Concat(hs) => {
            for h in hs {
                print(h, out)?;
            }
        }
        HirKind::Alternation(hs) => {
            out.push_str("(?:");
            for (i, h) in hs.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                print(h, out)?;
            }
            out.push(')');
        }
    }
    Some(())
}

fn char_into(c: char, out: &mut String) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    }
}

/// Inside a bracketed class Go reads `[` (unless it opens `[:name:]`), `&`,
/// `~` and a second `-` literally, where regex-syntax reads a nested class or a set
/// operation: escape them (both syntaxes allow escaping punctuation).
fn go_class_literals(p: &str) -> std::borrow::Cow<'_, str> {
    if !p.contains('[') {
        return p.into();
    }
    let mut out = String::with_capacity(p.len() + 4);
    let mut chars = p.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                // A `]` first in the class is a literal.
                if chars.peek() == Some(&']') {
                    out.push_str("\\]");
                    chars.next();
                }
            }
            '[' if chars.peek() == Some(&':') => {
                out.push(c);
                // Copy `[:name:]` through its closing `:]`.
                let mut prev = ' ';
                for n in chars.by_ref() {
                    out.push(n);
                    if prev == ':' && n == ']' {
                        break;
                    }
                    prev = n;
                }
            }
            '[' | '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            // `--` is a set difference to regex-syntax: Go's `[!--]` is the
            // range `!`-`-`.
            '-' if in_class && out.ends_with('-') && !out.ends_with("\\-") => {
                out.push_str("\\-");
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.into()
}

fn unsupported(p: &str) -> String {
    format!("error parsing regexp: invalid or unsupported Perl syntax: `{p}`")
}

/// Go's message for a pattern regex-syntax rejects.
fn go_error(p: &str, e: &ast::Error) -> String {
    use ast::ErrorKind as K;
    let span = p
        .get(e.span().start.offset..e.span().end.offset)
        .unwrap_or("");
    let rest = p.get(e.span().start.offset..).unwrap_or("");
    let (code, expr) = match e.kind() {
        K::GroupUnclosed => ("missing closing )", p.to_string()),
        K::GroupUnopened => ("unexpected )", p.to_string()),
        K::ClassUnclosed => ("missing closing ]", rest.to_string()),
        K::UnsupportedLookAround => {
            // Go reads `(?<` as the start of a named group.
            if rest.starts_with("(?<") {
                ("invalid named capture", group_text(rest))
            } else {
                ("invalid or unsupported Perl syntax", first_chars(rest, 3))
            }
        }
        K::UnsupportedBackreference | K::EscapeUnrecognized => {
            ("invalid escape sequence", span.to_string())
        }
        K::EscapeUnexpectedEof => ("trailing backslash at end of expression", String::new()),
        K::RepetitionMissing => ("missing argument to repetition operator", span.to_string()),
        K::RepetitionCountInvalid | K::RepetitionCountDecimalEmpty => {
            ("invalid repeat count", span.to_string())
        }
        K::ClassRangeInvalid => ("invalid character class range", span.to_string()),
        K::NestLimitExceeded(_) => ("expression nests too deeply", String::new()),
        K::GroupNameInvalid | K::GroupNameEmpty | K::GroupNameUnexpectedEof => {
            ("invalid named capture", group_text(rest))
        }
        K::GroupNameDuplicate { .. } => ("duplicate capture group name", span.to_string()),
        _ => ("invalid or unsupported Perl syntax", span.to_string()),
    };
    format!("error parsing regexp: {code}: `{expr}`")
}

/// Go quotes a bad named group up to the `>` ending its name, or to the
/// end of the pattern.
fn group_text(s: &str) -> String {
    match s.find('>') {
        Some(i) => s[..=i].to_string(),
        None => s.to_string(),
    }
}

fn first_chars(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Rejects what RE2 does not accept and records the rewrites that give
/// regex-syntax RE2's meaning.
fn check(a: &Ast, p: &str, edits: &mut Vec<(usize, usize, String)>) -> Result<(), String> {
    let text = |s: &ast::Span| {
        p.get(s.start.offset..s.end.offset)
            .unwrap_or("")
            .to_string()
    };
    let bad =
        |code: &str, s: &ast::Span| Err(format!("error parsing regexp: {code}: `{}`", text(s)));
    match a {
        Ast::Empty(_) | Ast::Dot(_) => Ok(()),
        Ast::Flags(f) => flags(&f.flags, p),
        Ast::Literal(l) => literal(l, p),
        Ast::Assertion(x) => {
            use ast::AssertionKind as K;
            match x.kind {
                K::StartLine | K::EndLine | K::StartText | K::EndText => Ok(()),
                K::WordBoundary => {
                    edits.push((x.span.start.offset, x.span.end.offset, r"(?-u:\b)".into()));
                    Ok(())
                }
                K::NotWordBoundary => {
                    edits.push((x.span.start.offset, x.span.end.offset, r"(?-u:\B)".into()));
                    Ok(())
                }
                _ => bad("invalid escape sequence", &x.span),
            }
        }
        Ast::ClassPerl(c) => {
            perl(c, edits);
            Ok(())
        }
        Ast::ClassUnicode(c) => unicode(c, p, edits),
        Ast::ClassBracketed(c) => class_set(&c.kind, p, edits),
        Ast::Repetition(r) => {
            if let ast::RepetitionKind::Range(range) = &r.op.kind {
                let (m, n) = match *range {
                    ast::RepetitionRange::Exactly(m) => (m, m),
                    ast::RepetitionRange::AtLeast(m) => (m, m),
                    ast::RepetitionRange::Bounded(m, n) => (m, n),
                };
                if m > MAX_REPEAT || n > MAX_REPEAT {
                    return bad("invalid repeat count", &r.op.span);
                }
            }
            if matches!(&*r.ast, Ast::Repetition(_) | Ast::Empty(_) | Ast::Flags(_)) {
                return bad("invalid nested repetition operator", &r.span);
            }
            check(&r.ast, p, edits)
        }
        Ast::Group(g) => {
            if let ast::GroupKind::NonCapturing(f) = &g.kind {
                flags(f, p)?;
            }
            check(&g.ast, p, edits)
        }
        Ast::Alternation(x) => x.asts.iter().try_for_each(|a| check(a, p, edits)),
        Ast::Concat(x) => x.asts.iter().try_for_each(|a| check(a, p, edits)),
    }
}

/// Go's flags are `i`, `m`, `s` and `U`.
fn flags(f: &ast::Flags, p: &str) -> Result<(), String> {
    for item in &f.items {
        if let ast::FlagsItemKind::Flag(
            ast::Flag::SwapGreed
            | ast::Flag::CaseInsensitive
            | ast::Flag::MultiLine
            | ast::Flag::DotMatchesNewLine,
        )
        | ast::FlagsItemKind::Negation = item.kind
        {
            continue;
        }
        return Err(unsupported_at(p, &f.span));
    }
    Ok(())
}

fn unsupported_at(p: &str, s: &ast::Span) -> String {
    let start = p[..s.start.offset].rfind("(?").unwrap_or(s.start.offset);
    let end = p[s.end.offset..]
        .find([')', ':'])
        .map(|i| s.end.offset + i + 1)
        .unwrap_or(p.len());
    format!(
        "error parsing regexp: invalid or unsupported Perl syntax: `{}`",
        p.get(start..end).unwrap_or(p)
    )
}

fn literal(l: &ast::Literal, p: &str) -> Result<(), String> {
    use ast::LiteralKind as K;
    match &l.kind {
        K::Verbatim | K::Meta | K::Superfluous => Ok(()),
        K::HexFixed(ast::HexLiteralKind::X) | K::HexBrace(ast::HexLiteralKind::X) => Ok(()),
        K::Special(s) if !matches!(s, ast::SpecialLiteralKind::Space) => Ok(()),
        _ => Err(format!(
            "error parsing regexp: invalid escape sequence: `{}`",
            p.get(l.span.start.offset..(l.span.start.offset + 2).min(l.span.end.offset))
                .unwrap_or("")
        )),
    }
}

fn unicode(
    c: &ast::ClassUnicode,
    p: &str,
    edits: &mut Vec<(usize, usize, String)>,
) -> Result<(), String> {
    // regex-syntax also knows `\p{gc=L}`-style names; Go does not.
    match &c.kind {
        ast::ClassUnicodeKind::OneLetter(_) => Ok(()),
        ast::ClassUnicodeKind::Named(n)
            if n.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '^') =>
        {
            // Go's `\p{^Greek}` is regex-syntax's `\P{Greek}`.
            if let Some(name) = n.strip_prefix('^') {
                let (start, end) = (c.span.start.offset, c.span.end.offset);
                let letter = if c.negated { 'p' } else { 'P' };
                edits.push((start, end, format!("\\{letter}{{{name}}}")));
            }
            Ok(())
        }
        _ => Err(format!(
            "error parsing regexp: invalid character class range: `{}`",
            p.get(c.span.start.offset..c.span.end.offset).unwrap_or("")
        )),
    }
}

/// Go's ASCII `\d`, `\s`, `\w` (a bracketed class also works nested in a class).
fn perl(c: &ast::ClassPerl, edits: &mut Vec<(usize, usize, String)>) {
    let with = match (c.kind.clone(), c.negated) {
        (ClassPerlKind::Digit, false) => "[0-9]",
        (ClassPerlKind::Digit, true) => "[^0-9]",
        (ClassPerlKind::Space, false) => r"[\t\n\x0C\r ]",
        (ClassPerlKind::Space, true) => r"[^\t\n\x0C\r ]",
        (ClassPerlKind::Word, false) => "[0-9A-Za-z_]",
        (ClassPerlKind::Word, true) => "[^0-9A-Za-z_]",
    };
    edits.push((c.span.start.offset, c.span.end.offset, with.into()));
}

fn class_set(
    s: &ast::ClassSet,
    p: &str,
    edits: &mut Vec<(usize, usize, String)>,
) -> Result<(), String> {
    match s {
        ast::ClassSet::Item(i) => class_item(i, p, edits),
        // `&&`, `--`, `~~` are literal characters to Go.
        ast::ClassSet::BinaryOp(op) => Err(format!(
            "error parsing regexp: invalid character class range: `{}`",
            p.get(op.span.start.offset..op.span.end.offset)
                .unwrap_or("")
        )),
    }
}

fn class_item(
    i: &ast::ClassSetItem,
    p: &str,
    edits: &mut Vec<(usize, usize, String)>,
) -> Result<(), String> {
    use ast::ClassSetItem as I;
    match i {
        I::Empty(_) | I::Ascii(_) => Ok(()),
        I::Literal(l) => literal(l, p),
        I::Range(r) => {
            literal(&r.start, p)?;
            literal(&r.end, p)
        }
        I::Unicode(c) => unicode(c, p, edits),
        I::Perl(c) => {
            perl(c, edits);
            Ok(())
        }
        // A nested `[…]` is not RE2 syntax.
        I::Bracketed(b) => Err(format!(
            "error parsing regexp: invalid character class range: `{}`",
            p.get(b.span.start.offset..b.span.end.offset).unwrap_or("")
        )),
        I::Union(u) => u.items.iter().try_for_each(|x| class_item(x, p, edits)),
    }
}

/// Every pattern of a schema document, translated: `pattern` values and
/// `patternProperties` keys in schema positions (not in `enum`, `const`,
/// `default` or other data). `Err` is the first pattern Go rejects, as
/// (JSON pointer of the keyword, pattern, Go's error).
pub(crate) struct Translated {
    /// Explicit form → the pattern as written (helm's messages quote it).
    pub originals: HashMap<String, String>,
    /// Pattern as written → explicit form: charts repeat their patterns
    /// (a quantity pattern for every resource), each translated once.
    explicit: HashMap<String, String>,
    /// Whether some keyword may fail helm's meta-schema where the
    /// `jsonschema` crate's passes: an empty `enum` or one with equal items
    /// (drafts 4 to 7), a `$ref`/`$id` with `%` or `\` (v6 checks them as
    /// URI references), siblings of a `const` and a `$ref` that the rewrite
    /// for `const_beside_ref` dropped.
    pub meta_suspect: bool,
    /// Drafts 6 and 7: helm's validator checks a `const` beside a `$ref`
    /// (it reads `const` before the `$ref` that hides the other siblings).
    const_beside_ref: bool,
    /// The distinct local `$ref`s (`#…`) of the schema objects.
    pub local_refs: Vec<String>,
    /// The keyword that sets a schema's id: `id` in draft 4, else `$id`.
    id_keyword: &'static str,
    /// Draft 4, whose meta-schema does not check `$ref` as a URI reference.
    draft4: bool,
    /// The JSON pointer of the first schema whose id has a malformed `%`
    /// escape: helm's validator fails on it while it gathers the ids,
    /// before any other check.
    pub bad_id: Option<String>,
    /// Draft 4: the first `$ref` with a malformed `%` escape and Go's
    /// error for it (later drafts' meta-schemas report it first).
    pub bad_ref: Option<(String, String)>,
}

/// Go's `url.EscapeError` for the first malformed `%` escape of `s`.
pub(crate) fn bad_escape(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            i += 1;
            continue;
        }
        if i + 2 >= b.len() || !b[i + 1].is_ascii_hexdigit() || !b[i + 2].is_ascii_hexdigit() {
            let bad = String::from_utf8_lossy(&b[i..(i + 3).min(b.len())]);
            return Some(format!(
                "invalid URL escape {}",
                gotmpl::strconv::quote(&bad)
            ));
        }
        i += 3;
    }
    None
}

impl Translated {
    fn translate(&mut self, p: &str) -> Result<String, String> {
        let e = match self.explicit.get(p) {
            Some(e) => e.clone(),
            None => {
                let e = translate(p)?;
                self.explicit.insert(p.to_string(), e.clone());
                e
            }
        };
        // Patterns with one explicit form: the last one met is quoted.
        self.originals.insert(e.clone(), p.to_string());
        Ok(e)
    }
}

/// Rewrites the schema's patterns in place into their explicit forms.
pub(crate) fn rewrite(schema: &mut J) -> Result<Translated, BadPattern> {
    let draft4 = schema.get("$schema").and_then(J::as_str)
        == Some("http://json-schema.org/draft-04/schema#");
    let mut t = Translated {
        originals: HashMap::new(),
        explicit: HashMap::new(),
        meta_suspect: false,
        local_refs: Vec::new(),
        id_keyword: if draft4 { "id" } else { "$id" },
        draft4,
        bad_id: None,
        bad_ref: None,
        const_beside_ref: matches!(
            schema.get("$schema").and_then(J::as_str),
            Some(
                "http://json-schema.org/draft-06/schema#"
                    | "http://json-schema.org/draft-07/schema#"
            )
        ),
    };
    let mut path = String::new();
    walk(schema, &mut path, &mut t)?;
    Ok(t)
}

/// A pattern Go's `regexp` does not compile.
#[derive(Debug)]
pub(crate) struct BadPattern {
    /// JSON pointer of the `pattern` keyword, or of the `patternProperties`
    /// object holding the bad key.
    pub at: String,
    pub pattern: String,
    pub error: String,
}

/// Where a schema keyword holds subschemas. Every key of a schema is
/// classified, so this is one `match` rather than list lookups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Holds {
    /// One subschema.
    Schema,
    /// A list of subschemas.
    List,
    /// `items`: one subschema, or a list of them (drafts before 2020-12).
    SchemaOrList,
    /// An object of subschemas by name.
    Map,
    /// No subschema.
    Nothing,
}

impl Holds {
    pub(crate) fn of(keyword: &str) -> Holds {
        match keyword {
            "additionalProperties"
            | "additionalItems"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "not"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema" => Holds::Schema,
            "items" => Holds::SchemaOrList,
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => Holds::List,
            "properties" | "patternProperties" | "definitions" | "$defs" | "dependentSchemas"
            | "dependencies" => Holds::Map,
            _ => Holds::Nothing,
        }
    }

    pub(crate) fn schema(self) -> bool {
        matches!(self, Holds::Schema | Holds::SchemaOrList)
    }

    pub(crate) fn list(self) -> bool {
        matches!(self, Holds::List | Holds::SchemaOrList)
    }
}

/// Appends `/` and `s` as a JSON pointer segment (RFC 6901 escaping).
fn push_segment(path: &mut String, s: &str) {
    path.push('/');
    if s.bytes().any(|b| b == b'~' || b == b'/') {
        path.push_str(&s.replace('~', "~0").replace('/', "~1"));
    } else {
        path.push_str(s);
    }
}

/// `{"$ref": R, "const": C, …}` → `{"allOf": [{"const": C}, {"$ref": R}]}`:
/// what helm's validator checks there (drafts 6 and 7), in a form the
/// `jsonschema` crate checks the same way. The other siblings are ignored
/// by both; `definitions` stays, as references may point into it, and so
/// does the root's `$schema`. Whether other siblings were dropped: helm
/// still checks them against the meta-schema, which the crate then cannot
/// (see [`Translated::meta_suspect`]).
fn const_then_ref(obj: &mut serde_json::Map<String, J>) -> bool {
    let (Some(r), Some(c)) = (obj.remove("$ref"), obj.remove("const")) else {
        return false;
    };
    let definitions = obj.remove("definitions");
    let dialect = obj.remove("$schema");
    let dropped = !obj.is_empty();
    obj.clear();
    if let Some(d) = dialect {
        obj.insert("$schema".into(), d);
    }
    let mut first = serde_json::Map::new();
    first.insert("const".into(), c);
    let mut second = serde_json::Map::new();
    second.insert("$ref".into(), r);
    obj.insert(
        "allOf".into(),
        J::Array(vec![J::Object(first), J::Object(second)]),
    );
    if let Some(d) = definitions {
        obj.insert("definitions".into(), d);
    }
    dropped
}

/// An `enum` helm's draft 4 to 7 meta-schemas reject (see
/// [`Translated::meta_suspect`]): empty, or with two equal items.
fn enum_suspect(items: &[J]) -> bool {
    let same = |a: &J, b: &J| match (a, b) {
        (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    };
    // Pairs are compared only for enums of a usual size.
    items.is_empty()
        || items.len() <= 256
            && (1..items.len()).any(|i| items[..i].iter().any(|x| same(x, &items[i])))
}

/// Rewrites the `pattern` and the `patternProperties` keys of one schema
/// object into their explicit forms.
fn translate_patterns(
    obj: &mut serde_json::Map<String, J>,
    path: &str,
    t: &mut Translated,
) -> Result<(), BadPattern> {
    if let Some(J::String(p)) = obj.get_mut("pattern") {
        let explicit = t.translate(p).map_err(|error| BadPattern {
            at: format!("{path}/pattern"),
            pattern: p.clone(),
            error,
        })?;
        *p = explicit;
    }
    if let Some(J::Object(pats)) = obj.get_mut("patternProperties") {
        let old = std::mem::take(pats);
        for (k, v) in old {
            let explicit = t.translate(&k).map_err(|error| BadPattern {
                at: format!("{path}/patternProperties"),
                pattern: k.clone(),
                error,
            })?;
            pats.insert(explicit, v);
        }
    }
    Ok(())
}

fn walk(schema: &mut J, path: &mut String, t: &mut Translated) -> Result<(), BadPattern> {
    let J::Object(obj) = schema else {
        return Ok(());
    };
    let len = path.len();
    // One pass over the keys tells which lookups are needed: most schema
    // objects have none of these keywords.
    let (mut has_ref, mut has_const, mut has_pattern) = (false, false, false);
    for k in obj.keys() {
        match k.as_str() {
            "$ref" => has_ref = true,
            "const" => has_const = true,
            "pattern" | "patternProperties" => has_pattern = true,
            _ => {}
        }
    }
    if t.const_beside_ref && has_ref && has_const {
        t.meta_suspect |= const_then_ref(obj);
    }
    if has_pattern {
        translate_patterns(obj, path, t)?;
    }
    for (k, v) in obj.iter_mut() {
        let kw = k.as_str();
        let holds = Holds::of(kw);
        if holds == Holds::Nothing {
            match (kw, &*v) {
                ("enum", J::Array(items)) => t.meta_suspect |= enum_suspect(items),
                ("$ref" | "$id" | "id", J::String(r)) => {
                    t.meta_suspect |= r.contains(['%', '\\']);
                    if r.contains('%') {
                        if kw == t.id_keyword && t.bad_id.is_none() && bad_escape(r).is_some() {
                            t.bad_id = Some(path[..len].to_string());
                        }
                        if kw == "$ref" && t.draft4 && t.bad_ref.is_none() {
                            t.bad_ref = bad_escape(r).map(|e| (r.clone(), e));
                        }
                    }
                    if kw == "$ref" && r.starts_with('#') && !t.local_refs.contains(r) {
                        t.local_refs.push(r.clone());
                    }
                }
                _ => {}
            }
            continue;
        }
        let (sub, list, map) = (holds.schema(), holds.list(), holds == Holds::Map);
        push_segment(path, kw);
        if sub {
            walk(v, path, t)?;
        }
        if list {
            if let J::Array(items) = v {
                for (i, s) in items.iter_mut().enumerate() {
                    let l = path.len();
                    let _ = write!(path, "/{i}");
                    walk(s, path, t)?;
                    path.truncate(l);
                }
            }
        }
        if map {
            if let J::Object(m) = v {
                for (name, s) in m.iter_mut() {
                    let l = path.len();
                    // patternProperties keys are already explicit here;
                    // pointers name the key as written.
                    let shown = t.originals.get(name).filter(|_| kw == "patternProperties");
                    push_segment(path, shown.map_or(name.as_str(), String::as_str));
                    walk(s, path, t)?;
                    path.truncate(l);
                }
            }
        }
        path.truncate(len);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether RE2 pattern `p` matches `s` as the crate runs it.
    fn m(p: &str, s: &str) -> bool {
        let t = translate(p).unwrap();
        let v = super::super::build(&serde_json::json!({ "pattern": t })).unwrap();
        v.is_valid(&serde_json::json!(s))
    }

    #[test]
    fn explicit_forms_pass_the_draft7_meta_schema() {
        for p in [
            r"^\s*([A-Za-z_][\w.]*)(\s*,\s*\w+)*$",
            r"(?i)^[[:alpha:]]+\z",
            r"(?m)^a$|[^\d\x{1F600}-\x{1F64F}]{2,5}?",
            r"\pL\p{Greek}.(?s:.)",
            "a&&b--c~~[&-~]",
        ] {
            let t = translate(p).unwrap();
            let schema = serde_json::json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "pattern": t
            });
            assert!(super::super::build(&schema).is_ok(), "{p} => {t}");
        }
        assert!(m("a&&b--c~~", "a&&b--c~~"));
        assert!(m("^[&-~]$", "~"));
        assert!(m("^[\\x{1F600}-\\x{1F64F}]$", "\u{1F601}"));
    }

    #[test]
    fn classes_are_ascii() {
        assert!(m(r"^\s$", "\t"));
        assert!(!m(r"^\s$", "\u{a0}"));
        assert!(!m(r"^\s$", "\u{b}"));
        assert!(m(r"^\S$", "\u{a0}"));
        assert!(!m(r"^\d$", "٣"));
        assert!(m(r"^\D$", "٣"));
        assert!(!m(r"^\w$", "é"));
        assert!(m(r"^[\w.]+$", "a.b"));
        assert!(m(r"^[^\d]$", "x"));
        assert!(m(r"\bé", "aé"));
        assert!(m(r"^\pL$", "é"));
        assert!(m(r"^\p{Greek}+$", "αβ"));
        assert!(m(r"^\p{^Greek}$", "a"));
        assert!(!m(r"^\P{^Greek}$", "a"));
        assert!(m(r"^[\p{^Greek}]$", "a"));
        assert!(m(r"(?i)^abc$", "ABC"));
        assert!(m(r"^[[:alpha:]]+\z", "ab"));
        assert!(!m(r"^.$", "\n"));
        assert!(m(r"^.$", "\r"));
    }

    #[test]
    fn class_punctuation_is_literal() {
        assert!(m("^[[]+$", "[["));
        assert!(m("^[a&&b]+$", "a&b"));
        assert!(m("^[a~~b]+$", "~"));
        assert!(m("^[[:alpha:][]+$", "a["));
        assert!(m("^[]a]+$", "]a"));
        assert!(m("^[^]a]+$", "b"));
        assert!(m("^[!--]+$", "-"));
        assert!(m(r"^[\[\]]+$", "[]"));
    }

    /// The crate's literal shortcuts (`^prefix`, `^exact$`, `^(a|b)$`) see
    /// the explicit forms and must keep their meaning.
    #[test]
    fn literal_shortcuts_keep_meaning() {
        assert!(m("^a-b$", "a-b"));
        assert!(!m("^a-b$", "au{2d}b"));
        assert!(!m("^a-b$", "a-bc"));
        assert!(m(r"^a\.b", "a.bc"));
        assert!(!m(r"^a\.b", "axb"));
        assert!(m("^(x-y|z)$", "x-y"));
        assert!(!m("^(x-y|z)$", "x-yz"));
        assert!(m(r"^\S*$", "a\u{a0}b"));
        assert!(!m(r"^\S*$", "a b"));
    }

    /// Any pattern gives a translation or an error, never a panic.
    #[test]
    fn arbitrary_patterns_do_not_panic() {
        let atoms = [
            "a", "é", "\\", "[", "]", "(", ")", "?", "*", "+", "{", "}", ",", "1", "^", "$", "|",
            ":", "<", ">", "=", "!", "-", "&", "~", "P", "p", "u", "x", "b", "d", "s", "w", ".",
            "λ", "🙂",
        ];
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut p = String::new();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 9) as usize;
            let mut y = x;
            for _ in 0..len {
                p.push_str(atoms[(y % atoms.len() as u64) as usize]);
                y /= atoms.len() as u64;
                if y == 0 {
                    y = x.rotate_left(11);
                }
            }
            if let Ok(t) = translate(&p) {
                assert!(regex::Regex::new(&t).is_ok(), "{p} => {t}");
            }
        }
    }

    #[test]
    fn go_rejects() {
        let e = |p: &str| translate(p).unwrap_err();
        assert_eq!(
            e("(?=x)"),
            "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"
        );
        assert_eq!(
            e("(?<=x)y"),
            "error parsing regexp: invalid named capture: `(?<=x)y`"
        );
        assert_eq!(e("a("), "error parsing regexp: missing closing ): `a(`");
        assert_eq!(
            e(r"\1"),
            "error parsing regexp: invalid escape sequence: `\\1`"
        );
        assert_eq!(
            e("a{1001}"),
            "error parsing regexp: invalid repeat count: `{1001}`"
        );
        assert!(translate("a{1000}").is_ok());
        assert!(translate(r"\u0041").is_err());
        assert!(translate("(?x)a").is_err());
    }
}
