//! The commands that use the profile store and keyring (`set`, `show`, `profiles`, `check`
//! of a profile, `import`, `exec`), run as the built binary against fake-clouds and a
//! private Secret Service started by the test.
#![cfg(all(unix, not(target_os = "macos")))]

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::*;
use private_keyring::PrivateSecretService as SecretService;

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
    fn env(&self) -> Vec<(String, String)> {
        self.fake.env()
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        self.sb.run(args, &self.env())
    }

    fn pipe(&self, args: &[&str], stdin: &str) -> std::process::Output {
        self.sb.run_with_stdin(args, &self.env(), stdin.as_bytes())
    }

    /// Entry names as `secret-tool` sees them, sorted.
    fn entries(&self) -> Vec<String> {
        self.keyring.entries(&self.sb.service).into_iter().collect()
    }

    fn secrets(&self) -> Vec<String> {
        secrets(&self.fake)
    }

    #[track_caller]
    fn no_leak(&self, o: &std::process::Output) {
        let s = self.secrets();
        assert_no_secrets(o, &s.iter().map(String::as_str).collect::<Vec<_>>());
        let file = std::fs::read_to_string(self.sb.store_file()).unwrap_or_default();
        for secret in &s {
            assert!(
                !file.contains(secret.as_str()),
                "a secret is in profiles.json"
            );
        }
    }
}

#[test]
fn set_show_check_and_profiles() {
    let Some(w) = world() else { return };
    let c = w.fake.creds().clone();

    // A secret on the command line is refused before anything is stored.
    let o = w.run(&["set", "huggingface", "token", &c.hf_token]);
    assert_exit(&o, 2);
    assert_clean_error(&o);
    assert!(
        stderr(&o).contains("never taken from the command line"),
        "{}",
        stderr(&o)
    );
    assert!(!w.sb.store_file().exists(), "nothing was written");
    assert!(w.entries().is_empty());

    // Secrets from stdin; the first `set` creates the default profile.
    let o = w.pipe(
        &["set", "huggingface", "token"],
        &format!("{}\n", c.hf_token),
    );
    assert_exit(&o, 0);
    assert!(stderr(&o).contains("created profile 'default'"));
    w.no_leak(&o);
    assert_exit(
        &w.run(&["set", "aws", "access_key_id", &c.aws_access_key_id]),
        0,
    );
    assert_exit(
        &w.pipe(
            &["set", "aws", "secret_access_key"],
            &c.aws_secret_access_key,
        ),
        0,
    );
    assert_exit(
        &w.pipe(&["set", "gcp", "service_account_key"], &c.gcp_key_json),
        0,
    );
    assert_eq!(
        w.entries(),
        vec![
            "default/aws/secret_access_key",
            "default/gcp/service_account_key",
            "default/huggingface/token"
        ]
    );

    // Empty or unknown input changes nothing.
    let o = w.pipe(&["set", "lambda", "api_key"], "");
    assert_exit(&o, 2);
    assert_clean_error(&o);
    let o = w.run(&["set", "aws", "no_such_field", "x"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("access_key_id"), "{}", stderr(&o));

    // show: masked hints and ages, never a secret.
    let o = w.run(&["show"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    let tail: String = c
        .hf_token
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert!(out.contains(&format!("…{tail}, set today")), "{out}");
    assert!(
        out.contains(&c.aws_access_key_id),
        "non-secret fields are shown: {out}"
    );
    w.no_leak(&o);
    let o = w.run(&["show", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["name"], "default");
    w.no_leak(&o);

    // check of the saved profile; results are recorded for `show`.
    let o = w.run(&["check"]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains("3 of 3 providers ok."),
        "{}",
        stdout(&o)
    );
    w.no_leak(&o);
    let o = w.run(&[
        "check",
        "--json",
        "--provider",
        "aws",
        "--provider",
        "lambda",
    ]);
    assert_exit(&o, 1);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    schema::assert_valid(&doc);
    // Results come in provider order: Lambda, then AWS.
    assert_eq!(doc["results"][0]["provider"], "lambda");
    assert_eq!(doc["results"][0]["status"], "not_configured");
    assert_eq!(doc["results"][1]["status"], "ok");
    assert!(stdout(&w.run(&["show"])).contains("last check             ok at"));

    // A wrong secret replaces the right one: the check fails with exit 1.
    assert_exit(
        &w.pipe(&["set", "huggingface", "token"], &c.hf_token_revoked),
        0,
    );
    let o = w.run(&["check", "--provider", "huggingface"]);
    assert_exit(&o, 1);

    // profiles: create, use, rename (entries move), duplicate, delete (entries go).
    assert_exit(&w.run(&["profiles", "create", "work"]), 0);
    assert_exit(&w.run(&["profiles", "use", "work"]), 0);
    let o = w.run(&["profiles"]);
    assert!(stdout(&o).contains("* work"), "{}", stdout(&o));
    assert_exit(&w.run(&["profiles", "duplicate", "default", "copy"]), 0);
    assert_exit(&w.run(&["profiles", "rename", "copy", "client-x"]), 0);
    assert!(w
        .entries()
        .iter()
        .any(|e| e == "client-x/aws/secret_access_key"));
    assert!(!w.entries().iter().any(|e| e.starts_with("copy/")));
    let o = w.pipe(&["profiles", "delete", "client-x"], "n\n");
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("Nothing was deleted."));
    let o = w.run(&["profiles", "delete", "client-x"]);
    assert_exit(&o, 2);
    assert_clean_error(&o);
    assert_exit(&w.pipe(&["profiles", "delete", "client-x"], "y\n"), 0);
    assert!(
        !w.entries().iter().any(|e| e.starts_with("client-x/")),
        "no orphans"
    );
    let o = w.run(&["profiles", "create", "bad/name"]);
    assert_exit(&o, 2);
    assert_clean_error(&o);
    let o = w.run(&["show", "--profile", "nope"]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("profiles create nope"),
        "{}",
        stderr(&o)
    );
    let o = w.run(&["profiles", "list", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["profiles"].as_array().unwrap().len(), 2);

    // --clear removes a secret from the keyring.
    assert_exit(
        &w.run(&[
            "set",
            "gcp",
            "service_account_key",
            "--clear",
            "--profile",
            "default",
        ]),
        0,
    );
    assert!(!w
        .entries()
        .iter()
        .any(|e| e == "default/gcp/service_account_key"));
}

#[test]
fn import_from_fixture_files_in_a_temporary_home() {
    let Some(w) = world() else { return };
    let c = w.fake.creds().clone();
    w.sb.write(
        ".aws/credentials",
        &format!(
            "[default]\naws_access_key_id = {}\naws_secret_access_key = {}\n\n[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = x\n",
            c.aws_access_key_id, c.aws_secret_access_key
        ),
    );
    w.sb.write(".aws/config", "[default]\nregion = us-east-1\n");
    w.sb.write(".cache/huggingface/token", &format!("{}\n", c.hf_token));
    w.sb.write(
        ".lambda_cloud/lambda_keys",
        &format!("{}\n", c.lambda_api_key),
    );
    w.sb.write(
        ".config/gcloud/application_default_credentials.json",
        r#"{"type":"authorized_user","client_id":"x","client_secret":"canary-adc","refresh_token":"canary-rt"}"#,
    );
    let mut env = w.env();
    env.extend(vars(&[
        ("AZURE_TENANT_ID", &c.azure_tenant_id),
        ("AZURE_CLIENT_ID", &c.azure_client_id),
        ("AZURE_CLIENT_SECRET", &c.azure_client_secret),
    ]));

    // Listed masked; declining imports nothing.
    let o = w.sb.run_with_stdin(&["import"], &env, b"n\n");
    assert_exit(&o, 0);
    let out = stdout(&o);
    for origin in [
        "~/.aws/credentials [default]",
        "~/.cache/huggingface/token",
        "~/.lambda_cloud/lambda_keys",
        "environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET)",
    ] {
        assert!(out.contains(origin), "{origin} not listed:\n{out}");
    }
    assert!(out.contains("Other AWS profiles with keys: other"), "{out}");
    assert!(
        out.contains("authorized_user") && out.contains("not a service-account key"),
        "{out}"
    );
    assert!(out.contains("Nothing was imported."));
    assert_no_secrets(&o, &["canary-adc", "canary-rt"]);
    w.no_leak(&o);
    assert!(w.entries().is_empty());

    // --yes imports one credential per provider, then they check out.
    let o = w.sb.run(&["import", "--yes"], &env);
    assert_exit(&o, 0);
    w.no_leak(&o);
    assert_eq!(
        w.entries(),
        vec![
            "default/aws/secret_access_key",
            "default/azure/client_secret",
            "default/huggingface/token",
            "default/lambda/api_key"
        ]
    );
    let o = w.run(&["check"]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains("4 of 4 providers ok."),
        "{}",
        stdout(&o)
    );

    // One source, another AWS profile, into a new profile.
    assert_exit(&w.run(&["profiles", "create", "other"]), 0);
    let o = w.sb.run(
        &[
            "import",
            "--source",
            "aws",
            "--aws-profile",
            "other",
            "--profile",
            "other",
            "--yes",
        ],
        &env,
    );
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("~/.aws/credentials [other]"));
    let o = w.run(&["show", "--profile", "other"]);
    assert!(stdout(&o).contains("AKIAOTHEROTHEROTHER1"));

    // Nothing found is exit 1; an unknown source is a usage error.
    let o =
        w.sb.run(&["import", "--source", "lambda", "--yes"], &vars(&[]));
    assert_exit(&o, 0);
    std::fs::remove_file(w.sb.path().join(".lambda_cloud/lambda_keys")).unwrap();
    let o =
        w.sb.run(&["import", "--source", "lambda", "--yes"], &vars(&[]));
    assert_exit(&o, 1);
    assert_clean_error(&o);
    assert_exit(&w.sb.run(&["import", "--source", "ftp"], &vars(&[])), 2);
    // No answer on stdin: nothing imported, exit 2 naming --yes.
    let o = w.sb.run(&["import", "--source", "hf"], &vars(&[]));
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("--yes"));
}

#[test]
fn exec_passes_variables_and_removes_the_key_file() {
    let Some(w) = world() else { return };
    let c = w.fake.creds().clone();
    assert_exit(&w.pipe(&["set", "huggingface", "token"], &c.hf_token), 0);
    assert_exit(
        &w.run(&["set", "aws", "access_key_id", &c.aws_access_key_id]),
        0,
    );
    assert_exit(
        &w.pipe(
            &["set", "aws", "secret_access_key"],
            &c.aws_secret_access_key,
        ),
        0,
    );
    assert_exit(&w.run(&["set", "aws", "region", "eu-west-1"]), 0);
    assert_exit(
        &w.pipe(&["set", "gcp", "service_account_key"], &c.gcp_key_json),
        0,
    );

    // A stale session token from the parent's environment must not reach the command.
    let mut env = w.env();
    env.push(("AWS_SESSION_TOKEN".into(), "stale-token".into()));
    let script = r#"echo "HF=$HF_TOKEN"; echo "AKID=$AWS_ACCESS_KEY_ID"; echo "SECRET=$AWS_SECRET_ACCESS_KEY";
echo "REGION=$AWS_REGION"; echo "SESSION=${AWS_SESSION_TOKEN:-unset}"; echo "PROJECT=$GOOGLE_CLOUD_PROJECT";
echo "KEY=$GOOGLE_APPLICATION_CREDENTIALS"; stat -c %a "$GOOGLE_APPLICATION_CREDENTIALS"; grep -q private_key "$GOOGLE_APPLICATION_CREDENTIALS" && echo HAS_KEY; exit 7"#;
    let o = w.sb.run(&["exec", "--", "sh", "-c", script], &env);
    assert_exit(&o, 7);
    let out = stdout(&o);
    assert!(out.contains(&format!("HF={}", c.hf_token)), "{out}");
    assert!(out.contains(&format!("AKID={}", c.aws_access_key_id)));
    assert!(out.contains(&format!("SECRET={}", c.aws_secret_access_key)));
    assert!(out.contains("REGION=eu-west-1"));
    assert!(out.contains("SESSION=unset"), "{out}");
    assert!(
        out.contains(&format!("PROJECT={}", c.gcp_project_id)),
        "{out}"
    );
    assert!(out.lines().any(|l| l == "600"), "key file mode: {out}");
    assert!(out.contains("HAS_KEY"), "key file content: {out}");
    let key_path = out
        .lines()
        .find_map(|l| l.strip_prefix("KEY="))
        .unwrap()
        .to_string();
    assert!(
        key_path.starts_with(&w.sb.tmp().display().to_string()),
        "{key_path}"
    );
    assert!(
        !std::path::Path::new(&key_path).exists(),
        "the key file is removed after the command"
    );
    assert_eq!(
        std::fs::read_dir(w.sb.tmp()).unwrap().count(),
        0,
        "no temp file left"
    );

    // Only one provider; a provider not in the profile is refused with 125.
    let o = w.sb.run(
        &[
            "exec",
            "--provider",
            "huggingface",
            "--",
            "sh",
            "-c",
            "echo ${AWS_ACCESS_KEY_ID:-none}",
        ],
        &w.env(),
    );
    assert_exit(&o, 0);
    assert_eq!(stdout(&o).trim(), "none");
    let o =
        w.sb.run(&["exec", "--provider", "lambda", "--", "true"], &w.env());
    assert_exit(&o, 125);
    assert_clean_error(&o);
    let o =
        w.sb.run(&["exec", "--", "no-such-command-anywhere"], &w.env());
    assert_exit(&o, 127);
    assert_clean_error(&o);
    assert_exit(&w.sb.run(&["exec"], &w.env()), 2);
}

#[test]
fn exec_cleans_up_on_ctrl_c() {
    let Some(w) = world() else { return };
    let c = w.fake.creds().clone();
    assert_exit(
        &w.pipe(&["set", "gcp", "service_account_key"], &c.gcp_key_json),
        0,
    );

    // Ctrl-C at a terminal signals the whole foreground process group: emulate that with
    // a group of our own.
    let mut cmd = w.sb.cmd(
        &[
            "exec",
            "--",
            "sh",
            "-c",
            "echo \"$GOOGLE_APPLICATION_CREDENTIALS\"; exec sleep 30",
        ],
        &w.env(),
    );
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let key_path = std::path::PathBuf::from(line.trim());
    assert!(
        key_path.exists(),
        "the key file exists while the command runs"
    );
    let group = format!("-{}", child.id());
    let killed = std::process::Command::new("kill")
        .args(["-INT", "--", &group])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "exits with the command's status (128 + SIGINT)"
    );
    assert!(!key_path.exists(), "the key file is removed after Ctrl-C");

    // SIGTERM to cloudcreds alone is forwarded to the command; cleanup still happens.
    let mut cmd = w.sb.cmd(
        &[
            "exec",
            "--",
            "sh",
            "-c",
            "echo \"$GOOGLE_APPLICATION_CREDENTIALS\"; exec sleep 30",
        ],
        &w.env(),
    );
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let key_path = std::path::PathBuf::from(line.trim());
    assert!(key_path.exists());
    let pid = child.id().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143), "128 + SIGTERM");
    assert!(!key_path.exists(), "the key file is removed after SIGTERM");
}
