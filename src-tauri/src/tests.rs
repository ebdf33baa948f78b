//! The shell exercised through Tauri's mock runtime: real IPC, real ACL, real checks against
//! the fake clouds on loopback, no window.

use cloudcreds_core::vault::MemoryBackend;
use cloudcreds_core::{
    CheckContext, CheckOptions, Cloudcreds, Env, ProfileStore, Vault, VaultConfig,
};
use fake_clouds::FakeClouds;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// The app over a temp profile store and an in-memory keyring (the real keyring is
/// exercised by core's tests and the end-to-end tests).
fn app(env: Env) -> App<MockRuntime> {
    let dir = tempfile::tempdir().unwrap().keep();
    let vault = Vault::with_backend(MemoryBackend::new(), VaultConfig::from_env());
    let store = ProfileStore::open(dir.join("profiles.json"), vault, Default::default());
    let core = Cloudcreds::new(CheckContext::new(env, CheckOptions::default()), store);
    crate::build(mock_builder(), tauri::generate_context!(), core).expect("app builds")
}

fn window(app: &App<MockRuntime>, label: &str) -> WebviewWindow<MockRuntime> {
    WebviewWindowBuilder::new(app, label, Default::default())
        .build()
        .unwrap()
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().unwrap())
}

fn fake() -> FakeClouds {
    tauri::async_runtime::block_on(FakeClouds::start()).expect("fake clouds start")
}

#[test]
fn list_providers_returns_every_schema_over_ipc() {
    let app = app(Env::empty());
    let providers = invoke(&window(&app, "main"), "list_providers", json!({})).unwrap();
    let ids: Vec<&str> = providers
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    let registered: Vec<&str> = cloudcreds_core::providers::ids()
        .map(|id| id.as_str())
        .collect();
    assert_eq!(ids, registered);
}

#[test]
fn commands_outside_the_capability_are_refused() {
    let app = app(Env::empty());
    // Only the "main" window holds the capability; any other window is refused by the ACL.
    let err = invoke(&window(&app, "other"), "list_providers", json!({})).unwrap_err();
    assert!(err.to_string().contains("not allowed"), "{err}");
}

#[test]
fn test_connection_reaches_the_provider_and_reports_identity() {
    let fake = fake();
    let app = app(Env::from_pairs(fake.env()));
    let main = window(&app, "main");
    let report = invoke(
        &main,
        "test_connection",
        json!({"provider": "huggingface", "values": {"token": fake.creds().hf_token}}),
    )
    .unwrap();
    assert_eq!(report["status"], "ok", "{report}");
    assert!(
        report["identity"].to_string().contains("fake-user"),
        "{report}"
    );

    let report = invoke(
        &main,
        "test_connection",
        json!({"provider": "huggingface", "values": {"token": fake.creds().hf_token_revoked}}),
    )
    .unwrap();
    assert_eq!(report["status"], "invalid_credentials", "{report}");
    assert!(report["hint"].is_string(), "{report}");
}

#[test]
fn bad_input_crosses_as_code_and_message() {
    let app = app(Env::empty());
    let err = invoke(
        &window(&app, "main"),
        "validate_fields",
        json!({"provider": "aws", "values": {"no_such_field": "x"}}),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains("access_key_id"),
        "{err}"
    );
}

#[test]
fn no_command_sends_a_pasted_or_typed_secret_back() {
    let fake = fake();
    let app = app(Env::from_pairs(fake.env()));
    let main = window(&app, "main");
    let canary = "CANARYcanaryCANARYcanaryCANARYcanary1234";
    let block = format!(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {canary}\n"
    );
    let mut responses = vec![invoke(&main, "paste_credentials", json!({ "text": block })).unwrap()];
    for cmd in ["validate_fields", "test_connection"] {
        // Once with the secret typed, once relying on the pasted draft.
        for values in [
            json!({"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": canary}),
            json!({"access_key_id": "AKIAIOSFODNN7EXAMPLE"}),
        ] {
            responses
                .push(invoke(&main, cmd, json!({"provider": "aws", "values": values})).unwrap());
        }
    }
    // Save it (from the paste), then list, test with the stored secret, rename, duplicate.
    let profile_calls = [
        ("create_profile", json!({"name": "work"})),
        (
            "save_provider",
            json!({"profile": "work", "provider": "aws", "values": {"access_key_id": "AKIAIOSFODNN7EXAMPLE"}, "clear": []}),
        ),
        ("list_profiles", json!({})),
        (
            "test_connection",
            json!({"provider": "aws", "values": {"access_key_id": "AKIAIOSFODNN7EXAMPLE"}, "profile": "work"}),
        ),
        ("duplicate_profile", json!({"from": "work", "to": "copy"})),
        ("rename_profile", json!({"from": "copy", "to": "client-x"})),
        ("use_profile", json!({"name": "client-x"})),
        ("list_profiles", json!({})),
        ("keyring_status", json!({})),
    ];
    for (cmd, args) in profile_calls {
        responses.push(invoke(&main, cmd, args).unwrap_or_else(|e| panic!("{cmd}: {e}")));
    }
    let hf = json!({"provider": "huggingface", "values": {"token": format!("hf_{canary}")}});
    responses.push(invoke(&main, "test_connection", hf.clone()).unwrap());
    responses.push(invoke(&main, "validate_fields", hf).unwrap());
    for response in responses {
        let text = response.to_string();
        assert!(
            !text.contains("CANARYcanary"),
            "secret leaked over IPC: {text}"
        );
    }
}

#[test]
fn a_saved_secret_is_used_for_the_check_and_the_result_recorded() {
    let fake = fake();
    let app = app(Env::from_pairs(fake.env()));
    let main = window(&app, "main");
    let c = fake.creds();
    invoke(&main, "create_profile", json!({"name": "default"})).unwrap();
    let form = json!({"access_key_id": c.aws_access_key_id, "region": "us-east-1"});
    let mut typed = form.clone();
    typed["secret_access_key"] = json!(c.aws_secret_access_key);
    let saved = invoke(
        &main,
        "save_provider",
        json!({"profile": "default", "provider": "aws", "values": typed, "clear": []}),
    )
    .unwrap();
    assert_eq!(saved["secrets"][0]["set"], true, "{saved}");

    // The form now holds no secret: "use stored" supplies it from the keyring.
    let report = invoke(
        &main,
        "test_connection",
        json!({"provider": "aws", "values": form, "profile": "default"}),
    )
    .unwrap();
    assert_eq!(report["status"], "ok", "{report}");
    let profiles = invoke(&main, "list_profiles", json!({})).unwrap();
    let aws = &profiles[0]["providers"][0];
    assert_eq!(aws["last_check"]["status"], "ok", "{profiles}");
}

#[test]
fn keyring_findings_reports_an_orphan_from_the_listing_alone() {
    use cloudcreds_core::vault::Backend;
    let dir = tempfile::tempdir().unwrap().keep();
    let backend = MemoryBackend::new();
    let config = VaultConfig::from_env();
    let service = config.service.clone();
    let vault = Vault::with_backend(backend.clone(), config);
    let store = ProfileStore::open(dir.join("profiles.json"), vault, Default::default());
    let core = Cloudcreds::new(
        CheckContext::new(Env::empty(), CheckOptions::default()),
        store,
    );
    let app = crate::build(mock_builder(), tauri::generate_context!(), core).expect("app builds");
    let main = window(&app, "main");
    invoke(&main, "create_profile", json!({"name": "work"})).unwrap();
    let healthy = invoke(&main, "keyring_findings", json!({})).unwrap();
    assert_eq!(healthy["findings"], json!([]), "{healthy}");

    // A racing writer left an entry the store does not record.
    let canary = "CANARYcanaryCANARYcanaryCANARYorphan1234";
    let mut planted = backend.clone();
    planted
        .set(&service, "work/aws/secret_access_key", canary.as_bytes())
        .unwrap();
    let calls = backend.calls();
    let found = invoke(&main, "keyring_findings", json!({})).unwrap();
    assert_eq!(
        backend.calls() - calls,
        1,
        "one listing call, no value read"
    );
    assert_eq!(found["values_checked"], false, "{found}");
    assert_eq!(found["findings"][0]["kind"], "orphan", "{found}");
    assert_eq!(found["findings"][0]["key"], "work/aws/secret_access_key");
    assert_eq!(found["findings"][0]["repairs"], json!(["adopt", "delete"]));
    assert!(!found.to_string().contains("CANARYcanary"), "{found}");
}
