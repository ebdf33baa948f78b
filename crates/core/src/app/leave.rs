//! Leaving no trace (`cloudcreds doctor --remove-everything`): every keyring entry under
//! the service and every file cloudcreds keeps next to its profile store, and an account of
//! exactly what went.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::profile::{ProfileError, ProfileErrorCode, ProfileStore, STORE_FILE};
use crate::vault::APP_IDENTIFIER;

/// What `remove_everything` removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Removed {
    /// The keyring service the entries were under.
    pub service: String,
    /// Raw keyring entry names removed (chunk entries included).
    pub entries: Vec<String>,
    /// Files (and the app's own folder, when it was left empty) removed.
    pub files: Vec<PathBuf>,
}

/// Whether `name` is one of the store's files: the file itself, its lock, backup and
/// `.corrupt-*` siblings (`profiles.json*`) and crashed writers' temp files
/// (`.profiles.json.tmp-*`).
fn is_store_file(name: &str) -> bool {
    name.starts_with(STORE_FILE) || name.starts_with(&format!(".{STORE_FILE}"))
}

/// Removes every keyring entry under the store's service, then every store file. The
/// keyring goes first: if it cannot be reached, the files (which name the secrets) stay, so
/// a second run can finish the job.
pub fn remove_everything(store: &ProfileStore) -> Result<Removed, ProfileError> {
    let vault = store.vault();
    let keyring = |e| ProfileError::keyring("remove the keyring entries", &e);
    let mut removed = Removed {
        service: vault.service().to_string(),
        ..Removed::default()
    };
    for key in vault.list().map_err(keyring)? {
        removed.entries.extend(vault.purge(&key).map_err(keyring)?);
    }
    let left = vault.list_entries().map_err(keyring)?;
    if !left.is_empty() {
        return Err(ProfileError::new(
            ProfileErrorCode::KeyringUnavailable,
            format!(
                "{} keyring entries were still there after removing them: {}; the files were kept.",
                left.len(),
                left.join(", ")
            ),
        )
        .with_hint(
            "Close the cloudcreds window and any running cloudcreds command, then run this again.",
        ));
    }
    removed.entries.sort();
    removed.files = remove_store_files(store.path())?;
    Ok(removed)
}

fn remove_store_files(store_file: &Path) -> Result<Vec<PathBuf>, ProfileError> {
    let Some(dir) = store_file.parent() else {
        return Ok(Vec::new());
    };
    let io = |e: &std::io::Error| ProfileError::io("remove the files in", dir, e);
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(&e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io(&e))?;
        let is_file = entry.file_type().map_err(|e| io(&e))?.is_file();
        if is_file && is_store_file(&entry.file_name().to_string_lossy()) {
            std::fs::remove_file(entry.path()).map_err(|e| io(&e))?;
            files.push(entry.path());
        }
    }
    files.sort();
    // The app's own folder goes too once empty; a folder named by CLOUDCREDS_HOME is the
    // user's and stays.
    let own_folder = dir.file_name().is_some_and(|n| n == APP_IDENTIFIER);
    if own_folder && std::fs::remove_dir(dir).is_ok() {
        files.push(dir.to_path_buf());
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::is_store_file;

    #[test]
    fn store_files_are_the_file_and_its_siblings_only() {
        for name in [
            "profiles.json",
            "profiles.json.lock",
            "profiles.json.bak",
            "profiles.json.corrupt-20250101T000000Z",
            ".profiles.json.tmp-123-0",
        ] {
            assert!(is_store_file(name), "{name}");
        }
        for name in ["settings.json", "notes.txt", "my-profiles.json"] {
            assert!(!is_store_file(name), "{name}");
        }
    }
}
