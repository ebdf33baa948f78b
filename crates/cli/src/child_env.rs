//! The environment `exec` gives its command: each saved field under the ecosystem's standard
//! variable names (the provider registry's table), stale credential variables of those
//! providers removed, and a GCP key's file named by `GOOGLE_APPLICATION_CREDENTIALS`.

use cloudcreds_core::import::env_variables_for;
use cloudcreds_core::{providers, Credentials, ProviderId};
use secrecy::{ExposeSecret, SecretString};

/// The variable naming a GCP key file.
pub const GCP_KEY_VAR: &str = "GOOGLE_APPLICATION_CREDENTIALS";
const GCP_PROJECT_VAR: &str = "GOOGLE_CLOUD_PROJECT";

#[derive(Default)]
pub struct ChildEnv {
    /// Inherited variables to drop (credentials of the providers being injected).
    pub remove: Vec<&'static str>,
    /// Variables to set; values may be secrets.
    pub set: Vec<(&'static str, SecretString)>,
    /// The GCP key JSON, to be written to a private file whose path goes in `GCP_KEY_VAR`.
    pub gcp_key: Option<SecretString>,
}

impl ChildEnv {
    fn put(&mut self, var: &'static str, value: &str) {
        self.set.retain(|(v, _)| *v != var);
        self.set.push((var, SecretString::from(value.to_string())));
    }
}

/// The variables for `all` (one `Credentials` per provider).
pub fn build(all: &[Credentials]) -> ChildEnv {
    let mut env = ChildEnv::default();
    for creds in all {
        let id = creds.provider();
        let info = providers::info(id);
        for field in info.fields {
            let vars = env_variables_for(id, field.name);
            if field.required || field.kind.is_secret() {
                env.remove.extend(vars.iter().copied());
            }
            if id == ProviderId::GCP && field.name == "service_account_key" {
                env.gcp_key = creds.secret(field.name).cloned();
                continue;
            }
            let value = match creds.secret(field.name) {
                Some(s) => Some(s.expose_secret().to_string()),
                None => creds.get(field.name).map(str::to_string),
            };
            if let Some(value) = value {
                for var in vars {
                    env.put(var, &value);
                }
            }
        }
        if id == ProviderId::GCP && creds.get("project_id").is_none() {
            if let Some(project) = env
                .gcp_key
                .as_ref()
                .and_then(|k| key_project(k.expose_secret()))
            {
                env.put(GCP_PROJECT_VAR, &project);
            }
        }
    }
    env.remove.sort_unstable();
    env.remove.dedup();
    env
}

fn key_project(key: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_str(key).ok()?;
    Some(doc.get("project_id")?.as_str()?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(env: &'a ChildEnv, var: &str) -> Option<&'a str> {
        env.set
            .iter()
            .find(|(v, _)| *v == var)
            .map(|(_, s)| s.expose_secret())
    }

    #[test]
    fn standard_names_and_stale_session_tokens_removed() {
        let aws = Credentials::from_values(
            ProviderId::AWS,
            [
                (
                    "access_key_id".to_string(),
                    "AKIAIOSFODNN7EXAMPLE".to_string(),
                ),
                ("secret_access_key".to_string(), "s3cr3t".to_string()),
                ("region".to_string(), "eu-west-1".to_string()),
            ],
        )
        .unwrap();
        let gcp = Credentials::from_values(
            ProviderId::GCP,
            [(
                "service_account_key".to_string(),
                r#"{"project_id":"p-1"}"#.to_string(),
            )],
        )
        .unwrap();
        let env = build(&[aws, gcp]);
        assert_eq!(get(&env, "AWS_ACCESS_KEY_ID"), Some("AKIAIOSFODNN7EXAMPLE"));
        assert_eq!(get(&env, "AWS_SECRET_ACCESS_KEY"), Some("s3cr3t"));
        assert_eq!(get(&env, "AWS_REGION"), Some("eu-west-1"));
        assert_eq!(get(&env, "AWS_DEFAULT_REGION"), Some("eu-west-1"));
        assert_eq!(get(&env, "AWS_SESSION_TOKEN"), None);
        assert!(env.remove.contains(&"AWS_SESSION_TOKEN"));
        assert!(env.remove.contains(&GCP_KEY_VAR));
        assert_eq!(get(&env, "GOOGLE_CLOUD_PROJECT"), Some("p-1"));
        assert!(env.gcp_key.is_some());
    }
}
