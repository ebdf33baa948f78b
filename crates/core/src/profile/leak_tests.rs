//! The no-leak guarantee: canary secrets go through every operation (success and failure
//! paths), then the store folder, the captured logs (every level, the keyring thread
//! included) and every returned value, error and `Debug` output are scanned for them.

use std::io::Write;
use std::sync::{Arc, Mutex};

use super::tests::{creds, fixture_with, gcp_key, Fixture};
use super::*;
use crate::providers;
use crate::schema::ProviderId;
use crate::schema::{CheckReport, Status};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Records what an operation returned, as JSON when it serialises and as `Debug` always.
#[derive(Default)]
struct Seen(Vec<String>);

impl Seen {
    fn debug<T: std::fmt::Debug>(&mut self, value: &T) {
        self.0.push(format!("{value:?}"));
    }
    fn both<T: std::fmt::Debug + serde::Serialize>(&mut self, value: &T) {
        self.debug(value);
        self.0.push(serde_json::to_string(value).unwrap());
    }
    fn result<T: std::fmt::Debug + serde::Serialize>(&mut self, r: Result<T, ProfileError>) {
        match r {
            Ok(v) => self.both(&v),
            Err(e) => {
                self.0.push(e.to_string());
                self.both(&e);
                self.debug(&crate::schema::ErrorPayload::from(e));
            }
        }
    }
}

/// A canary per secret field; each unique and long enough to spot any fragment past the
/// four-character hint.
fn canary(provider: ProviderId, field: &str) -> String {
    if field == "service_account_key" {
        return gcp_key("c0de").replace(
            "BEGIN PRIVATE KEY-----\\n",
            "BEGIN PRIVATE KEY-----\\nCANARYGCPSECRETBODY",
        );
    }
    format!("CANARY-{provider}-{field}-5e3f9a1b7c")
}

fn fragments(provider: ProviderId, field: &str) -> Vec<String> {
    if field == "service_account_key" {
        return vec!["CANARYGCPSECRETBODY".into(), "ABCDEFGHIJKLMNOP".into()];
    }
    let c = canary(provider, field);
    vec![c.clone(), c[..c.len() - 4].to_string()]
}

fn all_credentials() -> Vec<crate::schema::Credentials> {
    providers::all()
        .iter()
        .map(|p| {
            let values: Vec<(String, String)> = p
                .fields
                .iter()
                .map(|f| {
                    let value = if f.kind.is_secret() {
                        canary(p.id, f.name)
                    } else {
                        f.options.first().map_or("plain-value", |o| o).to_string()
                    };
                    (f.name.to_string(), value)
                })
                .collect();
            let pairs: Vec<(&str, &str)> = values
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            creds(p.id, &pairs)
        })
        .collect()
}

fn exercise(f: &Fixture, seen: &mut Seen) {
    let store = &f.store;
    seen.result(store.create("default"));
    for c in all_credentials() {
        seen.debug(&c);
        seen.result(store.save_provider("default", &c, &[]));
        seen.result(store.provider_settings("default", c.provider()));
        match store.load_credentials("default", c.provider()) {
            Ok(loaded) => seen.debug(&loaded),
            Err(e) => seen.result::<()>(Err(e)),
        }
        let report = CheckReport {
            provider: c.provider(),
            status: Status::Ok,
            summary: "Signed in.".into(),
            identity: vec![],
            hint: None,
            provider_code: None,
            requests: vec![],
            clock_offset_ms: None,
            elapsed_ms: 1,
            checked_at: "2025-01-01T00:00:00Z".into(),
        };
        seen.result(store.record_check("default", &report));
    }
    seen.result(store.list());
    seen.result(store.duplicate("default", "copy"));
    seen.result(store.rename("copy", "renamed"));
    seen.result(store.set_active("renamed"));
    seen.result(store.profile("renamed"));
    // Failure paths: a fault in the middle of a save, a locked keyring, a failed write.
    for c in all_credentials() {
        f.backend.fail_call(Some(3));
        seen.result(store.save_provider("renamed", &c, &[]));
        f.backend.fail_call(None);
    }
    f.backend.set_unavailable(true);
    for c in all_credentials() {
        seen.result(store.save_provider("renamed", &c, &[]));
        seen.result(
            store
                .load_credentials("renamed", c.provider())
                .map(|c| format!("{c:?}")),
        );
    }
    match store.vault().read("renamed/aws/secret_access_key") {
        Ok(v) => seen.debug(&v),
        Err(e) => seen.debug(&e),
    }
    f.backend.set_unavailable(false);
    *store.fail_write_at.lock().unwrap() = Some(super::atomic::Step::Write);
    seen.result(store.save_provider("renamed", &all_credentials()[0], &[]));
    seen.result(store.forget_provider("renamed", ProviderId::GCP));
    seen.result(store.delete("default"));
    seen.result(store.list());
    seen.debug(store);
    seen.debug(&store.take_notices());
}

/// Runs the scan in a child process of this test binary: tracing caches per-callsite
/// interest process-wide, so other tests running alongside could hide log lines from a
/// scoped subscriber and make the scan pass vacuously.
#[test]
fn canary_secrets_never_reach_the_file_logs_errors_or_returned_values() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "profile::leak_tests::canary_scan_in_a_clean_process",
            "--ignored",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, "1")
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("1 passed"), "the scan did not run:\n{text}");
}

const CHILD_ENV: &str = "CLOUDCREDS_TEST_LEAK_CHILD";

#[test]
#[ignore = "run by canary_secrets_never_reach_the_file_logs_errors_or_returned_values"]
fn canary_scan_in_a_clean_process() {
    if std::env::var_os(CHILD_ENV).is_none() {
        return;
    }
    let logs = Capture::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let mut seen = Seen::default();
    let f = tracing::subscriber::with_default(subscriber, || {
        let f = fixture_with(StoreOptions::default());
        exercise(&f, &mut seen);
        f
    });

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("provider settings saved"),
        "logs were captured:\n{logs}"
    );
    assert!(
        logs.contains("keyring store"),
        "keyring thread logs were captured"
    );
    let mut files = String::new();
    for entry in std::fs::read_dir(f.dir.path()).unwrap().flatten() {
        files.push_str(&String::from_utf8_lossy(
            &std::fs::read(entry.path()).unwrap(),
        ));
    }
    assert!(files.contains("\"schema_version\": 1"));
    let returned = seen.0.join("\n");
    assert!(returned.contains("…"), "hints were returned");
    for p in providers::all() {
        for field in p.fields.iter().filter(|f| f.kind.is_secret()) {
            for fragment in fragments(p.id, field.name) {
                assert!(!files.contains(&fragment), "{fragment} in the store folder");
                assert!(!logs.contains(&fragment), "{fragment} in the logs");
                assert!(
                    !returned.contains(&fragment),
                    "{fragment} in a returned value"
                );
            }
        }
    }
    // The secrets really were stored: the scan is not vacuous.
    let raw: Vec<u8> = f.backend.snapshot().into_values().flatten().collect();
    assert!(String::from_utf8_lossy(&raw).contains("CANARY-"));
}
