// Pure form logic for a provider's settings, kept out of components so it is unit-tested.
import type { FieldSpec, ProviderInfo } from "./bindings";

export type FormValues = Record<string, string>;

/** Empty values for every field; defaults are shown as placeholders, not pre-filled. */
export function emptyValues(info: ProviderInfo): FormValues {
  return Object.fromEntries(info.fields.map((f) => [f.name, ""]));
}

/** What the input shows when empty: the field's own placeholder, else its default. */
export function placeholderFor(field: FieldSpec): string {
  if (field.placeholder) return field.placeholder;
  return field.default ? `default: ${field.default}` : "";
}
