//! How results look in a terminal and in JSON: check lines and the summary, profile
//! listings, the import listing. Pure functions from core types to text, so every format is
//! tested without running a command. Nothing here ever receives a secret value.

use cloudcreds_core::import::{Found, Problem};
use cloudcreds_core::profile::{hint_for, ProfileSummary, ProviderSettings};
use cloudcreds_core::{providers, CheckReport, ProviderId, Status};
use secrecy::ExposeSecret;
use serde::Serialize;

/// `println!` for stdout that stays quiet when the reader has gone (`cloudcreds profiles
/// | head -1`): the process ends with status 0 instead of panicking. That is ripgrep's
/// convention (crates/core/main.rs: a `BrokenPipe` error exits "gracefully" with success);
/// the Rust runtime ignores SIGPIPE, so a closed pipe shows up here as `BrokenPipe`.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::write_line(format_args!($($arg)*))
    };
}

pub fn write_line(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let written = out
        .write_fmt(line)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        drop(out);
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("cloudcreds: could not write the output: {e}.");
        std::process::exit(i32::from(crate::error::FAILED));
    }
}

/// Text from outside (provider messages, file paths, field values) with control characters
/// replaced, so nothing printed can move the cursor or rewrite the terminal.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() && c != '\n' { '?' } else { c })
        .collect()
}

fn one_line(text: &str) -> String {
    clean(text).replace('\n', " ")
}

fn name(provider: ProviderId) -> &'static str {
    providers::info(provider).name
}

fn duration(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}

/// One provider's result: a status line, then identity and hint lines when there are any.
pub fn check_line(report: &CheckReport) -> String {
    let mark = if report.status == Status::Ok {
        "ok  "
    } else {
        "FAIL"
    };
    let mut out = format!(
        "{mark}  {:<13} {}",
        name(report.provider),
        one_line(&report.summary)
    );
    if report.status != Status::Ok {
        out.push_str(&format!(" [{}", report.status));
        if let Some(code) = &report.provider_code {
            out.push_str(&format!(", {}", one_line(code)));
        }
        out.push(']');
    }
    out.push_str(&format!(" ({})", duration(report.elapsed_ms)));
    if report.status == Status::Ok && !report.identity.is_empty() {
        let facts: Vec<String> = report
            .identity
            .iter()
            .map(|e| format!("{}: {}", one_line(&e.key), one_line(&e.value)))
            .collect();
        out.push_str(&format!("\n      {}", facts.join(" · ")));
    }
    if let Some(hint) = report
        .hint
        .as_ref()
        .filter(|h| h.trim() != report.summary.trim())
    {
        out.push_str(&format!("\n      → {}", one_line(hint)));
    }
    out
}

/// The closing line: how many were checked, how many passed, which failed.
pub fn summary(reports: &[CheckReport]) -> String {
    let ok = reports.iter().filter(|r| r.status == Status::Ok).count();
    let failed: Vec<String> = reports
        .iter()
        .filter(|r| r.status != Status::Ok)
        .map(|r| format!("{} {}", r.provider, r.status))
        .collect();
    let n = reports.len();
    let plural = if n == 1 { "provider" } else { "providers" };
    if failed.is_empty() {
        format!("{ok} of {n} {plural} ok.")
    } else {
        format!("{ok} of {n} {plural} ok; failed: {}.", failed.join(", "))
    }
}

/// Bumped when a field of the `check --json` document changes meaning or goes away.
const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct Results<'a> {
    schema_version: u32,
    results: &'a [CheckReport],
}

/// `{"results": [...]}` as documented in docs/check-output.schema.json.
pub fn json_results(reports: &[CheckReport]) -> String {
    serde_json::to_string_pretty(&Results {
        schema_version: SCHEMA_VERSION,
        results: reports,
    })
    .unwrap_or_else(|_| format!("{{\"schema_version\":{SCHEMA_VERSION},\"results\":[]}}"))
}

/// Pretty JSON of a value that has no secret field (profile summaries).
pub fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string())
}

/// `cloudcreds profiles list`.
pub fn profile_list(profiles: &[ProfileSummary]) -> String {
    if profiles.is_empty() {
        return "No profiles yet: save credentials with `cloudcreds set` or `cloudcreds import`."
            .to_string();
    }
    let width = profiles
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(0);
    profiles
        .iter()
        .map(|p| {
            let mark = if p.active { '*' } else { ' ' };
            let providers = if p.providers.is_empty() {
                "(no providers)".to_string()
            } else {
                p.providers
                    .iter()
                    .map(|s| s.provider.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let stale = if p.has_stale_secrets {
                "  (has secrets to rotate)"
            } else {
                ""
            };
            format!("{mark} {:<width$}  {providers}{stale}", clean(&p.name))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `cloudcreds show`.
pub fn profile_show(p: &ProfileSummary) -> String {
    let mut out = format!(
        "Profile '{}'{} — created {}",
        clean(&p.name),
        if p.active { " (active)" } else { "" },
        clean(&p.created_at)
    );
    if p.providers.is_empty() {
        out.push_str(
            "\n  No providers saved: add some with `cloudcreds set` or `cloudcreds import`.",
        );
    }
    for s in &p.providers {
        out.push('\n');
        out.push_str(&provider_block(s));
    }
    out
}

fn provider_block(s: &ProviderSettings) -> String {
    let info = providers::info(s.provider);
    let mut lines = vec![format!("  {} ({})", info.name, s.provider)];
    for (field, value) in &s.fields {
        lines.push(format!("    {:<22} {}", clean(field), one_line(value)));
    }
    for secret in &s.secrets {
        let state = if !secret.set {
            "not set".to_string()
        } else {
            let hint = secret.hint.clone().unwrap_or_else(|| "(set)".into());
            let age = match secret.age_days {
                Some(0) => ", set today".to_string(),
                Some(1) => ", set 1 day ago".to_string(),
                Some(d) => format!(", set {d} days ago"),
                None => String::new(),
            };
            let stale = if secret.stale {
                " — older than the rotation limit: rotate it"
            } else {
                ""
            };
            format!("{hint}{age}{stale}")
        };
        lines.push(format!("    {:<22} {}", secret.field, state));
    }
    match &s.last_check {
        Some(c) => lines.push(format!(
            "    {:<22} {} at {}: {}",
            "last check",
            c.status,
            clean(&c.checked_at),
            one_line(&c.summary)
        )),
        None => lines.push(format!("    {:<22} never", "last check")),
    }
    lines.join("\n")
}

/// One found credential: provider, where it was found, its fields (secrets masked).
pub fn found_line(f: &Found) -> String {
    let creds = &f.credentials;
    let mut fields: Vec<String> = creds
        .plain_fields()
        .iter()
        .map(|(k, v)| format!("{k}={}", one_line(v)))
        .collect();
    for (k, v) in creds.secret_fields() {
        let info = providers::info(creds.provider());
        let hint = info
            .field(k)
            .and_then(|f| hint_for(f.kind, v.expose_secret()));
        fields.push(format!("{k} {}", hint.unwrap_or_else(|| "(set)".into())));
    }
    let mut out = format!(
        "  {:<12} {}\n               {}",
        creds.provider().as_str(),
        clean(&f.origin),
        fields.join(", ")
    );
    for note in &f.notes {
        out.push_str(&format!("\n               note: {}", one_line(note)));
    }
    out
}

/// A found credential that loses to an earlier one for the same provider.
pub fn shadowed_line(f: &Found, winner: &Found) -> String {
    format!(
        "  {:<12} {}: not imported, {} comes first",
        f.credentials.provider().as_str(),
        clean(&f.origin),
        clean(&winner.origin)
    )
}

/// Something found that cannot be imported.
pub fn problem_line(p: &Problem) -> String {
    let provider = p.provider.map_or("-", |p| p.as_str());
    format!(
        "  {:<12} {}: {}",
        provider,
        clean(&p.origin),
        one_line(&p.message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(clean("a\u{1b}[2Jb\rc"), "a?[2Jb?c");
    }

    #[test]
    fn summary_names_the_failures() {
        let mut r = CheckReport {
            provider: ProviderId::AWS,
            status: Status::Ok,
            summary: "fine".into(),
            identity: vec![],
            hint: None,
            provider_code: None,
            requests: vec![],
            clock_offset_ms: None,
            elapsed_ms: 1500,
            checked_at: "2025-01-01T00:00:00Z".into(),
        };
        assert_eq!(summary(std::slice::from_ref(&r)), "1 of 1 provider ok.");
        assert!(check_line(&r).starts_with("ok    AWS"));
        assert!(check_line(&r).ends_with("(1.5 s)"));
        r.status = Status::Timeout;
        r.hint = Some("retry".into());
        assert_eq!(
            summary(&[r.clone()]),
            "0 of 1 provider ok; failed: aws timeout."
        );
        assert!(check_line(&r).contains("[timeout]"));
    }
}
