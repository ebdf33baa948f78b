//! Entra ID (AADSTS) and Resource Manager error bodies turned into named outcomes. The
//! codes' meanings: Microsoft's AADSTS reference
//! (https://learn.microsoft.com/entra/identity-platform/reference-error-codes) and the
//! bodies quoted in docs/error-bodies.md.

use serde::Deserialize;

use super::APPS_PAGE;
use crate::net::{Response, Session};
use crate::providers::common::OAuthError;
use crate::schema::Outcome;
use crate::schema::Status;

const NAME: &str = "Azure";

/// What the sign-in was for, to name it in messages.
pub(super) struct SignIn<'a> {
    pub tenant: &'a str,
    pub client_id: &'a str,
    pub cloud: &'a str,
}

pub(super) fn token_failure(
    s: &Session<'_>,
    resp: &Response,
    err: Option<OAuthError>,
    who: &SignIn<'_>,
) -> Outcome {
    let Some(err) = err else {
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
    let SignIn {
        tenant,
        client_id,
        cloud,
    } = *who;
    let (status, summary, hint) = match number {
        Some(90002) | Some(900023) => (
            Status::NotFound,
            format!("Azure has no tenant '{tenant}' in the {cloud} cloud."),
            "Use the Directory (tenant) ID from Entra ID › Overview, or the tenant's domain; for US Government or China, choose that cloud.".to_string(),
        ),
        // InvalidUserInput: "The input from the user isn't valid" (for a sign-in like ours,
        // "Invalid input received from the user. The provided directory ID is invalid.").
        Some(90013) => (
            Status::InvalidInput,
            format!("Azure found the sign-in input invalid: {}", description_text(&err)),
            "Check the tenant ID and client ID for placeholder text, quotes or spaces: each is a GUID (or the tenant's domain) copied from the app's Overview page.".to_string(),
        ),
        Some(700016) => (
            Status::InvalidCredentials,
            format!("No application with client ID {client_id} exists in tenant {tenant}."),
            format!("Use the Application (client) ID from App registrations › Overview (not the Object ID), in the tenant where the app is registered ({APPS_PAGE})."),
        ),
        Some(7000229) => (
            Status::PermissionDenied,
            format!("The app {client_id} has no service principal in tenant {tenant}: it is registered, but not set up in this tenant."),
            format!("A tenant administrator can create it with `az ad sp create --id {client_id}`, or by granting admin consent at https://login.microsoftonline.com/{tenant}/adminconsent?client_id={client_id}; the secret itself is fine."),
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
        Some(7000112) => (
            Status::PermissionDenied,
            "The application is disabled in this tenant.".to_string(),
            "Ask a tenant administrator to enable the service principal (Enterprise applications › Properties › Enabled for users to sign in).".to_string(),
        ),
        // InvalidGrantRedeemAgainstWrongTenant: an authorization code redeemed at another
        // tenant than it was issued for. A client-secret sign-in sends no code.
        Some(700005) => (
            Status::UnexpectedResponse,
            "Azure answered AADSTS700005 (an authorization code redeemed against the wrong tenant), which does not apply to a client-secret sign-in.".to_string(),
            "Check that the authority host is Azure's sign-in service (AZURE_AUTHORITY_HOST) and that the tenant ID is the app's tenant.".to_string(),
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

/// The AADSTS text without its code prefix and trace lines.
fn description_text(err: &OAuthError) -> String {
    let d = err.error_description.as_deref().unwrap_or_default();
    let text = d.split_once(": ").map_or(d, |(_, rest)| rest);
    let text = text.split(" Trace ID:").next().unwrap_or(text);
    text.split("\r\n").next().unwrap_or(text).trim().to_string()
}

pub(super) fn arm_failure(
    s: &Session<'_>,
    resp: &Response,
    who: &SignIn<'_>,
    subscription: Option<&str>,
) -> Outcome {
    let Some(err) = resp.json::<ArmErrorBody>(NAME).ok().map(|b| b.error) else {
        return s.generic_failure(resp);
    };
    let sub = subscription.unwrap_or("<subscription-id>");
    let client_id = who.client_id;
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
        "InvalidAuthenticationTokenTenant" => {
            let owner = owning_tenant(&err.message);
            let named = owner.as_deref().unwrap_or("another tenant");
            (
                Status::NotFound,
                format!("Subscription {sub} belongs to tenant {named}, not to tenant {} the app signed in to.", who.tenant),
                match owner {
                    Some(t) => format!("Set the tenant ID to {t} (AZURE_TENANT_ID); the app needs a service principal and a role there. Or clear the subscription ID to list the subscriptions of tenant {}.", who.tenant),
                    None => "Set the tenant ID to the tenant that owns the subscription (Subscriptions › the subscription › Overview › Parent management group / Directory).".to_string(),
                },
            )
        }
        "InvalidAuthenticationToken" | "InvalidAuthenticationTokenAudience" | "ExpiredAuthenticationToken" => (
            Status::InvalidCredentials,
            "Resource Manager refused the token the app received.".to_string(),
            "The authority and Resource Manager endpoints probably belong to different clouds; choose one cloud, or fix the custom endpoints.".to_string(),
        ),
        _ => return s.generic_failure(resp).code(err.code),
    };
    Outcome::fail(status, summary, hint).code(err.code)
}

/// The tenant in "... It must match the tenant 'https://sts.windows.net/{tid}/' associated
/// with this subscription. Please use the authority (URL) 'https://login.windows.net/{tid}'".
fn owning_tenant(message: &str) -> Option<String> {
    let quoted_after = |marker: &str| {
        let rest = &message[message.find(marker)? + marker.len()..];
        let url = &rest[..rest.find('\'')?];
        let last = url.trim_end_matches('/').rsplit('/').next()?;
        let ok = !last.is_empty()
            && last
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        ok.then(|| last.to_string())
    };
    quoted_after("It must match the tenant '")
        .or_else(|| quoted_after("Please use the authority (URL) '"))
}

#[derive(Deserialize)]
struct ArmErrorBody {
    error: ArmError,
}

#[derive(Deserialize)]
struct ArmError {
    code: String,
    #[serde(default)]
    message: String,
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::schema::Env;

    const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const OTHER: &str = "a602cbf4-21c3-4761-b54e-acf397842b82";
    const APP: &str = "00001111-aaaa-2222-bbbb-3333cccc4444";
    const SUB: &str = "a4dc918a-73dc-4668-9fc5-2251cab95de5";
    const WHO: SignIn<'static> = SignIn {
        tenant: TENANT,
        client_id: APP,
        cloud: "public",
    };

    fn response(status: u16, body: &str) -> Response {
        Response::canned(status, body.as_bytes(), "login.microsoftonline.com")
    }

    fn with_session<T>(f: impl FnOnce(&Session<'_>) -> T) -> T {
        let client = Err("unused in these tests".to_string());
        let env = Env::from_pairs(Vec::<(String, String)>::new());
        f(&Session::new(&client, &env, NAME, Duration::from_secs(5)))
    }

    fn token(status: u16, body: &str) -> Outcome {
        let resp = response(status, body);
        let err = resp.json::<OAuthError>("").ok();
        with_session(|s| token_failure(s, &resp, err, &WHO))
    }

    #[test]
    fn missing_service_principal_asks_for_consent_not_the_secret() {
        // As Microsoft's Teams SDK troubleshooting page quotes it
        // (https://microsoft.github.io/teams-sdk/teams/app-authentication/troubleshooting).
        let body = format!(
            r#"{{"error":"invalid_client","error_description":"AADSTS7000229: The client application {APP} is missing service principal in the tenant {TENANT}. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119 Trace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333 Correlation ID: aaaa0000-bb11-2222-33cc-444444dddddd Timestamp: 2025-09-18 01:17:37Z","error_codes":[7000229],"timestamp":"2025-09-18 01:17:37Z","trace_id":"0000aaaa-11bb-cccc-dd22-eeeeee333333","correlation_id":"aaaa0000-bb11-2222-33cc-444444dddddd","error_uri":"https://login.microsoftonline.com/error?code=7000229"}}"#
        );
        let o = token(401, &body);
        assert_eq!(o.status, Status::PermissionDenied);
        assert_eq!(o.provider_code.as_deref(), Some("AADSTS7000229"));
        let hint = o.hint.unwrap();
        assert!(
            hint.contains(&format!("az ad sp create --id {APP}")),
            "{hint}"
        );
        assert!(hint.contains("adminconsent"), "{hint}");
        assert!(!hint.contains("paste"), "{hint}");
    }

    #[test]
    fn invalid_user_input_is_input_not_a_missing_tenant() {
        let o = token(
            400,
            r#"{"error":"invalid_request","error_description":"AADSTS90013: Invalid input received from the user. The provided directory ID is invalid. Trace ID: 1 Correlation ID: 2 Timestamp: 2024-01-01 00:00:00Z","error_codes":[90013]}"#,
        );
        assert_eq!(o.status, Status::InvalidInput);
        assert!(
            o.summary.contains("The provided directory ID is invalid."),
            "{o:?}"
        );
        assert!(!o.summary.contains("Trace ID"), "{o:?}");
    }

    #[test]
    fn wrong_tenant_code_redemption_is_not_called_a_disabled_app() {
        let o = token(
            400,
            r#"{"error":"invalid_grant","error_description":"AADSTS700005: Provided Authorization Code is intended to use against other tenant, thus rejected.","error_codes":[700005]}"#,
        );
        assert_eq!(o.status, Status::UnexpectedResponse);
        assert!(!o.summary.contains("disabled"), "{o:?}");
        assert_eq!(o.provider_code.as_deref(), Some("AADSTS700005"));
    }

    #[test]
    fn subscription_of_another_tenant_names_that_tenant() {
        // The message as ARM returns it (Azure/azure-sdk-for-python#38382,
        // Azure/LogicAppsUX#9068).
        let body = format!(
            r#"{{"error":{{"code":"InvalidAuthenticationTokenTenant","message":"The access token is from the wrong issuer 'https://sts.windows.net/{TENANT}/'. It must match the tenant 'https://sts.windows.net/{OTHER}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/{OTHER}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later."}}}}"#
        );
        let o = with_session(|s| arm_failure(s, &response(401, &body), &WHO, Some(SUB)));
        assert_eq!(o.status, Status::NotFound);
        assert_ne!(o.status, Status::InvalidCredentials);
        assert!(o.summary.contains(OTHER), "{o:?}");
        assert!(o.hint.unwrap().contains(&format!("tenant ID to {OTHER}")));
        assert_eq!(
            o.provider_code.as_deref(),
            Some("InvalidAuthenticationTokenTenant")
        );
    }

    #[test]
    fn owning_tenant_falls_back_to_the_authority_url() {
        let m = format!(
            "Please use the authority (URL) 'https://login.windows.net/{OTHER}' to get the token."
        );
        assert_eq!(owning_tenant(&m).as_deref(), Some(OTHER));
        assert_eq!(owning_tenant("The access token is invalid."), None);
    }
}
