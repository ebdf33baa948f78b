//! The UI's TypeScript types are generated from these Rust types and committed; this test
//! fails when they drift. `UPDATE_BINDINGS=1 cargo test -p cloudcreds-core --test bindings`
//! rewrites the file.

use std::path::PathBuf;

use cloudcreds_core::*;
use ts_rs::{Config, TS};

/// `ProviderId` is a string on the Rust side (each provider folder declares its own); the
/// UI gets the closed union of every registered provider's name.
fn provider_id_decl() -> String {
    let names: Vec<String> = providers::ids().map(|id| format!("\"{id}\"")).collect();
    format!("type ProviderId = {};", names.join(" | "))
}

fn render() -> String {
    let cfg = Config::default();
    let decls = [
        ErrorCode::decl(&cfg),
        ErrorPayload::decl(&cfg),
        provider_id_decl(),
        FieldKind::decl(&cfg),
        FieldSpec::decl(&cfg),
        ProviderInfo::decl(&cfg),
        Status::decl(&cfg),
        IdentityEntry::decl(&cfg),
        RequestRecord::decl(&cfg),
        CheckReport::decl(&cfg),
        FieldIssue::decl(&cfg),
        PastedField::decl(&cfg),
        PasteSummary::decl(&cfg),
        KeyringStatus::decl(&cfg),
        FindingKind::decl(&cfg),
        Repair::decl(&cfg),
        KeyringFinding::decl(&cfg),
        KeyringFindings::decl(&cfg),
        SecretMeta::decl(&cfg),
        LastCheck::decl(&cfg),
        ProviderSettings::decl(&cfg),
        ProfileSummary::decl(&cfg),
        StoreNotice::decl(&cfg),
        ProfileErrorCode::decl(&cfg),
        ProfileError::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types in crates/core by its `bindings` test. Do not edit:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p cloudcreds-core --test bindings` instead.\n",
    );
    for decl in decls {
        out.push_str("\nexport ");
        out.push_str(decl.trim());
        out.push('\n');
    }
    out
}

#[test]
fn typescript_bindings_match_the_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings.ts");
    let expected = render();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "ui/src/lib/bindings.ts is out of date with the Rust types; regenerate it with \
         `UPDATE_BINDINGS=1 cargo test -p cloudcreds-core --test bindings` and commit it"
    );
}

/// The `provider` enum of docs/check-output.schema.json is the registry's list; this test
/// fails when a provider is added without it. `UPDATE_BINDINGS=1` rewrites that line.
#[test]
fn the_json_schema_lists_every_registered_provider() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/check-output.schema.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let names: Vec<String> = providers::ids().map(|id| format!("\"{id}\"")).collect();
    let wanted = format!("\"enum\": [{}]", names.join(", "));
    // The one enum line right after the provider's description.
    let marker = "\"description\": \"Which provider was checked.\",";
    let at = text
        .find(marker)
        .expect("the provider property of CheckReport")
        + marker.len();
    let line_start = at + text[at..].find("\"enum\"").unwrap();
    let line_end = line_start + text[line_start..].find('\n').unwrap();
    let committed = &text[line_start..line_end];
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let updated = format!("{}{wanted}{}", &text[..line_start], &text[line_end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        committed, wanted,
        "docs/check-output.schema.json lists other providers than the registry; regenerate it \
         with `UPDATE_BINDINGS=1 cargo test -p cloudcreds-core --test bindings` and commit it"
    );
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(doc["$defs"]["CheckReport"]["properties"]["provider"]["enum"].is_array());
    // The status vocabulary is closed and changes only on purpose: compare, never rewrite.
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        doc["$defs"]["Status"]["enum"],
        serde_json::json!(statuses),
        "docs/check-output.schema.json's Status enum differs from Status::ALL"
    );
}
