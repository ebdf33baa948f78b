//! Endpoint policy: which URLs a check may contact (https anywhere, plain http only to
//! loopback) and how a URL is written into a report (no credentials, no query values).

use std::net::IpAddr;

use url::{Host, Url};

use crate::schema::Outcome;
use crate::schema::Status;

/// Parses an endpoint a user or the environment supplied. `what` names it in messages
/// ("HuggingFace endpoint"); the raw value is never echoed, as it may carry credentials.
pub(crate) fn parse_endpoint(raw: &str, what: &str) -> Result<Url, Outcome> {
    let invalid = |summary: String, hint: &str| Outcome::fail(Status::InvalidInput, summary, hint);
    let mut url = Url::parse(raw.trim()).map_err(|_| {
        invalid(
            format!("The {what} is not a valid URL."),
            "Enter a full URL such as https://host.example.com, or clear the field to use the default.",
        )
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            format!("The {what} contains a user name or password."),
            "Remove the user:password@ part; credentials go in their own fields.",
        ));
    }
    let host = url.host_str().unwrap_or_default().to_string();
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(invalid(
                format!("The {what} uses plain http to {host}, which is not this machine."),
                "Use https:// — plain http is only allowed to localhost / 127.0.0.1.",
            ))
        }
        _ => {
            return Err(invalid(
                format!("The {what} must start with https://."),
                "Use an https:// URL.",
            ))
        }
    }
    if host.is_empty() {
        return Err(invalid(
            format!("The {what} has no host name."),
            "Enter a full URL such as https://host.example.com.",
        ));
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// True for `localhost`, `*.localhost`, 127.0.0.0/8 and ::1.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// `base` with `segments` appended to its path, each percent-encoded as one segment.
pub(crate) fn join(base: &Url, segments: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url
}

/// The URL as recorded in a report: no user info, and the query only when the request
/// marked it public (`limit=1`, `api-version=...`); otherwise its values are replaced.
pub(crate) fn display_url(url: &Url, public_query: bool) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_fragment(None);
    if !public_query {
        let names: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        if names.is_empty() {
            shown.set_query(None);
        } else {
            shown.set_query(Some(
                &names
                    .iter()
                    .map(|n| format!("{n}=redacted"))
                    .collect::<Vec<_>>()
                    .join("&"),
            ));
        }
    }
    shown.to_string()
}

/// The host (and port) of a URL, for messages.
pub(crate) fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => "the server".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(parse_endpoint("http://127.0.0.1:8080/hf", "x").is_ok());
        assert!(parse_endpoint("http://localhost/", "x").is_ok());
        assert!(parse_endpoint("http://[::1]:9/", "x").is_ok());
        assert!(parse_endpoint("https://huggingface.co", "x").is_ok());
        let err = parse_endpoint("http://example.invalid", "HuggingFace endpoint").unwrap_err();
        assert_eq!(err.status, Status::InvalidInput);
        assert!(err.summary.contains("example.invalid"), "{}", err.summary);
        assert!(parse_endpoint("ftp://x", "x").is_err());
        let err = parse_endpoint("https://u:pw-canary@h.example", "x").unwrap_err();
        assert!(!format!("{err:?}").contains("pw-canary"));
    }

    #[test]
    fn recorded_urls_drop_query_values_unless_public() {
        let url = Url::parse("https://h.example/a?token=canary&x=1").unwrap();
        let shown = display_url(&url, false);
        assert!(!shown.contains("canary"), "{shown}");
        assert!(shown.contains("token=redacted"), "{shown}");
        assert_eq!(display_url(&url, true), url.to_string());
    }

    #[test]
    fn join_appends_encoded_segments() {
        let base = Url::parse("http://127.0.0.1:1/azure-login/").unwrap();
        let url = join(&base, &["a/b", "oauth2"]);
        assert_eq!(url.path(), "/azure-login/a%2Fb/oauth2");
    }
}
