//! `cloudcreds`: the terminal companion. Parses arguments, runs one command module and
//! turns its outcome into an exit code; all provider logic is in cloudcreds-core.

#[macro_use]
mod output;

mod args;
mod child_env;
mod cmd;
mod error;
mod prompt;
mod spinner;
mod store;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Providers { provider, json } => cmd::providers::run(provider, json),
        Command::Check(a) => cmd::check::run(a),
        Command::Profiles { action } => cmd::profiles::run(action),
        Command::Set(a) => cmd::set::run(a),
        Command::Show { profile, json } => cmd::show::run(profile, json),
        Command::Import(a) => cmd::import::run(a),
        Command::Exec(a) => cmd::exec::run(a),
        Command::Doctor(a) => cmd::doctor::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => e.report(),
    }
}
