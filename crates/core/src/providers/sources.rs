//! What a provider's importer works with and hands back: this machine's variables and home
//! folder as an explicit context (never the process itself, so tests describe a temporary
//! HOME), and what it found or could not use. `import` walks every provider's sources.

use std::path::{Path, PathBuf};

use crate::schema::{Credentials, Env, ProviderId};

/// Where an importer looks, by the name `import --source` takes (`aws`, `hf`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Source(&'static str);

impl Source {
    pub const fn new(name: &'static str) -> Self {
        Source(name)
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// One importer of a provider: its source name, what it reads (for help texts), and the
/// function that reads it.
pub struct ImportSource {
    pub source: Source,
    /// Where it looks, in words (`~/.aws/credentials and ~/.aws/config`).
    pub reads: &'static str,
    pub discover: fn(&ImportContext) -> Discovery,
}

/// What the importers may read: a snapshot of the environment and the home folder.
#[derive(Debug, Clone)]
pub struct ImportContext {
    pub env: Env,
    /// The user's home folder; `None` when unknown (file sources then find nothing).
    pub home: Option<PathBuf>,
    /// The AWS profile to take from the shared files (else `AWS_PROFILE`, else `default`).
    pub aws_profile: Option<String>,
}

impl ImportContext {
    /// Home from `HOME` (or `USERPROFILE` on Windows) in `env`.
    pub fn from_env(env: Env) -> Self {
        let home = env.first(&["HOME", "USERPROFILE"]).map(PathBuf::from);
        ImportContext {
            env,
            home,
            aws_profile: None,
        }
    }

    /// A path under the home folder.
    pub(crate) fn home_path(&self, rel: &str) -> Option<PathBuf> {
        self.home.as_ref().map(|h| h.join(rel))
    }

    /// `~/x` written the way users recognise it, for messages.
    pub fn display_path(&self, path: &Path) -> String {
        match self.home.as_ref().and_then(|h| path.strip_prefix(h).ok()) {
            Some(rel) => format!("~/{}", rel.display()),
            None => path.display().to_string(),
        }
    }
}

/// One credential found, ready to import.
#[derive(Debug, Clone)]
pub struct Found {
    pub source: Source,
    /// Where exactly (`HF_TOKEN`, `~/.aws/credentials [work]`), never a value.
    pub origin: String,
    pub credentials: Credentials,
    /// Something to tell the user about it (format problems, an ignored extra key).
    pub notes: Vec<String>,
}

/// Something found that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub source: Source,
    pub provider: Option<ProviderId>,
    pub origin: String,
    /// One sentence saying what is wrong and what to do; never quotes a value.
    pub message: String,
}

/// Everything the selected sources found.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub found: Vec<Found>,
    pub problems: Vec<Problem>,
}

impl Discovery {
    /// The credential to import per provider: the first found in source order; the others
    /// are `shadowed`.
    pub fn selected(&self) -> Vec<&Found> {
        let mut seen = Vec::new();
        self.found
            .iter()
            .filter(|f| {
                let p = f.credentials.provider();
                let first = !seen.contains(&p);
                seen.push(p);
                first
            })
            .collect()
    }

    /// Found credentials that lose to an earlier one for the same provider.
    pub fn shadowed(&self) -> Vec<&Found> {
        let selected = self.selected();
        self.found
            .iter()
            .filter(|f| !selected.iter().any(|s| std::ptr::eq(*s, *f)))
            .collect()
    }
}
