//! Modal through the CLI, as a user meets it: `check --from-env`, `set` and a profile
//! check, `import` of `~/.modal.toml`, and `exec` handing the token to a command. The
//! built binary runs against fake-clouds' gRPC service and a private Secret Service.
#![cfg(all(unix, not(target_os = "macos")))]

mod common;

use common::*;
use private_keyring::PrivateSecretService as SecretService;

#[test]
fn check_from_env_reads_the_modal_variables() {
    let fake = fake();
    let sb = Sandbox::new();
    let c = fake.creds().clone();
    let mut env = fake.env();
    env.extend(vars(&[
        ("MODAL_TOKEN_ID", &c.modal_token_id),
        ("MODAL_TOKEN_SECRET", &c.modal_token_secret),
    ]));
    let o = sb.run(
        &["check", "--from-env", "--provider", "modal", "--json"],
        &env,
    );
    assert_exit(&o, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let report = &doc["results"][0];
    assert_eq!(report["provider"], "modal");
    assert_eq!(report["status"], "ok", "{doc:#}");
    assert_eq!(report["requests"][0]["grpc_status"], "OK");
    assert_no_secrets(&o, &[&c.modal_token_secret]);

    env.retain(|(k, _)| k != "MODAL_TOKEN_SECRET");
    env.push((
        "MODAL_TOKEN_SECRET".into(),
        format!("as-{}", "w".repeat(22)),
    ));
    let o = sb.run(&["check", "--from-env", "--provider", "modal"], &env);
    assert_exit(&o, 1);
    assert!(stdout(&o).contains("modal token new"), "{}", stdout(&o));
}

#[test]
fn set_import_check_and_exec_with_a_saved_modal_token() {
    let Some(keyring) = SecretService::start() else {
        eprintln!("skipped: no gnome-keyring-daemon on this machine");
        return;
    };
    let fake = fake();
    let mut sb = Sandbox::new();
    sb.bus = keyring.address().to_string();
    let c = fake.creds().clone();
    let env = fake.env();

    // `set`: the id as an argument, the secret only from stdin.
    assert_exit(
        &sb.run(&["set", "modal", "token_id", &c.modal_token_id], &env),
        0,
    );
    let o = sb.run_with_stdin(
        &["set", "modal", "token_secret"],
        &env,
        c.modal_token_secret.as_bytes(),
    );
    assert_exit(&o, 0);
    let o = sb.run(&["check", "--provider", "modal"], &env);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains(&c.modal_workspace_name),
        "{}",
        stdout(&o)
    );

    // `exec`: the command sees the standard variables.
    let script = r#"echo "ID=$MODAL_TOKEN_ID"; echo "SECRET=$MODAL_TOKEN_SECRET""#;
    let o = sb.run(
        &["exec", "--provider", "modal", "--", "sh", "-c", script],
        &env,
    );
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains(&format!("ID={}", c.modal_token_id)), "{out}");
    assert!(
        out.contains(&format!("SECRET={}", c.modal_token_secret)),
        "{out}"
    );

    // `import`: the active profile of ~/.modal.toml replaces the saved token.
    sb.write(
        ".modal.toml",
        &format!(
            "[old]\ntoken_id = \"ak-oldoldoldoldoldoldold\"\ntoken_secret = \"as-oldoldoldoldoldoldold\"\n\n[ci]\ntoken_id = \"{}\"\ntoken_secret = \"{}\"\nactive = true\n",
            c.modal_expiring_token_id, c.modal_expiring_token_secret
        ),
    );
    let o = sb.run(&["import", "--source", "modal", "--yes"], &env);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("~/.modal.toml [ci]"), "{out}");
    assert!(
        out.contains("Other Modal profiles with tokens: old"),
        "{out}"
    );
    assert_no_secrets(&o, &[&c.modal_expiring_token_secret]);
    let o = sb.run(&["check", "--provider", "modal"], &env);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("expires in 2 days"), "{}", stdout(&o));
    let file = std::fs::read_to_string(sb.store_file()).unwrap();
    assert!(!file.contains(&c.modal_expiring_token_secret));
}
