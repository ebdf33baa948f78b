// The state of every provider's form, kept per provider so switching providers or pasting
// into another provider's form loses nothing the user typed.
import type { CheckReport, FieldIssue, PasteSummary, ProviderInfo } from "./bindings";
import { emptyValues, type FormValues } from "./form";

export type FormState = {
  values: FormValues;
  /** Secret fields filled by a paste: field name → masked hint (the value stays in the backend). */
  pasted: Record<string, string>;
  issues: FieldIssue[];
  report: CheckReport | null;
  busy: boolean;
  error: string | null;
};

export const forms: Record<string, FormState> = $state({});

/** Creates the empty forms once the schemas are known (state is never created while rendering). */
export function initForms(infos: ProviderInfo[]): void {
  for (const info of infos) {
    forms[info.id] ??= { values: emptyValues(info), pasted: {}, issues: [], report: null, busy: false, error: null };
  }
}

export function formFor(info: ProviderInfo): FormState {
  const form = forms[info.id];
  if (!form) throw new Error(`no form state for ${info.id}: call initForms first`);
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
