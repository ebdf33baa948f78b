//! Lambda Cloud: an API key checked against the public cloud API.

use crate::provider::{secret, text, ProviderId, ProviderInfo};

pub(crate) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Lambda,
        name: "Lambda Cloud",
        console_url: "https://cloud.lambda.ai/api-keys",
        fields: vec![
            secret(
                "api_key",
                "API key",
                "Generate one under API keys in the Lambda Cloud dashboard; it starts with secret_.",
            )
            .placeholder("secret_…"),
            text(
                "endpoint",
                "API endpoint",
                "Only for proxies (CLOUDCREDS_LAMBDA_ENDPOINT).",
            )
            .default_value("https://cloud.lambda.ai"),
        ],
    }
}
