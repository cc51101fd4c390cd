//! Network: `getHostByName`, as helm registers it without `--enable-dns`
//! (a function that always returns "").

use gotmpl::{FuncMap, Type};

use crate::util::{reg, str_val};

pub(crate) fn register(m: &mut FuncMap) {
    reg(m, "getHostByName", vec![Type::String], |_| Ok(str_val("")));
}
