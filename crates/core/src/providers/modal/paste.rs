//! Modal paste formats: the `modal token set --token-id … --token-secret …` line the
//! dashboard shows (modal 1.6.4 `modal/cli/token.py` `set`), and one `~/.modal.toml`
//! profile. (`export MODAL_TOKEN_ID=…` lines are read by the shared env-line parser.)

use crate::schema::{Credentials, InputError, ProviderId};

pub(super) fn parse_paste(text: &str) -> Option<Result<Credentials, InputError>> {
    from_command(text).or_else(|| from_toml(text))
}

/// `modal token set --token-id ak-… --token-secret as-… [--profile NAME] [--activate]`,
/// with `--flag value` or `--flag=value`, possibly split over lines with `\`.
fn from_command(text: &str) -> Option<Result<Credentials, InputError>> {
    let joined = text.replace("\\\n", " ");
    let words: Vec<&str> = joined.split_whitespace().collect();
    let at = words
        .windows(3)
        .position(|w| w == ["modal", "token", "set"])?;
    let args = &words[at + 3..];
    let value = |flag: &str| -> Option<String> {
        args.iter().enumerate().find_map(|(i, w)| {
            if *w == flag {
                args.get(i + 1).map(|v| unquote(v))
            } else {
                w.strip_prefix(flag)
                    .and_then(|rest| rest.strip_prefix('='))
                    .map(unquote)
            }
        })
    };
    let id = value("--token-id");
    let secret = value("--token-secret");
    Some(build(id, secret, None).and_then(|creds| {
        if creds.get("token_id").is_none() || creds.secret("token_secret").is_none() {
            Err(InputError::Unusable(
                "This `modal token set` line lacks --token-id or --token-secret; copy the whole line from the dashboard."
                    .into(),
            ))
        } else {
            Ok(creds)
        }
    }))
}

/// One profile table of `~/.modal.toml` (or its bare keys).
fn from_toml(text: &str) -> Option<Result<Credentials, InputError>> {
    let doc: toml::Table = text.parse().ok()?;
    let table = if doc.contains_key("token_id") {
        &doc
    } else {
        doc.values()
            .filter_map(|v| v.as_table())
            .find(|t| t.contains_key("token_id"))?
    };
    let get = |k: &str| table.get(k).and_then(|v| v.as_str()).map(str::to_string);
    Some(build(
        get("token_id"),
        get("token_secret"),
        get("server_url"),
    ))
}

fn build(
    id: Option<String>,
    secret: Option<String>,
    server_url: Option<String>,
) -> Result<Credentials, InputError> {
    let mut creds = Credentials::new(ProviderId::MODAL);
    for (field, value) in [
        ("token_id", id),
        ("token_secret", secret),
        ("server_url", server_url),
    ] {
        if let Some(v) = value {
            creds.set(field, v.trim().to_string())?;
        }
    }
    Ok(creds)
}

fn unquote(v: &str) -> String {
    crate::schema::text::unquote(v).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn the_dashboard_command_line_fills_both_fields() {
        for line in [
            "modal token set --token-id ak-abc123DEF456ghi789 --token-secret as-xyz987UVW654rst321 --profile=work",
            "$ modal token set \\\n  --token-id=\"ak-abc123DEF456ghi789\" \\\n  --token-secret='as-xyz987UVW654rst321'",
        ] {
            let creds = parse_paste(line).unwrap().unwrap();
            assert_eq!(creds.get("token_id"), Some("ak-abc123DEF456ghi789"));
            assert_eq!(
                creds.secret("token_secret").unwrap().expose_secret(),
                "as-xyz987UVW654rst321"
            );
        }
    }

    #[test]
    fn a_command_without_the_secret_says_so_without_echo() {
        let err = parse_paste("modal token set --token-id ak-canary0123456789")
            .unwrap()
            .unwrap_err()
            .to_string();
        assert!(err.contains("--token-secret"), "{err}");
        assert!(!err.contains("canary"), "{err}");
    }

    #[test]
    fn a_modal_toml_profile_is_read() {
        let text = "[work]\ntoken_id = \"ak-abc123DEF456ghi789\"\ntoken_secret = \"as-xyz987UVW654rst321\"\nactive = true\n";
        let creds = parse_paste(text).unwrap().unwrap();
        assert_eq!(creds.get("token_id"), Some("ak-abc123DEF456ghi789"));
        assert!(parse_paste("[default]\nregion = \"x\"\n").is_none());
        assert!(parse_paste("hello").is_none());
    }
}
