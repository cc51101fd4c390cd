//! The schema document as the interpreter reads it: serde_json's value
//! without the annotations of schema objects that no validator reads
//! (`default` and the string `description`, `title` and `$comment`). Charts
//! document their schemas at length, and building, checking and freeing
//! those parts cost more than interpreting the rest.
//!
//! Only schema positions are pruned (the keywords `re2` walks), never data
//! (`enum`, `const`, `examples`, or the names under `properties`). The
//! meta-schemas allow any `default` and require the others to be strings,
//! so a non-string one is kept for the meta-schema check to see. A `$ref`
//! into a pruned part no longer resolves, which makes the interpreter
//! decline the schema.

use serde::de::{
    self, value::MapAccessDeserializer, value::SeqAccessDeserializer, DeserializeSeed, MapAccess,
    SeqAccess, Visitor,
};
use serde::Deserialize;
use serde_json::{Map as JMap, Number, Value as J};

use super::re2::Holds;

pub(crate) mod binary;
mod fast;

/// `serde_json::from_slice::<Value>` with the annotations pruned.
pub(crate) fn parse(bytes: &[u8]) -> serde_json::Result<J> {
    if let Some(v) = fast::parse(bytes) {
        return Ok(v);
    }
    parse_with_serde(bytes)
}

/// [`parse`] through serde: the reference, and the reader of what the
/// direct one declines.
fn parse_with_serde(bytes: &[u8]) -> serde_json::Result<J> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let v = Pos::Schema.deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// What a JSON value is to the schema document.
#[derive(Clone, Copy)]
enum Pos {
    /// A schema (object or boolean).
    Schema,
    /// `items`: a schema, or a list of schemas.
    SchemaOrList,
    /// An object whose values are schemas (`properties`).
    SchemaMap,
    /// A list of schemas (`allOf`).
    SchemaList,
}

impl<'de> DeserializeSeed<'de> for Pos {
    type Value = J;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<J, D::Error> {
        d.deserialize_any(self)
    }
}

/// The value as serde_json's own visitor builds it, for scalars.
macro_rules! scalars {
    () => {
        fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
            Ok(J::Bool(b).into())
        }
        fn visit_i64<E>(self, i: i64) -> Result<Self::Value, E> {
            Ok(J::Number(i.into()).into())
        }
        fn visit_u64<E>(self, u: u64) -> Result<Self::Value, E> {
            Ok(J::Number(u.into()).into())
        }
        fn visit_f64<E>(self, f: f64) -> Result<Self::Value, E> {
            Ok(Number::from_f64(f).map_or(J::Null, J::Number).into())
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(J::Null.into())
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(J::Null.into())
        }
    };
}

impl<'de> Visitor<'de> for Pos {
    type Value = J;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    scalars!();

    fn visit_str<E>(self, s: &str) -> Result<J, E> {
        Ok(J::String(s.to_string()))
    }

    fn visit_string<E>(self, s: String) -> Result<J, E> {
        Ok(J::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<J, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        match self {
            Pos::SchemaOrList | Pos::SchemaList => {
                while let Some(v) = seq.next_element_seed(Pos::Schema)? {
                    out.push(v);
                }
            }
            Pos::Schema | Pos::SchemaMap => {
                while let Some(v) = seq.next_element::<J>()? {
                    out.push(v);
                }
            }
        }
        Ok(J::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<J, A::Error> {
        let mut out = JMap::new();
        match self {
            Pos::Schema | Pos::SchemaOrList => {
                while let Some(key) = map.next_key::<String>()? {
                    let value = match key.as_str() {
                        "default" => {
                            map.next_value_seed(Skip)?;
                            None
                        }
                        "description" | "title" | "$comment" => map.next_value_seed(Note)?,
                        k => Some(match Holds::of(k) {
                            Holds::Schema => map.next_value_seed(Pos::Schema)?,
                            Holds::SchemaOrList => map.next_value_seed(Pos::SchemaOrList)?,
                            Holds::Map => map.next_value_seed(Pos::SchemaMap)?,
                            Holds::List => map.next_value_seed(Pos::SchemaList)?,
                            Holds::Nothing => map.next_value::<J>()?,
                        }),
                    };
                    // A later duplicate replaces an earlier one, as in serde_json.
                    match value {
                        Some(v) => out.insert(key, v),
                        None => out.remove(&key),
                    };
                }
            }
            Pos::SchemaMap => {
                while let Some(key) = map.next_key::<String>()? {
                    let v = map.next_value_seed(Pos::Schema)?;
                    out.insert(key, v);
                }
            }
            Pos::SchemaList => return J::deserialize(MapAccessDeserializer::new(map)),
        }
        Ok(J::Object(out))
    }
}

/// A value read and checked as serde_json's value would be, but not kept.
/// (`IgnoredAny` would not do: serde_json skips it without checking
/// UTF-8, surrogate escapes, number range or nesting depth, so the pruned
/// document could parse where the whole one does not.)
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }
}

/// An annotation that must be a string: `None` when it is one (pruned),
/// else the value for the meta-schema check to reject.
struct Note;

impl<'de> DeserializeSeed<'de> for Note {
    type Value = Option<J>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<J>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Note {
    type Value = Option<J>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    scalars!();

    fn visit_str<E>(self, _: &str) -> Result<Option<J>, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<J>, A::Error> {
        J::deserialize(SeqAccessDeserializer::new(seq)).map(Some)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<J>, A::Error> {
        J::deserialize(MapAccessDeserializer::new(map)).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lean(text: &str) -> J {
        parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn annotations_of_schemas_are_pruned() {
        let text = r#"{
            "$schema": "http://json-schema.org/draft-07/schema#",
            "title": "t", "description": "d", "$comment": "c", "default": {"a": [1]},
            "type": "object",
            "properties": {
                "default": {"description": "x", "type": "string", "default": "y"},
                "description": {"items": [{"title": "i", "minimum": 1}], "default": 2},
                "e": {"enum": [{"description": "kept"}], "const": {"default": 1},
                      "examples": [{"title": "kept"}]}
            },
            "allOf": [{"if": {"title": "z"}, "then": {"default": 1}, "else": true}],
            "items": {"additionalProperties": {"title": "q", "type": "null"}},
            "definitions": {"x": {"description": "d", "oneOf": [false]}},
            "dependencies": {"a": ["b", "description"], "c": {"title": "t"}}
        }"#;
        assert_eq!(
            lean(text),
            json!({
                "$schema": "http://json-schema.org/draft-07/schema#",
                "type": "object",
                "properties": {
                    "default": {"type": "string"},
                    "description": {"items": [{"minimum": 1}]},
                    "e": {"enum": [{"description": "kept"}], "const": {"default": 1},
                          "examples": [{"title": "kept"}]}
                },
                "allOf": [{"if": {}, "then": {}, "else": true}],
                "items": {"additionalProperties": {"type": "null"}},
                "definitions": {"x": {"oneOf": [false]}},
                "dependencies": {"a": ["b", "description"], "c": {}}
            })
        );
    }

    /// What the meta-schema rejects stays for it to see; everything else
    /// is serde_json's value.
    #[test]
    fn invalid_annotations_and_data_are_kept() {
        assert_eq!(
            lean(r#"{"description": 5, "title": ["x"], "$comment": {"a": null}}"#),
            json!({"description": 5, "title": ["x"], "$comment": {"a": null}})
        );
        assert_eq!(
            lean(r#"{"description": 5, "description": "s", "title": "s", "title": 1}"#),
            json!({"title": 1})
        );
        for text in [
            "true",
            "[1, -0, 1.5e300, -9223372036854775808, 18446744073709551615, 18446744073709551616]",
            r#"{"enum": [-0.0, 1e-7, "\u00e9\ud83d\ude00", null, {"default": 1}]}"#,
            r#"{"allOf": {"description": "not a list"}, "properties": [{"default": 1}]}"#,
        ] {
            assert_eq!(
                lean(text),
                serde_json::from_str::<J>(text).unwrap(),
                "{text}"
            );
        }
        for bad in [
            "",
            "{} x",
            r#"{"a": }"#,
            "[\"\\ud800\"]",
            "{\"default\": [}",
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    /// Every schema of the conformance cases, and our chart's.
    fn sample_schemas() -> Vec<Vec<u8>> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut docs = vec![std::fs::read(root.join("schema/values.schema.json")).unwrap()];
        for suite in ["charts", "bad-input", "template"] {
            let dir = root.join("tests/conformance").join(suite).join("cases");
            for entry in std::fs::read_dir(dir).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                let mut current: Option<String> = None;
                for line in text.lines() {
                    if line.starts_with("--- ") || line.starts_with("=== ") {
                        docs.extend(current.take().map(String::into_bytes));
                        if line.starts_with("--- ") && line.ends_with("values.schema.json") {
                            current = Some(String::new());
                        }
                    } else if let Some(doc) = &mut current {
                        doc.push_str(line);
                        doc.push('\n');
                    }
                }
                docs.extend(current.map(String::into_bytes));
            }
        }
        assert!(docs.len() > 100, "{} schemas", docs.len());
        docs
    }

    /// The direct reader's value, where it gives one, is serde's.
    fn agrees(doc: &[u8]) -> bool {
        match fast::parse(doc) {
            Some(v) => {
                let by_serde = parse_with_serde(doc);
                assert!(
                    by_serde.as_ref().is_ok_and(|s| *s == v),
                    "{}: {by_serde:?}",
                    String::from_utf8_lossy(doc)
                );
                true
            }
            None => false,
        }
    }

    #[test]
    fn the_direct_reader_reads_real_schemas_as_serde_does() {
        let docs = sample_schemas();
        let mut declined = Vec::new();
        for doc in &docs {
            if !agrees(doc) && parse_with_serde(doc).is_ok() {
                declined.push(String::from_utf8_lossy(doc).into_owned());
            }
        }
        // What it leaves to serde although serde reads it: only numbers past
        // its range and strings it could not vouch for.
        assert!(declined.len() <= 3, "{declined:#?}");
    }

    /// Cut short, or with one byte changed, a document is read as serde
    /// reads it or left to serde.
    #[test]
    fn the_direct_reader_never_accepts_what_serde_reads_otherwise() {
        const BYTES: [u8; 14] = [
            b'"', b'\\', b'}', b']', b',', b':', b'0', b'-', b'e', b' ', b'u', 0x01, 0xc3, 0xff,
        ];
        let mut docs: Vec<Vec<u8>> = sample_schemas()
            .into_iter()
            .filter(|d| d.len() < 2000)
            .collect();
        docs.extend(
            [
                r#"{"a": "\u00e9\ud83d\ude00\n\/\"", "b": [1, -2, 0, 1.5, -0, 1e3, 123456789012345678901]}"#,
                r#"{"description": "x\ty", "title": ["t"], "default": {"x": [1, {"y": null}]}, "enum": [true, false]}"#,
                "{\"é\": \"ü\", \"properties\": {\"p\": {\"description\": 1, \"items\": [{\"title\": \"t\"}]}}}",
            ]
            .map(|d| d.as_bytes().to_vec()),
        );
        let mut read = 0;
        for doc in &docs {
            for cut in 0..doc.len() {
                agrees(&doc[..cut]);
                for b in BYTES {
                    let mut changed = doc.clone();
                    changed[cut] = b;
                    read += usize::from(agrees(&changed));
                }
            }
        }
        assert!(read > 1000, "{read}");
    }

    /// A later duplicate key wins, as in serde_json, also when one of them
    /// is pruned.
    #[test]
    fn duplicate_keys_are_read_as_serde_reads_them() {
        for doc in [
            r#"{"a": 1, "b": 2, "a": 3}"#,
            r#"{"z": 1, "a": 2, "z": {"q": 1, "q": [2]}, "m": 0}"#,
            r#"{"description": "p", "description": "q", "type": "string"}"#,
            r#"{"type": "string", "description": 1, "description": "pruned"}"#,
            r#"{"description": "pruned", "description": 5}"#,
            r#"{"default": 1, "properties": {"a": {"default": 2}, "a": {"title": 3}}}"#,
        ] {
            assert!(agrees(doc.as_bytes()), "{doc}");
        }
    }

    /// Pruned parts are checked as serde_json checks a whole value: the
    /// document parses exactly when serde_json parses it.
    #[test]
    fn accepts_what_serde_json_accepts() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let inner: [&[u8]; 12] = [
            b"\"\xff\"",
            b"{\"\xc3\":1}",
            br#""\ud800""#,
            br#"{"\udc00": 1}"#,
            b"1e400",
            b"[-1e999]",
            deep.as_bytes(),
            b"\"\x01\"",
            br#""\q""#,
            b"{\"a\":1,}",
            br#""\ud83d\ude00\u00e9""#,
            b"[1, {\"b\": null}]",
        ];
        let mut accepted = 0;
        for keyword in ["default", "description", "title", "$comment", "enum", "x"] {
            for v in inner {
                for (open, close) in [(r#"{"properties": {"p": {"#, "}}}"), ("{", "}")] {
                    let mut doc = format!("{open}\"{keyword}\": ").into_bytes();
                    doc.extend_from_slice(v);
                    doc.extend_from_slice(close.as_bytes());
                    let ok = serde_json::from_slice::<J>(&doc).is_ok();
                    assert_eq!(parse(&doc).is_ok(), ok, "{}", String::from_utf8_lossy(&doc));
                    accepted += usize::from(ok);
                }
            }
        }
        assert_eq!(accepted, 6 * 2 * 2);
    }
}
