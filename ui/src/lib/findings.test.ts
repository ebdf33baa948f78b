import { describe, expect, it } from "vitest";
import type { KeyringFinding, KeyringFindings } from "./bindings";
import { findingsBanner, MAX_LISTED } from "./findings";

function finding(key: string, kind: KeyringFinding["kind"]): KeyringFinding {
  return {
    kind,
    key,
    profile: "work",
    provider: "aws",
    field: "secret_access_key",
    recorded: kind === "missing",
    message: `message for ${key}`,
    fix: "Adopt it (`cloudcreds doctor --adopt`).",
    repairs: kind === "missing" ? ["forget"] : ["adopt", "delete"],
  };
}

function scan(findings: KeyringFinding[]): KeyringFindings {
  return { service: "dev.cloudcreds.desktop", values_checked: false, findings };
}

describe("keyring findings banner", () => {
  it("is not shown when the scan found nothing or has not run", () => {
    expect(findingsBanner(null)).toBeNull();
    expect(findingsBanner(scan([]))).toBeNull();
  });

  it("names each finding and points to cloudcreds doctor", () => {
    const banner = findingsBanner(
      scan([finding("work/aws/secret_access_key", "orphan"), finding("work/huggingface/token", "missing")]),
    )!;
    expect(banner.title).toBe("2 keyring entries need attention");
    expect(banner.items.map((i) => i.what)).toEqual(["not recorded by its profile", "missing from the keyring"]);
    expect(banner.items[0]?.message).toBe("message for work/aws/secret_access_key");
    expect(banner.command).toBe("cloudcreds doctor");
    expect(banner.more).toBe(0);
    expect(findingsBanner(scan([finding("x/lambda/api_key", "orphan_without_profile")]))!.title).toBe(
      "1 keyring entry needs attention",
    );
  });

  it("lists a few and counts the rest", () => {
    const many = Array.from({ length: MAX_LISTED + 3 }, (_, i) => finding(`p${i}/aws/secret_access_key`, "orphan"));
    const banner = findingsBanner(scan(many))!;
    expect(banner.items).toHaveLength(MAX_LISTED);
    expect(banner.more).toBe(3);
  });
});
