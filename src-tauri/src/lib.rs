//! The cloudcreds desktop shell. It only wires Tauri to `cloudcreds-core`: each command is
//! a one-line delegation, and the app is built generically over the runtime so `cargo test`
//! drives the very same wiring with Tauri's mock runtime.

mod commands;

use cloudcreds_core::{CheckOptions, Cloudcreds, Env};
use tauri::{App, Builder, Context, Runtime};

/// Builds the app (commands, state, plugins) on any runtime with the given context.
pub fn build<R: Runtime>(
    builder: Builder<R>,
    context: Context<R>,
    core: Cloudcreds,
) -> tauri::Result<App<R>> {
    builder
        .manage(core)
        .invoke_handler(tauri::generate_handler![
            commands::list_providers,
            commands::validate_fields,
            commands::paste_credentials,
            commands::clear_draft,
            commands::test_connection,
            commands::keyring_status,
            commands::keyring_findings,
            commands::store_notices,
            commands::list_profiles,
            commands::create_profile,
            commands::rename_profile,
            commands::duplicate_profile,
            commands::delete_profile,
            commands::use_profile,
            commands::save_provider,
            commands::forget_provider,
            commands::check_profile,
        ])
        .build(context)
}

/// Starts the desktop app; endpoint overrides come from the process environment.
pub fn run() {
    let core = match Cloudcreds::open(Env::from_process(), CheckOptions::default()) {
        Ok(core) => core,
        Err(e) => {
            eprintln!("cloudcreds cannot start: {}", e.message);
            std::process::exit(1);
        }
    };
    let app = build(tauri::Builder::default(), tauri::generate_context!(), core)
        .expect("cloudcreds could not start its window");
    app.run(|_, _| {});
}

#[cfg(test)]
mod tests;
