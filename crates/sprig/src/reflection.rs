//! Reflection: `typeOf`, `typeIs`, `typeIsLike`, `kindOf`, `kindIs`,
//! `deepEqual`.

use gotmpl::{FuncMap, Type, Value};

use crate::util::{deep_equal, reg, s, str_val, IFACE};

fn type_of(v: &Value) -> String {
    v.type_name()
}

fn kind_of(v: &Value) -> &'static str {
    v.kind().name()
}

pub(crate) fn register(m: &mut FuncMap) {
    let st = || Type::String;
    reg(m, "typeOf", vec![IFACE], |a| Ok(str_val(type_of(&a[0]))));
    reg(m, "typeIs", vec![st(), IFACE], |a| {
        Ok(Value::Bool(s(&a[0]) == type_of(&a[1])))
    });
    reg(m, "typeIsLike", vec![st(), IFACE], |a| {
        let t = type_of(&a[1]);
        let target = s(&a[0]);
        Ok(Value::Bool(target == t || format!("*{target}") == t))
    });
    reg(m, "kindOf", vec![IFACE], |a| Ok(str_val(kind_of(&a[0]))));
    reg(m, "kindIs", vec![st(), IFACE], |a| {
        Ok(Value::Bool(s(&a[0]) == kind_of(&a[1])))
    });
    reg(m, "deepEqual", vec![IFACE, IFACE], |a| {
        Ok(Value::Bool(deep_equal(&a[0], &a[1])))
    });
}
