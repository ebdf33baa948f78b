//! The `lambda` source: `~/.lambda_cloud/lambda_keys`. Its layout is not documented by
//! Lambda, so this reads it tolerantly: a bare `secret_…` key on a line, or `name = value` /
//! `NAME=value` lines whose value is a `secret_…` key. The first key is taken.

use crate::schema::text::{env_lines, unquote};
use crate::schema::Credentials;
use crate::schema::ProviderId;

use crate::providers::files;
use crate::providers::sources::{Discovery, Found, ImportContext, Problem, Source};

/// `import --source lambda`.
pub(crate) const SOURCE: Source = Source::new("lambda");

const KEY_PREFIX: &str = "secret_";

/// Every `secret_…` key in the file, in order.
pub(crate) fn parse_keys_file(text: &str) -> Vec<String> {
    let assigned: Vec<String> = env_lines(text)
        .into_iter()
        .map(|(_, v)| v)
        .filter(|v| v.starts_with(KEY_PREFIX))
        .collect();
    if !assigned.is_empty() {
        return assigned;
    }
    text.lines()
        .map(|l| unquote(l.trim()))
        .filter(|l| l.starts_with(KEY_PREFIX) && !l.contains(char::is_whitespace))
        .map(str::to_string)
        .collect()
}

pub(crate) fn discover(ctx: &ImportContext) -> Discovery {
    let mut out = Discovery::default();
    let Some(path) = ctx.home_path(".lambda_cloud/lambda_keys") else {
        return out;
    };
    let origin = ctx.display_path(&path);
    let problem = |message: String| Problem {
        source: SOURCE,
        provider: Some(ProviderId::LAMBDA),
        origin: origin.clone(),
        message,
    };
    let text = match files::read_small(&path, &origin) {
        Ok(Some(text)) => text,
        Ok(None) => return out,
        Err(e) => {
            out.problems.push(problem(e.to_string()));
            return out;
        }
    };
    let keys = parse_keys_file(&text);
    let Some(first) = keys.first() else {
        out.problems.push(problem(format!(
            "{origin} holds no Lambda API key (one starting with secret_); create a key at https://cloud.lambda.ai/api-keys."
        )));
        return out;
    };
    let mut credentials = Credentials::new(ProviderId::LAMBDA);
    if let Err(e) = credentials.set("api_key", first.clone()) {
        out.problems.push(problem(e.to_string()));
        return out;
    }
    let mut notes = Vec::new();
    if keys.len() > 1 {
        notes.push(format!(
            "{origin} holds {} keys; the first one is imported.",
            keys.len()
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
