//! `cloudcreds`: the terminal companion. Parses arguments and prints; all logic is in core.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cloudcreds_core::{providers, ProviderId};

/// Exit codes: 0 success, 1 a check failed, 2 usage error or bad input.
#[derive(Parser)]
#[command(name = "cloudcreds", version, about = "Test and keep cloud credentials")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the providers and the fields each one takes.
    Providers {
        /// Only this provider.
        provider: Option<ProviderId>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Providers { provider, json } => {
            let selected: Vec<_> = providers::all()
                .iter()
                .filter(|p| provider.is_none_or(|id| p.id == id))
                .collect();
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&selected).expect("schema serialises")
                );
            } else {
                for p in selected {
                    println!("{} ({})", p.name, p.id);
                    for f in &p.fields {
                        let tag = if f.kind.is_secret() { " [secret]" } else { "" };
                        let req = if f.required { "" } else { " (optional)" };
                        println!("  {:<22} {}{}{}", f.name, f.label, tag, req);
                    }
                }
            }
            ExitCode::SUCCESS
        }
    }
}
