//! The `aws` source: one profile of the AWS shared files (`~/.aws/credentials`, then
//! `~/.aws/config`; `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE` move them). The
//! profile is `--aws-profile`, else `AWS_PROFILE`, else `default`, as the AWS tools pick it.
//! Sections are split by `ini` and each is read by the AWS paste parser.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::schema::Credentials;
use crate::schema::InputError;
use crate::schema::ProviderId;

use super::ini::{self, value};
use crate::providers::files;
use crate::providers::sources::{Discovery, Found, ImportContext, Problem, Source};

/// `import --source aws`.
pub(crate) const SOURCE: Source = Source::new("aws");

type Pairs = Vec<(String, String)>;

/// A file's profiles: name → `key = value` pairs. In the config file only `[default]` and
/// `[profile NAME]` sections are profiles.
pub(crate) fn profiles(text: &str, config: bool) -> BTreeMap<String, (String, Pairs)> {
    let mut out = BTreeMap::new();
    for section in ini::sections(text) {
        let name = if config {
            match section.name.strip_prefix("profile") {
                Some(rest) if rest.starts_with(char::is_whitespace) => rest.trim().to_string(),
                _ if section.name == "default" => section.name.clone(),
                _ => continue,
            }
        } else {
            section.name.clone()
        };
        let pairs: Pairs = ini::pairs(&section.body);
        out.insert(name, (section.body, pairs));
    }
    out
}

/// Reads one profile's static keys (and region) with the AWS paste parser.
pub(crate) fn credentials_of(body: &str, pairs: &Pairs) -> Option<Result<Credentials, InputError>> {
    value(pairs, "aws_access_key_id")?;
    super::paste::parse_paste(&format!("[profile]\n{body}"))
}

fn path(ctx: &ImportContext, var: &str, rel: &str) -> Option<PathBuf> {
    match ctx.env.get(var) {
        Some(p) => Some(PathBuf::from(p)),
        None => ctx.home_path(rel),
    }
}

/// Why a profile without static keys cannot be imported.
fn keyless_reason(pairs: &Pairs) -> &'static str {
    if value(pairs, "sso_start_url").is_some() || value(pairs, "sso_session").is_some() {
        "signs in through IAM Identity Center (SSO)"
    } else if value(pairs, "role_arn").is_some() {
        "assumes a role"
    } else if value(pairs, "credential_process").is_some() {
        "gets its keys from a credential_process"
    } else {
        "has no aws_access_key_id"
    }
}

pub(crate) fn discover(ctx: &ImportContext) -> Discovery {
    let mut out = Discovery::default();
    let mut files = Vec::new();
    for (var, rel, config) in [
        ("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials", false),
        ("AWS_CONFIG_FILE", ".aws/config", true),
    ] {
        let Some(path) = path(ctx, var, rel) else {
            continue;
        };
        let shown = ctx.display_path(&path);
        match files::read_small(&path, &shown) {
            Ok(Some(text)) => files.push((shown, profiles(&text, config))),
            Ok(None) => {}
            Err(message) => out.problems.push(Problem {
                source: SOURCE,
                provider: Some(ProviderId::AWS),
                origin: shown,
                message,
            }),
        }
    }
    if files.is_empty() {
        return out;
    }
    let wanted = ctx
        .aws_profile
        .clone()
        .or_else(|| ctx.env.get("AWS_PROFILE").map(str::to_string))
        .unwrap_or_else(|| "default".to_string());
    let region = files
        .iter()
        .filter_map(|(_, p)| p.get(&wanted))
        .find_map(|(_, pairs)| value(pairs, "region").map(str::to_string));
    let with_keys: Vec<String> = {
        let mut names: Vec<String> = files
            .iter()
            .flat_map(|(_, p)| p.iter())
            .filter(|(_, (_, pairs))| value(pairs, "aws_access_key_id").is_some())
            .map(|(n, _)| n.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    };
    let others: Vec<&str> = with_keys
        .iter()
        .map(String::as_str)
        .filter(|n| *n != wanted)
        .collect();
    for (shown, profiles) in &files {
        let Some((body, pairs)) = profiles.get(&wanted) else {
            continue;
        };
        let origin = format!("{shown} [{wanted}]");
        match credentials_of(body, pairs) {
            None => continue,
            Some(Err(e)) => out.problems.push(Problem {
                source: SOURCE,
                provider: Some(ProviderId::AWS),
                origin,
                message: e.to_string(),
            }),
            Some(Ok(mut credentials)) => {
                if credentials.get("region").is_none() {
                    if let Some(r) = &region {
                        let _ = credentials.set("region", r.clone());
                    }
                }
                let mut notes = Vec::new();
                if !others.is_empty() {
                    notes.push(format!(
                        "Other AWS profiles with keys: {} (pick one with --aws-profile NAME).",
                        others.join(", ")
                    ));
                }
                out.found.push(Found {
                    source: SOURCE,
                    origin,
                    notes,
                    credentials,
                });
            }
        }
        return out;
    }
    // The wanted profile has no static keys anywhere: say why.
    let (shown, reason) = match files
        .iter()
        .find_map(|(shown, p)| p.get(&wanted).map(|(_, pairs)| (shown, pairs)))
    {
        Some((shown, pairs)) => (shown.clone(), Some(keyless_reason(pairs))),
        None => (files[0].0.clone(), None),
    };
    let message = match reason {
        Some(reason) => format!(
            "AWS profile '{wanted}' {reason}, so it has no access key to import; run `aws configure \
             export-credentials --profile {wanted} --format env` and import from the environment, or pick \
             another profile with --aws-profile NAME."
        ),
        None if others.is_empty() => format!("The AWS files have no profile '{wanted}' and no access keys."),
        None => format!(
            "The AWS files have no profile '{wanted}'; profiles with keys: {}. Pick one with --aws-profile NAME.",
            others.join(", ")
        ),
    };
    out.problems.push(Problem {
        source: SOURCE,
        provider: Some(ProviderId::AWS),
        origin: format!("{shown} [{wanted}]"),
        message,
    });
    out
}
