// The start-up keyring banner: what the background scan (`keyring_findings`, names only)
// found, summarised for the window, with the terminal command that repairs it.
import type { FindingKind, KeyringFindings } from "./bindings";

/** The most findings listed in the banner; the rest are counted. */
export const MAX_LISTED = 5;

const TITLES: Record<FindingKind, string> = {
  orphan: "not recorded by its profile",
  orphan_without_profile: "for a profile that does not exist",
  unknown_entry: "not a secret of any profile",
  missing: "missing from the keyring",
  damaged: "damaged",
};

export interface FindingsBanner {
  title: string;
  items: { key: string; what: string; message: string }[];
  more: number;
  command: string;
}

/** The banner for a scan's findings, or null when there is nothing to show. */
export function findingsBanner(found: KeyringFindings | null): FindingsBanner | null {
  if (!found || found.findings.length === 0) return null;
  const n = found.findings.length;
  return {
    title: `${n} keyring ${n === 1 ? "entry needs" : "entries need"} attention`,
    items: found.findings.slice(0, MAX_LISTED).map((f) => ({
      key: f.key,
      what: TITLES[f.kind],
      message: f.message,
    })),
    more: Math.max(0, n - MAX_LISTED),
    command: "cloudcreds doctor",
  };
}
