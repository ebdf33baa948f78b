//! The AWS check: STS `GetCallerIdentity`, SigV4-signed by `aws-sigv4` for the region's
//! partition-aware endpoint; STS error codes become named outcomes.

use std::time::SystemTime;

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::ExposeSecret;

use super::KEYS_PAGE;
use crate::check::Outcome;
use crate::credentials::Credentials;
use crate::env::Env;
use crate::net::{parse_endpoint, Request, Response, Session};
use crate::providers::common::settle;
use crate::providers::BoxFuture;
use crate::report::Status;

const NAME: &str = "AWS";
const BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";

pub(super) fn boxed<'a>(creds: &'a Credentials, s: &'a Session<'a>) -> BoxFuture<'a, Outcome> {
    Box::pin(async move { settle(run(creds, s).await) })
}

pub(crate) fn region(creds: &Credentials, env: &Env) -> String {
    creds
        .get("region")
        .or_else(|| env.first(&["AWS_REGION", "AWS_DEFAULT_REGION"]))
        .unwrap_or("us-east-1")
        .to_string()
}

/// The regional STS endpoint in the region's partition: `cn-*` regions live under
/// `amazonaws.com.cn`; GovCloud (`us-gov-west-1`, `us-gov-east-1`) and commercial regions
/// under `amazonaws.com`.
pub(crate) fn default_endpoint(region: &str) -> String {
    if region.starts_with("cn-") {
        format!("https://sts.{region}.amazonaws.com.cn")
    } else {
        format!("https://sts.{region}.amazonaws.com")
    }
}

async fn run(creds: &Credentials, s: &Session<'_>) -> Result<Outcome, Outcome> {
    let key_id = creds.get("access_key_id").unwrap_or_default();
    let secret = creds
        .secret("secret_access_key")
        .ok_or_else(|| Outcome::new(Status::NotConfigured, "No AWS secret access key is set."))?;
    let region = region(creds, s.env);
    let raw = creds
        .get("sts_endpoint")
        .or_else(|| s.env.first(&["AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"]))
        .map(str::to_string)
        .unwrap_or_else(|| default_endpoint(&region));
    let mut url = parse_endpoint(&raw, "AWS STS endpoint")?;
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
        return Err(failure(s, &resp, key_id, &region));
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

fn failure(s: &Session<'_>, resp: &Response, key_id: &str, region: &str) -> Outcome {
    let body = resp.text();
    let Some(code) = tag(&body, "Code") else {
        return s.generic_failure(resp);
    };
    let message = tag(&body, "Message").unwrap_or_default();
    let skew = clock_note(resp);
    let temporary = key_id.starts_with("ASIA");
    let clock = || {
        Outcome::fail(
            Status::ExpiredCredentials,
            format!("AWS rejected the request as expired or not yet valid: this computer's clock is wrong{skew}. AWS allows 5 minutes of difference."),
            "Set the system clock to synchronise automatically (NTP / 'Set time automatically'), then test again.",
        )
    };
    let outcome = match code.as_str() {
        "InvalidClientTokenId" | "InvalidAccessKeyId" | "UnrecognizedClientException" => {
            let (summary, hint) = if temporary {
                ("AWS does not recognise these temporary credentials: the key ID or session token is invalid.".to_string(),
                 "Get a fresh set of temporary credentials (aws sso login, or assume the role again) and paste all three values from the same set.".to_string())
            } else {
                ("AWS does not recognise this access key ID: it was deleted, deactivated or mistyped.".to_string(),
                 format!("Check the key is Active in IAM › Users › Security credentials ({KEYS_PAGE}) or create a new one. Keys from AWS China or GovCloud only work with a cn- or us-gov- region."))
            };
            Outcome::fail(Status::InvalidCredentials, summary, hint)
        }
        "SignatureDoesNotMatch" if message.contains("expired") || message.contains("not yet current") => clock(),
        "SignatureDoesNotMatch" => Outcome::fail(
            Status::InvalidCredentials,
            "The access key ID exists, but the secret access key does not match it.",
            "Paste the secret that was created together with this key ID (AWS shows it only once; create a new key if it is lost), and check no character was lost at either end.",
        ),
        "ExpiredToken" | "ExpiredTokenException" | "TokenRefreshRequired" => Outcome::fail(
            Status::ExpiredCredentials,
            "The session token has expired.",
            "Temporary credentials last from 15 minutes to 12 hours: get fresh ones (aws sso login, or assume the role again) and paste the key ID, secret and token together.",
        ),
        "RequestExpired" | "RequestTimeTooSkewed" => clock(),
        "Throttling" | "ThrottlingException" | "RequestLimitExceeded" | "TooManyRequestsException" => Outcome::fail(
            Status::RateLimited,
            "AWS STS is throttling requests from this account.",
            "Wait a minute and test again; another tool may be calling STS in a loop with the same account.",
        ),
        "AccessDenied" | "AccessDeniedException" => Outcome::fail(
            Status::PermissionDenied,
            "AWS accepted the key but denied sts:GetCallerIdentity, which only an explicit deny can block.",
            "An organisation SCP, permissions boundary or session policy denies it; ask your AWS administrator.",
        ),
        "RegionDisabledException" | "OptInRequired" => Outcome::fail(
            Status::PermissionDenied,
            format!("STS is not active in {region} for this account."),
            "Use another region (us-east-1 always works for commercial accounts), or activate the region in IAM › Account settings.",
        ),
        "InvalidAction" | "MissingAuthenticationToken" | "IncompleteSignature" | "MalformedQueryString" => Outcome::fail(
            Status::UnexpectedResponse,
            format!("The STS endpoint did not understand the request ({code})."),
            "Check the STS endpoint setting; a proxy or non-AWS service may be answering.",
        ),
        _ => {
            let mut o = s.generic_failure(resp);
            o.summary = format!("{} AWS says: {}", o.summary, message.trim_end_matches('.'));
            o
        }
    };
    outcome.code(code)
}

/// " (about N minutes behind/ahead of AWS)" from the response's Date header, if known.
fn clock_note(resp: &Response) -> String {
    match resp.clock_skew_secs() {
        Some(skew) if skew.abs() >= 60 => {
            let mins = skew.abs() / 60;
            let side = if skew > 0 { "behind" } else { "ahead of" };
            format!(" (about {mins} minutes {side} AWS)")
        }
        _ => String::new(),
    }
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
    fn endpoints_follow_the_partition() {
        assert_eq!(
            default_endpoint("eu-west-1"),
            "https://sts.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            default_endpoint("cn-north-1"),
            "https://sts.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            default_endpoint("us-gov-west-1"),
            "https://sts.us-gov-west-1.amazonaws.com"
        );
    }

    #[test]
    fn endpoint_precedence_is_field_then_env_then_region() {
        let env = Env::from_pairs([("AWS_REGION", "eu-central-1")]);
        let creds = Credentials::new(crate::ProviderId::Aws);
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
