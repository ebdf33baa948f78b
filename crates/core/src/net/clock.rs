//! This computer's clock against the provider's: measured once per check from a response's
//! `Date` header, and turned into a summary (failed check) or a warning hint (passed check)
//! when it is far enough off to matter. The per-provider tolerances live here, as data.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::schema::text::plural;
use crate::schema::Outcome;
use crate::schema::Status;

/// A passed check still warns once the clock is this far off.
const WARN_MS: i64 = 60_000;

/// How far a provider lets a request's clock be from its own before refusing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub minutes: i64,
    /// True when the provider documents the figure; false when it is cloudcreds' own
    /// assumption (see docs/error-bodies.md, "The clock").
    pub documented: bool,
}

impl Window {
    /// For providers that document no tolerance for this computer's time: cloudcreds
    /// assumes 5 minutes and says the figure is its own.
    pub const ASSUMED: Window = Window {
        minutes: 5,
        documented: false,
    };
}

/// This computer's clock minus the provider's, in milliseconds (positive: this computer
/// is ahead), from one exchange: sent and received on this computer's clock, `date` from
/// the response's `Date` header, `age` from its `Age` header (a cache's copy is that many
/// seconds older than the provider's clock now).
///
/// The provider stamped `Date` somewhere between our send and our receive, so its clock is
/// compared with the midpoint. `Date` has whole seconds (the true time is up to 1 s later),
/// so half a second is added; anything within that half second plus half the round trip is
/// indistinguishable from no offset and reported as 0.
pub(crate) fn offset_ms(
    sent: SystemTime,
    received: SystemTime,
    date: SystemTime,
    age: Option<u64>,
) -> i64 {
    let ms = |t: SystemTime| match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_millis() as i64,
        Err(e) => -(e.duration().as_millis() as i64),
    };
    let round_trip = ms(received).saturating_sub(ms(sent)).max(0);
    let local_midpoint = ms(sent) + round_trip / 2;
    let age_ms = age.unwrap_or(0).min(u32::MAX as u64) as i64 * 1000;
    let provider_now = ms(date) + age_ms + 500;
    let offset = local_midpoint - provider_now;
    if offset.abs() <= 500 + round_trip / 2 {
        0
    } else {
        offset
    }
}

/// The `Age` header's whole seconds (RFC 9111 §5.1), if present and valid.
pub(crate) fn parse_age(value: Option<&str>) -> Option<u64> {
    value?.trim().parse().ok()
}

/// Rewrites a failed check's summary when the clock is beyond the provider's window, and
/// adds a warning to a passed check whose clock is more than a minute off.
pub(crate) fn annotate(
    mut outcome: Outcome,
    offset_ms: Option<i64>,
    window: Window,
    name: &str,
) -> Outcome {
    let Some(offset) = offset_ms else {
        return outcome;
    };
    let off = describe(offset);
    let side = if offset > 0 { "ahead of" } else { "behind" };
    let fix = "Set this computer's clock to synchronise automatically (NTP, or 'Set time automatically' in the system settings)";
    if outcome.status != Status::Ok && offset.abs() > window.minutes * 60_000 {
        let tolerance = if window.documented {
            format!(
                "{name} refuses requests more than {} minutes off",
                window.minutes
            )
        } else {
            format!(
                "beyond the {} minutes cloudcreds expects {name} to tolerate",
                window.minutes
            )
        };
        let answer = std::mem::take(&mut outcome.summary);
        outcome.summary = format!(
            "{name} refused the check, and this computer's clock is {off} {side} {name}'s clock: {tolerance}."
        );
        outcome.hint = Some(format!(
            "{fix}, then test again. {name}'s own answer was: {answer}"
        ));
    } else if outcome.status == Status::Ok && offset.abs() > WARN_MS {
        let warning = format!(
            "This computer's clock is {off} {side} {name}'s clock. The check passed, but requests signed with this computer's time (AWS allows 15 minutes, Google service-account keys and certificates less) fail once it drifts further: {}.",
            lowercase_first(fix)
        );
        outcome.hint = Some(match outcome.hint.take() {
            Some(h) => format!("{h} {warning}"),
            None => warning,
        });
    }
    outcome
}

/// "20 minutes", "1 minute", "45 seconds", "3 hours".
fn describe(offset_ms: i64) -> String {
    let secs = Duration::from_millis(offset_ms.unsigned_abs()).as_secs() as i64;
    match secs {
        0..=59 => plural(secs, "second"),
        60..=5399 => plural((secs + 30) / 60, "minute"),
        _ => plural((secs + 1800) / 3600, "hour"),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AWS_WINDOW: Window = Window {
        minutes: 15,
        documented: true,
    };

    fn at(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(ms)
    }

    #[test]
    fn a_clock_in_step_reads_zero_despite_the_whole_second_date() {
        // Sent at .900, received at 1.100: the provider stamped "1 s" (truncated).
        assert_eq!(
            offset_ms(at(1_000_900), at(1_001_100), at(1_001_000), None),
            0
        );
        assert_eq!(
            offset_ms(at(1_000_100), at(1_000_300), at(1_000_000), None),
            0
        );
    }

    #[test]
    fn a_provider_twenty_minutes_ahead_reads_minus_twenty_minutes() {
        let sent = 1_000_000_000;
        let date = sent + 1_200_000;
        let offset = offset_ms(at(sent), at(sent + 40), at(date), None);
        assert!((offset + 1_200_000).abs() <= 1_000, "{offset}");
        assert_eq!(describe(offset), "20 minutes");
    }

    #[test]
    fn a_cached_answer_is_aged_before_comparing() {
        // A cache served a copy stamped 300 s ago; the provider's clock agrees with ours.
        let now = 2_000_000_000;
        assert_eq!(
            offset_ms(at(now), at(now + 20), at(now - 300_000), Some(300)),
            0
        );
        assert!(offset_ms(at(now), at(now + 20), at(now - 300_000), None) > 290_000);
    }

    #[test]
    fn the_age_header_is_whole_seconds() {
        assert_eq!(parse_age(Some(" 42 ")), Some(42));
        assert_eq!(parse_age(Some("-1")), None);
        assert_eq!(parse_age(None), None);
    }

    #[test]
    fn a_failed_check_beyond_the_window_blames_the_clock() {
        let refused = Outcome::fail(
            Status::ExpiredCredentials,
            "AWS says the signature expired.",
            "x",
        );
        let o = annotate(refused.clone(), Some(-1_200_000), AWS_WINDOW, "AWS");
        assert!(
            o.summary
                .contains("this computer's clock is 20 minutes behind AWS's clock"),
            "{o:?}"
        );
        assert!(o.summary.contains("more than 15 minutes off"), "{o:?}");
        assert!(o.hint.as_deref().unwrap().contains("signature expired"));
        assert_eq!(o.status, Status::ExpiredCredentials);

        let o = annotate(refused.clone(), Some(600_000), AWS_WINDOW, "AWS");
        assert_eq!(o, refused, "within AWS's 15 minutes the answer stands");
        let o = annotate(refused.clone(), None, AWS_WINDOW, "AWS");
        assert_eq!(o, refused);
    }

    #[test]
    fn an_undocumented_window_says_it_is_ours() {
        let refused = Outcome::fail(Status::InvalidCredentials, "Google refused.", "x");
        let o = annotate(refused, Some(600_000), Window::ASSUMED, "Google Cloud");
        assert!(o.summary.contains("10 minutes ahead of"), "{o:?}");
        assert!(o.summary.contains("cloudcreds expects"), "{o:?}");
    }

    #[test]
    fn a_passed_check_with_a_clock_off_by_minutes_warns() {
        let ok = Outcome::ok("Connected.").hint("Earlier advice.");
        let o = annotate(ok.clone(), Some(-120_000), Window::ASSUMED, "HuggingFace");
        assert_eq!(o.status, Status::Ok);
        assert_eq!(o.summary, "Connected.");
        let hint = o.hint.unwrap();
        assert!(hint.starts_with("Earlier advice. "), "{hint}");
        assert!(
            hint.contains("2 minutes behind HuggingFace's clock"),
            "{hint}"
        );

        let o = annotate(ok.clone(), Some(30_000), Window::ASSUMED, "HuggingFace");
        assert_eq!(o, ok, "under a minute is not worth a word");
    }
}
