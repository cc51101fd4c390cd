//! The executor: walks a parse tree with Go's `text/template` semantics.
//!
//! The structure follows Go's `exec.go` closely because every observable
//! detail (which node an error points at, when a nil becomes "no value", how
//! arguments are converted) is part of the behaviour we must reproduce.

use std::any::Any;
use std::fmt;

use crate::ast::{
    Arg, BranchList, BranchNode, ChainNode, CommandNode, FieldNode, IdentifierNode, ListNode, Node,
    NumberNode, PipeNode, TemplateNode, Tree, VariableNode,
};
use crate::builtins;
use crate::func::{FuncError, Function};
use crate::gofmt;
use crate::gostr::Output;
use crate::strconv;
use crate::template::{ExecError, MissingKey, TemplateSet, ValueLimits};
use crate::value::{IntKind, Kind, Str, Type, UintKind, Value};

/// How control leaves a node early.
pub(crate) enum Flow {
    Break,
    Continue,
    Err(Box<ExecError>),
}

type R<T> = Result<T, Flow>;

/// The node execution is at, for error messages.
#[derive(Clone, Copy)]
enum At<'a> {
    None,
    Node(&'a Node),
    Arg(&'a Arg),
    Pipe(&'a PipeNode),
    Cmd(&'a CommandNode),
    Template(&'a TemplateNode),
}

impl At<'_> {
    fn pos(&self) -> usize {
        match self {
            At::None => 0,
            At::Node(n) => n.pos(),
            At::Arg(a) => a.pos(),
            At::Pipe(p) => p.pos,
            At::Cmd(c) => c.pos,
            At::Template(t) => t.pos,
        }
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::None => Ok(()),
            At::Node(n) => n.fmt(f),
            At::Arg(a) => a.fmt(f),
            At::Pipe(p) => p.fmt(f),
            At::Cmd(c) => c.fmt(f),
            At::Template(t) => t.fmt(f),
        }
    }
}

/// Stack space kept free before recursing deeper; below it, a new segment is allocated.
const STACK_RED_ZONE: usize = 128 * 1024;
const STACK_SEGMENT: usize = 4 * 1024 * 1024;

/// What a function sees of the executor when it is called.
pub struct Call<'a> {
    set: &'a TemplateSet,
    tree: &'a Tree,
    pos: usize,
    name: &'a str,
    dot: &'a Value,
    depth: usize,
    ext: &'a mut dyn Any,
}

impl<'a> Call<'a> {
    /// The template set being executed (use it to run other templates).
    pub fn set(&self) -> &'a TemplateSet {
        self.set
    }
    /// The function's name as called.
    pub fn name(&self) -> &str {
        self.name
    }
    /// The dot at the call site.
    pub fn dot(&self) -> &Value {
        self.dot
    }
    /// Name of the template executing the call.
    pub fn template_name(&self) -> &str {
        &self.tree.name
    }
    /// `file:line:col` of the call site, as Go prints locations.
    pub fn location(&self) -> String {
        self.tree.location(self.pos)
    }
    /// Nesting depth of `{{template}}` calls at the call site.
    pub fn depth(&self) -> usize {
        self.depth
    }
    /// Caller-provided state passed to [`TemplateSet::execute_with`].
    pub fn ext(&mut self) -> &mut dyn Any {
        self.ext
    }
}

pub(crate) struct State<'a, 'o> {
    set: &'a TemplateSet,
    tree: &'a Tree,
    out: &'o mut Output,
    /// Most templates declare only a few variables: kept inline.
    vars: smallvec::SmallVec<[Var; 8]>,
    /// Whether dot came out of an `interface {}` slot (a list or map element);
    /// Go then names its static type `interface {}` in field errors.
    dot_boxed: bool,
    depth: usize,
    at: At<'a>,
    ext: &'o mut dyn Any,
    steps: u64,
}

/// A command's piped-in value; `None` is Go's `missingVal`.
type Final = Option<Value>;

impl<'a, 'o> State<'a, 'o> {
    pub(crate) fn new(
        set: &'a TemplateSet,
        tree: &'a Tree,
        out: &'o mut Output,
        ext: &'o mut dyn Any,
    ) -> Self {
        State {
            set,
            tree,
            out,
            vars: smallvec::SmallVec::new(),
            dot_boxed: false,
            depth: 0,
            at: At::None,
            ext,
            steps: 0,
        }
    }

    pub(crate) fn run(mut self, data: &Value) -> Result<(), ExecError> {
        // Go's Execute takes `data any`: a nil there is no value at all
        // (`reflect.ValueOf(nil)`), so fields of it are empty, not errors.
        let data = match data {
            Value::Nil => &Value::Invalid,
            d => d,
        };
        self.vars.push(Var::new(dollar(), data.clone(), false));
        let tree = self.tree;
        match self.walk_list(data, &tree.root) {
            Ok(()) => Ok(()),
            Err(Flow::Err(e)) => Err(*e),
            // The parser rejects break/continue outside range.
            Err(Flow::Break) | Err(Flow::Continue) => Ok(()),
        }
    }

    // ---- errors ----

    fn at(&mut self, at: At<'a>) {
        self.at = at;
    }

    /// Go's `state.errorf`: prefixes location and context.
    fn error_msg(&self, msg: impl fmt::Display) -> String {
        let name = strconv::quote(&self.tree.name);
        match self.at {
            At::None => format!("template: {}: {}", self.tree.name, msg),
            at => format!(
                "template: {}: executing {} at <{}>: {}",
                self.tree.location(at.pos()),
                name,
                at,
                msg
            ),
        }
    }

    fn err<T>(&self, msg: impl fmt::Display) -> R<T> {
        Err(Flow::Err(Box::new(ExecError {
            name: self.tree.name.clone(),
            message: self.error_msg(msg),
            source: None,
        })))
    }

    fn err_calling<T>(&self, name: &str, e: FuncError) -> R<T> {
        let message = self.error_msg(format_args!("error calling {name}: {e}"));
        Err(Flow::Err(Box::new(ExecError {
            name: self.tree.name.clone(),
            message,
            source: Some(e),
        })))
    }

    // ---- variables ----

    fn mark(&self) -> usize {
        self.vars.len()
    }

    fn pop(&mut self, mark: usize) {
        self.vars.truncate(mark);
    }

    fn set_var(&mut self, name: &str, value: Value, boxed: bool) -> R<()> {
        if let Some(slot) = self
            .vars
            .iter_mut()
            .rev()
            .find(|v| same_name(&v.name, name))
        {
            slot.value = value;
            slot.boxed = boxed;
            return Ok(());
        }
        self.err(format_args!("undefined variable: {name}"))
    }

    fn set_top_var(&mut self, n: usize, value: Value, boxed: bool) {
        let len = self.vars.len();
        let slot = &mut self.vars[len - n];
        slot.value = value;
        slot.boxed = boxed;
    }

    fn var_value(&self, name: &str) -> R<(Value, bool)> {
        match self.vars.iter().rev().find(|v| same_name(&v.name, name)) {
            Some(v) => Ok((v.value.clone(), v.boxed)),
            None => self.err(format_args!("undefined variable: {name}")),
        }
    }

    // ---- walking ----

    /// A branch's list, decoded first if it was left encoded.
    fn walk_branch(&mut self, dot: &Value, list: &'a BranchList) -> R<()> {
        match list.get() {
            Some(list) => self.walk_list(dot, list),
            None => self.err("the template's compiled form is damaged"),
        }
    }

    fn walk_list(&mut self, dot: &Value, list: &'a ListNode) -> R<()> {
        for node in &list.nodes {
            self.walk(dot, node)?;
        }
        Ok(())
    }

    fn walk(&mut self, dot: &Value, node: &'a Node) -> R<()> {
        stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || self.walk_inner(dot, node))
    }

    fn walk_inner(&mut self, dot: &Value, node: &'a Node) -> R<()> {
        self.at(At::Node(node));
        self.step()?;
        match node {
            Node::Action(action) => {
                let val = self.eval_pipeline(dot, Some(&action.pipe))?;
                if action.pipe.decl.is_empty() {
                    self.print_value(node, &val)?;
                }
                Ok(())
            }
            Node::Break(_) => Err(Flow::Break),
            Node::Continue(_) => Err(Flow::Continue),
            Node::Comment(_) => Ok(()),
            Node::If(b) => self.walk_if_or_with(false, dot, b),
            Node::With(b) => self.walk_if_or_with(true, dot, b),
            Node::List(list) => self.walk_list(dot, list),
            Node::Range(r) => self.walk_range(dot, node, r),
            Node::Template(t) => self.walk_template(dot, t),
            Node::Text(t) => {
                match &t.raw {
                    None => self.out.push_str(&t.text),
                    Some(b) => self.out.push_bytes(b),
                }
                self.check_output()
            }
        }
    }

    fn walk_if_or_with(&mut self, is_with: bool, dot: &Value, b: &'a BranchNode) -> R<()> {
        let mark = self.mark();
        let result = (|| {
            let val = self.eval_pipeline(dot, Some(&b.pipe))?;
            if val.is_true() {
                if is_with {
                    let saved = std::mem::replace(&mut self.dot_boxed, false);
                    let r = self.walk_branch(&val, &b.list);
                    self.dot_boxed = saved;
                    r
                } else {
                    self.walk_branch(dot, &b.list)
                }
            } else if let Some(else_list) = &b.else_list {
                self.walk_branch(dot, else_list)
            } else {
                Ok(())
            }
        })();
        self.pop(mark);
        result
    }

    fn walk_range(&mut self, dot: &Value, node: &'a Node, r: &'a BranchNode) -> R<()> {
        self.at(At::Node(node));
        let outer_mark = self.mark();
        let result = self.walk_range_inner(dot, r);
        self.pop(outer_mark);
        match result {
            Err(Flow::Break) => Ok(()),
            other => other,
        }
    }

    fn walk_range_inner(&mut self, dot: &Value, r: &'a BranchNode) -> R<()> {
        let val = indirect_interface(self.eval_pipeline(dot, Some(&r.pipe))?);
        let val = val.underlying().into_owned();
        let mark = self.mark();
        let decls = r.pipe.decl.len();
        let ran = match &val {
            Value::Int(n, k) => {
                if decls > 1 {
                    return self.err(format_args!(
                        "can't use {} to iterate over more than one variable",
                        gofmt::sprint(std::slice::from_ref(&val))
                    ));
                }
                let (n, k) = (*n, *k);
                for i in 0..n.max(0) {
                    self.one_iteration(r, mark, Value::Invalid, Value::Int(i, k), false)?;
                }
                n > 0
            }
            Value::Uint(n, k) => {
                if decls > 1 {
                    return self.err(format_args!(
                        "can't use {} to iterate over more than one variable",
                        gofmt::sprint(std::slice::from_ref(&val))
                    ));
                }
                let (n, k) = (*n, *k);
                for i in 0..n {
                    self.one_iteration(r, mark, Value::Invalid, Value::Uint(i, k), false)?;
                }
                n > 0
            }
            Value::List(list) => {
                let boxed = elem_is_interface(&list.ty);
                for (i, item) in list.items.iter().enumerate() {
                    self.one_iteration(r, mark, Value::int(i as i64), item.clone(), boxed)?;
                }
                !list.items.is_empty()
            }
            Value::Map(map) => {
                let boxed = elem_is_interface(&map.ty);
                let entries = map.entries();
                for (k, v) in entries.iter() {
                    self.one_iteration(r, mark, Value::String(k.clone()), v.clone(), boxed)?;
                }
                !entries.is_empty()
            }
            Value::Invalid => false,
            _ => {
                // Go reports this at whatever node the pipeline evaluated last.
                // `indirect` first: a pointer's struct (printed by its
                // String method if the struct itself has one).
                let shown = match &val {
                    Value::Object(o) if o.go_type().kind() == Kind::Pointer && !o.is_nil() => {
                        match o.go_string().filter(|_| !o.stringer_on_pointer()) {
                            Some(s) => s,
                            None => gofmt::sprint_pointee(o.as_ref()),
                        }
                    }
                    _ => gofmt::sprint(std::slice::from_ref(&val)),
                };
                return self.err(format_args!("range can't iterate over {shown}"));
            }
        };
        if !ran {
            if let Some(else_list) = &r.else_list {
                return self.walk_branch(dot, else_list);
            }
        }
        Ok(())
    }

    fn one_iteration(
        &mut self,
        r: &'a BranchNode,
        mark: usize,
        index: Value,
        elem: Value,
        boxed: bool,
    ) -> R<()> {
        self.step()?;
        let decl = &r.pipe.decl;
        if !decl.is_empty() {
            if r.pipe.is_assign {
                if decl.len() > 1 {
                    self.set_var(&decl[0].ident[0], index.clone(), false)?;
                } else {
                    self.set_var(&decl[0].ident[0], elem.clone(), boxed)?;
                }
            } else {
                self.set_top_var(1, elem.clone(), boxed);
            }
        }
        if decl.len() > 1 {
            if r.pipe.is_assign {
                self.set_var(&decl[1].ident[0], elem.clone(), boxed)?;
            } else {
                self.set_top_var(2, index, false);
            }
        }
        let saved = std::mem::replace(&mut self.dot_boxed, boxed);
        let result = self.walk_branch(&elem, &r.list);
        self.dot_boxed = saved;
        self.pop(mark);
        match result {
            Err(Flow::Continue) => Ok(()),
            other => other,
        }
    }

    fn walk_template(&mut self, dot: &Value, t: &'a TemplateNode) -> R<()> {
        self.at(At::Template(t));
        let Some(tmpl) = self.set.lookup(&t.name) else {
            return self.err(format_args!(
                "template {} not defined",
                strconv::quote(&t.name)
            ));
        };
        if self.depth >= self.set.max_depth() {
            return self.err(format_args!(
                "exceeded maximum template depth ({})",
                self.set.max_depth()
            ));
        }
        let new_dot = self.eval_pipeline(dot, t.pipe.as_ref())?;
        let saved_tree = std::mem::replace(&mut self.tree, tmpl);
        let saved_vars = std::mem::replace(
            &mut self.vars,
            smallvec::smallvec![Var::new(dollar(), new_dot.clone(), false)],
        );
        let saved_at = self.at;
        let saved_boxed = std::mem::replace(&mut self.dot_boxed, false);
        self.depth += 1;
        let result = self.walk_list(&new_dot, &tmpl.root);
        self.depth -= 1;
        self.dot_boxed = saved_boxed;
        self.tree = saved_tree;
        self.vars = saved_vars;
        self.at = saved_at;
        result
    }

    // ---- evaluation ----

    fn eval_pipeline(&mut self, dot: &Value, pipe: Option<&'a PipeNode>) -> R<Value> {
        let Some(pipe) = pipe else {
            return Ok(Value::Invalid);
        };
        stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
            self.at(At::Pipe(pipe));
            let mut value: Final = None;
            for cmd in &pipe.cmds {
                let v = self.eval_command(dot, cmd, value.take())?;
                // A nil interface{} result becomes "no value" (Go digs into the interface).
                value = Some(match v {
                    Value::Nil => Value::Invalid,
                    v => v,
                });
            }
            let value = value.unwrap_or(Value::Invalid);
            for var in &pipe.decl {
                if pipe.is_assign {
                    self.set_var(&var.ident[0], value.clone(), false)?;
                } else {
                    self.vars
                        .push(Var::new(var.ident[0].clone(), value.clone(), false));
                }
            }
            Ok(value)
        })
    }

    fn not_a_function(&self, args: &'a [Arg], final_: &Final) -> R<()> {
        if args.len() > 1 || final_.is_some() {
            return self.err(format_args!(
                "can't give argument to non-function {}",
                args[0]
            ));
        }
        Ok(())
    }

    fn step(&mut self) -> R<()> {
        self.steps += 1;
        match self.set.step_limit() {
            Some(limit) if self.steps > limit => {
                self.err(format_args!("execution step limit ({limit}) exceeded"))
            }
            _ => Ok(()),
        }
    }

    fn eval_command(&mut self, dot: &Value, cmd: &'a CommandNode, final_: Final) -> R<Value> {
        self.step()?;
        let first = &cmd.args[0];
        match first {
            Arg::Field(f) => return self.eval_field_node(dot, first, f, Some(&cmd.args), final_),
            Arg::Chain(c) => return self.eval_chain_node(dot, first, c, Some(&cmd.args), final_),
            Arg::Identifier(id) => {
                return self.eval_function(dot, first, id, At::Cmd(cmd), Some(&cmd.args), final_)
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &final_)?;
                return self.eval_pipeline(dot, Some(p));
            }
            Arg::Variable(v) => {
                return self.eval_variable_node(dot, first, v, Some(&cmd.args), final_)
            }
            _ => {}
        }
        self.at(At::Arg(first));
        self.not_a_function(&cmd.args, &final_)?;
        match first {
            Arg::Bool(b) => Ok(Value::Bool(b.value)),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => self.err("nil is not a command"),
            Arg::Number(n) => self.ideal_constant(first, n),
            Arg::String(s) => Ok(s.value.clone()),
            _ => self.err(format_args!(
                "can't evaluate command {}",
                strconv::quote(&first.to_string())
            )),
        }
    }

    /// Go's `idealConstant`: a literal with no type context.
    fn ideal_constant(&mut self, arg: &'a Arg, n: &NumberNode) -> R<Value> {
        self.at(At::Arg(arg));
        let text = &*n.text;
        let is_hex_int = text.len() > 2
            && text.as_bytes()[0] == b'0'
            && matches!(text.as_bytes()[1], b'x' | b'X')
            && !text.contains(['p', 'P']);
        let is_rune = text.starts_with('\'');
        if n.is_complex {
            Ok(Value::Complex(n.complex128.0, n.complex128.1))
        } else if n.is_float && !is_hex_int && !is_rune && text.contains(['.', 'e', 'E', 'p', 'P'])
        {
            Ok(Value::Float(n.float64))
        } else if n.is_int {
            Ok(Value::int(n.int64))
        } else if n.is_uint {
            self.err(format_args!("{text} overflows int"))
        } else {
            Ok(Value::Invalid)
        }
    }

    fn eval_field_node(
        &mut self,
        dot: &Value,
        node: &'a Arg,
        field: &'a FieldNode,
        args: Option<&'a [Arg]>,
        final_: Final,
    ) -> R<Value> {
        self.at(At::Arg(node));
        let boxed = self.dot_boxed;
        self.eval_field_chain(dot, (dot.clone(), boxed), node, &field.ident, args, final_)
    }

    fn eval_chain_node(
        &mut self,
        dot: &Value,
        node: &'a Arg,
        chain: &'a ChainNode,
        args: Option<&'a [Arg]>,
        final_: Final,
    ) -> R<Value> {
        self.at(At::Arg(node));
        if chain.field.is_empty() {
            return self.err("internal error: no fields in evalChainNode");
        }
        if let Arg::Nil(_) = *chain.node {
            return self.err(format_args!("indirection through explicit nil in {node}"));
        }
        let pipe = self.eval_arg(dot, None, &chain.node)?;
        self.eval_field_chain(dot, (pipe, false), node, &chain.field, args, final_)
    }

    fn eval_variable_node(
        &mut self,
        dot: &Value,
        node: &'a Arg,
        var: &'a VariableNode,
        args: Option<&'a [Arg]>,
        final_: Final,
    ) -> R<Value> {
        self.at(At::Arg(node));
        let (value, boxed) = self.var_value(&var.ident[0])?;
        if var.ident.len() == 1 {
            if let Some(args) = args {
                self.not_a_function(args, &final_)?;
            } else if final_.is_some() {
                return self.err(format_args!("can't give argument to non-function {node}"));
            }
            return Ok(value);
        }
        self.eval_field_chain(dot, (value, boxed), node, &var.ident[1..], args, final_)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Value,
        mut receiver: (Value, bool),
        node: &'a Arg,
        ident: &'a [Str],
        args: Option<&'a [Arg]>,
        final_: Final,
    ) -> R<Value> {
        let n = ident.len();
        for name in &ident[..n - 1] {
            receiver = self.eval_field(dot, name, node, None, None, receiver)?;
        }
        Ok(self
            .eval_field(dot, &ident[n - 1], node, args, final_, receiver)?
            .0)
    }

    fn eval_function(
        &mut self,
        dot: &Value,
        node: &'a Arg,
        id: &'a IdentifierNode,
        call_node: At<'a>,
        args: Option<&'a [Arg]>,
        final_: Final,
    ) -> R<Value> {
        self.at(At::Arg(node));
        let name = &*id.ident;
        let set: &'a TemplateSet = self.set;
        if let Some(f) = set.funcs().get(name) {
            return self.eval_call(dot, f, None, call_node, name, args, final_);
        }
        if let Some(b) = builtins::lookup(name) {
            return self.eval_call(
                dot,
                &b.function,
                Some(b.which),
                call_node,
                name,
                args,
                final_,
            );
        }
        self.err(format_args!(
            "{} is not a defined function",
            strconv::quote(name)
        ))
    }

    /// Go's `evalField`: `.Name` on `receiver`, possibly a method call with arguments.
    /// A receiver and the result carry whether they sit in an `interface {}` slot.
    fn eval_field(
        &mut self,
        dot: &Value,
        name: &str,
        node: &'a Arg,
        args: Option<&'a [Arg]>,
        final_: Final,
        (receiver, boxed): (Value, bool),
    ) -> R<(Value, bool)> {
        match &receiver {
            Value::Invalid => {
                if self.set.missing_key() == MissingKey::Error {
                    return self.err(format_args!(
                        "nil data; no entry for key {}",
                        strconv::quote(name)
                    ));
                }
                return Ok((Value::Invalid, false));
            }
            Value::Nil => {
                return self.err(format_args!("nil pointer evaluating interface {{}}.{name}"));
            }
            _ => {}
        }
        let method = match &receiver {
            Value::Object(obj) => obj.method(name),
            Value::Map(map) => self.set.map_method(map, name),
            _ => None,
        };
        if let Some(method) = method {
            let v = self.eval_call(dot, &method, None, At::Arg(node), name, args, final_)?;
            return Ok((v, false));
        }
        let has_args = args.is_some_and(|a| a.len() > 1) || final_.is_some();
        // An object of a map type (helm's `.Files`): a field is a key.
        let receiver = match &receiver {
            Value::Object(obj) if obj.go_type().kind() == Kind::Map => match obj.underlying() {
                Some(m @ Value::Map(_)) => m,
                _ => receiver,
            },
            _ => receiver,
        };
        match &receiver {
            Value::Map(map) => {
                if has_args {
                    return self.err(format_args!("{name} is not a method but has arguments"));
                }
                let Type::Map { elem, .. } = &map.ty else {
                    unreachable!("map value with non-map type")
                };
                let elem_boxed = **elem == Type::Interface;
                if let Some(v) = map.get(name) {
                    return Ok((v, elem_boxed));
                }
                return match self.set.missing_key() {
                    MissingKey::Invalid => Ok((Value::Invalid, false)),
                    MissingKey::Zero => Ok((zero_value(elem), elem_boxed)),
                    MissingKey::Error => self.err(format_args!(
                        "map has no entry for key {}",
                        strconv::quote(name)
                    )),
                };
            }
            Value::Object(obj) => {
                let ty = obj.go_type();
                if obj.unexported_field(name) && !(obj.is_nil() && ty.kind() == Kind::Pointer) {
                    return self.err(format_args!(
                        "{name} is an unexported field of struct type {ty}"
                    ));
                }
                if obj.is_nil() && ty.kind() == Kind::Pointer {
                    if obj.field(name).is_some() {
                        return self.err(format_args!("nil pointer evaluating {ty}.{name}"));
                    }
                } else if let Some(v) = obj.field(name) {
                    if has_args {
                        return self.err(format_args!(
                            "{name} has arguments but cannot be invoked as function"
                        ));
                    }
                    return Ok((v, false));
                }
            }
            _ => {}
        }
        let type_name = if boxed {
            "interface {}".to_string()
        } else {
            receiver.type_name()
        };
        self.err(format_args!(
            "can't evaluate field {name} in type {type_name}"
        ))
    }

    /// Go's `evalCall`. `builtin` is set for Go's own builtins (and/or/call are special).
    #[allow(clippy::too_many_arguments)]
    fn eval_call(
        &mut self,
        dot: &Value,
        fun: &Function,
        builtin: Option<builtins::Builtin>,
        node: At<'a>,
        name: &str,
        args: Option<&'a [Arg]>,
        final_: Final,
    ) -> R<Value> {
        let args: &'a [Arg] = match args {
            Some(a) => &a[1..],
            None => &[],
        };
        let num_in = args.len() + usize::from(final_.is_some());
        let num_fixed = if fun.variadic.is_some() {
            let fixed = fun.params.len();
            if num_in < fixed {
                return self.err(format_args!(
                    "wrong number of args for {name}: want at least {fixed} got {}",
                    args.len()
                ));
            }
            fixed
        } else {
            if num_in != fun.params.len() {
                return self.err(format_args!(
                    "wrong number of args for {name}: want {} got {num_in}",
                    fun.params.len()
                ));
            }
            args.len()
        };
        if let Some(e) = fun.signature_error() {
            return self.err(format_args!("{e}"));
        }

        if let Some(which @ (builtins::Builtin::And | builtins::Builtin::Or)) = builtin {
            let is_or = which == builtins::Builtin::Or;
            let mut v = Value::Invalid;
            for arg in args {
                v = self.eval_arg(dot, Some(&Type::ReflectValue), arg)?;
                if truth(&v) == is_or {
                    return Ok(v);
                }
            }
            if let Some(f) = final_ {
                v = self.validate_type(f, Some(&Type::ReflectValue))?;
            }
            return Ok(v);
        }

        // Most calls take a few arguments: kept on the stack.
        let mut argv: smallvec::SmallVec<[Value; 6]> = smallvec::SmallVec::with_capacity(
            num_in + usize::from(builtin == Some(builtins::Builtin::Call)),
        );
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            argv.push(self.eval_arg(dot, Some(&fun.params[i]), &args[i])?);
            i += 1;
        }
        if let Some(elem) = &fun.variadic {
            while i < args.len() {
                argv.push(self.eval_arg(dot, Some(elem), &args[i])?);
                i += 1;
            }
        }
        if let Some(f) = final_ {
            let t = match &fun.variadic {
                Some(elem) if num_in > num_fixed => elem,
                _ => &fun.params[num_in - 1],
            };
            argv.push(self.validate_type(f, Some(t))?);
        }

        if builtin == Some(builtins::Builtin::Call) {
            let callee = match args.first() {
                Some(a) => a.to_string(),
                None => match argv.first() {
                    Some(v) => gofmt::sprint(std::slice::from_ref(v)),
                    None => String::new(),
                },
            };
            argv.insert(0, Value::string(callee));
        }

        // A function gets its arguments as copies (addressable ones lose
        // their pointer methods), except the builtins' `reflect.Value`
        // parameters, which get the value itself (`index` with no indexes
        // returns it still addressable).
        for (n, a) in argv.iter_mut().enumerate() {
            let ty = if n < fun.params.len() {
                Some(&fun.params[n])
            } else {
                fun.variadic.as_ref()
            };
            if ty == Some(&Type::ReflectValue) && builtin != Some(builtins::Builtin::Call) {
                continue;
            }
            if let Value::Object(o) = a {
                if let Some(copy) = o.interface_copy() {
                    *a = copy;
                }
            }
        }

        let limits = self.set.value_limits();
        if let Some(e) = limits.and_then(|l| oversized(&argv, l, "arguments", "exceed")) {
            self.at(node);
            return self.err_calling(name, e);
        }
        let tree = self.tree;
        let pos = node.pos();
        let mut call = Call {
            set: self.set,
            tree,
            pos,
            name,
            dot,
            depth: self.depth,
            ext: &mut *self.ext,
        };
        match fun.call(&mut call, &argv) {
            Ok(v) => {
                let one = std::slice::from_ref(&v);
                if let Some(e) = limits.and_then(|l| oversized(one, l, "result", "exceeds")) {
                    self.at(node);
                    return self.err_calling(name, e);
                }
                Ok(v)
            }
            Err(e) => {
                self.at(node);
                self.err_calling(name, e)
            }
        }
    }

    /// Go's `validateType`: checks (and for untyped nil, converts) an argument.
    /// `typ == None` means "no type constraint".
    fn validate_type(&self, value: Value, typ: Option<&Type>) -> R<Value> {
        if let Value::Invalid = value {
            return match typ {
                None => Ok(Value::Invalid),
                Some(t) if t.can_be_nil() => Ok(zero_value(t)),
                Some(t) => self.err(format_args!("invalid value; expected {t}")),
            };
        }
        let Some(typ) = typ else {
            return Ok(value);
        };
        // Everything is assignable to `interface {}` and taken as is by a
        // reflect.Value parameter; a value of the parameter's own type is
        // taken as is (without building its type to compare).
        let own_type = match (typ, &value) {
            (Type::ReflectValue | Type::Interface, _)
            | (Type::String, Value::String(_))
            | (Type::Bool, Value::Bool(_))
            | (Type::Float64, Value::Float(_))
            | (Type::Complex128, Value::Complex(..)) => true,
            (Type::Int(k), Value::Int(_, vk)) => k == vk,
            (Type::Uint(k), Value::Uint(_, vk)) => k == vk,
            (Type::Map { .. }, Value::Map(m)) => m.ty == *typ,
            (Type::Slice { .. }, Value::List(l)) => l.ty == *typ,
            _ => false,
        };
        if own_type {
            return Ok(value);
        }
        let vt = value.go_type().unwrap_or(Type::Interface);
        if !vt.assignable_to(typ) {
            return self.err(format_args!(
                "wrong type for value; expected {typ}; got {vt}"
            ));
        }
        // The callee sees the parameter's type (same map, new static type).
        if let Value::Map(m) = &value {
            if vt != *typ && matches!(typ, Type::Map { .. }) {
                return Ok(Value::Map(std::sync::Arc::new(crate::value::Map::retyped(
                    m,
                    typ.clone(),
                ))));
            }
        }
        Ok(value)
    }

    /// Go's `evalArg`: evaluates an argument for a parameter of type `typ`.
    fn eval_arg(&mut self, dot: &Value, typ: Option<&Type>, n: &'a Arg) -> R<Value> {
        self.at(At::Arg(n));
        match n {
            Arg::Dot(_) => return self.validate_type(dot.clone(), typ),
            Arg::Nil(_) => {
                return match typ {
                    Some(t) if t.can_be_nil() => Ok(zero_value(t)),
                    Some(t) => self.err(format_args!("cannot assign nil to {t}")),
                    None => self.err("cannot assign nil to <nil>"),
                };
            }
            Arg::Field(f) => {
                let v = self.eval_field_node(dot, n, f, Some(std::slice::from_ref(n)), None)?;
                return self.validate_type(v, typ);
            }
            Arg::Variable(var) => {
                let v = self.eval_variable_node(dot, n, var, None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Pipe(p) => {
                let v = self.eval_pipeline(dot, Some(p))?;
                return self.validate_type(v, typ);
            }
            Arg::Identifier(id) => {
                let v = self.eval_function(dot, n, id, At::Arg(n), None, None)?;
                return self.validate_type(v, typ);
            }
            Arg::Chain(c) => {
                let v = self.eval_chain_node(dot, n, c, None, None)?;
                return self.validate_type(v, typ);
            }
            _ => {}
        }
        let Some(typ) = typ else {
            // Go would dereference a nil reflect.Type here; only reachable from
            // chain nodes, whose operand is never a literal of this kind.
            return self.eval_empty_interface(dot, n);
        };
        match typ {
            Type::Bool => match n {
                Arg::Bool(b) => Ok(Value::Bool(b.value)),
                _ => self.err(format_args!("expected bool; found {n}")),
            },
            Type::Complex128 => match n {
                Arg::Number(num) if num.is_complex => {
                    Ok(Value::Complex(num.complex128.0, num.complex128.1))
                }
                _ => self.err(format_args!("expected complex; found {n}")),
            },
            Type::Float64 => match n {
                Arg::Number(num) if num.is_float => Ok(Value::Float(num.float64)),
                _ => self.err(format_args!("expected float; found {n}")),
            },
            Type::Int(k) => match n {
                Arg::Number(num) if num.is_int => Ok(Value::Int(truncate_int(num.int64, *k), *k)),
                _ => self.err(format_args!("expected integer; found {n}")),
            },
            Type::Uint(k) => match n {
                Arg::Number(num) if num.is_uint => {
                    Ok(Value::Uint(truncate_uint(num.uint64, *k), *k))
                }
                _ => self.err(format_args!("expected unsigned integer; found {n}")),
            },
            Type::String => match n {
                Arg::String(s) => Ok(s.value.clone()),
                _ => self.err(format_args!("expected string; found {n}")),
            },
            Type::Interface | Type::ReflectValue => self.eval_empty_interface(dot, n),
            // A named integer type (`time.Duration`): a constant of it.
            Type::Other {
                kind: kind @ (Kind::Int | Kind::Int64),
                ..
            } => match n {
                Arg::Number(num) if num.is_int => {
                    let k = if *kind == Kind::Int {
                        IntKind::Int
                    } else {
                        IntKind::Int64
                    };
                    Ok(Value::Int(num.int64, k))
                }
                _ => self.err(format_args!("expected integer; found {n}")),
            },
            other => self.err(format_args!("can't handle {n} for arg of type {other}")),
        }
    }

    fn eval_empty_interface(&mut self, dot: &Value, n: &'a Arg) -> R<Value> {
        self.at(At::Arg(n));
        match n {
            Arg::Bool(b) => Ok(Value::Bool(b.value)),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Field(f) => self.eval_field_node(dot, n, f, None, None),
            Arg::Identifier(id) => self.eval_function(dot, n, id, At::Arg(n), None, None),
            Arg::Nil(_) => self.err("evalEmptyInterface: nil (can't happen)"),
            Arg::Number(num) => self.ideal_constant(n, num),
            Arg::String(s) => Ok(s.value.clone()),
            Arg::Variable(v) => self.eval_variable_node(dot, n, v, None, None),
            Arg::Pipe(p) => self.eval_pipeline(dot, Some(p)),
            Arg::Chain(_) => self.err(format_args!(
                "can't handle assignment of {n} to empty interface argument"
            )),
        }
    }

    fn print_value(&mut self, node: &'a Node, v: &Value) -> R<()> {
        self.at(At::Node(node));
        match v {
            Value::Invalid => self.out.push_str("<no value>"),
            Value::Object(o) if o.go_string().is_none() && o.go_type().kind() == Kind::Func => {
                return self.err(format_args!("can't print {node} of type {}", v.type_name()));
            }
            // text/template takes an addressable value's address for a
            // pointer method.
            Value::Object(o) if o.stringer_on_pointer() && o.addressable() => match o.go_string() {
                Some(s) => gofmt::fprint_output(self.out, &Value::from(s.as_str())),
                None => gofmt::fprint_output(self.out, v),
            },
            Value::Object(o)
                if o.go_type().kind() == Kind::Pointer
                    && !o.is_nil()
                    && o.go_string().is_none() =>
            {
                gofmt::fprint_output_pointee(self.out, o.as_ref())
            }
            v => gofmt::fprint_output(self.out, v),
        }
        self.check_output()
    }

    fn check_output(&self) -> R<()> {
        match self.set.output_limit() {
            Some(limit) if self.out.len() > limit => self.err(format_args!(
                "output of {} bytes exceeds chartgen's limit of {limit} bytes",
                self.out.len()
            )),
            _ => Ok(()),
        }
    }
}

/// The error for values over `limits` (strings by bytes, lists by items,
/// summed over `values`), if they are.
#[inline]
fn oversized(values: &[Value], limits: ValueLimits, what: &str, verb: &str) -> Option<FuncError> {
    let (mut bytes, mut items) = (0usize, 0usize);
    for v in values {
        match v {
            Value::String(s) => bytes = bytes.saturating_add(s.len()),
            Value::Bytes(b) => bytes = bytes.saturating_add(b.as_bytes().len()),
            Value::List(l) => items = items.saturating_add(l.items.len()),
            _ => {}
        }
    }
    if bytes <= limits.max_string_bytes && items <= limits.max_list_items {
        return None;
    }
    oversized_error(bytes, items, limits, what, verb)
}

#[cold]
fn oversized_error(
    bytes: usize,
    items: usize,
    limits: ValueLimits,
    what: &str,
    verb: &str,
) -> Option<FuncError> {
    let msg = if bytes > limits.max_string_bytes {
        format!(
            "{what} of {bytes} bytes {verb} chartgen's limit of {} bytes",
            limits.max_string_bytes
        )
    } else if items > limits.max_list_items {
        format!(
            "{what} of {items} list items {verb} chartgen's limit of {}",
            limits.max_list_items
        )
    } else {
        return None;
    };
    Some(msg.into())
}

/// A variable on the executor's stack.
/// The name `$`, shared instead of allocated for every execution.
fn dollar() -> Str {
    static DOLLAR: std::sync::LazyLock<Str> = std::sync::LazyLock::new(|| "$".into());
    DOLLAR.clone()
}

/// Whether two variable names are the same. A template's parse shares one
/// string per name, so a use usually finds its declaration by address;
/// other names mostly differ in length or in their last byte (all begin
/// with `$`).
#[inline]
fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && (a.as_ptr() == b.as_ptr() || (a.as_bytes().last() == b.as_bytes().last() && a == b))
}

struct Var {
    name: Str,
    value: Value,
    /// Holds a list or map element of type `interface {}` (see `State::dot_boxed`).
    boxed: bool,
}

impl Var {
    fn new(name: Str, value: Value, boxed: bool) -> Var {
        Var { name, value, boxed }
    }
}

fn elem_is_interface(container: &Type) -> bool {
    matches!(container, Type::Slice { elem, .. } | Type::Map { elem, .. } if **elem == Type::Interface)
}

/// Go's `indirectInterface`: a nil held in an interface becomes no value.
pub(crate) fn indirect_interface(v: Value) -> Value {
    match v {
        Value::Nil => Value::Invalid,
        v => v,
    }
}

/// Go's `truth` helper for and/or/not.
pub(crate) fn truth(v: &Value) -> bool {
    v.is_true()
}

/// The zero value of a type (`reflect.Zero`).
pub fn zero_value(t: &Type) -> Value {
    match t {
        Type::Interface => Value::Nil,
        Type::ReflectValue => Value::Invalid,
        Type::Bool => Value::Bool(false),
        Type::Int(k) => Value::Int(0, *k),
        Type::Uint(k) => Value::Uint(0, *k),
        Type::Float64 => Value::Float(0.0),
        Type::Complex128 => Value::Complex(0.0, 0.0),
        Type::String => Value::string(""),
        Type::Slice { .. } => Value::List(std::sync::Arc::new(crate::value::List {
            ty: t.clone(),
            items: Vec::new(),
            nil: true,
            spare: Default::default(),
        })),
        Type::Map { .. } => Value::nil_map(t.clone()),
        Type::Other { .. } => Value::Nil,
    }
}

fn truncate_int(v: i64, k: IntKind) -> i64 {
    match k.bits() {
        8 => v as i8 as i64,
        16 => v as i16 as i64,
        32 => v as i32 as i64,
        _ => v,
    }
}

fn truncate_uint(v: u64, k: UintKind) -> u64 {
    match k.bits() {
        8 => v as u8 as u64,
        16 => v as u16 as u64,
        32 => v as u32 as u64,
        _ => v,
    }
}
