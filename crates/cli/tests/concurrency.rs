//! Many writers at once (issue 9): CLI processes and an app process (this test binary
//! re-run as a child that drives `cloudcreds_core::Cloudcreds`, which the Tauri commands
//! delegate to) change one store and one private Secret Service together. Every success
//! must be in the final state as if the operations had run one after the other, every
//! failure must say why, and the keyring must hold exactly the secrets the store names.
#![cfg(all(unix, not(target_os = "macos")))]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Output, Stdio};

use common::*;
use private_keyring::PrivateSecretService as SecretService;
use serde_json::Value;

const APP_ROLE_ENV: &str = "CLOUDCREDS_TEST_APP_ROLE";

struct World {
    fake: Fake,
    sb: Sandbox,
    keyring: SecretService,
}

fn world() -> Option<World> {
    let keyring = SecretService::start()?;
    let mut sb = Sandbox::new();
    sb.bus = keyring.address().to_string();
    Some(World {
        fake: fake(),
        sb,
        keyring,
    })
}

impl World {
    /// The fake's endpoints, and a lock wait long enough that only the deliberately
    /// contended operations can fail (waiting is bounded; see `a_held_lock_...`).
    fn env(&self) -> Vec<(String, String)> {
        let mut env = self.fake.env();
        env.push(("CLOUDCREDS_LOCK_WAIT_MS".into(), "120000".into()));
        env
    }

    fn spawn(&self, args: &[&str], stdin: Option<&str>) -> Child {
        let mut cmd = self.sb.cmd(args, &self.env());
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        if stdin.is_some() {
            cmd.stdin(Stdio::piped());
        }
        let mut child = cmd.spawn().unwrap();
        if let (Some(text), Some(mut input)) = (stdin, child.stdin.take()) {
            use std::io::Write;
            let _ = input.write_all(text.as_bytes());
        }
        child
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        self.spawn(args, stdin).wait_with_output().unwrap()
    }

    fn store(&self) -> Value {
        serde_json::from_slice(&std::fs::read(self.sb.store_file()).unwrap()).unwrap()
    }

    /// Every `profile/provider/field` the store says is in the keyring.
    fn referenced(&self) -> BTreeSet<String> {
        let doc = self.store();
        let mut keys = BTreeSet::new();
        for (profile, record) in doc["profiles"].as_object().unwrap() {
            for (provider, saved) in record["providers"].as_object().unwrap() {
                for field in saved["secrets"].as_object().unwrap().keys() {
                    keys.insert(format!("{profile}/{provider}/{field}"));
                }
            }
        }
        keys
    }

    /// No orphans and nothing missing: `secret-tool search` sees exactly what the store names.
    #[track_caller]
    fn keyring_matches_store(&self) {
        assert_eq!(self.keyring.entries(&self.sb.service), self.referenced());
    }

    fn profiles(&self) -> BTreeSet<String> {
        self.store()["profiles"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }
}

#[track_caller]
fn ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}: {:?}\n{}{}",
        o.status,
        stdout(o),
        stderr(o)
    );
}

#[test]
fn twenty_concurrent_creates_all_land() {
    let Some(w) = world() else { return };
    let names: Vec<String> = (0..20).map(|i| format!("r{i}")).collect();
    let children: Vec<Child> = names
        .iter()
        .map(|n| w.spawn(&["profiles", "create", n], None))
        .collect();
    for child in children {
        ok(&child.wait_with_output().unwrap(), "create");
    }
    assert_eq!(w.profiles(), names.iter().cloned().collect());
    let o = w.run(&["profiles", "list", "--json"], None);
    ok(&o, "list");
    let listed: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(listed["profiles"].as_array().unwrap().len(), 20, "{listed}");
}

#[test]
fn five_concurrent_sets_on_one_profile_all_land_without_orphans() {
    let Some(w) = world() else { return };
    ok(&w.run(&["profiles", "create", "p"], None), "create");
    let c = w.fake.creds().clone();
    let children = vec![
        w.spawn(
            &["set", "aws", "region", "us-east-1", "--profile", "p"],
            None,
        ),
        w.spawn(
            &[
                "set",
                "aws",
                "access_key_id",
                &c.aws_access_key_id,
                "--profile",
                "p",
            ],
            None,
        ),
        w.spawn(
            &["set", "aws", "secret_access_key", "--profile", "p"],
            Some(&c.aws_secret_access_key),
        ),
        w.spawn(
            &["set", "huggingface", "token", "--profile", "p"],
            Some(&c.hf_token),
        ),
        w.spawn(
            &["set", "lambda", "api_key", "--profile", "p"],
            Some(&c.lambda_api_key),
        ),
    ];
    for child in children {
        ok(&child.wait_with_output().unwrap(), "set");
    }
    let p = &w.store()["profiles"]["p"]["providers"];
    assert_eq!(p["aws"]["fields"]["region"], "us-east-1", "{p}");
    assert_eq!(
        p["aws"]["fields"]["access_key_id"],
        c.aws_access_key_id.as_str(),
        "{p}"
    );
    let expected: BTreeSet<String> = [
        "p/aws/secret_access_key",
        "p/huggingface/token",
        "p/lambda/api_key",
    ]
    .map(String::from)
    .into();
    assert_eq!(w.referenced(), expected);
    w.keyring_matches_store();
    // And the saved AWS settings work as a whole.
    let o = w.run(&["check", "--provider", "aws", "--profile", "p"], None);
    ok(&o, "check");
}

/// One worker's script: its own names, plus a few names every worker fights over.
fn worker(w: &World, i: usize, secret: &str) -> Vec<(String, Output)> {
    let me = format!("w{i}");
    let copy = format!("w{i}-copy");
    let moved = format!("w{i}-moved");
    let tmp = format!("w{i}-tmp");
    let won = format!("shared-{i}");
    let plain = [
        ("aws", "region", "us-east-1"),
        ("aws", "access_key_id", "AKIAIOSFODNN7EXAMPLE"),
        ("azure", "tenant_id", "contoso.onmicrosoft.com"),
        ("azure", "client_id", "00000000-0000-0000-0000-000000000001"),
        (
            "azure",
            "subscription_id",
            "00000000-0000-0000-0000-000000000002",
        ),
        ("gcp", "project_id", "demo-project"),
    ][i % 6];
    let steps: Vec<(Vec<&str>, Option<&str>)> = vec![
        (vec!["profiles", "create", &me], None),
        (
            vec!["set", "huggingface", "token", "--profile", &me],
            Some(secret),
        ),
        (
            vec!["set", "aws", "region", "us-east-1", "--profile", &me],
            None,
        ),
        (vec!["profiles", "create", "shared"], None),
        (vec!["profiles", "duplicate", &me, &copy], None),
        (
            vec!["set", plain.0, plain.1, plain.2, "--profile", "hub"],
            None,
        ),
        (vec!["profiles", "rename", &copy, &moved], None),
        (vec!["profiles", "rename", "shared", &won], None),
        (
            vec!["set", "lambda", "api_key", "--profile", &moved],
            Some(secret),
        ),
        (
            vec![
                "set",
                "huggingface",
                "token",
                "--clear",
                "--profile",
                &moved,
            ],
            None,
        ),
        (
            vec!["check", "--provider", "huggingface", "--profile", &me],
            None,
        ),
        (vec!["profiles", "create", &tmp], None),
        (
            vec!["set", "lambda", "api_key", "--profile", &tmp],
            Some(secret),
        ),
        (vec!["profiles", "delete", "--yes", &tmp], None),
    ];
    steps
        .into_iter()
        .map(|(args, stdin)| (args.join(" "), w.run(&args, stdin)))
        .collect()
}

#[test]
fn mixed_writers_from_cli_and_app_end_in_a_serial_state_with_no_orphans() {
    let Some(w) = world() else { return };
    ok(&w.run(&["profiles", "create", "hub"], None), "create hub");
    let c = w.fake.creds().clone();
    const WORKERS: usize = 6;
    let app = spawn_app(&w);
    let results: Vec<Vec<(String, Output)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..WORKERS)
            .map(|i| {
                let (w, secret) = (&w, c.hf_token.clone());
                s.spawn(move || worker(w, i, &secret))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let app = app.wait_with_output().unwrap();
    ok(&app, "the app process");
    let app_log = stdout(&app);

    let mut creates_of_shared = 0;
    let mut renames_of_shared = Vec::new();
    for (i, steps) in results.iter().enumerate() {
        for (step, o) in steps {
            let contended = step.contains("shared");
            if contended && !o.status.success() {
                assert_exit(o, 2);
                assert_clean_error(o);
                let err = stderr(o);
                assert!(
                    err.contains("already exists") || err.contains("no profile named 'shared'"),
                    "{step}: {err}"
                );
                continue;
            }
            ok(o, step);
            if step == "profiles create shared" {
                creates_of_shared += 1;
            } else if contended {
                renames_of_shared.push(format!("shared-{i}"));
            }
        }
    }
    let profiles = w.profiles();
    // `shared` exists exactly when one more create than rename of it succeeded.
    assert!(creates_of_shared >= 1);
    assert_eq!(
        profiles.contains("shared"),
        creates_of_shared == renames_of_shared.len() + 1,
        "{creates_of_shared} creates, {renames_of_shared:?}"
    );
    assert!(creates_of_shared - renames_of_shared.len() <= 1);
    let doc = w.store();
    for i in 0..WORKERS {
        let me = &doc["profiles"][format!("w{i}")]["providers"];
        assert_eq!(me["aws"]["fields"]["region"], "us-east-1", "w{i}: {me}");
        assert!(
            me["huggingface"]["secrets"]["token"].is_object(),
            "w{i}: {me}"
        );
        assert!(me["huggingface"]["last_check"].is_object(), "w{i}: {me}");
        let moved = &doc["profiles"][format!("w{i}-moved")]["providers"];
        assert!(moved["lambda"]["secrets"]["api_key"].is_object(), "{moved}");
        assert!(
            moved["huggingface"]["secrets"].get("token").is_none(),
            "{moved}"
        );
        assert_eq!(moved["aws"]["fields"]["region"], "us-east-1", "{moved}");
        assert!(!profiles.contains(&format!("w{i}-copy")));
        assert!(!profiles.contains(&format!("w{i}-tmp")));
    }
    for won in &renames_of_shared {
        assert!(profiles.contains(won), "{won} in {profiles:?}");
    }
    let hub = &doc["profiles"]["hub"]["providers"];
    for (i, (provider, field)) in [
        ("aws", "region"),
        ("aws", "access_key_id"),
        ("azure", "tenant_id"),
        ("azure", "client_id"),
        ("azure", "subscription_id"),
        ("gcp", "project_id"),
    ]
    .iter()
    .enumerate()
    .take(WORKERS)
    {
        assert!(
            hub[provider]["fields"][field].is_string(),
            "hub lost worker {i}'s {provider} {field}: {hub}"
        );
    }
    // The app's own writes, made while the CLI runs wrote.
    for n in 0..APP_OPS {
        assert!(app_log.contains(&format!("saved app-{n}")), "{app_log}");
        let saved = &doc["profiles"][format!("app-{n}")]["providers"]["lambda"];
        assert!(saved["secrets"]["api_key"].is_object(), "app-{n}: {saved}");
    }
    assert_eq!(
        doc["profiles"]["hub"]["providers"]["huggingface"]["fields"]["endpoint"],
        "http://app.invalid"
    );
    w.keyring_matches_store();
}

const APP_OPS: usize = 4;

/// This test binary again, as the app: `Cloudcreds::open` from the environment, exactly as
/// src-tauri starts it.
fn spawn_app(w: &World) -> Child {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = std::process::Command::new(exe);
    let mut env = w.env();
    env.push((APP_ROLE_ENV.into(), w.fake.creds().lambda_api_key.clone()));
    cmd.args(["--exact", "app_process", "--nocapture", "--test-threads=1"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", w.sb.path())
        .env("CLOUDCREDS_HOME", w.sb.path().join("cloudcreds"))
        .env("CLOUDCREDS_KEYRING_SERVICE", &w.sb.service)
        .env("DBUS_SESSION_BUS_ADDRESS", &w.sb.bus)
        .envs(env)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.spawn().unwrap()
}

/// Not a test on its own: the app half of the mixed-writers test, run in a child process.
#[test]
fn app_process() {
    let Ok(secret) = std::env::var(APP_ROLE_ENV) else {
        return;
    };
    use cloudcreds_core::{CheckOptions, Cloudcreds, Env, ProviderId};
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let app = Cloudcreds::open(Env::from_process(), CheckOptions::default()).unwrap();
        for n in 0..APP_OPS {
            let name = format!("app-{n}");
            app.create_profile(name.clone()).await.unwrap();
            let values = BTreeMap::from([("api_key".to_string(), secret.clone())]);
            app.save_provider(name.clone(), ProviderId::LAMBDA, values, Vec::new())
                .await
                .unwrap();
            println!("saved {name}");
        }
        let values = BTreeMap::from([("endpoint".to_string(), "http://app.invalid".to_string())]);
        // The app's Save replaces the provider's settings; hub has no other HF fields.
        app.save_provider("hub".into(), ProviderId::HUGGINGFACE, values, Vec::new())
            .await
            .unwrap();
    });
}

#[test]
fn a_held_lock_makes_writers_wait_then_name_the_holder() {
    let sb = Sandbox::new();
    let dir = sb.path().join("cloudcreds");
    std::fs::create_dir_all(&dir).unwrap();
    let lock_path = dir.join("profiles.json.lock");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap();
    lock.lock().unwrap();
    std::fs::write(&lock_path, "pid 4242 cloudcreds-desktop\n").unwrap();
    let wait = vars(&[("CLOUDCREDS_LOCK_WAIT_MS", "200")]);
    let o = sb.run(&["profiles", "create", "x"], &wait);
    assert_exit(&o, 1);
    assert_clean_error(&o);
    let err = stderr(&o);
    assert!(err.contains("process 4242 (cloudcreds-desktop)"), "{err}");
    assert!(err.contains("profiles.json.lock"), "{err}");
    assert!(err.contains("Try again"), "{err}");
    // Readers do not wait for writers.
    let o = sb.run(&["profiles", "list"], &wait);
    assert_exit(&o, 0);
    drop(lock);
    let o = sb.run(&["profiles", "create", "x"], &wait);
    assert_exit(&o, 0);
}
