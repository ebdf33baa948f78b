//! `cloudcreds check --from-env` against fake-clouds: each provider, every exit code, the
//! JSON document against docs/check-output.schema.json, the deadline, and usage errors.
//! No keyring is involved (the child gets a session bus address that does not exist).

mod common;

use common::*;
use fake_clouds::{Fault, Target};

#[test]
fn each_provider_from_its_standard_variables() {
    let fake = fake();
    let sb = Sandbox::new();
    for provider in providers() {
        let env = provider_env(&fake, &sb, provider);
        let o = sb.run(&["check", "--from-env"], &env);
        assert_exit(&o, 0);
        let out = stdout(&o);
        assert_eq!(
            out.lines().filter(|l| l.starts_with("ok ")).count(),
            1,
            "{provider}: {out}"
        );
        assert!(out.contains("1 of 1 provider ok."), "{out}");
        assert_no_secrets(
            &o,
            &secrets(&fake)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        );
    }
}

#[test]
fn all_providers_as_json_match_the_schema() {
    let fake = fake();
    let sb = Sandbox::new();
    let env: Vec<(String, String)> = providers()
        .iter()
        .flat_map(|p| provider_env(&fake, &sb, p))
        .collect();
    let o = sb.run(&["check", "--from-env", "--json"], &env);
    assert_exit(&o, 0);
    let doc: serde_json::Value =
        serde_json::from_slice(&o.stdout).expect("stdout is one JSON document");
    schema::assert_valid(&doc);
    let providers: Vec<&str> = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["provider"].as_str().unwrap())
        .collect();
    assert_eq!(
        providers,
        common::providers(),
        "results come in provider order"
    );
    assert!(doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "ok"));
    assert_no_secrets(
        &o,
        &secrets(&fake)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
}

#[test]
fn a_failing_check_exits_1_and_its_json_still_matches() {
    let fake = fake();
    let sb = Sandbox::new();
    let mut env = provider_env(&fake, &sb, "lambda");
    env.push(("HF_TOKEN".into(), fake.creds().hf_token_revoked.clone()));
    let o = sb.run(&["check", "--from-env", "--json"], &env);
    assert_exit(&o, 1);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    schema::assert_valid(&doc);
    let hf = &doc["results"][0];
    assert_eq!(hf["provider"], "huggingface");
    assert_ne!(hf["status"], "ok");
    assert!(hf["hint"].is_string());
    assert!(!hf["requests"].as_array().unwrap().is_empty());

    let o = sb.run(&["check", "--from-env"], &env);
    assert_exit(&o, 1);
    let out = stdout(&o);
    assert!(out.contains("FAIL  HuggingFace"), "{out}");
    assert!(
        out.contains("1 of 2 providers ok; failed: huggingface"),
        "{out}"
    );
}

#[test]
fn timeout_bounds_a_hanging_provider() {
    let fake = fake();
    let sb = Sandbox::new();
    fake.set_fault(Target::Lambda, Fault::Hang, None);
    let env = provider_env(&fake, &sb, "lambda");
    let started = std::time::Instant::now();
    let o = sb.run(&["check", "--from-env", "--json", "--timeout", "1"], &env);
    assert_exit(&o, 1);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    schema::assert_valid(&doc);
    assert_eq!(doc["results"][0]["status"], "timeout");
    // Not a timing assertion on the check itself: only that --timeout was honoured at all
    // (the default deadline is 20 s).
    assert!(started.elapsed().as_secs() < 15);
}

#[test]
fn a_named_provider_without_variables_says_which_to_set() {
    let fake = fake();
    let sb = Sandbox::new();
    let env = provider_env(&fake, &sb, "huggingface");
    let o = sb.run(
        &[
            "check",
            "--from-env",
            "--provider",
            "aws",
            "--provider",
            "huggingface",
        ],
        &env,
    );
    assert_exit(&o, 1);
    let out = stdout(&o);
    assert!(
        out.contains("No AWS credentials are set in the environment."),
        "{out}"
    );
    assert!(
        out.contains("Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
        "{out}"
    );

    // Half-configured: the key id alone.
    let env = vars(&[("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")]);
    let o = sb.run(&["check", "--from-env"], &env);
    assert_exit(&o, 1);
    assert!(stdout(&o).contains("not_configured"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("AWS_SECRET_ACCESS_KEY"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_gcloud_user_login_is_named_not_sent() {
    let sb = Sandbox::new();
    let adc = sb.write(
        "adc.json",
        r#"{"type":"authorized_user","client_id":"x.apps.googleusercontent.com","client_secret":"canary-adc-secret","refresh_token":"canary-refresh-token"}"#,
    );
    let env = vars(&[("GOOGLE_APPLICATION_CREDENTIALS", &adc.display().to_string())]);
    let o = sb.run(&["check", "--from-env", "--json"], &env);
    assert_exit(&o, 1);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    schema::assert_valid(&doc);
    let r = &doc["results"][0];
    assert_eq!(r["status"], "invalid_input");
    assert!(
        r["summary"].as_str().unwrap().contains("authorized_user"),
        "{r}"
    );
    assert!(r["requests"].as_array().unwrap().is_empty());
    assert_no_secrets(&o, &["canary-adc-secret", "canary-refresh-token"]);
}

#[test]
fn usage_errors_exit_2_with_one_clear_line() {
    let sb = Sandbox::new();
    let o = sb.run(&["check", "--from-env"], &[]);
    assert_exit(&o, 2);
    assert_clean_error(&o);
    assert!(
        stderr(&o).contains("No credentials were found in the environment"),
        "{}",
        stderr(&o)
    );

    for args in [
        &["check", "--from-env", "--timeout", "0"][..],
        &["check", "--from-env", "--provider", "digitalocean"],
        &["check", "--from-env", "--profile", "x"],
        &["check", "--bogus"],
        &["nonsense"],
    ] {
        let o = sb.run(args, &[]);
        assert_exit(&o, 2);
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }

    // No profile store yet and no --from-env: exit 2 and what to do.
    let o = sb.run(&["check"], &[]);
    assert_exit(&o, 2);
    assert_clean_error(&o);
    assert!(stderr(&o).contains("cloudcreds set"), "{}", stderr(&o));
}

#[test]
fn help_documents_every_command_and_the_exit_codes() {
    let sb = Sandbox::new();
    let o = sb.run(&["--help"], &[]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    for word in [
        "check",
        "profiles",
        "set",
        "show",
        "import",
        "exec",
        "Exit codes",
        "125",
    ] {
        assert!(out.contains(word), "--help lacks {word}:\n{out}");
    }
    for cmd in [
        "check",
        "profiles",
        "set",
        "show",
        "import",
        "exec",
        "providers",
    ] {
        let o = sb.run(&[cmd, "--help"], &[]);
        assert_exit(&o, 0);
    }
    let o = sb.run(&["check", "--help"], &[]);
    assert!(stdout(&o).contains("--from-env") && stdout(&o).contains("Exit codes"));
}

#[test]
fn non_text_output_has_no_spinner_or_escape_codes() {
    let fake = fake();
    let sb = Sandbox::new();
    let env = provider_env(&fake, &sb, "huggingface");
    let o = sb.run(&["check", "--from-env"], &env);
    assert_exit(&o, 0);
    assert!(!stdout(&o).contains('\x1b') && !stderr(&o).contains('\x1b'));
}

mod hostile_environment {
    //! Whatever the environment holds (control characters, huge values, JSON fragments,
    //! paths to nothing), `check --from-env` answers with a report or a one-line error.

    use super::common::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn never_panics_and_never_echoes(
            var in prop_oneof![
                Just("HF_TOKEN"), Just("LAMBDA_API_KEY"), Just("AWS_SECRET_ACCESS_KEY"),
                Just("AZURE_CLIENT_SECRET"), Just("GOOGLE_APPLICATION_CREDENTIALS"), Just("HF_ENDPOINT"),
            ],
            value in prop_oneof!["[^\0]{0,64}", "[\u{1}-\u{1f}]{1,8}CANARYx", Just("x".repeat(100_000))],
        ) {
            let sb = Sandbox::new();
            let o = sb.run(&["check", "--from-env", "--timeout", "2", "--provider", "huggingface"], &vars(&[(var, &value), ("HF_ENDPOINT", "http://127.0.0.1:9/hf")]));
            let code = o.status.code();
            prop_assert!(code == Some(1) || code == Some(2), "{:?} {}", code, stderr(&o));
            prop_assert!(!stderr(&o).contains("panicked"));
            prop_assert!(!stdout(&o).contains("CANARYx"));
        }
    }
}
