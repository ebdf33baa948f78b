//! `VaultError`: what went wrong with the keyring, in words a user can act on, with the
//! platform-specific hint for a keyring that is missing or locked. Never carries a value.

use std::time::Duration;

use crate::schema::Status;
use crate::vault::backend::BackendError;

/// The kinds of keyring failure the UI distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VaultErrorKind {
    /// No keyring, a locked one, or access refused.
    Unavailable,
    /// The keyring did not answer in time (often: it is locked and showing a prompt).
    Timeout,
    /// An entry is there but its value cannot be read back whole.
    Damaged,
    /// The keyring answered but refused or failed the call.
    Failed,
}

/// A keyring failure. `message` says what failed; `hint` says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct VaultError {
    pub kind: VaultErrorKind,
    pub message: String,
    pub hint: String,
}

impl VaultError {
    /// Every vault failure means the keyring cannot be used for this operation right now.
    pub fn status(&self) -> Status {
        Status::KeyringUnavailable
    }

    pub(crate) fn from_backend(action: &str, e: BackendError) -> Self {
        match e {
            BackendError::Unavailable(detail) => VaultError {
                kind: VaultErrorKind::Unavailable,
                message: format!("The system keyring is not available to {action}: {detail}."),
                hint: unavailable_hint().to_string(),
            },
            BackendError::Failed(detail) => VaultError {
                kind: VaultErrorKind::Failed,
                message: format!("The system keyring refused to {action}: {detail}."),
                hint: "Try again; if it keeps failing, check the keyring in your system's \
                       password manager."
                    .to_string(),
            },
        }
    }

    pub(crate) fn timeout(action: &str, after: Duration) -> Self {
        VaultError {
            kind: VaultErrorKind::Timeout,
            message: format!(
                "The system keyring did not answer within {} s when asked to {action}; it may \
                 be locked and waiting for you in an unlock prompt.",
                after.as_secs_f32()
            ),
            hint: unavailable_hint().to_string(),
        }
    }

    pub(crate) fn damaged(key: &str, why: &str) -> Self {
        VaultError {
            kind: VaultErrorKind::Damaged,
            message: format!("The keyring entry for {key} cannot be read back: {why}."),
            hint: "Enter that secret again and save to replace the entry.".to_string(),
        }
    }
}

/// What to do when the keyring is missing or locked, for this platform.
pub fn unavailable_hint() -> &'static str {
    if cfg!(target_os = "macos") {
        "cloudcreds keeps secrets in your login keychain. Unlock it in Keychain Access (or run \
         `security unlock-keychain ~/Library/Keychains/login.keychain-db`) and allow cloudcreds \
         when macOS asks."
    } else if cfg!(windows) {
        "cloudcreds keeps secrets in Windows Credential Manager. Sign in to an interactive \
         session, make sure the Credential Manager service (VaultSvc) is running, and check \
         that no policy forbids saving credentials."
    } else {
        "cloudcreds keeps secrets in the Secret Service over D-Bus. Start and unlock a provider: \
         log in to a desktop session with GNOME Keyring, or run `gnome-keyring-daemon --start \
         --components=secrets` and unlock the login keyring in Seahorse (\"Passwords and Keys\"), \
         or enable KeePassXC's Secret Service integration (Settings > Secret Service \
         Integration) and unlock its database. Without a desktop session (SSH, containers), \
         start a session bus first with `dbus-run-session -- $SHELL`."
    }
}
