//! The cloudcreds desktop shell. It only wires Tauri to `cloudcreds-core`: each command is
//! a one-line delegation, and the app is built generically over the runtime so `cargo test`
//! drives the very same wiring with Tauri's mock runtime.

mod commands;

use tauri::{App, Builder, Context, Runtime};

/// Builds the app (commands, state, plugins) on any runtime with the given context.
pub fn build<R: Runtime>(builder: Builder<R>, context: Context<R>) -> tauri::Result<App<R>> {
    builder
        .invoke_handler(tauri::generate_handler![commands::list_providers])
        .build(context)
}

/// Starts the desktop app.
pub fn run() {
    let app = build(tauri::Builder::default(), tauri::generate_context!())
        .expect("cloudcreds could not start its window");
    app.run(|_, _| {});
}

#[cfg(test)]
mod tests;
