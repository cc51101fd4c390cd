//! A walk that vouches for a schema meeting its draft's meta-schema (07,
//! 2019-09 or 2020-12), as `jsonschema::draftN::meta::is_valid` checks it,
//! without building that crate's meta-schema validator: building and
//! running it cost a tenth of a one-shot render of a chart with a large
//! draft-07 schema, and more for 2020-12 (which bitnami's sub-charts name).
//!
//! It is one-sided: `true` means the crate's check passes too; `false`
//! means "not sure" (anything the meta-schema rejects, and what the walk
//! does not model: a non-negative integer written `1.0`, a `$ref` with a
//! query or percent escapes, a `$schema` other than a draft's URI), and
//! the caller asks the crate. Each keyword gets the union of the drafts'
//! rules (stricter than any one draft is still sound), except `items`,
//! which only 07 and 2019-09 allow to be a list. Patterns must be ECMA-262
//! as the crate checks the `regex` format (draft 07 asserts it), with its
//! own function.

use serde_json::Value as J;

/// The meta-schemas' `simpleTypes`.
const SIMPLE_TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

/// Whether `schema` surely meets its draft's meta-schema; `item_lists`:
/// whether `items` may be a list of schemas (drafts 07 and 2019-09).
pub(crate) fn surely_valid(schema: &J, item_lists: bool) -> bool {
    Walk { item_lists }.schema_ok(schema, 0)
}

/// Schemas nest at most this deep here (the caller asks the crate past it).
const MAX_DEPTH: usize = 128;

struct Walk {
    item_lists: bool,
}

impl Walk {
    fn schema_ok(&self, v: &J, depth: usize) -> bool {
        let obj = match v {
            J::Bool(_) => return true,
            J::Object(o) if depth < MAX_DEPTH => o,
            _ => return false,
        };
        let sub = |v: &J| self.schema_ok(v, depth + 1);
        let schemas = |v: &J| matches!(v, J::Array(a) if !a.is_empty() && a.iter().all(sub));
        let schema_map = |v: &J| matches!(v, J::Object(m) if m.values().all(sub));
        obj.iter().all(|(k, v)| match k.as_str() {
            "$id" | "$ref" => v.as_str().is_some_and(plain_uri_reference),
            "$schema" => v.as_str().is_some_and(draft_uri),
            "$comment" | "title" | "description" | "format" | "contentMediaType"
            | "contentEncoding" => v.is_string(),
            "readOnly" | "writeOnly" | "uniqueItems" | "deprecated" => v.is_boolean(),
            "examples" | "enum" => v.is_array(),
            "default" | "const" => true,
            "multipleOf" => v.as_f64().is_some_and(|n| n > 0.0),
            "maximum" | "exclusiveMaximum" | "minimum" | "exclusiveMinimum" => v.is_number(),
            "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties"
            | "minProperties" | "maxContains" | "minContains" => v.is_u64(),
            "pattern" => v.as_str().is_some_and(ecma_regex),
            "additionalItems"
            | "contains"
            | "additionalProperties"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "not"
            | "contentSchema" => sub(v),
            "items" => match v {
                J::Array(_) => self.item_lists && schemas(v),
                _ => sub(v),
            },
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => schemas(v),
            "required" => unique_strings(v),
            "definitions" | "properties" | "$defs" | "dependentSchemas" => schema_map(v),
            "patternProperties" => matches!(
                v,
                J::Object(m) if m.iter().all(|(p, s)| ecma_regex(p) && sub(s))
            ),
            "dependencies" => matches!(
                v,
                J::Object(m) if m.values().all(|d| match d {
                    J::Array(_) => unique_strings(d),
                    _ => sub(d),
                })
            ),
            "dependentRequired" => matches!(v, J::Object(m) if m.values().all(unique_strings)),
            "type" => match v {
                J::String(t) => SIMPLE_TYPES.contains(&t.as_str()),
                J::Array(ts) => {
                    !ts.is_empty()
                        && ts
                            .iter()
                            .all(|t| t.as_str().is_some_and(|t| SIMPLE_TYPES.contains(&t)))
                        && unique_strings(v)
                }
                _ => false,
            },
            // Keywords that change how references resolve, or that the
            // walk does not model: the crate decides.
            "$anchor"
            | "$dynamicAnchor"
            | "$dynamicRef"
            | "$recursiveAnchor"
            | "$recursiveRef"
            | "$vocabulary"
            | "unevaluatedItems"
            | "unevaluatedProperties" => false,
            // The meta-schemas say nothing of other keywords.
            _ => true,
        })
    }
}

/// An array of distinct strings (`stringArray`).
fn unique_strings(v: &J) -> bool {
    let J::Array(items) = v else { return false };
    let mut seen: Vec<&str> = Vec::with_capacity(items.len());
    for item in items {
        let Some(s) = item.as_str() else { return false };
        if seen.contains(&s) {
            return false;
        }
        seen.push(s);
    }
    true
}

/// A `$ref`/`$id` surely a URI reference as RFC 3986 has it: a fragment
/// or a relative path, of unreserved characters and `/` (the crate's own
/// check is not public; anything else is a doubt).
fn plain_uri_reference(s: &str) -> bool {
    let (path, fragment) = s.split_once('#').unwrap_or((s, ""));
    let plain = |part: &str| {
        part.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/'))
    };
    // A path's first segment must not look like an authority (`//…`).
    !path.starts_with("//") && plain(path) && plain(fragment)
}

/// A draft's meta-schema URI, as the schema is normalised to name it.
fn draft_uri(s: &str) -> bool {
    matches!(
        s,
        "http://json-schema.org/draft-07/schema#"
            | "https://json-schema.org/draft/2019-09/schema"
            | "https://json-schema.org/draft/2020-12/schema"
    )
}

/// The crate's check of the `regex` format (ECMA-262 syntax).
fn ecma_regex(s: &str) -> bool {
    jsonschema_regex::is_valid_ecma_regex(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Each draft: its URI, whether `items` may be a list, the crate's check.
    type CrateCheck = fn(&J) -> bool;
    const DRAFTS: [(&str, bool, CrateCheck); 3] = [
        (
            "http://json-schema.org/draft-07/schema#",
            true,
            jsonschema::draft7::meta::is_valid,
        ),
        (
            "https://json-schema.org/draft/2019-09/schema",
            true,
            jsonschema::draft201909::meta::is_valid,
        ),
        (
            "https://json-schema.org/draft/2020-12/schema",
            false,
            jsonschema::draft202012::meta::is_valid,
        ),
    ];

    fn with_draft(mut schema: J, uri: &str) -> J {
        if let J::Object(o) = &mut schema {
            o.entry("$schema").or_insert_with(|| J::String(uri.into()));
        }
        schema
    }

    #[test]
    fn vouches_for_usual_schemas() {
        for schema in [
            json!({}),
            json!(true),
            json!({"type": "object", "additionalProperties": false, "properties": {
                "a": {"type": ["integer", "null"], "minimum": 0, "maximum": 1.5},
                "b": {"type": "string", "pattern": "^[a-z]+(-[a-z]+)*$", "minLength": 1,
                      "enum": [], "format": "whatever"},
                "c": {"type": "array", "items": {"$ref": "#/definitions/c"}, "uniqueItems": true,
                      "minItems": 0, "maxItems": 3},
                "d": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": {"x": 1}},
                "e": {"prefixItems": [true, {"const": [1]}], "items": false},
                "f": {"dependencies": {"a": ["b", "c"], "b": {"required": ["a"]}}},
                "g": {"patternProperties": {"^x-": {}}, "propertyNames": {"maxLength": 9}},
                "h": {"if": {"type": "string"}, "then": true, "else": {"not": {}},
                      "multipleOf": 0.5, "x-custom": [1, {"type": 5}]}
            }, "definitions": {"c": {"oneOf": [{"type": "integer"}, {"allOf": [true]}]}},
              "required": ["a", "b"]}),
        ] {
            for (uri, item_lists, crate_says) in DRAFTS {
                let schema = with_draft(schema.clone(), uri);
                assert!(surely_valid(&schema, item_lists), "{schema}");
                assert!(crate_says(&schema), "{schema}");
            }
        }
    }

    /// Whatever it vouches for, the crate accepts: every schema below
    /// breaks or bends one rule of the meta-schema.
    #[test]
    fn never_vouches_for_what_the_crate_rejects() {
        let cases = [
            json!(5),
            json!("s"),
            json!(null),
            json!({"type": "text"}),
            json!({"type": []}),
            json!({"type": ["string", "string"]}),
            json!({"type": ["string", 1]}),
            json!({"type": 1}),
            json!({"minLength": -1}),
            json!({"minLength": 1.0}),
            json!({"$defs": {"a": 1}}),
            json!({"prefixItems": []}),
            json!({"dependentRequired": {"a": ["b", "b"]}}),
            json!({"dependentSchemas": {"a": 1}}),
            json!({"minContains": -1}),
            json!({"contentSchema": 1}),
            json!({"deprecated": 1}),
            json!({"$anchor": "a"}),
            json!({"minLength": 1.5}),
            json!({"maxItems": "1"}),
            json!({"multipleOf": 0}),
            json!({"multipleOf": -2}),
            json!({"minimum": "0"}),
            json!({"pattern": "("}),
            json!({"pattern": "(?P<n>a)"}),
            json!({"pattern": 5}),
            json!({"patternProperties": {"(": {}}}),
            json!({"patternProperties": {"a": 1}}),
            json!({"properties": {"a": 1}}),
            json!({"properties": []}),
            json!({"definitions": {"a": "b"}}),
            json!({"items": []}),
            json!({"items": [1]}),
            json!({"items": 1}),
            json!({"allOf": []}),
            json!({"anyOf": {}}),
            json!({"oneOf": [1]}),
            json!({"not": []}),
            json!({"required": ["a", "a"]}),
            json!({"required": [1]}),
            json!({"required": "a"}),
            json!({"dependencies": {"a": ["b", "b"]}}),
            json!({"dependencies": {"a": 1}}),
            json!({"dependencies": []}),
            json!({"$ref": "a b"}),
            json!({"$ref": "#/a%"}),
            json!({"$ref": 1}),
            json!({"$id": "http://[x"}),
            json!({"$schema": "not a uri"}),
            json!({"uniqueItems": 1}),
            json!({"readOnly": "yes"}),
            json!({"enum": {}}),
            json!({"examples": 1}),
            json!({"format": 1}),
            json!({"title": 1}),
            json!({"contentEncoding": []}),
            json!({"if": 1}),
            json!({"additionalProperties": {"type": "nope"}}),
            json!({"properties": {"deep": {"items": {"anyOf": [{"minimum": []}]}}}}),
        ];
        for (uri, item_lists, crate_says) in DRAFTS {
            let mut vouched = 0;
            for schema in &cases {
                // Bare, and naming the draft.
                for schema in [schema.clone(), with_draft(schema.clone(), uri)] {
                    if surely_valid(&schema, item_lists) {
                        vouched += 1;
                        assert!(
                            crate_says(&schema),
                            "vouched for {schema}, the crate rejects it"
                        );
                    }
                }
            }
            assert_eq!(vouched, 0, "{uri}");
        }
    }

    #[test]
    fn item_lists_only_before_2020_12() {
        let schema = json!({"items": [{"type": "string"}]});
        assert!(surely_valid(&schema, true));
        assert!(!surely_valid(&schema, false));
        assert!(!jsonschema::draft202012::meta::is_valid(&schema));
    }

    #[test]
    fn deep_nesting_is_left_to_the_crate() {
        let mut schema = json!({"type": "string"});
        for _ in 0..MAX_DEPTH + 1 {
            schema = json!({ "not": schema });
        }
        assert!(!surely_valid(&schema, true));
    }

    /// Every schema of the chart conformance cases, read as each draft:
    /// what the walk vouches for, the crate accepts.
    #[test]
    fn agrees_with_the_crate_on_the_conformance_schemas() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/conformance/charts/cases"
        );
        let (mut schemas, mut vouched) = (0, 0);
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            // A file block runs from its `--- PATH` line to the next marker.
            for block in text.split("\n--- ").skip(1) {
                let Some((path, body)) = block.split_once('\n') else {
                    continue;
                };
                if !path.ends_with("values.schema.json") {
                    continue;
                }
                let body = body.split("\n--- ").next().unwrap();
                let body = body.split("\n=== ").next().unwrap();
                let Ok(schema) = serde_json::from_str::<J>(body) else {
                    continue;
                };
                for (uri, item_lists, crate_says) in DRAFTS {
                    let schema = with_draft(schema.clone(), uri);
                    schemas += 1;
                    if surely_valid(&schema, item_lists) {
                        vouched += 1;
                        assert!(crate_says(&schema), "{path}: {schema}");
                    }
                }
            }
        }
        // Most cases' schemas are ordinary; some are there to fail.
        assert!(
            schemas > 200 && vouched > schemas / 2,
            "{vouched} of {schemas}"
        );
    }
}
