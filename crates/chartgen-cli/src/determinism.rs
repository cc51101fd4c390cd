//! `--seed` and `--now` (or `$CHARTGEN_SEED` and `$CHARTGEN_NOW`): chartgen's
//! reproducible renders, shared by `template`, `diff` and `snapshot`.

use chartgen_sprig::{Determinism, Timestamp};

pub const SEED_VAR: &str = "CHARTGEN_SEED";
pub const NOW_VAR: &str = "CHARTGEN_NOW";

/// The process environment's variable, if set and not empty.
pub fn process_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The flags' values, each falling back to its environment variable (read
/// with `var`).
pub fn from_flags(
    seed: Option<String>,
    now: Option<String>,
    var: &dyn Fn(&str) -> Option<String>,
) -> Result<Determinism, String> {
    let seed = match seed {
        Some(s) => Some(parse_seed(&s).map_err(|e| format!("invalid --seed: {e}"))?),
        None => match var(SEED_VAR) {
            Some(s) => Some(parse_seed(&s).map_err(|e| format!("invalid {SEED_VAR}: {e}"))?),
            None => None,
        },
    };
    let now = match now {
        Some(s) => Some(Timestamp::parse_rfc3339(&s).map_err(|e| format!("invalid --now: {e}"))?),
        None => match var(NOW_VAR) {
            Some(s) => {
                Some(Timestamp::parse_rfc3339(&s).map_err(|e| format!("invalid {NOW_VAR}: {e}"))?)
            }
            None => None,
        },
    };
    Ok(Determinism { seed, now })
}

fn parse_seed(s: &str) -> Result<u64, String> {
    s.trim().parse::<u64>().map_err(|_| {
        format!(
            "{} is not a non-negative integer",
            gotmpl::strconv::quote(s)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_environment() {
        let env = |k: &str| match k {
            SEED_VAR => Some("7".to_string()),
            NOW_VAR => Some("2024-01-01T00:00:00Z".to_string()),
            _ => None,
        };
        let d = from_flags(Some("3".into()), None, &env).unwrap();
        assert_eq!(d.seed, Some(3));
        assert_eq!(d.now.unwrap().unix(), 1704067200);
        assert_eq!(from_flags(None, None, &env).unwrap().seed, Some(7));
        assert_eq!(
            from_flags(Some("x".into()), None, &env).unwrap_err(),
            "invalid --seed: \"x\" is not a non-negative integer"
        );
        let bad = |k: &str| (k == NOW_VAR).then(|| "soon".to_string());
        assert_eq!(
            from_flags(None, None, &bad).unwrap_err(),
            "invalid CHARTGEN_NOW: \"soon\" is not an RFC 3339 timestamp (like 2024-01-02T03:04:05Z)"
        );
        let none = from_flags(None, None, &|_: &str| None).unwrap();
        assert!(none.seed.is_none() && none.now.is_none());
    }
}
