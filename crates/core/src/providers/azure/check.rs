//! The Azure check: a client-credentials token from `{authority}/{tenant}/oauth2/v2.0/token`
//! for `{arm}/.default`, then ARM `GET /subscriptions/{id}` (or the list). AADSTS and ARM
//! error codes become named outcomes.

use secrecy::SecretString;
use serde::Deserialize;

use super::{cloud_hosts, APPS_PAGE};
use crate::check::Outcome;
use crate::credentials::Credentials;
use crate::net::{join, Request, Response, Session};
use crate::providers::common::{endpoint, settle};
use crate::providers::BoxFuture;
use crate::report::Status;

const NAME: &str = "Azure";
const API_VERSION: &str = "api-version=2022-12-01";

pub(super) fn boxed<'a>(creds: &'a Credentials, s: &'a Session<'a>) -> BoxFuture<'a, Outcome> {
    Box::pin(async move { settle(run(creds, s).await) })
}

async fn run(creds: &Credentials, s: &Session<'_>) -> Result<Outcome, Outcome> {
    let tenant = creds.get("tenant_id").unwrap_or_default();
    let client_id = creds.get("client_id").unwrap_or_default();
    let secret = creds
        .secret("client_secret")
        .ok_or_else(|| Outcome::new(Status::NotConfigured, "No Azure client secret is set."))?;
    let cloud = creds.get("cloud").unwrap_or("public");
    let (default_authority, default_arm) = cloud_hosts(cloud).unwrap_or_default();
    let authority = endpoint(
        creds,
        "authority_host",
        s.env,
        &["AZURE_AUTHORITY_HOST"],
        default_authority,
        "Azure authority host",
    )?;
    let arm = endpoint(
        creds,
        "arm_endpoint",
        s.env,
        &["CLOUDCREDS_AZURE_ARM_ENDPOINT"],
        default_arm,
        "Azure Resource Manager endpoint",
    )?;

    let scope = format!("{}/.default", arm.as_str().trim_end_matches('/'));
    let token_req = {
        use secrecy::ExposeSecret;
        Request::post(join(&authority, &[tenant, "oauth2", "v2.0", "token"])).form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client_id),
            ("client_secret", secret.expose_secret()),
            ("scope", &scope),
        ])
    };
    let resp = s.send(&token_req).await?;
    if !resp.is_success() {
        return Err(token_failure(s, &resp, tenant, client_id, cloud));
    }
    let token: TokenBody = resp.json(NAME)?;
    let access = SecretString::from(token.access_token);

    let subscription = creds.get("subscription_id");
    let path: Vec<&str> = match subscription {
        Some(id) => vec!["subscriptions", id],
        None => vec!["subscriptions"],
    };
    let mut url = join(&arm, &path);
    url.set_query(Some(API_VERSION));
    let req = Request::get(url)
        .public_query()
        .bearer(&access, "access token")?;
    let resp = s.send(&req).await?;
    if !resp.is_success() {
        return Err(arm_failure(s, &resp, client_id, subscription));
    }
    let base = |summary: String| {
        Outcome::ok(summary)
            .with("tenant", tenant)
            .with("app (client id)", client_id)
    };
    match subscription {
        Some(_) => {
            let sub: Subscription = resp.json(NAME)?;
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
            let list: SubscriptionList = resp.json(NAME)?;
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

fn token_failure(
    s: &Session<'_>,
    resp: &Response,
    tenant: &str,
    client_id: &str,
    cloud: &str,
) -> Outcome {
    let Ok(err) = resp.json::<TokenError>(NAME) else {
        return s.generic_failure(resp);
    };
    let number = err.error_codes.first().copied().or_else(|| {
        let d = err.error_description.as_deref().unwrap_or_default();
        let at = d.find("AADSTS")? + 6;
        d[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .ok()
    });
    let code = number
        .map(|n| format!("AADSTS{n}"))
        .unwrap_or_else(|| err.error.clone());
    let (status, summary, hint) = match number {
        Some(90002) | Some(900023) | Some(90013) => (
            Status::NotFound,
            format!("Azure has no tenant '{tenant}' in the {cloud} cloud."),
            "Use the Directory (tenant) ID from Entra ID › Overview, or the tenant's domain; for US Government or China, choose that cloud.".to_string(),
        ),
        Some(700016) => (
            Status::InvalidCredentials,
            format!("No application with client ID {client_id} exists in tenant {tenant}."),
            format!("Use the Application (client) ID from App registrations › Overview (not the Object ID), in the tenant where the app is registered ({APPS_PAGE})."),
        ),
        Some(7000215) => (
            Status::InvalidCredentials,
            "Azure rejected the client secret: most often the secret's ID was pasted instead of its value.".to_string(),
            "In App registrations › Certificates & secrets, copy the Value column (not Secret ID); the value is shown only right after creation, so create a new secret if it is hidden.".to_string(),
        ),
        Some(7000222) => (
            Status::ExpiredCredentials,
            "The client secret has expired.".to_string(),
            "Create a new client secret under App registrations › Certificates & secrets and paste its Value.".to_string(),
        ),
        Some(7000112) | Some(700005) => (
            Status::PermissionDenied,
            "The application is disabled in this tenant.".to_string(),
            "Ask a tenant administrator to enable the service principal (Enterprise applications › Properties › Enabled for users to sign in).".to_string(),
        ),
        Some(53003) => (
            Status::PermissionDenied,
            "A Conditional Access policy blocked this sign-in.".to_string(),
            "Ask your Entra ID administrator to allow this service principal or this network location.".to_string(),
        ),
        _ if err.error == "invalid_client" || err.error == "unauthorized_client" => (
            Status::InvalidCredentials,
            "Azure rejected the client ID or secret.".to_string(),
            "Check the client ID and paste the secret's Value again.".to_string(),
        ),
        _ if resp.status >= 500 || resp.status == 429 => return s.generic_failure(resp).code(code),
        _ => (
            Status::UnexpectedResponse,
            format!("Azure refused the token request ({code})."),
            "Check the tenant, client ID and cloud; look the code up at https://login.microsoftonline.com/error.".to_string(),
        ),
    };
    Outcome::fail(status, summary, hint).code(code)
}

fn arm_failure(
    s: &Session<'_>,
    resp: &Response,
    client_id: &str,
    subscription: Option<&str>,
) -> Outcome {
    let Some(err) = resp.json::<ArmErrorBody>(NAME).ok().map(|b| b.error) else {
        return s.generic_failure(resp);
    };
    let sub = subscription.unwrap_or("<subscription-id>");
    let (status, summary, hint) = match err.code.as_str() {
        "AuthorizationFailed" => (
            Status::PermissionDenied,
            format!("The app signed in but has no role on subscription {sub}."),
            format!("Assign it a role, e.g. `az role assignment create --assignee {client_id} --role Reader --scope /subscriptions/{sub}`."),
        ),
        "SubscriptionNotFound" | "InvalidSubscriptionId" => (
            Status::NotFound,
            format!("Subscription {sub} was not found."),
            "Check the subscription ID, and that it belongs to this tenant and cloud; leave the field empty to list the subscriptions the app can see.".to_string(),
        ),
        "InvalidAuthenticationToken" | "InvalidAuthenticationTokenAudience" | "InvalidAuthenticationTokenTenant" | "ExpiredAuthenticationToken" => (
            Status::InvalidCredentials,
            "Resource Manager refused the token the app received.".to_string(),
            "The authority and Resource Manager endpoints probably belong to different clouds; choose one cloud, or fix the custom endpoints.".to_string(),
        ),
        _ => return s.generic_failure(resp).code(err.code),
    };
    Outcome::fail(status, summary, hint).code(err.code)
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
}

#[derive(Deserialize)]
struct TokenError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: Option<String>,
    #[serde(default)]
    error_codes: Vec<u32>,
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

#[derive(Deserialize)]
struct ArmErrorBody {
    error: ArmError,
}

#[derive(Deserialize)]
struct ArmError {
    code: String,
}
