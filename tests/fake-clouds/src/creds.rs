//! The test credentials one server start accepts or refuses, generated fresh each start
//! in the providers' real formats, plus the RSA key material behind the GCP keys.

use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::RsaPrivateKey;

use crate::ids::{alnum, digits, guid, hex, lower_alnum, pick, upper_alnum, AZURE_SECRET, BASE64};

/// Every credential the fake knows, one field per case the checks must tell apart.
/// They are throwaway values valid only against this server start.
#[derive(Debug, Clone)]
pub struct TestCredentials {
    /// Classic token, role `write`: accepted everywhere.
    pub hf_token: String,
    /// Fine-grained token without `inference.serverless.write`.
    pub hf_token_fine_grained_no_inference: String,
    /// Fine-grained token with `inference.serverless.write`.
    pub hf_token_fine_grained_inference: String,
    /// Accepted by `/api/models`, refused (401) by `/api/whoami-v2`.
    pub hf_token_whoami_rejects: String,
    /// Revoked: 401 everywhere.
    pub hf_token_revoked: String,
    /// Legacy `api_…` user token (role `write`): still answered by the Hub.
    pub hf_token_legacy: String,
    /// OAuth access token (`hf_oauth_…`): whoami-v2 says `auth.type = "oauth"` with an
    /// `expiresAt` 8 hours ahead and no `accessToken` (so no role and no scopes).
    pub hf_token_oauth: String,
    /// Classic token with role `admin`.
    pub hf_token_admin: String,
    /// Classic token with role `contributor`.
    pub hf_token_contributor: String,
    /// Classic `write` token whose `auth.accessToken.expiration` is 3 days ahead.
    pub hf_token_expiring: String,

    /// Active account.
    pub lambda_api_key: String,
    /// Inactive account: 403 `global/account-inactive`.
    pub lambda_api_key_inactive: String,

    /// Long-term key id (`AKIA…`) of IAM user `fake-user`.
    pub aws_access_key_id: String,
    pub aws_secret_access_key: String,
    /// Temporary key id (`ASIA…`) of an assumed role session; needs `aws_session_token`.
    pub aws_temp_access_key_id: String,
    pub aws_temp_secret_access_key: String,
    pub aws_session_token: String,
    /// A temporary key whose session token has expired: 403 `ExpiredToken`.
    pub aws_expired_access_key_id: String,
    pub aws_expired_secret_access_key: String,
    pub aws_expired_session_token: String,
    /// 12 digits.
    pub aws_account_id: String,
    /// `AIDA…` unique id of the IAM user.
    pub aws_user_id: String,
    /// `arn:aws:iam::ACCOUNT:user/fake-user`.
    pub aws_user_arn: String,
    /// `AROA…:session` user id of the assumed role session.
    pub aws_role_user_id: String,
    /// `arn:aws:sts::ACCOUNT:assumed-role/fake-role/session`.
    pub aws_assumed_role_arn: String,
    /// A region to sign for; the fake accepts any region in the credential scope.
    pub aws_region: String,

    pub azure_tenant_id: String,
    /// `fakecorp.onmicrosoft.com`, accepted in place of the tenant id.
    pub azure_tenant_domain: String,
    pub azure_client_id: String,
    pub azure_client_secret: String,
    /// The secret's id (a GUID): sent as the secret it gives AADSTS7000215.
    pub azure_client_secret_id: String,
    /// An expired secret of `azure_client_id`: AADSTS7000222.
    pub azure_expired_client_secret: String,
    /// An app with a working secret but no role on any subscription.
    pub azure_client_id_no_role: String,
    pub azure_client_secret_no_role: String,
    pub azure_subscription_id: String,
    pub azure_subscription_name: String,
    /// A multi-tenant app registered elsewhere, with no service principal in this
    /// tenant: AADSTS7000229 whatever secret it sends.
    pub azure_client_id_no_sp: String,
    pub azure_client_secret_no_sp: String,
    /// A subscription of another tenant: ARM answers `InvalidAuthenticationTokenTenant`
    /// naming `azure_other_tenant_id`.
    pub azure_other_tenant_subscription_id: String,
    pub azure_other_tenant_id: String,

    /// Service-account key JSON, PKCS#8 private key, `token_uri` pointing at the fake.
    pub gcp_key_json: String,
    /// The same key with a PKCS#1 (`BEGIN RSA PRIVATE KEY`) private key.
    pub gcp_key_json_pkcs1: String,
    /// Another key of the same account whose key id the fake says was deleted.
    pub gcp_key_json_deleted: String,
    pub gcp_project_id: String,
    pub gcp_project_number: String,
    /// A project the service account has no permission on: 403 `PERMISSION_DENIED`.
    pub gcp_project_denied: String,
    /// A project whose Cloud Resource Manager API is disabled: 403 `SERVICE_DISABLED`.
    pub gcp_project_service_disabled: String,
    pub gcp_client_email: String,
    pub gcp_private_key_id: String,
    pub gcp_deleted_private_key_id: String,

    /// Modal token (`ak-…`) of user `modal_username`, no expiry.
    pub modal_token_id: String,
    /// Its secret (`as-…`).
    pub modal_token_secret: String,
    /// A service user's token (`modal_service_user_name`, created by `modal_username`) whose
    /// `expires_at` is 2 days ahead of the fake's clock.
    pub modal_expiring_token_id: String,
    pub modal_expiring_token_secret: String,
    /// Workspace name and id (`ac-…`) both tokens belong to.
    pub modal_workspace_name: String,
    pub modal_workspace_id: String,
    pub modal_username: String,
    /// `us-…`
    pub modal_user_id: String,
    pub modal_service_user_name: String,
    pub modal_service_user_id: String,
}

impl TestCredentials {
    /// Every field as (name, value), for printing.
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("hf_token", &self.hf_token),
            (
                "hf_token_fine_grained_no_inference",
                &self.hf_token_fine_grained_no_inference,
            ),
            (
                "hf_token_fine_grained_inference",
                &self.hf_token_fine_grained_inference,
            ),
            ("hf_token_whoami_rejects", &self.hf_token_whoami_rejects),
            ("hf_token_revoked", &self.hf_token_revoked),
            ("hf_token_legacy", &self.hf_token_legacy),
            ("hf_token_oauth", &self.hf_token_oauth),
            ("hf_token_admin", &self.hf_token_admin),
            ("hf_token_contributor", &self.hf_token_contributor),
            ("hf_token_expiring", &self.hf_token_expiring),
            ("lambda_api_key", &self.lambda_api_key),
            ("lambda_api_key_inactive", &self.lambda_api_key_inactive),
            ("aws_access_key_id", &self.aws_access_key_id),
            ("aws_secret_access_key", &self.aws_secret_access_key),
            ("aws_temp_access_key_id", &self.aws_temp_access_key_id),
            (
                "aws_temp_secret_access_key",
                &self.aws_temp_secret_access_key,
            ),
            ("aws_session_token", &self.aws_session_token),
            ("aws_expired_access_key_id", &self.aws_expired_access_key_id),
            (
                "aws_expired_secret_access_key",
                &self.aws_expired_secret_access_key,
            ),
            ("aws_expired_session_token", &self.aws_expired_session_token),
            ("aws_account_id", &self.aws_account_id),
            ("aws_user_id", &self.aws_user_id),
            ("aws_user_arn", &self.aws_user_arn),
            ("aws_role_user_id", &self.aws_role_user_id),
            ("aws_assumed_role_arn", &self.aws_assumed_role_arn),
            ("aws_region", &self.aws_region),
            ("azure_tenant_id", &self.azure_tenant_id),
            ("azure_tenant_domain", &self.azure_tenant_domain),
            ("azure_client_id", &self.azure_client_id),
            ("azure_client_secret", &self.azure_client_secret),
            ("azure_client_secret_id", &self.azure_client_secret_id),
            (
                "azure_expired_client_secret",
                &self.azure_expired_client_secret,
            ),
            ("azure_client_id_no_role", &self.azure_client_id_no_role),
            (
                "azure_client_secret_no_role",
                &self.azure_client_secret_no_role,
            ),
            ("azure_subscription_id", &self.azure_subscription_id),
            ("azure_subscription_name", &self.azure_subscription_name),
            ("azure_client_id_no_sp", &self.azure_client_id_no_sp),
            ("azure_client_secret_no_sp", &self.azure_client_secret_no_sp),
            (
                "azure_other_tenant_subscription_id",
                &self.azure_other_tenant_subscription_id,
            ),
            ("azure_other_tenant_id", &self.azure_other_tenant_id),
            ("gcp_key_json", &self.gcp_key_json),
            ("gcp_key_json_pkcs1", &self.gcp_key_json_pkcs1),
            ("gcp_key_json_deleted", &self.gcp_key_json_deleted),
            ("gcp_project_id", &self.gcp_project_id),
            ("gcp_project_number", &self.gcp_project_number),
            ("gcp_project_denied", &self.gcp_project_denied),
            (
                "gcp_project_service_disabled",
                &self.gcp_project_service_disabled,
            ),
            ("gcp_client_email", &self.gcp_client_email),
            ("gcp_private_key_id", &self.gcp_private_key_id),
            (
                "gcp_deleted_private_key_id",
                &self.gcp_deleted_private_key_id,
            ),
            ("modal_token_id", &self.modal_token_id),
            ("modal_token_secret", &self.modal_token_secret),
            ("modal_expiring_token_id", &self.modal_expiring_token_id),
            (
                "modal_expiring_token_secret",
                &self.modal_expiring_token_secret,
            ),
            ("modal_workspace_name", &self.modal_workspace_name),
            ("modal_workspace_id", &self.modal_workspace_id),
            ("modal_username", &self.modal_username),
            ("modal_user_id", &self.modal_user_id),
            ("modal_service_user_name", &self.modal_service_user_name),
            ("modal_service_user_id", &self.modal_service_user_id),
        ]
    }
}

/// What the server keeps beside the credentials to verify them.
pub(crate) struct Generated {
    pub(crate) creds: TestCredentials,
    /// SPKI PEM of the live GCP key: the token endpoint verifies JWTs against it.
    pub(crate) gcp_public_pem: String,
    /// Project number shown in the `SERVICE_DISABLED` error.
    pub(crate) gcp_disabled_project_number: String,
}

/// Generates a fresh set; `gcp_token_uri` goes into the key JSONs.
pub(crate) async fn generate(gcp_token_uri: &str) -> std::io::Result<Generated> {
    // Two 2048-bit keys: generate them side by side off the async threads.
    let live = tokio::task::spawn_blocking(new_rsa_key);
    let deleted = tokio::task::spawn_blocking(new_rsa_key);
    let (live, deleted) = (join(live).await?, join(deleted).await?);

    let gcp_project_id = format!("fake-project-{}", lower_alnum(6));
    let gcp_client_email = format!("fake-sa@{gcp_project_id}.iam.gserviceaccount.com");
    let gcp_client_id = digits(21);
    let gcp_private_key_id = hex(40);
    let gcp_deleted_private_key_id = hex(40);
    let key = |id: &str, pem: &str| {
        gcp_key_json(
            &gcp_project_id,
            id,
            pem,
            &gcp_client_email,
            &gcp_client_id,
            gcp_token_uri,
        )
    };
    let gcp_key_json = key(&gcp_private_key_id, &pem_pkcs8(&live)?);
    let gcp_key_json_pkcs1 = key(&gcp_private_key_id, &pem_pkcs1(&live)?);
    let gcp_key_json_deleted = key(&gcp_deleted_private_key_id, &pem_pkcs8(&deleted)?);
    let gcp_public_pem = live
        .to_public_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(std::io::Error::other)?;

    let aws_account_id = digits(12);
    let creds = TestCredentials {
        hf_token: hf_token(),
        hf_token_fine_grained_no_inference: hf_token(),
        hf_token_fine_grained_inference: hf_token(),
        hf_token_whoami_rejects: hf_token(),
        hf_token_revoked: hf_token(),
        hf_token_legacy: format!("api_{}", alnum(34)),
        hf_token_oauth: format!("hf_oauth_{}", alnum(40)),
        hf_token_admin: hf_token(),
        hf_token_contributor: hf_token(),
        hf_token_expiring: hf_token(),
        lambda_api_key: lambda_key(),
        lambda_api_key_inactive: lambda_key(),
        aws_access_key_id: format!("AKIA{}", upper_alnum(16)),
        aws_secret_access_key: aws_secret(),
        aws_temp_access_key_id: format!("ASIA{}", upper_alnum(16)),
        aws_temp_secret_access_key: aws_secret(),
        aws_session_token: aws_session_token(),
        aws_expired_access_key_id: format!("ASIA{}", upper_alnum(16)),
        aws_expired_secret_access_key: aws_secret(),
        aws_expired_session_token: aws_session_token(),
        aws_user_id: format!("AIDA{}", upper_alnum(17)),
        aws_user_arn: format!("arn:aws:iam::{aws_account_id}:user/fake-user"),
        aws_role_user_id: format!("AROA{}:fake-session", upper_alnum(17)),
        aws_assumed_role_arn: format!(
            "arn:aws:sts::{aws_account_id}:assumed-role/fake-role/fake-session"
        ),
        aws_account_id,
        aws_region: "us-east-1".into(),
        azure_tenant_id: guid(),
        azure_tenant_domain: "fakecorp.onmicrosoft.com".into(),
        azure_client_id: guid(),
        azure_client_secret: azure_secret(),
        azure_client_secret_id: guid(),
        azure_expired_client_secret: azure_secret(),
        azure_client_id_no_role: guid(),
        azure_client_secret_no_role: azure_secret(),
        azure_subscription_id: guid(),
        azure_subscription_name: "Fake Pay-As-You-Go".into(),
        azure_client_id_no_sp: guid(),
        azure_client_secret_no_sp: azure_secret(),
        azure_other_tenant_subscription_id: guid(),
        azure_other_tenant_id: guid(),
        gcp_key_json,
        gcp_key_json_pkcs1,
        gcp_key_json_deleted,
        gcp_project_number: project_number(),
        gcp_project_denied: format!("denied-project-{}", lower_alnum(6)),
        gcp_project_service_disabled: format!("disabled-project-{}", lower_alnum(6)),
        gcp_project_id,
        gcp_client_email,
        gcp_private_key_id,
        gcp_deleted_private_key_id,
        modal_token_id: modal_id("ak"),
        modal_token_secret: modal_id("as"),
        modal_expiring_token_id: modal_id("ak"),
        modal_expiring_token_secret: modal_id("as"),
        modal_workspace_name: "fake-workspace".into(),
        modal_workspace_id: modal_id("ac"),
        modal_username: "fake-user".into(),
        modal_user_id: modal_id("us"),
        modal_service_user_name: "fake-ci-bot".into(),
        modal_service_user_id: modal_id("su"),
    };
    Ok(Generated {
        creds,
        gcp_public_pem,
        gcp_disabled_project_number: project_number(),
    })
}

async fn join(
    task: tokio::task::JoinHandle<std::io::Result<RsaPrivateKey>>,
) -> std::io::Result<RsaPrivateKey> {
    task.await.map_err(std::io::Error::other)?
}

fn new_rsa_key() -> std::io::Result<RsaPrivateKey> {
    RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).map_err(std::io::Error::other)
}

fn pem_pkcs8(key: &RsaPrivateKey) -> std::io::Result<String> {
    Ok(key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(std::io::Error::other)?
        .to_string())
}

fn pem_pkcs1(key: &RsaPrivateKey) -> std::io::Result<String> {
    Ok(key
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(std::io::Error::other)?
        .to_string())
}

/// A service-account key file as the IAM console downloads it.
fn gcp_key_json(
    project_id: &str,
    private_key_id: &str,
    private_key_pem: &str,
    client_email: &str,
    client_id: &str,
    token_uri: &str,
) -> String {
    let cert_url = format!(
        "https://www.googleapis.com/robot/v1/metadata/x509/{}",
        client_email.replace('@', "%40")
    );
    let key = serde_json::json!({
        "type": "service_account",
        "project_id": project_id,
        "private_key_id": private_key_id,
        "private_key": private_key_pem,
        "client_email": client_email,
        "client_id": client_id,
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": cert_url,
        "universe_domain": "googleapis.com",
    });
    serde_json::to_string_pretty(&key).unwrap_or_default()
}

fn hf_token() -> String {
    format!("hf_{}", alnum(34))
}

fn lambda_key() -> String {
    format!("secret_fakeclouds_{}", hex(32))
}

fn aws_secret() -> String {
    pick(BASE64, 40)
}

fn aws_session_token() -> String {
    format!("IQoJb3JpZ2luX2VjE{}", pick(BASE64, 360))
}

fn azure_secret() -> String {
    format!("{}8Q~{}", pick(AZURE_SECRET, 3), pick(AZURE_SECRET, 34))
}

/// A Modal id: prefix, dash, 22 letters and digits (`ak-` token ids and `as-` secrets as in
/// `modal/config.py`'s docstring; `ac-` workspaces, `us-` users; the length and `su-` for
/// service users are this fake's assumptions).
fn modal_id(prefix: &str) -> String {
    format!("{prefix}-{}", alnum(22))
}

/// A 12-digit project number without a leading zero.
fn project_number() -> String {
    (100_000_000_000u64 + fastrand::u64(..900_000_000_000)).to_string()
}
