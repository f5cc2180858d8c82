// `nabla check` names the common mistakes. Each test feeds an answer with one mistake, computed here
// by hand from the problem's numbers (never by the checker's own variant), and expects the cause by
// name; an answer that fits no known mistake gets no cause at all.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkFile } from "../../src/problems/index.js";

const tmp = mkdtempSync(join(tmpdir(), "nabla-causes-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let files = 0;

/** Writes the problem and one answer; returns the verdict's status and cause. */
function check(problem: string, key: string, answer: number | number[] | number[][]): { status: string; cause: string | undefined } {
  const n = files++;
  const p = join(tmp, `p${n}.yaml`), a = join(tmp, `a${n}.yaml`);
  writeFileSync(p, problem);
  writeFileSync(a, `${JSON.stringify(key)}: ${JSON.stringify(answer)}\n`);
  const v = checkFile(p, a).verdicts[0];
  return { status: v?.status ?? "none", cause: v?.cause };
}

const sig = (t: number): number => 1 / (1 + Math.exp(-t));

// A: s = w·x + b, a = tanh(s), z = v·a + c, ŷ = σ(z), L = (ŷ − y)² (or ½(ŷ − y)²); SGD, two iterations.
const A = { x: 0.8, y: 1, w: 1.5, b: 0.3, v: -1.5, c: 0.1, lr: 0.5 };
const problemA = (half: boolean): string => `title: A
model:
  formulas: |
    s = w*x + b
    a = tanh(s)
    z = v*a + c
    yhat = sigmoid(z)
inputs: {x: ${A.x}, y: ${A.y}}
parameters: {w: ${A.w}, b: ${A.b}, v: ${A.v}, c: ${A.c}}
loss: {kind: mse, half: ${half}}
optimizer: {kind: sgd, lr: ${A.lr}}
training: {iterations: 2}
`;
/** The forward and backward pass of A by hand at parameters w, b, v, c. */
function handA(w: number, b: number, v: number, c: number, half: boolean) {
  const s = w * A.x + b, a = Math.tanh(s), z = v * a + c, yhat = sig(z);
  const dyhat = (half ? 1 : 2) * (yhat - A.y);
  const dz = dyhat * yhat * (1 - yhat);
  const da = dz * v;
  const ds = da * (1 - a * a);
  return { s, a, z, yhat, dyhat, dz, da, ds, dw: ds * A.x, db: ds, dv: dz * a, dc: dz };
}
const a1 = handA(A.w, A.b, A.v, A.c, false);

describe("wrong derivatives of activations", () => {
  it.each([
    ["σ′ forgotten: the gradient passed through σ unchanged", "dL/dz", a1.dyhat],
    ["σ′ written from the wrong variable: s(1 − s) of the pre-activation", "dL/dz", a1.dyhat * a1.z * (1 - a1.z)],
    ["σ′ written from the wrong variable: σ(ŷ)(1 − σ(ŷ)) of the output", "dL/dz", a1.dyhat * sig(a1.yhat) * (1 - sig(a1.yhat))],
    ["tanh′ written as 1 − tanh(s²)", "dL/ds", a1.da * (1 - Math.tanh(a1.s * a1.s))],
    ["tanh′ written as 1 − s² of the pre-activation s", "dL/ds", a1.da * (1 - a1.s * a1.s)],
    ["tanh′ forgotten: the gradient passed through tanh unchanged", "dL/ds", a1.da],
    ["σ′ forgotten", "dL/dw", a1.dyhat * A.v * (1 - a1.a * a1.a) * A.x], // carried on to a parameter
  ])("%s (%s)", (cause, key, answer) => {
    const r = check(problemA(false), key, answer);
    expect(r.status).toBe("wrong");
    expect(r.cause).toContain(cause);
  });
  it("ReLU′ forgotten where s ≤ 0", () => {
    // s = w·x + b = 0.5·1 − 2 = −1.5 < 0, so ReLU′(s) = 0 and ∂L/∂s = 0; without it ∂L/∂s = ∂L/∂a = 2(ŷ − y)·v
    const problem = "title: B\nmodel:\n  formulas: |\n    s = w*x + b\n    a = relu(s)\n    yhat = v*a + c\ninputs: {x: 1, y: 2}\nparameters: {w: 0.5, b: -2, v: 3, c: 0.5}\nloss: {kind: mse}\n";
    const r = check(problem, "dL/ds", 2 * (0.5 - 2) * 3);
    expect(r.cause).toContain("ReLU′ forgotten");
  });
});

describe("conventions and updates", () => {
  it("an extra ½ and a missing ½ in squared error", () => {
    expect(check(problemA(false), "dL/dyhat", a1.yhat - A.y).cause).toContain("an extra ½");
    expect(check(problemA(true), "dL/dyhat", 2 * (a1.yhat - A.y)).cause).toContain("missing ½");
  });
  it("+ instead of − in the update", () => {
    expect(check(problemA(false), "w@2", A.w + A.lr * a1.dw).cause).toContain("+ instead of − in the update");
  });
  it("a gradient taken from the wrong iteration", () => {
    // iteration 2's ∂L/∂w answered with iteration 1's
    const r = check(problemA(false), "dL/dw@2", a1.dw);
    expect(r.status).toBe("wrong");
    expect(r.cause).toBe("taken from the wrong iteration: the answer is dL/dw, the value in iteration 1, not in iteration 2");
    // and the other way round: iteration 1 answered with iteration 2's gradient
    const a2 = handA(A.w - A.lr * a1.dw, A.b - A.lr * a1.db, A.v - A.lr * a1.dv, A.c - A.lr * a1.dc, false);
    expect(check(problemA(false), "dL/dw", a2.dw).cause).toBe("taken from the wrong iteration: the answer is dL/dw@2, the value in iteration 2, not in iteration 1");
  });
});

// C: three outputs ŷ = w·x (x a vector), L = mean over the outputs of (ŷ − y)².
const C = { w: 0.7, x: [1, -2, 0.5], y: [0.3, -1, 1] };
const dwC = (scale: number): number => scale * C.x.reduce((acc, xi, i) => acc + 2 * (C.w * xi - (C.y[i] as number)) * xi, 0);
const problemC = (loss: string): string => `title: C\nmodel:\n  formulas: yhat = w * x\ninputs: {x: ${JSON.stringify(C.x)}, y: ${JSON.stringify(C.y)}}\nparameters: {w: ${C.w}}\nloss: ${loss}\n`;

describe("sum and mean over the K outputs", () => {
  it("sum instead of mean (the convention, for a loss with a reduction)", () => {
    expect(check(problemC("{kind: mse}"), "dL/dw", dwC(1)).cause).toContain("sum instead of mean over the outputs");
  });
  it("the mean's 1/K applied twice", () => {
    expect(check(problemC("{kind: mse}"), "dL/dw", dwC(1 / 9)).cause).toBe("a factor of K = 3 too small: the mean's 1/K over the 3 outputs applied twice");
  });
  it("a factor of K for a formula loss, and a factor of 2 where the loss squares", () => {
    const formula = problemC('{kind: formula, formula: "L = mean((yhat - y)^2)"}');
    expect(check(formula, "dL/dw", dwC(1)).cause).toBe("a factor of K = 3 too large: sum instead of mean over the 3 outputs (the loss's 1/K forgotten)");
    expect(check(formula, "dL/dw", dwC(2 / 3)).cause).toMatch(/^a factor of 2 too large/);
  });
});

// D: four samples, ŷ = w·x + b, batch-mean of (ŷ − y)².
const D = { w: 0.4, b: 0.1, data: [[1, 0.5], [-1, -0.2], [2, 1.1], [0.5, 0.4]] as const };
const problemD = `title: D\nmodel:\n  formulas: yhat = w*x + b\nparameters: {w: ${D.w}, b: ${D.b}}\ndata:\n${D.data.map(([x, y]) => `  - {x: ${x}, y: ${y}}`).join("\n")}\nloss: {kind: mse}\noptimizer: {kind: sgd, lr: 0.1}\ntraining: {iterations: 1, mode: batch-mean}\n`;
const dwD = D.data.reduce((acc, [x, y]) => acc + 2 * (D.w * x + D.b - y) * x, 0); // Σ over the samples

describe("sum and mean over the N samples", () => {
  it("the loss's N forgotten (sum instead of mean)", () => {
    expect(check(problemD, "dL/dw", dwD).cause).toContain("sum instead of mean over the samples");
  });
  it("the loss's N doubled (1/N applied twice)", () => {
    expect(check(problemD, "dL/dw", dwD / 16).cause).toBe("a factor of N = 4 too small: the loss's 1/N applied twice (divided by N² instead of N)");
  });
  it("a value of the wrong sample", () => {
    // ŷ of sample 3 (x = 2) given for sample 2
    expect(check(problemD, "yhat#2", D.w * 2 + D.b).cause).toBe("taken from the wrong sample: the answer is yhat#3, the value for sample 3, not sample 2");
  });
});

describe("generic relations", () => {
  it("a sign error", () => {
    expect(check(problemA(false), "dL/dw", -a1.dw).cause).toContain("sign error");
  });
  it("a transposed matrix gradient", () => {
    // ŷ = W x + b with W 3×2 (PyTorch layout y = x Wᵀ + b), L = mean over 3 outputs of (ŷ − y)²: ∂L/∂W = (2/3)(ŷ − y) xᵀ
    const W = [[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], x = [1, 2], bias = [0, 0.1, -0.1], y = [0, 1, 0];
    const d = W.map((row, i) => (2 / 3) * (row[0]! * x[0]! + row[1]! * x[1]! + bias[i]! - y[i]!));
    const transposed = x.map((xj) => d.map((di) => di * xj)); // 2×3: (∂L/∂W)ᵀ
    const problem = `title: T\nmodel:\n  layers:\n    - linear: {in: 2, out: 3, weight: ${JSON.stringify(W)}, bias: ${JSON.stringify(bias)}}\ninputs: {x: ${JSON.stringify(x)}, y: ${JSON.stringify(y)}}\nloss: {kind: mse}\n`;
    expect(check(problem, "dL/dW1", transposed).cause).toContain("transposed");
  });
  it("says nothing when no known mistake fits, rather than a made-up factor", () => {
    expect(check(problemA(false), "dL/dw", 1.37 * a1.dw)).toEqual({ status: "wrong", cause: undefined });
    // 3 is no count of problem A (one output, one sample): no "sum over 3 elements" guess
    expect(check(problemA(false), "dL/dw", 3 * a1.dw)).toEqual({ status: "wrong", cause: undefined });
    expect(check(problemA(false), "dL/dw", a1.dw / 7)).toEqual({ status: "wrong", cause: undefined });
  });
});
