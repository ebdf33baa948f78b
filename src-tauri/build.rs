//! Generates the ACL permissions for the app's own commands (`allow-<command>`), so the
//! capability file must name each command a window may call.

fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(&[
            "list_providers",
            "validate_fields",
            "paste_credentials",
            "clear_draft",
            "test_connection",
        ]),
    ))
    .expect("failed to run tauri-build");
}
