//! Unit tests of the importers against a temporary HOME.

use std::path::Path;

use secrecy::ExposeSecret;

use super::*;
use crate::schema::{Env, ProviderId};

const AKID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn write(home: &Path, rel: &str, text: &str) {
    let path = home.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn ctx(home: &Path, vars: &[(&str, &str)]) -> ImportContext {
    let env = Env::from_pairs(vars.iter().copied()).with("HOME", home.display().to_string());
    ImportContext::from_env(env)
}

#[test]
fn aws_default_profile_takes_region_from_config_and_names_the_others() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".aws/credentials",
        &format!("[default]\naws_access_key_id = {AKID}\naws_secret_access_key = {SECRET}\n\n[work]\naws_access_key_id=AKIAWORKWORKWORKWORK\naws_secret_access_key={SECRET}\n"),
    );
    write(home.path(), ".aws/config", "[default]\nregion = eu-west-1\n[profile work]\nregion=us-west-2\n[sso-session x]\nsso_region=a\n");
    let d = discover(&[src("aws")], &ctx(home.path(), &[]));
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    let f = &d.found[0];
    assert_eq!(f.origin, "~/.aws/credentials [default]");
    assert_eq!(f.credentials.get("access_key_id"), Some(AKID));
    assert_eq!(f.credentials.get("region"), Some("eu-west-1"));
    assert_eq!(
        f.credentials
            .secret("secret_access_key")
            .unwrap()
            .expose_secret(),
        SECRET
    );
    assert!(f.notes.iter().any(|n| n.contains("work")), "{:?}", f.notes);

    let mut c = ctx(home.path(), &[("AWS_PROFILE", "work")]);
    let d = discover(&[src("aws")], &c);
    assert_eq!(d.found[0].credentials.get("region"), Some("us-west-2"));
    c.aws_profile = Some("nope".into());
    let d = discover(&[src("aws")], &c);
    assert!(d.found.is_empty());
    assert!(
        d.problems[0].message.contains("default, work"),
        "{:?}",
        d.problems
    );
}

#[test]
fn aws_sso_profile_is_explained() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".aws/config",
        "[default]\nsso_session = corp\nregion = eu-west-1\n",
    );
    let d = discover(&[src("aws")], &ctx(home.path(), &[]));
    assert!(d.found.is_empty());
    assert!(
        d.problems[0].message.contains("IAM Identity Center"),
        "{:?}",
        d.problems
    );
}

#[test]
fn hf_token_file_locations() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".cache/huggingface/token",
        "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH\n",
    );
    let d = discover(&[src("hf")], &ctx(home.path(), &[]));
    assert_eq!(d.found[0].origin, "~/.cache/huggingface/token");
    let hf_home = home.path().join("elsewhere");
    write(&hf_home, "token", "hf_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz");
    let d = discover(
        &[src("hf")],
        &ctx(home.path(), &[("HF_HOME", &hf_home.display().to_string())]),
    );
    assert_eq!(d.found[0].origin, "~/elsewhere/token");
    let d = discover(
        &[src("hf")],
        &ctx(home.path(), &[("HF_TOKEN_PATH", "/nonexistent/token")]),
    );
    assert!(d.found.is_empty() && d.problems.is_empty());
}

#[test]
fn lambda_keys_file_bare_or_assigned() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".lambda_cloud/lambda_keys",
        "secret_one_abc.def\nsecret_two_abc.def\n",
    );
    let d = discover(&[src("lambda")], &ctx(home.path(), &[]));
    assert_eq!(
        d.found[0]
            .credentials
            .secret("api_key")
            .unwrap()
            .expose_secret(),
        "secret_one_abc.def"
    );
    assert!(d.found[0].notes.iter().any(|n| n.contains("2 keys")));
    assert_eq!(
        parse_lambda_keys_file("api_key = \"secret_x_y\"\n"),
        vec!["secret_x_y"]
    );
    write(home.path(), ".lambda_cloud/lambda_keys", "nothing here\n");
    let d = discover(&[src("lambda")], &ctx(home.path(), &[]));
    assert!(d.problems[0].message.contains("no Lambda API key"));
}

#[test]
fn gcloud_user_login_is_not_a_service_account_key() {
    let home = tempfile::tempdir().unwrap();
    write(
        home.path(),
        ".config/gcloud/application_default_credentials.json",
        r#"{"type":"authorized_user","client_id":"x","client_secret":"canary-adc-secret","refresh_token":"canary-refresh"}"#,
    );
    let d = discover(&[src("gcloud")], &ctx(home.path(), &[]));
    assert!(d.found.is_empty());
    let m = &d.problems[0].message;
    assert!(
        m.contains("authorized_user") && m.contains("not a service-account key"),
        "{m}"
    );
    assert!(!m.contains("canary"));
}

#[test]
fn env_finds_each_provider_and_ignores_bare_endpoints() {
    let home = tempfile::tempdir().unwrap();
    let key = home.path().join("key.json");
    std::fs::write(&key, r#"{"type":"service_account","project_id":"p-123456","private_key_id":"k","private_key":"x","client_email":"a@p-123456.iam.gserviceaccount.com","token_uri":"https://oauth2.googleapis.com/token"}"#).unwrap();
    let c = ctx(
        home.path(),
        &[
            ("HF_ENDPOINT", "http://127.0.0.1:1/hf"),
            ("LAMBDA_API_KEY", "secret_a_b"),
            ("AZURE_TENANT_ID", "t"),
            ("GOOGLE_APPLICATION_CREDENTIALS", &key.display().to_string()),
        ],
    );
    let d = discover(&[src("env"), src("azure"), src("gcloud")], &c);
    let providers: Vec<_> = d.found.iter().map(|f| f.credentials.provider()).collect();
    assert_eq!(
        providers,
        vec![ProviderId::LAMBDA, ProviderId::AZURE, ProviderId::GCP]
    );
    assert!(
        d.shadowed().is_empty(),
        "the same key via env and gcloud counts once"
    );
    assert_eq!(d.found[0].origin, "environment (LAMBDA_API_KEY)");
}

/// A source by its `--source` name.
fn src(name: &str) -> Source {
    name.parse().unwrap()
}
