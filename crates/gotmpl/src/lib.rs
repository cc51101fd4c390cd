//! A Go `text/template` engine with Go's value model and `fmt` semantics.
//!
//! This crate knows nothing about Helm. It reproduces Go's template language
//! byte for byte: parsing (with Go's error texts and positions), execution
//! (missing keys, nil handling, argument conversion, error chains) and
//! printing (Go's `fmt` verbs and float formatting). Helm-specific functions
//! (`include`, `tpl`, sprig) are registered by callers through [`FuncMap`];
//! a function receives a [`Call`] with the executor's state, so such functions
//! are ordinary functions here.
//!
//! ```
//! use gotmpl::{FuncMap, TemplateSet, Value};
//! let mut set = TemplateSet::new("root", FuncMap::new());
//! set.parse("t", "{{ range $i, $v := . }}{{ $i }}={{ $v }} {{ end }}").unwrap();
//! let data = Value::list(vec![Value::from("a"), Value::from(1.5)]);
//! assert_eq!(set.render("t", &data).unwrap(), "0=a 1=1.5 ");
//! ```

pub mod ast;
mod ast_fmt;
pub mod builtins;
pub mod compiled;
pub mod exec;
pub mod func;
pub mod gofmt;
pub mod goslice;
pub mod gostr;
mod lex;
pub mod parse;
pub mod purity;
pub mod strconv;
pub mod template;
pub mod value;

pub use exec::Call;
pub use func::{FuncError, FuncMap, FuncResult, Function};
pub use parse::ParseError;
pub use template::{Error, ExecError, MissingKey, TemplateSet, ValueLimits};
pub use value::{
    IntKind, Kind, List, Map, MapEntries, Object, Str, Type, UintKind, Value, WriteGuard,
};
