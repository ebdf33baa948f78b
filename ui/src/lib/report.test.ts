import { describe, expect, it } from "vitest";
import { clockNote, statusLabel, statusTone } from "./report";

describe("status presentation", () => {
  it("reads as plain words", () => {
    expect(statusLabel("ok")).toBe("Connected");
    expect(statusLabel("expired_credentials")).toBe("Expired credentials");
  });

  it("separates the user's problems from the network's", () => {
    expect(statusTone("ok")).toBe("good");
    expect(statusTone("invalid_credentials")).toBe("bad");
    expect(statusTone("timeout")).toBe("warn");
  });
});

describe("clock offset", () => {
  it("speaks up only from a minute off", () => {
    expect(clockNote(null)).toBeNull();
    expect(clockNote(0)).toBeNull();
    expect(clockNote(-59_000)).toBeNull();
    expect(clockNote(-1_200_000)).toBe("20 minutes behind");
    expect(clockNote(60_000)).toBe("1 minute ahead");
    expect(clockNote(7_200_000)).toBe("2 hours ahead");
  });
});
