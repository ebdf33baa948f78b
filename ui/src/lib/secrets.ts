// How a saved secret is described next to its (empty) input: hint, age, rotation warning.
import type { SecretMeta } from "./bindings";

export function savedSecretLabel(meta: SecretMeta | undefined): string | null {
  if (!meta?.set) return null;
  const hint = meta.hint ? ` ${meta.hint}` : "";
  const age = meta.age_days === null ? "" : meta.age_days === 0 ? " · set today" : ` · ${meta.age_days} days old`;
  return `saved${hint}${age}`;
}

export function rotationWarning(meta: SecretMeta | undefined): string | null {
  if (!meta?.set || !meta.stale) return null;
  return `Older than the rotation limit (${meta.age_days} days): create a new one and save it here.`;
}
