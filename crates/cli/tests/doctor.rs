//! `cloudcreds doctor` against a private Secret Service: entries planted and removed behind
//! the store's back with `secret-tool` (as a racing writer or another tool would leave
//! them), found, repaired on request, and `--remove-everything` leaving no trace.
#![cfg(all(unix, not(target_os = "macos")))]

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::*;
use private_keyring::PrivateSecretService as SecretService;

const HF_TOKEN: &str = "hf_CANARYdoctorTOKENneverPrinted0042";
const ORPHAN: &str = "CANARYorphanAWSsecretNeverPrinted0077";
const GHOST: &str = "secret_CANARYghostLAMBDAkey0099";

struct World {
    sb: Sandbox,
    keyring: SecretService,
}

fn world() -> Option<World> {
    let keyring = SecretService::start()?;
    let mut sb = Sandbox::new();
    sb.bus = keyring.address().to_string();
    Some(World { sb, keyring })
}

impl World {
    fn run(&self, args: &[&str]) -> Output {
        let o = self.sb.run(args, &[]);
        assert_no_secrets(&o, &[HF_TOKEN, ORPHAN, GHOST, "CANARYchunk"]);
        o
    }

    fn entries(&self) -> Vec<String> {
        self.keyring.entries(&self.sb.service).into_iter().collect()
    }

    fn secret_tool(&self, args: &[&str], stdin: &[u8]) {
        let mut child = Command::new("secret-tool")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", self.keyring.address())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("running secret-tool");
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        assert!(child.wait().unwrap().success(), "secret-tool {args:?}");
    }

    /// An entry the way cloudcreds' keyring store writes one (service + username).
    fn plant(&self, key: &str, value: &[u8]) {
        let svc = self.sb.service.clone();
        self.secret_tool(
            &["store", "--label=planted", "service", &svc, "username", key],
            value,
        );
    }

    fn remove(&self, key: &str) {
        let svc = self.sb.service.clone();
        self.secret_tool(&["clear", "service", &svc, "username", key], b"");
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let o = self.run(args);
        serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(&o), stderr(&o)))
    }
}

fn kinds(doc: &serde_json::Value, list: &str) -> Vec<(String, String)> {
    doc[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["key"].as_str().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(key: &str, kind: &str) -> (String, String) {
    (key.to_string(), kind.to_string())
}

/// Profile `work` with a saved Hugging Face token, plus two orphans planted behind its back.
fn troubled() -> Option<World> {
    let w = world()?;
    assert_exit(&w.run(&["profiles", "create", "work"]), 0);
    let o =
        w.sb.run_with_stdin(&["set", "huggingface", "token"], &[], HF_TOKEN.as_bytes());
    assert_exit(&o, 0);
    w.plant("work/aws/secret_access_key", ORPHAN.as_bytes());
    w.plant("ghost/lambda/api_key", GHOST.as_bytes());
    Some(w)
}

#[test]
fn a_healthy_install_exits_0() {
    let Some(w) = world() else { return };
    let o = w.run(&["doctor"]);
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("No findings"), "{}", stdout(&o));
    let doc = w.json(&["doctor", "--json"]);
    assert_eq!(doc["healthy"], true);
    assert_eq!(doc["findings"], serde_json::json!([]));
}

#[test]
fn orphans_are_reported_then_adopted_or_deleted_on_request() {
    let Some(w) = troubled() else { return };

    // Without a flag (and no terminal) doctor only reports, and exits 1.
    let o = w.run(&["doctor"]);
    assert_exit(&o, 1);
    let out = stdout(&o);
    assert!(out.contains("2 findings"), "{out}");
    assert!(out.contains("work/aws/secret_access_key"), "{out}");
    assert!(out.contains("cloudcreds doctor --adopt"), "{out}");
    assert!(out.contains("no profile named 'ghost'"), "{out}");
    let doc = w.json(&["doctor", "--json"]);
    assert_eq!(doc["healthy"], false);
    assert_eq!(
        kinds(&doc, "findings"),
        [
            pair("ghost/lambda/api_key", "orphan_without_profile"),
            pair("work/aws/secret_access_key", "orphan"),
        ]
    );
    assert_eq!(doc["repaired"], serde_json::json!([]));
    let show = stdout(&w.run(&["show", "--json", "--profile", "work"]));
    assert!(!show.contains("\"aws\""), "nothing changed yet: {show}");

    // --adopt records the orphan of an existing profile; the ghost one needs its profile.
    let o = w.run(&["doctor", "--adopt"]);
    assert_exit(&o, 1);
    assert!(stdout(&o).contains("Adopted the AWS"), "{}", stdout(&o));
    let show: serde_json::Value =
        serde_json::from_slice(&w.run(&["show", "--json", "--profile", "work"]).stdout).unwrap();
    let aws = show["providers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["provider"] == "aws")
        .expect("aws is now saved in work");
    let secret = &aws["secrets"][0];
    assert_eq!(secret["set"], true, "{show}");
    assert_eq!(secret["hint"], "…0077", "{show}");

    // --delete-orphans removes the entry of the missing profile, and nothing else.
    let doc = w.json(&["doctor", "--delete-orphans", "--json"]);
    assert_eq!(doc["healthy"], true, "{doc}");
    assert_eq!(doc["repaired"][0]["key"], "ghost/lambda/api_key");
    assert_eq!(doc["repaired"][0]["repair"], "delete");
    assert_eq!(doc["remaining"], serde_json::json!([]));
    assert_eq!(
        w.entries(),
        ["work/aws/secret_access_key", "work/huggingface/token"]
    );
    assert_exit(&w.run(&["doctor"]), 0);
}

#[test]
fn an_orphan_of_a_missing_profile_can_be_adopted_into_a_new_profile() {
    let Some(w) = troubled() else { return };
    let doc = w.json(&["doctor", "--adopt", "--create-profiles", "--json"]);
    assert_eq!(doc["healthy"], true, "{doc}");
    let repairs: Vec<&str> = doc["repaired"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["repair"].as_str().unwrap())
        .collect();
    assert_eq!(repairs, ["adopt_creating_profile", "adopt"]);
    let profiles = stdout(&w.run(&["profiles"]));
    assert!(
        profiles.contains("ghost") && profiles.contains("lambda"),
        "{profiles}"
    );
}

#[test]
fn a_secret_deleted_behind_the_stores_back_is_missing_and_can_be_forgotten() {
    let Some(w) = world() else { return };
    let o =
        w.sb.run_with_stdin(&["set", "huggingface", "token"], &[], HF_TOKEN.as_bytes());
    assert_exit(&o, 0);
    w.remove("default/huggingface/token");

    let doc = w.json(&["doctor", "--json"]);
    assert_eq!(
        kinds(&doc, "findings"),
        [pair("default/huggingface/token", "missing")]
    );
    let fix = doc["findings"][0]["fix"].as_str().unwrap();
    assert!(
        fix.contains("cloudcreds set huggingface token --profile default"),
        "{fix}"
    );
    assert!(fix.contains("--forget-missing"), "{fix}");
    // Orphan flags do not touch a recorded secret.
    assert_exit(&w.run(&["doctor", "--adopt", "--delete-orphans"]), 1);

    let o = w.run(&["doctor", "--forget-missing"]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains("now shows as not set"),
        "{}",
        stdout(&o)
    );
    let show = stdout(&w.run(&["show"]));
    assert!(show.contains("not set"), "{show}");
    assert_exit(&w.run(&["doctor"]), 0);
}

#[test]
fn a_torn_chunk_set_is_reported_as_damaged() {
    let Some(w) = world() else { return };
    assert_exit(&w.run(&["profiles", "create", "work"]), 0);
    let o =
        w.sb.run_with_stdin(&["set", "huggingface", "token"], &[], HF_TOKEN.as_bytes());
    assert_exit(&o, 0);
    // A chunked value's head (manifest: 2 chunks) with only its first chunk left.
    let mut manifest = b"\0cloudcreds-chunked-v1\0".to_vec();
    manifest.extend_from_slice(b"2:22:0000000000000000");
    w.plant("work/huggingface/token", &manifest);
    w.plant("work/huggingface/token#1", b"CANARYchunk-one");

    let doc = w.json(&["doctor", "--json"]);
    assert_eq!(
        kinds(&doc, "findings"),
        [pair("work/huggingface/token", "damaged")]
    );
    let message = doc["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("chunks is missing"), "{message}");
    assert_eq!(doc["findings"][0]["repairs"], serde_json::json!(["forget"]));

    // Forgetting removes the damaged pieces with the record.
    assert_exit(&w.run(&["doctor", "--forget-missing"]), 0);
    assert!(w.entries().is_empty(), "{:?}", w.entries());
}

#[test]
fn remove_everything_leaves_no_entries_and_no_files() {
    let Some(w) = troubled() else { return };
    let folder = w.sb.store_file().parent().unwrap().to_path_buf();
    std::fs::write(folder.join("profiles.json.corrupt-20250101T000000Z"), "{").unwrap();

    // Not a terminal and no --yes: refused, nothing removed.
    let o = w.run(&["doctor", "--remove-everything"]);
    assert_exit(&o, 2);
    assert_clean_error(&o);
    assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing was removed"), "{}", stderr(&o));
    assert_eq!(w.entries().len(), 3);
    assert!(w.sb.store_file().exists());

    let o = w.run(&["doctor", "--remove-everything", "--yes"]);
    assert_exit(&o, 0);
    let out = stdout(&o);
    assert!(out.contains("Removed 3 keyring entries"), "{out}");
    assert!(out.contains("ghost/lambda/api_key"), "{out}");
    assert!(
        out.contains("profiles.json.corrupt-20250101T000000Z"),
        "{out}"
    );
    assert!(
        w.entries().is_empty(),
        "secret-tool still finds {:?}",
        w.entries()
    );
    let left: Vec<_> = std::fs::read_dir(&folder)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "files left: {left:?}");

    // A second run finds nothing to remove and still succeeds.
    let doc = w.json(&["doctor", "--remove-everything", "--yes", "--json"]);
    assert_eq!(doc["entries"], serde_json::json!([]));
}
