//! Parse tree of a template, shaped like Go's `text/template/parse` nodes.
//!
//! Every node keeps its byte offset (`pos`) into the source text of the tree it
//! belongs to, so execution errors can report `name:line:col` exactly as Go does.
//! `Display` prints a node back the way Go's `Node.String()` does; error
//! messages quote nodes in that form (`at <.Values.x>`).

use std::sync::Arc;

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

#[derive(Debug, Clone)]
pub enum Node {
    Text(TextNode),
    Action(ActionNode),
    Comment(CommentNode),
    If(BranchNode),
    Range(BranchNode),
    With(BranchNode),
    Template(TemplateNode),
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
    pub nodes: Vec<Node>,
}

#[derive(Debug, Clone)]
pub struct TextNode {
    pub pos: Pos,
    pub text: Str,
    /// The bytes to write when the text is not UTF-8 (the source was given
    /// with its invalid bytes marked, see [`crate::gostr::marked`]).
    pub raw: Option<Arc<[u8]>>,
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
    pub list: ListNode,
    pub else_list: Option<ListNode>,
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
    /// Inline: pipelines declare at most two variables, mostly none or one
    /// (`parse_loop --stats` measures it).
    pub decl: SmallVec<[VariableNode; 1]>,
    /// Most pipelines have one command.
    pub cmds: SmallVec<[CommandNode; 1]>,
}

/// One command of a pipeline: a function call, field access, or operand.
#[derive(Debug, Clone)]
pub struct CommandNode {
    pub pos: Pos,
    pub args: Vec<Arg>,
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

#[derive(Debug, Clone)]
pub struct StringNode {
    pub pos: Pos,
    /// The original text including quotes.
    pub quoted: Str,
    /// The unquoted string (its rune view, if it is not UTF-8).
    pub text: Str,
    /// The Go string value: its bytes may be invalid UTF-8 (`"\xff"`).
    pub value: crate::value::Value,
}
