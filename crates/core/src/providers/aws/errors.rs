//! What an STS error answer means for the user: the `<Code>` (and, where the code alone is
//! ambiguous, the `<Message>`) mapped to a status, a sentence and a hint. Every body read
//! here is listed with its source in docs/error-bodies.md (## AWS).

use super::check::tag;
use super::partitions;
use super::KEYS_PAGE;
use crate::net::{Response, Session};
use crate::schema::Outcome;
use crate::schema::Status;

/// AWS accepts a signature dated up to 15 minutes from its own clock: "The signed portions
/// of requests are valid within 15 minutes of the timestamp in the request" (IAM User
/// Guide, "AWS Signature Version 4 for API requests",
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html); STS's own
/// refusal reads "Signature expired: … (<now> - 15 min.)".
pub(crate) const SKEW_WINDOW_MINUTES: i64 = super::CLOCK_WINDOW.minutes;

/// Where the request went and how it was signed, for naming what disagrees.
pub(super) struct Sent<'a> {
    pub key_id: &'a str,
    /// The region the request was signed for.
    pub region: &'a str,
    /// The region setting (field or AWS_REGION), which the endpoint's name may override.
    pub configured_region: &'a str,
    pub host: &'a str,
    /// Which setting the endpoint came from, if it was not the default.
    pub endpoint_setting: Option<&'a str>,
}

pub(super) fn failure(s: &Session<'_>, resp: &Response, sent: &Sent<'_>) -> Outcome {
    let body = resp.text();
    let Some(code) = tag(&body, "Code") else {
        return s.generic_failure(resp);
    };
    let message = tag(&body, "Message").unwrap_or_default();
    let outcome = match code.as_str() {
        "InvalidClientTokenId" | "InvalidAccessKeyId" | "UnrecognizedClientException" => {
            unknown_key(sent)
        }
        "SignatureDoesNotMatch"
            if message.contains("Signature expired") || message.contains("not yet current") =>
        {
            clock(resp)
        }
        "SignatureDoesNotMatch" if message.contains("scoped to a valid region") => {
            region_mismatch(sent, &message)
        }
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
        "RequestExpired" | "RequestTimeTooSkewed" => clock(resp),
        "Throttling" | "ThrottlingException" | "RequestLimitExceeded" | "TooManyRequestsException" => Outcome::fail(
            Status::RateLimited,
            "AWS STS is throttling requests from this account.",
            "Wait a minute and test again; another tool may be calling STS in a loop with the same account.",
        ),
        "AccessDenied" | "AccessDeniedException" => Outcome::fail(
            Status::PermissionDenied,
            format!(
                "AWS answered AccessDenied to GetCallerIdentity, which no IAM policy can deny (the STS API reference says an explicit deny does not stop it), so something outside IAM refused: {}.",
                message.trim_end_matches('.')
            ),
            "Most often a VPC endpoint policy or a proxy in front of STS, or an account that AWS has suspended or closed. Test against the public endpoint (clear the STS endpoint setting) with a default region such as us-east-1, and ask your AWS administrator about the account's state.",
        ),
        "RegionDisabledException" | "OptInRequired" => Outcome::fail(
            Status::PermissionDenied,
            format!("STS is not active in {} for this account.", sent.region),
            "Use a default region such as us-east-1, or have an administrator activate STS for this region (IAM › Account settings) or enable the region (Account › AWS Regions).",
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

fn unknown_key(sent: &Sent<'_>) -> Outcome {
    let region = sent.region;
    if partitions::is_opt_in(region) {
        // Keys and v1 session tokens are only valid in opt-in regions the account enabled;
        // elsewhere STS answers as if the key did not exist.
        return Outcome::fail(
            Status::InvalidCredentials,
            format!("AWS does not recognise these credentials in {region}, an opt-in region that may not be enabled for this account."),
            format!("Test the same key against a default region such as us-east-1: if it works there, enable {region} for the account (Account › AWS Regions) or keep using a default region. If it fails there too, the key itself is wrong."),
        );
    }
    let partition = partitions::partition_of(region).map_or("aws", |p| p.id);
    if sent.key_id.starts_with("ASIA") {
        Outcome::fail(
            Status::InvalidCredentials,
            "AWS does not recognise these temporary credentials: the key ID or session token is invalid.",
            "Get a fresh set of temporary credentials (aws sso login, or assume the role again) and paste all three values from the same set.",
        )
    } else {
        Outcome::fail(
            Status::InvalidCredentials,
            "AWS does not recognise this access key ID: it was deleted, deactivated or mistyped.",
            format!("Check the key is Active in IAM › Users › Security credentials ({KEYS_PAGE}) or create a new one. A key only works in its own partition ({region} is in {partition}): keys from AWS China, GovCloud or the European Sovereign Cloud need a region of that partition."),
        )
    }
}

/// STS refused the credential scope's region: the request was signed for one region and
/// sent to an endpoint that serves another (403 SignatureDoesNotMatch, "Credential should
/// be scoped to a valid region." — older endpoints add "not '<region>'").
fn region_mismatch(sent: &Sent<'_>, message: &str) -> Outcome {
    let region = sent.region;
    let host = sent.host;
    let from_host = if region != sent.configured_region {
        format!(
            " (taken from the endpoint's name; the region setting says {})",
            sent.configured_region
        )
    } else {
        String::new()
    };
    let refused = message
        .split_once("not '")
        .and_then(|(_, rest)| rest.split_once('\''))
        .map(|(r, _)| r)
        .filter(|r| *r != region)
        .map(|r| format!(" STS named '{r}' as the region it refused."))
        .unwrap_or_default();
    let setting = sent.endpoint_setting.unwrap_or("the STS endpoint");
    Outcome::fail(
        Status::InvalidInput,
        format!("The signing region and the STS endpoint disagree: the request was signed for {region}{from_host}, but {host} serves a different region and refused it.{refused} The key itself was not judged."),
        format!("Set the region to the one {host} serves, or clear {setting} so cloudcreds asks {}.", partitions::sts_endpoint(region)),
    )
}

fn clock(resp: &Response) -> Outcome {
    Outcome::fail(
        Status::ExpiredCredentials,
        format!("AWS rejected the request as expired or not yet valid: this computer's clock is wrong{}. AWS allows {SKEW_WINDOW_MINUTES} minutes of difference.", clock_note(resp)),
        "Set the system clock to synchronise automatically (NTP / 'Set time automatically'), then test again.",
    )
}

/// " (about N minutes behind/ahead of AWS)" from the exchange's measured clock offset
/// (`net::clock`), if known.
fn clock_note(resp: &Response) -> String {
    match resp.clock_offset_ms {
        Some(offset) if offset.abs() >= 60_000 => {
            let mins = (offset.abs() + 30_000) / 60_000;
            let side = if offset < 0 { "behind" } else { "ahead of" };
            format!(" (about {mins} minutes {side} AWS)")
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::schema::Env;

    /// `body` as STS sends it: `<ErrorResponse>` with `Type`, `Code`, `Message`.
    fn sts_error(status: u16, code: &str, message: &str) -> Response {
        let body = format!("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>Sender</Type>\n    <Code>{code}</Code>\n    <Message>{message}</Message>\n  </Error>\n  <RequestId>f16ffea6-1579-440e-aed9-f5f18c361a85</RequestId>\n</ErrorResponse>\n");
        Response::canned(status, body.into_bytes(), "sts.us-east-1.amazonaws.com")
    }

    fn read(resp: &Response, region: &str, configured: &str, host: &str) -> Outcome {
        let client = Err("no client in unit tests".to_string());
        let env = Env::empty();
        let s = Session::new(&client, &env, "AWS", Duration::from_secs(1));
        let sent = Sent {
            key_id: "AKIAIOSFODNN7EXAMPLE",
            region,
            configured_region: configured,
            host,
            endpoint_setting: Some("AWS_ENDPOINT_URL_STS"),
        };
        failure(&s, resp, &sent)
    }

    #[test]
    fn a_scope_region_refusal_names_the_mismatch_not_the_secret() {
        // The body real STS sends (hashicorp/terraform-provider-aws#34865, the raw XML in
        // namecheap/node-vault-client#25), and the older form with the region quoted.
        for message in [
            "Credential should be scoped to a valid region. ",
            "Credential should be scoped to a valid region, not 'eu-west-1'. ",
        ] {
            let o = read(
                &sts_error(403, "SignatureDoesNotMatch", message),
                "eu-west-1",
                "eu-west-1",
                "vpce.corp.example",
            );
            assert_eq!(o.status, Status::InvalidInput, "{o:?}");
            assert!(
                o.summary
                    .contains("signing region and the STS endpoint disagree"),
                "{o:?}"
            );
            assert!(o.summary.contains("eu-west-1") && o.summary.contains("vpce.corp.example"));
            assert!(!o.summary.contains("secret"), "{o:?}");
            let hint = o.hint.unwrap();
            assert!(hint.contains("AWS_ENDPOINT_URL_STS"), "{hint}");
            assert!(
                hint.contains("https://sts.eu-west-1.amazonaws.com"),
                "{hint}"
            );
        }
        let o = read(
            &sts_error(
                403,
                "SignatureDoesNotMatch",
                "Credential should be scoped to a valid region. ",
            ),
            "us-east-1",
            "eu-west-1",
            "sts.us-east-1.amazonaws.com",
        );
        assert!(
            o.summary.contains("us-east-1") && o.summary.contains("eu-west-1"),
            "{o:?}"
        );
    }

    #[test]
    fn an_unknown_key_in_an_opt_in_region_points_at_the_region() {
        let body = sts_error(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        );
        for region in ["ap-east-1", "eu-south-1"] {
            let o = read(
                &body,
                region,
                region,
                &format!("sts.{region}.amazonaws.com"),
            );
            assert_eq!(o.status, Status::InvalidCredentials);
            assert_eq!(o.provider_code.as_deref(), Some("InvalidClientTokenId"));
            assert!(o.summary.contains("not be enabled"), "{o:?}");
            assert!(o.hint.as_deref().unwrap().contains("us-east-1"), "{o:?}");
        }
        let o = read(
            &body,
            "eu-west-1",
            "eu-west-1",
            "sts.eu-west-1.amazonaws.com",
        );
        assert!(
            o.summary.contains("deleted, deactivated or mistyped"),
            "{o:?}"
        );
    }

    #[test]
    fn clock_refusals_state_the_fifteen_minute_window() {
        for message in [
            "Signature expired: 20260101T000000Z is now earlier than 20260101T004500Z (20260101T010000Z - 15 min.)",
            "Signature not yet current: 20260101T020000Z is still later than 20260101T011500Z (20260101T010000Z + 15 min.)",
        ] {
            let o = read(&sts_error(403, "SignatureDoesNotMatch", message), "us-east-1", "us-east-1", "sts.us-east-1.amazonaws.com");
            assert_eq!(o.status, Status::ExpiredCredentials);
            assert!(o.summary.contains("15 minutes"), "{o:?}");
        }
    }

    #[test]
    fn a_wrong_secret_is_still_named_as_such() {
        let o = read(
            &sts_error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."),
            "us-east-1", "us-east-1", "sts.us-east-1.amazonaws.com",
        );
        assert_eq!(o.status, Status::InvalidCredentials);
        assert!(o.summary.contains("secret access key"));
    }

    #[test]
    fn access_denied_is_not_blamed_on_an_iam_policy() {
        let o = read(
            &sts_error(403, "AccessDenied", "User: arn:aws:iam::123456789012:user/x is not authorized to perform: sts:GetCallerIdentity"),
            "us-east-1", "us-east-1", "sts.us-east-1.amazonaws.com",
        );
        assert_eq!(o.status, Status::PermissionDenied);
        assert!(o.summary.contains("no IAM policy can deny"), "{o:?}");
        let hint = o.hint.unwrap();
        assert!(
            hint.contains("VPC endpoint policy") && !hint.contains("SCP"),
            "{hint}"
        );
    }

    #[test]
    fn throttling_arrives_as_http_400() {
        let o = read(
            &sts_error(400, "Throttling", "Rate exceeded"),
            "us-east-1",
            "us-east-1",
            "sts.us-east-1.amazonaws.com",
        );
        assert_eq!(o.status, Status::RateLimited);
        assert_eq!(o.provider_code.as_deref(), Some("Throttling"));
    }
}
