// The playground's URL state: text survives the base64url round trip, and bad values fall back.
import { describe, expect, it } from "vitest";
import { decodeText, encodeText, readHash, writeHash } from "../../web/src/url-state.js";

describe("playground URL state", () => {
  it("round-trips any UTF-8 text through base64url (no +, / or = in the URL)", () => {
    for (const t of ["", "a", "ŷ = σ(wᵀx + b) # ½(y − ŷ)²\n", "x: [1.0, -2.0]\n\ttab", "🙂".repeat(50)]) {
      const e = encodeText(t);
      expect(e).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(decodeText(e)).toBe(t);
    }
    expect(encodeText("ab?")).toBe("YWI_"); // base64 "YWI/" with / → _
    expect(decodeText("%%%")).toBeNull();
    expect(decodeText("_w")).toBeNull(); // byte 0xFF is not UTF-8
  });

  it("reads a hash, with defaults for missing or out-of-range values", () => {
    expect(readHash("")).toEqual({ view: "graph", example: null, source: null, step: 0, iteration: 1, digits: null });
    expect(readHash("#view=tables&ex=seed001-regression-3relu&step=7&it=3&digits=4")).toEqual({ view: "tables", example: "seed001-regression-3relu", source: null, step: 7, iteration: 3, digits: 4 });
    expect(readHash("#view=nope&step=-1&it=0&digits=99")).toEqual({ view: "graph", example: null, source: null, step: 0, iteration: 1, digits: null });
    expect(readHash("#step=1e3&digits=3.5")).toMatchObject({ step: 0, digits: null });
  });

  it("writes what it reads back, edited text taking the place of the example's name", () => {
    const s = { view: "checker" as const, example: null, source: "title: t\n", step: 2, iteration: 5, digits: 3 };
    expect(readHash(writeHash(s))).toEqual(s);
    const e = { view: "graph" as const, example: "seed000-q7-adam", source: null, step: 0, iteration: 1, digits: null };
    expect(writeHash(e)).toBe("#view=graph&ex=seed000-q7-adam&step=0");
    expect(readHash(writeHash(e))).toEqual(e);
  });
});
