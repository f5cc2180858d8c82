// Every bundled example: solved in all four formats, and its JSON quantities held to independent
// PyTorch solutions (fixtures/examples.json, scripts/gen_example_fixtures.py) to 1e-9.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleFiles } from "../../src/cli/examples.js";
import { renderSolution } from "../../src/cli/solve.js";
import { loadProblem } from "../../src/problems/index.js";
import { solve } from "../../src/problems/solve.js";
import { toJson } from "../../src/solution/format-json.js";
import { expectClose } from "../helpers.js";

const fixtures = JSON.parse(readFileSync(new URL("../../fixtures/examples.json", import.meta.url), "utf8")) as { examples: Record<string, Record<string, unknown>> };
const files = exampleFiles();
const flatten = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flatten) : [v as number]);

describe("examples", () => {
  it("has a PyTorch fixture for every example and an example for every fixture", () => {
    expect(files.map((f) => basename(f)).sort()).toEqual(Object.keys(fixtures.examples).sort());
  });
  it.each(files.map((f) => [basename(f), f]))("%s matches PyTorch to 1e-9", (name, file) => {
    const sol = solve(loadProblem(file));
    const q = (toJson(sol).quantities ?? {}) as Record<string, unknown>;
    const want = fixtures.examples[name] ?? {};
    expect(Object.keys(want).length).toBeGreaterThan(0);
    for (const [k, v] of Object.entries(want)) {
      expect(q[k], `${name}: quantity ${k} missing`).toBeDefined();
      expectClose(flatten(q[k]), flatten(v), 1e-9, 1e-12, `${name}: ${k}`);
    }
  });
  it.each(files.map((f) => [basename(f), f]))("%s renders as text, md, latex and json", (_name, file) => {
    const sol = solve(loadProblem(file));
    for (const format of ["text", "md", "latex", "json"] as const) {
      const out = renderSolution(sol, { format });
      expect(out.length).toBeGreaterThan(200);
      expect(out).not.toMatch(/NaN|undefined|\[object/);
    }
    expect(() => JSON.parse(renderSolution(sol, { format: "json" }))).not.toThrow();
  });
});
