//! Property tests for every parser of untrusted input: AWS shared files (INI), GCP key JSON,
//! smart paste, the HF and Lambda key files, and import from the environment. For any input
//! (empty, huge, binary-ish, malformed, control characters) they return, never panic, and an
//! error is a sentence that never quotes the input.

use cloudcreds_core::import::{
    credentials_in_env, discover, parse_aws_shared_file, parse_hf_token_file, parse_key_file,
    parse_lambda_keys_file, ImportContext, Source,
};
use cloudcreds_core::{parse_paste, Env};
use proptest::prelude::*;

const CANARY: &str = "CANARYc4n4ry";

/// Text made of the pieces these formats are built from, mixed with arbitrary characters.
fn ini_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[default]".to_string()),
        Just("[profile work]".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("aws_access_key_id = AKIAIOSFODNN7EXAMPLE".to_string()),
        Just(format!("aws_secret_access_key={CANARY}")),
        Just("aws_session_token =".to_string()),
        Just("region=eu-west-1".to_string()),
        Just("sso_session = x".to_string()),
        Just("=".to_string()),
        Just("#;".to_string()),
        Just("\u{feff}\r\n\t\0".to_string()),
        "\\PC{0,12}",
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|parts| parts.join("\n"))
}

fn json_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("\"type\":\"service_account\",".to_string()),
        Just("\"type\":\"authorized_user\",".to_string()),
        Just(format!("\"private_key\":\"{CANARY}\",")),
        Just("\"private_key_id\":\"0123456789abcdef\",".to_string()),
        Just("\"client_email\":\"a@b.iam.gserviceaccount.com\",".to_string()),
        Just("\"token_uri\":\"http://127.0.0.1:1/t\"".to_string()),
        Just("null".to_string()),
        Just("[1,2".to_string()),
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..16).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn aws_shared_files_never_panic(text in ini_like(), config in any::<bool>()) {
        for (_, creds) in parse_aws_shared_file(&text, config) {
            if let Some(Err(e)) = creds {
                let e = e.to_string();
                prop_assert!(!e.contains(CANARY), "{e}");
                prop_assert!(!e.is_empty());
            }
        }
    }

    #[test]
    fn gcp_key_files_never_panic_or_echo(text in json_like()) {
        if let Err(e) = parse_key_file(&text, "the key file") {
            let e = e.to_string();
            prop_assert!(!e.contains(CANARY), "{e}");
            prop_assert!(e.starts_with("the key file"));
        }
    }

    #[test]
    fn smart_paste_never_panics_or_echoes(text in prop_oneof![ini_like(), json_like(), any::<String>()]) {
        if let Err(e) = parse_paste(&text) {
            prop_assert!(!e.message.contains(CANARY), "{}", e.message);
            prop_assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn token_files_never_panic(text in ini_like()) {
        let _ = parse_hf_token_file(&text);
        for key in parse_lambda_keys_file(&text) {
            prop_assert!(key.starts_with("secret_"));
        }
    }

    #[test]
    fn env_import_never_panics(
        pairs in proptest::collection::vec(
            (
                prop_oneof![
                    Just("HF_TOKEN"), Just("LAMBDA_API_KEY"), Just("AWS_ACCESS_KEY_ID"),
                    Just("AWS_SECRET_ACCESS_KEY"), Just("AWS_SESSION_TOKEN"), Just("AWS_REGION"),
                    Just("AZURE_TENANT_ID"), Just("AZURE_CLIENT_SECRET"), Just("GOOGLE_CLOUD_PROJECT"),
                    Just("GOOGLE_APPLICATION_CREDENTIALS"), Just("HF_ENDPOINT"), Just("AWS_PROFILE"),
                    Just("HF_HOME"), Just("HF_TOKEN_PATH"), Just("AWS_CONFIG_FILE"),
                ],
                any::<String>(),
            ),
            0..8,
        )
    ) {
        // Paths point at nothing that exists, relative to a fresh temp dir.
        let home = tempfile::tempdir().unwrap();
        let env = Env::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())))
            .with("HOME", home.path().display().to_string());
        for id in cloudcreds_core::providers::ids() {
            let _ = credentials_in_env(&env, id);
        }
        let found = discover(&[], &ImportContext::from_env(env));
        for p in &found.problems {
            prop_assert!(!p.message.is_empty());
        }
    }

    #[test]
    fn arbitrary_files_in_home_never_panic(
        aws in ini_like(),
        hf in proptest::collection::vec(any::<u8>(), 0..64),
        gcloud in json_like(),
    ) {
        let home = tempfile::tempdir().unwrap();
        let write = |rel: &str, bytes: &[u8]| {
            let p = home.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        };
        write(".aws/credentials", aws.as_bytes());
        write(".aws/config", aws.as_bytes());
        write(".cache/huggingface/token", &hf);
        write(".lambda_cloud/lambda_keys", &hf);
        write(".config/gcloud/application_default_credentials.json", gcloud.as_bytes());
        let env = Env::empty().with("HOME", home.path().display().to_string());
        let found = discover(&[], &ImportContext::from_env(env));
        for p in &found.problems {
            prop_assert!(!p.message.contains(CANARY), "{}", p.message);
        }
    }
}

#[test]
fn oversized_and_binary_files_are_named_not_read() {
    let home = tempfile::tempdir().unwrap();
    let token = home.path().join(".cache/huggingface/token");
    std::fs::create_dir_all(token.parent().unwrap()).unwrap();
    std::fs::write(&token, vec![b'a'; 300 * 1024]).unwrap();
    let lambda = home.path().join(".lambda_cloud/lambda_keys");
    std::fs::create_dir_all(lambda.parent().unwrap()).unwrap();
    std::fs::write(&lambda, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    let env = Env::empty().with("HOME", home.path().display().to_string());
    let found = discover(&[src("hf"), src("lambda")], &ImportContext::from_env(env));
    assert!(found.found.is_empty());
    let messages: Vec<&str> = found.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(messages[0].contains("too large"), "{messages:?}");
    assert!(messages[1].contains("not UTF-8"), "{messages:?}");
}

/// A source by its `--source` name.
fn src(name: &str) -> Source {
    name.parse().unwrap()
}
