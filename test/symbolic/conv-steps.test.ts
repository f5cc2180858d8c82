// Convolution and pooling steps of worked solutions print as calls of the expression language
// (conv2d_weight_grad, conv2d_input_grad, maxpool2d_scatter) that read back: every step, re-read from
// its names (bound to the quantities' values) and from its exact numbers, equals its value bit for
// bit, and its value equals PyTorch's gradient (fixtures/conv-steps.json from
// scripts/gen_conv_step_fixtures.py, fixtures/examples.json) — with stride, padding, channels and ties;
// random programs (any stride, padding and kernel, integers so pooling ties) are held to autograd.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { noGrad } from "../../src/autograd/mode.js";
import { Tensor } from "../../src/autograd/tensor.js";
import { evaluate, run } from "../../src/expr/evaluate.js";
import { parseExpression, parseProgram } from "../../src/expr/parser.js";
import { compile } from "../../src/problems/compile.js";
import { parseProblem } from "../../src/problems/load.js";
import { solve } from "../../src/problems/solve.js";
import { printSym } from "../../src/symbolic/print.js";
import type { Sym } from "../../src/symbolic/sym.js";

interface Program { formulas: string; parameters: Record<string, unknown>; inputs: Record<string, unknown>; loss: string; torch: Record<string, number[]> }
const fixtures = JSON.parse(readFileSync(new URL("../../fixtures/conv-steps.json", import.meta.url), "utf8")) as { programs: Record<string, Program> };
const examples = JSON.parse(readFileSync(new URL("../../fixtures/examples.json", import.meta.url), "utf8")) as { examples: Record<string, Record<string, unknown>> };

const gradName = (n: string): string => `d_${n}`;
const print = (g: Sym, numbers: boolean): string => printSym(g, { target: "expr", rounding: "exact", numbers, name: (n, grad) => (grad ? gradName(n) : n) });
const reread = (text: string, env: Map<string, Tensor>): number[] => Array.from(noGrad(() => evaluate(parseExpression(text, "step"), env, text)).data);

/** Checks every backward step of a problem against `torch` (dL/dq by name); returns the steps' printed text forms. */
function checkSteps(yaml: string, torch: Record<string, unknown>): string[] {
  const sol = solve(compile(parseProblem(yaml, "p.yaml")));
  const env = new Map<string, Tensor>();
  for (const [k, t] of sol.quantities) {
    const g = /^d\w+\/d(\w+)$/.exec(k);
    if (g !== null) env.set(gradName(g[1] as string), t);
    else if (/^\w+$/.test(k)) env.set(k, t);
  }
  const steps = sol.iterations[0]?.samples[0]?.steps ?? [];
  expect(steps.length).toBeGreaterThan(2);
  const texts: string[] = [];
  for (const st of steps) {
    const want = torch[`dL/d${st.quantity}`];
    expect(want, `PyTorch has dL/d${st.quantity}`).toBeDefined();
    const wants = [want].flat(3) as number[];
    Array.from(st.value.data).forEach((x, i) => expect(Math.abs(x - (wants[i] as number)), `dL/d${st.quantity}[${i}]`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(wants[i] as number))));
    if (st.formula === null) continue;
    const value = Array.from(st.value.data);
    for (const text of [print(st.formula, false), print(st.formula, true)]) {
      const again = reread(text, env);
      // a printed scalar stands for the broadcast gradient of a reduction (Σ, mean): every entry equals it
      expect(again.length === 1 ? value.map(() => again[0]) : again, `dL/d${st.quantity}: ${text}`).toEqual(value);
    }
    texts.push(printSym(st.formula, { target: "text", rounding: { mode: "significant", digits: 5 }, numbers: false, name: (n, grad) => (grad ? `∂L/∂${n}` : n) }));
  }
  return texts;
}

const yamlOf = (p: Program): string => {
  const block = (o: Record<string, unknown>): string => Object.entries(o).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join("\n");
  return `title: t\nmodel:\n  formulas: |\n${p.formulas.split("\n").map((l) => `    ${l}`).join("\n")}\n` +
    (Object.keys(p.inputs).length > 0 ? `inputs:\n${block(p.inputs)}\n` : "") +
    `parameters:\n${block(p.parameters)}\nloss: { kind: formula, formula: "${p.loss}" }\ntraining: { iterations: 0 }\n`;
};

describe("convolution and pooling steps read back and equal PyTorch", () => {
  it("the conv homework (examples/conv-4x4-kernel-2x2.yaml): ∂L/∂a = maxpool2d_scatter(a, ∂L/∂m, 2, 1), ∂L/∂k = conv2d_weight_grad(x, ∂L/∂z, 2, 2)", () => {
    const torch = examples.examples["conv-4x4-kernel-2x2.yaml"] ?? {};
    // L = (ŷ − y)² with y = 4 (the file): ∂L/∂ŷ = 2(ŷ − 4), from PyTorch's ŷ
    const texts = checkSteps(readFileSync(new URL("../../examples/conv-4x4-kernel-2x2.yaml", import.meta.url), "utf8"), { ...torch, "dL/dyhat": 2 * ((torch.yhat as number) - 4) });
    expect(texts).toContain("maxpool2d_scatter(a, ∂L/∂m, 2, 1)");
    expect(texts).toContain("conv2d_weight_grad(x, ∂L/∂z, 2, 2)");
  });
  it("two channels, stride 2 and padding 1, a second convolution and a padded pool: ∂L/∂x and ∂L/∂a1 are conv2d_input_grad calls", () => {
    const texts = checkSteps(yamlOf(fixtures.programs["strided-two-layers"] as Program), (fixtures.programs["strided-two-layers"] as Program).torch);
    expect(texts).toContain("maxpool2d_scatter(z2, ∂L/∂m, 2, 2, 1)");
    expect(texts).toContain("conv2d_input_grad(∂L/∂z2, K2, 3, 3, 1, 1)");
    expect(texts).toContain("conv2d_weight_grad(a1, ∂L/∂z2, 2, 2, 1, 1)");
    expect(texts).toContain("conv2d_input_grad(∂L/∂z1, K1, 6, 6, 2, 1)");
    expect(texts).toContain("conv2d_weight_grad(X, ∂L/∂z1, 3, 3, 2, 1)");
  });
  it("a stride that does not divide the image (7×7, 3×3, stride 2): the sizes are printed, so the uncovered row and column get 0", () => {
    const p = fixtures.programs["stride-not-dividing"] as Program;
    const texts = checkSteps(yamlOf(p), p.torch);
    expect(texts).toContain("conv2d_input_grad(∂L/∂z, k, 7, 7, 2)");
    expect(texts).toContain("conv2d_weight_grad(x, ∂L/∂z, 3, 3, 2)");
  });
  it("max pooling with ties, overlapping windows and padding: each window's first maximum gets its gradient (PyTorch's rule)", () => {
    const p = fixtures.programs["pooling-ties"] as Program;
    const texts = checkSteps(yamlOf(p), p.torch);
    expect(texts.some((t) => t.includes("maxpool2d_scatter(h, ∂L/∂m1, 2, 1)") && t.includes("maxpool2d_scatter(h, ∂L/∂m2, 2, 2, 1)"))).toBe(true);
  });
});

describe("random convolution and pooling programs: every step reads back bit for bit and equals autograd", () => {
  it("any stride, padding and kernel, small integers (so pooling windows tie)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 30 }), (seed) => {
      let state = seed;
      const r = (): number => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648; };
      const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
      const mat = (h: number, w: number, lo: number, hi: number): number[][] => Array.from({ length: h }, () => Array.from({ length: w }, () => int(lo, hi)));
      const kh = int(1, 3), kw = int(1, 3), s = int(1, 3), p = int(0, 2), kp = int(1, 3), sp = int(1, 3), pp = int(0, Math.floor(kp / 2));
      const H = int(kh, 7), W = int(kw, 7);
      const oh = Math.floor((H + 2 * p - kh) / s) + 1, ow = Math.floor((W + 2 * p - kw) / s) + 1;
      const mh = Math.floor((oh + 2 * pp - kp) / sp) + 1, mw = Math.floor((ow + 2 * pp - kp) / sp) + 1;
      if (mh < 1 || mw < 1) return;
      const x = mat(H, W, -2, 3), k = mat(kh, kw, -2, 2), c = mat(mh, mw, -3, 3);
      const lines = [`z = conv2d(x, k, ${s}, ${p})`, "a = relu(z)", `m = maxpool2d(a, ${kp}, ${sp}, ${pp})`, "yhat = sum(m * c)"];
      const yaml = `title: random\nmodel:\n  formulas: |\n${lines.map((l) => `    ${l}`).join("\n")}\ninputs:\n  c: ${JSON.stringify(c)}\n` +
        `parameters:\n  x: ${JSON.stringify(x)}\n  k: ${JSON.stringify(k)}\nloss: { kind: formula, formula: "L = yhat" }\ntraining: { iterations: 0 }\n`;
      // autograd on the same program, independently of the solver
      const leaves = new Map<string, Tensor>([["x", new Tensor(Float64Array.from(x.flat()), [H, W], true)], ["k", new Tensor(Float64Array.from(k.flat()), [kh, kw], true)], ["c", new Tensor(Float64Array.from(c.flat()), [mh, mw])]]);
      const program = parseProgram([...lines, "L = yhat"].join("\n"));
      const tape = run(program, new Map(leaves), "");
      for (const st of program) tape.get(st.name)?.retainGrad();
      (tape.get("L") as Tensor).backward();
      const grads: Record<string, number[]> = {};
      for (const [name, t] of [...tape, ...leaves]) if (t.grad !== null) grads[`dL/d${name}`] = Array.from(t.grad.data);
      checkSteps(yaml, grads);
    }), { numRuns: 60, seed: 20261129 });
  });
});
