//! The HuggingFace check: `/api/models?limit=1` decides (it accepts every valid token),
//! `/api/whoami-v2` in parallel only adds identity and never fails the check.

use secrecy::ExposeSecret;
use serde::Deserialize;

use super::identity::{identity, WhoAmI};
use super::{legacy_kind, DEFAULT_ENDPOINT, TOKENS_PAGE};
use crate::net::{join, Request, Response, Session};
use crate::providers::common::endpoint;
use crate::providers::common::SecretInput;
use crate::schema::Outcome;
use crate::schema::Status;

const NAME: &str = "HuggingFace";

pub(super) async fn run(input: &SecretInput<'_>, s: &Session<'_>) -> Result<Outcome, Outcome> {
    let (creds, token) = (input.creds, input.secret);
    let base = endpoint(
        creds,
        "endpoint",
        s.env,
        &["HF_ENDPOINT"],
        DEFAULT_ENDPOINT,
        "HuggingFace endpoint",
    )?;
    let mut models_url = join(&base, &["api", "models"]);
    models_url.set_query(Some("limit=1"));
    let models = Request::get(models_url)
        .public_query()
        .bearer(token, "token")?;
    let whoami = Request::get(join(&base, &["api", "whoami-v2"])).bearer(token, "token")?;

    let legacy = legacy_kind(token.expose_secret());
    let oauth = token.expose_secret().starts_with("hf_oauth_");
    let gate = s.fetch_json::<Vec<serde_json::Value>>(&models, |resp| {
        gate_failure(s, resp, legacy.is_some(), oauth)
    });
    let (gate, who) = tokio::join!(gate, s.send(&whoami));
    gate?;

    let who = match who {
        Ok(resp) if resp.is_success() => resp
            .json::<WhoAmI>(NAME)
            .map_err(|_| "whoami-v2 answered with a body cloudcreds could not read".to_string()),
        Ok(resp) => Err(format!(
            "whoami-v2 answered HTTP {} (it refuses some valid tokens)",
            resp.status
        )),
        Err(o) => Err(o.summary.trim_end_matches('.').to_string()),
    };
    let o = match who {
        Ok(who) => identity(who, time::OffsetDateTime::now_utc()),
        Err(reason) => Outcome::ok(format!(
            "Connected to HuggingFace; the token works. Identity unavailable: {reason}."
        )),
    };
    Ok(match legacy {
        Some(kind) => o
            .with("token format", format!("{kind} (deprecated)"))
            .add_hint(format!(
                "This is a legacy {kind} token, which HuggingFace deprecated; create an hf_ token at {TOKENS_PAGE} and replace it before it stops working."
            )),
        None => o,
    })
}

fn gate_failure(s: &Session<'_>, resp: &Response, legacy: bool, oauth: bool) -> Outcome {
    let error_code = resp.header("x-error-code").map(str::to_string);
    let message = resp
        .json::<ErrorBody>(NAME)
        .ok()
        .and_then(|b| b.error)
        .unwrap_or_default();
    let code = error_code
        .clone()
        .unwrap_or_else(|| format!("HTTP {}", resp.status));
    let gated =
        error_code.as_deref() == Some("GatedRepo") || message.to_lowercase().contains("gated");
    match resp.status {
        401 => Outcome::fail(
            Status::InvalidCredentials,
            "HuggingFace rejected the token (HTTP 401): it may have expired, or it is invalid, revoked or was pasted incompletely.",
            if oauth {
                "OAuth tokens last hours, not months: sign in to the app again to get a fresh one.".to_string()
            } else if legacy {
                format!("Legacy api_ tokens are deprecated: create an hf_ token at {TOKENS_PAGE} and paste it whole.")
            } else {
                format!("Create a new token at {TOKENS_PAGE} and paste it whole (it starts with hf_).")
            },
        )
        .code(code),
        403 if gated => Outcome::fail(
            Status::PermissionDenied,
            "The token works but the repository is gated: access has not been granted to this account.",
            "Open the model's page on huggingface.co, accept its conditions or request access, and wait for approval.",
        )
        .code(code),
        403 => Outcome::fail(
            Status::PermissionDenied,
            "HuggingFace accepted the token but refused access (HTTP 403): it lacks a permission.",
            format!("Edit the token at {TOKENS_PAGE}: a fine-grained token needs read access to public repositories (and 'Make calls to Inference Providers' for inference)."),
        )
        .code(code),
        429 => {
            let mut o = s.generic_failure(resp);
            o.hint = Some("HuggingFace limits requests per token and address; wait a few minutes and test again (a PRO or Enterprise plan has higher limits).".into());
            o.code(code)
        }
        _ => s.generic_failure(resp),
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Hub's 401, as huggingface_hub's `hf_raise_for_status` (utils/_http.py) sees it:
    /// the JSON `error` and the same text in `X-Error-Message`.
    fn unauthorized() -> Response {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            "x-error-message",
            "Invalid credentials in Authorization header"
                .parse()
                .unwrap(),
        );
        Response {
            headers,
            ..Response::canned(
                401,
                br#"{"error":"Invalid credentials in Authorization header"}"#.to_vec(),
                "huggingface.co",
            )
        }
    }

    #[test]
    fn a_401_says_the_token_may_have_expired() {
        let client = Err("unused".to_string());
        let env = crate::schema::Env::empty();
        let s = Session::new(&client, &env, NAME, std::time::Duration::from_secs(1));
        let o = gate_failure(&s, &unauthorized(), false, false);
        assert_eq!(o.status, Status::InvalidCredentials);
        assert!(o.summary.contains("may have expired"), "{o:?}");
        assert!(o.hint.as_deref().unwrap().contains("starts with hf_"));
        let o = gate_failure(&s, &unauthorized(), false, true);
        assert!(o
            .hint
            .as_deref()
            .unwrap()
            .contains("sign in to the app again"));
        let o = gate_failure(&s, &unauthorized(), true, false);
        assert!(o.hint.as_deref().unwrap().contains("Legacy api_ tokens"));
    }
}
