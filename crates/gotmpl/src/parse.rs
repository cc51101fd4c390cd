//! Parser for Go's `text/template` syntax.
//!
//! A faithful re-implementation of Go 1.25's `text/template/parse/parse.go`
//! (and the `strconv`/`fmt` conversions it relies on): the same trees, node
//! positions, line numbers and error messages.
//!
//! Go's parser is recursive descent. Here the two recursive parts, nested
//! control structures (`if`/`range`/`with`/`block`/`define` bodies) and
//! parenthesised pipelines, run on explicit heap stacks, so no input can
//! overflow the call stack. The parser state that Go keeps per `Tree` (the
//! three-token lookahead, declared variables, `range` depth, the line of the
//! current action) is kept per tree here too, because it shows up in error
//! line numbers.

use std::fmt;
use std::sync::Arc;

use crate::ast::{
    ActionNode, Arg, Args, BoolNode, BranchNode, BreakNode, ChainNode, CommandNode, CommentNode,
    ContinueNode, FieldNode, IdentifierNode, ListNode, Names, Node, NumberNode, PipeNode, SrcStr,
    StringNode, TemplateNode, TextNode, Tree, VariableNode,
};
use crate::ast_fmt::quote;
use crate::lex::{Item, ItemType, LexOptions, Lexer};
use crate::value::Str;
use rustc_hash::{FxHashMap, FxHashSet};
use smallvec::SmallVec;

/// Maximum nesting of parenthesised pipelines (Go's `maxStackDepth`).
const MAX_STACK_DEPTH: usize = 10000;

/// Maximum nesting of `if`/`range`/`with` (including `else if`/`else with`
/// chains) within one tree. Go has no such limit; it is here so that the
/// (recursive) drop, clone and execution of a parsed tree cannot overflow
/// the stack. No real template comes near it.
pub const MAX_CONTROL_DEPTH: usize = 10000;

/// A template parse error. `Display` gives exactly Go's error string,
/// `template: NAME:LINE: MESSAGE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The name of the top-level template being parsed (Go's `ParseName`).
    pub name: Str,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "template: {}:{}: {}", self.name, self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parser settings beyond Go's `parse.Parse` defaults.
#[derive(Clone, Copy, Debug, Default)]
pub struct ParseOptions<'d> {
    /// Left action delimiter; empty means `{{`.
    pub left_delim: &'d str,
    /// Right action delimiter; empty means `}}`.
    pub right_delim: &'d str,
    /// Keep comments as [`Node::Comment`] (Go's `parse.ParseComments` mode).
    pub parse_comments: bool,
    /// Do not check that functions exist (Go's `parse.SkipFuncCheck` mode).
    pub skip_func_check: bool,
}

/// Parses `text` like Go's `parse.Parse(name, text, "", "", funcs)`.
///
/// Returns the trees Go puts in its tree set: the top-level tree named `name`
/// first (absent when it is empty and a `define` of the same name is not),
/// then the `define`d and `block` templates in the order their definitions
/// end (so a block nested in another comes before it); a name redefined by
/// a later, non-empty definition keeps its first place. `is_func` tells
/// whether a function name exists (builtins included); a function named
/// `break` or `continue` turns that keyword into a plain identifier, as in Go.
pub fn parse(
    name: &str,
    text: &str,
    is_func: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, ParseError> {
    parse_with_options(name, text, ParseOptions::default(), is_func)
}

/// [`parse`] with custom delimiters or parse modes.
pub fn parse_with_options(
    name: &str,
    text: &str,
    options: ParseOptions<'_>,
    is_func: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, ParseError> {
    parse_shared(name, &Arc::from(text), options, is_func)
}

/// [`parse_with_options`] of a text the caller already shares: the trees
/// refer to it (positions index it) instead of to a copy of their own.
pub fn parse_shared(
    name: &str,
    text: &Arc<str>,
    options: ParseOptions<'_>,
    is_func: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, ParseError> {
    let name: Str = name.into();
    let mut shared = Shared::take();
    let (nodes, args) = (
        std::mem::take(&mut shared.nodes),
        std::mem::take(&mut shared.args),
    );
    let mut p = Parser {
        lex: Lexer::new(text, options.left_delim, options.right_delim),
        is_func,
        skip_func_check: options.skip_func_check,
        parse_name: name.clone(),
        text: text.clone(),
        trees: Vec::new(),
        index: FxHashMap::default(),
        t: TreeState::new(name.clone()),
        shared,
        identifiers: FxHashMap::default(),
        src: text,
        pipe_parents: Vec::new(),
        nodes,
        args,
    };
    p.lex.options = LexOptions {
        emit_comment: options.parse_comments,
        break_ok: !is_func("break"),
        continue_ok: !is_func("continue"),
    };
    let root = p.parse_root();
    let root = root.and_then(|root| p.add(name.clone(), root));
    p.shared
        .keep_stacks(std::mem::take(&mut p.nodes), std::mem::take(&mut p.args));
    SHARED.set(std::mem::take(&mut p.shared));
    root?;
    let mut trees = p.trees;
    if let Some(i) = trees.iter().position(|t| t.name == name) {
        let top = trees.remove(i);
        trees.insert(0, top);
    }
    Ok(trees)
}

/// Go's `IsEmptyTree`: whether a list holds nothing but space and comments.
pub fn is_empty_tree(list: &ListNode) -> bool {
    list.nodes.iter().all(|n| match n {
        Node::Text(t) => t.text.trim().is_empty(),
        Node::Comment(_) => true,
        Node::List(l) => is_empty_tree(l),
        _ => false,
    })
}

/// Strings and name lists shared by the trees a thread parses: templates of
/// a chart repeat the same names (`include`, `Values`, `.Values.image.tag`),
/// and each distinct one then costs one allocation per thread rather than
/// one per file. The parser takes the tables for the length of a parse.
#[derive(Default)]
struct Shared {
    strings: FxHashSet<Str>,
    /// One name list per distinct chain, by its source text without a
    /// leading `.` (`Values.image`, `$x.name`): the list is the text split
    /// at dots, so fields, variables and chains can share it.
    chains: FxHashMap<Box<str>, Names>,
    /// The parser's work stacks ([`Parser::nodes`], [`Parser::args`]),
    /// kept empty between parses so that they do not grow again each time.
    nodes: Vec<Node>,
    args: Vec<Arg>,
}

/// Work stacks larger than this many entries are not kept.
const STACK_KEEP_MAX: usize = 1 << 12;

/// Beyond this many entries a thread's tables start again empty (a bound on
/// what a long-lived thread parsing many distinct texts keeps alive).
const SHARED_MAX: usize = 1 << 15;

thread_local! {
    static SHARED: std::cell::Cell<Shared> = std::cell::Cell::new(Shared::default());
}

impl Shared {
    fn take() -> Shared {
        let shared = SHARED.take();
        if shared.strings.len() + shared.chains.len() > SHARED_MAX {
            return Shared::default();
        }
        shared
    }

    fn keep_stacks(&mut self, mut nodes: Vec<Node>, mut args: Vec<Arg>) {
        nodes.clear();
        args.clear();
        if nodes.capacity() <= STACK_KEEP_MAX {
            self.nodes = nodes;
        }
        if args.capacity() <= STACK_KEEP_MAX {
            self.args = args;
        }
    }
}

/// Parsing state Go keeps per `Tree`.
struct TreeState<'a> {
    name: Str,
    /// Three-token lookahead; `token[0]` is always the latest item lexed.
    token: [Item<'a>; 3],
    peek_count: usize,
    /// Variables declared in scope, innermost last (`$`, always in scope
    /// as in Go's initial `vars`, is left out).
    vars: Vec<&'a str>,
    /// How many times each name other than `$` (always in scope) occurs in
    /// `vars`: lookups stay constant-time however many variables a tree declares.
    var_count: FxHashMap<&'a str, usize>,
    /// Line of the `{{` of the action being parsed (0 when none).
    action_line: usize,
    range_depth: usize,
    stack_depth: usize,
    /// Open `if`/`range`/`with` structures (see [`MAX_CONTROL_DEPTH`]).
    control_depth: usize,
}

impl<'a> TreeState<'a> {
    fn new(name: Str) -> TreeState<'a> {
        TreeState {
            name,
            token: [Item::zero(), Item::zero(), Item::zero()],
            peek_count: 0,
            vars: Vec::new(),
            var_count: FxHashMap::default(),
            action_line: 0,
            range_depth: 0,
            stack_depth: 0,
            control_depth: 0,
        }
    }

    fn push_var(&mut self, name: &'a str) {
        self.vars.push(name);
        *self.var_count.entry(name).or_insert(0) += 1;
    }

    fn has_var(&self, name: &str) -> bool {
        name == "$" || self.var_count.contains_key(name)
    }

    fn pop_vars(&mut self, len: usize) {
        while self.vars.len() > len {
            let Some(name) = self.vars.pop() else { break };
            if let Some(c) = self.var_count.get_mut(name) {
                *c -= 1;
                if *c == 0 {
                    self.var_count.remove(name);
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BranchKind {
    If,
    Range,
    With,
}

impl BranchKind {
    fn context(self) -> &'static str {
        match self {
            BranchKind::If => "if",
            BranchKind::Range => "range",
            BranchKind::With => "with",
        }
    }
}

/// What parsing one `textOrAction` produced.
enum Step {
    Node(Node),
    /// A control structure was opened; its node arrives when it is closed.
    Pushed,
    End,
    Else {
        pos: usize,
    },
}

impl Step {
    fn name(&self) -> &'static str {
        match self {
            Step::Else { .. } => "{{else}}",
            _ => "{{end}}",
        }
    }
}

/// An `if`/`range`/`with` being parsed.
struct BranchFrame {
    kind: BranchKind,
    pipe: PipeNode,
    /// Length of the variable stack on entry (popped on exit).
    vars_len: usize,
    /// The list being collected: the main list, or the else list once `main` is set.
    list: ListNode,
    /// Where the list's nodes start in [`Parser::nodes`].
    start: usize,
    main: Option<ListNode>,
    /// Opened by `{{else if}}`/`{{else with}}`: closing it closes its parent too.
    chained: bool,
}

/// An open item list and the construct that owns it.
enum Frame<'a> {
    Define {
        outer: TreeState<'a>,
        list: ListNode,
        /// Where the list's nodes start in [`Parser::nodes`].
        start: usize,
    },
    Block {
        outer: TreeState<'a>,
        list: ListNode,
        start: usize,
        pos: usize,
        line: usize,
        name: Str,
        pipe: PipeNode,
    },
    Branch(BranchFrame),
}

/// A pipeline being parsed (one per open parenthesis).
struct PipeFrame {
    pipe: PipeNode,
    context: &'static str,
    end: ItemType,
    /// The command being parsed: its position and where its arguments
    /// start in [`Parser::args`].
    cmd: Option<(usize, usize)>,
}

struct Parser<'a, 'f> {
    lex: Lexer<'a>,
    is_func: &'f dyn Fn(&str) -> bool,
    skip_func_check: bool,
    parse_name: Str,
    text: Arc<str>,
    trees: Vec<Tree>,
    index: FxHashMap<Str, usize>,
    /// The tree being parsed.
    t: TreeState<'a>,
    /// Shared strings and name lists, kept by the thread across parses.
    shared: Shared,
    /// Each identifier seen: its shared string and whether it passes the
    /// function check (asked once per name, one lookup per use).
    identifiers: FxHashMap<&'a str, (Str, bool)>,
    /// The template text (positions index it).
    src: &'a str,
    /// See [`Parser::pipeline`].
    pipe_parents: Vec<PipeFrame>,
    /// The nodes of the open item lists, innermost last: a finished list
    /// moves out in one exact-size allocation, and no list grows by steps.
    nodes: Vec<Node>,
    /// The arguments of the open commands (nested by parentheses),
    /// innermost last, kept the same way.
    args: Vec<Arg>,
}

impl<'a> Parser<'a, '_> {
    fn intern(&mut self, name: &str) -> Str {
        if let Some(s) = self.shared.strings.get(name) {
            return s.clone();
        }
        let s = Str::from(name);
        self.shared.strings.insert(s.clone());
        s
    }

    fn identifier(&mut self, name: &'a str) -> (Str, bool) {
        if let Some((ident, known)) = self.identifiers.get(name) {
            return (ident.clone(), *known);
        }
        let known = self.skip_func_check || (self.is_func)(name);
        let ident = self.intern(name);
        self.identifiers.insert(name, (ident.clone(), known));
        (ident, known)
    }

    fn new_variable(&mut self, pos: usize, ident: &'a str) -> VariableNode {
        VariableNode {
            pos,
            ident: self.names(ident),
        }
    }

    /// The shared list of the `.`-separated names of `chain`.
    fn names(&mut self, chain: &str) -> Names {
        if let Some(names) = self.shared.chains.get(chain) {
            return names.clone();
        }
        let mut list: SmallVec<[Str; 8]> = SmallVec::new();
        for name in chain.split('.') {
            list.push(self.intern(name));
        }
        let names: Names = Arc::from(&list[..]);
        self.shared.chains.insert(chain.into(), names.clone());
        names
    }

    /// Reads the field items that follow the item at `start` (the lexer
    /// gives `.A.B` as one item per name) and returns the position of the
    /// first of them (or `start` if none) and the names of the source text
    /// from `from` to the last field read.
    fn chain_names(&mut self, start: usize, from: usize, end: usize) -> (usize, Names) {
        let mut pos = start;
        let mut end = end;
        if self.peek_typ() == ItemType::Field {
            pos = self.peek_pos();
            while self.peek_typ() == ItemType::Field {
                let field = self.next();
                end = field.pos + field.val.len();
            }
        }
        let src = self.src;
        (pos, self.names(src.get(from..end).unwrap_or("")))
    }

    // ---- token stream -------------------------------------------------------

    /// Go's `next`, returning where the token is in the lookahead buffer
    /// (callers that only look at a token's kind or position need no copy).
    #[inline]
    fn advance(&mut self) -> usize {
        if self.t.peek_count > 0 {
            self.t.peek_count -= 1;
        } else {
            self.t.token[0] = self.lex.next_item();
        }
        self.t.peek_count.min(2)
    }

    fn next(&mut self) -> Item<'a> {
        let i = self.advance();
        self.t.token[i]
    }

    fn backup(&mut self) {
        self.t.peek_count = (self.t.peek_count + 1).min(3);
    }

    fn backup2(&mut self, t1: Item<'a>) {
        self.t.token[1] = t1;
        self.t.peek_count = 2;
    }

    fn backup3(&mut self, t2: Item<'a>, t1: Item<'a>) {
        self.t.token[1] = t1;
        self.t.token[2] = t2;
        self.t.peek_count = 3;
    }

    /// Go's `peek`, as an index into the lookahead buffer.
    #[inline]
    fn peek_index(&mut self) -> usize {
        if self.t.peek_count > 0 {
            return (self.t.peek_count - 1).min(2);
        }
        self.t.peek_count = 1;
        self.t.token[0] = self.lex.next_item();
        0
    }

    fn peek(&mut self) -> Item<'a> {
        let i = self.peek_index();
        self.t.token[i]
    }

    fn peek_typ(&mut self) -> ItemType {
        let i = self.peek_index();
        self.t.token[i].typ
    }

    fn peek_pos(&mut self) -> usize {
        let i = self.peek_index();
        self.t.token[i].pos
    }

    /// Go's `nextNonSpace`, as an index into the lookahead buffer.
    #[inline]
    fn skip_space(&mut self) -> usize {
        loop {
            let i = self.advance();
            if self.t.token[i].typ != ItemType::Space {
                return i;
            }
        }
    }

    fn next_non_space(&mut self) -> Item<'a> {
        let i = self.skip_space();
        self.t.token[i]
    }

    fn peek_non_space(&mut self) -> Item<'a> {
        let token = self.next_non_space();
        self.backup();
        token
    }

    /// Go's `peekNonSpace` for callers that need only the kind.
    fn peek_non_space_typ(&mut self) -> ItemType {
        let i = self.skip_space();
        self.backup();
        self.t.token[i].typ
    }

    /// Go's `peekNonSpace` for callers that need only the position.
    fn peek_non_space_pos(&mut self) -> usize {
        let i = self.skip_space();
        self.backup();
        self.t.token[i].pos
    }

    // ---- errors -------------------------------------------------------------

    /// Go's `Tree.errorf`: the line is that of the latest token of the current tree.
    fn errorf(&self, message: impl Into<String>) -> ParseError {
        self.error_at(self.t.token[0].line, message)
    }

    fn error_at(&self, line: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            name: self.parse_name.clone(),
            line,
            message: message.into(),
        }
    }

    fn unexpected(&self, token: &Item<'_>, context: &str) -> ParseError {
        if token.typ == ItemType::Error {
            let mut extra = String::new();
            let action_line = self.t.action_line;
            let message = self.lex.error_message(token);
            if action_line != 0 && action_line != token.line {
                extra = format!(" in action started at {}:{}", self.parse_name, action_line);
                if message.ends_with(" action") {
                    extra.replace_range(.." in action".len(), ""); // avoid "action in action"
                }
            }
            return self.errorf(format!("{message}{extra}"));
        }
        self.errorf(format!("unexpected {token} in {context}"))
    }

    fn expect(&mut self, expected: ItemType, context: &str) -> Result<Item<'a>, ParseError> {
        let token = self.next_non_space();
        if token.typ != expected {
            return Err(self.unexpected(&token, context));
        }
        Ok(token)
    }

    fn expect_one_of(
        &mut self,
        expected1: ItemType,
        expected2: ItemType,
        context: &str,
    ) -> Result<Item<'a>, ParseError> {
        let token = self.next_non_space();
        if token.typ != expected1 && token.typ != expected2 {
            return Err(self.unexpected(&token, context));
        }
        Ok(token)
    }

    // ---- tree set -----------------------------------------------------------

    /// Go's `Tree.add`: installs a finished tree in the tree set.
    fn add(&mut self, name: Str, root: ListNode) -> Result<(), ParseError> {
        let tree = Tree {
            name: name.clone(),
            parse_name: self.parse_name.clone(),
            text: self.text.clone(),
            root,
        };
        match self.index.get(&name) {
            Some(&i) => {
                if is_empty_tree(&self.trees[i].root) {
                    self.trees[i] = tree;
                } else if !is_empty_tree(&tree.root) {
                    return Err(self.errorf(format!(
                        "template: multiple definition of template {}",
                        quote(&name)
                    )));
                }
            }
            None => {
                self.index.insert(name, self.trees.len());
                self.trees.push(tree);
            }
        }
        Ok(())
    }

    // ---- item lists and control structures ----------------------------------

    /// Go's `Tree.parse` together with every nested `itemList`, driven by an
    /// explicit stack of open lists.
    fn parse_root(&mut self) -> Result<ListNode, ParseError> {
        let mut root = ListNode {
            pos: self.peek_pos(),
            nodes: Box::default(),
        };
        let mut stack: Vec<Frame<'a>> = Vec::new();
        loop {
            let step = if stack.is_empty() {
                // The top level, where {{define}} is allowed.
                if self.peek_typ() == ItemType::Eof {
                    root.nodes = self.take_list(0);
                    return Ok(root);
                }
                if self.peek_typ() == ItemType::LeftDelim {
                    let delim = self.next();
                    if self.next_non_space().typ == ItemType::Define {
                        let frame = self.start_definition()?;
                        stack.push(frame);
                        continue;
                    }
                    self.backup2(delim);
                }
                let step = self.text_or_action(&mut stack)?;
                if matches!(step, Step::End | Step::Else { .. }) {
                    return Err(self.errorf(format!("unexpected {}", step.name())));
                }
                step
            } else {
                if self.peek_non_space_typ() == ItemType::Eof {
                    return Err(self.errorf("unexpected EOF"));
                }
                self.text_or_action(&mut stack)?
            };
            match step {
                Step::Pushed => {}
                Step::Node(node) => self.nodes.push(node),
                Step::End | Step::Else { .. } => self.close_list(&mut stack, step)?,
            }
        }
    }

    /// The nodes of the innermost open list, which start at `start`.
    fn take_list(&mut self, start: usize) -> Box<[Node]> {
        let start = start.min(self.nodes.len());
        self.nodes.drain(start..).collect()
    }

    /// Go's `parseDefinition` up to its item list; `{{define` has been read.
    fn start_definition(&mut self) -> Result<Frame<'a>, ParseError> {
        const CONTEXT: &str = "define clause";
        // Go names the tree "definition" until its name is read; nothing
        // looks at the name before, so no string is made for it.
        let outer = std::mem::replace(&mut self.t, TreeState::new(self.parse_name.clone()));
        let name = self.expect_one_of(ItemType::String, ItemType::RawString, CONTEXT)?;
        self.t.name = match plain_literal(name.val) {
            Some(body) => self.intern(body),
            None => unquote(name.val).map_err(|e| self.errorf(e))?.into(),
        };
        self.expect(ItemType::RightDelim, CONTEXT)?;
        let list = ListNode {
            pos: self.peek_non_space_pos(),
            nodes: Box::default(),
        };
        Ok(Frame::Define {
            outer,
            list,
            start: self.nodes.len(),
        })
    }

    /// The innermost item list ended at `{{end}}` or `{{else}}`.
    fn close_list(&mut self, stack: &mut Vec<Frame<'a>>, step: Step) -> Result<(), ParseError> {
        let Some(frame) = stack.pop() else {
            return Err(self.errorf(format!("unexpected {}", step.name())));
        };
        let is_end = matches!(step, Step::End);
        match frame {
            Frame::Define {
                outer,
                mut list,
                start,
            } => {
                if !is_end {
                    return Err(self.errorf(format!("unexpected {} in define clause", step.name())));
                }
                list.nodes = self.take_list(start);
                let name = self.t.name.clone();
                self.add(name, list)?;
                self.t = outer;
                Ok(())
            }
            Frame::Block {
                outer,
                mut list,
                start,
                pos,
                line,
                name,
                pipe,
            } => {
                if !is_end {
                    // Reported by the enclosing tree, with its current line.
                    return Err(self.error_at(
                        outer.token[0].line,
                        format!("unexpected {} in block clause", step.name()),
                    ));
                }
                list.nodes = self.take_list(start);
                self.add(name.clone(), list)?;
                self.t = outer;
                self.t.action_line = 0;
                let node = Node::Template(Box::new(TemplateNode {
                    pos,
                    line,
                    name,
                    pipe: Some(pipe),
                }));
                self.nodes.push(node);
                Ok(())
            }
            Frame::Branch(mut b) => {
                if b.main.is_some() {
                    if !is_end {
                        return Err(self.errorf(format!("expected end; found {}", step.name())));
                    }
                    return self.complete_branch(stack, b);
                }
                if b.kind == BranchKind::Range {
                    self.t.range_depth -= 1;
                }
                let Step::Else { pos } = step else {
                    return self.complete_branch(stack, b);
                };
                // "{{else if}}" and "{{else with}}" open a nested if/with that
                // forms the whole else list and shares the final {{end}}.
                let chain = match b.kind {
                    BranchKind::If => (self.peek_typ() == ItemType::If).then_some(BranchKind::If),
                    BranchKind::With => {
                        (self.peek_typ() == ItemType::With).then_some(BranchKind::With)
                    }
                    BranchKind::Range => None,
                };
                let mut main = std::mem::take(&mut b.list);
                main.nodes = self.take_list(b.start);
                b.main = Some(main);
                match chain {
                    Some(kind) => {
                        self.next();
                        b.list = ListNode {
                            pos,
                            nodes: Box::default(),
                        };
                        stack.push(Frame::Branch(b));
                        self.start_branch(stack, kind, true)
                    }
                    None => {
                        b.list = ListNode {
                            pos: self.peek_non_space_pos(),
                            nodes: Box::default(),
                        };
                        stack.push(Frame::Branch(b));
                        Ok(())
                    }
                }
            }
        }
    }

    /// Builds the node of a closed `if`/`range`/`with` and delivers it.
    fn complete_branch(
        &mut self,
        stack: &mut Vec<Frame<'a>>,
        mut b: BranchFrame,
    ) -> Result<(), ParseError> {
        loop {
            b.list.nodes = self.take_list(b.start);
            self.t.pop_vars(b.vars_len);
            self.t.control_depth -= 1;
            let BranchFrame {
                kind,
                pipe,
                list,
                main,
                chained,
                ..
            } = b;
            let (list, else_list) = match main {
                Some(main) => (main, Some(list)),
                None => (list, None),
            };
            let branch = Box::new(BranchNode {
                pos: pipe.pos,
                line: pipe.line,
                pipe,
                list: list.into(),
                else_list: else_list.map(Into::into),
            });
            let node = match kind {
                BranchKind::If => Node::If(branch),
                BranchKind::Range => Node::Range(branch),
                BranchKind::With => Node::With(branch),
            };
            if chained {
                // The parent's else list is this node alone; close the parent too.
                match stack.pop() {
                    Some(Frame::Branch(parent)) => {
                        self.nodes.push(node);
                        b = parent;
                        continue;
                    }
                    other => {
                        // Unreachable: a chained branch always sits on its parent.
                        if let Some(f) = other {
                            stack.push(f);
                        }
                        self.nodes.push(node);
                        return Ok(());
                    }
                }
            }
            self.t.action_line = 0;
            self.nodes.push(node);
            return Ok(());
        }
    }

    /// Go's `parseControl` up to its item list; the keyword has been read.
    fn start_branch(
        &mut self,
        stack: &mut Vec<Frame<'a>>,
        kind: BranchKind,
        chained: bool,
    ) -> Result<(), ParseError> {
        if self.t.control_depth >= MAX_CONTROL_DEPTH {
            return Err(self.errorf("max control structure depth exceeded"));
        }
        self.t.control_depth += 1;
        let vars_len = self.t.vars.len();
        let pipe = self.pipeline(kind.context(), ItemType::RightDelim)?;
        if kind == BranchKind::Range {
            self.t.range_depth += 1;
        }
        let list = ListNode {
            pos: self.peek_non_space_pos(),
            nodes: Box::default(),
        };
        stack.push(Frame::Branch(BranchFrame {
            kind,
            pipe,
            vars_len,
            list,
            start: self.nodes.len(),
            main: None,
            chained,
        }));
        Ok(())
    }

    /// Go's `textOrAction`.
    fn text_or_action(&mut self, stack: &mut Vec<Frame<'a>>) -> Result<Step, ParseError> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Text => Ok(Step::Node(Node::Text(TextNode {
                pos: token.pos,
                text: SrcStr::new(&self.text, self.src, token.val),
                raw: crate::gostr::marked_bytes(token.val).map(|b| Box::new(b.into())),
            }))),
            ItemType::LeftDelim => {
                self.t.action_line = token.line;
                let step = self.action(stack)?;
                if !matches!(step, Step::Pushed) {
                    self.t.action_line = 0;
                }
                Ok(step)
            }
            ItemType::Comment => Ok(Step::Node(Node::Comment(CommentNode {
                pos: token.pos,
                text: token.val.into(),
            }))),
            _ => Err(self.unexpected(&token, "input")),
        }
    }

    /// Go's `action`: a control keyword or a pipeline; `{{` has been read.
    fn action(&mut self, stack: &mut Vec<Frame<'a>>) -> Result<Step, ParseError> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Block => return self.block_control(stack),
            ItemType::Break | ItemType::Continue => {
                let is_break = token.typ == ItemType::Break;
                let word = if is_break {
                    "{{break}}"
                } else {
                    "{{continue}}"
                };
                let next = self.next_non_space();
                if next.typ != ItemType::RightDelim {
                    return Err(self.unexpected(&next, word));
                }
                if self.t.range_depth == 0 {
                    return Err(self.errorf(format!("{word} outside {{{{range}}}}")));
                }
                let (pos, line) = (token.pos, token.line);
                return Ok(Step::Node(if is_break {
                    Node::Break(BreakNode { pos, line })
                } else {
                    Node::Continue(ContinueNode { pos, line })
                }));
            }
            ItemType::Else => {
                let peek = self.peek_non_space();
                if matches!(peek.typ, ItemType::If | ItemType::With) {
                    // Leave the keyword pending for "{{else if ...}}".
                    return Ok(Step::Else { pos: peek.pos });
                }
                let token = self.expect(ItemType::RightDelim, "else")?;
                return Ok(Step::Else { pos: token.pos });
            }
            ItemType::End => {
                self.expect(ItemType::RightDelim, "end")?;
                return Ok(Step::End);
            }
            ItemType::If => {
                self.start_branch(stack, BranchKind::If, false)?;
                return Ok(Step::Pushed);
            }
            ItemType::Range => {
                self.start_branch(stack, BranchKind::Range, false)?;
                return Ok(Step::Pushed);
            }
            ItemType::With => {
                self.start_branch(stack, BranchKind::With, false)?;
                return Ok(Step::Pushed);
            }
            ItemType::Template => return self.template_control(),
            _ => {}
        }
        self.backup();
        let token = self.peek();
        // Variables declared here persist until the enclosing {{end}}.
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Step::Node(Node::Action(Box::new(ActionNode {
            pos: token.pos,
            line: token.line,
            pipe,
        }))))
    }

    /// Go's `blockControl` up to the block's item list.
    fn block_control(&mut self, stack: &mut Vec<Frame<'a>>) -> Result<Step, ParseError> {
        const CONTEXT: &str = "block clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, ItemType::RightDelim)?;
        let outer = std::mem::replace(&mut self.t, TreeState::new(name.clone()));
        let list = ListNode {
            pos: self.peek_non_space_pos(),
            nodes: Box::default(),
        };
        stack.push(Frame::Block {
            outer,
            list,
            start: self.nodes.len(),
            pos: token.pos,
            line: token.line,
            name,
            pipe,
        });
        Ok(Step::Pushed)
    }

    /// Go's `templateControl`.
    fn template_control(&mut self) -> Result<Step, ParseError> {
        const CONTEXT: &str = "template clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, CONTEXT)?;
        let pipe = if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            Some(self.pipeline(CONTEXT, ItemType::RightDelim)?)
        } else {
            None
        };
        Ok(Step::Node(Node::Template(Box::new(TemplateNode {
            pos: token.pos,
            line: token.line,
            name,
            pipe,
        }))))
    }

    fn parse_template_name(&mut self, token: &Item<'a>, context: &str) -> Result<Str, ParseError> {
        match token.typ {
            // Templates name the same helpers over and over: share one string.
            ItemType::String | ItemType::RawString => match plain_literal(token.val) {
                Some(body) => Ok(self.intern(body)),
                None => unquote(token.val)
                    .map(Str::from)
                    .map_err(|e| self.errorf(e)),
            },
            _ => Err(self.unexpected(token, context)),
        }
    }

    // ---- pipelines ----------------------------------------------------------

    /// Go's `pipeline` (with `command`, `operand` and `term`), parsing nested
    /// parenthesised pipelines on an explicit stack.
    fn pipeline(&mut self, context: &'static str, end: ItemType) -> Result<PipeNode, ParseError> {
        // The enclosing pipelines of a parenthesised one (a buffer kept
        // across pipelines; dropped only by an error).
        let mut parents = std::mem::take(&mut self.pipe_parents);
        let mut cur = self.pipeline_start(context, end)?;
        // Whether the next thing is an operand of the current command (else
        // the top of the pipeline's command loop).
        let mut in_command = false;
        loop {
            let term = if in_command {
                // Go's `peekNonSpace` (skipping spaces) then `operand`.
                let token = self.next_non_space();
                if token.typ == ItemType::LeftParen {
                    if self.t.stack_depth >= MAX_STACK_DEPTH {
                        return Err(self.errorf("max expression depth exceeded"));
                    }
                    self.t.stack_depth += 1;
                    let inner =
                        self.pipeline_start("parenthesized pipeline", ItemType::RightParen)?;
                    parents.push(std::mem::replace(&mut cur, inner));
                    in_command = false;
                    continue;
                }
                self.term(token)?
            } else {
                let token = self.next_non_space();
                if token.typ == cur.end {
                    self.check_pipeline(&cur.pipe, cur.context)?;
                    let Some(parent) = parents.pop() else {
                        self.pipe_parents = parents;
                        return Ok(cur.pipe);
                    };
                    let done = std::mem::replace(&mut cur, parent).pipe;
                    self.t.stack_depth -= 1;
                    Some(Arg::Pipe(Box::new(done)))
                } else if starts_operand(token.typ) {
                    self.backup();
                    cur.cmd = Some((token.pos, self.args.len()));
                    in_command = true;
                    continue;
                } else {
                    return Err(self.unexpected(&token, cur.context));
                }
            };
            // The rest of Go's `command` loop, after an operand.
            if let Some(node) = term {
                let operand = self.operand_fields(node)?;
                if cur.cmd.is_some() {
                    self.args.push(operand);
                }
            }
            let token = self.next();
            match token.typ {
                ItemType::Space => in_command = true,
                ItemType::RightDelim | ItemType::RightParen | ItemType::Pipe => {
                    if token.typ != ItemType::Pipe {
                        self.backup();
                    }
                    let (pos, start) = cur.cmd.take().unwrap_or((token.pos, self.args.len()));
                    if self.args.len() <= start {
                        return Err(self.errorf("empty command"));
                    }
                    // One exact-size allocation per command of several arguments.
                    let args: Args = match self.args.len() - start {
                        1 => self.args.pop().map(Args::from),
                        _ => None,
                    }
                    .unwrap_or_else(|| self.args.drain(start..).collect::<Vec<_>>().into());
                    cur.pipe.cmds.push(CommandNode { pos, args });
                    in_command = false;
                }
                _ => return Err(self.unexpected(&token, "operand")),
            }
        }
    }

    /// The start of Go's `pipeline`: the node and its declarations.
    fn pipeline_start(
        &mut self,
        context: &'static str,
        end: ItemType,
    ) -> Result<PipeFrame, ParseError> {
        let token = self.peek_non_space();
        let mut pipe = PipeNode {
            pos: token.pos,
            line: token.line,
            is_assign: false,
            decl: Box::default(),
            cmds: SmallVec::new(),
        };
        // At most two (a range's); most pipelines declare none.
        let mut decl: SmallVec<[VariableNode; 2]> = SmallVec::new();
        loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                break;
            }
            self.next();
            // "$x foo" needs three tokens of lookahead to tell that $x is an
            // argument rather than a declaration.
            let token_after_variable = self.peek();
            let next = self.peek_non_space();
            match next.typ {
                ItemType::Assign | ItemType::Declare => {
                    pipe.is_assign = next.typ == ItemType::Assign;
                    self.next_non_space();
                    decl.push(self.new_variable(v.pos, v.val));
                    self.t.push_var(v.val);
                }
                ItemType::Char if next.val == "," => {
                    self.next_non_space();
                    decl.push(self.new_variable(v.pos, v.val));
                    self.t.push_var(v.val);
                    if context == "range" && decl.len() < 2 {
                        match self.peek_non_space_typ() {
                            ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                                // A second variable in a range declaration.
                                continue;
                            }
                            _ => return Err(self.errorf("range can only initialize variables")),
                        }
                    }
                    return Err(self.errorf(format!("too many declarations in {context}")));
                }
                _ if token_after_variable.typ == ItemType::Space => {
                    self.backup3(v, token_after_variable);
                }
                _ => self.backup2(v),
            }
            break;
        }
        if !decl.is_empty() {
            pipe.decl = decl.into_iter().collect();
        }
        Ok(PipeFrame {
            pipe,
            context,
            end,
            cmd: None,
        })
    }

    fn check_pipeline(&self, pipe: &PipeNode, context: &str) -> Result<(), ParseError> {
        if pipe.cmds.is_empty() {
            return Err(self.errorf(format!("missing value for {context}")));
        }
        // Only the first command of a pipeline may start with a non-executable operand.
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args.first(),
                Some(Arg::Bool(_) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(_) | Arg::String(_))
            ) {
                return Err(self.errorf(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                )));
            }
        }
        Ok(())
    }

    /// The field-chain part of Go's `operand`: `term .Field*`.
    fn operand_fields(&mut self, node: Arg) -> Result<Arg, ParseError> {
        if self.peek_typ() != ItemType::Field {
            return Ok(node);
        }
        // As in Go, fields on a field or variable extend it (`term` reads
        // those); other terms become a chain. Literals cannot have fields
        // (the error comes once the fields are read, for its line).
        let start = self.peek_pos();
        let (pos, field) = self.chain_names(start, start + 1, start + 1);
        Ok(match node {
            Arg::Field(_) | Arg::Variable(_) => node,
            Arg::Bool(_) | Arg::String(_) | Arg::Number(_) | Arg::Nil(_) | Arg::Dot(_) => {
                return Err(self.errorf(format!(
                    "unexpected . after term {}",
                    quote(&node.to_string())
                )));
            }
            other => Arg::Chain(ChainNode {
                pos,
                node: Box::new(other),
                field,
            }),
        })
    }

    /// Go's `term` for everything but `(`; `None` (with the token pushed
    /// back) when the token does not start a term.
    fn term(&mut self, token: Item<'a>) -> Result<Option<Arg>, ParseError> {
        let pos = token.pos;
        Ok(Some(match token.typ {
            ItemType::Identifier => {
                let (ident, known) = self.identifier(token.val);
                if !known {
                    return Err(self.errorf(format!("function {} not defined", quote(token.val))));
                }
                Arg::Identifier(IdentifierNode { pos, ident })
            }
            ItemType::Dot => Arg::Dot(pos),
            ItemType::Nil => Arg::Nil(pos),
            ItemType::Variable => {
                // The variable item is the name alone: fields come as items of their own.
                if !self.t.has_var(token.val) {
                    return Err(self.errorf(format!("undefined variable {}", quote(token.val))));
                }
                let (pos, ident) = self.chain_names(pos, pos, pos + token.val.len());
                Arg::Variable(VariableNode { pos, ident })
            }
            ItemType::Field => {
                let (pos, ident) = self.chain_names(pos, pos + 1, pos + token.val.len());
                Arg::Field(FieldNode { pos, ident })
            }
            ItemType::Bool => Arg::Bool(BoolNode {
                pos,
                value: token.val == "true",
            }),
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                let text = self.intern(token.val);
                let n = new_number(pos, text, token.typ).map_err(|e| self.errorf(e))?;
                Arg::Number(Box::new(n))
            }
            ItemType::String | ItemType::RawString => {
                if let Some(body) = plain_literal(token.val) {
                    // Literals repeat (helper names, keys): share their strings.
                    let text = self.intern(body);
                    return Ok(Some(Arg::String(StringNode {
                        pos,
                        quoted: self.intern(token.val),
                        value: crate::value::Value::String(text),
                    })));
                }
                let bytes = unquote_bytes(token.val).map_err(|e| self.errorf(e))?;
                Arg::String(StringNode {
                    pos,
                    quoted: token.val.into(),
                    value: crate::value::Value::from_bytes(bytes),
                })
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

fn starts_operand(typ: ItemType) -> bool {
    matches!(
        typ,
        ItemType::Bool
            | ItemType::CharConstant
            | ItemType::Complex
            | ItemType::Dot
            | ItemType::Field
            | ItemType::Identifier
            | ItemType::Number
            | ItemType::Nil
            | ItemType::RawString
            | ItemType::String
            | ItemType::Variable
            | ItemType::LeftParen
    )
}

// ---- literals ------------------------------------------------------------------

/// The body of a `"..."` or `` `...` `` literal whose value is its body as
/// written (no escapes, carriage returns or raw-byte marks): what
/// [`unquote_bytes`] would return, without its copies.
fn plain_literal(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    let q = *b.first()?;
    if b.len() < 2 || b[b.len() - 1] != q {
        return None;
    }
    let inner = &b[1..b.len() - 1];
    // Literals are short: one pass, no searcher set-up. 0xF4 starts the
    // marks of raw bytes.
    let special = match q {
        b'"' => inner
            .iter()
            .any(|&c| matches!(c, b'"' | b'\\' | b'\n' | 0xF4)),
        b'`' => inner.iter().any(|&c| matches!(c, b'`' | b'\r' | 0xF4)),
        _ => return None,
    };
    if special {
        return None;
    }
    s.get(1..s.len() - 1)
}

/// Go's `strconv.ErrSyntax` message.
const ERR_SYNTAX: &str = "invalid syntax";

/// [`unquote_bytes`] as text: bytes that do not form UTF-8 (from `\x`/octal
/// escapes) become U+FFFD, one per byte as Go's runes.
fn unquote(s: &str) -> Result<String, &'static str> {
    unquote_bytes(s).map(|b| crate::gostr::lossy(&b).into_owned())
}

/// Go's `strconv.Unquote` for a `"..."`, `` `...` `` or `'.'` literal: the
/// bytes of the Go string. Raw invalid bytes (marked in the source) inside
/// quotes decode as U+FFFD, as Go's `UnquoteChar` does.
fn unquote_bytes(s: &str) -> Result<Vec<u8>, &'static str> {
    // Marks are 4-byte sequences starting 0xF4: most literals have none.
    if s.starts_with('`')
        || !s.as_bytes().contains(&0xF4)
        || !s.chars().any(|c| crate::gostr::mark_byte(c).is_some())
    {
        return unquote_bytes_inner(s);
    }
    let s: String = s
        .chars()
        .map(|c| match crate::gostr::mark_byte(c) {
            Some(_) => '\u{fffd}',
            None => c,
        })
        .collect();
    unquote_bytes_inner(&s)
}

fn unquote_bytes_inner(s: &str) -> Result<Vec<u8>, &'static str> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return Err(ERR_SYNTAX);
    }
    let q = b[0];
    let Some(end) = memchr::memchr(q, &b[1..]) else {
        return Err(ERR_SYNTAX);
    };
    let end = end + 2; // Just past the terminating quote, if there are no escapes.
    match q {
        b'`' => {
            if end != b.len() {
                return Err(ERR_SYNTAX);
            }
            // Carriage returns are discarded from raw strings; Go keeps
            // their other bytes, UTF-8 or not.
            let inner = &s[1..end - 1];
            if !inner.as_bytes().contains(&b'\r') {
                return Ok(
                    crate::gostr::marked_bytes(inner).unwrap_or_else(|| inner.as_bytes().to_vec())
                );
            }
            let body: String = inner.chars().filter(|&c| c != '\r').collect();
            Ok(crate::gostr::marked_bytes(&body).unwrap_or_else(|| body.into_bytes()))
        }
        b'"' | b'\'' => {
            let body = &b[..end];
            if !body.contains(&b'\\') && !body.contains(&b'\n') {
                let inner = &s[1..end - 1];
                let valid = q == b'"' || inner.chars().count() == 1;
                if valid {
                    if end != b.len() {
                        return Err(ERR_SYNTAX);
                    }
                    return Ok(inner.as_bytes().to_vec());
                }
            }
            let mut buf: Vec<u8> = Vec::with_capacity(b.len());
            let mut rest = &s[1..];
            while !rest.is_empty() && rest.as_bytes()[0] != q {
                if rest.as_bytes()[0] == b'\n' {
                    return Err(ERR_SYNTAX);
                }
                let (r, multibyte, tail) = unquote_char(rest, q)?;
                rest = tail;
                if r < 0x80 || !multibyte {
                    buf.push(r as u8);
                } else if let Some(c) = char::from_u32(r) {
                    let mut tmp = [0u8; 4];
                    buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                }
                if q == b'\'' {
                    break;
                }
            }
            if !rest.starts_with(q as char) || rest.len() != 1 {
                return Err(ERR_SYNTAX);
            }
            Ok(buf)
        }
        _ => Err(ERR_SYNTAX),
    }
}

/// Go's `strconv.UnquoteChar`: the first (possibly escaped) character of `s`,
/// whether it needs UTF-8 encoding, and the rest of `s`.
fn unquote_char(s: &str, quote: u8) -> Result<(u32, bool, &str), &'static str> {
    let b = s.as_bytes();
    let Some(&c) = b.first() else {
        return Err(ERR_SYNTAX);
    };
    if c == quote && (quote == b'\'' || quote == b'"') {
        return Err(ERR_SYNTAX);
    }
    if c >= 0x80 {
        let r = s.chars().next().ok_or(ERR_SYNTAX)?;
        return Ok((r as u32, true, &s[r.len_utf8()..]));
    }
    if c != b'\\' {
        return Ok((u32::from(c), false, &s[1..]));
    }
    if b.len() <= 1 {
        return Err(ERR_SYNTAX);
    }
    let c = b[1];
    if !c.is_ascii() {
        return Err(ERR_SYNTAX);
    }
    let mut rest = &s[2..];
    let mut multibyte = false;
    let value = match c {
        b'a' => 7,
        b'b' => 8,
        b'f' => 12,
        b'n' => 10,
        b'r' => 13,
        b't' => 9,
        b'v' => 11,
        b'x' | b'u' | b'U' => {
            let n = match c {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let digits = rest.as_bytes().get(..n).ok_or(ERR_SYNTAX)?;
            let mut v: u32 = 0;
            for &d in digits {
                v = (v << 4) | (d as char).to_digit(16).ok_or(ERR_SYNTAX)?;
            }
            rest = &rest[n..];
            if c != b'x' {
                if char::from_u32(v).is_none() {
                    return Err(ERR_SYNTAX);
                }
                multibyte = true;
            }
            v
        }
        b'0'..=b'7' => {
            let digits = rest.as_bytes().get(..2).ok_or(ERR_SYNTAX)?;
            let mut v = u32::from(c - b'0');
            for &d in digits {
                if !(b'0'..=b'7').contains(&d) {
                    return Err(ERR_SYNTAX);
                }
                v = (v << 3) | u32::from(d - b'0');
            }
            rest = &rest[2..];
            if v > 255 {
                return Err(ERR_SYNTAX);
            }
            v
        }
        b'\\' => u32::from(b'\\'),
        b'\'' | b'"' => {
            if c != quote {
                return Err(ERR_SYNTAX);
            }
            u32::from(c)
        }
        _ => return Err(ERR_SYNTAX),
    };
    Ok((value, multibyte, rest))
}

/// Go's `newNumber`: every interpretation of a number literal.
fn new_number(pos: usize, text_str: Str, typ: ItemType) -> Result<NumberNode, String> {
    // Every field spelled out: `..Default::default()` would build (and drop) an empty `Str`.
    let mut n = NumberNode {
        pos,
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int64: 0,
        uint64: 0,
        float64: 0.0,
        complex128: (0.0, 0.0),
        text: text_str.clone(),
    };
    let text: &str = &text_str;
    match typ {
        ItemType::CharConstant => {
            let (q, body) = match text.as_bytes().first() {
                Some(&q) => (q, &text[1..]),
                None => return Err(ERR_SYNTAX.into()),
            };
            let (r, _, tail) = unquote_char(body, q)?;
            if tail != "'" {
                return Err(format!("malformed character constant: {text}"));
            }
            n.is_int = true;
            n.int64 = i64::from(r);
            n.is_uint = true;
            n.uint64 = u64::from(r);
            n.is_float = true; // Odd but those are the rules.
            n.float64 = f64::from(r);
            return Ok(n);
        }
        ItemType::Complex => {
            n.complex128 = goconv::sscan_complex(text)?;
            n.is_complex = true;
            simplify_complex(&mut n);
            return Ok(n);
        }
        _ => {}
    }
    // Imaginary constants can only be complex unless they are zero.
    if let Some(imag) = text.strip_suffix('i') {
        if let Ok(f) = goconv::parse_float(imag) {
            n.is_complex = true;
            n.complex128 = (0.0, f);
            simplify_complex(&mut n);
            return Ok(n);
        }
    }
    // Integer conversions first, so that 0x123 etc. work.
    let unsigned = goconv::parse_uint(text);
    if let Ok(u) = unsigned {
        n.is_uint = true;
        n.uint64 = u;
    }
    if let Ok(i) = goconv::parse_int(text) {
        n.is_int = true;
        n.int64 = i;
        if i == 0 {
            n.is_uint = true; // In case of -0.
            n.uint64 = unsigned.unwrap_or(0);
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float64 = n.int64 as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float64 = n.uint64 as f64;
    } else if let Ok(f) = goconv::parse_float(text) {
        // A float that looks like an integer is one too large for 64 bits.
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", quote(text)));
        }
        n.is_float = true;
        n.float64 = f;
        let i = goconv::f64_to_i64(f);
        if !n.is_int && i as f64 == f {
            n.is_int = true;
            n.int64 = i;
        }
        let u = goconv::f64_to_u64(f);
        if !n.is_uint && u as f64 == f {
            n.is_uint = true;
            n.uint64 = u;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!("illegal number syntax: {}", quote(text)));
    }
    Ok(n)
}

/// Go's `simplifyComplex`: the other types a complex number with zero
/// imaginary part represents.
fn simplify_complex(n: &mut NumberNode) {
    let (re, im) = n.complex128;
    n.is_float = im == 0.0;
    if n.is_float {
        n.float64 = re;
        let i = goconv::f64_to_i64(re);
        n.is_int = i as f64 == re;
        if n.is_int {
            n.int64 = i;
        }
        let u = goconv::f64_to_u64(re);
        n.is_uint = u as f64 == re;
        if n.is_uint {
            n.uint64 = u;
        }
    }
}

/// Ports of the Go `strconv` and `fmt` number conversions `newNumber` uses.
mod goconv {
    use crate::ast_fmt::quote;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub(super) enum Kind {
        Syntax,
        Range,
    }

    /// Go's `*strconv.NumError`.
    #[derive(Clone, Debug)]
    pub(super) struct NumError {
        func: &'static str,
        num: String,
        pub kind: Kind,
    }

    impl NumError {
        fn new(func: &'static str, num: &str, kind: Kind) -> NumError {
            NumError {
                func,
                num: num.to_string(),
                kind,
            }
        }
    }

    impl std::fmt::Display for NumError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let err = match self.kind {
                Kind::Syntax => "invalid syntax",
                Kind::Range => "value out of range",
            };
            write!(
                f,
                "strconv.{}: parsing {}: {}",
                self.func,
                quote(&self.num),
                err
            )
        }
    }

    /// Go's `int64(f)` on amd64: out-of-range values and NaN give `MinInt64`.
    pub(super) fn f64_to_i64(f: f64) -> i64 {
        if (-9223372036854775808.0..9223372036854775808.0).contains(&f) {
            f as i64
        } else {
            i64::MIN
        }
    }

    /// Go's `uint64(f)` on amd64.
    pub(super) fn f64_to_u64(f: f64) -> u64 {
        const TWO63: f64 = 9223372036854775808.0;
        if f < TWO63 {
            f64_to_i64(f) as u64
        } else {
            (f64_to_i64(f - TWO63) as u64) | (1 << 63)
        }
    }

    fn lower(c: u8) -> u8 {
        c | 0x20
    }

    /// Go's `strconv.ParseUint(s, 0, 64)`.
    pub(super) fn parse_uint(s0: &str) -> Result<u64, NumError> {
        parse_uint_fn(s0, "ParseUint")
    }

    fn parse_uint_fn(s0: &str, func: &'static str) -> Result<u64, NumError> {
        let b = s0.as_bytes();
        if b.is_empty() {
            return Err(NumError::new(func, s0, Kind::Syntax));
        }
        let mut base: u64 = 10;
        let mut digits = b;
        if b[0] == b'0' {
            if b.len() >= 3 && lower(b[1]) == b'b' {
                base = 2;
                digits = &b[2..];
            } else if b.len() >= 3 && lower(b[1]) == b'o' {
                base = 8;
                digits = &b[2..];
            } else if b.len() >= 3 && lower(b[1]) == b'x' {
                base = 16;
                digits = &b[2..];
            } else {
                base = 8;
                digits = &b[1..];
            }
        }
        let cutoff = u64::MAX / base + 1;
        let mut underscores = false;
        let mut n: u64 = 0;
        for &c in digits {
            let d = match c {
                b'_' => {
                    underscores = true;
                    continue;
                }
                b'0'..=b'9' => u64::from(c - b'0'),
                _ if lower(c).is_ascii_lowercase() => u64::from(lower(c) - b'a' + 10),
                _ => return Err(NumError::new(func, s0, Kind::Syntax)),
            };
            if d >= base {
                return Err(NumError::new(func, s0, Kind::Syntax));
            }
            if n >= cutoff {
                return Err(NumError::new(func, s0, Kind::Range));
            }
            n *= base;
            n = match n.checked_add(d) {
                Some(n1) => n1,
                None => return Err(NumError::new(func, s0, Kind::Range)),
            };
        }
        if underscores && !crate::strconv::underscore_ok(s0) {
            return Err(NumError::new(func, s0, Kind::Syntax));
        }
        Ok(n)
    }

    /// Go's `strconv.ParseInt(s, 0, 64)`.
    pub(super) fn parse_int(s0: &str) -> Result<i64, NumError> {
        parse_int_fn(s0, "ParseInt")
    }

    fn parse_int_fn(s0: &str, func: &'static str) -> Result<i64, NumError> {
        if s0.is_empty() {
            return Err(NumError::new(func, s0, Kind::Syntax));
        }
        let (neg, s) = match s0.as_bytes()[0] {
            b'+' => (false, &s0[1..]),
            b'-' => (true, &s0[1..]),
            _ => (false, s0),
        };
        let un = match parse_uint_fn(s, func) {
            Ok(un) => un,
            Err(e) if e.kind == Kind::Range => u64::MAX,
            Err(_) => return Err(NumError::new(func, s0, Kind::Syntax)),
        };
        const CUTOFF: u64 = 1 << 63;
        if !neg && un >= CUTOFF || neg && un > CUTOFF {
            return Err(NumError::new(func, s0, Kind::Range));
        }
        let n = un as i64;
        Ok(if neg { n.wrapping_neg() } else { n })
    }

    /// Go's `strconv.ParseFloat(s, 64)`.
    pub(super) fn parse_float(s: &str) -> Result<f64, NumError> {
        const FUNC: &str = "ParseFloat";
        let (f, n, err) = atof64(s);
        if n != s.len() && err != Some(Kind::Syntax) {
            return Err(NumError::new(FUNC, s, Kind::Syntax));
        }
        match err {
            None => Ok(f),
            Some(kind) => Err(NumError::new(FUNC, s, kind)),
        }
    }

    fn common_prefix_len_ignore_case(s: &[u8], prefix: &[u8]) -> usize {
        s.iter()
            .zip(prefix)
            .take_while(|(a, b)| a.to_ascii_lowercase() == **b)
            .count()
    }

    /// Go's `special`: infinities and NaN.
    fn special(s: &[u8]) -> Option<(f64, usize)> {
        let (sign, nsign, rest) = match s.first()? {
            b'+' => (1.0, 1, &s[1..]),
            b'-' => (-1.0, 1, &s[1..]),
            b'n' | b'N' => {
                return (common_prefix_len_ignore_case(s, b"nan") == 3).then_some((f64::NAN, 3));
            }
            _ => (1.0, 0, s),
        };
        if !matches!(rest.first(), Some(b'i' | b'I')) && nsign == 0 {
            return None;
        }
        let mut n = common_prefix_len_ignore_case(rest, b"infinity");
        if 3 < n && n < 8 {
            n = 3;
        }
        if n == 3 || n == 8 {
            return Some((sign * f64::INFINITY, nsign + n));
        }
        None
    }

    struct ReadFloat {
        mantissa: u64,
        exp: i64,
        neg: bool,
        trunc: bool,
        hex: bool,
        /// Bytes consumed.
        n: usize,
        ok: bool,
    }

    /// Go's `readFloat`: the syntax of a decimal or hexadecimal float.
    fn read_float(s: &[u8]) -> ReadFloat {
        let mut r = ReadFloat {
            mantissa: 0,
            exp: 0,
            neg: false,
            trunc: false,
            hex: false,
            n: 0,
            ok: false,
        };
        let mut i = 0;
        let mut underscores = false;
        if i >= s.len() {
            return r;
        }
        match s[i] {
            b'+' => i += 1,
            b'-' => {
                i += 1;
                r.neg = true;
            }
            _ => {}
        }
        let mut base: u64 = 10;
        let mut max_mant_digits = 19;
        let mut exp_char = b'e';
        if i + 2 < s.len() && s[i] == b'0' && lower(s[i + 1]) == b'x' {
            base = 16;
            max_mant_digits = 16;
            i += 2;
            exp_char = b'p';
            r.hex = true;
        }
        let mut sawdot = false;
        let mut sawdigits = false;
        let mut nd: i64 = 0;
        let mut nd_mant: i64 = 0;
        let mut dp: i64 = 0;
        while i < s.len() {
            let c = s[i];
            if c == b'_' {
                underscores = true;
            } else if c == b'.' {
                if sawdot {
                    break;
                }
                sawdot = true;
                dp = nd;
            } else if c.is_ascii_digit() {
                sawdigits = true;
                if c == b'0' && nd == 0 {
                    // Ignore leading zeros.
                    dp -= 1;
                    i += 1;
                    continue;
                }
                nd += 1;
                if nd_mant < max_mant_digits {
                    r.mantissa = r.mantissa * base + u64::from(c - b'0');
                    nd_mant += 1;
                } else if c != b'0' {
                    r.trunc = true;
                }
            } else if base == 16 && (b'a'..=b'f').contains(&lower(c)) {
                sawdigits = true;
                nd += 1;
                if nd_mant < max_mant_digits {
                    r.mantissa = r.mantissa * 16 + u64::from(lower(c) - b'a' + 10);
                    nd_mant += 1;
                } else {
                    r.trunc = true;
                }
            } else {
                break;
            }
            i += 1;
        }
        r.n = i;
        if !sawdigits {
            return r;
        }
        if !sawdot {
            dp = nd;
        }
        if base == 16 {
            dp *= 4;
            nd_mant *= 4;
        }
        if i < s.len() && lower(s[i]) == exp_char {
            i += 1;
            r.n = i;
            if i >= s.len() {
                return r;
            }
            let mut esign = 1;
            match s[i] {
                b'+' => i += 1,
                b'-' => {
                    i += 1;
                    esign = -1;
                }
                _ => {}
            }
            r.n = i;
            if i >= s.len() || !s[i].is_ascii_digit() {
                return r;
            }
            let mut e: i64 = 0;
            while i < s.len() && (s[i].is_ascii_digit() || s[i] == b'_') {
                if s[i] == b'_' {
                    underscores = true;
                } else if e < 10000 {
                    e = e * 10 + i64::from(s[i] - b'0');
                }
                i += 1;
            }
            r.n = i;
            dp += e * esign;
        } else if base == 16 {
            // Hexadecimal floats must have an exponent.
            return r;
        }
        if r.mantissa != 0 {
            r.exp = dp - nd_mant;
        }
        // The prefix is ASCII up to here, so this slice is on a char boundary.
        if underscores && !crate::strconv::underscore_ok(std::str::from_utf8(&s[..i]).unwrap_or(""))
        {
            return r;
        }
        r.ok = true;
        r
    }

    /// Go's `atofHex` for float64: round a binary mantissa and exponent.
    fn atof_hex(mut mantissa: u64, mut exp: i64, neg: bool, trunc: bool) -> (f64, Option<Kind>) {
        const MANTBITS: u32 = 52;
        const EXPBITS: u32 = 11;
        const BIAS: i64 = -1023;
        let max_exp = (1i64 << EXPBITS) + BIAS - 2;
        let min_exp = BIAS + 1;
        exp += i64::from(MANTBITS);
        while mantissa != 0 && mantissa >> (MANTBITS + 2) == 0 {
            mantissa <<= 1;
            exp -= 1;
        }
        if trunc {
            mantissa |= 1;
        }
        while mantissa >> (1 + MANTBITS + 2) != 0 {
            mantissa = (mantissa >> 1) | (mantissa & 1);
            exp += 1;
        }
        while mantissa > 1 && exp < min_exp - 2 {
            mantissa = (mantissa >> 1) | (mantissa & 1);
            exp += 1;
        }
        let mut round = mantissa & 3;
        mantissa >>= 2;
        round |= mantissa & 1; // Round to even.
        exp += 2;
        if round == 3 {
            mantissa += 1;
            if mantissa == 1 << (1 + MANTBITS) {
                mantissa >>= 1;
                exp += 1;
            }
        }
        if mantissa >> MANTBITS == 0 {
            exp = BIAS; // Denormal or zero.
        }
        let mut err = None;
        if exp > max_exp {
            mantissa = 1 << MANTBITS;
            exp = max_exp + 1;
            err = Some(Kind::Range);
        }
        let mut bits = mantissa & ((1 << MANTBITS) - 1);
        bits |= (((exp - BIAS) as u64) & ((1 << EXPBITS) - 1)) << MANTBITS;
        if neg {
            bits |= 1 << 63;
        }
        (f64::from_bits(bits), err)
    }

    /// Go's `atof64`: value, bytes consumed, error.
    fn atof64(s: &str) -> (f64, usize, Option<Kind>) {
        let b = s.as_bytes();
        if let Some((f, n)) = special(b) {
            return (f, n, None);
        }
        let r = read_float(b);
        if !r.ok {
            return (0.0, r.n, Some(Kind::Syntax));
        }
        if r.hex {
            let (f, err) = atof_hex(r.mantissa, r.exp, r.neg, r.trunc);
            return (f, r.n, err);
        }
        // The syntax is Go's; the digits are converted (correctly rounded) by
        // Rust's parser, which agrees with Go's on every valid decimal.
        let digits: String = s[..r.n].chars().filter(|&c| c != '_').collect();
        match digits.parse::<f64>() {
            Ok(f) if f.is_infinite() => (f, r.n, Some(Kind::Range)),
            Ok(f) => (f, r.n, None),
            Err(_) => (0.0, r.n, Some(Kind::Syntax)),
        }
    }

    /// Go's `strconv.Atoi` (base 10, no underscores).
    fn atoi(s0: &str) -> Result<i64, NumError> {
        let err = |kind| NumError::new("Atoi", s0, kind);
        let (neg, digits) = match s0.as_bytes().first() {
            Some(b'+') => (false, &s0[1..]),
            Some(b'-') => (true, &s0[1..]),
            _ => (false, s0),
        };
        if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return Err(err(Kind::Syntax));
        }
        let mut n: i64 = 0;
        for c in digits.bytes() {
            let d = i64::from(c - b'0');
            n = match n.checked_mul(10).and_then(|n| {
                if neg {
                    n.checked_sub(d)
                } else {
                    n.checked_add(d)
                }
            }) {
                Some(n) => n,
                None => return Err(err(Kind::Range)),
            };
        }
        Ok(n)
    }

    /// Go's `math.Ldexp`.
    fn ldexp(mut f: f64, mut e: i64) -> f64 {
        if f == 0.0 || !f.is_finite() {
            return f;
        }
        while e > 1000 {
            f *= 2f64.powi(1000);
            e -= 1000;
        }
        while e < -1000 {
            f *= 2f64.powi(-1000);
            e += 1000;
        }
        f * 2f64.powi(e as i32)
    }

    /// The input of Go's `fmt.Sscan` (runes with one-rune pushback).
    struct Scanner<'s> {
        s: &'s str,
        pos: usize,
        buf: String,
    }

    const ERR_COMPLEX: &str = "syntax error scanning complex number";

    impl Scanner<'_> {
        /// `ss.accept`: consume the next rune into the buffer if it is in `ok`.
        fn accept(&mut self, ok: &str) -> bool {
            match self.s[self.pos..].chars().next() {
                Some(r) if ok.contains(r) => {
                    self.buf.push(r);
                    self.pos += r.len_utf8();
                    true
                }
                _ => false,
            }
        }

        /// `ss.floatToken`.
        fn float_token(&mut self) -> String {
            self.buf.clear();
            if self.accept("nN") && self.accept("aA") && self.accept("nN") {
                return self.buf.clone();
            }
            self.accept("+-");
            if self.accept("iI") && self.accept("nN") && self.accept("fF") {
                return self.buf.clone();
            }
            let mut digits = "0123456789_";
            let mut exp = "eEpP";
            if self.accept("0") && self.accept("xX") {
                digits = "0123456789aAbBcCdDeEfF_";
                exp = "pP";
            }
            while self.accept(digits) {}
            if self.accept(".") {
                while self.accept(digits) {}
            }
            if self.accept(exp) {
                self.accept("+-");
                while self.accept("0123456789_") {}
            }
            self.buf.clone()
        }
    }

    /// `ss.convertFloat`, including its decimal-mantissa `p` exponent form.
    fn convert_float(s: &str) -> Result<f64, String> {
        if let Some(p) = s.find('p') {
            if !s.contains(['x', 'X']) {
                let with_num = |e: NumError| {
                    NumError {
                        num: s.to_string(),
                        ..e
                    }
                    .to_string()
                };
                let f = parse_float(&s[..p]).map_err(with_num)?;
                let m = atoi(&s[p + 1..]).map_err(with_num)?;
                return Ok(ldexp(f, m));
            }
        }
        parse_float(s).map_err(|e| e.to_string())
    }

    /// `fmt.Sscan(text, &complex128)` as `newNumber` uses it for `1+2i` literals.
    pub(super) fn sscan_complex(text: &str) -> Result<(f64, f64), String> {
        let mut sc = Scanner {
            s: text,
            pos: 0,
            buf: String::new(),
        };
        if text.is_empty() {
            return Err("EOF".into());
        }
        let parens = sc.accept("(");
        let real = sc.float_token();
        sc.buf.clear();
        if !sc.accept("+-") {
            return Err(ERR_COMPLEX.into());
        }
        let imag_sign = sc.buf.clone();
        let imag = imag_sign + &sc.float_token();
        if !sc.accept("i") {
            return Err(ERR_COMPLEX.into());
        }
        if parens && !sc.accept(")") {
            return Err(ERR_COMPLEX.into());
        }
        Ok((convert_float(&real)?, convert_float(&imag)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fmt::Write as _;

    /// The function names the Go reference run declared (text/template's
    /// builtins plus a few Helm ones).
    const FUNCS: &[&str] = &[
        "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
        "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne", "include", "default", "quote",
        "toYaml", "nindent", "indent", "list", "dict", "tpl",
    ];

    fn is_func(name: &str) -> bool {
        FUNCS.contains(&name)
    }

    fn parse_ok(text: &str) -> Vec<Tree> {
        match parse("t", text, &is_func) {
            Ok(trees) => trees,
            Err(e) => panic!("{text:?}: {e}"),
        }
    }

    /// Text nodes refer to the tree's source rather than copy it.
    #[test]
    fn text_nodes_share_the_source() {
        let trees = parse_ok("a {{if .x}}b{{else}}c{{end}} {{define \"d\"}}e{{end}}");
        assert_eq!(trees.len(), 2);
        // Two trees, five text nodes ("a ", "b", "c", " ", "e").
        assert_eq!(std::sync::Arc::strong_count(&trees[0].text), 2 + 5);
        let Node::If(b) = &trees[0].root.nodes[1] else {
            panic!("{:?}", trees[0].root)
        };
        let Node::Text(t) = &b.else_list.as_ref().unwrap().get().unwrap().nodes[0] else {
            panic!("{b:?}")
        };
        assert_eq!((t.pos, &*t.text), (20, "c"));
    }

    fn parse_err(text: &str) -> String {
        match parse("t", text, &is_func) {
            Ok(trees) => panic!("{text:?}: expected an error, got {}", trees[0].root),
            Err(e) => e.to_string(),
        }
    }

    // ---- a dump of every node field, in the format of the Go reference tool ----

    fn idents(v: &[Str]) -> String {
        v.iter().map(|s| quote(s)).collect::<Vec<_>>().join(",")
    }

    fn dump_list(sb: &mut String, l: &ListNode) {
        let _ = write!(sb, "L@{}[", l.pos);
        for (i, n) in l.nodes.iter().enumerate() {
            if i > 0 {
                sb.push(';');
            }
            dump_node(sb, n);
        }
        sb.push(']');
    }

    fn dump_branch(sb: &mut String, name: &str, b: &BranchNode) {
        let _ = write!(sb, "{}@{}:{}(", name, b.pos, b.line);
        dump_pipe(sb, &b.pipe);
        sb.push(')');
        dump_list(sb, b.list.get().unwrap());
        if let Some(e) = &b.else_list {
            sb.push_str("else");
            dump_list(sb, e.get().unwrap());
        }
    }

    fn dump_node(sb: &mut String, n: &Node) {
        match n {
            Node::List(l) => dump_list(sb, l),
            Node::Text(t) => {
                let _ = write!(sb, "T@{}{}", t.pos, quote(&t.text));
            }
            Node::Comment(c) => {
                let _ = write!(sb, "C@{}{}", c.pos, quote(&c.text));
            }
            Node::Action(a) => {
                let _ = write!(sb, "A@{}:{}(", a.pos, a.line);
                dump_pipe(sb, &a.pipe);
                sb.push(')');
            }
            Node::If(b) => dump_branch(sb, "If", b),
            Node::Range(b) => dump_branch(sb, "Range", b),
            Node::With(b) => dump_branch(sb, "With", b),
            Node::Template(t) => {
                let _ = write!(sb, "Tmpl@{}:{}{}(", t.pos, t.line, quote(&t.name));
                match &t.pipe {
                    Some(p) => dump_pipe(sb, p),
                    None => sb.push_str("nil"),
                }
                sb.push(')');
            }
            Node::Break(b) => {
                let _ = write!(sb, "Br@{}:{}", b.pos, b.line);
            }
            Node::Continue(b) => {
                let _ = write!(sb, "Co@{}:{}", b.pos, b.line);
            }
        }
    }

    fn dump_pipe(sb: &mut String, p: &PipeNode) {
        let op = if p.is_assign { "=" } else { ":=" };
        let _ = write!(sb, "P@{}:{}{}{{", p.pos, p.line, op);
        for (i, v) in p.decl.iter().enumerate() {
            if i > 0 {
                sb.push(',');
            }
            let _ = write!(sb, "V@{}[{}]", v.pos, idents(&v.ident));
        }
        sb.push_str("}{");
        for (i, c) in p.cmds.iter().enumerate() {
            if i > 0 {
                sb.push(';');
            }
            let _ = write!(sb, "Cmd@{}(", c.pos);
            for (j, a) in c.args.iter().enumerate() {
                if j > 0 {
                    sb.push(',');
                }
                dump_arg(sb, a);
            }
            sb.push(')');
        }
        sb.push('}');
    }

    fn dump_arg(sb: &mut String, a: &Arg) {
        match a {
            Arg::Field(f) => {
                let _ = write!(sb, "F@{}[{}]", f.pos, idents(&f.ident));
            }
            Arg::Variable(v) => {
                let _ = write!(sb, "V@{}[{}]", v.pos, idents(&v.ident));
            }
            Arg::Chain(c) => {
                let _ = write!(sb, "Ch@{}(", c.pos);
                dump_arg(sb, &c.node);
                let _ = write!(sb, ")[{}]", idents(&c.field));
            }
            Arg::Identifier(i) => {
                let _ = write!(sb, "I@{}{}", i.pos, quote(&i.ident));
            }
            Arg::Pipe(p) => dump_pipe(sb, p),
            Arg::Bool(b) => {
                let _ = write!(sb, "B@{}{}", b.pos, b.value);
            }
            Arg::Dot(p) => {
                let _ = write!(sb, "D@{p}");
            }
            Arg::Nil(p) => {
                let _ = write!(sb, "N@{p}");
            }
            Arg::Number(n) => {
                let flags: String = [n.is_int, n.is_uint, n.is_float, n.is_complex]
                    .iter()
                    .map(|&b| if b { '1' } else { '0' })
                    .collect();
                let _ = write!(sb, "Num@{}{}{{{}", n.pos, quote(&n.text), flags);
                if n.is_int {
                    let _ = write!(sb, " i{}", n.int64);
                }
                if n.is_uint {
                    let _ = write!(sb, " u{}", n.uint64);
                }
                if n.is_float {
                    let _ = write!(sb, " f{:016x}", n.float64.to_bits());
                }
                if n.is_complex {
                    let (re, im) = n.complex128;
                    let _ = write!(sb, " c{:016x},{:016x}", re.to_bits(), im.to_bits());
                }
                sb.push('}');
            }
            Arg::String(s) => {
                let _ = write!(sb, "S@{}{}{}", s.pos, quote(&s.quoted), quote(s.text()));
            }
        }
    }

    /// Parses `text` as the Go reference tool did for `mode` (`c`: keep
    /// comments, `b`: `break`/`continue` are functions, `d`: `<<` `>>`
    /// delimiters) and renders the outcome: the error, or every tree sorted
    /// by name with its `String()` and full dump.
    fn record(text: &str, mode: &str) -> String {
        let break_funcs = ["break", "continue", "printf"];
        let is_func = |n: &str| {
            if mode.contains('b') {
                break_funcs.contains(&n)
            } else {
                FUNCS.contains(&n)
            }
        };
        let (left_delim, right_delim) = if mode.contains('d') {
            ("<<", ">>")
        } else {
            ("", "")
        };
        let options = ParseOptions {
            left_delim,
            right_delim,
            parse_comments: mode.contains('c'),
            skip_func_check: false,
        };
        match parse_with_options("t", text, options, &is_func) {
            Err(e) => format!("ERR\u{1f}{e}"),
            Ok(mut trees) => {
                trees.sort_by(|a, b| a.name.cmp(&b.name));
                let mut out = String::from("OK");
                for t in &trees {
                    let mut dump = String::new();
                    dump_list(&mut dump, &t.root);
                    let _ = write!(out, "\u{1f}{}\u{1d}{}\u{1d}{}", t.name, t.root, dump);
                }
                out
            }
        }
    }

    #[test]
    fn matches_go_reference_table() {
        assert!(GO_TABLE.len() >= 80);
        let mut failures = Vec::new();
        for &(text, mode, want) in GO_TABLE {
            let got = record(text, mode);
            if got != want {
                failures.push(format!(
                    "input {text:?} mode {mode:?}\n  want {want:?}\n  got  {got:?}"
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
    fn strings_and_errors() {
        let cases: &[(&str, &str)] = &[
            ("{{if .X}}a{{else}}b{{end}}", "{{if .X}}a{{else}}b{{end}}"),
            ("{{(.A | printf \"%d\")}}", "{{(.A | printf \"%d\")}}"),
            ("{{$x := .a}}", "{{$x := .a}}"),
            ("{{$x := 1}}{{$x = 2}}", "{{$x := 1}}{{$x = 2}}"),
            (
                "{{range $i, $v := .}}{{end}}",
                "{{range $i, $v := .}}{{end}}",
            ),
            ("{{((.A).B).C}}", "{{((.A).B).C}}"),
            ("{{ 0x1F   'a' `r` \"q\\n\" }}", "{{0x1F 'a' `r` \"q\\n\"}}"),
            ("{{template `x\\` 1}}", "{{template \"x\\\\\" 1}}"),
            (
                "{{if 1}}a{{else if 2}}b{{end}}",
                "{{if 1}}a{{else}}{{if 2}}b{{end}}{{end}}",
            ),
            ("{{block \"b\" .}}x{{end}}", "{{template \"b\" .}}"),
            ("a {{- 1 -}} b", "a{{1}}b"),
        ];
        for &(text, want) in cases {
            assert_eq!(parse_ok(text)[0].root.to_string(), want, "{text:?}");
        }
        let errors: &[(&str, &str)] = &[
            ("{{.X", "template: t:1: unclosed action"),
            ("{{nope}}", "template: t:1: function \"nope\" not defined"),
            ("{{$x}}", "template: t:1: undefined variable \"$x\""),
            ("{{break}}", "template: t:1: {{break}} outside {{range}}"),
            ("{{end}}", "template: t:1: unexpected {{end}}"),
            ("a\n{{if 1}}", "template: t:2: unexpected EOF"),
            (
                "{{1|2}}",
                "template: t:1: non executable command in pipeline stage 2",
            ),
            ("{{3x}}", "template: t:1: bad number syntax: \"3x\""),
            (
                "{{.X}}\n{{\u{1}}}",
                "template: t:2: unrecognized character in action: U+0001",
            ),
            ("{{.X\n\n", "template: t:3: unclosed action started at t:1"),
            ("{{ 1e }}", "template: t:1: illegal number syntax: \"1e\""),
            (
                "{{ 99999999999999999999 }}",
                "template: t:1: integer overflow: \"99999999999999999999\"",
            ),
            (
                "{{ 'ab' }}",
                "template: t:1: malformed character constant: 'ab'",
            ),
            ("{{ \"\\q\" }}", "template: t:1: invalid syntax"),
            (
                "{{with $a, $b := 1}}{{end}}",
                "template: t:1: too many declarations in with",
            ),
        ];
        for &(text, want) in errors {
            assert_eq!(parse_err(text), want, "{text:?}");
        }
    }

    #[test]
    fn error_fields() {
        let e = parse("dir/x.tpl", "a\n\n{{.X | 1}}", &is_func).unwrap_err();
        assert_eq!(&*e.name, "dir/x.tpl");
        assert_eq!(e.line, 3);
        assert_eq!(e.message, "non executable command in pipeline stage 2");
        assert_eq!(
            e.to_string(),
            "template: dir/x.tpl:3: non executable command in pipeline stage 2"
        );
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert!(boxed.to_string().starts_with("template: "));
    }

    #[test]
    fn tree_set_order_and_fields() {
        let text = "{{define \"b\"}}B{{end}}top{{block \"a\" .}}A{{end}}{{define \"c\"}}C{{end}}";
        let trees = parse_ok(text);
        let names: Vec<&str> = trees.iter().map(|t| &*t.name).collect();
        assert_eq!(names, ["t", "b", "a", "c"]);
        for t in &trees {
            assert_eq!(&*t.parse_name, "t");
            assert_eq!(&*t.text, text);
            assert!(Arc::ptr_eq(&t.text, &trees[0].text));
        }
        assert_eq!(trees[0].root.to_string(), "top{{template \"a\" .}}");
        assert_eq!(trees[1].root.to_string(), "B");
        // An empty definition never replaces a non-empty one, and is replaced by one.
        let trees =
            parse_ok("{{define \"a\"}} {{end}}{{define \"a\"}}x{{end}}{{define \"a\"}}\n{{end}}");
        assert_eq!(trees.len(), 2);
        assert_eq!(trees[1].root.to_string(), "x");
        // An empty top level does not replace a definition of the same name.
        let trees = parse_ok("{{define \"t\"}}T{{end}}\n");
        assert_eq!(trees.len(), 1);
        assert_eq!(trees[0].root.to_string(), "T");
        assert_eq!(
            parse_err("{{define \"a\"}}x{{end}}\n{{define \"a\"}}y{{end}}"),
            "template: t:2: template: multiple definition of template \"a\""
        );
        assert_eq!(
            parse_err("x{{define \"t\"}}y{{end}}"),
            "template: t:1: template: multiple definition of template \"t\""
        );
    }

    #[test]
    fn empty_trees() {
        let root = |s: &str| {
            parse_with_options(
                "t",
                s,
                ParseOptions {
                    parse_comments: true,
                    ..Default::default()
                },
                &is_func,
            )
            .unwrap()
            .remove(0)
            .root
        };
        assert!(is_empty_tree(&root("")));
        assert!(is_empty_tree(&root(" \n\t\u{a0}\u{2028}")));
        assert!(is_empty_tree(&root(" {{/* c */}} ")));
        assert!(!is_empty_tree(&root(" x ")));
        assert!(!is_empty_tree(&root("{{.}}")));
        assert!(!is_empty_tree(&root("{{if 1}}{{end}}")));
        assert!(!is_empty_tree(&root("{{template \"x\"}}")));
    }

    /// The names of the first argument of the first command of action `i`.
    fn arg_names(tree: &Tree, i: usize) -> Names {
        let Node::Action(a) = &tree.root.nodes[i] else {
            panic!("not an action")
        };
        match &a.pipe.cmds[0].args[0] {
            Arg::Field(f) => f.ident.clone(),
            Arg::Variable(v) => v.ident.clone(),
            Arg::Chain(c) => c.field.clone(),
            _ => panic!("no names"),
        }
    }

    #[test]
    fn chains_share_names_within_and_across_parses() {
        let text = "{{.A.B}}{{(.).A.B}}{{$.A.B}}{{.A.B}}{{.A}}";
        let first = parse_ok(text);
        let names: Vec<Names> = (0..5).map(|i| arg_names(&first[0], i)).collect();
        let strs = |n: &Names| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(strs(&names[0]), ["A", "B"]);
        assert_eq!(strs(&names[2]), ["$", "A", "B"]);
        assert_eq!(strs(&names[4]), ["A"]);
        // A field and a chain's fields with the same text share one list.
        assert!(Arc::ptr_eq(&names[0], &names[1]));
        assert!(Arc::ptr_eq(&names[0], &names[3]));
        assert!(Arc::ptr_eq(&names[0][0], &names[4][0]));
        // A later parse on the thread, even after a failed one, reuses them.
        assert!(parse("bad", "{{.A.B", &is_func).is_err());
        let second = parse_ok("x{{.A.B}}");
        assert!(Arc::ptr_eq(&arg_names(&second[0], 1), &names[0]));
        // Another thread has tables of its own, with the same content.
        let other = std::thread::spawn(|| parse_ok("{{.A.B}}")).join().unwrap();
        let theirs = arg_names(&other[0], 0);
        assert!(!Arc::ptr_eq(&theirs, &names[0]));
        assert_eq!(theirs, names[0]);
    }

    #[test]
    fn node_positions() {
        let trees = parse_ok("ab{{ .A.B }}\n{{if $x := .C}}{{$x.D.E}}{{end}}{{define \"d\"}} {{template \"x\" .}}{{end}}");
        let root = &trees[0].root;
        assert_eq!(root.pos, 0);
        let Node::Action(a) = &root.nodes[1] else {
            panic!()
        };
        // The action starts at its first token, and `.A.B` is positioned at `.B`.
        assert_eq!(
            (a.pos, a.line, a.pipe.pos, a.pipe.cmds[0].pos),
            (5, 1, 5, 5)
        );
        let Arg::Field(f) = &a.pipe.cmds[0].args[0] else {
            panic!()
        };
        assert_eq!((f.pos, f.ident.len()), (7, 2));
        let Node::If(b) = &root.nodes[3] else {
            panic!()
        };
        assert_eq!(
            (b.pos, b.line, b.pipe.decl[0].pos, b.list.get().unwrap().pos),
            (18, 2, 18, 28)
        );
        let Node::Action(inner) = &b.list.get().unwrap().nodes[0] else {
            panic!()
        };
        let Arg::Variable(v) = &inner.pipe.cmds[0].args[0] else {
            panic!()
        };
        assert_eq!((v.pos, v.ident.len()), (32, 3));
        let Node::Template(t) = &trees[1].root.nodes[1] else {
            panic!()
        };
        assert_eq!((trees[1].root.pos, t.pos, t.line), (59, 71, 2));
        assert_eq!(trees[1].location(t.pos), "t:2:58");
    }

    #[test]
    fn number_nodes() {
        let num = |s: &str| -> NumberNode {
            let trees = parse_ok(&format!("{{{{{s}}}}}"));
            let Node::Action(a) = &trees[0].root.nodes[0] else {
                panic!()
            };
            let Arg::Number(n) = &a.pipe.cmds[0].args[0] else {
                panic!()
            };
            (**n).clone()
        };
        let n = num("1e3");
        assert!(n.is_int && n.is_uint && n.is_float && !n.is_complex);
        assert_eq!((n.int64, n.uint64, n.float64), (1000, 1000, 1000.0));
        let n = num("-0x10");
        assert!(n.is_int && !n.is_uint && n.is_float);
        assert_eq!(n.int64, -16);
        let n = num("18446744073709551615");
        assert!(!n.is_int && n.is_uint && n.is_float);
        let n = num("0x1p-2");
        assert!(!n.is_int && n.is_float);
        assert_eq!(n.float64, 0.25);
        let n = num("'\\u00e9'");
        assert!(n.is_int && n.is_uint && n.is_float);
        assert_eq!(n.int64, 0xe9);
        let n = num("1+2i");
        assert!(n.is_complex && !n.is_float);
        assert_eq!(n.complex128, (1.0, 2.0));
        let n = num("3i");
        assert_eq!(n.complex128, (0.0, 3.0));
        let n = num("1_000.5");
        assert_eq!(n.float64, 1000.5);
    }

    #[test]
    fn options() {
        let skip = ParseOptions {
            skip_func_check: true,
            ..Default::default()
        };
        let trees = parse_with_options("t", "{{nope 1}}", skip, &|_| false).unwrap();
        assert_eq!(trees[0].root.to_string(), "{{nope 1}}");
        // A function named "break" shadows the keyword.
        let trees = parse("t", "{{break}}", &|n| n == "break").unwrap();
        assert!(matches!(&trees[0].root.nodes[0], Node::Action(_)));
        let delims = ParseOptions {
            left_delim: "<%",
            right_delim: "%>",
            ..Default::default()
        };
        let trees = parse_with_options("t", "{{x}}<%- .X -%> y", delims, &is_func).unwrap();
        assert_eq!(trees[0].root.to_string(), "{{x}}{{.X}}y");
        let comments = ParseOptions {
            parse_comments: true,
            ..Default::default()
        };
        let trees = parse_with_options("t", "a {{- /* c */}}", comments, &is_func).unwrap();
        assert_eq!(trees[0].root.to_string(), "a{{/* c */}}");
    }

    fn on_8mib_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn paren_depth_limit() {
        on_8mib_stack(|| {
            let nest = |n: usize| format!("{{{{{}1{}}}}}", "(".repeat(n), ")".repeat(n));
            let trees = parse("t", &nest(10000), &is_func).unwrap();
            assert_eq!(trees[0].root.to_string(), nest(10000));
            drop(trees);
            for n in [10001, 100_000] {
                assert_eq!(
                    parse("t", &nest(n), &is_func).unwrap_err().to_string(),
                    "template: t:1: max expression depth exceeded"
                );
            }
            let cmds = format!("{{{{{}1{}}}}}", "(print ".repeat(10001), ")".repeat(10001));
            assert!(parse("t", &cmds, &|_| true).is_err());
            let ok = format!("{{{{{}1{}}}}}", "(print ".repeat(10000), ")".repeat(10000));
            assert!(parse("t", &ok, &|_| true).is_ok());
        });
    }

    #[test]
    fn control_depth_limit() {
        on_8mib_stack(|| {
            let nest = |n: usize| format!("{}x{}", "{{if 1}}".repeat(n), "{{end}}".repeat(n));
            let trees = parse("t", &nest(MAX_CONTROL_DEPTH), &is_func).unwrap();
            assert_eq!(trees[0].root.to_string().len(), 15 * MAX_CONTROL_DEPTH + 1);
            drop(trees);
            assert_eq!(
                parse("t", &nest(MAX_CONTROL_DEPTH + 1), &is_func)
                    .unwrap_err()
                    .message,
                "max control structure depth exceeded"
            );
            let chain = format!("{{{{if 1}}}}{}{{{{end}}}}", "{{else if 1}}".repeat(200_000));
            assert!(parse("t", &chain, &is_func).is_err());
            // Many sibling structures are fine.
            let flat = "{{range .}}{{break}}{{end}}".repeat(100_000);
            assert_eq!(
                parse("t", &flat, &is_func).unwrap()[0].root.nodes.len(),
                100_000
            );
            // Nested blocks are separate trees.
            let blocks = (0..20_000)
                .map(|i| format!("{{{{block \"b{i}\" .}}}}"))
                .collect::<String>()
                + &"{{end}}".repeat(20_000);
            assert_eq!(parse("t", &blocks, &is_func).unwrap().len(), 20_001);
        });
    }

    /// A deterministic token soup: parsing must never panic or hang, and
    /// printing whatever parses must work.
    #[test]
    fn token_soup_never_panics() {
        const TOKENS: &[&str] = &[
            "{{", "}}", "{{-", "-}}", " ", "\n", "\t", "-", ".", "$", "x", "(", ")", "|", ",", ":",
            "=", ":=", "\"", "'", "`", "\\", "/*", "*/", "if", "else", "end", "range", "with",
            "define", "block", "template", "break", "continue", "nil", "true", "1", "0x", "e", "p",
            "i", "_", "+", "é", "\u{301}", "\u{0}", "#", "printf", "$x", ".A", "\"s\"", "'c'", "{",
            "}", "٣",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut rand = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut parsed = 0;
        for _ in 0..20_000 {
            let len = rand(30);
            let text: String = (0..len).map(|_| TOKENS[rand(TOKENS.len())]).collect();
            if let Ok(trees) = parse("t", &text, &|n| n == "printf" || n == "x") {
                parsed += 1;
                for t in trees {
                    let _ = t.root.to_string();
                }
            }
        }
        assert!(parsed > 100, "{parsed}");
    }

    #[test]
    fn linear_time_on_large_input() {
        let text = "{{$x := .}}{{$x.A.B | printf \"%v\"}}\n".repeat(50_000);
        let trees = parse_ok(&text);
        assert_eq!(trees[0].root.nodes.len(), 150_000);
        let last = trees[0].root.nodes.last().unwrap().pos();
        assert_eq!(trees[0].location(last), "t:50000:35");
    }

    /// Expected results produced by Go 1.25's `text/template/parse`: the
    /// inputs of Go's own parse and lex tests plus edge cases. Each entry is
    /// (input, mode, record) with `record` as [`record`] renders it.
    #[rustfmt::skip]
    const GO_TABLE: &[(&str, &str, &str)] = &[
    ("", "", "OK\u{1f}t\u{1d}\u{1d}L@0[]"),
    ("{{/*\n\n\n*/}}", "", "OK\u{1f}t\u{1d}\u{1d}L@11[]"),
    (" \t\n", "", "OK\u{1f}t\u{1d} \t\n\u{1d}L@0[T@0\" \\t\\n\"]"),
    ("some text", "", "OK\u{1f}t\u{1d}some text\u{1d}L@0[T@0\"some text\"]"),
    ("{{}}", "", "ERR\u{1f}template: t:1: missing value for command"),
    ("{{.X}}", "", "OK\u{1f}t\u{1d}{{.X}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(F@2[\"X\"])})]"),
    ("{{printf}}", "", "OK\u{1f}t\u{1d}{{printf}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(I@2\"printf\")})]"),
    ("{{$}}", "", "OK\u{1f}t\u{1d}{{$}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(V@2[\"$\"])})]"),
    ("{{with $x := 3}}{{$x 23}}{{end}}", "", "OK\u{1f}t\u{1d}{{with $x := 3}}{{$x 23}}{{end}}\u{1d}L@0[With@7:1(P@7:1:={V@7[\"$x\"]}{Cmd@13(Num@13\"3\"{1110 i3 u3 f4008000000000000})})L@16[A@18:1(P@18:1:={}{Cmd@18(V@18[\"$x\"],Num@21\"23\"{1110 i23 u23 f4037000000000000})})]]"),
    ("{{$.I}}", "", "OK\u{1f}t\u{1d}{{$.I}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(V@3[\"$\",\"I\"])})]"),
    ("{{printf `%d` 23}}", "", "OK\u{1f}t\u{1d}{{printf `%d` 23}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(I@2\"printf\",S@9\"`%d`\"\"%d\",Num@14\"23\"{1110 i23 u23 f4037000000000000})})]"),
    ("{{.X|.Y}}", "", "OK\u{1f}t\u{1d}{{.X | .Y}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(F@2[\"X\"]);Cmd@5(F@5[\"Y\"])})]"),
    ("{{$x := .X|.Y}}", "", "OK\u{1f}t\u{1d}{{$x := .X | .Y}}\u{1d}L@0[A@2:1(P@2:1:={V@2[\"$x\"]}{Cmd@8(F@8[\"X\"]);Cmd@11(F@11[\"Y\"])})]"),
    ("{{.X (.Y .Z) (.A | .B .C) (.E)}}", "", "OK\u{1f}t\u{1d}{{.X (.Y .Z) (.A | .B .C) (.E)}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(F@2[\"X\"],P@6:1:={}{Cmd@6(F@6[\"Y\"],F@9[\"Z\"])},P@14:1:={}{Cmd@14(F@14[\"A\"]);Cmd@19(F@19[\"B\"],F@22[\"C\"])},P@27:1:={}{Cmd@27(F@27[\"E\"])})})]"),
    ("{{(.Y .Z).Field}}", "", "OK\u{1f}t\u{1d}{{(.Y .Z).Field}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Ch@9(P@3:1:={}{Cmd@3(F@3[\"Y\"],F@6[\"Z\"])})[\"Field\"])})]"),
    ("{{if .X}}hello{{end}}", "", "OK\u{1f}t\u{1d}{{if .X}}hello{{end}}\u{1d}L@0[If@5:1(P@5:1:={}{Cmd@5(F@5[\"X\"])})L@9[T@9\"hello\"]]"),
    ("{{if .X}}true{{else}}false{{end}}", "", "OK\u{1f}t\u{1d}{{if .X}}true{{else}}false{{end}}\u{1d}L@0[If@5:1(P@5:1:={}{Cmd@5(F@5[\"X\"])})L@9[T@9\"true\"]elseL@21[T@21\"false\"]]"),
    ("{{if .X}}true{{else if .Y}}false{{end}}", "", "OK\u{1f}t\u{1d}{{if .X}}true{{else}}{{if .Y}}false{{end}}{{end}}\u{1d}L@0[If@5:1(P@5:1:={}{Cmd@5(F@5[\"X\"])})L@9[T@9\"true\"]elseL@20[If@23:1(P@23:1:={}{Cmd@23(F@23[\"Y\"])})L@27[T@27\"false\"]]]"),
    ("+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+", "", "OK\u{1f}t\u{1d}+{{if .X}}X{{else}}{{if .Y}}Y{{else}}{{if .Z}}Z{{end}}{{end}}{{end}}+\u{1d}L@0[T@0\"+\";If@6:1(P@6:1:={}{Cmd@6(F@6[\"X\"])})L@10[T@10\"X\"]elseL@18[If@21:1(P@21:1:={}{Cmd@21(F@21[\"Y\"])})L@25[T@25\"Y\"]elseL@33[If@36:1(P@36:1:={}{Cmd@36(F@36[\"Z\"])})L@40[T@40\"Z\"]]];T@48\"+\"]"),
    ("{{range .X}}hello{{end}}", "", "OK\u{1f}t\u{1d}{{range .X}}hello{{end}}\u{1d}L@0[Range@8:1(P@8:1:={}{Cmd@8(F@8[\"X\"])})L@12[T@12\"hello\"]]"),
    ("{{range .X.Y.Z}}hello{{end}}", "", "OK\u{1f}t\u{1d}{{range .X.Y.Z}}hello{{end}}\u{1d}L@0[Range@8:1(P@8:1:={}{Cmd@8(F@10[\"X\",\"Y\",\"Z\"])})L@16[T@16\"hello\"]]"),
    ("{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}", "", "OK\u{1f}t\u{1d}{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}\u{1d}L@0[Range@8:1(P@8:1:={}{Cmd@8(F@8[\"X\"])})L@12[T@12\"hello\";Range@25:1(P@25:1:={}{Cmd@25(F@25[\"Y\"])})L@29[T@29\"goodbye\"]]]"),
    ("{{range .X}}true{{else}}false{{end}}", "", "OK\u{1f}t\u{1d}{{range .X}}true{{else}}false{{end}}\u{1d}L@0[Range@8:1(P@8:1:={}{Cmd@8(F@8[\"X\"])})L@12[T@12\"true\"]elseL@24[T@24\"false\"]]"),
    ("{{range .X|.M}}true{{else}}false{{end}}", "", "OK\u{1f}t\u{1d}{{range .X | .M}}true{{else}}false{{end}}\u{1d}L@0[Range@8:1(P@8:1:={}{Cmd@8(F@8[\"X\"]);Cmd@11(F@11[\"M\"])})L@15[T@15\"true\"]elseL@27[T@27\"false\"]]"),
    ("{{range .SI}}{{.}}{{end}}", "", "OK\u{1f}t\u{1d}{{range .SI}}{{.}}{{end}}\u{1d}L@0[Range@8:1(P@8:1:={}{Cmd@8(F@8[\"SI\"])})L@13[A@15:1(P@15:1:={}{Cmd@15(D@15)})]]"),
    ("{{range $x := .SI}}{{.}}{{end}}", "", "OK\u{1f}t\u{1d}{{range $x := .SI}}{{.}}{{end}}\u{1d}L@0[Range@8:1(P@8:1:={V@8[\"$x\"]}{Cmd@14(F@14[\"SI\"])})L@19[A@21:1(P@21:1:={}{Cmd@21(D@21)})]]"),
    ("{{range $x, $y := .SI}}{{.}}{{end}}", "", "OK\u{1f}t\u{1d}{{range $x, $y := .SI}}{{.}}{{end}}\u{1d}L@0[Range@8:1(P@8:1:={V@8[\"$x\"],V@12[\"$y\"]}{Cmd@18(F@18[\"SI\"])})L@23[A@25:1(P@25:1:={}{Cmd@25(D@25)})]]"),
    ("{{range .SI}}{{.}}{{break}}{{end}}", "", "OK\u{1f}t\u{1d}{{range .SI}}{{.}}{{break}}{{end}}\u{1d}L@0[Range@8:1(P@8:1:={}{Cmd@8(F@8[\"SI\"])})L@13[A@15:1(P@15:1:={}{Cmd@15(D@15)});Br@20:1]]"),
    ("{{range .SI}}{{.}}{{continue}}{{end}}", "", "OK\u{1f}t\u{1d}{{range .SI}}{{.}}{{continue}}{{end}}\u{1d}L@0[Range@8:1(P@8:1:={}{Cmd@8(F@8[\"SI\"])})L@13[A@15:1(P@15:1:={}{Cmd@15(D@15)});Co@20:1]]"),
    ("{{range .SI 1 -3.2i true false 'a' nil}}{{end}}", "", "OK\u{1f}t\u{1d}{{range .SI 1 -3.2i true false 'a' nil}}{{end}}\u{1d}L@0[Range@8:1(P@8:1:={}{Cmd@8(F@8[\"SI\"],Num@12\"1\"{1110 i1 u1 f3ff0000000000000},Num@14\"-3.2i\"{0001 c0000000000000000,c00999999999999a},B@20true,B@25false,Num@31\"'a'\"{1110 i97 u97 f4058400000000000},N@35)})L@40[]]"),
    ("{{template `x`}}", "", "OK\u{1f}t\u{1d}{{template \"x\"}}\u{1d}L@0[Tmpl@11:1\"x\"(nil)]"),
    ("{{template `x` .Y}}", "", "OK\u{1f}t\u{1d}{{template \"x\" .Y}}\u{1d}L@0[Tmpl@11:1\"x\"(P@15:1:={}{Cmd@15(F@15[\"Y\"])})]"),
    ("{{with .X}}hello{{end}}", "", "OK\u{1f}t\u{1d}{{with .X}}hello{{end}}\u{1d}L@0[With@7:1(P@7:1:={}{Cmd@7(F@7[\"X\"])})L@11[T@11\"hello\"]]"),
    ("{{with .X}}hello{{else}}goodbye{{end}}", "", "OK\u{1f}t\u{1d}{{with .X}}hello{{else}}goodbye{{end}}\u{1d}L@0[With@7:1(P@7:1:={}{Cmd@7(F@7[\"X\"])})L@11[T@11\"hello\"]elseL@24[T@24\"goodbye\"]]"),
    ("{{with .X}}hello{{else with .Y}}goodbye{{end}}", "", "OK\u{1f}t\u{1d}{{with .X}}hello{{else}}{{with .Y}}goodbye{{end}}{{end}}\u{1d}L@0[With@7:1(P@7:1:={}{Cmd@7(F@7[\"X\"])})L@11[T@11\"hello\"]elseL@23[With@28:1(P@28:1:={}{Cmd@28(F@28[\"Y\"])})L@32[T@32\"goodbye\"]]]"),
    ("{{with .X}}X{{else with .Y}}Y{{else with .Z}}Z{{end}}", "", "OK\u{1f}t\u{1d}{{with .X}}X{{else}}{{with .Y}}Y{{else}}{{with .Z}}Z{{end}}{{end}}{{end}}\u{1d}L@0[With@7:1(P@7:1:={}{Cmd@7(F@7[\"X\"])})L@11[T@11\"X\"]elseL@19[With@24:1(P@24:1:={}{Cmd@24(F@24[\"Y\"])})L@28[T@28\"Y\"]elseL@36[With@41:1(P@41:1:={}{Cmd@41(F@41[\"Z\"])})L@45[T@45\"Z\"]]]]"),
    ("x \n\t{{- 3}}", "", "OK\u{1f}t\u{1d}x{{3}}\u{1d}L@0[T@0\"x\";A@8:2(P@8:2:={}{Cmd@8(Num@8\"3\"{1110 i3 u3 f4008000000000000})})]"),
    ("{{3 -}}\n\n\ty", "", "OK\u{1f}t\u{1d}{{3}}y\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"3\"{1110 i3 u3 f4008000000000000})});T@10\"y\"]"),
    ("x \n\t{{- 3 -}}\n\n\ty", "", "OK\u{1f}t\u{1d}x{{3}}y\u{1d}L@0[T@0\"x\";A@8:2(P@8:2:={}{Cmd@8(Num@8\"3\"{1110 i3 u3 f4008000000000000})});T@16\"y\"]"),
    ("x\n{{-  3   -}}\ny", "", "OK\u{1f}t\u{1d}x{{3}}y\u{1d}L@0[T@0\"x\";A@7:2(P@7:2:={}{Cmd@7(Num@7\"3\"{1110 i3 u3 f4008000000000000})});T@15\"y\"]"),
    ("x \n\t{{- /* hi */}}", "", "OK\u{1f}t\u{1d}x\u{1d}L@0[T@0\"x\"]"),
    ("{{/* hi */ -}}\n\n\ty", "", "OK\u{1f}t\u{1d}y\u{1d}L@17[T@17\"y\"]"),
    ("x \n\t{{- /* */ -}}\n\n\ty", "", "OK\u{1f}t\u{1d}xy\u{1d}L@0[T@0\"x\";T@20\"y\"]"),
    ("{{block \"foo\" .}}hello{{end}}", "", "OK\u{1f}foo\u{1d}hello\u{1d}L@17[T@17\"hello\"]\u{1f}t\u{1d}{{template \"foo\" .}}\u{1d}L@0[Tmpl@8:1\"foo\"(P@14:1:={}{Cmd@14(D@14)})]"),
    ("{{ $x \n := \n 1 \n }}", "", "OK\u{1f}t\u{1d}{{$x := 1}}\u{1d}L@0[A@3:1(P@3:1:={V@3[\"$x\"]}{Cmd@13(Num@13\"1\"{1110 i1 u1 f3ff0000000000000})})]"),
    ("{{\n}}", "", "ERR\u{1f}template: t:2: missing value for command"),
    ("{{\n\"x\"\n|\nprintf\n}}", "", "OK\u{1f}t\u{1d}{{\"x\" | printf}}\u{1d}L@0[A@3:2(P@3:2:={}{Cmd@3(S@3\"\\\"x\\\"\"\"x\");Cmd@9(I@9\"printf\")})]"),
    ("{{/*\nhello\n*/}}", "", "OK\u{1f}t\u{1d}\u{1d}L@15[]"),
    ("{{-\n/*\nhello\n*/\n-}}", "", "OK\u{1f}t\u{1d}\u{1d}L@19[]"),
    ("{{range .SI}}{{.}}{{ continue }}{{end}}", "", "OK\u{1f}t\u{1d}{{range .SI}}{{.}}{{continue}}{{end}}\u{1d}L@0[Range@8:1(P@8:1:={}{Cmd@8(F@8[\"SI\"])})L@13[A@15:1(P@15:1:={}{Cmd@15(D@15)});Co@21:1]]"),
    ("{{range .SI}}{{.}}{{ break }}{{end}}", "", "OK\u{1f}t\u{1d}{{range .SI}}{{.}}{{break}}{{end}}\u{1d}L@0[Range@8:1(P@8:1:={}{Cmd@8(F@8[\"SI\"])})L@13[A@15:1(P@15:1:={}{Cmd@15(D@15)});Br@21:1]]"),
    ("hello{{range", "", "ERR\u{1f}template: t:1: unclosed action"),
    ("{{end}}", "", "ERR\u{1f}template: t:1: unexpected {{end}}"),
    ("{{else}}", "", "ERR\u{1f}template: t:1: unexpected {{else}}"),
    ("{{if .X}}hello{{end}}{{else}}", "", "ERR\u{1f}template: t:1: unexpected {{else}}"),
    ("{{if .X}}1{{else}}2{{else}}3{{end}}", "", "ERR\u{1f}template: t:1: expected end; found {{else}}"),
    ("hello{{range .x}}", "", "ERR\u{1f}template: t:1: unexpected EOF"),
    ("hello{{range .x}}{{else}}", "", "ERR\u{1f}template: t:1: unexpected EOF"),
    ("hello{{undefined}}", "", "ERR\u{1f}template: t:1: function \"undefined\" not defined"),
    ("{{$x}}", "", "ERR\u{1f}template: t:1: undefined variable \"$x\""),
    ("{{with $x := 4}}{{end}}{{$x}}", "", "ERR\u{1f}template: t:1: undefined variable \"$x\""),
    ("{{template $v}}", "", "ERR\u{1f}template: t:1: unexpected \"$v\" in template clause"),
    ("{{with $x.Y := 4}}{{end}}", "", "ERR\u{1f}template: t:1: undefined variable \"$x\""),
    ("{{template .X}}", "", "ERR\u{1f}template: t:1: unexpected \".X\" in template clause"),
    ("{{printf 3, 4}}", "", "ERR\u{1f}template: t:1: unexpected \",\" in operand"),
    ("{{with $v, $u := 3}}{{end}}", "", "ERR\u{1f}template: t:1: too many declarations in with"),
    ("{{range $u, $v, $w := 3}}{{end}}", "", "ERR\u{1f}template: t:1: too many declarations in range"),
    ("{{printf (printf .).}}", "", "ERR\u{1f}template: t:1: unexpected <.> in operand"),
    ("{{printf 3`x`}}", "", "ERR\u{1f}template: t:1: unexpected \"`x`\" in operand"),
    ("{{printf `x`.}}", "", "ERR\u{1f}template: t:1: unexpected <.> in operand"),
    ("{{if .X}}a{{else if .Y}}b{{end}}{{end}}", "", "ERR\u{1f}template: t:1: unexpected {{end}}"),
    ("{{range .}}{{end}} {{break}}", "", "ERR\u{1f}template: t:1: {{break}} outside {{range}}"),
    ("{{range .}}{{end}} {{continue}}", "", "ERR\u{1f}template: t:1: {{continue}} outside {{range}}"),
    ("{{range .}}{{else}}{{break}}{{end}}", "", "ERR\u{1f}template: t:1: {{break}} outside {{range}}"),
    ("{{range .}}{{else}}{{continue}}{{end}}", "", "ERR\u{1f}template: t:1: {{continue}} outside {{range}}"),
    ("{{$x := 0}}{{$x}}", "", "OK\u{1f}t\u{1d}{{$x := 0}}{{$x}}\u{1d}L@0[A@2:1(P@2:1:={V@2[\"$x\"]}{Cmd@8(Num@8\"0\"{1110 i0 u0 f0000000000000000})});A@13:1(P@13:1:={}{Cmd@13(V@13[\"$x\"])})]"),
    ("{{$x += 1}}{{$x}}", "", "ERR\u{1f}template: t:1: undefined variable \"$x\""),
    ("{{$x ! 2}}{{$x}}", "", "ERR\u{1f}template: t:1: undefined variable \"$x\""),
    ("{{$x % 3}}{{$x}}", "", "ERR\u{1f}template: t:1: undefined variable \"$x\""),
    ("{{range $x := $y := 3}}{{end}}", "", "ERR\u{1f}template: t:1: undefined variable \"$y\""),
    ("{{$x:=.}}{{$x!2}}", "", "ERR\u{1f}template: t:1: bad character U+0021 '!'"),
    ("{{$x:=.}}{{$x+2}}", "", "ERR\u{1f}template: t:1: bad character U+002B '+'"),
    ("{{$x:=.}}{{$x +2}}", "", "OK\u{1f}t\u{1d}{{$x := .}}{{$x +2}}\u{1d}L@0[A@2:1(P@2:1:={V@2[\"$x\"]}{Cmd@6(D@6)});A@11:1(P@11:1:={}{Cmd@11(V@11[\"$x\"],Num@14\"+2\"{1010 i2 f4000000000000000})})]"),
    ("{{range $x := 0}}{{$x}}{{end}}", "", "OK\u{1f}t\u{1d}{{range $x := 0}}{{$x}}{{end}}\u{1d}L@0[Range@8:1(P@8:1:={V@8[\"$x\"]}{Cmd@14(Num@14\"0\"{1110 i0 u0 f0000000000000000})})L@17[A@19:1(P@19:1:={}{Cmd@19(V@19[\"$x\"])})]]"),
    ("{{range $x = 0}}{{$x}}{{end}}", "", "OK\u{1f}t\u{1d}{{range $x = 0}}{{$x}}{{end}}\u{1d}L@0[Range@8:1(P@8:1={V@8[\"$x\"]}{Cmd@13(Num@13\"0\"{1110 i0 u0 f0000000000000000})})L@16[A@18:1(P@18:1:={}{Cmd@18(V@18[\"$x\"])})]]"),
    ("{{1.E}}", "", "ERR\u{1f}template: t:1: illegal number syntax: \"1.E\""),
    ("{{0.1.E}}", "", "ERR\u{1f}template: t:1: unexpected . after term \"0.1\""),
    ("{{true.E}}", "", "ERR\u{1f}template: t:1: unexpected . after term \"true\""),
    ("{{'a'.any}}", "", "ERR\u{1f}template: t:1: unexpected . after term \"'a'\""),
    ("{{\"hello\".guys}}", "", "ERR\u{1f}template: t:1: unexpected . after term \"\\\"hello\\\"\""),
    ("{{..E}}", "", "ERR\u{1f}template: t:1: unexpected . after term \".\""),
    ("{{nil.E}}", "", "ERR\u{1f}template: t:1: unexpected . after term \"nil\""),
    ("{{12|.}}", "", "ERR\u{1f}template: t:1: non executable command in pipeline stage 2"),
    ("{{.|12|printf}}", "", "ERR\u{1f}template: t:1: non executable command in pipeline stage 2"),
    ("{{.|printf|\"error\"}}", "", "ERR\u{1f}template: t:1: non executable command in pipeline stage 3"),
    ("{{12|printf|'e'}}", "", "ERR\u{1f}template: t:1: non executable command in pipeline stage 3"),
    ("{{.|true}}", "", "ERR\u{1f}template: t:1: non executable command in pipeline stage 2"),
    ("{{'c'|nil}}", "", "ERR\u{1f}template: t:1: non executable command in pipeline stage 2"),
    ("{{printf \"%d\" ( ) }}", "", "ERR\u{1f}template: t:1: missing value for parenthesized pipeline"),
    ("{{block \"foo\"}}hello{{end}}", "", "ERR\u{1f}template: t:1: missing value for block clause"),
    ("{{ (( 1 )) }}", "", "OK\u{1f}t\u{1d}{{((1))}}\u{1d}L@0[A@3:1(P@3:1:={}{Cmd@3(P@4:1:={}{Cmd@4(P@6:1:={}{Cmd@6(Num@6\"1\"{1110 i1 u1 f3ff0000000000000})})})})]"),
    ("{{ ((( 1 ))) }}", "", "OK\u{1f}t\u{1d}{{(((1)))}}\u{1d}L@0[A@3:1(P@3:1:={}{Cmd@3(P@4:1:={}{Cmd@4(P@5:1:={}{Cmd@5(P@7:1:={}{Cmd@7(Num@7\"1\"{1110 i1 u1 f3ff0000000000000})})})})})]"),
    ("{{ (((( 1 )))) }}", "", "OK\u{1f}t\u{1d}{{((((1))))}}\u{1d}L@0[A@3:1(P@3:1:={}{Cmd@3(P@4:1:={}{Cmd@4(P@5:1:={}{Cmd@5(P@6:1:={}{Cmd@6(P@8:1:={}{Cmd@8(Num@8\"1\"{1110 i1 u1 f3ff0000000000000})})})})})})]"),
    ("{{ ((( 1 ))) | printf }}", "", "OK\u{1f}t\u{1d}{{(((1))) | printf}}\u{1d}L@0[A@3:1(P@3:1:={}{Cmd@3(P@4:1:={}{Cmd@4(P@5:1:={}{Cmd@5(P@7:1:={}{Cmd@7(Num@7\"1\"{1110 i1 u1 f3ff0000000000000})})})});Cmd@15(I@15\"printf\")})]"),
    ("{{ (((( 1 )))) | printf }}", "", "OK\u{1f}t\u{1d}{{((((1)))) | printf}}\u{1d}L@0[A@3:1(P@3:1:={}{Cmd@3(P@4:1:={}{Cmd@4(P@5:1:={}{Cmd@5(P@6:1:={}{Cmd@6(P@8:1:={}{Cmd@8(Num@8\"1\"{1110 i1 u1 f3ff0000000000000})})})})});Cmd@17(I@17\"printf\")})]"),
    ("{{ if ((( true ))) }}YES{{ end }}", "", "OK\u{1f}t\u{1d}{{if (((true)))}}YES{{end}}\u{1d}L@0[If@6:1(P@6:1:={}{Cmd@6(P@7:1:={}{Cmd@7(P@8:1:={}{Cmd@8(P@10:1:={}{Cmd@10(B@10true)})})})})L@21[T@21\"YES\"]]"),
    ("{{ if (((( true )))) }}YES{{ end }}", "", "OK\u{1f}t\u{1d}{{if ((((true))))}}YES{{end}}\u{1d}L@0[If@6:1(P@6:1:={}{Cmd@6(P@7:1:={}{Cmd@7(P@8:1:={}{Cmd@8(P@9:1:={}{Cmd@9(P@11:1:={}{Cmd@11(B@11true)})})})})})L@23[T@23\"YES\"]]"),
    ("line1\n{{", "", "ERR\u{1f}template: t:2: unclosed action"),
    ("line1\n{{define `x`}}line2\n{{", "", "ERR\u{1f}template: t:3: unclosed action"),
    ("line1\n{{\"x\"\n\"y\"\n", "", "ERR\u{1f}template: t:4: unclosed action started at t:2"),
    ("{{\n\n\n\n\n", "", "ERR\u{1f}template: t:6: unclosed action started at t:1"),
    ("line1\n{{\nx\n}}", "", "ERR\u{1f}template: t:3: function \"x\" not defined"),
    ("{{foo}}", "", "ERR\u{1f}template: t:1: function \"foo\" not defined"),
    ("{{/*}}", "", "ERR\u{1f}template: t:1: unclosed comment"),
    ("{{/*\nhello\n}}", "", "ERR\u{1f}template: t:1: unclosed comment"),
    ("{{.X (1 2 3}}", "", "ERR\u{1f}template: t:1: unclosed left paren"),
    ("{{.X 1 2 3 ) }}", "", "ERR\u{1f}template: t:1: unexpected right paren"),
    ("{{(.X 1 2 3", "", "ERR\u{1f}template: t:1: unclosed action"),
    ("{{`x`3}}", "", "ERR\u{1f}template: t:1: unexpected \"3\" in operand"),
    ("{{a#}}", "", "ERR\u{1f}template: t:1: bad character U+0023 '#'"),
    ("{{'a}}", "", "ERR\u{1f}template: t:1: unterminated character constant"),
    ("{{\"a}}", "", "ERR\u{1f}template: t:1: unterminated quoted string"),
    ("{{`a}}", "", "ERR\u{1f}template: t:1: unterminated raw quoted string"),
    ("{{0xi}}", "", "ERR\u{1f}template: t:1: illegal number syntax: \"0xi\""),
    ("{{define `a`}}a{{end}}{{define `a`}}b{{end}}", "", "ERR\u{1f}template: t:1: template: multiple definition of template \"a\""),
    ("{{range .X}}", "", "ERR\u{1f}template: t:1: unexpected EOF"),
    ("{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}", "", "ERR\u{1f}template: t:1: unexpected \":=\" in operand"),
    ("{{$a,$b,$c := 23}}", "", "ERR\u{1f}template: t:1: too many declarations in command"),
    ("{{$a}}", "", "ERR\u{1f}template: t:1: undefined variable \"$a\""),
    ("{{true.any}}", "", "ERR\u{1f}template: t:1: unexpected . after term \"true\""),
    ("{{12|false}}", "", "ERR\u{1f}template: t:1: non executable command in pipeline stage 2"),
    ("{{ ( ) }}", "", "ERR\u{1f}template: t:1: missing value for parenthesized pipeline"),
    ("{{ $v := `\n` }} {{", "", "ERR\u{1f}template: t:2: unclosed action"),
    ("{{range $k}}{{end}}", "", "ERR\u{1f}template: t:1: undefined variable \"$k\""),
    ("{{range $k, $v}}{{end}}", "", "ERR\u{1f}template: t:1: undefined variable \"$v\""),
    ("{{range $k,}}{{end}}", "", "ERR\u{1f}template: t:1: missing value for range"),
    ("{{range $k, $v := }}{{end}}", "", "ERR\u{1f}template: t:1: missing value for range"),
    ("{{range $k, .}}{{end}}", "", "ERR\u{1f}template: t:1: range can only initialize variables"),
    ("{{range $k, 123 := .}}{{end}}", "", "ERR\u{1f}template: t:1: range can only initialize variables"),
    ("{{0}}", "", "OK\u{1f}t\u{1d}{{0}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0\"{1110 i0 u0 f0000000000000000})})]"),
    ("{{-0}}", "", "OK\u{1f}t\u{1d}{{-0}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"-0\"{1110 i0 u0 f0000000000000000})})]"),
    ("{{73}}", "", "OK\u{1f}t\u{1d}{{73}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"73\"{1110 i73 u73 f4052400000000000})})]"),
    ("{{7_3}}", "", "OK\u{1f}t\u{1d}{{7_3}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"7_3\"{1110 i73 u73 f4052400000000000})})]"),
    ("{{0b10_010_01}}", "", "OK\u{1f}t\u{1d}{{0b10_010_01}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0b10_010_01\"{1110 i73 u73 f4052400000000000})})]"),
    ("{{0B10_010_01}}", "", "OK\u{1f}t\u{1d}{{0B10_010_01}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0B10_010_01\"{1110 i73 u73 f4052400000000000})})]"),
    ("{{073}}", "", "OK\u{1f}t\u{1d}{{073}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"073\"{1110 i59 u59 f404d800000000000})})]"),
    ("{{0o73}}", "", "OK\u{1f}t\u{1d}{{0o73}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0o73\"{1110 i59 u59 f404d800000000000})})]"),
    ("{{0O73}}", "", "OK\u{1f}t\u{1d}{{0O73}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0O73\"{1110 i59 u59 f404d800000000000})})]"),
    ("{{0x73}}", "", "OK\u{1f}t\u{1d}{{0x73}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0x73\"{1110 i115 u115 f405cc00000000000})})]"),
    ("{{0X73}}", "", "OK\u{1f}t\u{1d}{{0X73}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0X73\"{1110 i115 u115 f405cc00000000000})})]"),
    ("{{0x7_3}}", "", "OK\u{1f}t\u{1d}{{0x7_3}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0x7_3\"{1110 i115 u115 f405cc00000000000})})]"),
    ("{{-73}}", "", "OK\u{1f}t\u{1d}{{-73}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"-73\"{1010 i-73 fc052400000000000})})]"),
    ("{{+73}}", "", "OK\u{1f}t\u{1d}{{+73}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"+73\"{1010 i73 f4052400000000000})})]"),
    ("{{100}}", "", "OK\u{1f}t\u{1d}{{100}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"100\"{1110 i100 u100 f4059000000000000})})]"),
    ("{{1e9}}", "", "OK\u{1f}t\u{1d}{{1e9}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"1e9\"{1110 i1000000000 u1000000000 f41cdcd6500000000})})]"),
    ("{{-1e9}}", "", "OK\u{1f}t\u{1d}{{-1e9}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"-1e9\"{1010 i-1000000000 fc1cdcd6500000000})})]"),
    ("{{-1.2}}", "", "OK\u{1f}t\u{1d}{{-1.2}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"-1.2\"{0010 fbff3333333333333})})]"),
    ("{{1e19}}", "", "OK\u{1f}t\u{1d}{{1e19}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"1e19\"{0110 u10000000000000000000 f43e158e460913d00})})]"),
    ("{{1e1_9}}", "", "OK\u{1f}t\u{1d}{{1e1_9}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"1e1_9\"{0110 u10000000000000000000 f43e158e460913d00})})]"),
    ("{{1E19}}", "", "OK\u{1f}t\u{1d}{{1E19}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"1E19\"{0110 u10000000000000000000 f43e158e460913d00})})]"),
    ("{{-1e19}}", "", "OK\u{1f}t\u{1d}{{-1e19}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"-1e19\"{0010 fc3e158e460913d00})})]"),
    ("{{0x_1p4}}", "", "OK\u{1f}t\u{1d}{{0x_1p4}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0x_1p4\"{1110 i16 u16 f4030000000000000})})]"),
    ("{{0X_1P4}}", "", "OK\u{1f}t\u{1d}{{0X_1P4}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0X_1P4\"{1110 i16 u16 f4030000000000000})})]"),
    ("{{0x_1p-4}}", "", "OK\u{1f}t\u{1d}{{0x_1p-4}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0x_1p-4\"{0010 f3fb0000000000000})})]"),
    ("{{4i}}", "", "OK\u{1f}t\u{1d}{{4i}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"4i\"{0001 c0000000000000000,4010000000000000})})]"),
    ("{{-1.2+4.2i}}", "", "OK\u{1f}t\u{1d}{{-1.2+4.2i}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"-1.2+4.2i\"{0001 cbff3333333333333,4010cccccccccccd})})]"),
    ("{{073i}}", "", "OK\u{1f}t\u{1d}{{073i}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"073i\"{0001 c0000000000000000,4052400000000000})})]"),
    ("{{0i}}", "", "OK\u{1f}t\u{1d}{{0i}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0i\"{1111 i0 u0 f0000000000000000 c0000000000000000,0000000000000000})})]"),
    ("{{-1.2+0i}}", "", "OK\u{1f}t\u{1d}{{-1.2+0i}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"-1.2+0i\"{0011 fbff3333333333333 cbff3333333333333,0000000000000000})})]"),
    ("{{-12+0i}}", "", "OK\u{1f}t\u{1d}{{-12+0i}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"-12+0i\"{1011 i-12 fc028000000000000 cc028000000000000,0000000000000000})})]"),
    ("{{13+0i}}", "", "OK\u{1f}t\u{1d}{{13+0i}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"13+0i\"{1111 i13 u13 f402a000000000000 c402a000000000000,0000000000000000})})]"),
    ("{{0123}}", "", "OK\u{1f}t\u{1d}{{0123}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0123\"{1110 i83 u83 f4054c00000000000})})]"),
    ("{{-0x0}}", "", "OK\u{1f}t\u{1d}{{-0x0}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"-0x0\"{1110 i0 u0 f0000000000000000})})]"),
    ("{{0xdeadbeef}}", "", "OK\u{1f}t\u{1d}{{0xdeadbeef}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0xdeadbeef\"{1110 i3735928559 u3735928559 f41ebd5b7dde00000})})]"),
    ("{{'a'}}", "", "OK\u{1f}t\u{1d}{{'a'}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"'a'\"{1110 i97 u97 f4058400000000000})})]"),
    ("{{'\\n'}}", "", "OK\u{1f}t\u{1d}{{'\\n'}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"'\\\\n'\"{1110 i10 u10 f4024000000000000})})]"),
    ("{{'\\\\'}}", "", "OK\u{1f}t\u{1d}{{'\\\\'}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"'\\\\\\\\'\"{1110 i92 u92 f4057000000000000})})]"),
    ("{{'\\''}}", "", "OK\u{1f}t\u{1d}{{'\\''}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"'\\\\''\"{1110 i39 u39 f4043800000000000})})]"),
    ("{{'\\xFF'}}", "", "OK\u{1f}t\u{1d}{{'\\xFF'}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"'\\\\xFF'\"{1110 i255 u255 f406fe00000000000})})]"),
    ("{{'\u{30d1}'}}", "", "OK\u{1f}t\u{1d}{{'\u{30d1}'}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"'\u{30d1}'\"{1110 i12497 u12497 f40c8688000000000})})]"),
    ("{{'\\u30d1'}}", "", "OK\u{1f}t\u{1d}{{'\\u30d1'}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"'\\\\u30d1'\"{1110 i12497 u12497 f40c8688000000000})})]"),
    ("{{'\\U000030d1'}}", "", "OK\u{1f}t\u{1d}{{'\\U000030d1'}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"'\\\\U000030d1'\"{1110 i12497 u12497 f40c8688000000000})})]"),
    ("{{+-2}}", "", "ERR\u{1f}template: t:1: bad number syntax: \"+-2\""),
    ("{{0x123.}}", "", "ERR\u{1f}template: t:1: illegal number syntax: \"0x123.\""),
    ("{{1e.}}", "", "ERR\u{1f}template: t:1: illegal number syntax: \"1e\""),
    ("{{0xi.}}", "", "ERR\u{1f}template: t:1: illegal number syntax: \"0xi\""),
    ("{{1+2.}}", "", "ERR\u{1f}template: t:1: bad number syntax: \"1+2.\""),
    ("{{'x}}", "", "ERR\u{1f}template: t:1: unterminated character constant"),
    ("{{'xx'}}", "", "ERR\u{1f}template: t:1: malformed character constant: 'xx'"),
    ("{{'433937734937734969526500969526500'}}", "", "ERR\u{1f}template: t:1: malformed character constant: '433937734937734969526500969526500'"),
    ("{{0xef}}", "", "OK\u{1f}t\u{1d}{{0xef}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0xef\"{1110 i239 u239 f406de00000000000})})]"),
    ("now is the time", "", "OK\u{1f}t\u{1d}now is the time\u{1d}L@0[T@0\"now is the time\"]"),
    ("hello-{{/* this is a comment */}}-world", "", "OK\u{1f}t\u{1d}hello--world\u{1d}L@0[T@0\"hello-\";T@33\"-world\"]"),
    ("{{,@% }}", "", "ERR\u{1f}template: t:1: unexpected \",\" in command"),
    ("{{((3))}}", "", "OK\u{1f}t\u{1d}{{((3))}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(P@3:1:={}{Cmd@3(P@4:1:={}{Cmd@4(Num@4\"3\"{1110 i3 u3 f4008000000000000})})})})]"),
    ("{{for}}", "", "ERR\u{1f}template: t:1: function \"for\" not defined"),
    ("{{block \"foo\" .}}", "", "ERR\u{1f}template: t:1: unexpected EOF"),
    ("{{\"abc \\n\\t\\\" \"}}", "", "OK\u{1f}t\u{1d}{{\"abc \\n\\t\\\" \"}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(S@2\"\\\"abc \\\\n\\\\t\\\\\\\" \\\"\"\"abc \\n\\t\\\" \")})]"),
    ("{{1 02 0x14 0X14 -7.2i 1e3 1E3 +1.2e-4 4.2i 1+2i 1_2 0x1.e_fp4 0X1.E_FP4}}", "", "OK\u{1f}t\u{1d}{{1 02 0x14 0X14 -7.2i 1e3 1E3 +1.2e-4 4.2i 1+2i 1_2 0x1.e_fp4 0X1.E_FP4}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"1\"{1110 i1 u1 f3ff0000000000000},Num@4\"02\"{1110 i2 u2 f4000000000000000},Num@7\"0x14\"{1110 i20 u20 f4034000000000000},Num@12\"0X14\"{1110 i20 u20 f4034000000000000},Num@17\"-7.2i\"{0001 c0000000000000000,c01ccccccccccccd},Num@23\"1e3\"{1110 i1000 u1000 f408f400000000000},Num@27\"1E3\"{1110 i1000 u1000 f408f400000000000},Num@31\"+1.2e-4\"{0010 f3f1f75104d551d69},Num@39\"4.2i\"{0001 c0000000000000000,4010cccccccccccd},Num@44\"1+2i\"{0001 c3ff0000000000000,4000000000000000},Num@49\"1_2\"{1110 i12 u12 f4028000000000000},Num@53\"0x1.e_fp4\"{0010 f403ef00000000000},Num@63\"0X1.E_FP4\"{0010 f403ef00000000000})})]"),
    ("{{'a' '\\n' '\\'' '\\\\' '\\u00FF' '\\xFF' '\u{672c}'}}", "", "OK\u{1f}t\u{1d}{{'a' '\\n' '\\'' '\\\\' '\\u00FF' '\\xFF' '\u{672c}'}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"'a'\"{1110 i97 u97 f4058400000000000},Num@6\"'\\\\n'\"{1110 i10 u10 f4024000000000000},Num@11\"'\\\\''\"{1110 i39 u39 f4043800000000000},Num@16\"'\\\\\\\\'\"{1110 i92 u92 f4057000000000000},Num@21\"'\\\\u00FF'\"{1110 i255 u255 f406fe00000000000},Num@30\"'\\\\xFF'\"{1110 i255 u255 f406fe00000000000},Num@37\"'\u{672c}'\"{1110 i26412 u26412 f40d9cb0000000000})})]"),
    ("{{true false}}", "", "OK\u{1f}t\u{1d}{{true false}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(B@2true,B@7false)})]"),
    ("{{.}}", "", "OK\u{1f}t\u{1d}{{.}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(D@2)})]"),
    ("{{nil}}", "", "OK\u{1f}t\u{1d}{{nil}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(N@2)})]"),
    ("{{.x . .2 .x.y.z}}", "", "OK\u{1f}t\u{1d}{{.x . .2 .x.y.z}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(F@2[\"x\"],D@5,Num@7\".2\"{0010 f3fc999999999999a},F@12[\"x\",\"y\",\"z\"])})]"),
    ("{{range if else end with}}", "", "ERR\u{1f}template: t:1: unexpected <if> in range"),
    ("{{$c := printf $ $hello $23 $ $var.Field .Method}}", "", "ERR\u{1f}template: t:1: undefined variable \"$hello\""),
    ("{{$x 23}}", "", "ERR\u{1f}template: t:1: undefined variable \"$x\""),
    ("intro {{echo hi 1.2 |noargs|args 1 \"hi\"}} outro", "", "ERR\u{1f}template: t:1: function \"echo\" not defined"),
    ("{{$v := 3}}", "", "OK\u{1f}t\u{1d}{{$v := 3}}\u{1d}L@0[A@2:1(P@2:1:={V@2[\"$v\"]}{Cmd@8(Num@8\"3\"{1110 i3 u3 f4008000000000000})})]"),
    ("{{$v , $w := 3}}", "", "ERR\u{1f}template: t:1: too many declarations in command"),
    ("{{(.X).Y}}", "", "OK\u{1f}t\u{1d}{{(.X).Y}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Ch@6(P@3:1:={}{Cmd@3(F@3[\"X\"])})[\"Y\"])})]"),
    ("hello- {{- 3 -}} -world", "", "OK\u{1f}t\u{1d}hello-{{3}}-world\u{1d}L@0[T@0\"hello-\";A@11:1(P@11:1:={}{Cmd@11(Num@11\"3\"{1110 i3 u3 f4008000000000000})});T@17\"-world\"]"),
    ("hello- {{- /* hello */ -}} -world", "", "OK\u{1f}t\u{1d}hello--world\u{1d}L@0[T@0\"hello-\";T@27\"-world\"]"),
    ("#{{\u{1}}}", "", "ERR\u{1f}template: t:1: unrecognized character in action: U+0001"),
    ("{{", "", "ERR\u{1f}template: t:1: unclosed action"),
    ("{{range", "", "ERR\u{1f}template: t:1: unclosed action"),
    ("{{\"\n\"}}", "", "ERR\u{1f}template: t:1: unterminated quoted string"),
    ("{{`xx}}", "", "ERR\u{1f}template: t:1: unterminated raw quoted string"),
    ("{{'\n}}", "", "ERR\u{1f}template: t:1: unterminated character constant"),
    ("{{3k}}", "", "ERR\u{1f}template: t:1: bad number syntax: \"3k\""),
    ("{{(3}}", "", "ERR\u{1f}template: t:1: unclosed left paren"),
    ("{{3)}}", "", "ERR\u{1f}template: t:1: unexpected right paren"),
    ("{{|||||}}", "", "ERR\u{1f}template: t:1: unexpected \"|\" in command"),
    ("hello-{{/*/}}-world", "", "ERR\u{1f}template: t:1: unclosed comment"),
    ("hello-{{/* */ }}-world", "", "ERR\u{1f}template: t:1: comment ends before closing delimiter"),
    ("hello-{.}}-world", "", "OK\u{1f}t\u{1d}hello-{.}}-world\u{1d}L@0[T@0\"hello-{.}}-world\"]"),
    ("a{{.A.B}}b\n{{- .C -}}\n c", "", "OK\u{1f}t\u{1d}a{{.A.B}}b{{.C}}c\u{1d}L@0[T@0\"a\";A@3:1(P@3:1:={}{Cmd@3(F@5[\"A\",\"B\"])});T@9\"b\";A@15:2(P@15:2:={}{Cmd@15(F@15[\"C\"])});T@23\"c\"]"),
    ("{{$x := 1}}{{if $x}}{{$x.a.b}}{{end}}", "", "OK\u{1f}t\u{1d}{{$x := 1}}{{if $x}}{{$x.a.b}}{{end}}\u{1d}L@0[A@2:1(P@2:1:={V@2[\"$x\"]}{Cmd@8(Num@8\"1\"{1110 i1 u1 f3ff0000000000000})});If@16:1(P@16:1:={}{Cmd@16(V@16[\"$x\"])})L@20[A@22:1(P@22:1:={}{Cmd@22(V@24[\"$x\",\"a\",\"b\"])})]]"),
    ("{{(.X).Y.Z}}", "", "OK\u{1f}t\u{1d}{{(.X).Y.Z}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Ch@6(P@3:1:={}{Cmd@3(F@3[\"X\"])})[\"Y\",\"Z\"])})]"),
    ("{{(printf .).Y}}", "", "OK\u{1f}t\u{1d}{{(printf .).Y}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Ch@12(P@3:1:={}{Cmd@3(I@3\"printf\",D@10)})[\"Y\"])})]"),
    ("{{html.X}}", "", "OK\u{1f}t\u{1d}{{html.X}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Ch@6(I@2\"html\")[\"X\"])})]"),
    ("{{$.X}}", "", "OK\u{1f}t\u{1d}{{$.X}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(V@3[\"$\",\"X\"])})]"),
    ("{{$}}", "", "OK\u{1f}t\u{1d}{{$}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(V@2[\"$\"])})]"),
    ("{{$x := 1}}{{$x = 2}}", "", "OK\u{1f}t\u{1d}{{$x := 1}}{{$x = 2}}\u{1d}L@0[A@2:1(P@2:1:={V@2[\"$x\"]}{Cmd@8(Num@8\"1\"{1110 i1 u1 f3ff0000000000000})});A@13:1(P@13:1={V@13[\"$x\"]}{Cmd@18(Num@18\"2\"{1110 i2 u2 f4000000000000000})})]"),
    ("{{$x = 2}}", "", "OK\u{1f}t\u{1d}{{$x = 2}}\u{1d}L@0[A@2:1(P@2:1={V@2[\"$x\"]}{Cmd@7(Num@7\"2\"{1110 i2 u2 f4000000000000000})})]"),
    ("{{range $i, $v := .}}{{$i}}{{$v}}{{end}}", "", "OK\u{1f}t\u{1d}{{range $i, $v := .}}{{$i}}{{$v}}{{end}}\u{1d}L@0[Range@8:1(P@8:1:={V@8[\"$i\"],V@12[\"$v\"]}{Cmd@18(D@18)})L@21[A@23:1(P@23:1:={}{Cmd@23(V@23[\"$i\"])});A@29:1(P@29:1:={}{Cmd@29(V@29[\"$v\"])})]]"),
    ("{{with $x := .}}{{else with .Y}}{{$x}}{{end}}{{$x}}", "", "ERR\u{1f}template: t:1: undefined variable \"$x\""),
    ("{{define \"a\"}}A{{end}}{{define \"b\"}}B{{end}}x", "", "OK\u{1f}a\u{1d}A\u{1d}L@14[T@14\"A\"]\u{1f}b\u{1d}B\u{1d}L@36[T@36\"B\"]\u{1f}t\u{1d}x\u{1d}L@0[T@44\"x\"]"),
    ("{{define \"a\"}}{{end}}{{define \"a\"}}A{{end}}{{define \"a\"}} {{end}}", "", "OK\u{1f}a\u{1d}A\u{1d}L@35[T@35\"A\"]\u{1f}t\u{1d}\u{1d}L@0[]"),
    ("{{define \"a\"}}A{{end}}\n{{define \"a\"}}B{{end}}", "", "ERR\u{1f}template: t:2: template: multiple definition of template \"a\""),
    ("{{define \"t\"}}T{{end}}  ", "", "OK\u{1f}t\u{1d}T\u{1d}L@14[T@14\"T\"]"),
    ("{{block \"b\" .}}B{{end}}{{define \"b\"}}C{{end}}", "", "ERR\u{1f}template: t:1: template: multiple definition of template \"b\""),
    ("{{block \"b\" .}}\n{{else}}{{end}}", "", "ERR\u{1f}template: t:1: unexpected {{else}} in block clause"),
    ("{{define \"a\"}}x{{else}}{{end}}", "", "ERR\u{1f}template: t:1: unexpected {{else}} in define clause"),
    ("{{define `a\\n`}}x{{end}}{{template \"a\\n\" .}}", "", "OK\u{1f}a\\n\u{1d}x\u{1d}L@16[T@16\"x\"]\u{1f}t\u{1d}{{template \"a\\n\" .}}\u{1d}L@0[Tmpl@35:1\"a\\n\"(P@41:1:={}{Cmd@41(D@41)})]"),
    ("{{define \"a\\q\"}}x{{end}}", "", "ERR\u{1f}template: t:1: invalid syntax"),
    ("{{define \"a\"\n .}}x{{end}}", "", "ERR\u{1f}template: t:2: unexpected <.> in define clause"),
    ("{{define}}", "", "ERR\u{1f}template: t:1: unexpected \"}}\" in define clause"),
    ("{{if 1}}\n{{/* unclosed", "", "ERR\u{1f}template: t:2: unclosed comment in action started at t:1"),
    ("{{if 1}}{{.X}}\n{{/* unclosed", "", "ERR\u{1f}template: t:2: unclosed comment"),
    ("{{ .X\n\n", "", "ERR\u{1f}template: t:3: unclosed action started at t:1"),
    ("x\n{{ .X\n\"abc\n", "", "ERR\u{1f}template: t:3: unterminated quoted string in action started at t:2"),
    ("{{else if 1}}", "", "ERR\u{1f}template: t:1: unexpected {{else}}"),
    ("{{if 1}}{{else if}}{{end}}", "", "ERR\u{1f}template: t:1: missing value for if"),
    ("{{range .}}{{else if 1}}{{end}}", "", "ERR\u{1f}template: t:1: unexpected <if> in input"),
    ("{{if .A}}a{{else if .B}}b{{else}}c{{end}}", "", "OK\u{1f}t\u{1d}{{if .A}}a{{else}}{{if .B}}b{{else}}c{{end}}{{end}}\u{1d}L@0[If@5:1(P@5:1:={}{Cmd@5(F@5[\"A\"])})L@9[T@9\"a\"]elseL@17[If@20:1(P@20:1:={}{Cmd@20(F@20[\"B\"])})L@24[T@24\"b\"]elseL@33[T@33\"c\"]]]"),
    ("{{with .A}}a{{else with $x := .B}}{{$x}}{{else}}c{{end}}", "", "OK\u{1f}t\u{1d}{{with .A}}a{{else}}{{with $x := .B}}{{$x}}{{else}}c{{end}}{{end}}\u{1d}L@0[With@7:1(P@7:1:={}{Cmd@7(F@7[\"A\"])})L@11[T@11\"a\"]elseL@19[With@24:1(P@24:1:={V@24[\"$x\"]}{Cmd@30(F@30[\"B\"])})L@34[A@36:1(P@36:1:={}{Cmd@36(V@36[\"$x\"])})]elseL@48[T@48\"c\"]]]"),
    ("{{if 1}}{{else}}{{else}}{{end}}", "", "ERR\u{1f}template: t:1: expected end; found {{else}}"),
    ("{{if 1}}{{else with 2}}{{end}}", "", "ERR\u{1f}template: t:1: unexpected <with> in input"),
    ("{{0x1p-2}}", "", "OK\u{1f}t\u{1d}{{0x1p-2}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0x1p-2\"{0010 f3fd0000000000000})})]"),
    ("{{1e3}}", "", "OK\u{1f}t\u{1d}{{1e3}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"1e3\"{1110 i1000 u1000 f408f400000000000})})]"),
    ("{{0x_1}}", "", "OK\u{1f}t\u{1d}{{0x_1}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0x_1\"{1110 i1 u1 f3ff0000000000000})})]"),
    ("{{'\\x41'}}", "", "OK\u{1f}t\u{1d}{{'\\x41'}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"'\\\\x41'\"{1110 i65 u65 f4050400000000000})})]"),
    ("{{1+2i}}", "", "OK\u{1f}t\u{1d}{{1+2i}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"1+2i\"{0001 c3ff0000000000000,4000000000000000})})]"),
    ("{{+i+2i}}", "", "ERR\u{1f}template: t:1: strconv.ParseFloat: parsing \"+i\": invalid syntax"),
    ("{{1+.i}}", "", "ERR\u{1f}template: t:1: strconv.ParseFloat: parsing \"+.\": invalid syntax"),
    ("{{18446744073709551615}}", "", "OK\u{1f}t\u{1d}{{18446744073709551615}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"18446744073709551615\"{0110 u18446744073709551615 f43f0000000000000})})]"),
    ("{{18446744073709551616}}", "", "ERR\u{1f}template: t:1: integer overflow: \"18446744073709551616\""),
    ("{{-9223372036854775809}}", "", "ERR\u{1f}template: t:1: integer overflow: \"-9223372036854775809\""),
    ("{{-9223372036854775808}}", "", "OK\u{1f}t\u{1d}{{-9223372036854775808}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"-9223372036854775808\"{1010 i-9223372036854775808 fc3e0000000000000})})]"),
    ("{{.5}}", "", "OK\u{1f}t\u{1d}{{.5}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\".5\"{0010 f3fe0000000000000})})]"),
    ("{{5.}}", "", "OK\u{1f}t\u{1d}{{5.}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"5.\"{1110 i5 u5 f4014000000000000})})]"),
    ("{{1e400}}", "", "ERR\u{1f}template: t:1: illegal number syntax: \"1e400\""),
    ("{{0x1p1024}}", "", "ERR\u{1f}template: t:1: illegal number syntax: \"0x1p1024\""),
    ("{{0x1p-1080}}", "", "OK\u{1f}t\u{1d}{{0x1p-1080}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0x1p-1080\"{1110 i0 u0 f0000000000000000})})]"),
    ("{{08}}", "", "ERR\u{1f}template: t:1: integer overflow: \"08\""),
    ("{{08.5}}", "", "OK\u{1f}t\u{1d}{{08.5}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"08.5\"{0010 f4021000000000000})})]"),
    ("{{0o8}}", "", "ERR\u{1f}template: t:1: bad number syntax: \"0o8\""),
    ("{{1__0}}", "", "ERR\u{1f}template: t:1: illegal number syntax: \"1__0\""),
    ("{{1e19}}", "", "OK\u{1f}t\u{1d}{{1e19}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"1e19\"{0110 u10000000000000000000 f43e158e460913d00})})]"),
    ("{{-0.0}}", "", "OK\u{1f}t\u{1d}{{-0.0}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"-0.0\"{1110 i0 u0 f8000000000000000})})]"),
    ("{{0x1.8p1i}}", "", "OK\u{1f}t\u{1d}{{0x1.8p1i}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"0x1.8p1i\"{0001 c0000000000000000,4008000000000000})})]"),
    ("{{1e3i}}", "", "OK\u{1f}t\u{1d}{{1e3i}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"1e3i\"{0001 c0000000000000000,408f400000000000})})]"),
    ("{{'\\400'}}", "", "ERR\u{1f}template: t:1: invalid syntax"),
    ("{{\"a\\tb\"}}", "", "OK\u{1f}t\u{1d}{{\"a\\tb\"}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(S@2\"\\\"a\\\\tb\\\"\"\"a\\tb\")})]"),
    ("{{`a\r\nb`}}", "", "OK\u{1f}t\u{1d}{{`a\r\nb`}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(S@2\"`a\\r\\nb`\"\"a\\nb\")})]"),
    ("{{\"\\q\"}}", "", "ERR\u{1f}template: t:1: invalid syntax"),
    ("{{'ab'}}", "", "ERR\u{1f}template: t:1: malformed character constant: 'ab'"),
    ("{{''}}", "", "ERR\u{1f}template: t:1: invalid syntax"),
    ("{{\"\u{e9}\\u00e9\\U0001F600\"}}", "", "OK\u{1f}t\u{1d}{{\"\u{e9}\\u00e9\\U0001F600\"}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(S@2\"\\\"\u{e9}\\\\u00e9\\\\U0001F600\\\"\"\"\u{e9}\u{e9}\u{1f600}\")})]"),
    ("{{template \"a\\nb\\u00e9\\x01\"}}", "", "OK\u{1f}t\u{1d}{{template \"a\\nb\u{e9}\\x01\"}}\u{1d}L@0[Tmpl@11:1\"a\\nb\u{e9}\\x01\"(nil)]"),
    ("{{.X\u{1}}}", "", "ERR\u{1f}template: t:1: bad character U+0001"),
    ("{{\u{1}}}", "", "ERR\u{1f}template: t:1: unrecognized character in action: U+0001"),
    ("{{.X+}}", "", "ERR\u{1f}template: t:1: bad character U+002B '+'"),
    ("{{\u{e9}}}", "", "ERR\u{1f}template: t:1: function \"\u{e9}\" not defined"),
    ("{{.\u{e9}\u{301}}}", "", "ERR\u{1f}template: t:1: bad character U+0301 '\u{301}'"),
    ("{{.X\u{200b}}}", "", "ERR\u{1f}template: t:1: bad character U+200B"),
    ("{{3x}}", "", "ERR\u{1f}template: t:1: bad number syntax: \"3x\""),
    ("{{1+2}}", "", "ERR\u{1f}template: t:1: bad number syntax: \"1+2\""),
    ("{{-}}", "", "ERR\u{1f}template: t:1: illegal number syntax: \"-\""),
    ("{{- -}}", "", "ERR\u{1f}template: t:1: illegal number syntax: \"-\""),
    ("{{-3}}", "", "OK\u{1f}t\u{1d}{{-3}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"-3\"{1010 i-3 fc008000000000000})})]"),
    ("{{3-}}", "", "ERR\u{1f}template: t:1: bad number syntax: \"3-\""),
    ("x \n{{- 3}}y", "", "OK\u{1f}t\u{1d}x{{3}}y\u{1d}L@0[T@0\"x\";A@7:2(P@7:2:={}{Cmd@7(Num@7\"3\"{1110 i3 u3 f4008000000000000})});T@10\"y\"]"),
    ("{{3 -}}\n y", "", "OK\u{1f}t\u{1d}{{3}}y\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"3\"{1110 i3 u3 f4008000000000000})});T@9\"y\"]"),
    ("{{3\n-}}\n y", "", "OK\u{1f}t\u{1d}{{3}}y\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"3\"{1110 i3 u3 f4008000000000000})});T@9\"y\"]"),
    ("{{3 \n-}}\n y", "", "OK\u{1f}t\u{1d}{{3}}y\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Num@2\"3\"{1110 i3 u3 f4008000000000000})});T@10\"y\"]"),
    ("{{/* a */}}", "c", "OK\u{1f}t\u{1d}{{/* a */}}\u{1d}L@2[C@2\"/* a */\"]"),
    ("a {{- /* b */ -}} c", "c", "OK\u{1f}t\u{1d}a{{/* b */}}c\u{1d}L@0[T@0\"a\";C@6\"/* b */\";T@18\"c\"]"),
    ("a {{- /* b */ -}} c", "", "OK\u{1f}t\u{1d}ac\u{1d}L@0[T@0\"a\";T@18\"c\"]"),
    ("{{/* a */ .X}}", "", "ERR\u{1f}template: t:1: comment ends before closing delimiter"),
    ("{{/*/}}", "", "ERR\u{1f}template: t:1: unclosed comment"),
    ("{{/* a */-}}", "", "ERR\u{1f}template: t:1: comment ends before closing delimiter"),
    ("{{.X | }}", "", "OK\u{1f}t\u{1d}{{.X}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(F@2[\"X\"])})]"),
    ("{{| .X}}", "", "ERR\u{1f}template: t:1: unexpected \"|\" in command"),
    ("{{.X || .Y}}", "", "ERR\u{1f}template: t:1: unexpected \"|\" in command"),
    ("{{(.X}}", "", "ERR\u{1f}template: t:1: unclosed left paren"),
    ("{{.X)}}", "", "ERR\u{1f}template: t:1: unexpected right paren"),
    ("{{()}}", "", "ERR\u{1f}template: t:1: missing value for parenthesized pipeline"),
    ("{{( )}}", "", "ERR\u{1f}template: t:1: missing value for parenthesized pipeline"),
    ("a\nb\n{{.X\n.Y}}\n{{if\n.Z}}\nq{{end}}", "", "OK\u{1f}t\u{1d}a\nb\n{{.X .Y}}\n{{if .Z}}\nq{{end}}\u{1d}L@0[T@0\"a\\nb\\n\";A@6:3(P@6:3:={}{Cmd@6(F@6[\"X\"],F@9[\"Y\"])});T@13\"\\n\";If@19:6(P@19:6:={}{Cmd@19(F@19[\"Z\"])})L@23[T@23\"\\nq\"]]"),
    ("a\n\n{{.X\n|\n3}}", "", "ERR\u{1f}template: t:5: non executable command in pipeline stage 2"),
    ("{{if\n1}}\n{{end}}\n{{.X}}\n{{end}}", "", "ERR\u{1f}template: t:5: unexpected {{end}}"),
    ("{{break}}", "b", "OK\u{1f}t\u{1d}{{break}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(I@2\"break\")})]"),
    ("{{range .}}{{break}}{{continue}}{{end}}", "b", "OK\u{1f}t\u{1d}{{range .}}{{break}}{{continue}}{{end}}\u{1d}L@0[Range@8:1(P@8:1:={}{Cmd@8(D@8)})L@11[A@13:1(P@13:1:={}{Cmd@13(I@13\"break\")});A@22:1(P@22:1:={}{Cmd@22(I@22\"continue\")})]]"),
    ("{{range .}}{{break 1}}{{end}}", "b", "OK\u{1f}t\u{1d}{{range .}}{{break 1}}{{end}}\u{1d}L@0[Range@8:1(P@8:1:={}{Cmd@8(D@8)})L@11[A@13:1(P@13:1:={}{Cmd@13(I@13\"break\",Num@19\"1\"{1110 i1 u1 f3ff0000000000000})})]]"),
    ("<<.X>> {{.Y}} <<- .Z ->> <</* c */>>", "d", "OK\u{1f}t\u{1d}{{.X}} {{.Y}}{{.Z}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(F@2[\"X\"])});T@6\" {{.Y}}\";A@18:1(P@18:1:={}{Cmd@18(F@18[\"Z\"])})]"),
    ("<<if .A>>a<<else>>b<<end>>", "d", "OK\u{1f}t\u{1d}{{if .A}}a{{else}}b{{end}}\u{1d}L@0[If@5:1(P@5:1:={}{Cmd@5(F@5[\"A\"])})L@9[T@9\"a\"]elseL@18[T@18\"b\"]]"),
    ("<<.X", "d", "ERR\u{1f}template: t:1: unclosed action"),
    ("{{.X.Y .Z | printf \"%d\" (len .A) | and $ .}}", "", "OK\u{1f}t\u{1d}{{.X.Y .Z | printf \"%d\" (len .A) | and $ .}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(F@4[\"X\",\"Y\"],F@7[\"Z\"]);Cmd@12(I@12\"printf\",S@19\"\\\"%d\\\"\"\"%d\",P@25:1:={}{Cmd@25(I@25\"len\",F@29[\"A\"])});Cmd@35(I@35\"and\",V@39[\"$\"],D@41)})]"),
    ("{{template \"x\" (.X).Y | printf}}", "", "OK\u{1f}t\u{1d}{{template \"x\" (.X).Y | printf}}\u{1d}L@0[Tmpl@11:1\"x\"(P@15:1:={}{Cmd@15(Ch@19(P@16:1:={}{Cmd@16(F@16[\"X\"])})[\"Y\"]);Cmd@24(I@24\"printf\")})]"),
    ("{{block \"a\" .X}}{{range .}}{{.}}{{end}}{{end}}", "", "OK\u{1f}a\u{1d}{{range .}}{{.}}{{end}}\u{1d}L@16[Range@24:1(P@24:1:={}{Cmd@24(D@24)})L@27[A@29:1(P@29:1:={}{Cmd@29(D@29)})]]\u{1f}t\u{1d}{{template \"a\" .X}}\u{1d}L@0[Tmpl@8:1\"a\"(P@12:1:={}{Cmd@12(F@12[\"X\"])})]"),
    ("{{range .}}{{block \"a\" .}}{{break}}{{end}}{{end}}", "", "ERR\u{1f}template: t:1: {{break}} outside {{range}}"),
    ("{{$x := 1}}{{block \"a\" .}}{{$x}}{{end}}", "", "ERR\u{1f}template: t:1: undefined variable \"$x\""),
    ("{{range $x := .}}{{end}}{{$x}}", "", "ERR\u{1f}template: t:1: undefined variable \"$x\""),
    ("{{\"a\" | printf}}", "", "OK\u{1f}t\u{1d}{{\"a\" | printf}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(S@2\"\\\"a\\\"\"\"a\");Cmd@8(I@8\"printf\")})]"),
    ("{{printf | \"a\"}}", "", "ERR\u{1f}template: t:1: non executable command in pipeline stage 2"),
    ("{{nil}}", "", "OK\u{1f}t\u{1d}{{nil}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(N@2)})]"),
    ("{{(nil).X}}", "", "OK\u{1f}t\u{1d}{{(nil).X}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(Ch@7(P@3:1:={}{Cmd@3(N@3)})[\"X\"])})]"),
    ("{{$x := 1}}{{($x).Y}}", "", "OK\u{1f}t\u{1d}{{$x := 1}}{{($x).Y}}\u{1d}L@0[A@2:1(P@2:1:={V@2[\"$x\"]}{Cmd@8(Num@8\"1\"{1110 i1 u1 f3ff0000000000000})});A@13:1(P@13:1:={}{Cmd@13(Ch@17(P@14:1:={}{Cmd@14(V@14[\"$x\"])})[\"Y\"])})]"),
    ("{{range $i, $v, $w := .}}{{end}}", "", "ERR\u{1f}template: t:1: too many declarations in range"),
    ("{{range $i, .}}{{end}}", "", "ERR\u{1f}template: t:1: range can only initialize variables"),
    ("{{range $i, }}{{end}}", "", "ERR\u{1f}template: t:1: missing value for range"),
    ("{{range $i := $j := .}}{{end}}", "", "ERR\u{1f}template: t:1: undefined variable \"$j\""),
    ("{{$x .}}", "", "ERR\u{1f}template: t:1: undefined variable \"$x\""),
    ("{{$x:=1}}{{$x .}}", "", "OK\u{1f}t\u{1d}{{$x := 1}}{{$x .}}\u{1d}L@0[A@2:1(P@2:1:={V@2[\"$x\"]}{Cmd@6(Num@6\"1\"{1110 i1 u1 f3ff0000000000000})});A@11:1(P@11:1:={}{Cmd@11(V@11[\"$x\"],D@14)})]"),
    ("{{$x}}", "", "ERR\u{1f}template: t:1: undefined variable \"$x\""),
    ("{{(1) (2)}}", "", "OK\u{1f}t\u{1d}{{(1) (2)}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(P@3:1:={}{Cmd@3(Num@3\"1\"{1110 i1 u1 f3ff0000000000000})},P@7:1:={}{Cmd@7(Num@7\"2\"{1110 i2 u2 f4000000000000000})})})]"),
    ("{{.X:=1}}", "", "ERR\u{1f}template: t:1: unexpected \":=\" in operand"),
    ("{{.X :}}", "", "ERR\u{1f}template: t:1: expected :="),
    ("{{\"unterminated}}", "", "ERR\u{1f}template: t:1: unterminated quoted string"),
    ("{{`unterminated}}", "", "ERR\u{1f}template: t:1: unterminated raw quoted string"),
    ("{{'\n'}}", "", "ERR\u{1f}template: t:1: unterminated character constant"),
    ("{{'\\\n'}}", "", "ERR\u{1f}template: t:1: unterminated character constant"),
    ("{{true.X}}", "", "ERR\u{1f}template: t:1: unexpected . after term \"true\""),
    ("{{.X true}}", "", "OK\u{1f}t\u{1d}{{.X true}}\u{1d}L@0[A@2:1(P@2:1:={}{Cmd@2(F@2[\"X\"],B@5true)})]"),
    ("{{.X,}}", "", "ERR\u{1f}template: t:1: unexpected \",\" in operand"),
    ("{{range .X, .Y}}{{end}}", "", "ERR\u{1f}template: t:1: unexpected \",\" in operand"),
    ];
}
