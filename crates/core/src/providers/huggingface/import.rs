//! The `hf` source: the token file `huggingface-cli login` writes (`HF_TOKEN_PATH`, else
//! `$HF_HOME/token`, else `$XDG_CACHE_HOME/huggingface/token` or `~/.cache/huggingface/token`).

use std::path::PathBuf;

use crate::schema::Credentials;
use crate::schema::ProviderId;

use crate::providers::files;
use crate::providers::sources::{Discovery, Found, ImportContext, Problem, Source};

/// `import --source hf`.
pub(crate) const SOURCE: Source = Source::new("hf");

fn token_path(ctx: &ImportContext) -> Option<PathBuf> {
    if let Some(p) = ctx.env.get("HF_TOKEN_PATH") {
        return Some(PathBuf::from(p));
    }
    if let Some(home) = ctx.env.get("HF_HOME") {
        return Some(PathBuf::from(home).join("token"));
    }
    if let Some(cache) = ctx.env.get("XDG_CACHE_HOME") {
        return Some(PathBuf::from(cache).join("huggingface").join("token"));
    }
    ctx.home_path(".cache/huggingface/token")
}

/// The token in a token file: its first non-blank line, trimmed.
pub(crate) fn parse_token_file(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
}

pub(crate) fn discover(ctx: &ImportContext) -> Discovery {
    let mut out = Discovery::default();
    let Some(path) = token_path(ctx) else {
        return out;
    };
    let origin = ctx.display_path(&path);
    let problem = |message: String| Problem {
        source: SOURCE,
        provider: Some(ProviderId::HUGGINGFACE),
        origin: origin.clone(),
        message,
    };
    match files::read_small(&path, &origin) {
        Ok(None) => {}
        Err(e) => out.problems.push(problem(e.to_string())),
        Ok(Some(text)) => match parse_token_file(&text) {
            None => out.problems.push(problem(format!(
                "{origin} is empty; log in again with `huggingface-cli login` or `cloudcreds set huggingface token`."
            ))),
            Some(token) => {
                let mut credentials = Credentials::new(ProviderId::HUGGINGFACE);
                match credentials.set("token", token) {
                    Ok(()) => out.found.push(Found {
                        source: SOURCE,
                        origin,
                        notes: Vec::new(),
                        credentials,
                    }),
                    Err(e) => out.problems.push(problem(e.to_string())),
                }
            }
        },
    }
    out
}
