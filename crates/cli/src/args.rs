//! The command-line grammar (clap derive): every subcommand, flag and help text, and the
//! exit codes in the top-level help. No behaviour lives here.

use std::ffi::OsString;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use cloudcreds_core::import::{self, Source};
use cloudcreds_core::{providers, ProviderId};

const EXIT_CODES: &str = "\
Exit codes:
  0    success: every checked provider is ok / the command did what it said
  1    a check did not pass, or the keyring or profile store could not be used
  2    usage error or bad input (unknown profile, a secret given as an argument, unreadable input)
  exec exits with the command's own status; 125 when cloudcreds fails before starting it,
  126 when it cannot be executed, 127 when it is not found

Environment:
  CLOUDCREDS_PROFILE          profile used when --profile is not given (else the active one)
  CLOUDCREDS_HOME             folder of profiles.json
  CLOUDCREDS_KEYRING_SERVICE  keyring service name secrets are filed under
  CLOUDCREDS_LOCK_WAIT_MS     how long a change waits for another one to finish (default 10000)

A closed stdout (`| head -1`) ends a command quietly with status 0.";

/// Test cloud credentials and keep them in the OS keyring, per named profile.
#[derive(Parser)]
#[command(name = "cloudcreds", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// List the providers and the fields each one takes.
    Providers {
        /// Only this provider.
        #[arg(value_parser = provider_parser())]
        provider: Option<ProviderId>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Test credentials against the providers, concurrently; one line per provider as it finishes.
    #[command(
        after_help = "Exit codes: 0 every checked provider is ok, 1 any is not, 2 usage error or bad input.\n\n\
Examples:\n  cloudcreds check                      # every provider saved in the active profile\n  \
cloudcreds check --from-env --json    # CI: HF_TOKEN, AWS_ACCESS_KEY_ID, ... without storing anything\n  \
cloudcreds check --provider aws --timeout 5"
    )]
    Check(CheckArgs),
    /// List, create, rename, duplicate, delete or switch profiles.
    Profiles {
        #[command(subcommand)]
        action: Option<ProfilesAction>,
    },
    /// Save one field of a provider in a profile; secrets are read from stdin or a no-echo prompt.
    #[command(
        after_help = "Secrets are never taken from the command line (shell history, process list).\n\n\
Examples:\n  cloudcreds set huggingface token                    # prompts without echo\n  \
printf %s \"$HF_TOKEN\" | cloudcreds set huggingface token\n  \
cloudcreds set gcp service_account_key < key.json\n  \
cloudcreds set aws region eu-west-1\n  \
cloudcreds set aws session_token --clear"
    )]
    Set(SetArgs),
    /// Show a profile: providers, fields, masked secret hints and ages, last check results.
    Show {
        #[command(flatten)]
        profile: ProfileArg,
        /// Print JSON instead of text (never a secret).
        #[arg(long)]
        json: bool,
    },
    /// Find credentials already on this machine and import them into a profile.
    #[command(
        after_help = "Sources (all by default, in this order of precedence):\n  \
env      HF_TOKEN, LAMBDA_API_KEY, AWS_*, AZURE_*, GOOGLE_APPLICATION_CREDENTIALS\n  \
aws      ~/.aws/credentials and ~/.aws/config (profile: --aws-profile, AWS_PROFILE, default)\n  \
hf       HF_TOKEN_PATH, $HF_HOME/token, ~/.cache/huggingface/token\n  \
lambda   ~/.lambda_cloud/lambda_keys\n  \
gcloud   GOOGLE_APPLICATION_CREDENTIALS, ~/.config/gcloud/application_default_credentials.json\n  \
azure    AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_SUBSCRIPTION_ID"
    )]
    Import(ImportArgs),
    /// Run a command with a profile's credentials in its environment (standard variable names).
    #[command(
        after_help = "A GCP key is written to a 0600 temporary file named by GOOGLE_APPLICATION_CREDENTIALS \
and removed when the command exits, also on Ctrl-C.\n\n\
Exit codes: the command's own status; 125 when cloudcreds fails before starting it, 126 when it \
cannot be executed, 127 when it is not found.\n\n\
Example:\n  cloudcreds exec --profile work -- aws sts get-caller-identity"
    )]
    Exec(ExecArgs),
    /// Find keyring entries no profile records and saved secrets missing from the keyring; repair them on request.
    #[command(after_help = DOCTOR_HELP)]
    Doctor(DoctorArgs),
}

const DOCTOR_HELP: &str = "\
Without a repair flag, doctor only reports (at a terminal it asks about each finding).

Findings:
  orphan                  a keyring entry of an existing profile that the profile store does not record
  orphan_without_profile  a keyring entry of a profile that does not exist
  unknown_entry           an entry under the keyring service that is not a secret of any profile
  missing                 a secret the store records as set that is not in the keyring
  damaged                 an entry that cannot be read back whole (a torn chunk set)

Exit codes: 0 healthy (no findings left), 1 findings remain, a repair failed or the keyring
could not be used, 2 usage error (such as --remove-everything without --yes and no terminal).

Examples:
  cloudcreds doctor                        # report; at a terminal, ask about each finding
  cloudcreds doctor --json                 # report as JSON, for scripts
  cloudcreds doctor --adopt --forget-missing
  cloudcreds doctor --remove-everything --yes   # uninstall: every entry and file, no trace";

/// `--profile NAME`, defaulting to `CLOUDCREDS_PROFILE`, then the active profile.
#[derive(Args, Clone, Default)]
pub struct ProfileArg {
    /// Profile to use (default: CLOUDCREDS_PROFILE, else the active profile).
    #[arg(long, short = 'p', env = "CLOUDCREDS_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    /// Take credentials from the standard environment variables instead of a profile; store nothing.
    #[arg(long, conflicts_with = "profile")]
    pub from_env: bool,
    /// Check only this provider (repeatable; default: every provider configured).
    #[arg(long = "provider", value_name = "PROVIDER", value_parser = provider_parser())]
    pub providers: Vec<ProviderId>,
    /// Print one JSON document {"results": [CheckReport...]} (schema: docs/check-output.schema.json).
    #[arg(long)]
    pub json: bool,
    /// Deadline for each provider's check, in seconds (default 20).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: Option<u64>,
}

#[derive(Subcommand)]
pub enum ProfilesAction {
    /// List the profiles (the default); * marks the active one.
    List {
        /// Print JSON instead of text (never a secret).
        #[arg(long)]
        json: bool,
    },
    /// Create an empty profile (the first one becomes active).
    Create { name: String },
    /// Rename a profile, moving its keyring entries.
    Rename { from: String, to: String },
    /// Copy a profile with all its secrets.
    Duplicate { from: String, to: String },
    /// Delete a profile and every secret it has in the keyring.
    Delete {
        name: String,
        /// Do not ask for confirmation.
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Make a profile the active one.
    Use { name: String },
}

#[derive(Args)]
pub struct SetArgs {
    /// The provider.
    #[arg(value_parser = provider_parser())]
    pub provider: ProviderId,
    /// Field name as listed by `cloudcreds providers` (token, secret_access_key, region...).
    pub field: String,
    /// Value of a non-secret field. Secrets: leave out and pipe it in or type it at the prompt.
    pub value: Option<String>,
    #[command(flatten)]
    pub profile: ProfileArg,
    /// Remove the field from the profile (a secret is removed from the keyring).
    #[arg(long, conflicts_with = "value")]
    pub clear: bool,
}

#[derive(Args)]
pub struct ImportArgs {
    /// Where to look (repeatable; default: all).
    #[arg(long = "source", value_name = "SOURCE", value_parser = source_parser())]
    pub sources: Vec<Source>,
    #[command(flatten)]
    pub profile: ProfileArg,
    /// The AWS profile to import from the shared files (default: AWS_PROFILE, else default).
    #[arg(long, value_name = "NAME")]
    pub aws_profile: Option<String>,
    /// Import without asking for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Args)]
pub struct DoctorArgs {
    /// Print one JSON document {service, healthy, findings, repaired, failed, remaining}.
    #[arg(long)]
    pub json: bool,
    /// Record orphaned entries as their profile's secrets (set now, with a masked hint).
    #[arg(long)]
    pub adopt: bool,
    /// With --adopt: create the profile an orphaned entry names when it does not exist.
    #[arg(long, requires = "adopt")]
    pub create_profiles: bool,
    /// Delete orphaned, unknown and damaged entries that no profile records (after --adopt).
    #[arg(long)]
    pub delete_orphans: bool,
    /// Forget saved secrets whose entry is missing or damaged, so they show as not set.
    #[arg(long)]
    pub forget_missing: bool,
    /// Remove every keyring entry under the service and every cloudcreds file (profiles.json
    /// and its siblings), then say what went. Asks first; --yes skips the question.
    #[arg(long, conflicts_with_all = ["adopt", "delete_orphans", "forget_missing"])]
    pub remove_everything: bool,
    /// With --remove-everything: do not ask (required when stdin is not a terminal).
    #[arg(long, short = 'y', requires = "remove_everything")]
    pub yes: bool,
}

#[derive(Args)]
pub struct ExecArgs {
    #[command(flatten)]
    pub profile: ProfileArg,
    /// Only this provider's credentials (repeatable; default: all in the profile).
    #[arg(long = "provider", value_name = "PROVIDER", value_parser = provider_parser())]
    pub providers: Vec<ProviderId>,
    /// The command and its arguments, after `--`.
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub command: Vec<OsString>,
}

/// Provider names as the registry lists them, so help and errors name every provider.
fn provider_parser() -> impl TypedValueParser<Value = ProviderId> {
    let names = providers::all()
        .iter()
        .map(|p| PossibleValue::new(p.id.as_str()).help(p.name));
    PossibleValuesParser::new(names).map(|name| name.parse().expect("a registered provider"))
}

/// Import sources as the registry lists them, each with what it reads.
fn source_parser() -> impl TypedValueParser<Value = Source> {
    let sources = import::source_help()
        .into_iter()
        .map(|(name, reads)| PossibleValue::new(name).help(reads));
    PossibleValuesParser::new(sources).map(|name| name.parse().expect("a registered source"))
}
