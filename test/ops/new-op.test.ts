// sin and cos were added as one op file entry, one registry line and one kernel each: the
// expression language, the worked solutions and the checker pick them up with no other edit.
import { describe, expect, it } from "vitest";
import { FUNCTIONS } from "../../src/expr/functions.js";
import { compile } from "../../src/problems/compile.js";
import { parseProblem } from "../../src/problems/load.js";
import { solve } from "../../src/problems/solve.js";
import { renderSolution } from "../../src/cli/solve.js";
import { registry } from "../../src/ops/registry.js";

const yaml = `title: sine
inputs: { x: 0.7, y: 0.1 }
parameters: { w: 1.3 }
model:
  formulas: |
    z = w * x
    yhat = sin(z)
loss: { kind: mse }
training: { iterations: 0 }
`;

describe("a new op (sin, cos) needs no edit outside its op file, the registry and a kernel", () => {
  it("is in the registry with samples for the generated gradcheck, gradgradcheck and PyTorch fixtures", () => {
    for (const name of ["sin", "cos"]) expect(registry.find((o) => o.name === name)?.samples.length).toBeGreaterThan(0);
  });
  it("is callable in the expression language", () => {
    expect(FUNCTIONS.get("sin")?.min).toBe(1);
    expect(FUNCTIONS.get("cos")?.max).toBe(1);
  });
  it("gets worked-solution steps from its own rule: ∂L/∂z = 2(sin z − y)·cos z (hand formula)", () => {
    const sol = solve(compile(parseProblem(yaml, "sine.yaml")));
    const z = 1.3 * 0.7;
    expect(sol.quantities.get("dL/dz")?.item()).toBeCloseTo(2 * (Math.sin(z) - 0.1) * Math.cos(z), 14);
    expect(sol.quantities.get("dL/dw")?.item()).toBeCloseTo(2 * (Math.sin(z) - 0.1) * Math.cos(z) * 0.7, 14);
    const text = renderSolution(sol, { format: "text" });
    expect(text).toMatch(/∂L\/∂z = ∂L\/∂y\u0302 · cos\(z\) = /);
    expect(renderSolution(sol, { format: "latex" })).toMatch(/\\cos\\left\(z\\right\)/);
  });
});
