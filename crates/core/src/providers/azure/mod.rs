//! Azure: a service principal's client secret exchanged for a token, then checked on ARM.

use crate::provider::{secret, text, FieldKind, FieldSpec, ProviderId, ProviderInfo};

pub(crate) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Azure,
        name: "Azure",
        console_url: "https://portal.azure.com/#view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/RegisteredApps",
        fields: vec![
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
                options: vec!["public", "usgov", "china", "custom"],
                ..text("cloud", "Cloud", "Sovereign clouds use their own hosts.")
                    .default_value("public")
            },
            text(
                "authority_host",
                "Authority host",
                "Only for a custom cloud (AZURE_AUTHORITY_HOST).",
            )
            .optional(),
            text(
                "arm_endpoint",
                "Resource Manager endpoint",
                "Only for a custom cloud (CLOUDCREDS_AZURE_ARM_ENDPOINT).",
            )
            .optional(),
        ],
    }
}
