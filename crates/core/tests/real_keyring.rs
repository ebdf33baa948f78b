//! The vault and profile store against a real Secret Service: this harness starts a private
//! D-Bus session bus and gnome-keyring-daemon (unlocked with a known password, its files in a
//! temp HOME), points the process at them, and kills both on drop, even when a check fails.
//! The bus gets its own config with no service directories, so nothing of the user's (and no
//! second keyring) can be activated on it. Needs `dbus-daemon` and `gnome-keyring-daemon`;
//! `CLOUDCREDS_SKIP_KEYRING_TESTS=1` skips it.
#![cfg(all(unix, not(target_os = "macos")))]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cloudcreds_core::profile::StoreOptions;
use cloudcreds_core::vault::{VaultConfig, VaultErrorKind};
use cloudcreds_core::{Credentials, ProfileStore, ProviderId, Vault};
use secrecy::ExposeSecret;

struct Daemons {
    bus: Child,
    keyring: Option<Child>,
    address: String,
    home: tempfile::TempDir,
}

impl Drop for Daemons {
    fn drop(&mut self) {
        self.stop_keyring();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

impl Daemons {
    fn stop_keyring(&mut self) {
        if let Some(mut k) = self.keyring.take() {
            let _ = k.kill();
            let _ = k.wait();
        }
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

const BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=@DIR@</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

fn start() -> Option<Daemons> {
    if std::env::var("CLOUDCREDS_SKIP_KEYRING_TESTS").as_deref() == Ok("1") {
        eprintln!("CLOUDCREDS_SKIP_KEYRING_TESTS=1: skipping the real Secret Service tests");
        return None;
    }
    for program in ["dbus-daemon", "gnome-keyring-daemon", "secret-tool"] {
        assert!(
            on_path(program),
            "`{program}` is not installed: the real keyring tests need dbus-daemon, \
             gnome-keyring-daemon and secret-tool. Run `bash scripts/install-system-deps.sh` \
             (or set CLOUDCREDS_SKIP_KEYRING_TESTS=1 to skip them)."
        );
    }
    let home = tempfile::tempdir().unwrap();
    let runtime = home.path().join("run");
    std::fs::create_dir(&runtime).unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(
        &runtime,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    let config = home.path().join("bus.conf");
    std::fs::write(
        &config,
        BUS_CONFIG.replace("@DIR@", &runtime.display().to_string()),
    )
    .unwrap();

    let mut bus = Command::new("dbus-daemon")
        .arg(format!("--config-file={}", config.display()))
        .args(["--nofork", "--print-address"])
        .env("HOME", home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting dbus-daemon");
    let mut address = String::new();
    BufReader::new(bus.stdout.take().unwrap())
        .read_line(&mut address)
        .unwrap();
    let address = address.trim().to_string();
    assert!(!address.is_empty(), "dbus-daemon printed no address");

    let mut daemons = Daemons {
        bus,
        keyring: None,
        address,
        home,
    };
    let mut keyring = Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--unlock", "--components=secrets"])
        .env("DBUS_SESSION_BUS_ADDRESS", &daemons.address)
        .env("HOME", daemons.home.path())
        .env("XDG_DATA_HOME", daemons.home.path().join("data"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starting gnome-keyring-daemon");
    // An empty password leaves no usable login collection.
    let mut stdin = keyring.stdin.take().unwrap();
    stdin.write_all(b"test").unwrap();
    drop(stdin);
    daemons.keyring = Some(keyring);
    Some(daemons)
}

fn secret_tool_search(address: &str, service: &str) -> BTreeSet<String> {
    let out = Command::new("secret-tool")
        .args(["search", "--all", "service", service])
        .env("DBUS_SESSION_BUS_ADDRESS", address)
        .output()
        .unwrap();
    // secret-tool prints attributes on stderr and values on stdout; only names are kept.
    let text =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    text.lines()
        .filter_map(|l| l.strip_prefix("attribute.username = "))
        .map(str::to_string)
        .collect()
}

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
    let Some(mut daemons) = start() else {
        return;
    };
    let service = format!(
        "dev.cloudcreds.test-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    );
    // One test in this binary, so setting the environment here races with nothing.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &daemons.address);
    std::env::set_var("CLOUDCREDS_KEYRING_SERVICE", &service);
    std::env::set_var("CLOUDCREDS_HOME", daemons.home.path().join("cloudcreds"));

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
        path.starts_with(daemons.home.path()),
        "CLOUDCREDS_HOME is honoured"
    );
    let store = ProfileStore::open(&path, vault.clone(), StoreOptions::default());

    store.create("default").unwrap();
    store
        .save_provider(
            "default",
            &creds(
                ProviderId::Aws,
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
            &creds(ProviderId::Gcp, &[("service_account_key", &gcp_key())]),
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
    assert_eq!(
        secret_tool_search(&daemons.address, &service),
        raw.iter().cloned().collect()
    );
    let loaded = store.load_credentials("default", ProviderId::Gcp).unwrap();
    assert_eq!(
        loaded
            .secret("service_account_key")
            .unwrap()
            .expose_secret(),
        gcp_key()
    );
    let aws = store.load_credentials("default", ProviderId::Aws).unwrap();
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
    store.forget_provider("copy", ProviderId::Gcp).unwrap();
    store.delete("work").unwrap();
    assert_eq!(keys(&vault), set(&["copy/aws/secret_access_key"]));
    store.delete("copy").unwrap();
    assert!(vault.list_entries().unwrap().is_empty(), "no orphans");
    assert!(
        secret_tool_search(&daemons.address, &service).is_empty(),
        "no orphans"
    );
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
                ProviderId::Huggingface,
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
            Path::new(daemons.home.path()).join("no-bus").display()
        ),
    );
    let err = Vault::platform(config).probe().unwrap_err();
    assert_eq!(err.kind, VaultErrorKind::Unavailable, "{err:?}");
}
