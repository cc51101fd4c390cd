//! Parse tree of a template, shaped like Go's `text/template/parse` nodes.
//!
//! Every node keeps its byte offset (`pos`) into the source text of the tree it
//! belongs to, so execution errors can report `name:line:col` exactly as Go does.
//! `Display` prints a node back the way Go's `Node.String()` does; error
//! messages quote nodes in that form (`at <.Values.x>`).

use std::sync::{Arc, OnceLock};

use smallvec::SmallVec;

use crate::value::Str;

/// Byte offset into the template source.
pub type Pos = usize;

/// One parsed template: a file's top-level text or one `define` block.
#[derive(Debug, Clone)]
pub struct Tree {
    /// The template's name (`define "name"` or the file name).
    pub name: Str,
    /// Name of the top-level template this tree was parsed from (used in error locations).
    pub parse_name: Str,
    /// The full source text the positions refer to.
    pub text: Arc<str>,
    pub root: ListNode,
}

impl Tree {
    /// Go's `Tree.ErrorContext`: `parse_name:line:col` (col is a 0-based byte offset).
    pub fn location(&self, pos: Pos) -> String {
        let pos = pos.min(self.text.len());
        let before = &self.text.as_bytes()[..pos];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let col = match before.iter().rposition(|&b| b == b'\n') {
            Some(nl) => pos - (nl + 1),
            None => pos,
        };
        format!("{}:{}:{}", self.parse_name, line, col)
    }
}

/// The large variants are boxed: every node of a list takes the size of the
/// largest inline variant, and text nodes, about half of all nodes, are small.
#[derive(Debug, Clone)]
pub enum Node {
    Text(TextNode),
    Action(Box<ActionNode>),
    Comment(CommentNode),
    If(Box<BranchNode>),
    Range(Box<BranchNode>),
    With(Box<BranchNode>),
    Template(Box<TemplateNode>),
    Break(BreakNode),
    Continue(ContinueNode),
    List(ListNode),
}

impl Node {
    pub fn pos(&self) -> Pos {
        match self {
            Node::Text(n) => n.pos,
            Node::Action(n) => n.pos,
            Node::Comment(n) => n.pos,
            Node::If(n) | Node::Range(n) | Node::With(n) => n.pos,
            Node::Template(n) => n.pos,
            Node::Break(n) => n.pos,
            Node::Continue(n) => n.pos,
            Node::List(n) => n.pos,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ListNode {
    pub pos: Pos,
    /// Exact size, never grown once parsed.
    pub nodes: Box<[Node]>,
}

#[derive(Debug, Clone)]
pub struct TextNode {
    pub pos: Pos,
    pub text: SrcStr,
    /// The bytes to write when the text is not UTF-8 (the source was given
    /// with its invalid bytes marked, see [`crate::gostr::marked`]). Rare:
    /// boxed twice to keep the node small.
    pub raw: Option<Box<Box<[u8]>>>,
}

/// A piece of a tree's source text, sharing the source rather than copying
/// it (text nodes hold most of a template's bytes). Derefs to the text;
/// `Debug` prints it as a string.
#[derive(Clone)]
pub struct SrcStr {
    src: Arc<str>,
    start: u32,
    /// `u32::MAX`: `src` is the text itself (a piece too far into, or too
    /// long for, 32-bit offsets).
    len: u32,
}

impl SrcStr {
    /// `piece` of `text`, where `src` holds the same text as `text`:
    /// shared when `piece` is a subslice of `text`, else copied.
    pub fn new(src: &Arc<str>, text: &str, piece: &str) -> SrcStr {
        let offset = (piece.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        let end = offset.wrapping_add(piece.len());
        // Positions alone (no byte comparison): the caller vouches that
        // `src` and `text` hold the same text.
        let shared = offset <= end && src.len() == text.len() && src.get(offset..end).is_some();
        debug_assert!(!shared || src.get(offset..end) == Some(piece));
        match (u32::try_from(offset), u32::try_from(piece.len())) {
            (Ok(start), Ok(len)) if shared && len != u32::MAX => SrcStr {
                src: src.clone(),
                start,
                len,
            },
            _ => SrcStr::from(piece),
        }
    }

    pub fn as_str(&self) -> &str {
        if self.len == u32::MAX {
            return &self.src;
        }
        let start = self.start as usize;
        self.src
            .get(start..start + self.len as usize)
            .unwrap_or_default()
    }
}

impl From<&str> for SrcStr {
    fn from(s: &str) -> SrcStr {
        SrcStr {
            src: s.into(),
            start: 0,
            len: u32::MAX,
        }
    }
}

impl std::ops::Deref for SrcStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for SrcStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

#[derive(Debug, Clone)]
pub struct CommentNode {
    pub pos: Pos,
    /// The comment including its `/*` `*/` delimiters.
    pub text: Str,
}

#[derive(Debug, Clone)]
pub struct ActionNode {
    pub pos: Pos,
    pub line: usize,
    pub pipe: PipeNode,
}

#[derive(Debug, Clone)]
pub struct BreakNode {
    pub pos: Pos,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct ContinueNode {
    pub pos: Pos,
    pub line: usize,
}

/// `if`, `range` and `with` share this shape.
#[derive(Debug, Clone)]
pub struct BranchNode {
    pub pos: Pos,
    pub line: usize,
    pub pipe: PipeNode,
    pub list: BranchList,
    pub else_list: Option<BranchList>,
}

/// The list of an `if`, `range` or `with`, or its `else` list. Trees
/// decoded from their compact form ([`crate::compiled`]) leave a larger list
/// encoded until it is first needed: charts gate whole features behind
/// branches a render does not take, and those held half of what a large
/// chart's templates decoded into.
#[derive(Clone)]
pub struct BranchList {
    decoded: OnceLock<ListNode>,
    deferred: Option<crate::compiled::Deferred>,
}

impl BranchList {
    /// A list whose decoding waits for its first use.
    pub(crate) fn deferred(deferred: crate::compiled::Deferred) -> BranchList {
        BranchList {
            decoded: OnceLock::new(),
            deferred: Some(deferred),
        }
    }

    /// The list, decoded now if it was not yet. `None` only when its
    /// encoding is damaged, which decoding the whole encoding would have
    /// found: the encodings a program decodes are its own (prepared when it
    /// was built, or kept under a checksum), so that is a defect, which
    /// execution reports as an error.
    pub fn get(&self) -> Option<&ListNode> {
        if let Some(list) = self.decoded.get() {
            return Some(list);
        }
        let list = self.deferred.as_ref()?.decode()?;
        // Two threads may decode it at once; both get the first one kept.
        Some(self.decoded.get_or_init(|| list))
    }

    /// Whether the list is still encoded.
    pub fn is_deferred(&self) -> bool {
        self.decoded.get().is_none()
    }
}

impl From<ListNode> for BranchList {
    fn from(list: ListNode) -> BranchList {
        BranchList {
            decoded: OnceLock::from(list),
            deferred: None,
        }
    }
}

/// Printed as the list it holds (decoded for the purpose).
impl std::fmt::Debug for BranchList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.get() {
            Some(list) => std::fmt::Debug::fmt(list, f),
            None => f.write_str("<damaged>"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct TemplateNode {
    pub pos: Pos,
    pub line: usize,
    /// The name of the invoked template (unquoted).
    pub name: Str,
    pub pipe: Option<PipeNode>,
}

/// A pipeline with optional variable declarations: `$x := a | b c`.
#[derive(Debug, Clone)]
pub struct PipeNode {
    pub pos: Pos,
    pub line: usize,
    /// `=` rather than `:=`.
    pub is_assign: bool,
    /// Pipelines declare at most two variables, mostly none (`parse_loop
    /// --stats` measures it): no allocation for none.
    pub decl: Box<[VariableNode]>,
    /// Most pipelines have one command.
    pub cmds: SmallVec<[CommandNode; 1]>,
}

/// One command of a pipeline: a function call, field access, or operand.
#[derive(Debug, Clone)]
pub struct CommandNode {
    pub pos: Pos,
    pub args: Args,
}

/// A command's arguments: a single one (half of all commands) inline, more
/// in one exact-size allocation. Derefs to the slice; `Debug` prints it as
/// one.
#[derive(Clone)]
pub struct Args(ArgsRepr);

#[derive(Clone)]
enum ArgsRepr {
    One(Arg),
    Many(Box<[Arg]>),
}

impl std::ops::Deref for Args {
    type Target = [Arg];
    fn deref(&self) -> &[Arg] {
        match &self.0 {
            ArgsRepr::One(a) => std::slice::from_ref(a),
            ArgsRepr::Many(v) => v,
        }
    }
}

impl From<Arg> for Args {
    fn from(a: Arg) -> Args {
        Args(ArgsRepr::One(a))
    }
}

impl From<Vec<Arg>> for Args {
    fn from(mut v: Vec<Arg>) -> Args {
        if v.len() == 1 {
            if let Some(a) = v.pop() {
                return Args(ArgsRepr::One(a));
            }
        }
        Args(ArgsRepr::Many(v.into_boxed_slice()))
    }
}

impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// An operand or the first word of a command.
#[derive(Debug, Clone)]
pub enum Arg {
    Field(FieldNode),
    Chain(ChainNode),
    Identifier(IdentifierNode),
    Pipe(Box<PipeNode>),
    Variable(VariableNode),
    Bool(BoolNode),
    Dot(Pos),
    Nil(Pos),
    Number(Box<NumberNode>),
    String(StringNode),
}

impl Arg {
    pub fn pos(&self) -> Pos {
        match self {
            Arg::Field(n) => n.pos,
            Arg::Chain(n) => n.pos,
            Arg::Identifier(n) => n.pos,
            Arg::Pipe(n) => n.pos,
            Arg::Variable(n) => n.pos,
            Arg::Bool(n) => n.pos,
            Arg::Dot(p) | Arg::Nil(p) => *p,
            Arg::Number(n) => n.pos,
            Arg::String(n) => n.pos,
        }
    }
}

/// The names of a field or variable chain. The parser shares one per
/// distinct chain in a template text (`.Values.image.tag` recurs).
pub type Names = Arc<[Str]>;

/// `.A.B.C`: `ident` holds `["A", "B", "C"]`.
#[derive(Debug, Clone)]
pub struct FieldNode {
    pub pos: Pos,
    pub ident: Names,
}

/// `$x.A.B`: `ident` holds `["$x", "A", "B"]`.
#[derive(Debug, Clone)]
pub struct VariableNode {
    pub pos: Pos,
    pub ident: Names,
}

/// `(pipeline).A.B` or `$x.A` style chains on a non-field operand.
#[derive(Debug, Clone)]
pub struct ChainNode {
    pub pos: Pos,
    pub node: Box<Arg>,
    pub field: Names,
}

#[derive(Debug, Clone)]
pub struct IdentifierNode {
    pub pos: Pos,
    pub ident: Str,
}

#[derive(Debug, Clone)]
pub struct BoolNode {
    pub pos: Pos,
    pub value: bool,
}

/// A number literal with every interpretation Go's parser found valid.
#[derive(Debug, Clone, Default)]
pub struct NumberNode {
    pub pos: Pos,
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int64: i64,
    pub uint64: u64,
    pub float64: f64,
    /// (real, imaginary)
    pub complex128: (f64, f64),
    /// The original text, as written.
    pub text: Str,
}

#[derive(Clone)]
pub struct StringNode {
    pub pos: Pos,
    /// The original text including quotes.
    pub quoted: Str,
    /// The Go string value: its bytes may be invalid UTF-8 (`"\xff"`).
    pub value: crate::value::Value,
}

impl StringNode {
    /// The unquoted string (its rune view, if it is not UTF-8): derived from
    /// the value rather than stored, as every argument takes the size of
    /// the largest kind.
    pub fn text(&self) -> &str {
        self.value.as_str().unwrap_or_default()
    }
}

impl std::fmt::Debug for StringNode {
    /// As derived when the text was a field.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StringNode")
            .field("pos", &self.pos)
            .field("quoted", &self.quoted)
            .field("text", &self.text())
            .field("value", &self.value)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lists hold nodes and commands hold arguments inline: these sizes set
    /// the memory a parsed tree takes.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn node_sizes() {
        use std::mem::size_of;
        assert_eq!(size_of::<Node>(), 48);
        assert_eq!(size_of::<TextNode>(), 40);
        assert_eq!(size_of::<Arg>(), 48);
        assert_eq!(size_of::<CommandNode>(), 56);
        assert_eq!(size_of::<PipeNode>(), 104);
    }

    #[test]
    fn src_str_shares_subslices_and_copies_the_rest() {
        let text = "héllo {{x}} wörld";
        let src: Arc<str> = text.into();
        let piece = &text[7..12];
        let s = SrcStr::new(&src, text, piece);
        assert_eq!(&*s, "{{x}}");
        assert_eq!(Arc::strong_count(&src), 2);
        assert_eq!(format!("{s:?}"), "\"{{x}}\"");
        // Not part of `text`: a copy.
        let other = String::from("{{x}}");
        let c = SrcStr::new(&src, text, &other);
        assert_eq!(&*c, "{{x}}");
        assert_eq!(Arc::strong_count(&src), 2);
        assert_eq!(&*SrcStr::new(&src, text, ""), "");
        assert_eq!(&*SrcStr::from("ö"), "ö");
    }
}
