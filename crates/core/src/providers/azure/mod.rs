//! Azure: a service principal's client secret exchanged for a token, then checked on ARM.

mod check;
pub(crate) mod cloud;
mod errors;

use secrecy::ExposeSecret;

use super::common::endpoint_issue;
use super::common::SecretInput;
use super::sources::{ImportSource, Source};
use super::{EnvVar, Paste, ProviderDef};
use crate::net::clock::Window;
use crate::schema::text::is_guid;
use crate::schema::Credentials;
use crate::schema::FieldIssue;
use crate::schema::InputError;
use crate::schema::{secret, text, FieldKind, FieldSpec, ProviderId, ProviderInfo};

/// `import --source azure`: the Azure variables alone.
const SOURCE: Source = Source::new("azure");

pub(crate) const DEF: ProviderDef = ProviderDef {
    id: ProviderId::AZURE,
    validate,
    paste: Paste {
        formats: &["the JSON from `az ad sp create-for-rbac`"],
        parse: parse_paste,
    },
    env: &[
        EnvVar::credential("AZURE_TENANT_ID", "tenant_id"),
        EnvVar::credential("AZURE_CLIENT_ID", "client_id"),
        EnvVar::credential("AZURE_CLIENT_SECRET", "client_secret"),
        EnvVar::setting("AZURE_SUBSCRIPTION_ID", "subscription_id"),
        EnvVar::endpoint("AZURE_AUTHORITY_HOST", "authority_host"),
        EnvVar::endpoint("CLOUDCREDS_AZURE_ARM_ENDPOINT", "arm_endpoint"),
    ],
    key_file: None,
    sources: &[ImportSource {
        source: SOURCE,
        reads: "the AZURE_* variables",
        discover: |ctx| crate::providers::env::discover(ctx, Some(ProviderId::AZURE), SOURCE),
    }],
    secret_json_keys: &[],
    clock: Window::ASSUMED,
    check: super::check_with!(
        |c| SecretInput::read(c, "client_secret", validate),
        check::run
    ),
};

pub(crate) const APPS_PAGE: &str =
    "https://portal.azure.com/#view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/RegisteredApps";

/// `azure`: this provider's id everywhere in cloudcreds.
impl ProviderId {
    pub const AZURE: ProviderId = ProviderId::new("azure", || &INFO);
}

static INFO: ProviderInfo = ProviderInfo {
    id: ProviderId::new("azure", || &INFO),
    rank: 3,
    name: "Azure",
    console_url: "https://portal.azure.com/#view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/RegisteredApps",
    fields: &[
        text(
            "tenant_id",
            "Tenant",
            "Directory (tenant) ID, a GUID, or a domain such as contoso.onmicrosoft.com.",
        ),
        text(
            "client_id",
            "Client ID",
            "Application (client) ID of the app registration, a GUID.",
        ),
        secret(
            "client_secret",
            "Client secret",
            "The secret's Value column, not its Secret ID.",
        ),
        text(
            "subscription_id",
            "Subscription ID",
            "Optional; without it every subscription the app can see is listed.",
        )
        .optional(),
        FieldSpec {
            kind: FieldKind::Choice,
            options: &["public", "usgov", "china", "custom"],
            ..text("cloud", "Cloud", "Sovereign clouds use their own hosts.")
                .default_value("public")
        },
        text(
            "authority_host",
            "Authority host",
            "A host such as login.microsoftonline.us, or a URL (AZURE_AUTHORITY_HOST); it also picks the cloud.",
        )
        .optional(),
        text(
            "arm_endpoint",
            "Resource Manager endpoint",
            "Only for a custom cloud: known authority hosts imply it (CLOUDCREDS_AZURE_ARM_ENDPOINT).",
        )
        .optional(),
    ],
};

fn validate(creds: &Credentials) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    if let Some(tenant) = creds.get("tenant_id") {
        if let Some(message) = tenant_problem(tenant) {
            issues.push(FieldIssue::new("tenant_id", message));
        }
    }
    if let Some(id) = creds.get("client_id").filter(|id| !is_guid(id)) {
        let _ = id;
        issues.push(FieldIssue::new(
            "client_id",
            "The client ID is a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx): the Application (client) ID on the app's Overview page.",
        ));
    }
    if let Some(secret) = creds.secret("client_secret").map(|s| s.expose_secret()) {
        if is_guid(secret) {
            issues.push(FieldIssue::new(
                "client_secret",
                "This is a GUID, so it is probably the secret's ID; paste the secret's Value column instead (visible only right after it was created).",
            ));
        }
    }
    if creds.get("subscription_id").is_some_and(|id| !is_guid(id)) {
        issues.push(FieldIssue::new(
            "subscription_id",
            "A subscription ID is a GUID; copy it from Subscriptions in the portal, or leave it empty to list all.",
        ));
    }
    let cloud = creds.get("cloud").unwrap_or("public");
    if cloud == "custom" {
        for field in ["authority_host", "arm_endpoint"] {
            if creds.get(field).is_none() {
                issues.push(FieldIssue::missing(field, "Required for a custom cloud."));
            }
        }
    } else if cloud::by_name(cloud).is_none() {
        issues.push(FieldIssue::new(
            "cloud",
            "Choose public, usgov, china or custom.",
        ));
    }
    if let Some(Err(o)) = creds.get("authority_host").map(cloud::parse_authority) {
        let text = format!("{} {}", o.summary, o.hint.unwrap_or_default());
        issues.push(FieldIssue::new("authority_host", text.trim()));
    }
    issues.extend(endpoint_issue(creds, "arm_endpoint"));
    issues
}

fn tenant_problem(tenant: &str) -> Option<&'static str> {
    if is_guid(tenant) {
        return None;
    }
    if matches!(
        tenant.to_ascii_lowercase().as_str(),
        "common" | "organizations" | "consumers"
    ) {
        return Some("A service principal signs in to one specific tenant: use its Directory (tenant) ID or domain, not common/organizations.");
    }
    let domain_like = tenant.contains('.')
        && tenant
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if domain_like {
        None
    } else {
        Some("Use the Directory (tenant) ID (a GUID) from Entra ID › Overview, or a domain such as contoso.onmicrosoft.com.")
    }
}

/// The JSON printed by `az ad sp create-for-rbac` (and its older `--sdk-auth` form).
fn parse_paste(text: &str) -> Option<Result<Credentials, InputError>> {
    let doc: serde_json::Value = serde_json::from_str(text).ok()?;
    let field = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| doc.get(*k).and_then(|v| v.as_str()))
            .map(str::to_string)
    };
    let client_id = field(&["appId", "clientId"])?;
    let mut creds = Credentials::new(ProviderId::AZURE);
    let mut set = |name: &str, value: Option<String>| match value {
        Some(v) => creds.set(name, v),
        None => Ok(()),
    };
    let result = set("client_id", Some(client_id))
        .and_then(|_| set("client_secret", field(&["password", "clientSecret"])))
        .and_then(|_| set("tenant_id", field(&["tenant", "tenantId"])))
        .and_then(|_| set("subscription_id", field(&["subscriptionId"])));
    if let Err(e) = result {
        return Some(Err(e.into()));
    }
    if let Some(authority) = field(&["activeDirectoryEndpointUrl"]) {
        let host = cloud::parse_authority(&authority)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
        let known = cloud::CLOUDS
            .iter()
            .find(|c| host.as_deref() == Some(c.authority_host));
        // An unknown authority is kept as it is; the check then asks for its ARM endpoint.
        let result = match known {
            Some(c) => creds.set("cloud", c.name.to_string()),
            None => creds.set("authority_host", authority),
        };
        if let Err(e) = result {
            return Some(Err(e.into()));
        }
    }
    Some(Ok(creds))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    const APP: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    #[test]
    fn create_for_rbac_json_fills_the_fields() {
        let text = format!(
            r#"{{"appId":"{APP}","displayName":"ci","password":"abc~secretValue","tenant":"{TENANT}"}}"#
        );
        let creds = parse_paste(&text).unwrap().unwrap();
        assert_eq!(creds.get("client_id"), Some(APP));
        assert_eq!(creds.get("tenant_id"), Some(TENANT));
        assert_eq!(
            creds.secret("client_secret").unwrap().expose_secret(),
            "abc~secretValue"
        );
        assert!(validate(&creds).is_empty(), "{:?}", validate(&creds));
    }

    #[test]
    fn secret_id_pasted_instead_of_value_is_flagged() {
        let mut creds = Credentials::new(ProviderId::AZURE);
        creds.set("client_secret", APP.to_string()).unwrap();
        creds.set("tenant_id", "common".to_string()).unwrap();
        creds.set("client_id", "not-a-guid".to_string()).unwrap();
        let issues = validate(&creds);
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["tenant_id", "client_id", "client_secret"]);
    }

    #[test]
    fn a_bare_authority_host_is_valid_input() {
        let mut creds = Credentials::new(ProviderId::AZURE);
        creds
            .set("authority_host", "login.microsoftonline.us".to_string())
            .unwrap();
        assert!(validate(&creds).is_empty(), "{:?}", validate(&creds));
        creds
            .set(
                "authority_host",
                "ftp://login.microsoftonline.us".to_string(),
            )
            .unwrap();
        assert_eq!(validate(&creds)[0].field, "authority_host");
    }

    #[test]
    fn custom_cloud_needs_both_endpoints() {
        let mut creds = Credentials::new(ProviderId::AZURE);
        creds.set("cloud", "custom".to_string()).unwrap();
        let issues = validate(&creds);
        assert!(issues
            .iter()
            .any(|i| i.field == "arm_endpoint" && i.missing));
    }
}
