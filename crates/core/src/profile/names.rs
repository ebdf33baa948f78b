//! Profile name rules. Names are part of keyring keys (`profile/provider/field`) and shown in
//! menus, so they stay short, printable and slash-free.

/// The longest profile name, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// Why a profile name cannot be used; each message says what to change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("A profile needs a name.")]
    Empty,
    #[error("A profile name can be at most {MAX_NAME_CHARS} characters; this one has {0}.")]
    TooLong(usize),
    #[error("A profile name cannot contain control characters (tabs, line breaks).")]
    Control,
    #[error("A profile name cannot contain '/' or '\\'.")]
    Slash,
}

/// Checks a profile name and returns it trimmed.
pub fn validate(name: &str) -> Result<&str, NameError> {
    let trimmed = name.trim();
    let chars = trimmed.chars().count();
    if trimmed.is_empty() {
        return Err(NameError::Empty);
    }
    if chars > MAX_NAME_CHARS {
        return Err(NameError::TooLong(chars));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(NameError::Control);
    }
    if trimmed.contains(['/', '\\']) {
        return Err(NameError::Slash);
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
        assert!(validate("   ")
            .unwrap_err()
            .to_string()
            .contains("needs a name"));
        assert!(validate(&"x".repeat(65))
            .unwrap_err()
            .to_string()
            .contains("at most 64 characters; this one has 65"));
        assert_eq!(validate(&"é".repeat(64)).map(str::len), Ok(128));
        assert!(validate("a\tb")
            .unwrap_err()
            .to_string()
            .contains("control"));
        assert!(validate("a/b").unwrap_err().to_string().contains("'/'"));
        assert!(validate("a\\b").unwrap_err().to_string().contains("'/'"));
    }
}
