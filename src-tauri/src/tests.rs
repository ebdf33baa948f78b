//! The shell exercised through Tauri's mock runtime: real IPC, real ACL, no window.

use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn request(cmd: &str) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::default(),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

#[test]
fn list_providers_returns_every_schema_over_ipc() {
    let app = crate::build(mock_builder(), tauri::generate_context!()).expect("app builds");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let response = get_ipc_response(&window, request("list_providers")).expect("allowed");
    let providers: serde_json::Value = response.deserialize().unwrap();
    let ids: Vec<&str> = providers
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["huggingface", "lambda", "aws", "azure", "gcp"]);
}

#[test]
fn commands_outside_the_capability_are_refused() {
    let app = crate::build(mock_builder(), tauri::generate_context!()).expect("app builds");
    let window = WebviewWindowBuilder::new(&app, "other", Default::default())
        .build()
        .unwrap();
    // Only the "main" window holds the capability; any other window is refused by the ACL.
    let err = get_ipc_response(&window, request("list_providers")).unwrap_err();
    assert!(err.to_string().contains("not allowed"), "{err}");
}
