//! What `/api/whoami-v2` tells about a working token: the account, the token's kind and
//! role, its expiry, and whether it may call Inference Providers.
//!
//! Shapes: huggingface.js `packages/hub/src/lib/who-am-i.ts` (`AuthInfo`: `type`,
//! `accessToken.displayName`/`role`/`expiration`, `permissions`, `expiresAt`) and
//! `packages/hub/src/types/public.ts` (`AccessTokenRole = admin | write | contributor |
//! read`). `fineGrained` and OAuth's `{"type": "oauth", "expiresAt": …}` without an
//! `accessToken` are observed, not documented (see tests/fake-clouds/src/hf.rs).

use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::TOKENS_PAGE;
use crate::providers::common::Expiry;
use crate::schema::Outcome;

/// The fine-grained permission "Make calls to Inference Providers".
const INFERENCE_SCOPE: &str = "inference.serverless.write";
/// The OAuth scope that lets an app's token call Inference Providers
/// (huggingface.co/docs/hub/oauth, "Currently supported scopes").
const OAUTH_INFERENCE_SCOPE: &str = "inference-api";

pub(super) fn identity(who: WhoAmI, now: OffsetDateTime) -> Outcome {
    let auth = who.auth.unwrap_or_default();
    let oauth = auth.kind.as_deref() == Some("oauth");
    let token = auth.access_token;
    let role = token
        .as_ref()
        .and_then(|t| t.role.clone())
        .unwrap_or_default();
    let fine = token.as_ref().and_then(|t| t.fine_grained.as_ref());
    let mut o = Outcome::ok(format!("Connected to HuggingFace as {}.", who.name))
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
    if oauth {
        o.push("token type", "OAuth (issued to an app you signed in to)");
    }
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
    if !auth.permissions.is_empty() {
        o.push("permissions", auth.permissions.join(", "));
    }
    let expires = token
        .as_ref()
        .and_then(|t| t.expiration.as_deref())
        .or(auth.expires_at.as_deref());
    if let Some(raw) = expires {
        o = expiry(o, raw, now, oauth);
    }
    inference(o, &role, fine, oauth, &auth.permissions)
}

/// Shows when the token expires, and warns when that is within a week.
fn expiry(mut o: Outcome, raw: &str, now: OffsetDateTime, oauth: bool) -> Outcome {
    let Ok(at) = OffsetDateTime::parse(raw, &Rfc3339) else {
        o.push("expires", raw.to_string());
        return o;
    };
    let e = Expiry::at(at, now);
    let (when, relative) = (&e.when, &e.relative);
    o.push("expires", e.shown());
    if e.soon {
        let warning = match (oauth, e.passed) {
            (true, _) => format!("This OAuth token expires on {when}; after that, sign in to the app again (or let it refresh the token)."),
            (false, true) => format!("This token's expiry date ({when}) has passed by this computer's clock; create a new one at {TOKENS_PAGE}."),
            (false, false) => format!("This token expires in {relative} (on {when}); create a new one at {TOKENS_PAGE} and replace it before then."),
        };
        o = o.add_hint(warning);
    }
    o
}

/// The verdict on Inference Providers, for every token kind whoami-v2 reports.
fn inference(
    mut o: Outcome,
    role: &str,
    fine: Option<&FineGrained>,
    oauth: bool,
    permissions: &[String],
) -> Outcome {
    let verdict = if oauth {
        // whoami-v2 lists no scopes for OAuth tokens; `permissions`, where present, is read.
        if permissions.iter().any(|p| p == OAUTH_INFERENCE_SCOPE) {
            Some(true)
        } else {
            o.push("inference providers", format!("unknown: HuggingFace does not say which scopes an OAuth token has; it can call Inference Providers only if the app asked for the '{OAUTH_INFERENCE_SCOPE}' scope"));
            return o.add_hint(format!("If calls to Inference Providers answer 403, the app that signed you in must request the '{OAUTH_INFERENCE_SCOPE}' scope: sign out of it and sign in again once it does."));
        }
    } else {
        match role {
            // Classic roles, from the narrowest (read) up: each can call Inference Providers.
            "read" | "write" | "contributor" | "admin" => Some(true),
            // Seen in the global list and in the user's own scoped entry.
            "fineGrained" => Some(fine.is_some_and(|f| {
                f.global.iter().any(|p| p == INFERENCE_SCOPE)
                    || f.scoped.iter().any(|s| {
                        s.entity.kind == "user"
                            && s.permissions.iter().any(|p| p == INFERENCE_SCOPE)
                    })
            })),
            _ => None,
        }
    };
    match verdict {
        Some(true) => o.push(
            "inference providers",
            "yes: this token can call Inference Providers",
        ),
        Some(false) => {
            o.push(
                "inference providers",
                "no: the fine-grained token lacks 'Make calls to Inference Providers'",
            );
            o = o.add_hint(format!("To use Inference Providers, edit this token at {TOKENS_PAGE} and tick 'Make calls to Inference Providers' ({INFERENCE_SCOPE})."));
        }
        None => {}
    }
    o
}

#[derive(Deserialize)]
pub(super) struct WhoAmI {
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

#[derive(Deserialize, Default)]
struct Auth {
    /// `access_token`, `oauth`, `app_token`, `app_token_as_user`.
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(rename = "accessToken", default)]
    access_token: Option<AccessToken>,
    #[serde(default)]
    permissions: Vec<String>,
    #[serde(rename = "expiresAt", default)]
    expires_at: Option<String>,
}

#[derive(Deserialize)]
struct AccessToken {
    #[serde(rename = "displayName", default)]
    display_name: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    expiration: Option<String>,
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

#[cfg(test)]
#[path = "identity_tests.rs"]
mod tests;
