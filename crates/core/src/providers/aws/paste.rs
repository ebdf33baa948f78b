//! AWS paste formats: a `~/.aws/credentials` block, the IAM console's access-key CSV, and
//! the JSON of `aws sts assume-role` / `aws configure export-credentials`. (`export AWS_…=`
//! lines are read by the shared env-line parser.)

use super::ini;
use crate::schema::text::unquote;
use crate::schema::Credentials;
use crate::schema::InputError;
use crate::schema::ProviderId;

pub(super) fn parse_paste(text: &str) -> Option<Result<Credentials, InputError>> {
    from_ini(text)
        .or_else(|| from_csv(text))
        .or_else(|| from_json(text))
}

fn build(fields: &[(&str, Option<String>)]) -> Result<Credentials, InputError> {
    let mut creds = Credentials::new(ProviderId::AWS);
    for (name, value) in fields {
        if let Some(v) = value {
            creds
                .set(name, v.trim().to_string())
                .map_err(InputError::from)?;
        }
    }
    Ok(creds)
}

/// The first profile block holding `aws_access_key_id`, read by the one INI parser
/// (`ini`); lines before any `[header]` count as a block of their own.
fn from_ini(text: &str) -> Option<Result<Credentials, InputError>> {
    let block: Vec<(String, String)> = ini::sections(&format!("[pasted]\n{text}"))
        .into_iter()
        .map(|section| ini::pairs(&section.body))
        .find(|pairs| pairs.iter().any(|(k, _)| k == "aws_access_key_id"))?;
    // The last value of a key wins, as in botocore's config parser.
    let get = |name: &str| ini::value(&block, name).map(str::to_string);
    Some(build(&[
        ("access_key_id", get("aws_access_key_id")),
        ("secret_access_key", get("aws_secret_access_key")),
        (
            "session_token",
            get("aws_session_token").or_else(|| get("aws_security_token")),
        ),
        ("region", get("region")),
    ]))
}

/// The CSV offered when an access key is created: a header naming the columns, then one row.
fn from_csv(text: &str) -> Option<Result<Credentials, InputError>> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<String> = lines
        .next()?
        .split(',')
        .map(|c| unquote(c.trim()).to_ascii_lowercase())
        .collect();
    let id_col = header.iter().position(|c| c == "access key id")?;
    let secret_col = header.iter().position(|c| c == "secret access key")?;
    let Some(row) = lines.next() else {
        return Some(Err(
            "The CSV has a header but no key row; paste the whole file.".into(),
        ));
    };
    let cells: Vec<&str> = row.split(',').map(|c| unquote(c.trim())).collect();
    let cell = |i: usize| cells.get(i).map(|c| c.to_string());
    Some(build(&[
        ("access_key_id", cell(id_col)),
        ("secret_access_key", cell(secret_col)),
    ]))
}

fn from_json(text: &str) -> Option<Result<Credentials, InputError>> {
    let doc: serde_json::Value = serde_json::from_str(text).ok()?;
    let c = doc.get("Credentials").unwrap_or(&doc);
    let field = |k: &str| c.get(k).and_then(|v| v.as_str()).map(str::to_string);
    field("AccessKeyId")?;
    Some(build(&[
        ("access_key_id", field("AccessKeyId")),
        ("secret_access_key", field("SecretAccessKey")),
        ("session_token", field("SessionToken")),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    #[test]
    fn credentials_file_block() {
        let text = format!("[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = {SECRET}\nregion=eu-west-1\n\n[other]\naws_access_key_id = AKIAOTHER\n");
        let creds = parse_paste(&text).unwrap().unwrap();
        assert_eq!(creds.get("access_key_id"), Some("AKIAIOSFODNN7EXAMPLE"));
        assert_eq!(creds.get("region"), Some("eu-west-1"));
        assert_eq!(
            creds.secret("secret_access_key").unwrap().expose_secret(),
            SECRET
        );
    }

    #[test]
    fn console_csv() {
        let text =
            format!("\u{feff}Access key ID,Secret access key\nAKIAIOSFODNN7EXAMPLE,{SECRET}\n");
        let creds = parse_paste(text.trim_start_matches('\u{feff}'))
            .unwrap()
            .unwrap();
        assert_eq!(creds.get("access_key_id"), Some("AKIAIOSFODNN7EXAMPLE"));
        let text = format!("User name,Password,Access key ID,Secret access key,Console login link\nbob,,AKIAIOSFODNN7EXAMPLE,{SECRET},https://x\n");
        let creds = parse_paste(&text).unwrap().unwrap();
        assert_eq!(
            creds.secret("secret_access_key").unwrap().expose_secret(),
            SECRET
        );
    }

    #[test]
    fn assume_role_json() {
        let text = format!(
            r#"{{"Credentials":{{"AccessKeyId":"ASIAIOSFODNN7EXAMPLE","SecretAccessKey":"{SECRET}","SessionToken":"tok","Expiration":"x"}}}}"#
        );
        let creds = parse_paste(&text).unwrap().unwrap();
        assert!(creds.secret("session_token").is_some());
    }
}
