//! AWS STS `GetCallerIdentity` (Query protocol, POST form or GET query), with real SigV4
//! verification: the fake re-signs the received request with `aws-sigv4` using the secret
//! it knows and compares signatures in constant time.
//!
//! Sources for the bodies and codes:
//! - Success and `<ErrorResponse>` XML shapes, `InvalidClientTokenId`,
//!   `SignatureDoesNotMatch`, `ExpiredToken`, `IncompleteSignature`,
//!   `MissingAuthenticationToken`, `InvalidAction`, `Throttling`: the STS API reference
//!   (common errors) and the botocore Query-protocol error parsing.
//! - Clock skew: the real STS does NOT answer `RequestExpired`; it answers 403
//!   `SignatureDoesNotMatch` with "Signature expired: <x-amz-date> is now earlier than
//!   <now - window> (<now> - 15 min.)" (many AWS CLI reports of `GetCallerIdentity`). The
//!   fake uses that code, text and AWS's documented 15-minute window ("valid within 15
//!   minutes of the timestamp", IAM User Guide, "AWS Signature Version 4 for API
//!   requests"). A date too far ahead gets "Signature not yet current: ... is still later
//!   than ...".
//! - Region: each STS endpoint serves one region. `/aws` is the global endpoint
//!   (`sts.amazonaws.com`, which takes us-east-1 in the credential scope) and
//!   `/aws/<region>` the regional endpoint `sts.<region>.amazonaws.com`. A credential scoped
//!   to any other region gets 403 `SignatureDoesNotMatch` "Credential should be scoped to a
//!   valid region. " (the raw body quoted in namecheap/node-vault-client#25; Terraform
//!   reports the same text against a regional endpoint in
//!   hashicorp/terraform-provider-aws#34865).
//! - `AccessDenied`: GetCallerIdentity needs no permission and no IAM policy can deny it
//!   (STS API reference), so the fake only answers it at `/aws-denying-vpce`, an endpoint
//!   standing for an STS VPC endpoint whose policy allows nothing. The text follows the
//!   IAM User Guide's documented form "User: <arn> is not authorized to perform: <action>
//!   because no VPC endpoint policy allows the <action> action".
//! - Opt-in regions: the test account has enabled none, and exists in no other partition;
//!   at `/aws/<region>` for any region outside the 17 enabled by default, every key gets
//!   `InvalidClientTokenId`, as STS answers for a region the account has not enabled.
//! - Throttling: HTTP 400 with `<Code>Throttling</Code><Message>Rate exceeded</Message>`,
//!   as STS does (Query-protocol services throttle with 400); the fake adds `Retry-After`,
//!   which real STS does not send.
//! - Exact texts of `IncompleteSignature`, the scope checks and 5xx bodies: best guesses
//!   modelled on observed AWS messages.

use crate::aws_sig::{
    check_clock, check_scope, expected_signature, parse_amz_date, parse_authorization,
};
use crate::faults::Target;
use crate::ids::guid;
use crate::registry::FakeProvider;
use crate::server::ConnCtl;
use crate::state::{form, raw, secret_eq, ProviderFault, Shared};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::any;
use axum::{Extension, Router};

const XMLNS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
/// The region `/aws` (the global endpoint) takes in the credential scope.
const GLOBAL_REGION: &str = "us-east-1";
/// Regions launched before 20 March 2019, enabled for every account ("Enable or disable
/// AWS Regions in your account", AWS Account Management reference). All others are opt-in.
const ENABLED_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-north-1",
    "sa-east-1",
];

pub(crate) const FAKE: FakeProvider = FakeProvider {
    name: "aws",
    mounts: &[("", routes)],
    env: |base| vec![("AWS_ENDPOINT_URL_STS", format!("{base}/aws"))],
};

fn routes() -> Router<Shared> {
    Router::new()
        .route("/aws", any(global_sts))
        .route("/aws/", any(global_sts))
        .route("/aws-denying-vpce", any(denying_vpce_sts))
        .route("/aws-denying-vpce/", any(denying_vpce_sts))
        .route("/aws/{region}", any(regional_sts))
        .route("/aws/{region}/", any(regional_sts))
}

/// An error as STS reports it.
pub(crate) struct StsError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

pub(crate) fn sender(code: &'static str, message: impl Into<String>) -> StsError {
    StsError {
        status: StatusCode::FORBIDDEN,
        code,
        message: message.into(),
    }
}

fn invalid_token() -> StsError {
    sender(
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
    )
}

async fn global_sts(
    state: State<Shared>,
    conn: Extension<ConnCtl>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let at = Endpoint {
        region: GLOBAL_REGION,
        denies_all: false,
    };
    sts(state, conn, at, method, uri, headers, body).await
}

async fn denying_vpce_sts(
    state: State<Shared>,
    conn: Extension<ConnCtl>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let at = Endpoint {
        region: GLOBAL_REGION,
        denies_all: true,
    };
    sts(state, conn, at, method, uri, headers, body).await
}

async fn regional_sts(
    state: State<Shared>,
    conn: Extension<ConnCtl>,
    Path(region): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let at = Endpoint {
        region: &region,
        denies_all: false,
    };
    sts(state, conn, at, method, uri, headers, body).await
}

/// The STS endpoint a request arrived at.
#[derive(Clone, Copy)]
struct Endpoint<'a> {
    /// The only region it accepts in the credential scope.
    region: &'a str,
    /// A VPC endpoint whose policy allows nothing.
    denies_all: bool,
}

async fn sts(
    State(s): State<Shared>,
    Extension(conn): Extension<ConnCtl>,
    at: Endpoint<'_>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = s.gate(Target::AwsSts, &conn, fault_response).await {
        return r;
    }
    if method != Method::POST && method != Method::GET {
        return error_response(&StsError {
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: "InvalidAction",
            message: format!("Unsupported method {method}"),
        });
    }
    match handle(&s, at, &method, &uri, &headers, &body) {
        Ok(xml) => xml_response(StatusCode::OK, xml),
        Err(e) => error_response(&e),
    }
}

/// Who a key id belongs to.
enum Principal<'a> {
    User {
        secret: &'a str,
    },
    Session {
        secret: &'a str,
        token: &'a str,
        expired: bool,
    },
}

fn principal<'a>(s: &'a Shared, key_id: &str) -> Option<Principal<'a>> {
    let c = &s.creds;
    if key_id == c.aws_access_key_id {
        Some(Principal::User {
            secret: &c.aws_secret_access_key,
        })
    } else if key_id == c.aws_temp_access_key_id {
        Some(Principal::Session {
            secret: &c.aws_temp_secret_access_key,
            token: &c.aws_session_token,
            expired: false,
        })
    } else if key_id == c.aws_expired_access_key_id {
        Some(Principal::Session {
            secret: &c.aws_expired_secret_access_key,
            token: &c.aws_expired_session_token,
            expired: true,
        })
    } else {
        None
    }
}

fn handle(
    s: &Shared,
    at: Endpoint<'_>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<String, StsError> {
    let Some(authorization) = headers.get(header::AUTHORIZATION) else {
        return Err(sender(
            "MissingAuthenticationToken",
            "Request is missing Authentication Token",
        ));
    };
    let authorization = authorization.to_str().map_err(|_| {
        sender(
            "IncompleteSignature",
            "Authorization header is not valid ASCII",
        )
    })?;
    let auth = parse_authorization(authorization)?;

    let amz_date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(request_time) = parse_amz_date(amz_date) else {
        return Err(sender(
            "IncompleteSignature",
            format!("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={authorization}"),
        ));
    };

    check_scope(&auth, amz_date, at.region)?;
    if !ENABLED_REGIONS.contains(&at.region) {
        return Err(invalid_token());
    }
    let principal = principal(s, &auth.key_id).ok_or_else(invalid_token)?;
    check_clock(s.now(), request_time)?;

    let sent_token = headers
        .get("x-amz-security-token")
        .and_then(|v| v.to_str().ok());
    let secret = match (&principal, sent_token) {
        (Principal::User { secret }, None) => *secret,
        (
            Principal::Session {
                secret,
                token,
                expired,
            },
            Some(sent),
        ) if secret_eq(sent, token) => {
            if *expired {
                return Err(sender(
                    "ExpiredToken",
                    "The security token included in the request is expired",
                ));
            }
            *secret
        }
        _ => return Err(invalid_token()),
    };

    let expected = expected_signature(method, uri, headers, body, &auth, secret, request_time);
    if !expected.is_some_and(|e| secret_eq(&e, &auth.signature)) {
        return Err(sender(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        ));
    }

    let mut params = form(uri.query().unwrap_or("").as_bytes());
    if method == Method::POST {
        params.extend(form(body));
    }
    let action = params.get("Action").map(String::as_str).unwrap_or("");
    let version = params.get("Version").map(String::as_str).unwrap_or("");
    if action.is_empty() {
        return Err(StsError {
            status: StatusCode::BAD_REQUEST,
            code: "MissingAction",
            message: "Missing Action".into(),
        });
    }
    if action != "GetCallerIdentity" || version != "2011-06-15" {
        return Err(StsError {
            status: StatusCode::BAD_REQUEST,
            code: "InvalidAction",
            message: format!("Could not find operation {action} for version {version}"),
        });
    }
    let c = &s.creds;
    let (arn, user_id) = match principal {
        Principal::User { .. } => (&c.aws_user_arn, &c.aws_user_id),
        Principal::Session { .. } => (&c.aws_assumed_role_arn, &c.aws_role_user_id),
    };
    if at.denies_all {
        return Err(sender(
            "AccessDenied",
            format!("User: {arn} is not authorized to perform: sts:GetCallerIdentity because no VPC endpoint policy allows the sts:GetCallerIdentity action"),
        ));
    }
    Ok(format!(
        "<GetCallerIdentityResponse xmlns=\"{XMLNS}\">\n  <GetCallerIdentityResult>\n    <Arn>{}</Arn>\n    <UserId>{}</UserId>\n    <Account>{}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>{}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n",
        escape(arn),
        escape(user_id),
        escape(&c.aws_account_id),
        guid()
    ))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn xml_response(status: StatusCode, xml: String) -> Response {
    let mut r = raw(status, "text/xml", xml);
    if let Ok(id) = HeaderValue::from_str(&guid()) {
        r.headers_mut().insert("x-amzn-requestid", id);
    }
    r
}

fn error_xml(kind: &str, code: &str, message: &str) -> String {
    format!(
        "<ErrorResponse xmlns=\"{XMLNS}\">\n  <Error>\n    <Type>{kind}</Type>\n    <Code>{code}</Code>\n    <Message>{}</Message>\n  </Error>\n  <RequestId>{}</RequestId>\n</ErrorResponse>\n",
        escape(message),
        guid()
    )
}

fn error_response(e: &StsError) -> Response {
    let kind = if e.status.is_server_error() {
        "Receiver"
    } else {
        "Sender"
    };
    xml_response(e.status, error_xml(kind, e.code, &e.message))
}

pub(crate) fn fault_response(_target: Target, fault: &ProviderFault) -> Response {
    match fault {
        ProviderFault::TooManyRequests => error_response(&StsError {
            status: StatusCode::BAD_REQUEST,
            code: "Throttling",
            message: "Rate exceeded".into(),
        }),
        ProviderFault::ServerError(status) => {
            let (code, message) = if *status == StatusCode::SERVICE_UNAVAILABLE {
                ("ServiceUnavailable", "Service is unable to handle request.")
            } else {
                ("InternalFailure", "An internal error occurred. Try again.")
            };
            error_response(&StsError { status: *status, code, message: message.into() })
        }
        ProviderFault::MalformedBody => xml_response(
            StatusCode::OK,
            format!("<GetCallerIdentityResponse xmlns=\"{XMLNS}\">\n  <GetCallerIdentityResult>\n    <Arn>arn:aws:iam::"),
        ),
    }
}
