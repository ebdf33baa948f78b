//! Crash-safe file replacement: write a temp file in the same folder, fsync it, rename it
//! over the target, fsync the folder. A crash at any point leaves the old file or the new
//! one, never a torn mix.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The steps of one replacement, so tests can fail (or crash) between any two of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    CreateTemp,
    Write,
    SyncFile,
    Rename,
    SyncDir,
}

#[cfg(test)]
impl Step {
    pub(crate) const ALL: [Step; 5] = [
        Step::CreateTemp,
        Step::Write,
        Step::SyncFile,
        Step::Rename,
        Step::SyncDir,
    ];
}

/// The prefix of temp files next to `target`, for cleaning up after crashes.
pub(crate) fn temp_prefix(target: &Path) -> String {
    let name = target
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("file");
    format!(".{name}.tmp-")
}

fn temp_path(target: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = format!("{}{}-{n}", temp_prefix(target), std::process::id());
    target.with_file_name(name)
}

/// Replaces `target` with `bytes`. `hook` runs before each step and may fail it.
pub(crate) fn write(
    target: &Path,
    bytes: &[u8],
    hook: &mut dyn FnMut(Step) -> io::Result<()>,
) -> io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    hook(Step::CreateTemp)?;
    let temp = temp_path(target);
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temp)?;
    let result = (|| {
        hook(Step::Write)?;
        file.write_all(bytes)?;
        hook(Step::SyncFile)?;
        file.sync_all()?;
        drop(file);
        hook(Step::Rename)?;
        fs::rename(&temp, target)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    // The rename is the commit point: other readers already see the new file, so a failed
    // folder sync only weakens durability across a power cut and is logged, not returned.
    if let Err(e) = hook(Step::SyncDir).and_then(|()| sync_dir(dir)) {
        tracing::warn!(dir = %dir.display(), error = %e, "could not sync the profile store folder");
    }
    Ok(())
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Windows cannot open a folder for syncing; NTFS journals the rename itself.
#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}
