//! A private Secret Service for tests of commands that use the keyring, the approach of
//! crates/core/tests/real_keyring.rs: a D-Bus session bus with its own config (no service
//! directories, so nothing else can be activated on it) and gnome-keyring-daemon unlocked
//! with a known password, files in a temp HOME. Both are killed in Drop, even on failure.
//! `CLOUDCREDS_SKIP_KEYRING_TESTS=1` skips the tests that need it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct SecretService {
    bus: Child,
    keyring: Option<Child>,
    pub address: String,
    _dir: tempfile::TempDir,
}

impl Drop for SecretService {
    fn drop(&mut self) {
        if let Some(mut k) = self.keyring.take() {
            let _ = k.kill();
            let _ = k.wait();
        }
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
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

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

impl SecretService {
    /// Starts the daemons and waits until an item can be stored; `None` when skipped.
    pub fn start() -> Option<SecretService> {
        if std::env::var("CLOUDCREDS_SKIP_KEYRING_TESTS").as_deref() == Ok("1") {
            eprintln!(
                "CLOUDCREDS_SKIP_KEYRING_TESTS=1: skipping a test that needs a Secret Service"
            );
            return None;
        }
        for program in ["dbus-daemon", "gnome-keyring-daemon", "secret-tool"] {
            assert!(
                on_path(program),
                "`{program}` is not installed: these tests need dbus-daemon, gnome-keyring-daemon \
                 and secret-tool. Run `bash scripts/install-system-deps.sh` (or set \
                 CLOUDCREDS_SKIP_KEYRING_TESTS=1 to skip them)."
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().join("run");
        std::fs::create_dir(&runtime).unwrap();
        std::fs::set_permissions(
            &runtime,
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .unwrap();
        let config = dir.path().join("bus.conf");
        std::fs::write(
            &config,
            BUS_CONFIG.replace("@DIR@", &runtime.display().to_string()),
        )
        .unwrap();
        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address"])
            .env("HOME", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting dbus-daemon");
        let mut address = String::new();
        BufReader::new(bus.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        let mut service = SecretService {
            bus,
            keyring: None,
            address: address.trim().to_string(),
            _dir: dir,
        };
        assert!(
            !service.address.is_empty(),
            "dbus-daemon printed no address"
        );
        let home = service._dir.path();
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
        let mut stdin = keyring.stdin.take().unwrap();
        stdin.write_all(b"test").unwrap();
        drop(stdin);
        service.keyring = Some(keyring);
        service.wait_until_ready();
        Some(service)
    }

    fn secret_tool(&self, args: &[&str], stdin: &[u8]) -> bool {
        let mut child = Command::new("secret-tool")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let _ = child.stdin.take().unwrap().write_all(stdin);
        child.wait().is_ok_and(|s| s.success())
    }

    fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let probe = ["service", "cloudcreds-cli-test-probe", "username", "probe"];
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

    /// The raw entry names (`profile/provider/field`) stored under `service`.
    pub fn entries(&self, service: &str) -> Vec<String> {
        let out = Command::new("secret-tool")
            .args(["search", "--all", "service", service])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stderr).into_owned()
            + &String::from_utf8_lossy(&out.stdout);
        let mut names: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("attribute.username = "))
            .map(str::to_string)
            .collect();
        names.sort();
        names
    }
}
