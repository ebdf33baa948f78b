//! Which Azure cloud a check talks to: the authority host (a bare host is accepted, as
//! azure-identity accepts it) and the Resource Manager endpoint and scope that go with it.
//!
//! Sources: azure-identity `azure/identity/_internal/utils.py` `normalize_authority` (a
//! value without a scheme gets `https://`; any scheme other than https is refused; trailing
//! `/` and spaces are stripped) and `azure/identity/_constants.py` `AzureAuthorityHosts`
//! (`login.microsoftonline.com`, `login.microsoftonline.us`, `login.chinacloudapi.cn`).

use url::Url;

use crate::net::{host_of, parse_endpoint};
use crate::schema::Credentials;
use crate::schema::Env;
use crate::schema::Outcome;
use crate::schema::Status;

pub(crate) const AUTHORITY_ENV: &str = "AZURE_AUTHORITY_HOST";
pub(crate) const ARM_ENV: &str = "CLOUDCREDS_AZURE_ARM_ENDPOINT";

/// A cloud azure-identity knows by its authority host.
pub(crate) struct KnownCloud {
    pub name: &'static str,
    pub authority_host: &'static str,
    pub arm: &'static str,
}

pub(crate) const CLOUDS: [KnownCloud; 3] = [
    KnownCloud {
        name: "public",
        authority_host: "login.microsoftonline.com",
        arm: "https://management.azure.com",
    },
    KnownCloud {
        name: "usgov",
        authority_host: "login.microsoftonline.us",
        arm: "https://management.usgovcloudapi.net",
    },
    KnownCloud {
        name: "china",
        authority_host: "login.chinacloudapi.cn",
        arm: "https://management.chinacloudapi.cn",
    },
];

pub(crate) fn by_name(name: &str) -> Option<&'static KnownCloud> {
    CLOUDS.iter().find(|c| c.name == name)
}

fn by_authority(url: &Url) -> Option<&'static KnownCloud> {
    let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    CLOUDS
        .iter()
        .find(|c| c.authority_host == host && url.port().is_none())
}

/// An authority as azure-identity's `normalize_authority` reads it: a bare host such as
/// `login.microsoftonline.us` means `https://login.microsoftonline.us`.
pub(crate) fn parse_authority(raw: &str) -> Result<Url, Outcome> {
    let trimmed = raw.trim().trim_end_matches([' ', '/']);
    let full = if trimmed.contains("://") {
        trimmed.to_string()
    } else {
        format!("https://{trimmed}")
    };
    parse_endpoint(&full, "Azure authority host")
}

/// Where a check signs in and what it reads.
#[derive(Debug)]
pub(crate) struct Endpoints {
    pub authority: Url,
    pub arm: Url,
    /// `public`, `usgov`, `china`, or `custom`.
    pub cloud: &'static str,
}

impl Endpoints {
    /// `{arm}/.default`, the scope azure-mgmt clients request for Resource Manager.
    pub fn scope(&self) -> String {
        format!("{}/.default", self.arm.as_str().trim_end_matches('/'))
    }
}

/// Authority: the profile's field > `AZURE_AUTHORITY_HOST` > the profile's cloud.
/// Resource Manager: the profile's field or `CLOUDCREDS_AZURE_ARM_ENDPOINT` > the cloud
/// its authority host names > the public cloud. An authority host no known cloud uses
/// (a private or loopback one) needs an explicit Resource Manager endpoint.
pub(crate) fn resolve(creds: &Credentials, env: &Env) -> Result<Endpoints, Outcome> {
    let chosen = creds.get("cloud").unwrap_or("public");
    let authority_raw = creds
        .get("authority_host")
        .or_else(|| env.get(AUTHORITY_ENV))
        .or_else(|| by_name(chosen).map(|c| c.authority_host));
    let authority = match authority_raw {
        Some(raw) => parse_authority(raw)?,
        None => {
            return Err(Outcome::fail(
                Status::NotConfigured,
                "A custom Azure cloud needs an authority host.",
                format!("Set the profile's Authority host field or {AUTHORITY_ENV} (e.g. login.microsoftonline.com)."),
            ))
        }
    };
    let known = by_authority(&authority);
    let explicit_arm = creds.get("arm_endpoint").or_else(|| env.get(ARM_ENV));
    let arm_raw = match (explicit_arm, known) {
        (Some(raw), _) => raw,
        (None, Some(cloud)) => cloud.arm,
        (None, None) => {
            return Err(Outcome::fail(
                Status::NotConfigured,
                format!(
                    "The authority host {} is not one of Azure's known clouds, so cloudcreds cannot tell which Resource Manager endpoint goes with it.",
                    host_of(&authority)
                ),
                format!("Set the profile's Resource Manager endpoint field or {ARM_ENV} (e.g. https://management.azure.com), or use a known authority host: login.microsoftonline.com, login.microsoftonline.us or login.chinacloudapi.cn."),
            ))
        }
    };
    let arm = parse_endpoint(arm_raw, "Azure Resource Manager endpoint")?;
    let cloud = match known {
        Some(c) if by_arm(&arm).is_some_and(|a| a.name == c.name) => c.name,
        _ => "custom",
    };
    Ok(Endpoints {
        authority,
        arm,
        cloud,
    })
}

fn by_arm(url: &Url) -> Option<&'static KnownCloud> {
    let shown = url.as_str().trim_end_matches('/');
    CLOUDS.iter().find(|c| c.arm == shown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ProviderId;

    fn creds(fields: &[(&str, &str)]) -> Credentials {
        Credentials::from_values(
            ProviderId::AZURE,
            fields.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        )
        .unwrap()
    }

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn a_bare_authority_host_is_read_as_https_like_azure_identity() {
        let url = parse_authority("login.microsoftonline.us").unwrap();
        assert_eq!(url.as_str(), "https://login.microsoftonline.us/");
        let url = parse_authority("https://login.chinacloudapi.cn/ ").unwrap();
        assert_eq!(url.host_str(), Some("login.chinacloudapi.cn"));
        // azure-identity refuses a non-https scheme; we keep plain http for loopback only.
        let err = parse_authority("http://login.microsoftonline.us").unwrap_err();
        assert_eq!(err.status, Status::InvalidInput);
    }

    #[test]
    fn the_authority_host_picks_the_resource_manager_endpoint_and_scope() {
        let e = resolve(
            &creds(&[]),
            &env(&[(AUTHORITY_ENV, "login.microsoftonline.us")]),
        )
        .unwrap();
        assert_eq!(e.arm.as_str(), "https://management.usgovcloudapi.net/");
        assert_eq!(e.scope(), "https://management.usgovcloudapi.net/.default");
        assert_eq!(e.cloud, "usgov");

        let e = resolve(
            &creds(&[("authority_host", "login.chinacloudapi.cn")]),
            &env(&[]),
        )
        .unwrap();
        assert_eq!(e.scope(), "https://management.chinacloudapi.cn/.default");
        assert_eq!(e.authority.as_str(), "https://login.chinacloudapi.cn/");

        let e = resolve(&creds(&[]), &env(&[])).unwrap();
        assert_eq!(e.scope(), "https://management.azure.com/.default");
        assert_eq!(e.authority.as_str(), "https://login.microsoftonline.com/");

        let e = resolve(&creds(&[("cloud", "china")]), &env(&[])).unwrap();
        assert_eq!(e.arm.as_str(), "https://management.chinacloudapi.cn/");
    }

    #[test]
    fn an_explicit_resource_manager_endpoint_wins_over_the_cloud() {
        let e = resolve(
            &creds(&[("arm_endpoint", "https://arm.example.test")]),
            &env(&[(AUTHORITY_ENV, "login.microsoftonline.us")]),
        )
        .unwrap();
        assert_eq!(e.arm.as_str(), "https://arm.example.test/");
        assert_eq!(e.cloud, "custom");
        let e = resolve(
            &creds(&[]),
            &env(&[
                (AUTHORITY_ENV, "https://login.microsoftonline.us/"),
                (ARM_ENV, "https://arm.example.test"),
            ]),
        )
        .unwrap();
        assert_eq!(e.scope(), "https://arm.example.test/.default");
    }

    #[test]
    fn an_unknown_or_loopback_authority_needs_an_explicit_resource_manager_endpoint() {
        for host in ["login.example.test", "http://127.0.0.1:9/azure-login"] {
            let err = resolve(&creds(&[]), &env(&[(AUTHORITY_ENV, host)])).unwrap_err();
            assert_eq!(err.status, Status::NotConfigured, "{host}");
            assert!(err.hint.as_deref().unwrap().contains(ARM_ENV), "{err:?}");
        }
        let err = resolve(&creds(&[("cloud", "custom")]), &env(&[])).unwrap_err();
        assert_eq!(err.status, Status::NotConfigured);
        assert!(err.hint.as_deref().unwrap().contains(AUTHORITY_ENV));
    }
}
