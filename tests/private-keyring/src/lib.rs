//! A real Secret Service for tests, private to one test: a D-Bus session bus with its own
//! config (no service directories, so nothing of the user's, and no second keyring, can be
//! activated on it) and gnome-keyring-daemon unlocked with a known password, all files in a
//! temp HOME. Both daemons are killed on drop, even when the test fails.
//!
//! Needs `dbus-daemon`, `gnome-keyring-daemon` and `secret-tool`;
//! `CLOUDCREDS_SKIP_KEYRING_TESTS=1` skips the tests that use it.
#![cfg(unix)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

/// The running daemons. `address()` is the `DBUS_SESSION_BUS_ADDRESS` to give the code
/// under test.
pub struct PrivateSecretService {
    bus: Child,
    keyring: Option<Child>,
    address: String,
    home: tempfile::TempDir,
}

impl Drop for PrivateSecretService {
    fn drop(&mut self) {
        self.stop_keyring();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

impl PrivateSecretService {
    /// Starts both daemons and waits until an item can be stored; `None` when skipped.
    /// Panics, saying what to install, when a program is missing.
    pub fn start() -> Option<Self> {
        if std::env::var("CLOUDCREDS_SKIP_KEYRING_TESTS").as_deref() == Ok("1") {
            eprintln!(
                "CLOUDCREDS_SKIP_KEYRING_TESTS=1: skipping a test that needs a Secret Service"
            );
            return None;
        }
        for program in ["dbus-daemon", "gnome-keyring-daemon", "secret-tool"] {
            assert!(
                on_path(program),
                "`{program}` is not installed: the keyring tests need dbus-daemon, \
                 gnome-keyring-daemon and secret-tool. Run `bash scripts/install-system-deps.sh` \
                 (or set CLOUDCREDS_SKIP_KEYRING_TESTS=1 to skip them)."
            );
        }
        let home = tempfile::tempdir().expect("a temp folder");
        let runtime = home.path().join("run");
        std::fs::create_dir(&runtime).expect("a runtime folder");
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .expect("runtime folder permissions");
        let config = home.path().join("bus.conf");
        std::fs::write(
            &config,
            BUS_CONFIG.replace("@DIR@", &runtime.display().to_string()),
        )
        .expect("writing the bus config");

        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address"])
            .env("HOME", home.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting dbus-daemon");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().expect("piped stdout"))
            .read_line(&mut address)
            .expect("reading the bus address");
        let mut service = Self {
            bus,
            keyring: None,
            address: address.trim().to_string(),
            home,
        };
        assert!(
            !service.address.is_empty(),
            "dbus-daemon printed no address"
        );

        let home = service.home.path();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &service.address)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", &runtime)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting gnome-keyring-daemon");
        // An empty password leaves no usable login collection.
        let mut stdin = keyring.stdin.take().expect("piped stdin");
        stdin.write_all(b"test").expect("unlocking the keyring");
        drop(stdin);
        service.keyring = Some(keyring);
        service.wait_until_usable();
        Some(service)
    }

    /// The `DBUS_SESSION_BUS_ADDRESS` of the private bus.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The temp HOME holding the daemons' files; tests may keep their own files here too.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Kills the keyring (the bus stays), to test what happens when it goes away.
    pub fn stop_keyring(&mut self) {
        if let Some(mut keyring) = self.keyring.take() {
            let _ = keyring.kill();
            let _ = keyring.wait();
        }
    }

    /// The account names (`profile/provider/field`) stored under `service`, as
    /// `secret-tool search` sees them, independently of the code under test.
    pub fn entries(&self, service: &str) -> BTreeSet<String> {
        let out = Command::new("secret-tool")
            .args(["search", "--all", "service", service])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .expect("running secret-tool");
        // secret-tool prints attributes on stderr and values on stdout; only names are kept.
        let text = String::from_utf8_lossy(&out.stderr).into_owned()
            + &String::from_utf8_lossy(&out.stdout);
        text.lines()
            .filter_map(|l| l.strip_prefix("attribute.username = "))
            .map(str::to_string)
            .collect()
    }

    fn secret_tool(&self, args: &[&str], stdin: &[u8]) -> bool {
        let Ok(mut child) = Command::new("secret-tool")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        else {
            return false;
        };
        if let Some(mut input) = child.stdin.take() {
            let _ = input.write_all(stdin);
        }
        child.wait().is_ok_and(|s| s.success())
    }

    fn wait_until_usable(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let probe = ["service", "cloudcreds-test-probe", "username", "probe"];
        loop {
            let mut store = vec!["store", "--label=probe"];
            store.extend(probe);
            if self.secret_tool(&store, b"x") {
                let mut clear = vec!["clear"];
                clear.extend(probe);
                self.secret_tool(&clear, b"");
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the private Secret Service never became usable"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
