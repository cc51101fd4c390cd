//! "did you mean": the property names a schema declares for an object, and
//! the one an unexpected key most resembles.

use chartgen_helm::chart::Chart;
use serde_json::Value as J;

/// The declared key closest to `key` for the object at `pointer` (in the
/// chart's own values), if one is close enough to be a likely typo.
pub fn suggest(chart: &Chart, pointer: &str, key: &str) -> Option<String> {
    let schema: J = serde_json::from_slice(chart.schema.as_deref()?).ok()?;
    let mut segs: Vec<String> = pointer
        .trim_start_matches('/')
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    // The pointer names the unexpected key itself: its object is one up.
    segs.pop();
    let mut at = Vec::new();
    expand(&schema, &schema, &mut at, 0);
    for seg in &segs {
        let mut next = Vec::new();
        for s in &at {
            for child in step(s, seg) {
                expand(&schema, child, &mut next, 0);
            }
        }
        at = next;
    }
    let mut names: Vec<&str> = at
        .iter()
        .filter_map(|s| s.get("properties")?.as_object())
        .flat_map(|p| p.keys().map(String::as_str))
        .collect();
    names.sort_unstable();
    names.dedup();
    closest(key, &names).map(str::to_string)
}

/// The schemas that apply to the same instance as `s`: itself, what its
/// local `$ref` points to, and its `allOf`/`anyOf`/`oneOf`/`then`/`else`.
fn expand<'a>(root: &'a J, s: &'a J, out: &mut Vec<&'a J>, depth: usize) {
    if depth > 32 || !s.is_object() {
        return;
    }
    out.push(s);
    if let Some(r) = s.get("$ref").and_then(J::as_str) {
        if let Some(p) = r.strip_prefix('#') {
            if let Some(t) = root.pointer(p) {
                expand(root, t, out, depth + 1);
            }
        }
    }
    for k in ["allOf", "anyOf", "oneOf"] {
        for sub in s.get(k).and_then(J::as_array).into_iter().flatten() {
            expand(root, sub, out, depth + 1);
        }
    }
    for k in ["then", "else"] {
        if let Some(sub) = s.get(k) {
            expand(root, sub, out, depth + 1);
        }
    }
}

/// The schemas for member `seg` of an instance that `s` describes.
fn step<'a>(s: &'a J, seg: &str) -> Vec<&'a J> {
    let mut out = Vec::new();
    if let Some(p) = s.get("properties").and_then(|p| p.get(seg)) {
        out.push(p);
    } else if let Some(a) = s.get("additionalProperties").filter(|a| a.is_object()) {
        out.push(a);
    }
    if let Ok(i) = seg.parse::<usize>() {
        match s.get("items") {
            Some(J::Array(list)) => out.extend(list.get(i)),
            Some(one) => out.push(one),
            None => {}
        }
        if let Some(J::Array(list)) = s.get("prefixItems") {
            out.extend(list.get(i));
        }
    }
    out
}

/// The most similar name, if similar enough (Jaro-Winkler, as spelling
/// suggestions commonly use; a case-only difference always qualifies).
fn closest<'a>(key: &str, names: &[&'a str]) -> Option<&'a str> {
    if let Some(n) = names.iter().find(|n| n.eq_ignore_ascii_case(key)) {
        return Some(n);
    }
    names
        .iter()
        .map(|n| (strsim::jaro_winkler(key, n), *n))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn close_names_only() {
        let names = ["scheduler", "webserver", "workers", "replicas"];
        assert_eq!(closest("schedulr", &names), Some("scheduler"));
        assert_eq!(closest("Webserver", &names), Some("webserver"));
        assert_eq!(closest("replica", &names), Some("replicas"));
        assert_eq!(closest("flower", &names), None);
        assert_eq!(closest("x", &[]), None);
    }

    #[test]
    fn properties_are_found_through_refs_and_combinators() {
        let c = Chart {
            schema: Some(Arc::from(
            br##"{
              "definitions": {"res": {"properties": {"limits": {}, "requests": {}}}},
              "properties": {
                "workers": {"allOf": [{"properties": {"resources": {"$ref": "#/definitions/res"}}}]},
                "list": {"items": {"properties": {"name": {}}}}
              }
            }"##
            .as_slice(),
            )),
            ..Chart::default()
        };
        assert_eq!(
            suggest(&c, "/workers/resources/limitz", "limitz").as_deref(),
            Some("limits")
        );
        assert_eq!(suggest(&c, "/list/3/nam", "nam").as_deref(), Some("name"));
        assert_eq!(suggest(&c, "/wrkers", "wrkers").as_deref(), Some("workers"));
        assert_eq!(suggest(&c, "/nothing/here", "here"), None);
    }
}
