//! The four former cargo-fuzz targets (`fuzz/`, which needed nightly and never ran) as
//! property tests with a fixed case budget, so they run with every `cargo test`. Inputs are
//! what libFuzzer fed them, arbitrary bytes taken as UTF-8, mixed with the pieces each
//! format is made of so the cases reach past the first syntax check. The properties: no
//! panic, and every error is a sentence that never quotes the input. `import_props.rs`
//! holds the structured properties of the same parsers.

use cloudcreds_core::import::{
    credentials_in_env, discover, parse_aws_shared_file, parse_hf_token_file, parse_key_file,
    parse_lambda_keys_file, ImportContext, Source,
};
use cloudcreds_core::{parse_paste, validate, Env, ProviderId};
use proptest::prelude::*;

const CANARY: &str = "CANARYc4n4ry";

/// Cases per property; 6 properties, 1,536 cases in all (a few seconds in a debug build).
const CASES: u32 = 256;

const PROVIDERS: [ProviderId; 5] = [
    ProviderId::HUGGINGFACE,
    ProviderId::LAMBDA,
    ProviderId::AWS,
    ProviderId::AZURE,
    ProviderId::GCP,
];

/// Arbitrary bytes, as a fuzzer sends them, kept when they are UTF-8 (every parser takes
/// text) and otherwise read lossily so the case is not wasted.
fn bytes_as_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<u8>(), 0..512).prop_map(|b| {
        String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    })
}

/// Fragments of every format (INI, JSON keys, export lines, CSV, tokens) joined by
/// arbitrary separators.
fn credential_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[default]".to_string()),
        Just("[profile x]".to_string()),
        Just("aws_access_key_id=AKIAIOSFODNN7EXAMPLE".to_string()),
        Just(format!("aws_secret_access_key = {CANARY}")),
        Just(format!("export AWS_SECRET_ACCESS_KEY=\"{CANARY}\"")),
        Just(format!("AZURE_CLIENT_SECRET={CANARY}")),
        Just("AZURE_TENANT_ID=00000000-0000-0000-0000-000000000000".to_string()),
        Just(format!("hf_{CANARY}0123456789abcdefghij")),
        Just(format!("secret_{CANARY}_0123456789abcdef.0123456789abcdef")),
        Just("Access key ID,Secret access key".to_string()),
        Just(format!("AKIAIOSFODNN7EXAMPLE,{CANARY}")),
        Just("{\"type\":\"service_account\",".to_string()),
        Just("{\"type\":\"authorized_user\",\"refresh_token\":\"".to_string()),
        Just(format!(
            "\"private_key\":\"-----BEGIN PRIVATE KEY-----\\n{CANARY}\\n\","
        )),
        Just("\"client_email\":\"a@p.iam.gserviceaccount.com\"}".to_string()),
        Just("\"appId\":\"x\",\"password\":\"".to_string()),
        bytes_as_text(),
    ];
    let sep = prop_oneof![
        Just("\n"),
        Just("\r\n"),
        Just(""),
        Just(" "),
        Just("\t"),
        Just("\0")
    ];
    proptest::collection::vec((piece, sep), 0..12)
        .prop_map(|parts| parts.into_iter().map(|(p, s)| p + s).collect())
}

fn any_input() -> impl Strategy<Value = String> {
    prop_oneof![bytes_as_text(), credential_text()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    /// fuzz/aws_ini: both AWS shared-file layouts.
    #[test]
    fn aws_ini_from_any_bytes(text in any_input()) {
        for config in [false, true] {
            for (_, creds) in parse_aws_shared_file(&text, config) {
                if let Some(Err(e)) = creds {
                    let e = e.to_string();
                    prop_assert!(!e.is_empty() && !e.contains(CANARY), "{e}");
                }
            }
        }
    }

    /// fuzz/gcp_key_json: key files (service account, gcloud ADC user login, anything
    /// else), then smart paste of an accepted key, as the app does with it.
    #[test]
    fn gcp_key_json_from_any_bytes(text in any_input()) {
        match parse_key_file(&text, "the key file") {
            Ok(key) => {
                if let Err(e) = parse_paste(&key) {
                    prop_assert!(!e.message.contains(CANARY), "{}", e.message);
                }
            }
            Err(e) => {
                let e = e.to_string();
                prop_assert!(e.starts_with("the key file") && !e.contains(CANARY), "{e}")
            }
        }
    }

    /// fuzz/smart_paste: paste (then validation of what it accepted), and the HF and
    /// Lambda key files.
    #[test]
    fn smart_paste_from_any_bytes(text in any_input()) {
        match parse_paste(&text) {
            Ok(creds) => {
                for issue in validate(&creds) {
                    prop_assert!(!issue.message.contains(CANARY), "{}", issue.message);
                }
            }
            Err(e) => prop_assert!(!e.message.is_empty() && !e.message.contains(CANARY), "{}", e.message),
        }
        let _ = parse_hf_token_file(&text);
        for key in parse_lambda_keys_file(&text) {
            prop_assert!(key.starts_with("secret_"));
        }
    }

    /// fuzz/env_import: `NAME=value` lines become the environment (names included, so
    /// unknown and malformed names are covered too); every provider is read from it.
    #[test]
    fn env_import_from_any_lines(text in any_input()) {
        let home = tempfile::tempdir().unwrap();
        let env = Env::from_pairs(text.lines().filter_map(|l| l.split_once('=')))
            .with("HOME", home.path().display().to_string());
        for id in PROVIDERS {
            if let Some(Err(e)) = credentials_in_env(&env, id) {
                let e = e.to_string();
                prop_assert!(!e.is_empty() && !e.contains(CANARY), "{e}");
            }
        }
    }

    /// The Azure and env importers through `discover`, with values from any input under
    /// every variable they read.
    #[test]
    fn azure_and_env_discovery_from_any_values(
        values in proptest::collection::vec(any_input(), 6),
    ) {
        let home = tempfile::tempdir().unwrap();
        let names = [
            "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_SUBSCRIPTION_ID",
            "AZURE_AUTHORITY_HOST", "HF_TOKEN",
        ];
        let env = Env::from_pairs(names.iter().map(|n| n.to_string()).zip(values))
            .with("HOME", home.path().display().to_string());
        let found = discover(&[src("azure"), src("env")], &ImportContext::from_env(env));
        for p in &found.problems {
            prop_assert!(!p.message.is_empty() && !p.message.contains(CANARY), "{}", p.message);
        }
    }

    /// Every config file importer reading the same arbitrary bytes from disk (AWS INI,
    /// HF token file, Lambda keys, gcloud ADC).
    #[test]
    fn config_files_from_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512), text in credential_text()) {
        let home = tempfile::tempdir().unwrap();
        let write = |rel: &str, content: &[u8]| {
            let p = home.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, content).unwrap();
        };
        for (i, rel) in [
            ".aws/credentials",
            ".aws/config",
            ".cache/huggingface/token",
            ".lambda_cloud/lambda_keys",
            ".config/gcloud/application_default_credentials.json",
        ].into_iter().enumerate() {
            write(rel, if i % 2 == 0 { &bytes } else { text.as_bytes() });
        }
        let env = Env::empty().with("HOME", home.path().display().to_string());
        let found = discover(&[], &ImportContext::from_env(env));
        for p in &found.problems {
            prop_assert!(!p.message.is_empty() && !p.message.contains(CANARY), "{}", p.message);
        }
    }
}

/// A source by its `--source` name.
fn src(name: &str) -> Source {
    name.parse().unwrap()
}
