// How a check's Status reads and looks in the window.
import type { Status } from "./bindings";

const LABELS: Record<Status, string> = {
  ok: "Connected",
  invalid_input: "Check the input",
  invalid_credentials: "Invalid credentials",
  expired_credentials: "Expired credentials",
  permission_denied: "Permission denied",
  not_found: "Not found",
  rate_limited: "Rate limited",
  timeout: "Timed out",
  unreachable: "Unreachable",
  tls_error: "TLS error",
  server_error: "Provider error",
  unexpected_response: "Unexpected response",
  keyring_unavailable: "Keyring unavailable",
  not_configured: "Not configured",
};

export function statusLabel(status: Status): string {
  return LABELS[status];
}

/** ok is good; problems on the user's side are warnings; the provider's or network's are errors. */
export function statusTone(status: Status): "good" | "warn" | "bad" {
  if (status === "ok") return "good";
  if (["rate_limited", "timeout", "unreachable", "tls_error", "server_error", "unexpected_response"].includes(status)) {
    return "warn";
  }
  return "bad";
}

/** "20 minutes behind" when this computer's clock is a minute or more off; null otherwise. */
export function clockNote(offsetMs: number | null): string | null {
  if (offsetMs === null || Math.abs(offsetMs) < 60_000) return null;
  const secs = Math.abs(offsetMs) / 1000;
  const [n, unit] = secs < 5400 ? [Math.round(secs / 60), "minute"] : [Math.round(secs / 3600), "hour"];
  return `${n} ${unit}${n === 1 ? "" : "s"} ${offsetMs > 0 ? "ahead" : "behind"}`;
}
