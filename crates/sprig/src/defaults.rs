//! Defaults and flow control: `default`, `empty`, `coalesce`, `all`, `any`,
//! `ternary`, `fail`.

use gotmpl::{FuncMap, Type, Value};

use crate::util::{empty, err, reg, reg_var, s, IFACE};

pub(crate) fn register(m: &mut FuncMap) {
    reg_var(m, "default", vec![IFACE], IFACE, |a| {
        Ok(match a.get(1) {
            Some(g) if !empty(g) => g.clone(),
            _ => a[0].clone(),
        })
    });
    reg(m, "empty", vec![IFACE], |a| Ok(Value::Bool(empty(&a[0]))));
    reg_var(m, "coalesce", vec![], IFACE, |a| {
        Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil))
    });
    reg_var(m, "all", vec![], IFACE, |a| {
        Ok(Value::Bool(a.iter().all(|v| !empty(v))))
    });
    reg_var(m, "any", vec![], IFACE, |a| {
        Ok(Value::Bool(a.iter().any(|v| !empty(v))))
    });
    reg(m, "ternary", vec![IFACE, IFACE, Type::Bool], |a| {
        Ok(if matches!(a[2], Value::Bool(true)) {
            a[0].clone()
        } else {
            a[1].clone()
        })
    });
    // sprig's own `fail`; helm's engine replaces it with a version whose
    // message it reports as `execution error at (…)`.
    reg(m, "fail", vec![Type::String], |a| Err(err(s(&a[0]))));
}
