//! The HuggingFace check: `/api/models?limit=1` decides (it accepts every valid token),
//! `/api/whoami-v2` in parallel only adds identity and never fails the check.

use serde::Deserialize;

use super::{DEFAULT_ENDPOINT, TOKENS_PAGE};
use crate::check::Outcome;
use crate::credentials::Credentials;
use crate::net::{join, Request, Response, Session};
use crate::providers::common::{endpoint, settle};
use crate::providers::BoxFuture;
use crate::report::Status;

const NAME: &str = "HuggingFace";
const INFERENCE_SCOPE: &str = "inference.serverless.write";

pub(super) fn boxed<'a>(creds: &'a Credentials, s: &'a Session<'a>) -> BoxFuture<'a, Outcome> {
    Box::pin(async move { settle(run(creds, s).await) })
}

async fn run(creds: &Credentials, s: &Session<'_>) -> Result<Outcome, Outcome> {
    let token = creds
        .secret("token")
        .ok_or_else(|| Outcome::new(Status::NotConfigured, "No HuggingFace token is set."))?;
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

    let (gate, who) = tokio::join!(s.send(&models), s.send(&whoami));
    let gate = gate?;
    if !gate.is_success() {
        return Err(gate_failure(s, &gate));
    }
    let _: Vec<serde_json::Value> = gate.json(NAME)?;

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
    Ok(match who {
        Ok(who) => identity(who),
        Err(reason) => Outcome::ok(format!(
            "Connected to HuggingFace; the token works. Identity unavailable: {reason}."
        )),
    })
}

fn gate_failure(s: &Session<'_>, resp: &Response) -> Outcome {
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
            "HuggingFace rejected the token (HTTP 401): it is invalid, revoked or was pasted incompletely.",
            format!("Create a new token at {TOKENS_PAGE} and paste it whole (it starts with hf_)."),
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

fn identity(who: WhoAmI) -> Outcome {
    let token = who.auth.and_then(|a| a.access_token);
    let role = token
        .as_ref()
        .and_then(|t| t.role.clone())
        .unwrap_or_default();
    let fine = token.as_ref().and_then(|t| t.fine_grained.as_ref());
    let can_infer = match role.as_str() {
        "read" | "write" => Some(true),
        // Seen in the global list and in the user's own scoped entry.
        "fineGrained" => Some(fine.is_some_and(|f| {
            f.global.iter().any(|p| p == INFERENCE_SCOPE)
                || f.scoped.iter().any(|s| {
                    s.entity.kind == "user" && s.permissions.iter().any(|p| p == INFERENCE_SCOPE)
                })
        })),
        _ => None,
    };
    let summary = format!("Connected to HuggingFace as {}.", who.name);
    let mut o = Outcome::ok(summary)
        .with("user", who.name.clone())
        .with("full name", who.fullname.unwrap_or_default())
        .with("type", who.kind.unwrap_or_default())
        .with(
            "orgs",
            who.orgs
                .iter()
                .map(|o| o.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        );
    if let Some(t) = &token {
        o.push("token name", t.display_name.clone().unwrap_or_default());
    }
    o.push("token role", role.clone());
    if let Some(f) = fine {
        o.push("scopes", f.global.join(", "));
        for s in &f.scoped {
            o.push(
                &format!("scopes on {} {}", s.entity.kind, s.entity.name),
                s.permissions.join(", "),
            );
        }
    }
    match can_infer {
        Some(true) => o.push(
            "inference providers",
            "yes: this token can call Inference Providers",
        ),
        Some(false) => {
            o.push(
                "inference providers",
                "no: the fine-grained token lacks 'Make calls to Inference Providers'",
            );
            o = o.hint(format!("To use Inference Providers, edit this token at {TOKENS_PAGE} and tick 'Make calls to Inference Providers' ({INFERENCE_SCOPE})."));
        }
        None => {}
    }
    o
}

#[derive(Deserialize)]
struct ErrorBody {
    error: Option<String>,
}

#[derive(Deserialize)]
struct WhoAmI {
    name: String,
    #[serde(default)]
    fullname: Option<String>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    orgs: Vec<Org>,
    #[serde(default)]
    auth: Option<Auth>,
}

#[derive(Deserialize)]
struct Org {
    name: String,
}

#[derive(Deserialize)]
struct Auth {
    #[serde(rename = "accessToken", default)]
    access_token: Option<AccessToken>,
}

#[derive(Deserialize)]
struct AccessToken {
    #[serde(rename = "displayName", default)]
    display_name: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(rename = "fineGrained", default)]
    fine_grained: Option<FineGrained>,
}

#[derive(Deserialize)]
struct FineGrained {
    #[serde(default)]
    global: Vec<String>,
    #[serde(default)]
    scoped: Vec<Scoped>,
}

#[derive(Deserialize)]
struct Scoped {
    entity: Entity,
    #[serde(default)]
    permissions: Vec<String>,
}

#[derive(Deserialize)]
struct Entity {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    name: String,
}
