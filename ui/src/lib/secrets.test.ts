import { describe, expect, it } from "vitest";
import type { SecretMeta } from "./bindings";
import { rotationWarning, savedSecretLabel } from "./secrets";

const meta = (over: Partial<SecretMeta>): SecretMeta => ({
  field: "token",
  set: true,
  hint: "…c3d4",
  set_at: "2026-01-01T00:00:00Z",
  age_days: 12,
  stale: false,
  ...over,
});

describe("saved secret labels", () => {
  it("show the hint and age, never more", () => {
    expect(savedSecretLabel(meta({}))).toBe("saved …c3d4 · 12 days old");
    expect(savedSecretLabel(meta({ hint: null, age_days: 0 }))).toBe("saved · set today");
    expect(savedSecretLabel(meta({ set: false }))).toBeNull();
  });

  it("warn only about stale secrets", () => {
    expect(rotationWarning(meta({}))).toBeNull();
    expect(rotationWarning(meta({ stale: true, age_days: 120 }))).toMatch(/120 days/);
  });
});
