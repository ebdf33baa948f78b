//! `cargo run -p fake-clouds [-- --port N] [--clock-skew SECS]`: runs the fake clouds until Ctrl-C and prints
//! `export` lines (endpoints and throwaway test credentials) to point the app or CLI at it.

use std::io::Write;

use fake_clouds::FakeClouds;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let (port, skew_secs) = match parse_args(std::env::args().skip(1)) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}\nusage: fake-clouds [--port N] [--clock-skew SECS]");
            std::process::exit(2);
        }
    };
    let fake = FakeClouds::start_on_port(port).await?;
    fake.set_clock_skew(skew_secs);
    let c = fake.creds();
    let key_path =
        std::env::temp_dir().join(format!("fake-clouds-{}-gcp-key.json", fake.addr().port()));
    write_private(&key_path, &c.gcp_key_json)?;

    let mut out = String::new();
    out.push_str(&format!(
        "# fake-clouds listening on {} (Ctrl-C to stop)\n",
        fake.base_url()
    ));
    for (name, value) in fake.env() {
        out.push_str(&format!("export {name}={}\n", quote(&value)));
    }
    let standard = [
        ("HF_TOKEN", c.hf_token.as_str()),
        ("LAMBDA_API_KEY", &c.lambda_api_key),
        ("AWS_ACCESS_KEY_ID", &c.aws_access_key_id),
        ("AWS_SECRET_ACCESS_KEY", &c.aws_secret_access_key),
        ("AWS_REGION", &c.aws_region),
        ("AZURE_TENANT_ID", &c.azure_tenant_id),
        ("AZURE_CLIENT_ID", &c.azure_client_id),
        ("AZURE_CLIENT_SECRET", &c.azure_client_secret),
        ("AZURE_SUBSCRIPTION_ID", &c.azure_subscription_id),
        ("GOOGLE_CLOUD_PROJECT", &c.gcp_project_id),
        ("MODAL_TOKEN_ID", &c.modal_token_id),
        ("MODAL_TOKEN_SECRET", &c.modal_token_secret),
    ];
    for (name, value) in standard {
        out.push_str(&format!("export {name}={}\n", quote(value)));
    }
    out.push_str(&format!(
        "export GOOGLE_APPLICATION_CREDENTIALS={}\n",
        quote(&key_path.display().to_string())
    ));
    out.push_str(&format!(
        "# AWS STS: {0} is the global endpoint (sign for us-east-1); {0}/<region> is region <region>'s\n\
         #   endpoint and refuses any other signing region (SignatureDoesNotMatch, as real STS);\n\
         #   opt-in regions (e.g. {0}/ap-east-1) know no key (InvalidClientTokenId);\n\
         #   {1} answers AccessDenied (a VPC endpoint whose policy allows nothing).\n\
         # Modal: gRPC over h2c at the root of {2} (MODAL_SERVER_URL); clients older than\n\
         #   {3} get FAILED_PRECONDITION.\n",
        fake.aws_sts_endpoint(),
        fake.aws_sts_denying_vpce_endpoint(),
        fake.modal_server_url(),
        fake_clouds::MODAL_MIN_CLIENT_VERSION,
    ));
    out.push_str("# every test credential (throwaway, valid only against this run):\n");
    for (name, value) in c.fields() {
        if !name.starts_with("gcp_key_json") {
            out.push_str(&format!("#   {name}={value}\n"));
        }
    }
    out.push_str(&format!(
        "#   gcp_key_json: written to {}\n",
        key_path.display()
    ));
    std::io::stdout().write_all(out.as_bytes())?;
    std::io::stdout().flush()?;

    tokio::signal::ctrl_c().await?;
    let _ = std::fs::remove_file(&key_path);
    Ok(())
}

/// `--port N` and `--clock-skew SECS` (the fake's clock ahead of real time; negative:
/// behind), each also as `--name=value`.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<(u16, i64), String> {
    let (mut port, mut skew) = (0, 0);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (arg, None),
        };
        if name != "--port" && name != "--clock-skew" {
            return Err(format!("unknown argument: {name}"));
        }
        let value = match inline {
            Some(v) => v,
            None => args.next().ok_or(format!("{name} needs a value"))?,
        };
        if name == "--port" {
            port = value.parse().map_err(|_| format!("not a port: {value}"))?;
        } else {
            skew = value
                .parse()
                .map_err(|_| format!("not a whole number of seconds: {value}"))?;
        }
    }
    Ok((port, skew))
}

/// Single-quotes a value for POSIX shells.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// Writes the key file readable by its owner only.
fn write_private(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(contents.as_bytes())
}
