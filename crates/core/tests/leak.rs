//! The canary test: every check and error path runs with known secret values, and no
//! report (JSON or Debug), error, validation issue or log line at TRACE level may contain
//! any of them.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use cloudcreds_core::{parse_paste, validate, CheckReport, Credentials, Env, ProviderId};
use common::*;
use fake_clouds::{Fault, Target};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const CANARY_HF: &str = "hf_CANARYcanaryCANARYcanaryCANARYcanar";
const CANARY_LAMBDA: &str = "secret_canary_0123456789abcdefCANARY";
const CANARY_AWS_SECRET: &str = "CANARYcanaryCANARYcanary/CANARY+canary12";
const CANARY_AWS_TOKEN: &str = "IQoJb3JpZ2luX2VjCANARYSESSIONTOKENcanary";
const CANARY_AZURE: &str = "abc8Q~CANARYcanaryCANARYcanaryCANARYcan";
const CANARY_GCP_SECRET: &str = "GOCSPX-CANARYcanaryclientsecret";
const CANARY_REFRESH: &str = "1//0gCANARYrefreshTOKENcanary";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_a_report_an_error_or_a_log() {
    let logs = Captured::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let f = fixture_with_deadline(2).await;
    let c = f.fake.creds().clone();
    let mut secrets: Vec<String> = vec![
        CANARY_HF,
        CANARY_LAMBDA,
        CANARY_AWS_SECRET,
        CANARY_AWS_TOKEN,
        CANARY_AZURE,
        CANARY_GCP_SECRET,
        CANARY_REFRESH,
    ]
    .into_iter()
    .map(String::from)
    .collect();
    secrets.extend(
        [
            &c.hf_token,
            &c.hf_token_fine_grained_no_inference,
            &c.hf_token_fine_grained_inference,
            &c.hf_token_whoami_rejects,
            &c.hf_token_revoked,
            &c.lambda_api_key,
            &c.lambda_api_key_inactive,
            &c.aws_secret_access_key,
            &c.aws_temp_secret_access_key,
            &c.aws_session_token,
            &c.aws_expired_secret_access_key,
            &c.aws_expired_session_token,
            &c.azure_client_secret,
            &c.azure_expired_client_secret,
            &c.azure_client_secret_no_role,
        ]
        .into_iter()
        .cloned(),
    );
    for key in [
        &c.gcp_key_json,
        &c.gcp_key_json_pkcs1,
        &c.gcp_key_json_deleted,
    ] {
        let doc: serde_json::Value = serde_json::from_str(key).unwrap();
        let pem = doc["private_key"].as_str().unwrap();
        secrets.extend(
            pem.lines()
                .filter(|l| !l.starts_with("-----"))
                .map(String::from),
        );
    }

    let user_json = format!(
        r#"{{"type":"authorized_user","client_id":"x.apps.googleusercontent.com","client_secret":"{CANARY_GCP_SECRET}","refresh_token":"{CANARY_REFRESH}"}}"#
    );
    let mut all: Vec<Credentials> = vec![
        hf(&c.hf_token),
        hf(&c.hf_token_fine_grained_no_inference),
        hf(&c.hf_token_whoami_rejects),
        hf(&c.hf_token_revoked),
        hf(CANARY_HF),
        hf(&format!("{CANARY_HF}\n")),
        hf(&format!("Bearer {CANARY_HF}")),
        lambda(&c.lambda_api_key),
        lambda(&c.lambda_api_key_inactive),
        lambda(CANARY_LAMBDA),
        aws(&c.aws_access_key_id, &c.aws_secret_access_key, None),
        aws(
            &c.aws_temp_access_key_id,
            &c.aws_temp_secret_access_key,
            Some(&c.aws_session_token),
        ),
        aws(
            &c.aws_expired_access_key_id,
            &c.aws_expired_secret_access_key,
            Some(&c.aws_expired_session_token),
        ),
        aws(&c.aws_access_key_id, CANARY_AWS_SECRET, None),
        aws(
            "ASIAAAAAAAAAAAAAAAAA",
            CANARY_AWS_SECRET,
            Some(CANARY_AWS_TOKEN),
        ),
        aws(&c.aws_access_key_id, &CANARY_AWS_SECRET[..30], None),
        azure(
            &c.azure_tenant_id,
            &c.azure_client_id,
            &c.azure_client_secret,
            Some(&c.azure_subscription_id),
        ),
        azure(&c.azure_tenant_id, &c.azure_client_id, CANARY_AZURE, None),
        azure(
            &c.azure_tenant_id,
            &c.azure_client_id,
            &c.azure_expired_client_secret,
            None,
        ),
        azure(
            &c.azure_tenant_id,
            &c.azure_client_id_no_role,
            &c.azure_client_secret_no_role,
            None,
        ),
        azure(
            "00000000-0000-0000-0000-000000000000",
            &c.azure_client_id,
            CANARY_AZURE,
            None,
        ),
        gcp(&c.gcp_key_json, None),
        gcp(&c.gcp_key_json_pkcs1, Some(&c.gcp_project_denied)),
        gcp(&c.gcp_key_json_deleted, None),
        gcp(&c.gcp_key_json, Some(&c.gcp_project_service_disabled)),
        gcp(&user_json, None),
        gcp("{ not json", None),
    ];
    // Transport failures, with the secrets in flight.
    for endpoint in ["https://hub.example.invalid", "http://hub.example.invalid"] {
        all.push(creds(
            ProviderId::HUGGINGFACE,
            &[("token", CANARY_HF), ("endpoint", endpoint)],
        ));
    }
    all.push(creds(
        ProviderId::HUGGINGFACE,
        &[
            ("token", CANARY_HF),
            (
                "endpoint",
                &(f.fake.base_url().replace("http:", "https:") + "/hf"),
            ),
        ],
    ));

    let ctx = Arc::new(context(Env::from_pairs(f.fake.env()), 2));
    let mut reports: Vec<CheckReport> = Vec::new();
    for creds in &all {
        reports.push(f.check(creds).await);
    }
    let faults = [
        Fault::TooManyRequests {
            retry_after_secs: 0,
        },
        Fault::ServerError(502),
        Fault::Reset,
        Fault::MalformedBody,
        Fault::Redirect("https://elsewhere.example.invalid/".into()),
        Fault::Hang,
    ];
    for fault in faults {
        for target in Target::ALL {
            f.fake.set_fault(target, fault.clone(), None);
        }
        // All at once, so hanging servers cost one deadline, not one each.
        let mut batch = all.clone();
        batch.push(aws(&c.aws_access_key_id, CANARY_AWS_SECRET, None));
        let mut rx = cloudcreds_core::check_all(batch, ctx.clone());
        while let Some(report) = rx.recv().await {
            reports.push(report);
        }
        f.fake.clear_faults();
    }

    let mut texts: Vec<String> = Vec::new();
    for r in &reports {
        texts.push(serde_json::to_string(r).unwrap());
        texts.push(format!("{r:?}"));
    }
    for creds in &all {
        texts.push(format!("{creds:?}"));
        texts.push(format!("{:?}", validate(creds)));
    }
    let ctx_env = Env::from_pairs([("AWS_SECRET_ACCESS_KEY", CANARY_AWS_SECRET)]);
    texts.push(format!("{ctx_env:?}"));
    texts.push(format!("{:?}", context(ctx_env, 1)));
    for pasted in [
        format!("garbage {CANARY_AZURE}"),
        user_json.clone(),
        "Access key ID,Secret access key\n".to_string(),
        format!("{{\"installed\":{{\"client_secret\":\"{CANARY_GCP_SECRET}\"}},\"type\":\"x\",\"client_id\":\"y\"}}"),
    ] {
        texts.push(format!("{:?}", parse_paste(&pasted)));
    }
    // The fake re-signs each STS request with aws-sigv4 to verify it, and that crate traces
    // the request it signs, token included; those lines are the server's, not ours.
    let captured = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    let ours: Vec<&str> = captured
        .lines()
        .filter(|l| !l.contains("provider_name: \"fake-clouds\""))
        .collect();
    texts.push(ours.join("\n"));
    assert!(
        texts.last().unwrap().contains("check finished"),
        "tracing was not captured"
    );

    for text in &texts {
        for secret in &secrets {
            if let Some(at) = text.find(secret.as_str()) {
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                panic!("a secret leaked into: {}", &text[line_start..line_end]);
            }
        }
    }
}
