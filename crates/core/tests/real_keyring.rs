//! The vault and profile store against a real Secret Service: a private D-Bus session and an
//! unlocked gnome-keyring started (and killed, even on failure) by `private-keyring`, with
//! this process pointed at them. `CLOUDCREDS_SKIP_KEYRING_TESTS=1` skips it.
#![cfg(all(unix, not(target_os = "macos")))]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cloudcreds_core::profile::StoreOptions;
use cloudcreds_core::vault::{VaultConfig, VaultErrorKind};
use cloudcreds_core::{Credentials, ProfileStore, ProviderId, Vault};
use private_keyring::PrivateSecretService;
use secrecy::ExposeSecret;

fn creds(provider: ProviderId, values: &[(&str, &str)]) -> Credentials {
    Credentials::from_values(
        provider,
        values.iter().map(|(k, v)| (k.to_string(), v.to_string())),
    )
    .unwrap()
}

fn gcp_key() -> String {
    let body: String = (0..4800).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    format!(
        "{{\"type\":\"service_account\",\"private_key_id\":\"abcdef0123456789abcdef0123456789abcd1234\",\"private_key\":\"{body}\"}}"
    )
}

fn keys(vault: &Vault) -> BTreeSet<String> {
    vault.list().unwrap().into_iter().collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn wait_until_ready(vault: &Vault) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match vault.probe() {
            Ok(()) => return,
            Err(e) if Instant::now() < deadline => {
                eprintln!("waiting for the Secret Service: {e}");
                std::thread::sleep(Duration::from_millis(250));
            }
            Err(e) => panic!("the private Secret Service never became usable: {e}"),
        }
    }
}

#[test]
fn profiles_and_secrets_round_trip_through_a_real_secret_service() {
    let Some(mut daemons) = PrivateSecretService::start() else {
        return;
    };
    let service = format!(
        "dev.cloudcreds.test-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    );
    // One test in this binary, so setting the environment here races with nothing.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", daemons.address());
    std::env::set_var("CLOUDCREDS_KEYRING_SERVICE", &service);
    std::env::set_var("CLOUDCREDS_HOME", daemons.home().join("cloudcreds"));

    let mut config = VaultConfig::from_env();
    assert_eq!(
        config.service, service,
        "CLOUDCREDS_KEYRING_SERVICE is honoured"
    );
    // Windows' entry limit, to prove chunking against the real store.
    config.max_entry_bytes = Some(2560);
    let vault = Vault::platform(config.clone());
    wait_until_ready(&vault);

    let path: PathBuf = ProfileStore::default_path().unwrap();
    assert!(
        path.starts_with(daemons.home()),
        "CLOUDCREDS_HOME is honoured"
    );
    let store = ProfileStore::open(&path, vault.clone(), StoreOptions::default());

    store.create("default").unwrap();
    store
        .save_provider(
            "default",
            &creds(
                ProviderId::AWS,
                &[
                    ("access_key_id", "AKIAIOSFODNN7EXAMPLE"),
                    (
                        "secret_access_key",
                        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    ),
                ],
            ),
            &[],
        )
        .unwrap();
    store
        .save_provider(
            "default",
            &creds(ProviderId::GCP, &[("service_account_key", &gcp_key())]),
            &[],
        )
        .unwrap();
    assert_eq!(
        keys(&vault),
        set(&[
            "default/aws/secret_access_key",
            "default/gcp/service_account_key"
        ])
    );
    // The 5 KB key is split into chunks in the real keyring and read back whole.
    let raw = vault.list_entries().unwrap();
    assert!(
        raw.iter().any(|e| e == "default/gcp/service_account_key#2"),
        "{raw:?}"
    );
    assert_eq!(daemons.entries(&service), raw.iter().cloned().collect());
    let loaded = store.load_credentials("default", ProviderId::GCP).unwrap();
    assert_eq!(
        loaded
            .secret("service_account_key")
            .unwrap()
            .expose_secret(),
        gcp_key()
    );
    let aws = store.load_credentials("default", ProviderId::AWS).unwrap();
    assert_eq!(
        aws.secret("secret_access_key").unwrap().expose_secret(),
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    );

    store.rename("default", "work").unwrap();
    assert_eq!(
        keys(&vault),
        set(&["work/aws/secret_access_key", "work/gcp/service_account_key"])
    );
    store.duplicate("work", "copy").unwrap();
    assert_eq!(keys(&vault).len(), 4);
    store.forget_provider("copy", ProviderId::GCP).unwrap();
    store.delete("work").unwrap();
    assert_eq!(keys(&vault), set(&["copy/aws/secret_access_key"]));
    store.delete("copy").unwrap();
    assert!(vault.list_entries().unwrap().is_empty(), "no orphans");
    assert!(daemons.entries(&service).is_empty(), "no orphans");
    assert!(!std::fs::read_to_string(&path)
        .unwrap()
        .contains("EXAMPLEKEY"));

    // The keyring goes away: a fresh vault reports it unavailable with the Linux hint, and
    // nothing is written anywhere else.
    daemons.stop_keyring();
    let gone = Vault::platform(VaultConfig {
        timeout: Duration::from_secs(5),
        ..config.clone()
    });
    let err = gone.probe().unwrap_err();
    assert!(
        matches!(
            err.kind,
            VaultErrorKind::Unavailable | VaultErrorKind::Timeout
        ),
        "{err:?}"
    );
    assert!(err.hint.contains("gnome-keyring-daemon"), "{}", err.hint);
    let offline = ProfileStore::open(&path, gone, StoreOptions::default());
    offline.create("offline").unwrap();
    let e = offline
        .save_provider(
            "offline",
            &creds(
                ProviderId::HUGGINGFACE,
                &[("token", "hf_offlinesecret12345")],
            ),
            &[],
        )
        .unwrap_err();
    assert_eq!(e.status(), cloudcreds_core::Status::KeyringUnavailable);
    assert!(!std::fs::read_to_string(&path)
        .unwrap()
        .contains("hf_offline"));

    // No session bus at all.
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        format!(
            "unix:path={}",
            Path::new(daemons.home()).join("no-bus").display()
        ),
    );
    let err = Vault::platform(config).probe().unwrap_err();
    assert_eq!(err.kind, VaultErrorKind::Unavailable, "{err:?}");
}
