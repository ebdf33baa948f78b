// The one typed path from the UI to the backend: every command the window calls, with the
// types generated from Rust (bindings.ts). Errors arrive as `ErrorPayload` ({code, message}).
// Secrets only ever travel in; nothing returned here contains one.
import { invoke } from "@tauri-apps/api/core";
import type {
  CheckReport,
  ErrorPayload,
  FieldIssue,
  PasteSummary,
  ProviderId,
  ProviderInfo,
} from "./bindings";

export type Values = Record<string, string>;

export const listProviders = () => invoke<ProviderInfo[]>("list_providers");

export const validateFields = (provider: ProviderId, values: Values) =>
  invoke<FieldIssue[]>("validate_fields", { provider, values });

export const pasteCredentials = (text: string) => invoke<PasteSummary>("paste_credentials", { text });

export const clearDraft = (provider: ProviderId) => invoke<void>("clear_draft", { provider });

export const testConnection = (provider: ProviderId, values: Values) =>
  invoke<CheckReport>("test_connection", { provider, values });

/** Turns whatever a command rejected with into a sentence for the user. */
export function errorMessage(err: unknown): string {
  if (typeof err === "object" && err !== null && "message" in err) {
    return String((err as ErrorPayload).message);
  }
  return String(err);
}
