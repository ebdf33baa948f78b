//! The AWS check: STS `GetCallerIdentity`, SigV4-signed by `aws-sigv4` for the region's
//! partition-aware endpoint (or the region an endpoint's host names); STS error codes
//! become named outcomes in `errors`.

use std::time::SystemTime;

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::ExposeSecret;

use super::errors::{failure, Sent};
use super::partitions;
use crate::net::{host_of, parse_endpoint, Request, Session};
use crate::providers::common::SecretInput;
use crate::schema::Credentials;
use crate::schema::Env;
use crate::schema::Outcome;
use crate::schema::Status;

const NAME: &str = "AWS";
const BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";

pub(crate) fn region(creds: &Credentials, env: &Env) -> String {
    creds
        .get("region")
        .or_else(|| env.first(&["AWS_REGION", "AWS_DEFAULT_REGION"]))
        .unwrap_or("us-east-1")
        .to_string()
}

pub(super) async fn run(input: &SecretInput<'_>, s: &Session<'_>) -> Result<Outcome, Outcome> {
    let (creds, secret) = (input.creds, input.secret);
    let key_id = creds.get("access_key_id").unwrap_or_default();
    let configured_region = region(creds, s.env);
    let (raw, endpoint_setting) = match creds.get("sts_endpoint") {
        Some(v) => (v.to_string(), Some("the STS endpoint field")),
        None => match endpoint_env(s.env) {
            Some((name, v)) => (v.to_string(), Some(name)),
            None => (partitions::sts_endpoint(&configured_region), None),
        },
    };
    let mut url = parse_endpoint(&raw, "AWS STS endpoint")?;
    let host = host_of(&url);
    // A regional endpoint only accepts its own region in the credential scope, so an
    // endpoint whose name says its region decides the signing region.
    let region = partitions::region_of_sts_host(url.host_str().unwrap_or_default())
        .unwrap_or_else(|| configured_region.clone());
    if !url.path().ends_with('/') {
        url.set_path(&format!("{}/", url.path()));
    }

    let content_type = "application/x-www-form-urlencoded; charset=utf-8";
    let mut req = Request::post(url)
        .header(
            reqwest::header::CONTENT_TYPE,
            HeaderValue::from_static(content_type),
        )
        .raw_body(BODY.as_bytes().to_vec());

    // The secret is exposed only here, for signing; aws-credential-types redacts it in Debug.
    let identity = aws_credential_types::Credentials::new(
        key_id,
        secret.expose_secret(),
        creds
            .secret("session_token")
            .map(|t| t.expose_secret().to_string()),
        None,
        "cloudcreds",
    )
    .into();
    let signing_failed = |_| {
        Outcome::fail(
            Status::InvalidInput,
            "The AWS request could not be signed with these values.",
            "Check the access key ID, region and endpoint for stray characters.",
        )
    };
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(&region)
        .name("sts")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|_| signing_failed(()))?
        .into();
    let url_text = req.url().to_string();
    let signable = SignableRequest::new(
        "POST",
        url_text.as_str(),
        [("content-type", content_type)].into_iter(),
        SignableBody::Bytes(BODY.as_bytes()),
    )
    .map_err(|_| signing_failed(()))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|_| signing_failed(()))?
        .into_parts();
    let (headers, _) = instructions.into_parts();
    for h in headers {
        let name = HeaderName::from_static(h.name());
        let mut value = HeaderValue::from_str(h.value()).map_err(|_| signing_failed(()))?;
        value.set_sensitive(h.sensitive() || name == "x-amz-security-token");
        req = req.header(name, value);
    }

    let resp = s.send(&req).await?;
    if !resp.is_success() {
        let sent = Sent {
            key_id,
            region: &region,
            configured_region: &configured_region,
            host: &host,
            endpoint_setting,
        };
        return Err(failure(s, &resp, &sent));
    }
    let body = resp.text();
    let (Some(account), Some(arn)) = (tag(&body, "Account"), tag(&body, "Arn")) else {
        return Err(crate::net::malformed(NAME, resp.status));
    };
    let user_id = tag(&body, "UserId").unwrap_or_default();
    let key_type = if key_id.starts_with("ASIA") {
        "temporary (session credentials)"
    } else {
        "long-term (IAM access key)"
    };
    let mut o = Outcome::ok(format!("Connected to AWS as {arn}."))
        .with("account", account.clone())
        .with("arn", arn.clone())
        .with("user id", user_id)
        .with("key type", key_type)
        .with("region", region);
    if arn.ends_with(":root") {
        o = o.hint("These are the account's root user keys; create an IAM user or role for everyday use and delete root access keys.");
    }
    Ok(o)
}

/// The first endpoint variable that is set, with its name.
fn endpoint_env(env: &Env) -> Option<(&'static str, &str)> {
    ["AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"]
        .into_iter()
        .find_map(|name| env.first(&[name]).map(|v| (name, v)))
}

/// The text of the first `<name>…</name>` element; STS answers are flat enough that this
/// is all the XML reading needed.
pub(crate) fn tag(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&close)?;
    let text = xml[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    Some(text.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_precedence_is_field_then_env_then_region() {
        let env = Env::from_pairs([("AWS_REGION", "eu-central-1")]);
        let creds = Credentials::new(crate::schema::ProviderId::AWS);
        assert_eq!(region(&creds, &env), "eu-central-1");
        assert_eq!(region(&creds, &Env::empty()), "us-east-1");
    }

    #[test]
    fn reads_sts_xml() {
        let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>a &amp; b</Message></Error></ErrorResponse>";
        assert_eq!(tag(xml, "Code").as_deref(), Some("SignatureDoesNotMatch"));
        assert_eq!(tag(xml, "Message").as_deref(), Some("a & b"));
        assert_eq!(tag(xml, "Arn"), None);
    }
}
