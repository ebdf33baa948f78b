//! The CLI in pipes and scripts: when the reader of stdout goes away (`| head -1`), the
//! command ends quietly with status 0 (ripgrep's convention for a broken pipe), never with
//! a panic. No keyring is needed: these commands only read the store file or the
//! environment.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::*;

/// A store of `n` profiles, written directly (the layout is docs/profile-store.md).
fn store_with(sb: &Sandbox, n: usize) {
    let profiles: serde_json::Map<String, serde_json::Value> = (0..n)
        .map(|i| {
            (
                format!("profile-{i:05}-with-a-long-name-to-fill-the-pipe"),
                serde_json::json!({ "created_at": "2025-01-31T09:00:00Z", "providers": {
                    "aws": { "fields": { "region": "eu-west-1" }, "secrets": {} }
                } }),
            )
        })
        .collect();
    let doc =
        serde_json::json!({ "schema_version": 1, "active_profile": null, "profiles": profiles });
    let path = sb.store_file();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_vec(&doc).unwrap()).unwrap();
}

#[track_caller]
fn quiet_success(o: &std::process::Output) {
    let err = stderr(o);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
    assert_exit(o, 0);
}

/// `cloudcreds profiles list | head -1`: the listing is far larger than a pipe's buffer,
/// so the command is still writing when the reader leaves after one line.
#[test]
fn profiles_list_into_head_1_ends_quietly() {
    let sb = Sandbox::new();
    store_with(&sb, 3000);
    let mut child = sb
        .cmd(&["profiles", "list"], &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("profile-00000"), "{first}");
    // The read end is closed here, as `head -1` does.
    quiet_success(&child.wait_with_output().unwrap());
}

/// Runs `args` with stdout a pipe whose reader is already closed, so the first write fails.
fn into_closed_pipe(
    sb: &Sandbox,
    args: &[&str],
    vars: &[(String, String)],
) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    sb.cmd(args, vars)
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
        .wait_with_output()
        .unwrap()
}

#[test]
fn show_into_a_closed_pipe_ends_quietly() {
    let sb = Sandbox::new();
    store_with(&sb, 1);
    let name = "profile-00000-with-a-long-name-to-fill-the-pipe";
    quiet_success(&into_closed_pipe(&sb, &["show", "--profile", name], &[]));
    quiet_success(&into_closed_pipe(
        &sb,
        &["show", "--profile", name, "--json"],
        &[],
    ));
}

#[test]
fn check_json_into_a_closed_pipe_ends_quietly() {
    let sb = Sandbox::new();
    // Nothing listens on port 1: the check fails fast, and its JSON has nowhere to go.
    let env = vars(&[
        ("HF_TOKEN", "hf_abcdefghijklmnopqrstuvwxyz0123456789"),
        ("HF_ENDPOINT", "http://127.0.0.1:1"),
    ]);
    let o = into_closed_pipe(
        &sb,
        &["check", "--from-env", "--json", "--provider", "huggingface"],
        &env,
    );
    quiet_success(&o);
}
