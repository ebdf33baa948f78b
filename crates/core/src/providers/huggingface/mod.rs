//! HuggingFace: a user access token checked against the Hub API.

use crate::provider::{secret, text, ProviderId, ProviderInfo};

pub(crate) fn info() -> ProviderInfo {
    ProviderInfo {
        id: ProviderId::Huggingface,
        name: "HuggingFace",
        console_url: "https://huggingface.co/settings/tokens",
        fields: vec![
            secret(
                "token",
                "Access token",
                "Create one at huggingface.co/settings/tokens; it starts with hf_.",
            )
            .placeholder("hf_…"),
            text(
                "endpoint",
                "Hub endpoint",
                "Only for mirrors or private hubs (HF_ENDPOINT).",
            )
            .default_value("https://huggingface.co"),
        ],
    }
}
