// The one typed path from the UI to the backend: every command the window calls, with the
// types generated from Rust (bindings.ts). Errors arrive as `ErrorPayload` ({code, message}).
// Secrets only ever travel in; nothing returned here contains one.
import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  CheckReport,
  ErrorPayload,
  FieldIssue,
  KeyringFindings,
  KeyringStatus,
  PasteSummary,
  ProfileSummary,
  ProviderId,
  ProviderInfo,
  ProviderSettings,
  StoreNotice,
} from "./bindings";

export type Values = Record<string, string>;

export const listProviders = () => invoke<ProviderInfo[]>("list_providers");

export const validateFields = (provider: ProviderId, values: Values) =>
  invoke<FieldIssue[]>("validate_fields", { provider, values });

export const pasteCredentials = (text: string) => invoke<PasteSummary>("paste_credentials", { text });

export const clearDraft = (provider: ProviderId) => invoke<void>("clear_draft", { provider });

/** Empty secret fields fall back to the latest paste, then to what `profile` has saved. */
export const testConnection = (provider: ProviderId, values: Values, profile: string | null) =>
  invoke<CheckReport>("test_connection", { provider, values, profile });

/** Turns whatever a command rejected with into what to tell the user: what went wrong, then what to do. */
export function errorMessage(err: unknown): string {
  if (typeof err === "object" && err !== null && "message" in err) {
    const { message, hint } = err as ErrorPayload;
    return hint ? `${message} ${hint}` : String(message);
  }
  return String(err);
}

export const keyringStatus = () => invoke<KeyringStatus>("keyring_status");
export const storeNotices = () => invoke<StoreNotice[]>("store_notices");
/** Keyring entries no profile records, saved secrets missing from it: names only, never a value. */
export const keyringFindings = () => invoke<KeyringFindings>("keyring_findings");
export const listProfiles = () => invoke<ProfileSummary[]>("list_profiles");
export const createProfile = (name: string) => invoke<ProfileSummary>("create_profile", { name });
export const renameProfile = (from: string, to: string) => invoke<ProfileSummary>("rename_profile", { from, to });
export const duplicateProfile = (from: string, to: string) =>
  invoke<ProfileSummary>("duplicate_profile", { from, to });
export const deleteProfile = (name: string) => invoke<void>("delete_profile", { name });
export const useProfile = (name: string) => invoke<ProfileSummary>("use_profile", { name });
export const saveProvider = (profile: string, provider: ProviderId, values: Values, clear: string[]) =>
  invoke<ProviderSettings>("save_provider", { profile, provider, values, clear });
export const forgetProvider = (profile: string, provider: ProviderId) =>
  invoke<void>("forget_provider", { profile, provider });

/** Checks every provider saved in `profile` at once; `onReport` gets each result as it lands. */
export function checkProfile(profile: string, onReport: (report: CheckReport) => void): Promise<number> {
  const channel = new Channel<CheckReport>();
  channel.onmessage = onReport;
  return invoke<number>("check_profile", { profile, onReport: channel });
}
