//! `cloudcreds exec -- COMMAND...`: runs a command with a profile's credentials in its
//! environment. A GCP key goes into a 0600 temporary file that is removed when the command
//! ends, however it ends: while the command runs, cloudcreds survives Ctrl-C (the terminal
//! delivers it to the command itself) and forwards SIGTERM/SIGHUP, then cleans up and exits
//! with the command's status.

use std::io::Write;
use std::process::{Command, ExitCode, ExitStatus};

use cloudcreds_core::{providers, ProviderId};
use secrecy::ExposeSecret;

use crate::args::ExecArgs;
use crate::child_env::{self, GCP_KEY_VAR};
use crate::error::CliError;

/// cloudcreds failed before starting the command.
const CANNOT_START: u8 = 125;
const NOT_EXECUTABLE: u8 = 126;
const NOT_FOUND: u8 = 127;

pub fn run(args: ExecArgs) -> Result<ExitCode, CliError> {
    prepare_and_run(args).map_err(|e| {
        if e.code == CANNOT_START || e.code == NOT_EXECUTABLE || e.code == NOT_FOUND {
            e
        } else {
            e.with_code(CANNOT_START)
        }
    })
}

fn prepare_and_run(args: ExecArgs) -> Result<ExitCode, CliError> {
    let store = crate::store::open()?;
    let profile = crate::store::resolve(&store, args.profile.profile.as_deref(), false)?;
    let saved: Vec<ProviderId> = store
        .profile(&profile)?
        .providers
        .iter()
        .map(|s| s.provider)
        .collect();
    let ids: Vec<ProviderId> = if args.providers.is_empty() {
        saved.clone()
    } else {
        args.providers.clone()
    };
    let mut all = Vec::new();
    for id in ids {
        if !saved.contains(&id) {
            return Err(CliError::usage(format!(
                "Profile '{profile}' has no saved {} credentials",
                providers::info(id).name
            ))
            .with_hint(format!(
                "Save them with `cloudcreds set {id} FIELD --profile {profile}`."
            )));
        }
        all.push(store.load_credentials(&profile, id)?);
    }
    let env = child_env::build(&all);
    // Written before the command starts; removed when `key_file` drops, after it ends.
    let key_file = match &env.gcp_key {
        Some(key) => Some(write_key_file(key.expose_secret())?),
        None => None,
    };

    let (program, rest) = args.command.split_first().ok_or_else(|| {
        CliError::usage("No command was given")
            .with_hint("Put it after `--`: `cloudcreds exec -- env`.")
    })?;
    let mut cmd = Command::new(program);
    cmd.args(rest);
    for var in &env.remove {
        cmd.env_remove(var);
    }
    for (var, value) in &env.set {
        cmd.env(var, value.expose_secret());
    }
    if let Some(file) = &key_file {
        cmd.env(GCP_KEY_VAR, file.path());
    }
    let shown = program.to_string_lossy().into_owned();
    let guard = signals::Guard::install();
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => CliError::failed(format!(
            "Command not found: {}",
            crate::output::clean(&shown)
        ))
        .with_hint("Check the name and your PATH.")
        .with_code(NOT_FOUND),
        std::io::ErrorKind::PermissionDenied => CliError::failed(format!(
            "Cannot execute {}: permission denied",
            crate::output::clean(&shown)
        ))
        .with_code(NOT_EXECUTABLE),
        kind => CliError::failed(format!(
            "Could not start {}: {kind}",
            crate::output::clean(&shown)
        ))
        .with_code(NOT_EXECUTABLE),
    })?;
    let status = guard.wait(&mut child);
    drop(key_file);
    match status {
        Ok(status) => Ok(ExitCode::from(exit_code(status))),
        Err(e) => Err(CliError::failed(format!(
            "Lost track of {}: {}",
            crate::output::clean(&shown),
            e.kind()
        ))),
    }
}

/// The key in a private (0600) temporary file.
fn write_key_file(key: &str) -> Result<tempfile::NamedTempFile, CliError> {
    let fail = |e: std::io::Error| {
        CliError::failed(format!(
            "Could not write the GCP key to a temporary file: {}",
            e.kind()
        ))
        .with_hint("Check that TMPDIR points to a writable folder.")
    };
    let mut file = tempfile::Builder::new()
        .prefix("cloudcreds-gcp-")
        .suffix(".json")
        .tempfile()
        .map_err(fail)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(fail)?;
    }
    file.write_all(key.as_bytes()).map_err(fail)?;
    file.flush().map_err(fail)?;
    Ok(file)
}

/// The command's exit code; a command killed by a signal gives 128 + the signal number,
/// as shells report it.
fn exit_code(status: ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return u8::try_from(code.rem_euclid(256)).unwrap_or(1);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return u8::try_from(128 + sig).unwrap_or(255);
        }
    }
    1
}

#[cfg(unix)]
mod signals {
    //! While the command runs: SIGINT and SIGQUIT are noted and ignored (the terminal sends
    //! them to the whole foreground group, so the command gets its own), SIGTERM and SIGHUP
    //! are forwarded to the command. Either way cloudcreds lives on to remove the key file.

    use std::process::{Child, ExitStatus};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

    pub struct Guard {
        forward: Vec<(Arc<AtomicBool>, rustix::process::Signal)>,
    }

    impl Guard {
        pub fn install() -> Guard {
            for sig in [SIGINT, SIGQUIT] {
                let _ = signal_hook::flag::register(sig, Arc::new(AtomicBool::new(false)));
            }
            let forward = [
                (SIGTERM, rustix::process::Signal::TERM),
                (SIGHUP, rustix::process::Signal::HUP),
            ]
            .into_iter()
            .filter_map(|(sig, to)| {
                let flag = Arc::new(AtomicBool::new(false));
                signal_hook::flag::register(sig, flag.clone()).ok()?;
                Some((flag, to))
            })
            .collect();
            Guard { forward }
        }

        pub fn wait(&self, child: &mut Child) -> std::io::Result<ExitStatus> {
            let pid = rustix::process::Pid::from_child(child);
            loop {
                if let Some(status) = child.try_wait()? {
                    return Ok(status);
                }
                for (flag, sig) in &self.forward {
                    if flag.swap(false, Ordering::SeqCst) {
                        let _ = rustix::process::kill_process(pid, *sig);
                    }
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

#[cfg(not(unix))]
mod signals {
    //! Elsewhere: Ctrl-C reaches the whole console group; cloudcreds waits for the command.

    use std::process::{Child, ExitStatus};

    pub struct Guard;

    impl Guard {
        pub fn install() -> Guard {
            Guard
        }

        pub fn wait(&self, child: &mut Child) -> std::io::Result<ExitStatus> {
            child.wait()
        }
    }
}
