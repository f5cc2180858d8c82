// Display conventions: numerator layout transposes gradient matrices (values are unchanged).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderSolution } from "../../src/cli/solve.js";
import { compile } from "../../src/problems/compile.js";
import { parseProblem } from "../../src/problems/load.js";
import { solve } from "../../src/problems/solve.js";

const text = readFileSync(new URL("../../examples/seed001-regression-3relu.yaml", import.meta.url), "utf8");

describe("gradient layout", () => {
  it("prints ∂C/∂W1 in W1's shape by default and transposed in numerator layout", () => {
    const den = solve(compile(parseProblem(text, "a.yaml")));
    const num = solve(compile(parseProblem(`${text}\nreport:\n  layout: numerator\n`, "b.yaml")));
    const g = den.quantities.get("dC/dW1")!;
    expect(g.shape).toEqual([3, 2]);
    const row = (sol: typeof den): string => renderSolution(sol, { format: "text" }).split("\n").find((l) => l.trim().startsWith("∂C/∂W1 ="))!;
    const fmt = (v: number): string => String(Number(v.toPrecision(5)));
    const d = g.data;
    expect(row(den)).toContain(`[[${fmt(d[0]!)}, ${fmt(d[1]!)}], [${fmt(d[2]!)}, ${fmt(d[3]!)}], [${fmt(d[4]!)}, ${fmt(d[5]!)}]]`);
    expect(row(num)).toContain(`[[${fmt(d[0]!)}, ${fmt(d[2]!)}, ${fmt(d[4]!)}], [${fmt(d[1]!)}, ${fmt(d[3]!)}, ${fmt(d[5]!)}]]`);
    expect(renderSolution(num, { format: "text" })).toMatch(/numerator layout/);
    // the numbers themselves do not depend on the display layout
    expect(Array.from(num.quantities.get("dC/dW1")!.data)).toEqual(Array.from(d));
  });
});
