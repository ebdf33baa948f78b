//! AWS: an IAM access key (long-term or temporary) checked with STS GetCallerIdentity.

use crate::provider::{secret, text, ProviderId, ProviderInfo};

pub(crate) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Aws,
        name: "AWS",
        console_url: "https://console.aws.amazon.com/iam/home#/security_credentials",
        fields: vec![
            text(
                "access_key_id",
                "Access key ID",
                "20 characters starting with AKIA (long-term) or ASIA (temporary).",
            )
            .placeholder("AKIA…"),
            secret(
                "secret_access_key",
                "Secret access key",
                "40 characters, shown once when the key was created.",
            ),
            secret(
                "session_token",
                "Session token",
                "Only for temporary (ASIA…) keys from SSO or assume-role.",
            )
            .optional(),
            text("region", "Region", "The region whose STS endpoint is asked.")
                .default_value("us-east-1"),
            text(
                "sts_endpoint",
                "STS endpoint",
                "Only for VPC endpoints or proxies (AWS_ENDPOINT_URL_STS).",
            )
            .optional(),
        ],
    }
}
