//! Masterminds/semver v3.4.0 as helm uses it: `NewVersion` (with its
//! coercion of `1`, `1.2`, `v1.2.3`), `NewConstraint` and `Check`, for
//! Chart.yaml version validation, dependency version ranges and a chart's
//! `kubeVersion`. helm links one copy of the library for these and for the
//! template functions `semver`/`semverCompare`: so does chartgen, whose copy
//! is [`chartgen_sprig::semver`].

pub use chartgen_sprig::semver::{Constraints, Version};

/// helm's `IsCompatibleRange(constraint, version)`.
///
/// The answers are kept: every render of a chart asks the same few (its
/// dependencies' ranges, its `kubeVersion`), and parsing a range is most of
/// the cost.
pub fn is_compatible_range(constraint: &str, ver: &str) -> bool {
    type Answers = rustc_hash::FxHashMap<(Box<str>, Box<str>), bool>;
    static ANSWERS: std::sync::Mutex<Option<Answers>> = std::sync::Mutex::new(None);
    const ANSWERS_MAX: usize = 1024;
    let key = (Box::from(constraint), Box::from(ver));
    if let Some(&answer) = ANSWERS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .and_then(|a| a.get(&key))
    {
        return answer;
    }
    let answer = compatible_range(constraint, ver);
    let mut answers = ANSWERS.lock().unwrap_or_else(|e| e.into_inner());
    let answers = answers.get_or_insert_with(Default::default);
    if answers.len() >= ANSWERS_MAX {
        answers.clear();
    }
    answers.insert(key, answer);
    answer
}

fn compatible_range(constraint: &str, ver: &str) -> bool {
    let Ok(v) = Version::parse(ver) else {
        return false;
    };
    match Constraints::parse(constraint) {
        Ok(c) => c.check(&v),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_coerce() {
        assert!(is_compatible_range("=1.0.0", "1"));
        assert!(is_compatible_range("=1.2.0", "v1.2"));
        assert!(!is_compatible_range("=1.2.1", "v1.2"));
        assert!(Version::parse("1.2.3.4").is_err());
        assert!(Version::parse("x").is_err());
        assert_eq!(
            Version::parse("1.2.3-01").unwrap_err().to_string(),
            "version segment starts with 0"
        );
    }

    #[test]
    fn ranges() {
        assert!(is_compatible_range("~1.2.0", "1.2.9"));
        assert!(!is_compatible_range("~1.2.0", "1.3.0"));
        assert!(is_compatible_range("^1", "1.9.0"));
        assert!(is_compatible_range(">=1.0.0 <2", "1.5.0"));
        assert!(is_compatible_range("1.x", "1.5.0"));
        assert!(is_compatible_range("*", "3.0.0"));
        assert!(!is_compatible_range("", "3.0.0"));
        assert!(is_compatible_range("1 - 2", "2.0.0"));
        assert!(!is_compatible_range(">1", "1.0.0-alpha"));
        assert!(is_compatible_range(">=1.0.0-0", "1.0.0-alpha"));
        assert!(is_compatible_range("1.0.0 || 2.0.0", "2.0.0"));
        assert!(!is_compatible_range("bogus", "2.0.0"));
        assert_eq!(
            Constraints::parse("bogus").unwrap_err().to_string(),
            "improper constraint: bogus"
        );
    }
}
