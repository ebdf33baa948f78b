//! The cloudcreds desktop shell. It only wires Tauri to `cloudcreds-core`: each command is
//! a one-line delegation, and the builder is generic over the runtime so `cargo test` can
//! drive it with Tauri's mock runtime.

mod commands;

use tauri::{Builder, Runtime};

/// The app's builder with every command registered, for any runtime.
pub fn builder<R: Runtime>() -> Builder<R> {
    Builder::<R>::new().invoke_handler(tauri::generate_handler![commands::list_providers])
}

/// Starts the desktop app.
pub fn run() {
    builder::<tauri::Wry>()
        .run(tauri::generate_context!())
        .expect("error while running cloudcreds");
}

#[cfg(test)]
mod tests;
