//! Template functions: Go-typed signatures and a registry.
//!
//! A function declares its parameter types the way a Go function's signature
//! would, so the executor converts and checks arguments exactly as Go's
//! `evalArg`/`validateType` do (`wrong type for value; expected string; got
//! float64`). The implementation receives a [`Call`] giving it the executor
//! state: the template set, the current dot, the call site.

use std::fmt;
use std::sync::Arc;

use crate::exec::Call;
use crate::value::{Str, Type, Value};

/// An error returned by a function; the executor reports it as
/// `error calling NAME: <error>` and keeps it as the error's source.
pub type FuncError = Box<dyn std::error::Error + Send + Sync>;

pub type FuncResult = Result<Value, FuncError>;

/// Arguments come as a slice so that the executor can keep them on its stack
/// (a call with few arguments then allocates nothing).
type FuncImpl = dyn Fn(&mut Call<'_>, &[Value]) -> FuncResult + Send + Sync;

/// A callable with a Go signature.
#[derive(Clone)]
pub struct Function {
    /// Fixed parameter types.
    pub params: Vec<Type>,
    /// Element type of a trailing `...T` parameter.
    pub variadic: Option<Type>,
    imp: Arc<FuncImpl>,
    /// What text/template's `goodFunc` says of a Go method it cannot call
    /// (three results, or a second that is not an error), if so.
    signature_error: Option<Arc<str>>,
}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Function")
            .field("params", &self.params)
            .field("variadic", &self.variadic)
            .finish_non_exhaustive()
    }
}

impl Function {
    /// A function with fixed parameters.
    pub fn new<F>(params: Vec<Type>, f: F) -> Function
    where
        F: Fn(&mut Call<'_>, &[Value]) -> FuncResult + Send + Sync + 'static,
    {
        Function {
            params,
            variadic: None,
            imp: Arc::new(f),
            signature_error: None,
        }
    }

    /// A Go method text/template refuses to call (`goodFunc`): `time.Time`'s
    /// `Clock` (three results) or `Zone` (a second result of type `int`).
    /// Calling it fails with `error`, once its arguments were counted.
    pub fn unusable(params: Vec<Type>, error: &str) -> Function {
        Function {
            params,
            variadic: None,
            imp: Arc::new(|_: &mut Call<'_>, _: &[Value]| Ok(Value::Invalid)),
            signature_error: Some(error.into()),
        }
    }

    /// Why text/template would not call this function, if it would not.
    pub fn signature_error(&self) -> Option<&str> {
        self.signature_error.as_deref()
    }

    /// A function with fixed parameters followed by `...elem`.
    pub fn variadic<F>(params: Vec<Type>, elem: Type, f: F) -> Function
    where
        F: Fn(&mut Call<'_>, &[Value]) -> FuncResult + Send + Sync + 'static,
    {
        Function {
            params,
            variadic: Some(elem),
            imp: Arc::new(f),
            signature_error: None,
        }
    }

    /// Number of parameters as Go's `reflect.Type.NumIn` counts them.
    pub fn num_in(&self) -> usize {
        self.params.len() + usize::from(self.variadic.is_some())
    }

    pub fn call(&self, call: &mut Call<'_>, args: &[Value]) -> FuncResult {
        (self.imp)(call, args)
    }
}

/// Named functions available to templates, like Go's `template.FuncMap`.
#[derive(Clone, Debug, Default)]
pub struct FuncMap {
    funcs: rustc_hash::FxHashMap<Str, Function>,
}

impl FuncMap {
    pub fn new() -> FuncMap {
        FuncMap::default()
    }

    /// Adds or replaces a function.
    pub fn insert(&mut self, name: &str, f: Function) {
        self.funcs.insert(name.into(), f);
    }

    pub fn get(&self, name: &str) -> Option<&Function> {
        self.funcs.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.funcs.contains_key(name)
    }

    pub fn extend(&mut self, other: &FuncMap) {
        for (k, v) in &other.funcs {
            self.funcs.insert(k.clone(), v.clone());
        }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.funcs.keys().map(|k| &**k)
    }
}
