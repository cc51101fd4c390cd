//! The repository's chart, compiled into the binary (see build.rs).

use std::sync::{Arc, OnceLock};

use chartgen_helm::chart::{Chart, FileData};
use chartgen_helm::loader::{self, BufferedFile, LoadError};

include!(concat!(env!("OUT_DIR"), "/embedded_chart.rs"));

/// Loads the built-in chart (its `.helmignore` was applied at build time, as
/// loading a directory applies it).
pub fn load() -> Result<Chart, LoadError> {
    loader::load_files(files(), ORIGIN)
}

/// [`load`] with the values files parsed later ([`loader::Pending`]).
pub fn load_pending() -> Result<loader::Pending, LoadError> {
    loader::load_files_pending(files(), ORIGIN)
}

const ORIGIN: &str = "<built-in chart>";

/// The built-in chart's templates, schema and values, prepared when chartgen was
/// built (see build.rs). Offered to charts loaded from disk too: a chart
/// with the same files (the repository's chart/) uses them.
pub fn precompiled() -> chartgen_helm::action::Precompiled {
    chartgen_helm::action::Precompiled {
        templates: COMPILED,
        schemas: SCHEMAS,
        values: VALUES,
        stored: None,
        stored_later: None,
        heads_later: None,
        schema_store: None,
        values_store: None,
        files: None,
    }
}

const SCHEMA: &str = "values.schema.json";

/// The top-level chart's schema, if it has one: the very buffer the loaded
/// chart holds (see [`files`]), so that a schema prepared before the chart
/// loads is recognised by its address, and the text is copied once.
pub fn schema() -> Option<Arc<[u8]>> {
    static SHARED: OnceLock<Option<Arc<[u8]>>> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            FILES
                .iter()
                .find(|(name, _)| *name == SCHEMA)
                .map(|(_, data)| Arc::from(*data))
        })
        .clone()
}

/// The chart's files (`.helmignore` was applied when chartgen was built).
fn files() -> Vec<BufferedFile> {
    FILES
        .iter()
        .map(|(name, data)| BufferedFile {
            name: name.to_string(),
            data: match schema().filter(|_| *name == SCHEMA) {
                Some(shared) => FileData::from(shared),
                None => FileData::from_static(data),
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every template of the built-in chart was parsed at build time, and
    /// its trees decode, with helm's functions, to exactly what parsing gives.
    #[test]
    fn every_template_is_precompiled_and_decodes_to_its_parse() {
        let chart = load().expect("built-in chart loads");
        let templates = chartgen_helm::objects::all_templates(&chart);
        assert!(templates.len() > 40, "{} templates", templates.len());
        let set = gotmpl::TemplateSet::new("gotpl", chartgen_helm::funcs::funcs());
        for (name, text) in &templates {
            let (_, encoded) = COMPILED
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("{name} was not precompiled"));
            let decoded = set
                .decode_trees_shared(name, text, *encoded)
                .unwrap_or_else(|| panic!("{name}: its trees do not decode"));
            let parsed = set.parse_trees_shared(name, text).expect("parses");
            assert_eq!(format!("{decoded:?}"), format!("{parsed:?}"), "{name}");
            // Another text (an edit of the chart after the build) is parsed.
            let edited: Arc<str> = format!("{text} ").into();
            assert!(set.decode_trees_shared(name, &edited, *encoded).is_none());
        }
    }

    /// The built-in chart's schema was prepared at build time, as it
    /// prepares now.
    #[test]
    fn the_schema_is_prepared() {
        let chart = load().expect("built-in chart loads");
        let schema = chart.schema.as_ref().expect("the chart has a schema");
        let prepared = chartgen_helm::schema::precompile(schema).expect("it prepares");
        assert_eq!(SCHEMAS, &[&prepared[..]]);
        // The loaded chart holds the buffer `schema()` gives.
        let shared = super::schema().expect("a schema");
        assert!(Arc::ptr_eq(schema, &shared));
        assert!(Arc::ptr_eq(
            load_pending().unwrap().chart().schema.as_ref().unwrap(),
            &shared
        ));
    }

    /// Every values file of the built-in chart and its sub-charts was read
    /// at build time, and decodes to what parsing it gives now.
    #[test]
    fn every_values_file_is_prepared_and_decodes_to_its_parse() {
        let files: Vec<_> = FILES
            .iter()
            .filter(|(name, _)| name.ends_with("values.yaml"))
            .collect();
        assert!(files.len() >= 2, "{} values files", files.len());
        assert_eq!(VALUES.len(), files.len());
        for (name, text) in files {
            let decoded = chartgen_helm::prepared_values::values_for(VALUES, text)
                .unwrap_or_else(|| panic!("{name} was not prepared"));
            let parsed = loader::load_values(text).expect("parses");
            assert_eq!(format!("{decoded:?}"), format!("{parsed:?}"), "{name}");
        }
        // A loaded chart holds the same values either way.
        let pending = load_pending().expect("loads");
        let chart = pending.finish_prepared(VALUES).expect("finishes");
        let plain = load().expect("loads");
        assert_eq!(format!("{:?}", chart.values), format!("{:?}", plain.values));
    }
}
