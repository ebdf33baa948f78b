//! The one reader of AWS INI text (`~/.aws/credentials`, `~/.aws/config`, a pasted block):
//! named sections and their `key = value` pairs, used by both the paste parser and the
//! `aws` importer.

use crate::schema::text::unquote;

/// One `[name]` section: its header name (trimmed) and its body lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    pub body: String,
}

/// The sections of `text` in file order. Lines before the first header are dropped (the
/// AWS tools ignore them too); comment lines (`#`, `;`) are dropped.
pub(crate) fn sections(text: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            out.push(Section {
                name: name.trim().to_string(),
                body: String::new(),
            });
        } else if let Some(section) = out.last_mut() {
            section.body.push_str(trimmed);
            section.body.push('\n');
        }
    }
    out
}

/// A section body's `key = value` lines: keys trimmed and lowercased (botocore's
/// configparser lowercases option names), values trimmed and unquoted.
pub(crate) fn pairs(body: &str) -> Vec<(String, String)> {
    body.lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), unquote(v.trim()).to_string()))
        .collect()
}

/// The value of `key` in a section body (case-insensitive key, last one wins as in botocore).
pub(crate) fn value<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_keep_order_and_skip_comments() {
        let s = sections("x=1\n[default]\n# c\na = 1\n[ profile work ]\n; c\nb=2\n");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name, "default");
        assert_eq!(s[0].body, "a = 1\n");
        assert_eq!(s[1].name, "profile work");
    }
}
