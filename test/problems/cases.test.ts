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
def conv2d_forward(x, W, b):
    n, c, h, w = x.shape; o, _, k, _ = W.shape
    y = np.zeros((n, o, h - k + 1, w - k + 1))
    for i in range(h - k + 1):
        for j in range(w - k + 1):
            y[:, :, i, j] = np.einsum("ncab,ocab->no", x[:, :, i:i + k, j:j + k], W)
    return y + b[None, :, None, None]
def conv2d_backward(g, x, W, b):
    k = W.shape[2]; dx = np.zeros_like(x); dW = np.zeros_like(W)
    for i in range(g.shape[2]):
        for j in range(g.shape[3]):
            dx[:, :, i:i + k, j:j + k] += np.einsum("no,ocab->ncab", g[:, :, i, j], W)
            dW += np.einsum("no,ncab->ocab", g[:, :, i, j], x[:, :, i:i + k, j:j + k])
    return {"x": dx, "W": dW, "b": g.sum(axis=(0, 2, 3))}
`;
// the classic mistakes: W's gradient transposed, σ′ forgotten, the mean's 1/n forgotten
const BUGGY = CORRECT.replace('"W": g.T @ x', '"W": x.T @ g').replace('"b": g.sum(axis=(0, 2, 3))', '"b": g.sum(axis=(2, 3)).mean(axis=0)').replace('return {"x": g * s * (1 - s)}', 'return {"x": g * s}').replace("/ prediction.size", "");

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
  it("conv2d cases satisfy y[n,o,i,j] = b[o] + Σ x[n,c,i+a,j+a']·W[o,c,a,a'] (a direct sum)", () => {
    for (const c of makeCases("conv2d", 4, 2).cases) {
      const x = c.inputs.x!, W = c.params.W!, b = c.params.b!;
      const [n, ch, h, w] = x.shape as [number, number, number, number];
      const [o, , k] = W.shape as [number, number, number, number];
      const oh = h - k + 1, ow = w - k + 1;
      for (let q = 0; q < n; q++) for (let f = 0; f < o; f++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
        let y = b.data[f]!;
        for (let cc = 0; cc < ch; cc++) for (let a = 0; a < k; a++) for (let d = 0; d < k; d++) y += x.data[((q * ch + cc) * h + i + a) * w + j + d]! * W.data[((f * ch + cc) * k + a) * k + d]!;
        expect(c.expected.output.data[((q * o + f) * oh + i) * ow + j]).toBeCloseTo(y, 12);
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
  it.each(["linear", "sigmoid", "mse", "conv2d"])("%s: a correct numpy implementation scores 100%%; a buggy one is named by layer, case, field and element", (layer) => {
    const [good, goodCode] = gradeCommand(join(tmp, `${layer}.json`), runPython(layer, CORRECT));
    expect(goodCode).toBe(0);
    expect(good).toMatch(/checks passed \(100\.0%\)/);
    const [bad, badCode] = gradeCommand(join(tmp, `${layer}.json`), runPython(layer, BUGGY));
    expect(badCode).toBe(1);
    const field = { linear: "grad W", sigmoid: "grad x", mse: "grad prediction", conv2d: "grad b" }[layer];
    expect(bad).toMatch(new RegExp(`✗ ${layer} case \\d+, ${field}: (element \\[[\\d,]+\\] is [-\\d.e]+, expected [-\\d.e]+|shape)`));
  });
});
