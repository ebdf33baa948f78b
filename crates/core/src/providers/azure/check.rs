//! The Azure check: a client-credentials token from `{authority}/{tenant}/oauth2/v2.0/token`
//! for `{arm}/.default`, then ARM `GET /subscriptions/{id}` (or the list). AADSTS and ARM
//! error codes become named outcomes.

use serde::Deserialize;

use super::cloud;
use super::errors::{arm_failure, token_failure, SignIn};
use crate::net::{join, Request, Response, Session};
use crate::providers::common::oauth_token;
use crate::providers::common::SecretInput;
use crate::schema::Outcome;
use crate::schema::Status;

const API_VERSION: &str = "api-version=2022-12-01";

pub(super) async fn run(input: &SecretInput<'_>, s: &Session<'_>) -> Result<Outcome, Outcome> {
    let creds = input.creds;
    let tenant = creds.get("tenant_id").unwrap_or_default();
    let client_id = creds.get("client_id").unwrap_or_default();
    let secret = input.secret;
    let endpoints = cloud::resolve(creds, s.env)?;
    let (authority, arm) = (&endpoints.authority, &endpoints.arm);
    let who = SignIn {
        tenant,
        client_id,
        cloud: endpoints.cloud,
    };
    let scope = endpoints.scope();
    let access = {
        use secrecy::ExposeSecret;
        let url = join(authority, &[tenant, "oauth2", "v2.0", "token"]);
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret.expose_secret()),
            ("scope", &scope),
        ];
        oauth_token(s, url, &form, |resp, err| token_failure(s, resp, err, &who)).await?
    };

    let subscription = creds.get("subscription_id");
    let path: Vec<&str> = match subscription {
        Some(id) => vec!["subscriptions", id],
        None => vec!["subscriptions"],
    };
    let mut url = join(arm, &path);
    url.set_query(Some(API_VERSION));
    let req = Request::get(url)
        .public_query()
        .bearer(&access, "access token")?;
    let refused = |resp: &Response| arm_failure(s, resp, &who, subscription);
    let base = |summary: String| {
        Outcome::ok(summary)
            .with("tenant", tenant)
            .with("app (client id)", client_id)
    };
    match subscription {
        Some(_) => {
            let sub: Subscription = s.fetch_json(&req, refused).await?;
            let mut o = base(format!(
                "Connected to Azure: subscription {} is {}.",
                sub.display_name, sub.state
            ))
            .with("subscription", sub.display_name.clone())
            .with("subscription id", sub.subscription_id.clone())
            .with("state", sub.state.clone());
            if sub.state != "Enabled" {
                o = o.hint(format!("The subscription is {}: check its billing in Cost Management + Billing before deploying.", sub.state));
            }
            Ok(o)
        }
        None => {
            let list: SubscriptionList = s.fetch_json(&req, refused).await?;
            if list.value.is_empty() {
                return Err(base("The app signed in, but it sees no subscription: no role is assigned to it.".into())
                    .hint_status(Status::PermissionDenied, format!(
                        "Assign it a role on a subscription, e.g. `az role assignment create --assignee {client_id} --role Reader --scope /subscriptions/<subscription-id>`, or in the portal: Subscription › Access control (IAM) › Add role assignment."
                    )));
            }
            let names: Vec<String> = list
                .value
                .iter()
                .map(|s| format!("{} ({})", s.display_name, s.state))
                .collect();
            Ok(base(format!(
                "Connected to Azure: the app sees {} subscription{}.",
                names.len(),
                if names.len() == 1 { "" } else { "s" }
            ))
            .with("subscriptions", names.join(", ")))
        }
    }
}

trait HintStatus {
    fn hint_status(self, status: Status, hint: String) -> Outcome;
}

impl HintStatus for Outcome {
    fn hint_status(mut self, status: Status, hint: String) -> Outcome {
        self.status = status;
        self.hint(hint)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Subscription {
    #[serde(default)]
    subscription_id: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    state: String,
}

#[derive(Deserialize)]
struct SubscriptionList {
    value: Vec<Subscription>,
}
