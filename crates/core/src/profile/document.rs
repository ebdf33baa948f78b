//! The profile store file as data: its on-disk layout (see docs/profile-store.md), loading
//! with recovery (a file that does not parse is moved aside, never overwritten; a newer
//! schema is refused) and serialising. No keyring access and no secret values here.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::{not_found, ProfileError};

/// The layout version this code reads and writes.
pub const SCHEMA_VERSION: u64 = 1;

/// The whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Document {
    pub schema_version: u64,
    #[serde(default)]
    pub active_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileRecord>,
}

impl Document {
    /// A profile by name, or the error that says it does not exist.
    pub fn profile(&self, name: &str) -> Result<&ProfileRecord, ProfileError> {
        self.profiles.get(name).ok_or_else(|| not_found(name))
    }

    pub fn profile_mut(&mut self, name: &str) -> Result<&mut ProfileRecord, ProfileError> {
        self.profiles.get_mut(name).ok_or_else(|| not_found(name))
    }
}

impl Default for Document {
    fn default() -> Self {
        Document {
            schema_version: SCHEMA_VERSION,
            active_profile: None,
            profiles: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ProfileRecord {
    /// RFC 3339 UTC.
    pub created_at: String,
    /// Keyed by provider id (`aws`); unknown ids from newer builds are kept as they are.
    #[serde(default)]
    pub providers: BTreeMap<String, ProviderRecord>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ProviderRecord {
    /// Non-secret fields only.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Secret fields that are set in the keyring, with their metadata (never the value).
    #[serde(default)]
    pub secrets: BTreeMap<String, SecretRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_check: Option<CheckRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SecretRecord {
    /// `…c3d4`, or `null` for secrets too short to hint at.
    pub hint: Option<String>,
    /// RFC 3339 UTC.
    pub set_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CheckRecord {
    /// A `Status` wire name (`ok`, `invalid_credentials`...).
    pub status: String,
    pub checked_at: String,
    pub summary: String,
}

/// What loading found.
#[derive(Debug)]
pub(crate) enum Loaded {
    /// The file (or an empty document when there is none yet).
    Ok(Document),
    /// The file did not parse and was moved to `backup`; the store starts empty.
    Recovered { backup: PathBuf, reason: String },
    /// The file did not parse and was left in place (no `stamp` was given).
    Damaged,
    /// The file was written by a newer cloudcreds; it is left untouched.
    TooNew { found: u64 },
}

/// Reads `path`. With a `stamp`, a file that does not parse is renamed to
/// `<name>.corrupt-<stamp>`; without one it is only reported.
pub(crate) fn load(path: &Path, stamp: Option<&str>) -> io::Result<(Loaded, Option<Vec<u8>>)> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok((Loaded::Ok(Document::default()), None))
        }
        Err(e) => return Err(e),
    };
    match parse(&bytes) {
        Ok(doc) => Ok((Loaded::Ok(doc), Some(bytes))),
        Err(Parse::TooNew(found)) => Ok((Loaded::TooNew { found }, Some(bytes))),
        Err(Parse::Invalid(_)) if stamp.is_none() => Ok((Loaded::Damaged, Some(bytes))),
        Err(Parse::Invalid(reason)) => {
            let stamp = stamp.unwrap_or_default();
            let backup = free_backup_path(path, stamp);
            std::fs::rename(path, &backup)?;
            Ok((Loaded::Recovered { backup, reason }, None))
        }
    }
}

enum Parse {
    TooNew(u64),
    Invalid(String),
}

fn parse(bytes: &[u8]) -> Result<Document, Parse> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| Parse::Invalid(format!("not JSON ({e})")))?;
    let version = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| Parse::Invalid("no schema_version".into()))?;
    if version > SCHEMA_VERSION {
        return Err(Parse::TooNew(version));
    }
    if version < SCHEMA_VERSION {
        return Err(Parse::Invalid(format!("unknown schema_version {version}")));
    }
    let mut doc: Document = serde_json::from_value(value)
        .map_err(|e| Parse::Invalid(format!("unexpected layout ({e})")))?;
    if let Some(bad) = doc
        .profiles
        .keys()
        .find(|name| super::names::validate(name).ok() != Some(name.as_str()))
    {
        return Err(Parse::Invalid(format!("invalid profile name {bad:?}")));
    }
    if doc
        .active_profile
        .as_ref()
        .is_some_and(|a| !doc.profiles.contains_key(a))
    {
        doc.active_profile = None;
    }
    Ok(doc)
}

fn free_backup_path(path: &Path, stamp: &str) -> PathBuf {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("profiles.json");
    let mut candidate = path.with_file_name(format!("{name}.corrupt-{stamp}"));
    let mut n = 1;
    while candidate.exists() {
        candidate = path.with_file_name(format!("{name}.corrupt-{stamp}-{n}"));
        n += 1;
    }
    candidate
}

pub(crate) fn to_bytes(doc: &Document) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(doc).expect("a Document always serialises");
    bytes.push(b'\n');
    bytes
}
