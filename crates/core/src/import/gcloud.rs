//! The `gcloud` source: the key file named by `GOOGLE_APPLICATION_CREDENTIALS`, else gcloud's
//! application-default credentials file. Only a service-account key can be checked; a user
//! login (`authorized_user`) or a federation config is named as such, never imported.

use std::path::PathBuf;

use crate::schema::Credentials;
use crate::schema::ProviderId;

use super::env::GCP_KEY_VAR;
use super::{file, format_notes, Discovery, Found, ImportContext, Problem, Source};

const KEYS_PAGE: &str = "IAM & Admin › Service accounts › Keys";

/// Checks that `text` (read from `shown`) is a service-account key file; returns it as is.
/// Messages never quote the file's content.
pub fn parse_key_file(text: &str, shown: &str) -> Result<String, String> {
    let doc: serde_json::Value = serde_json::from_str(text.trim()).map_err(|_| {
        format!("{shown} is not valid JSON, so it is not a service-account key file.")
    })?;
    let Some(obj) = doc.as_object() else {
        return Err(format!(
            "{shown} is JSON but not an object, so it is not a service-account key file."
        ));
    };
    let kind = obj.get("type").and_then(|t| t.as_str()).unwrap_or("");
    let not_a_key = |what: &str| {
        Err(format!(
            "{shown} is {what}, not a service-account key; cloudcreds checks service-account keys: \
             create one in the console ({KEYS_PAGE}) and point {GCP_KEY_VAR} at it."
        ))
    };
    match kind {
        "authorized_user" => not_a_key(
            "a gcloud user login (type authorized_user, written by `gcloud auth application-default login`)",
        ),
        "external_account" | "external_account_authorized_user" => {
            not_a_key("a workload identity federation configuration (type external_account)")
        }
        "impersonated_service_account" => {
            not_a_key("an impersonation configuration (type impersonated_service_account)")
        }
        _ => Ok(text.trim().to_string()),
    }
}

/// gcloud's application-default credentials file.
fn adc_path(ctx: &ImportContext) -> Option<PathBuf> {
    if let Some(dir) = ctx.env.get("CLOUDSDK_CONFIG") {
        return Some(PathBuf::from(dir).join("application_default_credentials.json"));
    }
    ctx.home_path(".config/gcloud/application_default_credentials.json")
}

pub(super) fn discover(ctx: &ImportContext) -> Discovery {
    let mut out = Discovery::default();
    let (path, origin) = match ctx.env.get(GCP_KEY_VAR) {
        Some(p) => {
            let path = PathBuf::from(p);
            let origin = format!("{GCP_KEY_VAR} ({})", ctx.display_path(&path));
            (path, origin)
        }
        None => match adc_path(ctx) {
            Some(path) => {
                let origin = ctx.display_path(&path);
                (path, origin)
            }
            None => return out,
        },
    };
    let problem = |message: String| Problem {
        source: Source::Gcloud,
        provider: Some(ProviderId::GCP),
        origin: origin.clone(),
        message,
    };
    let text = match file::read_small(&path, &origin) {
        Ok(Some(text)) => text,
        Ok(None) if ctx.env.get(GCP_KEY_VAR).is_some() => {
            out.problems.push(problem(format!(
                "{GCP_KEY_VAR} names a file that does not exist; point it at a service-account key JSON file."
            )));
            return out;
        }
        Ok(None) => return out,
        Err(e) => {
            out.problems.push(problem(e.to_string()));
            return out;
        }
    };
    match parse_key_file(&text, &origin) {
        Ok(key) => {
            let mut credentials = Credentials::new(ProviderId::GCP);
            if let Err(e) = credentials.set("service_account_key", key) {
                out.problems.push(problem(e.to_string()));
                return out;
            }
            out.found.push(Found {
                source: Source::Gcloud,
                origin,
                notes: format_notes(&credentials),
                credentials,
            });
        }
        Err(e) => out.problems.push(problem(e)),
    }
    out
}
