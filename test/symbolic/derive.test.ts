// nabla derive: gradients in symbols for the seeds' formula questions. Each printed formula is
// evaluated here at 20 random points and sizes and compared with autograd run independently.
import katex from "katex";
import { describe, expect, it } from "vitest";
import { Tensor } from "../../src/autograd/tensor.js";
import { evaluate, run } from "../../src/expr/evaluate.js";
import { parseExpression, parseProgram } from "../../src/expr/parser.js";
import { deriveCommand, lossFromUpdateCommand } from "../../src/cli/derive.js";
import { derive, parseShapes } from "../../src/symbolic/derive.js";
import { Random } from "../../src/tensor/random.js";

const fill = (template: string, sizes: ReadonlyMap<string, number>): string => template.replace(/\{(\w+)\}/g, (_, s: string) => String(sizes.get(s) ?? 1));

/** Every result of `derive` against autograd at 20 random points and sizes (vectors as columns). */
function holds(source: string, wrt: string[], shapes: string, layout: "numerator" | "denominator"): string[] {
  const spec = parseShapes(shapes);
  const d = derive(source, { wrt, shapes: spec, layout, checks: 1 });
  const rng = new Random(4242);
  const program = parseProgram(source);
  const defined = new Set(program.map((s) => s.name));
  const inputs = [...new Set(program.flatMap((s) => [...s.text.matchAll(/[A-Za-z_]\w*/g)].map((m) => m[0])))].filter((v) => !defined.has(v) && !/^(sigmoid|tanh|relu|sum|log|exp|softplus|mean|abs)$/.test(v));
  for (let k = 0; k < 20; k++) {
    const sizes = new Map([...new Set([...spec.values()].flat().filter((x): x is string => typeof x === "string"))].map((s) => [s, 1 + Math.floor(rng.uniform() * 4)]));
    const leaves = new Map(inputs.map((v) => {
      const dims = (spec.get(v) ?? []).map((x) => (typeof x === "number" ? x : sizes.get(x) ?? 1));
      const shape = dims.length === 1 ? [dims[0] as number, 1] : dims;
      return [v, new Tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform() - 0.5), shape, true)];
    }));
    const env = run(program, new Map(leaves), source);
    (env.get(d.root) as Tensor).backward();
    for (const r of d.results) {
      const g = leaves.get(r.wrt)?.grad as Tensor;
      const want = layout === "numerator" ? g.transpose() : g;
      const text = fill(r.template, sizes);
      const got = evaluate(parseExpression(text, "formula"), new Map([...env].map(([n, t]) => [n, t.detach()])), text);
      const vals = got.size === 1 ? Array.from(want.data, () => got.data[0] as number) : Array.from(got.data);
      expect(vals.length).toBe(want.size);
      vals.forEach((v, i) => expect(Math.abs(v - (want.data[i] as number))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want.data[i] as number))));
    }
  }
  return d.results.map((r) => r.text);
}

describe("seed formula questions in symbols", () => {
  it("seed 001 1.1.1: a 3·ReLU regression net in numerator layout (∂C/∂W1 is n×h: x · ∂C/∂a1 · diag(3·[s1 > 0]) pattern)", () => {
    const [dW1, db1, dW2, db2] = holds("s1 = W1@x + b1\na1 = 3*relu(s1)\ns2 = W2@a1 + b2\nC = sum((s2 - y)^2)", ["W1", "b1", "W2", "b2"], "x:n, W1:h×n, b1:h, W2:k×h, b2:k, y:k", "numerator");
    expect(dW1).toMatch(/^x · /);
    expect(dW1).toMatch(/diag\(\[s1ᵀ > 0\]\)/);
    expect(db1).toMatch(/W2/);
    expect(dW2).toMatch(/a1 · \(s2ᵀ − yᵀ\)/);
    expect(db2).toBe("2 · (s2ᵀ − yᵀ)");
  });
  it("seed 001 1.1.2: tanh hidden layer, σ output and BCE, denominator layout", () => {
    holds("s1 = W1@x + b1\na1 = tanh(s1)\ns2 = W2@a1 + b2\nyt = sigmoid(s2)\nL = sum(bce(yt, y))", ["W1", "W2", "b2"], "x:n, W1:h×n, b1:h, W2:k×h, b2:k, y:k", "denominator");
  });
  it("seed 001 1.2(d)(e): f(x) = W1 x + W2 x, the Jacobian shows as 𝟙ᵀ(W1 + W2) for L = Σf", () => {
    const [dx] = holds("f = W1@x + W2@x\nL = sum(f)", ["x"], "x:n, W1:m×n, W2:m×n", "numerator");
    expect(dx).toBe("𝟙ᵀ · W2 + 𝟙ᵀ · W1");
  });
  it("seed 004 Q1(a): the L2 loss of logistic regression", () => {
    const [dw] = holds("L = (y - sigmoid(w'@x))^2", ["w"], "x:n, w:n", "denominator");
    expect(dw).toMatch(/^-2 · \(x · /);
    expect(dw).toMatch(/σ\(wᵀ · x\) · \(1 − σ\(wᵀ · x\)\)/);
  });
  it("seed 003 Q1: a polynomial model", () => {
    holds("yhat = w0 + w1*x + w2*x^2 + w3*x^3\nL = (yhat - y)^2", ["w0", "w1", "w2", "w3"], "", "denominator");
  });
  it("seed 002: ∂L(c·w)/∂c for the logistic loss", () => {
    holds("m = y * (w'@x)\nL = log(1 + exp(-c * m))", ["c", "w"], "x:n, w:n", "denominator");
  });
  it("the LaTeX renders in KaTeX strict mode", () => {
    const tex = deriveCommand("s1 = W1@x + b1; a1 = 3*relu(s1); s2 = W2@a1 + b2; C = sum((s2 - y)^2)", { wrt: "W1,b1", layout: "numerator", shapes: "x:n, W1:h×n, b1:h, W2:k×h, b2:k, y:k", format: "latex" });
    const body = tex.split("\n").filter((l) => !l.startsWith("%")).join("\n");
    expect(() => katex.renderToString(body, { strict: "error", throwOnError: true, displayMode: true })).not.toThrow();
  });
  it("JSON carries every result as LaTeX and in the expression language", () => {
    const j = JSON.parse(deriveCommand("L = 0.5*(y - sigmoid(w'@x + b))^2", { wrt: "w,b", layout: "denominator", shapes: "x:n, w:n", format: "json" })) as { results: { wrt: string; latex: string; expr: string }[] };
    expect(j.results.map((r) => r.wrt)).toEqual(["w", "b"]);
    for (const r of j.results) expect(() => parseExpression(r.expr, "json")).not.toThrow();
  });
});

describe("losses from update rules (seed 001 1.3)", () => {
  const U = "w += eta*(y - yhat)*x";
  it("Adaline: the seed's key −(y − ŷ)²/2 has the wrong sign; ½(y − ŷ)² is right", () => {
    const [text, code] = lossFromUpdateCommand(U, "yhat = b + w'@x", "C = -(y - yhat)^2/2", "text");
    expect(code).toBe(1);
    expect(text).toMatch(/wrong sign: this C grows along the update/);
    expect(lossFromUpdateCommand(U, "yhat = b + w'@x", "C = (y - yhat)^2/2", "text")[1]).toBe(0);
  });
  it("tanh: ln cosh z − y·z (a squared error is not the loss of this update)", () => {
    const [text] = lossFromUpdateCommand(U, "yhat = tanh(b + w'@x)", undefined, "text");
    expect(text).toMatch(/C\(z\) = ln cosh z − y·z \+ const/);
    const [bad, code] = lossFromUpdateCommand(U, "yhat = tanh(b + w'@x)", "C = (y - yhat)^2/2", "text");
    expect(code).toBe(1);
    expect(bad).toMatch(/not the loss of this update/);
    expect(lossFromUpdateCommand(U, "yhat = tanh(b + w'@x)", "C = log(cosh(z)) - y*z", "text")[1]).toBe(0);
  });
  it("perceptron: |z| − y·z, checked on both sides of the kink", () => {
    const [text] = lossFromUpdateCommand(U, "yhat = sign(b + w'@x)", undefined, "text");
    expect(text).toMatch(/C\(z\) = \|z\| − y·z \+ const/);
    expect(text).toMatch(/2·max\(0, −y·z\)/);
  });
});

describe("nabla solve FILE --symbolic", () => {
  it.each(["seed001-regression-3relu", "seed001-classification-tanh-bce", "seed003-sigmoid-network", "seed002-logistic-scaling", "seed004-q3-mlp-full-batch"])("%s: every parameter's gradient in symbols, checked against autograd", async (name) => {
    const { symbolicSolveCommand } = await import("../../src/cli/derive.js");
    const text = symbolicSolveCommand(`examples/${name}.yaml`, "text");
    expect(text).toMatch(/checked against autograd at 20 random points/);
    expect(text.split("\n").filter((l) => l.trim().startsWith("∂")).length).toBeGreaterThan(0);
  });
});

describe("simplification a person would write", () => {
  it("σ′ cancels BCE's denominator: logistic regression's gradient is x·(σ(z) − y)", () => {
    const [dw, db] = holds("yt = sigmoid(w'@x + b)\nL = sum(bce(yt, y))", ["w", "b"], "x:n, w:n, y:1", "denominator");
    expect(dw).toBe("x · (yt − y)");
    expect(db).toBe("Σ(yt − y)");
  });
});
