import { describe, expect, it } from "vitest";

import { errorMessage } from "./api";

describe("errorMessage", () => {
  it("says what went wrong, then what to do", () => {
    expect(
      errorMessage({ code: "not_found", message: "There is no profile 'x'.", hint: "Create it first." }),
    ).toBe("There is no profile 'x'. Create it first.");
  });

  it("has no trailing space without a hint, and reads anything else as text", () => {
    expect(errorMessage({ code: "internal", message: "Broke.", hint: null })).toBe("Broke.");
    expect(errorMessage("plain")).toBe("plain");
  });
});
