import { describe, expect, it } from "vitest";
import type { ProviderInfo } from "./bindings";
import { emptyValues, placeholderFor } from "./form";

const aws: ProviderInfo = {
  id: "aws",
  name: "AWS",
  console_url: "https://example.invalid",
  fields: [
    { name: "access_key_id", label: "Access key ID", kind: "text", required: true, placeholder: "AKIA…", help: "", default: null, options: [] },
    { name: "secret_access_key", label: "Secret access key", kind: "secret", required: true, placeholder: "", help: "", default: null, options: [] },
    { name: "region", label: "Region", kind: "text", required: false, placeholder: "", help: "", default: "us-east-1", options: [] },
  ],
};

describe("provider form", () => {
  it("starts with every field empty", () => {
    expect(emptyValues(aws)).toEqual({ access_key_id: "", secret_access_key: "", region: "" });
  });

  it("shows the default as the placeholder when there is no explicit one", () => {
    expect(placeholderFor(aws.fields[2]!)).toBe("default: us-east-1");
    expect(placeholderFor(aws.fields[0]!)).toBe("AKIA…");
  });
});
