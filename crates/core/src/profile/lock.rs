//! The lock file beside the store (`profiles.json.lock`): one writer at a time across
//! processes (the app, any number of CLI runs). An advisory exclusive lock on it is held for
//! the whole read-modify-write, keyring included; the holder writes its PID and program name
//! into it, because the lock itself records no owner. Waiting is bounded: past the wait, the
//! error names the holder.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::error::{ProfileError, ProfileErrorCode};

/// `profiles.json` → `profiles.json.lock`.
pub(crate) fn lock_path(store: &Path) -> PathBuf {
    let name = store
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("profiles.json");
    store.with_file_name(format!("{name}.lock"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A writer: alone, and says who it is in the file.
    Exclusive,
    /// A reader that needs the file and the keyring to agree (no writer mid-change).
    Shared,
}

/// A held lock; released (and the holder line cleared) when dropped.
pub(crate) struct StoreLock {
    file: File,
    mode: Mode,
}

impl StoreLock {
    /// Takes the lock beside `store`, polling until `wait` has passed.
    pub(crate) fn acquire(store: &Path, mode: Mode, wait: Duration) -> Result<Self, ProfileError> {
        let path = lock_path(store);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| ProfileError::io("create the folder of", &path, &e))?;
        }
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options
            .open(&path)
            .map_err(|e| ProfileError::io("open the lock file", &path, &e))?;
        let deadline = Instant::now() + wait;
        let mut pause = Duration::from_millis(2);
        loop {
            let attempt = match mode {
                Mode::Exclusive => file.try_lock(),
                Mode::Shared => file.try_lock_shared(),
            };
            match attempt {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(busy(&path, wait));
                    }
                    std::thread::sleep(pause.min(deadline - now));
                    pause = (pause * 2).min(Duration::from_millis(50));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(ProfileError::io("lock", &path, &e));
                }
            }
        }
        if mode == Mode::Exclusive {
            // Best effort: the holder line only improves the message a waiter may print.
            let _ = file
                .set_len(0)
                .and_then(|()| (&file).write_all(holder_line().as_bytes()));
        }
        Ok(StoreLock { file, mode })
    }
}

impl Drop for StoreLock {
    fn drop(&mut self) {
        if self.mode == Mode::Exclusive {
            let _ = self.file.set_len(0);
        }
        let _ = self.file.unlock();
    }
}

/// `pid 4242 cloudcreds`: who holds the lock, for the error a waiter prints.
fn holder_line() -> String {
    let program = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "unknown".into());
    format!("pid {} {program}\n", std::process::id())
}

/// Reads the holder line back as `(pid, program)`.
fn holder(path: &Path) -> Option<(u32, String)> {
    let text = std::fs::read_to_string(path).ok()?;
    let rest = text.lines().next()?.strip_prefix("pid ")?;
    let (pid, program) = rest.split_once(' ')?;
    let program: String = program.chars().filter(|c| !c.is_control()).collect();
    Some((pid.parse().ok()?, program))
}

fn busy(path: &Path, wait: Duration) -> ProfileError {
    let waited = format!("{:.1} s", wait.as_secs_f64());
    match holder(path) {
        Some((pid, program)) => ProfileError::new(
            ProfileErrorCode::StoreBusy,
            format!(
                "The profile store is busy: process {pid} ({program}) has been changing it for \
                 longer than {waited} (lock file {}).",
                path.display()
            ),
        )
        .with_hint(format!(
            "Try again when it has finished. If process {pid} is stuck (a keyring prompt \
             waiting for an answer, a hung command), finish or stop it; the lock is released \
             as soon as it exits."
        )),
        None => ProfileError::new(
            ProfileErrorCode::StoreBusy,
            format!(
                "The profile store is busy: another cloudcreds process has been using it for \
                 longer than {waited} (lock file {}).",
                path.display()
            ),
        )
        .with_hint(
            "Try again when it has finished; the lock is released as soon as that process \
             exits.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_then_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("profiles.json");
        let held = StoreLock::acquire(&store, Mode::Exclusive, Duration::ZERO).unwrap();
        let err = StoreLock::acquire(&store, Mode::Exclusive, Duration::from_millis(30))
            .err()
            .expect("the lock is held");
        assert_eq!(err.code, ProfileErrorCode::StoreBusy);
        assert!(
            err.message
                .contains(&format!("process {}", std::process::id())),
            "{}",
            err.message
        );
        assert!(
            err.message.contains("profiles.json.lock"),
            "{}",
            err.message
        );
        assert!(StoreLock::acquire(&store, Mode::Shared, Duration::ZERO).is_err());
        drop(held);
        assert_eq!(std::fs::read(lock_path(&store)).unwrap(), b"");
        let _a = StoreLock::acquire(&store, Mode::Shared, Duration::ZERO).unwrap();
        let _b = StoreLock::acquire(&store, Mode::Shared, Duration::ZERO).unwrap();
        assert!(StoreLock::acquire(&store, Mode::Exclusive, Duration::ZERO).is_err());
    }
}
