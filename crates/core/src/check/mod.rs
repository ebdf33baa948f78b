//! Running checks: `check` turns one provider's credentials into a `CheckReport` (never
//! an error, never a panic), `check_all` runs several at once and hands each report over
//! the moment it is ready.

use std::sync::Arc;
use std::time::{Duration, Instant};

use secrecy::ExposeSecret;
use tokio::sync::mpsc;
use tracing::Instrument;

use crate::net::Session;
use crate::providers;
use crate::schema::text::list;
use crate::schema::Credentials;
use crate::schema::Env;
use crate::schema::{now_rfc3339, CheckReport, Status};
use crate::schema::{FieldIssue, Outcome};
use crate::validate;

/// A custom DNS resolver for tests and special setups (`CheckContext::with_dns_resolver`).
pub use reqwest::dns;

/// Time limits for one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckOptions {
    /// The whole check, retries and every request included.
    pub deadline: Duration,
    /// Establishing one TCP (and TLS) connection.
    pub connect_timeout: Duration,
}

impl Default for CheckOptions {
    fn default() -> Self {
        Self {
            deadline: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
        }
    }
}

/// What checks share: the environment snapshot (endpoint overrides, proxy), the time
/// limits and one HTTP client (so connections are pooled across checks).
pub struct CheckContext {
    env: Env,
    options: CheckOptions,
    client: Result<reqwest::Client, String>,
}

impl CheckContext {
    pub fn new(env: Env, options: CheckOptions) -> Self {
        let client = crate::net::client::build(&env, options.connect_timeout, None);
        Self {
            env,
            options,
            client,
        }
    }

    /// Like `new`, resolving host names with `resolver` instead of the system's DNS.
    pub fn with_dns_resolver(
        env: Env,
        options: CheckOptions,
        resolver: Arc<dyn dns::Resolve>,
    ) -> Self {
        let client = crate::net::client::build(&env, options.connect_timeout, Some(resolver));
        Self {
            env,
            options,
            client,
        }
    }

    pub fn env(&self) -> &Env {
        &self.env
    }

    pub fn options(&self) -> &CheckOptions {
        &self.options
    }
}

impl std::fmt::Debug for CheckContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckContext")
            .field("env", &self.env)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// Tests one provider's credentials. Every failure, including bad input, is a report.
pub async fn check(creds: &Credentials, ctx: &CheckContext) -> CheckReport {
    let started = Instant::now();
    let def = providers::def(creds.provider());
    let info = providers::info(creds.provider());
    let session = Session::new(&ctx.client, &ctx.env, info.name, ctx.options.deadline)
        .with_connect_timeout(ctx.options.connect_timeout);
    // The shared rules first; the provider reads its typed input (and its own rules) once.
    let shared_ok = validate::common_issues(creds).is_empty();
    let outcome = match shared_ok.then(|| (def.check)(creds, &session)) {
        Some(Ok(running)) => {
            // A safety net only: every request is already bounded by the deadline.
            let grace = ctx.options.deadline + Duration::from_millis(500);
            let span = tracing::info_span!("check", provider = %creds.provider());
            match tokio::time::timeout(grace, running).instrument(span).await {
                Ok(outcome) => outcome,
                Err(_) => session.timeout_outcome(info.name),
            }
        }
        // Refused: every issue, shared and the provider's, one per field in form order.
        _ => refuse_input(creds, &validate::validate(creds)).unwrap_or_else(|| {
            Outcome::fail(
                Status::InvalidInput,
                format!("{} could not read this input.", info.name),
                "Check the fields and test again.",
            )
        }),
    };
    let clock_offset_ms = session.clock_offset_ms();
    let outcome = crate::net::clock::annotate(outcome, clock_offset_ms, def.clock, info.name);
    let outcome = scrub(outcome, creds, def.secret_json_keys);
    tracing::info!(provider = %creds.provider(), status = %outcome.status, "check finished");
    CheckReport {
        provider: creds.provider(),
        status: outcome.status,
        summary: outcome.summary,
        identity: outcome.identity,
        hint: outcome.hint,
        provider_code: outcome.provider_code,
        requests: session.into_records(),
        clock_offset_ms,
        elapsed_ms: started.elapsed().as_millis() as u64,
        checked_at: now_rfc3339(),
    }
}

/// Runs every check concurrently on the current tokio runtime; each report arrives on
/// the receiver as soon as its check is done, so a slow provider delays nobody.
pub fn check_all(
    items: impl IntoIterator<Item = Credentials>,
    ctx: Arc<CheckContext>,
) -> mpsc::Receiver<CheckReport> {
    let items: Vec<Credentials> = items.into_iter().collect();
    let (tx, rx) = mpsc::channel(items.len().max(1));
    for creds in items {
        let tx = tx.clone();
        let ctx = ctx.clone();
        tokio::spawn(async move {
            let provider = creds.provider();
            let task = tokio::spawn({
                let ctx = ctx.clone();
                async move { check(&creds, &ctx).await }
            });
            let report = match task.await {
                Ok(report) => report,
                Err(_) => panicked(provider),
            };
            let _ = tx.send(report).await;
        });
    }
    rx
}

fn panicked(provider: crate::schema::ProviderId) -> CheckReport {
    CheckReport::decided(
        provider,
        Status::UnexpectedResponse,
        "The check stopped unexpectedly inside cloudcreds.",
        "Run the check again; if it repeats, report it with the provider name.",
    )
}

/// Missing required fields are `not_configured`; any other field issue is `invalid_input`.
fn refuse_input(creds: &Credentials, issues: &[FieldIssue]) -> Option<Outcome> {
    let info = providers::info(creds.provider());
    let label = |name: &str| info.field(name).map(|f| f.label).unwrap_or("A field");
    let missing: Vec<&str> = issues
        .iter()
        .filter(|i| i.missing)
        .map(|i| label(&i.field))
        .collect();
    if !missing.is_empty() {
        return Some(Outcome::fail(
            Status::NotConfigured,
            format!("{} is not set up: {} missing.", info.name, list(&missing)),
            format!("Fill in {} (see {}).", list(&missing), info.console_url),
        ));
    }
    let first = issues.first()?;
    let more = match issues.len() {
        1 => String::new(),
        n => format!(" ({} more issue{})", n - 1, if n == 2 { "" } else { "s" }),
    };
    // The summary carries the first problem; the hint never repeats it word for word.
    let hint = if issues.len() == 1 {
        format!(
            "Nothing was sent to {}. Correct the {} and test again.",
            info.name,
            label(&first.field)
        )
    } else {
        issues
            .iter()
            .map(|i| format!("{}: {}", label(&i.field), i.message))
            .collect::<Vec<_>>()
            .join(" ")
    };
    Some(Outcome::fail(
        Status::InvalidInput,
        format!("{}: {}{more}", label(&first.field), first.message),
        hint,
    ))
}

/// Last line of defence: no secret value (nor a key inside a secret document) survives in
/// any text of the outcome, whatever a provider echoed back.
fn scrub(mut outcome: Outcome, creds: &Credentials, json_keys: &[&str]) -> Outcome {
    let mut secrets: Vec<String> = Vec::new();
    for value in creds.secret_fields().values() {
        let value = value.expose_secret();
        secrets.push(value.trim().to_string());
        if let Ok(serde_json::Value::Object(doc)) = serde_json::from_str(value) {
            for key in json_keys {
                if let Some(s) = doc.get(*key).and_then(|v| v.as_str()) {
                    secrets.push(s.to_string());
                    secrets.extend(s.lines().filter(|l| l.len() >= 16).map(str::to_string));
                }
            }
        }
    }
    secrets.retain(|s| s.len() >= 6);
    let clean = |text: &mut String| {
        for s in &secrets {
            if text.contains(s.as_str()) {
                *text = text.replace(s.as_str(), "[redacted]");
            }
        }
    };
    clean(&mut outcome.summary);
    if let Some(h) = outcome.hint.as_mut() {
        clean(h);
    }
    if let Some(c) = outcome.provider_code.as_mut() {
        clean(c);
    }
    for entry in &mut outcome.identity {
        clean(&mut entry.value);
    }
    outcome
}
