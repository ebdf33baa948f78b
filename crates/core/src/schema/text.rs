//! Small wording helpers shared by every layer's messages, so lists and lengths read the
//! same everywhere.

/// A short description of a value for messages, never its content.
pub(crate) fn describe_len(value: &str) -> String {
    format!("{} characters", value.chars().count())
}

/// "1 day", "3 days".
pub(crate) fn plural(n: i64, unit: &str) -> String {
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `8-4-4-4-12` hexadecimal digits.
pub(crate) fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// `NAME=value` lines as shells, dotenv files, PowerShell (`$env:NAME="value"`) and CI
/// settings write them: `(NAME, value)` with `export`/`set` and quotes removed.
pub(crate) fn env_lines(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let line = line
                .strip_prefix("export ")
                .or_else(|| line.strip_prefix("set "))
                .or_else(|| line.strip_prefix("$env:"))
                .or_else(|| line.strip_prefix("$Env:"))
                .unwrap_or(line)
                .trim();
            let (name, value) = line.split_once('=')?;
            let name = name.trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return None;
            }
            Some((name.to_string(), unquote(value.trim()).to_string()))
        })
        .collect()
}

pub(crate) fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    v
}
