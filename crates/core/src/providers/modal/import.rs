//! The `modal` source: one profile of `~/.modal.toml` (`MODAL_CONFIG_PATH` moves it), the
//! profile the official client would use (modal 1.6.4 `modal/config.py`): `MODAL_PROFILE`,
//! else the table with `active = true`, else `default`; more than one active profile, or
//! several profiles and none active, is an error there and a problem here.

use std::path::PathBuf;

use crate::providers::files;
use crate::providers::sources::{Discovery, Found, ImportContext, Problem, Source};
use crate::schema::{Credentials, ProviderId};

/// `import --source modal`.
pub(crate) const SOURCE: Source = Source::new("modal");

fn config_path(ctx: &ImportContext) -> Option<PathBuf> {
    match ctx.env.get("MODAL_CONFIG_PATH") {
        Some(p) => Some(PathBuf::from(p)),
        None => ctx.home_path(".modal.toml"),
    }
}

/// The profiles of a `.modal.toml`: name → table. Errors name the line, never its text.
pub(crate) fn profiles(text: &str, shown: &str) -> Result<toml::Table, String> {
    let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        match line {
            Some(n) => format!(
                "{shown} is not valid TOML (line {n}); fix it or run `modal token set` again."
            ),
            None => format!("{shown} is not valid TOML; fix it or run `modal token set` again."),
        }
    })?;
    if doc.values().any(|v| !v.is_table()) {
        return Err(format!(
            "{shown} must hold one [table] per profile (as `modal token set` writes it)."
        ));
    }
    Ok(doc)
}

/// The profile the official client would use, or why there is none.
pub(crate) fn active_profile(doc: &toml::Table, wanted: Option<&str>) -> Result<String, String> {
    if let Some(name) = wanted {
        return Ok(name.to_string());
    }
    let active: Vec<&String> = doc
        .iter()
        .filter(|(_, v)| v.get("active").and_then(|a| a.as_bool()) == Some(true))
        .map(|(k, _)| k)
        .collect();
    match active.as_slice() {
        [one] => Ok(one.to_string()),
        [] if doc.len() > 1 => Err(
            "no Modal profile is active; run `modal profile activate NAME` or set MODAL_PROFILE."
                .to_string(),
        ),
        [] => Ok("default".to_string()),
        _ => Err(
            "more than one Modal profile is active; run `modal profile activate NAME` to pick one."
                .to_string(),
        ),
    }
}

fn field_of<'a>(table: &'a toml::Value, key: &str) -> Option<&'a str> {
    table
        .get(key)
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

pub(crate) fn discover(ctx: &ImportContext) -> Discovery {
    let mut out = Discovery::default();
    let Some(path) = config_path(ctx) else {
        return out;
    };
    let shown = ctx.display_path(&path);
    let problem = |origin: String, message: String| Problem {
        source: SOURCE,
        provider: Some(ProviderId::MODAL),
        origin,
        message,
    };
    let text = match files::read_small(&path, &shown) {
        Ok(Some(text)) => text,
        Ok(None) => return out,
        Err(e) => {
            out.problems.push(problem(shown, e));
            return out;
        }
    };
    let doc = match profiles(&text, &shown) {
        Ok(doc) => doc,
        Err(e) => {
            out.problems.push(problem(shown, e));
            return out;
        }
    };
    let name = match active_profile(&doc, ctx.env.get("MODAL_PROFILE")) {
        Ok(name) => name,
        Err(e) => {
            out.problems
                .push(problem(shown.clone(), format!("In {shown}, {e}")));
            return out;
        }
    };
    let origin = format!("{shown} [{name}]");
    let with_tokens: Vec<&str> = doc
        .iter()
        .filter(|(k, v)| *k != &name && field_of(v, "token_id").is_some())
        .map(|(k, _)| k.as_str())
        .collect();
    let Some(profile) = doc.get(&name) else {
        let message = if with_tokens.is_empty() {
            format!("{shown} has no profile '{name}' and no tokens; run `modal token new`.")
        } else {
            format!(
                "{shown} has no profile '{name}'; profiles with tokens: {}. Pick one with MODAL_PROFILE=NAME.",
                with_tokens.join(", ")
            )
        };
        out.problems.push(problem(origin, message));
        return out;
    };
    let (Some(id), Some(secret)) = (
        field_of(profile, "token_id"),
        field_of(profile, "token_secret"),
    ) else {
        let message = if profile.get("oauth_refresh_token").is_some() {
            format!("Modal profile '{name}' signs in with OAuth, which holds no token cloudcreds can test; create one with `modal token new` or in the dashboard (Settings › API Tokens).")
        } else {
            format!(
                "Modal profile '{name}' has no token_id and token_secret; run `modal token new`."
            )
        };
        out.problems.push(problem(origin, message));
        return out;
    };
    let mut credentials = Credentials::new(ProviderId::MODAL);
    let mut fields = vec![("token_id", id), ("token_secret", secret)];
    fields.extend(field_of(profile, "server_url").map(|url| ("server_url", url)));
    for (field, value) in fields {
        if let Err(e) = credentials.set(field, value.to_string()) {
            out.problems.push(problem(origin, e.to_string()));
            return out;
        }
    }
    let mut notes = Vec::new();
    if !with_tokens.is_empty() {
        notes.push(format!(
            "Other Modal profiles with tokens: {} (pick one with MODAL_PROFILE=NAME).",
            with_tokens.join(", ")
        ));
    }
    out.found.push(Found {
        source: SOURCE,
        origin,
        notes,
        credentials,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Env;
    use secrecy::ExposeSecret;

    const FILE: &str = "[default]\ntoken_id = \"ak-default1234567890\"\ntoken_secret = \"as-default1234567890\"\n\n[work]\ntoken_id = \"ak-work1234567890abc\"\ntoken_secret = \"as-work1234567890abc\"\nactive = true\n";

    fn ctx(dir: &std::path::Path, vars: &[(&str, &str)]) -> ImportContext {
        let env = Env::from_pairs(vars.iter().copied()).with("HOME", dir.display().to_string());
        ImportContext::from_env(env)
    }

    #[test]
    fn the_active_profile_is_imported_and_the_others_named() {
        let home = tempfile::tempdir().unwrap();
        std::fs::write(home.path().join(".modal.toml"), FILE).unwrap();
        let d = discover(&ctx(home.path(), &[]));
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        let found = &d.found[0];
        assert_eq!(found.origin, "~/.modal.toml [work]");
        assert_eq!(
            found.credentials.get("token_id"),
            Some("ak-work1234567890abc")
        );
        assert_eq!(
            found
                .credentials
                .secret("token_secret")
                .unwrap()
                .expose_secret(),
            "as-work1234567890abc"
        );
        assert!(
            found.notes.iter().any(|n| n.contains("default")),
            "{:?}",
            found.notes
        );
    }

    #[test]
    fn modal_profile_and_modal_config_path_are_honoured() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("elsewhere.toml");
        std::fs::write(&path, FILE).unwrap();
        let d = discover(&ctx(
            dir.path(),
            &[
                ("MODAL_CONFIG_PATH", path.to_str().unwrap()),
                ("MODAL_PROFILE", "default"),
            ],
        ));
        assert_eq!(
            d.found[0].credentials.get("token_id"),
            Some("ak-default1234567890")
        );
    }

    #[test]
    fn ambiguous_or_broken_files_are_problems_that_never_quote_a_value() {
        let home = tempfile::tempdir().unwrap();
        let file = home.path().join(".modal.toml");
        for (text, says) in [
            (
                FILE.replace("[default]\n", "[default]\nactive = true\n"),
                "more than one",
            ),
            (
                FILE.replace("active = true\n", ""),
                "no Modal profile is active",
            ),
            (
                "[default]\ntoken_id = \"ak-x\"\ntoken_secret = as-unquoted-canary\n".to_string(),
                "line 3",
            ),
            (
                "token_id = \"ak-canary\"\n".to_string(),
                "one [table] per profile",
            ),
            (
                "[default]\noauth_refresh_token = \"canary-oauth\"\n".to_string(),
                "OAuth",
            ),
        ] {
            std::fs::write(&file, &text).unwrap();
            let d = discover(&ctx(home.path(), &[]));
            assert!(d.found.is_empty(), "{text}");
            let message = &d.problems[0].message;
            assert!(message.contains(says), "{message}");
            assert!(!message.contains("canary"), "{message}");
        }
    }
}
