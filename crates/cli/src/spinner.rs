//! A one-line spinner on stderr while checks run, shown only when both stdout and stderr
//! are terminals that understand cursor control (never in pipes, CI logs, `TERM=dumb` or
//! `--json`). The CLI prints no colour anywhere, so `NO_COLOR` needs nothing more. Lines
//! printed on stdout go through `println`, which clears the spinner first so the two never
//! interleave.

use std::io::{IsTerminal, Write};

const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

pub struct Spinner {
    enabled: bool,
    frame: usize,
    shown: bool,
}

impl Spinner {
    /// A spinner that draws only when stdout and stderr are terminals and `wanted`.
    pub fn new(wanted: bool) -> Self {
        Spinner {
            enabled: wanted
                && std::io::stdout().is_terminal()
                && std::io::stderr().is_terminal()
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb"),
            frame: 0,
            shown: false,
        }
    }

    /// Draws the next frame with `waiting_for` (provider names still running).
    pub fn tick(&mut self, waiting_for: &[&str]) {
        if !self.enabled || waiting_for.is_empty() {
            return;
        }
        self.frame = (self.frame + 1) % FRAMES.len();
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[2K{} checking {}…",
            FRAMES[self.frame],
            waiting_for.join(", ")
        );
        let _ = err.flush();
        self.shown = true;
    }

    /// Removes the spinner line.
    pub fn clear(&mut self) {
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.shown = false;
        }
    }

    /// Prints a line on stdout with the spinner out of the way.
    pub fn println(&mut self, line: &str) {
        self.clear();
        outln!("{line}");
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.clear();
    }
}
