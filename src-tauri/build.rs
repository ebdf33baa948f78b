//! Generates the ACL permissions for the app's own commands (`allow-<command>`), so the
//! capability file must name each command a window may call.

const COMMANDS: &[&str] = &[
    "list_providers",
    "validate_fields",
    "paste_credentials",
    "clear_draft",
    "test_connection",
    "keyring_status",
    "keyring_findings",
    "store_notices",
    "list_profiles",
    "create_profile",
    "rename_profile",
    "duplicate_profile",
    "delete_profile",
    "use_profile",
    "save_provider",
    "forget_provider",
    "check_profile",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
