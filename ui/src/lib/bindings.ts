// Generated from the Rust types in crates/core by its `bindings` test. Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p cloudcreds-core --test bindings` instead.

export type ErrorCode = "not_found" | "invalid_input" | "already_exists" | "keyring_unavailable" | "internal";

export type ErrorPayload = { code: ErrorCode, 
/**
 * What went wrong, one sentence.
 */
message: string, 
/**
 * What to do about it, when there is something concrete to do.
 */
hint: string | null, };

export type ProviderId = "huggingface" | "lambda" | "aws" | "azure" | "gcp" | "modal";

export type FieldKind = "text" | "secret" | "secret_document" | "choice";

export type FieldSpec = { 
/**
 * Stable key used in profiles and the keyring (`secret_access_key`).
 */
name: string, label: string, kind: FieldKind, required: boolean, placeholder: string, 
/**
 * One sentence on where to find the value.
 */
help: string, 
/**
 * Value used when the field is left empty.
 */
default: string | null, 
/**
 * Allowed values for `Choice` fields.
 */
options: Array<string>, };

export type ProviderInfo = { id: ProviderId, name: string, 
/**
 * Where the user creates or finds these credentials.
 */
console_url: string, fields: Array<FieldSpec>, };

export type Status = "ok" | "invalid_input" | "invalid_credentials" | "expired_credentials" | "permission_denied" | "not_found" | "rate_limited" | "timeout" | "unreachable" | "tls_error" | "server_error" | "unexpected_response" | "keyring_unavailable" | "not_configured";

export type IdentityEntry = { key: string, value: string, };

export type RequestRecord = { method: string, url: string, 
/**
 * HTTP status, absent when no response arrived (timeout, refused, TLS failure).
 */
http_status: number | null, 
/**
 * For a gRPC call, the status the server ended it with (`OK`, `UNAUTHENTICATED`, ...);
 * absent for plain HTTP and when no answer arrived.
 */
grpc_status?: string, ms: number, 
/**
 * 1 for the first try, 2 for the first retry, ...
 */
attempt: number, };

export type CheckReport = { provider: ProviderId, status: Status, 
/**
 * One plain sentence.
 */
summary: string, identity: Array<IdentityEntry>, 
/**
 * What to do next, concrete; absent when there is nothing to do.
 */
hint: string | null, 
/**
 * The provider's own error code (`InvalidClientTokenId`, `AADSTS7000215`...).
 */
provider_code: string | null, requests: Array<RequestRecord>, 
/**
 * This computer's clock minus the provider's, in milliseconds (positive: this
 * computer is ahead), from the provider's `Date` header; ±1 s at best, and 0 when the
 * difference is within that uncertainty. Null when no answer carried a `Date`.
 */
clock_offset_ms: number | null, elapsed_ms: number, 
/**
 * RFC 3339 UTC timestamp.
 */
checked_at: string, };

export type FieldIssue = { 
/**
 * The field's `name` in the provider schema.
 */
field: string, 
/**
 * One sentence saying what is wrong and how to fix it.
 */
message: string, 
/**
 * True when the issue is only that a required field is empty.
 */
missing: boolean, };

export type PastedField = { name: string, 
/**
 * The value, for non-secret fields only.
 */
value: string | null, 
/**
 * True for secret fields, whose value stays in the backend.
 */
secret: boolean, 
/**
 * `…c3d4` for secret fields long enough to hint safely.
 */
hint: string | null, };

export type PasteSummary = { provider: ProviderId, fields: Array<PastedField>, };

export type KeyringStatus = { available: boolean, 
/**
 * Where the keyring lives (`dev.cloudcreds.desktop` or the override).
 */
service: string, 
/**
 * Why it does not work, when it does not.
 */
message: string | null, 
/**
 * What to do about it, for this platform.
 */
hint: string | null, };

export type FindingKind = "orphan" | "orphan_without_profile" | "unknown_entry" | "missing" | "damaged";

export type Repair = "adopt" | "adopt_creating_profile" | "delete" | "forget";

export type KeyringFinding = { kind: FindingKind, 
/**
 * The keyring entry's name (`profile/provider/field`) under the service.
 */
key: string, profile: string | null, provider: ProviderId | null, field: string | null, 
/**
 * Whether the profile store records this secret as set.
 */
recorded: boolean, 
/**
 * What is wrong, in one sentence.
 */
message: string, 
/**
 * What to do about it.
 */
fix: string, 
/**
 * The repairs that apply, the preferred one first.
 */
repairs: Array<Repair>, };

export type KeyringFindings = { 
/**
 * The keyring service scanned.
 */
service: string, 
/**
 * Whether values were read (damage checked); the start-up scan only lists names.
 */
values_checked: boolean, findings: Array<KeyringFinding>, };

export type SecretMeta = { field: string, set: boolean, 
/**
 * `…c3d4` (last four characters); absent for short secrets.
 */
hint: string | null, 
/**
 * RFC 3339 UTC.
 */
set_at: string | null, age_days: number | null, 
/**
 * Older than the rotation limit (90 days unless configured).
 */
stale: boolean, };

export type LastCheck = { status: Status, checked_at: string, summary: string, };

export type ProviderSettings = { provider: ProviderId, 
/**
 * Non-secret fields (key id, region, tenant, endpoint...).
 */
fields: { [key in string]: string }, 
/**
 * Every secret field of the provider's schema, set or not.
 */
secrets: Array<SecretMeta>, last_check: LastCheck | null, };

export type ProfileSummary = { name: string, active: boolean, 
/**
 * RFC 3339 UTC.
 */
created_at: string, 
/**
 * Providers with saved settings, in display order.
 */
providers: Array<ProviderSettings>, 
/**
 * Whether any saved secret is older than the rotation limit.
 */
has_stale_secrets: boolean, };

export type StoreNotice = { message: string, 
/**
 * Where the unreadable file was moved.
 */
backup_path: string | null, };

export type ProfileErrorCode = "invalid_input" | "not_found" | "already_exists" | "keyring_unavailable" | "secret_missing" | "store_too_new" | "store_io" | "store_busy";

export type ProfileError = { code: ProfileErrorCode, message: string, 
/**
 * What to do next, when there is something concrete.
 */
hint: string | null, };
