//! One module per subcommand; each exposes `run(args) -> Result<ExitCode, CliError>`.

pub mod check;
pub mod doctor;
pub mod exec;
pub mod import;
pub mod profiles;
pub mod providers;
pub mod set;
pub mod show;
