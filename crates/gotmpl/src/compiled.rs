//! Parse trees in a compact binary form, for templates parsed ahead of time
//! (a program that embeds templates can parse them when it is built and
//! decode them at run time, which costs a fraction of parsing).
//!
//! [`encode`] writes the trees one text parsed into; [`decode`] gives back
//! the same trees (same nodes, positions, lines and names) for the same text
//! (but for an action that prints a lone literal, which comes back as the
//! text it prints: see [`decoded_form`]),
//! or `None` when the encoding does not fit: a corrupt or foreign encoding, a
//! text that does not hold what it was encoded from, or a function set under
//! which the text would not parse the same way (a function it calls is
//! missing, or `break`/`continue` changed from keyword to function). The
//! caller then parses the text, which also gives the error parsing would.
//!
//! Decoding leaves the larger lists of `if`, `range` and `with` encoded
//! until they are first needed ([`BranchList`]): the trees keep their
//! encoding ([`Encoded`]) for that. A damaged list found then makes the
//! execution that needs it fail with an error.
//!
//! Decoding never panics and never recurses without bound: trees nested
//! deeper than [`MAX_DEPTH`] are not encoded.

use std::borrow::Borrow;
use std::ops::{Deref, DerefMut, Range};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::ast::{
    ActionNode, Arg, Args, BoolNode, BranchList, BranchNode, BreakNode, ChainNode, CommandNode,
    CommentNode, ContinueNode, FieldNode, IdentifierNode, ListNode, Names, Node, NumberNode,
    PipeNode, SrcStr, StringNode, TemplateNode, TextNode, Tree, VariableNode,
};
use crate::value::{Str, Value};

const MAGIC: &[u8; 6] = b"CGTPL\x03";

/// Deepest nesting of lists and pipelines that is encoded. Real templates
/// nest a few levels; the parser allows thousands, which are parsed instead.
pub const MAX_DEPTH: usize = 200;

/// Branch lists whose encoding takes at least this many bytes are decoded
/// when first needed (see [`BranchList`]); smaller ones cost less to decode
/// at once than to defer.
const DEFER_MIN_BYTES: usize = 16;

const KEYWORD_BREAK: u8 = 1;
const KEYWORD_CONTINUE: u8 = 2;

/// Encodes the trees `parse_name`'s text parsed into under `is_func` (whose
/// answers for `break` and `continue` are recorded). `None` when a tree
/// nests deeper than [`MAX_DEPTH`] or does not refer to one source text.
pub fn encode<T: Borrow<Tree>>(
    trees: &[T],
    parse_name: &str,
    is_func: &dyn Fn(&str) -> bool,
) -> Option<Vec<u8>> {
    let text = trees.first().map(|t| t.borrow().text.clone());
    let mut body = Encoder {
        text: text.clone(),
        ..Encoder::default()
    };
    body.varint(trees.len() as u64);
    for tree in trees {
        let tree = tree.borrow();
        if tree.parse_name.as_ref() != parse_name
            || !text.as_ref().is_some_and(|t| Arc::ptr_eq(t, &tree.text))
        {
            return None;
        }
        if tree.name.as_ref() == parse_name {
            body.varint(0);
        } else {
            let i = body.str_index(&tree.name);
            body.varint(i + 1);
        }
        body.list(&tree.root, 0)?;
    }
    let mut out = MAGIC.to_vec();
    let mut flags = 0;
    if is_func("break") {
        flags |= KEYWORD_BREAK;
    }
    if is_func("continue") {
        flags |= KEYWORD_CONTINUE;
    }
    out.push(flags);
    let mut head = Encoder::default();
    let text_bytes = text.as_ref().map_or(&[][..], |t| t.as_bytes());
    head.varint(text_bytes.len() as u64);
    head.out
        .extend_from_slice(&text_hash(text_bytes).to_le_bytes());
    // The strings' bytes together (checked as UTF-8 at once), then their lengths.
    let all: String = body.str_list.iter().map(|s| &**s).collect();
    head.bytes(all.as_bytes());
    head.varint(body.str_list.len() as u64);
    for s in &body.str_list {
        head.varint(s.len() as u64);
    }
    head.varint(body.name_list.len() as u64);
    for names in &body.name_list {
        head.varint(names.len() as u64);
        for &i in names {
            head.varint(i);
        }
    }
    body.funcs.sort_unstable();
    body.funcs.dedup();
    head.varint(body.funcs.len() as u64);
    for &i in &body.funcs {
        head.varint(i);
    }
    out.extend_from_slice(&head.out);
    out.extend_from_slice(&body.out);
    Some(out)
}

/// Where in the source the string an action prints lies, when the action
/// is a lone literal whose value is its source between the quotes
/// (`{{ `...` }}`, how generated dashboards embed their JSON), and not
/// blank. Such an action prints what a text of that piece prints, and is
/// decoded as one: no copies of the string, no nodes for the pipeline. (Go's
/// `IsEmptyTree` tells blank text from an action, hence not blank.)
fn lone_literal(a: &ActionNode, text: &str) -> Option<(usize, usize)> {
    let p = &a.pipe;
    let [cmd] = &p.cmds[..] else { return None };
    let [Arg::String(s)] = &cmd.args[..] else {
        return None;
    };
    let Value::String(v) = &s.value else {
        return None;
    };
    if !p.decl.is_empty() || v.trim().is_empty() || v.as_bytes().contains(&0xF4) {
        return None;
    }
    let quoted = text.get(s.pos..s.pos.checked_add(s.quoted.len())?)?;
    let inner = quoted.get(1..quoted.len().checked_sub(1)?)?;
    (quoted == &*s.quoted && inner == &**v).then_some((s.pos + 1, v.len()))
}

/// The tree [`decode`] gives back for a parsed `tree`: the same, but for
/// lone literal actions, which come back as the text they print. (For
/// tests that compare decoded trees with parsed ones.)
pub fn decoded_form(tree: &Tree) -> Tree {
    fn list(l: &ListNode, text: &Arc<str>) -> ListNode {
        let branch = |b: &BranchList| match b.get() {
            Some(l) => BranchList::from(list(l, text)),
            None => b.clone(),
        };
        let nodes = l.nodes.iter().map(|node| match node {
            Node::Action(a) => match lone_literal(a, text) {
                Some((start, len)) => Node::Text(TextNode {
                    pos: a.pos,
                    text: SrcStr::new(text, text, &text[start..start + len]),
                    raw: None,
                }),
                None => node.clone(),
            },
            Node::If(b) | Node::Range(b) | Node::With(b) => {
                let mut b = b.clone();
                b.list = branch(&b.list);
                b.else_list = b.else_list.as_ref().map(branch);
                match node {
                    Node::If(_) => Node::If(b),
                    Node::Range(_) => Node::Range(b),
                    _ => Node::With(b),
                }
            }
            Node::List(inner) => Node::List(list(inner, text)),
            other => other.clone(),
        });
        ListNode {
            pos: l.pos,
            nodes: nodes.collect(),
        }
    }
    Tree {
        root: list(&tree.root, &tree.text),
        ..tree.clone()
    }
}

/// A fingerprint of the source text, so that trees are never decoded for a
/// text other than theirs. Word at a time: a small fraction of decoding.
fn text_hash(text: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut chunks = text.chunks_exact(8);
    let mut h = text.len() as u64;
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().unwrap_or_default());
        h = (h ^ w).wrapping_mul(K).rotate_left(31);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(K).rotate_left(31);
    }
    h ^ (h >> 29)
}

#[derive(Default)]
struct Encoder {
    out: Vec<u8>,
    text: Option<Arc<str>>,
    strs: FxHashMap<Str, u64>,
    str_list: Vec<Str>,
    names: FxHashMap<Vec<u64>, u64>,
    name_list: Vec<Vec<u64>>,
    /// Indices of the strings used as identifiers (function names).
    funcs: Vec<u64>,
}

impl Encoder {
    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.varint(b.len() as u64);
        self.out.extend_from_slice(b);
    }

    fn str_index(&mut self, s: &Str) -> u64 {
        if let Some(&i) = self.strs.get(s) {
            return i;
        }
        let i = self.str_list.len() as u64;
        self.strs.insert(s.clone(), i);
        self.str_list.push(s.clone());
        i
    }

    fn str(&mut self, s: &Str) {
        let i = self.str_index(s);
        self.varint(i);
    }

    fn names(&mut self, names: &Names) {
        let key: Vec<u64> = names.iter().map(|s| self.str_index(s)).collect();
        let next = self.name_list.len() as u64;
        let i = *self.names.entry(key.clone()).or_insert(next);
        if i == next {
            self.name_list.push(key);
        }
        self.varint(i);
    }

    fn list(&mut self, list: &ListNode, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.varint(list.pos as u64);
        self.varint(list.nodes.len() as u64);
        for node in list.nodes.iter() {
            self.node(node, depth)?;
        }
        Some(())
    }

    /// A branch's list, after its length in bytes (so that decoding can
    /// leave it for later).
    fn branch_list(&mut self, list: &BranchList, depth: usize) -> Option<()> {
        let start = self.out.len();
        self.list(list.get()?, depth)?;
        let body = self.out.split_off(start);
        self.varint(body.len() as u64);
        self.out.extend_from_slice(&body);
        Some(())
    }

    fn node(&mut self, node: &Node, depth: usize) -> Option<()> {
        match node {
            Node::Text(t) => {
                let text = self.text.as_ref()?;
                let offset = (t.text.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
                // Texts are pieces of the source; a copy would be a parser change.
                text.get(offset..offset.checked_add(t.text.len())?)?;
                self.out.push(if t.raw.is_some() { 1 } else { 0 });
                self.varint(t.pos as u64);
                self.varint(offset as u64);
                self.varint(t.text.len() as u64);
            }
            Node::Action(a) if self.lone_literal(a).is_some() => {
                let (offset, len) = self.lone_literal(a)?;
                self.out.push(11);
                self.varint(a.pos as u64);
                self.varint(offset as u64);
                self.varint(len as u64);
            }
            Node::Action(a) => {
                self.out.push(2);
                self.varint(a.pos as u64);
                self.varint(a.line as u64);
                self.pipe(&a.pipe, depth + 1)?;
            }
            Node::Comment(c) => {
                self.out.push(3);
                self.varint(c.pos as u64);
                self.str(&c.text);
            }
            Node::If(b) | Node::Range(b) | Node::With(b) => {
                self.out.push(match node {
                    Node::If(_) => 4,
                    Node::Range(_) => 5,
                    _ => 6,
                });
                self.varint(b.pos as u64);
                self.varint(b.line as u64);
                self.pipe(&b.pipe, depth + 1)?;
                self.branch_list(&b.list, depth + 1)?;
                match &b.else_list {
                    Some(l) => {
                        self.out.push(1);
                        self.branch_list(l, depth + 1)?;
                    }
                    None => self.out.push(0),
                }
            }
            Node::Template(t) => {
                self.out.push(7);
                self.varint(t.pos as u64);
                self.varint(t.line as u64);
                self.str(&t.name);
                match &t.pipe {
                    Some(p) => {
                        self.out.push(1);
                        self.pipe(p, depth + 1)?;
                    }
                    None => self.out.push(0),
                }
            }
            Node::Break(b) => {
                self.out.push(8);
                self.varint(b.pos as u64);
                self.varint(b.line as u64);
            }
            Node::Continue(c) => {
                self.out.push(9);
                self.varint(c.pos as u64);
                self.varint(c.line as u64);
            }
            Node::List(l) => {
                self.out.push(10);
                self.list(l, depth + 1)?;
            }
        }
        Some(())
    }

    fn lone_literal(&self, a: &ActionNode) -> Option<(usize, usize)> {
        lone_literal(a, self.text.as_deref()?)
    }

    fn pipe(&mut self, p: &PipeNode, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.varint(p.pos as u64);
        self.varint(p.line as u64);
        self.out.push(p.is_assign as u8);
        self.varint(p.decl.len() as u64);
        for v in p.decl.iter() {
            self.varint(v.pos as u64);
            self.names(&v.ident);
        }
        self.varint(p.cmds.len() as u64);
        for c in &p.cmds {
            self.varint(c.pos as u64);
            self.varint(c.args.len() as u64);
            for a in c.args.iter() {
                self.arg(a, depth + 1)?;
            }
        }
        Some(())
    }

    fn arg(&mut self, a: &Arg, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match a {
            Arg::Field(f) => {
                self.out.push(0);
                self.varint(f.pos as u64);
                self.names(&f.ident);
            }
            Arg::Chain(c) => {
                self.out.push(1);
                self.varint(c.pos as u64);
                self.arg(&c.node, depth + 1)?;
                self.names(&c.field);
            }
            Arg::Identifier(i) => {
                self.out.push(2);
                self.varint(i.pos as u64);
                let k = self.str_index(&i.ident);
                self.funcs.push(k);
                self.varint(k);
            }
            Arg::Pipe(p) => {
                self.out.push(3);
                self.pipe(p, depth + 1)?;
            }
            Arg::Variable(v) => {
                self.out.push(4);
                self.varint(v.pos as u64);
                self.names(&v.ident);
            }
            Arg::Bool(b) => {
                self.out.push(if b.value { 6 } else { 5 });
                self.varint(b.pos as u64);
            }
            Arg::Dot(pos) => {
                self.out.push(7);
                self.varint(*pos as u64);
            }
            Arg::Nil(pos) => {
                self.out.push(8);
                self.varint(*pos as u64);
            }
            Arg::Number(n) => {
                self.out.push(9);
                self.varint(n.pos as u64);
                let kinds = n.is_int as u8
                    | (n.is_uint as u8) << 1
                    | (n.is_float as u8) << 2
                    | (n.is_complex as u8) << 3;
                self.out.push(kinds);
                self.out.extend_from_slice(&n.int64.to_le_bytes());
                self.out.extend_from_slice(&n.uint64.to_le_bytes());
                self.out
                    .extend_from_slice(&n.float64.to_bits().to_le_bytes());
                self.out
                    .extend_from_slice(&n.complex128.0.to_bits().to_le_bytes());
                self.out
                    .extend_from_slice(&n.complex128.1.to_bits().to_le_bytes());
                self.str(&n.text);
            }
            Arg::String(s) => match &s.value {
                Value::String(v) => {
                    self.out.push(10);
                    self.varint(s.pos as u64);
                    self.str(&s.quoted);
                    self.str(v);
                }
                Value::Bytes(b) => {
                    self.out.push(11);
                    self.varint(s.pos as u64);
                    self.str(&s.quoted);
                    self.bytes(b.as_bytes());
                }
                _ => return None,
            },
        }
        Some(())
    }
}

/// Encoded trees, where the trees decoded from them find them again: they
/// keep them, to decode their deferred lists (see [`BranchList`]).
#[derive(Clone, Debug)]
pub enum Encoded {
    /// Prepared when the program was built.
    Static(&'static [u8]),
    /// A range of a shared buffer (for example a blob of stored trees).
    Shared(Arc<[u8]>, Range<usize>),
}

impl Encoded {
    pub fn bytes(&self) -> &[u8] {
        match self {
            Encoded::Static(bytes) => bytes,
            Encoded::Shared(all, range) => all.get(range.clone()).unwrap_or_default(),
        }
    }
}

impl From<&'static [u8]> for Encoded {
    fn from(bytes: &'static [u8]) -> Encoded {
        Encoded::Static(bytes)
    }
}

impl From<Vec<u8>> for Encoded {
    fn from(bytes: Vec<u8>) -> Encoded {
        let len = bytes.len();
        Encoded::Shared(bytes.into(), 0..len)
    }
}

/// What the lists of one encoding decode from: the bytes, and the tables
/// their numbers refer to.
struct FileCode {
    encoded: Encoded,
    text: Arc<str>,
    strs: Vec<Str>,
    names: Vec<Names>,
}

/// A branch list left encoded: where it is, and how deep it sits.
#[derive(Clone)]
pub(crate) struct Deferred {
    file: Arc<FileCode>,
    start: usize,
    end: usize,
    depth: usize,
}

impl Deferred {
    pub(crate) fn decode(&self) -> Option<ListNode> {
        let bytes = self.file.encoded.bytes().get(self.start..self.end)?;
        let mut d = Decoder {
            r: Reader { rest: bytes },
            file: &self.file,
        };
        let list = d.list(self.depth)?;
        d.rest.is_empty().then_some(list)
    }
}

/// The trees `encoded` holds for `parse_name`'s `text` (see the module
/// documentation for when there are none). Larger branch lists are decoded
/// when first needed ([`BranchList::get`]); what is decoded now is checked
/// to hold only strings, names and functions the encoding declares.
pub fn decode(
    encoded: impl Into<Encoded>,
    parse_name: &str,
    text: &Arc<str>,
    is_func: &dyn Fn(&str) -> bool,
) -> Option<Vec<Tree>> {
    let encoded = encoded.into();
    let (strs, names, body_at) = decode_head(encoded.bytes(), text, is_func)?;
    let file = Arc::new(FileCode {
        encoded,
        text: text.clone(),
        strs,
        names,
    });
    let mut d = Decoder {
        r: Reader {
            rest: file.encoded.bytes().get(body_at..)?,
        },
        file: &file,
    };
    let parse_name: Str = parse_name.into();
    let n = d.count()?;
    let mut trees = Vec::with_capacity(n);
    for _ in 0..n {
        let name = match d.usize()? {
            0 => parse_name.clone(),
            i => d.file.strs.get(i - 1)?.clone(),
        };
        let root = d.list(0)?;
        trees.push(Tree {
            name,
            parse_name: parse_name.clone(),
            text: text.clone(),
            root,
        });
    }
    d.rest.is_empty().then_some(trees)
}

/// Reads what precedes the trees: checks the keywords, the text and the
/// functions; gives the string and name tables and where the trees start.
fn decode_head(
    encoded: &[u8],
    text: &str,
    is_func: &dyn Fn(&str) -> bool,
) -> Option<(Vec<Str>, Vec<Names>, usize)> {
    let rest = encoded.strip_prefix(MAGIC)?;
    let (&flags, rest) = rest.split_first()?;
    if (flags & KEYWORD_BREAK != 0) != is_func("break")
        || (flags & KEYWORD_CONTINUE != 0) != is_func("continue")
    {
        return None;
    }
    let mut r = Reader { rest };
    if r.usize()? != text.len() || r.u64_le()? != text_hash(text.as_bytes()) {
        return None;
    }
    let all = std::str::from_utf8(r.bytes()?).ok()?;
    let n = r.count()?;
    let mut strs = Vec::with_capacity(n);
    let mut start = 0usize;
    for _ in 0..n {
        let end = start.checked_add(r.usize()?)?;
        strs.push(Str::from(all.get(start..end)?));
        start = end;
    }
    let n = r.count()?;
    let mut names = Vec::with_capacity(n);
    for _ in 0..n {
        let len = r.count()?;
        let mut list: SmallVec<[Str; 4]> = SmallVec::with_capacity(len);
        for _ in 0..len {
            list.push(strs.get(r.usize()?)?.clone());
        }
        names.push(Arc::from(&list[..]));
    }
    for _ in 0..r.count()? {
        if !is_func(strs.get(r.usize()?)?) {
            return None;
        }
    }
    Some((strs, names, encoded.len() - r.rest.len()))
}

/// Reads the numbers and byte strings an encoding is made of.
struct Reader<'a> {
    rest: &'a [u8],
}

struct Decoder<'a> {
    r: Reader<'a>,
    file: &'a Arc<FileCode>,
}

impl<'a> Deref for Decoder<'a> {
    type Target = Reader<'a>;
    fn deref(&self) -> &Reader<'a> {
        &self.r
    }
}

impl DerefMut for Decoder<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.r
    }
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(b)
    }

    /// Most numbers (positions, indexes, counts) take one or two bytes.
    #[inline]
    fn varint(&mut self) -> Option<u64> {
        match *self.rest {
            [b, ref rest @ ..] if b < 0x80 => {
                self.rest = rest;
                Some(u64::from(b))
            }
            [b0, b1, ref rest @ ..] if b1 < 0x80 => {
                self.rest = rest;
                Some(u64::from(b0 & 0x7f) | u64::from(b1) << 7)
            }
            _ => self.varint_long(),
        }
    }

    fn varint_long(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    /// A number of items that follow, each taking at least a byte: bounded
    /// by what is left, so a corrupt count cannot reserve much.
    fn count(&mut self) -> Option<usize> {
        let n = self.usize()?;
        (n <= self.rest.len()).then_some(n)
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (b, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(b)
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.usize()?;
        self.take(n)
    }

    fn u64_le(&mut self) -> Option<u64> {
        let b = self.take(8)?;
        Some(u64::from_le_bytes(b.try_into().ok()?))
    }
}

impl<'a> Decoder<'a> {
    fn str(&mut self) -> Option<Str> {
        let i = self.usize()?;
        self.file.strs.get(i).cloned()
    }

    fn names(&mut self) -> Option<Names> {
        let i = self.usize()?;
        self.file.names.get(i).cloned()
    }

    /// A branch's list: decoded now when it is small, else left for
    /// [`BranchList::get`].
    fn branch_list(&mut self, depth: usize) -> Option<BranchList> {
        if depth > MAX_DEPTH {
            return None;
        }
        let len = self.usize()?;
        let body = self.take(len)?;
        if len < DEFER_MIN_BYTES {
            let mut d = Decoder {
                r: Reader { rest: body },
                file: self.file,
            };
            let list = d.list(depth)?;
            return d.rest.is_empty().then(|| list.into());
        }
        let start =
            (body.as_ptr() as usize).checked_sub(self.file.encoded.bytes().as_ptr() as usize)?;
        Some(BranchList::deferred(Deferred {
            file: self.file.clone(),
            start,
            end: start + len,
            depth,
        }))
    }

    fn list(&mut self, depth: usize) -> Option<ListNode> {
        if depth > MAX_DEPTH {
            return None;
        }
        let pos = self.usize()?;
        let n = self.count()?;
        let mut nodes = Vec::with_capacity(n);
        for _ in 0..n {
            nodes.push(self.node(depth)?);
        }
        Some(ListNode {
            pos,
            nodes: nodes.into_boxed_slice(),
        })
    }

    fn node(&mut self, depth: usize) -> Option<Node> {
        let tag = self.byte()?;
        Some(match tag {
            0 | 1 => {
                let pos = self.usize()?;
                let start = self.usize()?;
                let len = self.usize()?;
                let text = &self.file.text;
                let piece = text.get(start..start.checked_add(len)?)?;
                let raw = if tag == 1 {
                    Some(Box::new(crate::gostr::marked_bytes(piece)?.into()))
                } else {
                    None
                };
                Node::Text(TextNode {
                    pos,
                    text: SrcStr::new(text, text, piece),
                    raw,
                })
            }
            2 => Node::Action(Box::new(ActionNode {
                pos: self.usize()?,
                line: self.usize()?,
                pipe: self.pipe(depth + 1)?,
            })),
            3 => Node::Comment(CommentNode {
                pos: self.usize()?,
                text: self.str()?,
            }),
            4..=6 => {
                let branch = Box::new(BranchNode {
                    pos: self.usize()?,
                    line: self.usize()?,
                    pipe: self.pipe(depth + 1)?,
                    list: self.branch_list(depth + 1)?,
                    else_list: match self.byte()? {
                        0 => None,
                        1 => Some(self.branch_list(depth + 1)?),
                        _ => return None,
                    },
                });
                match tag {
                    4 => Node::If(branch),
                    5 => Node::Range(branch),
                    _ => Node::With(branch),
                }
            }
            7 => Node::Template(Box::new(TemplateNode {
                pos: self.usize()?,
                line: self.usize()?,
                name: self.str()?,
                pipe: match self.byte()? {
                    0 => None,
                    1 => Some(self.pipe(depth + 1)?),
                    _ => return None,
                },
            })),
            8 => Node::Break(BreakNode {
                pos: self.usize()?,
                line: self.usize()?,
            }),
            9 => Node::Continue(ContinueNode {
                pos: self.usize()?,
                line: self.usize()?,
            }),
            10 => Node::List(self.list(depth + 1)?),
            11 => {
                let pos = self.usize()?;
                let start = self.usize()?;
                let len = self.usize()?;
                let text = &self.file.text;
                let piece = text.get(start..start.checked_add(len)?)?;
                if crate::gostr::marked_bytes(piece).is_some() {
                    return None;
                }
                Node::Text(TextNode {
                    pos,
                    text: SrcStr::new(text, text, piece),
                    raw: None,
                })
            }
            _ => return None,
        })
    }

    fn pipe(&mut self, depth: usize) -> Option<PipeNode> {
        if depth > MAX_DEPTH {
            return None;
        }
        let pos = self.usize()?;
        let line = self.usize()?;
        let is_assign = match self.byte()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        let n = self.count()?;
        let mut decl = Vec::with_capacity(n);
        for _ in 0..n {
            decl.push(VariableNode {
                pos: self.usize()?,
                ident: self.names()?,
            });
        }
        let n = self.count()?;
        let mut cmds = SmallVec::with_capacity(n);
        for _ in 0..n {
            let pos = self.usize()?;
            let n = self.count()?;
            let args = if n == 1 {
                Args::from(self.arg(depth + 1)?)
            } else {
                let mut args = Vec::with_capacity(n);
                for _ in 0..n {
                    args.push(self.arg(depth + 1)?);
                }
                Args::from(args)
            };
            cmds.push(CommandNode { pos, args });
        }
        Some(PipeNode {
            pos,
            line,
            is_assign,
            decl: decl.into_boxed_slice(),
            cmds,
        })
    }

    fn arg(&mut self, depth: usize) -> Option<Arg> {
        if depth > MAX_DEPTH {
            return None;
        }
        let tag = self.byte()?;
        Some(match tag {
            0 => Arg::Field(FieldNode {
                pos: self.usize()?,
                ident: self.names()?,
            }),
            1 => Arg::Chain(ChainNode {
                pos: self.usize()?,
                node: Box::new(self.arg(depth + 1)?),
                field: self.names()?,
            }),
            2 => Arg::Identifier(IdentifierNode {
                pos: self.usize()?,
                ident: self.str()?,
            }),
            3 => Arg::Pipe(Box::new(self.pipe(depth + 1)?)),
            4 => Arg::Variable(VariableNode {
                pos: self.usize()?,
                ident: self.names()?,
            }),
            5 | 6 => Arg::Bool(BoolNode {
                pos: self.usize()?,
                value: tag == 6,
            }),
            7 => Arg::Dot(self.usize()?),
            8 => Arg::Nil(self.usize()?),
            9 => {
                let pos = self.usize()?;
                let kinds = self.byte()?;
                Arg::Number(Box::new(NumberNode {
                    pos,
                    is_int: kinds & 1 != 0,
                    is_uint: kinds & 2 != 0,
                    is_float: kinds & 4 != 0,
                    is_complex: kinds & 8 != 0,
                    int64: self.u64_le()? as i64,
                    uint64: self.u64_le()?,
                    float64: f64::from_bits(self.u64_le()?),
                    complex128: (
                        f64::from_bits(self.u64_le()?),
                        f64::from_bits(self.u64_le()?),
                    ),
                    text: self.str()?,
                }))
            }
            10 | 11 => {
                let pos = self.usize()?;
                let quoted = self.str()?;
                let value = if tag == 10 {
                    Value::String(self.str()?)
                } else {
                    match Value::from_bytes(self.bytes()?.to_vec()) {
                        v @ Value::Bytes(_) => v,
                        _ => return None,
                    }
                };
                Arg::String(StringNode { pos, quoted, value })
            }
            _ => return None,
        })
    }
}
