//! Helpers shared by the fake's own tests: an HTTP client that never follows redirects,
//! SigV4 signing with `aws-sigv4`, and RS256 assertions with `jsonwebtoken`.
#![allow(dead_code)]

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use fake_clouds::FakeClouds;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

pub const STS_BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";

pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

/// Signs `body` for STS the way an SDK does and returns the headers to send.
pub fn sts_headers(
    fake: &FakeClouds,
    key_id: &str,
    secret: &str,
    token: Option<&str>,
    body: &str,
    time: SystemTime,
) -> Vec<(String, String)> {
    let url = format!("{}/", fake.aws_sts_endpoint());
    let host = fake.base_url().trim_start_matches("http://").to_string();
    let content_type = "application/x-www-form-urlencoded; charset=utf-8";
    let identity: Identity =
        Credentials::new(key_id, secret, token.map(str::to_string), None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("sts")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .expect("params")
        .into();
    let signable = SignableRequest::new(
        "POST",
        url.as_str(),
        [("host", host.as_str()), ("content-type", content_type)].into_iter(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
    let mut headers: Vec<(String, String)> = instructions
        .headers()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    headers.push(("content-type".into(), content_type.into()));
    headers
}

/// POSTs `GetCallerIdentity` to `endpoint` (any of the fake's STS endpoints), signed as an
/// SDK configured for `region` signs it. Returns the status and body.
pub async fn call_sts_at(
    endpoint: &str,
    region: &str,
    key_id: &str,
    secret: &str,
    time: SystemTime,
) -> (u16, String) {
    let url = format!("{endpoint}/");
    let parsed = reqwest::Url::parse(&url).expect("endpoint url");
    let host = format!(
        "{}:{}",
        parsed.host_str().expect("host"),
        parsed.port().expect("port")
    );
    let content_type = "application/x-www-form-urlencoded; charset=utf-8";
    let identity: Identity = Credentials::new(key_id, secret, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("sts")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .expect("params")
        .into();
    let signable = SignableRequest::new(
        "POST",
        url.as_str(),
        [("host", host.as_str()), ("content-type", content_type)].into_iter(),
        SignableBody::Bytes(STS_BODY.as_bytes()),
    )
    .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("sign").into_parts();
    let mut request = client().post(&url).header("content-type", content_type);
    for (k, v) in instructions.headers() {
        request = request.header(k, v);
    }
    let response = request.body(STS_BODY).send().await.expect("sts");
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

/// POSTs a signed `GetCallerIdentity`; `sent_body` lets a test tamper after signing.
pub async fn call_sts(
    fake: &FakeClouds,
    key_id: &str,
    secret: &str,
    token: Option<&str>,
    time: SystemTime,
    sent_body: &str,
) -> (u16, String) {
    let headers = sts_headers(fake, key_id, secret, token, STS_BODY, time);
    let mut request = client().post(format!("{}/", fake.aws_sts_endpoint()));
    for (k, v) in headers {
        request = request.header(k, v);
    }
    let response = request
        .body(sent_body.to_string())
        .send()
        .await
        .expect("sts");
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

/// The `<Code>` of an STS error body.
pub fn sts_code(xml: &str) -> &str {
    let start = xml.find("<Code>").map(|i| i + 6).unwrap_or(0);
    let end = xml.find("</Code>").unwrap_or(start);
    &xml[start..end]
}

/// An RS256 JWT-bearer assertion for `key_json`, at `now` (unix seconds).
/// The `aud` google-auth signs (`google/oauth2/service_account.py`), whatever the key's
/// `token_uri` the assertion is POSTed to.
pub const GOOGLE_TOKEN_AUDIENCE: &str = "https://oauth2.googleapis.com/token";

/// An RS256 JWT-bearer assertion shaped as google-auth builds it (`kid` header, claims
/// iss/scope/aud/iat/exp).
pub fn assertion(key_json: &str, aud: &str, now: i64) -> String {
    let key: Value = serde_json::from_str(key_json).expect("key json");
    let pem = key["private_key"].as_str().expect("private_key");
    let mut header = Header::new(Algorithm::RS256);
    header.kid = key["private_key_id"].as_str().map(str::to_string);
    let claims = json!({
        "iss": key["client_email"],
        "scope": "https://www.googleapis.com/auth/cloud-platform.read-only",
        "aud": aud,
        "iat": now,
        "exp": now + 3600,
    });
    let encoding = EncodingKey::from_rsa_pem(pem.as_bytes()).expect("pem");
    jsonwebtoken::encode(&header, &claims, &encoding).expect("encode")
}

pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// POSTs a form to `url`; returns status and JSON body.
pub async fn post_form(url: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let response = client()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("post");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// GETs `url` with an optional bearer token; returns status and JSON body.
pub async fn get_json(url: &str, bearer: Option<&str>) -> (u16, Value) {
    let mut request = client().get(url);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("get");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}
