//! Paste parsing: turns whatever a user pasted (a credentials block, `export` lines, a CSV,
//! a JSON key) into the right provider's fields, or says clearly what it could not read.

use crate::credentials::Credentials;
use crate::error::{ErrorCode, ErrorPayload};
use crate::providers;

/// Recognises the provider and fills its fields. Errors never quote the pasted text.
pub fn parse_paste(text: &str) -> Result<Credentials, ErrorPayload> {
    let text = text.trim().trim_start_matches('\u{feff}');
    if text.is_empty() {
        return Err(invalid("Nothing was pasted."));
    }
    for def in providers::defs() {
        if let Some(result) = (def.parse_paste)(text) {
            return result.map_err(invalid);
        }
    }
    if let Some(creds) = from_env_lines(text) {
        return Ok(creds);
    }
    Err(invalid(
        "cloudcreds did not recognise this text. Paste a ~/.aws/credentials block, export lines \
         (AWS_ACCESS_KEY_ID=…), the IAM access-key CSV, the JSON from `az ad sp create-for-rbac`, \
         a GCP service-account key JSON, or a single hf_… / secret_… token.",
    ))
}

fn invalid(message: impl Into<String>) -> ErrorPayload {
    ErrorPayload::new(ErrorCode::InvalidInput, message)
}

/// `NAME=value` lines as shells, dotenv files, PowerShell (`$env:NAME="value"`) and CI
/// settings write them: `(NAME, value)` with `export`/`set` and quotes removed.
pub(crate) fn env_lines(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let line = line
                .strip_prefix("export ")
                .or_else(|| line.strip_prefix("set "))
                .or_else(|| line.strip_prefix("$env:"))
                .or_else(|| line.strip_prefix("$Env:"))
                .unwrap_or(line)
                .trim();
            let (name, value) = line.split_once('=')?;
            let name = name.trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return None;
            }
            Some((name.to_string(), unquote(value.trim()).to_string()))
        })
        .collect()
}

pub(crate) fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// The provider whose standard variables appear most in the pasted lines fills its fields.
fn from_env_lines(text: &str) -> Option<Credentials> {
    let pairs = env_lines(text);
    let env = crate::env::Env::from_pairs(pairs.clone());
    let best = providers::defs()
        .iter()
        .map(|d| {
            let hits = d
                .env_vars
                .iter()
                .filter(|(var, _)| pairs.iter().any(|(n, _)| n == var))
                .count();
            (hits, d.id)
        })
        .filter(|(hits, _)| *hits > 0)
        .max_by_key(|(hits, _)| *hits)?;
    providers::credentials_from_env(best.1, &env)
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
        assert_eq!(creds.provider(), ProviderId::Aws);
        assert_eq!(creds.get("access_key_id"), Some("AKIAIOSFODNN7EXAMPLE"));
        assert_eq!(creds.get("region"), Some("eu-west-1"));
        assert!(creds.secret("secret_access_key").is_some());
    }

    #[test]
    fn powershell_and_dotenv_lines() {
        let creds = parse_paste("$env:HF_TOKEN=\"hf_abcdefghijklmnopqrstuvwxyzABCDEFGH\"").unwrap();
        assert_eq!(creds.provider(), ProviderId::Huggingface);
        let creds = parse_paste("LAMBDA_API_KEY=secret_x_y").unwrap();
        assert_eq!(creds.provider(), ProviderId::Lambda);
    }

    #[test]
    fn unknown_text_is_a_clear_error_without_echo() {
        let err = parse_paste("hello canary-value").unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(!err.message.contains("canary"));
    }
}
