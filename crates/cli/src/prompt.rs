//! Reading what the user types: secrets from stdin or a no-echo prompt (never argv), plain
//! values, and yes/no confirmations. Input is bounded and must be UTF-8; errors never echo it.

use std::io::{BufRead, IsTerminal, Read, Write};

use cloudcreds_core::FieldKind;
use secrecy::SecretString;

use crate::error::CliError;

/// More than any credential; a bigger stdin is a mistake (a wrong file redirected).
const MAX_INPUT: u64 = 1024 * 1024;

fn stdin_is_terminal() -> bool {
    std::io::stdin().is_terminal()
}

/// All of stdin, bounded, as text without the trailing newline(s).
fn read_stdin(label: &str) -> Result<String, CliError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_INPUT + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            CliError::usage(format!(
                "Could not read the {label} from stdin: {}",
                e.kind()
            ))
        })?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(CliError::usage(format!(
            "The input on stdin is larger than {} KiB, far more than a {label}; nothing was saved",
            MAX_INPUT / 1024
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError::usage(format!(
            "The {label} on stdin is not UTF-8 text; nothing was saved"
        ))
    })?;
    Ok(text.trim_end_matches(['\n', '\r']).to_string())
}

/// A secret for the field `label`: a no-echo prompt at a terminal, else all of stdin.
pub fn secret(label: &str, kind: FieldKind, set_command: &str) -> Result<SecretString, CliError> {
    let value = if stdin_is_terminal() {
        if kind == FieldKind::SecretDocument {
            return Err(CliError::usage(format!(
                "The {label} is a multi-line document that cannot be typed at a prompt"
            ))
            .with_hint(format!(
                "Redirect the file instead: `{set_command} < key.json`."
            )));
        }
        rpassword::prompt_password(format!("{label} (input hidden): ")).map_err(|e| {
            CliError::usage(format!(
                "Could not read the {label} from the terminal: {}",
                e.kind()
            ))
            .with_hint(format!(
                "Pipe it in instead: `printf %s \"$VALUE\" | {set_command}`."
            ))
        })?
    } else {
        read_stdin(label)?
    };
    let value = if kind == FieldKind::SecretDocument {
        value.trim().to_string()
    } else {
        value
    };
    if value.trim().is_empty() {
        return Err(CliError::usage(format!(
            "No {label} was given; nothing was saved"
        )));
    }
    Ok(SecretString::from(value))
}

/// A non-secret value: a prompt with echo at a terminal, else stdin.
pub fn plain(label: &str) -> Result<String, CliError> {
    let value = if stdin_is_terminal() {
        eprint!("{label}: ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .take(MAX_INPUT)
            .read_line(&mut line)
            .map_err(|e| CliError::usage(format!("Could not read the {label}: {}", e.kind())))?;
        line.trim().to_string()
    } else {
        read_stdin(label)?.trim().to_string()
    };
    if value.is_empty() {
        return Err(CliError::usage(format!(
            "No {label} was given; nothing was saved"
        )));
    }
    Ok(value)
}

/// Asks `question` on stderr and reads y/N from stdin. No answer at all (end of input) is
/// an error naming the flag that skips the question.
pub fn confirm(question: &str, skip_flag: &str) -> Result<bool, CliError> {
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let n = std::io::stdin()
        .lock()
        .take(1024)
        .read_line(&mut line)
        .map_err(|e| CliError::usage(format!("Could not read an answer: {}", e.kind())))?;
    if n == 0 {
        eprintln!();
        return Err(
            CliError::usage("No answer was given on stdin, so nothing was changed")
                .with_hint(format!("Run with {skip_flag} to go ahead without asking.")),
        );
    }
    Ok(matches!(
        line.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}
