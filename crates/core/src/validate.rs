//! Format validation, run before any request and as the user types: per-field issues
//! (missing, whitespace, control characters, and each provider's own format rules).

use secrecy::ExposeSecret;

use crate::providers;
use crate::schema::{Credentials, FieldIssue};
use crate::schema::{FieldKind, ProviderInfo};

/// Every issue with `creds`, at most one per field, in schema order. Empty means the
/// input is worth sending.
pub fn validate(creds: &Credentials) -> Vec<FieldIssue> {
    let info = providers::info(creds.provider());
    let mut issues = common(creds, info);
    for issue in (providers::def(creds.provider()).validate)(creds) {
        if !issues.iter().any(|i| i.field == issue.field) {
            issues.push(issue);
        }
    }
    let order = |i: &FieldIssue| info.fields.iter().position(|f| f.name == i.field);
    issues.sort_by_key(order);
    issues
}

/// The largest value any one-line field may hold. Real credentials are far smaller (an STS
/// session token is about 1-2 KB, HF/Lambda keys under 100 bytes); anything larger is a
/// pasted file or log, and would be refused by the server as an oversized header.
pub const MAX_FIELD_BYTES: usize = 16 * 1024;
/// The largest pasted document (a GCP service-account key is about 2.4 KB).
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;

/// The shared rules' issues alone (the provider's own are read with its check's input).
pub(crate) fn common_issues(creds: &Credentials) -> Vec<FieldIssue> {
    common(creds, creds.provider().info())
}

/// Rules every provider shares: a size limit, required fields, and no stray whitespace or
/// control characters in one-line fields (a pasted newline must never reach an HTTP header).
fn common(creds: &Credentials, info: &ProviderInfo) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    for field in info.fields {
        let value = if field.kind.is_secret() {
            creds
                .secret(field.name)
                .map(|s| s.expose_secret().to_string())
        } else {
            creds.plain_fields().get(field.name).cloned()
        };
        if let Some(message) = value.as_deref().and_then(|v| size_problem(v, field.kind)) {
            issues.push(FieldIssue::new(field.name, message));
            continue;
        }
        let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
            if field.required {
                issues.push(FieldIssue::missing(field.name, "Required."));
            }
            continue;
        };
        if field.kind == FieldKind::SecretDocument {
            continue;
        }
        if let Some(message) = one_line_problem(&value) {
            issues.push(FieldIssue::new(field.name, message));
        }
    }
    issues
}

/// Why a value is too large to be a credential, naming its size and the limit.
fn size_problem(value: &str, kind: FieldKind) -> Option<String> {
    let limit = if kind == FieldKind::SecretDocument {
        MAX_DOCUMENT_BYTES
    } else {
        MAX_FIELD_BYTES
    };
    (value.len() > limit).then(|| {
        format!(
            "Is {} ({} bytes), far larger than any real credential; the limit for this field is {} KiB. Paste only the credential itself, not a whole file or log.",
            kib(value.len()),
            value.len(),
            limit / 1024
        )
    })
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

/// Why a one-line value cannot be used as is, if it cannot.
pub(crate) fn one_line_problem(value: &str) -> Option<&'static str> {
    if value.trim() != value {
        Some("Has a space or line break at the start or end; remove it (copy the value alone).")
    } else if value.chars().any(|c| c.is_control()) {
        Some("Contains a line break or control character; paste it again as one line.")
    } else if value.chars().any(char::is_whitespace) {
        Some("Contains a space; paste the value again without it (it may have been cut in two).")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProviderId;

    #[test]
    fn guids() {
        assert!(crate::schema::text::is_guid(
            "72f988bf-86f1-41af-91ab-2d7cd011db47"
        ));
        assert!(!crate::schema::text::is_guid(
            "72f988bf-86f1-41af-91ab-2d7cd011db4"
        ));
        assert!(!crate::schema::text::is_guid("contoso.onmicrosoft.com"));
    }

    #[test]
    fn oversized_values_are_refused_for_every_field_of_every_provider() {
        for info in providers::all() {
            let id = info.id;
            for field in info.fields {
                let limit = if field.kind == FieldKind::SecretDocument {
                    MAX_DOCUMENT_BYTES
                } else {
                    MAX_FIELD_BYTES
                };
                let mut creds = Credentials::new(id);
                creds.set(field.name, "a".repeat(limit)).unwrap();
                let at_limit = validate(&creds);
                assert!(
                    at_limit.iter().all(|i| !i.message.contains("far larger")),
                    "{id:?}.{}: {at_limit:?}",
                    field.name
                );
                creds.set(field.name, "a".repeat(limit + 1)).unwrap();
                let issues = validate(&creds);
                let issue = issues
                    .iter()
                    .find(|i| i.field == field.name)
                    .unwrap_or_else(|| panic!("{id:?}.{}: {issues:?}", field.name));
                assert!(issue.message.contains("far larger"), "{issue:?}");
                assert!(
                    issue.message.contains(&format!("{} bytes", limit + 1)),
                    "{issue:?}"
                );
                assert!(
                    issue.message.contains(&format!("{} KiB", limit / 1024)),
                    "{issue:?}"
                );
                assert!(!issue.missing);
            }
        }
    }

    #[test]
    fn pasted_newlines_and_missing_fields_are_issues() {
        let mut creds = Credentials::new(ProviderId::HUGGINGFACE);
        let issues = validate(&creds);
        assert_eq!(issues.len(), 1);
        assert!(issues[0].missing && issues[0].field == "token");
        creds.set("token", "hf_abc\n".into()).unwrap();
        let issues = validate(&creds);
        assert_eq!(issues[0].field, "token");
        assert!(!issues[0].missing);
        assert!(issues[0].message.contains("line break"));
    }
}
