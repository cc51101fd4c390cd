//! TODO
use gotmpl::FuncMap;

pub(crate) fn register(_m: &mut FuncMap) {}
