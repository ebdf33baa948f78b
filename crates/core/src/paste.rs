//! Paste parsing: turns whatever a user pasted (a credentials block, `export` lines, a CSV,
//! a JSON key) into the right provider's fields, or says clearly what it could not read.

use crate::providers;
use crate::schema::text::env_lines;
use crate::schema::Credentials;
use crate::schema::{ErrorCode, ErrorPayload};

/// Recognises the provider and fills its fields. Errors never quote the pasted text.
pub fn parse_paste(text: &str) -> Result<Credentials, ErrorPayload> {
    let text = text.trim().trim_start_matches('\u{feff}');
    if text.is_empty() {
        return Err(invalid("Nothing was pasted."));
    }
    for def in providers::defs() {
        if let Some(result) = (def.paste.parse)(text) {
            return result.map_err(|e| invalid(e.to_string()));
        }
    }
    if let Some(creds) = from_env_lines(text) {
        return Ok(creds);
    }
    Err(invalid(format!(
        "cloudcreds did not recognise this text. Paste {}, or export lines of a provider's \
         variables (AWS_ACCESS_KEY_ID=…).",
        known_formats()
    )))
}

/// Every provider's paste formats, as one list: "a, b or c".
fn known_formats() -> String {
    let formats: Vec<&str> = providers::defs()
        .iter()
        .flat_map(|d| d.paste.formats.iter().copied())
        .collect();
    match formats.split_last() {
        Some((last, init)) if !init.is_empty() => format!("{} or {last}", init.join(", ")),
        Some((last, _)) => last.to_string(),
        None => String::new(),
    }
}

fn invalid(message: impl Into<String>) -> ErrorPayload {
    ErrorPayload::new(ErrorCode::InvalidInput, message)
}

/// The provider whose standard variables appear most in the pasted lines fills its fields.
fn from_env_lines(text: &str) -> Option<Credentials> {
    let pairs = env_lines(text);
    let env = crate::schema::Env::from_pairs(pairs.clone());
    let best = providers::defs()
        .iter()
        .map(|d| {
            let hits = d
                .env
                .iter()
                .filter(|var| pairs.iter().any(|(n, _)| n == var.name))
                .count();
            (hits, d.id)
        })
        .filter(|(hits, _)| *hits > 0)
        .max_by_key(|(hits, _)| *hits)?;
    providers::env::credentials_from_env(best.1, &env)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProviderId;

    #[test]
    fn export_lines_fill_the_matching_provider() {
        let creds = parse_paste(
            "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nexport AWS_SECRET_ACCESS_KEY=\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\nexport AWS_REGION=eu-west-1\n",
        )
        .unwrap();
        assert_eq!(creds.provider(), ProviderId::AWS);
        assert_eq!(creds.get("access_key_id"), Some("AKIAIOSFODNN7EXAMPLE"));
        assert_eq!(creds.get("region"), Some("eu-west-1"));
        assert!(creds.secret("secret_access_key").is_some());
    }

    #[test]
    fn powershell_and_dotenv_lines() {
        let creds = parse_paste("$env:HF_TOKEN=\"hf_abcdefghijklmnopqrstuvwxyzABCDEFGH\"").unwrap();
        assert_eq!(creds.provider(), ProviderId::HUGGINGFACE);
        let creds = parse_paste("LAMBDA_API_KEY=secret_x_y").unwrap();
        assert_eq!(creds.provider(), ProviderId::LAMBDA);
    }

    #[test]
    fn unknown_text_is_a_clear_error_without_echo() {
        let err = parse_paste("hello canary-value").unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(!err.message.contains("canary"));
    }
}
