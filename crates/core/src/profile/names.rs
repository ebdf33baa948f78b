//! Profile name rules. Names are part of keyring keys (`profile/provider/field`) and shown in
//! menus, so they stay short, printable and slash-free.

/// The longest profile name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// Checks a profile name and returns it trimmed, or a message saying what to change.
pub fn validate(name: &str) -> Result<&str, String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err("A profile needs a name.".into());
    }
    if trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "A profile name can be at most {MAX_NAME_CHARS} characters; this one has {}.",
            trimmed.chars().count()
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err("A profile name cannot contain control characters (tabs, line breaks).".into());
    }
    if trimmed.contains(['/', '\\']) {
        return Err("A profile name cannot contain '/' or '\\'.".into());
    }
    Ok(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_checked_with_clear_messages() {
        assert_eq!(validate("  work  "), Ok("work"));
        assert_eq!(validate("client-x (eu) #2"), Ok("client-x (eu) #2"));
        assert!(validate("   ").unwrap_err().contains("needs a name"));
        assert!(validate(&"x".repeat(65))
            .unwrap_err()
            .contains("at most 64"));
        assert_eq!(validate(&"é".repeat(64)).map(str::len), Ok(128));
        assert!(validate("a\tb").unwrap_err().contains("control"));
        assert!(validate("a/b").unwrap_err().contains("'/'"));
        assert!(validate("a\\b").unwrap_err().contains("'/'"));
    }
}
