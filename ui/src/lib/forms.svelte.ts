// The state of every provider's form, kept per provider so switching providers or pasting
// into another provider's form loses nothing the user typed. Forms start from what the
// active profile has saved (non-secret values; secrets only as hints).
import type {
  CheckReport,
  FieldIssue,
  PasteSummary,
  ProfileSummary,
  ProviderInfo,
  ProviderSettings,
} from "./bindings";
import { emptyValues, type FormValues } from "./form";

export type FormState = {
  values: FormValues;
  /** Secret fields filled by a paste: field name → masked hint (the value stays in the backend). */
  pasted: Record<string, string>;
  /** What the profile has saved for this provider, if anything. */
  saved: ProviderSettings | null;
  issues: FieldIssue[];
  report: CheckReport | null;
  busy: boolean;
  error: string | null;
  notice: string | null;
};

export const forms: Record<string, FormState> = $state({});

/**
 * Forms for a profile (state is never created while rendering). With `keepTyped`, what the
 * user already typed or pasted survives (the first profile load can land after they start).
 */
export function resetForms(infos: ProviderInfo[], profile: ProfileSummary | null, keepTyped = false): void {
  for (const info of infos) {
    const saved = profile?.providers.find((p) => p.provider === info.id) ?? null;
    const before = keepTyped ? forms[info.id] : undefined;
    const typed = Object.fromEntries(Object.entries(before?.values ?? {}).filter(([, v]) => v !== ""));
    forms[info.id] = {
      values: { ...emptyValues(info), ...(saved?.fields ?? {}), ...typed },
      pasted: before?.pasted ?? {},
      saved,
      issues: [],
      report: null,
      busy: false,
      error: null,
      notice: null,
    };
  }
}

export function formFor(info: ProviderInfo): FormState {
  const form = forms[info.id];
  if (!form) throw new Error(`no form state for ${info.id}: call resetForms first`);
  return form;
}

/** Applies a paste: plain values fill their inputs, secrets are marked as pasted. */
export function applyPaste(info: ProviderInfo, summary: PasteSummary): void {
  const form = formFor(info);
  for (const field of summary.fields) {
    if (field.secret) {
      form.values[field.name] = "";
      form.pasted[field.name] = field.hint ?? "pasted";
    } else if (field.value !== null) {
      form.values[field.name] = field.value;
    }
  }
  form.report = null;
}
