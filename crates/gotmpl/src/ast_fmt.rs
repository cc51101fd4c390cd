//! STUB
use crate::ast::*;
use std::fmt;
macro_rules! stub { ($($t:ty),*) => { $(impl fmt::Display for $t { fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { write!(f, "{:?}", self) } })* } }
stub!(Node, Arg, PipeNode, CommandNode, TemplateNode, ListNode);
