//! Shared fixtures for the CLI tests: the built binary run with a scrubbed environment (a
//! temporary HOME and CLOUDCREDS_HOME, a unique keyring service, no session bus unless a
//! test starts its own), fake-clouds on a runtime of its own, and small output helpers.
#![allow(dead_code)]

pub mod schema;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use fake_clouds::FakeClouds;

/// fake-clouds served by its own runtime, so the test thread is free to run the binary.
pub struct Fake {
    pub fake: FakeClouds,
    _rt: tokio::runtime::Runtime,
}

impl std::ops::Deref for Fake {
    type Target = FakeClouds;
    fn deref(&self) -> &FakeClouds {
        &self.fake
    }
}

pub fn fake() -> Fake {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let fake = rt.block_on(FakeClouds::start()).expect("fake clouds start");
    Fake { fake, _rt: rt }
}

/// A temporary HOME with the CLI's store inside it.
pub struct Sandbox {
    pub home: tempfile::TempDir,
    pub service: String,
    /// `DBUS_SESSION_BUS_ADDRESS` for the child: a bus that does not exist unless a test
    /// starts a private Secret Service, so no test can touch a real keyring.
    pub bus: String,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let home = tempfile::tempdir().unwrap();
        let bus = format!("unix:path={}", home.path().join("no-bus").display());
        Sandbox {
            home,
            service: format!(
                "dev.cloudcreds.cli-test-{}-{}",
                std::process::id(),
                unique()
            ),
            bus,
        }
    }

    pub fn path(&self) -> &Path {
        self.home.path()
    }

    pub fn store_file(&self) -> PathBuf {
        self.path().join("cloudcreds").join("profiles.json")
    }

    /// `cloudcreds ARGS` with only PATH, the sandbox and `vars` in its environment.
    pub fn cmd(&self, args: &[&str], vars: &[(String, String)]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cloudcreds"));
        cmd.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("TMPDIR", self.tmp())
            .env("CLOUDCREDS_HOME", self.path().join("cloudcreds"))
            .env("CLOUDCREDS_KEYRING_SERVICE", &self.service)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .envs(vars.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null());
        cmd
    }

    /// The child's temp folder, so tests can see exactly which files it leaves.
    pub fn tmp(&self) -> PathBuf {
        let dir = self.path().join("tmp");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    pub fn run(&self, args: &[&str], vars: &[(String, String)]) -> Output {
        self.cmd(args, vars).output().unwrap()
    }

    pub fn run_with_stdin(&self, args: &[&str], vars: &[(String, String)], stdin: &[u8]) -> Output {
        let mut child = self
            .cmd(args, vars)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        // A child that refuses early may close stdin; that is fine.
        let _ = input.write_all(stdin);
        drop(input);
        child.wait_with_output().unwrap()
    }

    /// Writes a fixture file under HOME.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

pub fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos() as u64;
    t ^ (N.fetch_add(1, Ordering::Relaxed) << 32)
}

pub fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit code, printing both streams when it differs.
#[track_caller]
pub fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

/// An error is one line on stderr, starting `cloudcreds:`, with no panic or backtrace.
#[track_caller]
pub fn assert_clean_error(o: &Output) {
    let err = stderr(o);
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(!lines.is_empty(), "no error message on stderr");
    assert!(lines.iter().any(|l| l.starts_with("cloudcreds: ")), "{err}");
}

/// Asserts none of `secrets` appears in either stream.
#[track_caller]
pub fn assert_no_secrets(o: &Output, secrets: &[&str]) {
    let all = stdout(o) + &stderr(o);
    for s in secrets {
        assert!(!all.contains(s), "a secret leaked into the output:\n{all}");
    }
}

/// Every standard variable for one provider, pointing at the fake (the GCP key is written
/// to a file in `sandbox`).
pub fn provider_env(fake: &Fake, sandbox: &Sandbox, provider: &str) -> Vec<(String, String)> {
    let c = fake.creds();
    let mut v: Vec<(String, String)> = fake.env();
    let add = |v: &mut Vec<(String, String)>, k: &str, val: &str| v.push((k.into(), val.into()));
    match provider {
        "huggingface" => add(&mut v, "HF_TOKEN", &c.hf_token),
        "lambda" => add(&mut v, "LAMBDA_API_KEY", &c.lambda_api_key),
        "aws" => {
            add(&mut v, "AWS_ACCESS_KEY_ID", &c.aws_access_key_id);
            add(&mut v, "AWS_SECRET_ACCESS_KEY", &c.aws_secret_access_key);
            add(&mut v, "AWS_REGION", &c.aws_region);
        }
        "azure" => {
            add(&mut v, "AZURE_TENANT_ID", &c.azure_tenant_id);
            add(&mut v, "AZURE_CLIENT_ID", &c.azure_client_id);
            add(&mut v, "AZURE_CLIENT_SECRET", &c.azure_client_secret);
            add(&mut v, "AZURE_SUBSCRIPTION_ID", &c.azure_subscription_id);
        }
        "gcp" => {
            let key = sandbox.write("keys/gcp.json", &c.gcp_key_json);
            add(
                &mut v,
                "GOOGLE_APPLICATION_CREDENTIALS",
                &key.display().to_string(),
            );
        }
        "modal" => {
            add(&mut v, "MODAL_TOKEN_ID", &c.modal_token_id);
            add(&mut v, "MODAL_TOKEN_SECRET", &c.modal_token_secret);
        }
        other => panic!("unknown provider {other}"),
    }
    v
}

/// Every registered provider's name, in display order.
pub fn providers() -> Vec<&'static str> {
    cloudcreds_core::providers::ids()
        .map(|id| id.as_str())
        .collect()
}

/// The secret values of the fake's valid credentials.
pub fn secrets(fake: &Fake) -> Vec<String> {
    let c = fake.creds();
    let key: serde_json::Value = serde_json::from_str(&c.gcp_key_json).unwrap();
    let pem = key["private_key"].as_str().unwrap();
    let pem_line = pem.lines().nth(2).unwrap().to_string();
    vec![
        c.hf_token.clone(),
        c.lambda_api_key.clone(),
        c.aws_secret_access_key.clone(),
        c.azure_client_secret.clone(),
        c.modal_token_secret.clone(),
        pem_line,
    ]
}
