//! GCP: a service-account key used for a JWT-bearer token, then checked on Resource Manager.

use crate::provider::{secret, text, FieldKind, FieldSpec, ProviderId, ProviderInfo};

pub(crate) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Gcp,
        name: "Google Cloud",
        console_url: "https://console.cloud.google.com/iam-admin/serviceaccounts",
        fields: vec![
            FieldSpec {
                kind: FieldKind::SecretDocument,
                ..secret(
                    "service_account_key",
                    "Service-account key (JSON)",
                    "Paste the whole JSON key file from IAM › Service accounts › Keys.",
                )
                .placeholder("{ \"type\": \"service_account\", … }")
            },
            text(
                "project_id",
                "Project ID",
                "Filled from the key; change it to check another project.",
            )
            .optional(),
            text(
                "token_uri",
                "Token endpoint",
                "Taken from the key's token_uri unless set here.",
            )
            .optional(),
            text(
                "api_endpoint",
                "Resource Manager endpoint",
                "Only for private endpoints (CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER).",
            )
            .optional(),
        ],
    }
}
