//! `Env`: a snapshot of environment variables handed to checks, so a check never reads the
//! process environment itself and tests can describe the environment they want.

use std::collections::BTreeMap;
use std::fmt;

/// Environment variables as seen by a check. Values may be secret (`AWS_SECRET_ACCESS_KEY`),
/// so `Debug` prints names only.
#[derive(Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    /// An empty environment: every endpoint falls back to its default.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The current process environment (non-UTF-8 entries are skipped).
    pub fn from_process() -> Self {
        Self::from_pairs(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        )
    }

    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// Adds or replaces one variable.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// A variable's value, if set and not blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The first of `names` that is set.
    pub fn first(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| self.get(n))
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Env")
            .field("names", &self.vars.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_count_as_unset_and_debug_hides_values() {
        let env = Env::from_pairs([("A", " "), ("B", "secret-value")]);
        assert_eq!(env.get("A"), None);
        assert_eq!(env.first(&["A", "B"]), Some("secret-value"));
        assert!(!format!("{env:?}").contains("secret-value"));
    }
}
