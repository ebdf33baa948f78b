import { describe, expect, it } from "vitest";
import { statusLabel, statusTone } from "./report";

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
