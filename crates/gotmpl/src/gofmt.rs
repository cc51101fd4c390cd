//! STUB
use crate::value::Value;
pub fn sprint(_a: &[Value]) -> String {
    unimplemented!()
}
pub fn sprintln(_a: &[Value]) -> String {
    unimplemented!()
}
pub fn sprintf(_f: &str, _a: &[Value]) -> String {
    unimplemented!()
}
pub fn fprint_into(_o: &mut String, _v: &Value) {
    unimplemented!()
}
