//! The `gcloud` source: the key file named by `GOOGLE_APPLICATION_CREDENTIALS`, else gcloud's
//! application-default credentials file. Only a service-account key can be checked; a user
//! login (`authorized_user`) or a federation config is named as such, never imported.

use std::path::PathBuf;

use crate::schema::Credentials;
use crate::schema::InputError;
use crate::schema::ProviderId;

use super::key::{classify, GoogleJson};
use super::{KEY_FILE, KEY_FILE_VAR};
use crate::providers::env::missing_key_file;
use crate::providers::files;
use crate::providers::sources::{Discovery, Found, ImportContext, Problem, Source};

/// `import --source gcloud`.
pub(crate) const SOURCE: Source = Source::new("gcloud");

const KEYS_PAGE: &str = "IAM & Admin › Service accounts › Keys";

/// Checks that `text` (read from `shown`) is a service-account key file; returns it as is.
/// Messages never quote the file's content.
pub(crate) fn parse_key_file(text: &str, shown: &str) -> Result<String, InputError> {
    key_file_text(text, shown).map_err(InputError::Unusable)
}

fn key_file_text(text: &str, shown: &str) -> Result<String, String> {
    let not_a_key = |what: &str| {
        Err(format!(
            "{shown} is {what}, not a service-account key; cloudcreds checks service-account keys: \
             create one in the console ({KEYS_PAGE}) and point {KEY_FILE_VAR} at it."
        ))
    };
    match classify(text) {
        GoogleJson::NotJson => Err(format!(
            "{shown} is not valid JSON, so it is not a service-account key file."
        )),
        GoogleJson::NotObject => Err(format!(
            "{shown} is JSON but not an object, so it is not a service-account key file."
        )),
        GoogleJson::UserLogin => not_a_key(
            "a gcloud user login (type authorized_user, written by `gcloud auth application-default login`)",
        ),
        GoogleJson::Federation => {
            not_a_key("a workload identity federation configuration (type external_account)")
        }
        GoogleJson::Impersonation => {
            not_a_key("an impersonation configuration (type impersonated_service_account)")
        }
        GoogleJson::OAuthClient => not_a_key("an OAuth client ID file (client_secret_….json)"),
        GoogleJson::ServiceAccount | GoogleJson::Other => Ok(text.trim().to_string()),
    }
}

/// gcloud's application-default credentials file.
fn adc_path(ctx: &ImportContext) -> Option<PathBuf> {
    if let Some(dir) = ctx.env.get("CLOUDSDK_CONFIG") {
        return Some(PathBuf::from(dir).join("application_default_credentials.json"));
    }
    ctx.home_path(".config/gcloud/application_default_credentials.json")
}

pub(crate) fn discover(ctx: &ImportContext) -> Discovery {
    let mut out = Discovery::default();
    let (path, origin) = match ctx.env.get(KEY_FILE_VAR) {
        Some(p) => {
            let path = PathBuf::from(p);
            let origin = format!("{KEY_FILE_VAR} ({})", ctx.display_path(&path));
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
        source: SOURCE,
        provider: Some(ProviderId::GCP),
        origin: origin.clone(),
        message,
    };
    let text = match files::read_small(&path, &origin) {
        Ok(Some(text)) => text,
        Ok(None) if ctx.env.get(KEY_FILE_VAR).is_some() => {
            out.problems.push(problem(missing_key_file(&KEY_FILE)));
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
                source: SOURCE,
                origin,
                notes: Vec::new(),
                credentials,
            });
        }
        Err(e) => out.problems.push(problem(e.to_string())),
    }
    out
}
