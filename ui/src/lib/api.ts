// The one typed path from the UI to the backend: every command the window calls, with the
// types generated from Rust (bindings.ts). Errors arrive as `ErrorPayload` ({code, message}).
import { invoke } from "@tauri-apps/api/core";
import type { ErrorPayload, ProviderInfo } from "./bindings";

export function listProviders(): Promise<ProviderInfo[]> {
  return invoke<ProviderInfo[]>("list_providers");
}

/** Turns whatever a command rejected with into a sentence for the user. */
export function errorMessage(err: unknown): string {
  if (typeof err === "object" && err !== null && "message" in err) {
    return String((err as ErrorPayload).message);
  }
  return String(err);
}
