//! Reading the small files importers look at, bounded and without ever quoting their
//! content: a missing file is "nothing here", anything else wrong is a sentence.

use std::io::Read;
use std::path::Path;

/// Credential files are tiny; anything larger is not one of them.
pub(crate) const MAX_BYTES: u64 = 256 * 1024;

/// The file as text, `Ok(None)` when it does not exist.
pub(crate) fn read_small(path: &Path, shown: &str) -> Result<Option<String>, String> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("Could not read {shown}: {}.", io_reason(&e))),
    };
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(format!("{shown} is a folder, not a file."));
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("Could not read {shown}: {}.", io_reason(&e)))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(format!(
            "{shown} is larger than {} KiB, too large to be a credentials file.",
            MAX_BYTES / 1024
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        format!("{shown} is not UTF-8 text, so it is not a credentials file cloudcreds can read.")
    })?;
    Ok(Some(text.trim_start_matches('\u{feff}').to_string()))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.kind().to_string(),
    }
}
