// nabla cases → examples/grade_runner.py on a correct and a buggy numpy implementation → nabla grade.
// The expected numbers in the cases are checked against hand formulas here; the Python part needs
// Debian's python3-numpy (installed by .ci/run).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { casesCommand, gradeCommand } from "../../src/cli/cases.js";
import { type CaseFile, makeCases } from "../../src/problems/cases.js";
import { grade } from "../../src/problems/grade.js";

const tmp = mkdtempSync(join(tmpdir(), "nabla-cases-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CORRECT = `import numpy as np
def linear_forward(x, W, b): return x @ W.T + b
def linear_backward(g, x, W, b): return {"x": g @ W, "W": g.T @ x, "b": g.sum(axis=0)}
def sigmoid_forward(x): return 1 / (1 + np.exp(-x))
def sigmoid_backward(g, x):
    s = 1 / (1 + np.exp(-x))
    return {"x": g * s * (1 - s)}
def mse_forward(prediction, target): return np.mean((prediction - target) ** 2)
def mse_backward(g, prediction, target): return {"prediction": 2 * (prediction - target) / prediction.size}
`;
// the classic mistakes: W's gradient transposed, σ′ forgotten, the mean's 1/n forgotten
const BUGGY = CORRECT.replace('"W": g.T @ x', '"W": x.T @ g').replace('return {"x": g * s * (1 - s)}', 'return {"x": g * s}').replace("/ prediction.size", "");

function runPython(layer: string, module: string): string {
  const cases = join(tmp, `${layer}.json`), mod = join(tmp, `${layer}-${module.length}.py`), out = join(tmp, `${layer}-${module.length}-results.json`);
  writeFileSync(cases, casesCommand(layer, 20, 7));
  writeFileSync(mod, module);
  const r = spawnSync("/usr/bin/python3", ["examples/grade_runner.py", cases, mod, out], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return out;
}

describe("nabla cases", () => {
  it("linear cases satisfy y = x Wᵀ + b and ∂W = gradOutᵀ x (hand formulas)", () => {
    const f: CaseFile = makeCases("linear", 5, 3);
    for (const c of f.cases) {
      const x = c.inputs.x!, W = c.params.W!, b = c.params.b!, g = c.gradOut!;
      const [n, k] = x.shape as [number, number], m = W.shape[0] as number;
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
        let y = b.data[j]!;
        for (let t = 0; t < k; t++) y += x.data[i * k + t]! * W.data[j * k + t]!;
        expect(c.expected.output.data[i * m + j]).toBeCloseTo(y, 12);
      }
      for (let j = 0; j < m; j++) for (let t = 0; t < k; t++) {
        let dw = 0;
        for (let i = 0; i < n; i++) dw += g.data[i * m + j]! * x.data[i * k + t]!;
        expect(c.expected.grads.W!.data[j * k + t]).toBeCloseTo(dw, 12);
      }
    }
  });
  it("grades a perfect copy of the expected values 100%", () => {
    const f = makeCases("tanh", 4, 1);
    const g = grade(f, { cases: f.cases.map((c) => ({ id: c.id, output: c.expected.output, grads: c.expected.grads })) });
    expect([g.passed, g.total]).toEqual([8, 8]);
  });
});

describe("the Python reference runner and nabla grade", () => {
  it.each(["linear", "sigmoid", "mse"])("%s: a correct numpy implementation scores 100%%; a buggy one is named by layer, case, field and element", (layer) => {
    const [good, goodCode] = gradeCommand(join(tmp, `${layer}.json`), runPython(layer, CORRECT));
    expect(goodCode).toBe(0);
    expect(good).toMatch(/checks passed \(100\.0%\)/);
    const [bad, badCode] = gradeCommand(join(tmp, `${layer}.json`), runPython(layer, BUGGY));
    expect(badCode).toBe(1);
    const field = { linear: "grad W", sigmoid: "grad x", mse: "grad prediction" }[layer];
    expect(bad).toMatch(new RegExp(`✗ ${layer} case \\d+, ${field}: (element \\[[\\d,]+\\] is [-\\d.e]+, expected [-\\d.e]+|shape)`));
  });
});
