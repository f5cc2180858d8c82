// Worked-solution steps are the ops' own rules interpreted on symbols: their printed arithmetic,
// re-read from the printed numbers at full precision, equals the printed result and autograd.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { noGrad } from "../../src/autograd/mode.js";
import { Tensor } from "../../src/autograd/tensor.js";
import { evaluate, run } from "../../src/expr/evaluate.js";
import { parseExpression, parseProgram } from "../../src/expr/parser.js";
import { checkAnswers } from "../../src/problems/check.js";
import { compile } from "../../src/problems/compile.js";
import { parseProblem } from "../../src/problems/load.js";
import { solve } from "../../src/problems/solve.js";
import { parseAnswers } from "../../src/problems/answers.js";
import { printSym } from "../../src/symbolic/print.js";
import type { Sym } from "../../src/symbolic/sym.js";

const solveText = (text: string) => solve(compile(parseProblem(text, "p.yaml")));
const problem = (formulas: string, rest: string): string => `title: t\nmodel:\n  formulas: |\n${formulas.split("\n").map((l) => `    ${l}`).join("\n")}\n${rest}`;

// The step printed in nabla's expression language with every operand's exact value.
const exactNumbers = (g: Sym): string => printSym(g, { target: "expr", rounding: "exact", numbers: true, name: (n) => n });

describe("copies, transposes and reshapes are quantities of their own", () => {
  const copy = problem("a = w * x\nb = a\nyhat = 3 * b + a", "inputs: { x: 2, y: 0 }\nparameters: { w: 0.5 }\nloss: { kind: mse }\ntraining: { iterations: 0 }\n");
  it("a = w·x; b = a; ŷ = 3b + a: ∂L/∂b = 24, ∂L/∂a = 32 (L = ŷ², ŷ = 4a = 4: ∂L/∂ŷ = 8, ∂b = 3·8, ∂a = 8 + 24)", () => {
    const q = solveText(copy).quantities;
    expect(q.get("dL/dyhat")?.item()).toBe(8);
    expect(q.get("dL/db")?.item()).toBe(24);
    expect(q.get("dL/da")?.item()).toBe(32);
    expect(q.get("dL/dw")?.item()).toBe(64);
  });
  it("nabla check accepts dL/db: 24 and dL/da: 32 for the copy", () => {
    const c = compile(parseProblem(copy, "p.yaml"));
    const r = checkAnswers(c, parseAnswers("dL/db: 24\ndL/da: 32\n", "a.yaml"), (p) => compile(p));
    expect(r.counts.correct).toBe(2);
    expect(r.firstWrong).toBeNull();
  });
  it("g = h' on a vector: ∂L/∂g and ∂L/∂h are both 2h (L = Σ g², g = h)", () => {
    const q = solveText(problem("h = w * x\ng = h'", "inputs: { x: [1, 2, 3] }\nparameters: { w: 0.5 }\nloss: { kind: formula, formula: \"L = sum(g * g)\" }\ntraining: { iterations: 0 }\n")).quantities;
    expect(Array.from(q.get("dL/dg")?.data ?? [])).toEqual([1, 2, 3]);
    expect(Array.from(q.get("dL/dh")?.data ?? [])).toEqual([1, 2, 3]);
  });
});

describe("saturation and overflow", () => {
  it("BCE of σ(40w) against y = 0 is PyTorch's clamped 100 (−max(ln(1 − 1), −100)), with ∂L/∂w = 0 (σ′(40) rounds to 0)", () => {
    const sol = solveText(problem("yhat = sigmoid(40 * w)", "inputs: { y: 0 }\nparameters: { w: 1 }\nloss: { kind: bce }\ntraining: { iterations: 0 }\n"));
    expect(sol.lossHistory[0]).toBe(100);
    expect(sol.quantities.get("dL/dw")?.item()).toBe(0);
  });
  it("BCE with logits at z = 40, y = 0 is softplus(40) = 40 + ln(1 + e⁻⁴⁰) = 40 in float64, ∂L/∂w = 40·σ(40) = 40", () => {
    const sol = solveText(problem("z = 40 * w", "inputs: { y: 0 }\nparameters: { w: 1 }\nloss: { kind: bce-with-logits }\ntraining: { iterations: 0 }\n"));
    expect(sol.lossHistory[0]).toBe(40);
    expect(sol.quantities.get("dL/dw")?.item()).toBe(40);
  });
  it("an overflow (40 · 1e308) is a clear error naming the first quantity that is not finite", () => {
    expect(() => solveText(problem("z = 40 * w", "inputs: { y: 0 }\nparameters: { w: 1e308 }\nloss: { kind: bce-with-logits }\ntraining: { iterations: 0 }\n")))
      .toThrow(/the loss 'L' is NaN: z = Infinity, the first quantity that is not finite/);
  });
});

// ---- random programs --------------------------------------------------------------------------
type Env = Map<string, Tensor>;
const rand = (shape: number[], r: () => number): Tensor => new Tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.round((r() * 3 - 1.5) * 64) / 64), shape);

/** A random well-shaped statement over the names in env (null when none fits). */
function statement(env: Env, pick: (n: number) => number): string | null {
  const names = [...env.keys()];
  const a = names[pick(names.length)] as string;
  const sa = (env.get(a) as Tensor).shape;
  const same = names.filter((n) => { const s = (env.get(n) as Tensor).shape; return s.length === sa.length && s.every((d, i) => d === sa[i]); });
  const b = same[pick(same.length)] as string;
  const scalars = names.filter((n) => (env.get(n) as Tensor).size === 1 && (env.get(n) as Tensor).ndim === 0);
  const forms = [
    () => a, () => `${a}'`, () => `transpose(${a})`,
    () => (sa.length === 1 ? `reshape(${a}, ${sa[0]}, 1)` : sa.length === 0 ? `reshape(${a}, 1)` : `reshape(${a}, -1)`),
    () => `sigmoid(${a})`, () => `tanh(${a})`, () => `relu(${a})`, () => `abs(${a})`, () => `softplus(${a})`, () => `exp(${a} / 4)`,
    () => `${a} + ${b}`, () => `${a} - ${b}`, () => `${a} * ${b}`, () => `${a} / (${b} * ${b} + 1)`, () => `${a}^2`,
    () => `3 * ${a} - ${a}`, () => `sum(${a})`, () => `mean(${a})`,
    () => (scalars.length > 0 ? `${a} * ${scalars[pick(scalars.length)] as string}` : a),
    () => { const m = names.find((n) => (env.get(n) as Tensor).ndim === 2 && (env.get(n) as Tensor).shape[1] === sa[0] && sa.length === 1); return m === undefined ? null : `${m} @ ${a}`; },
    () => { const m = names.find((n) => (env.get(n) as Tensor).ndim === 2 && (env.get(n) as Tensor).shape[0] === sa[0] && sa.length === 1); return m === undefined ? null : `${a} @ ${m}`; },
  ];
  return (forms[pick(forms.length)] as () => string | null)();
}

describe("random programs: every printed step re-evaluates exactly and equals autograd", () => {
  it("with copies, transposes and reshapes of scalars, vectors and matrices", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 2, max: 7 }), (seed, count) => {
      let state = seed;
      const r = (): number => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648; };
      const pick = (n: number): number => Math.floor(r() * n);
      const params: Env = new Map([["s", rand([], r)], ["v", rand([3], r)], ["W", rand([2, 3], r)], ["u", rand([2], r)]]);
      const env: Env = new Map(params);
      const lines: string[] = [];
      for (let i = 1; lines.length < count && i < 40; i++) {
        const rhs = statement(env, pick);
        if (rhs === null) continue;
        const line = `q${i} = ${rhs}`;
        try {
          run(parseProgram(line), env, line);
          lines.push(line);
        } catch {
          // a statement that does not fit the shapes is skipped
        }
      }
      const last = lines.at(-1)?.split(" = ")[0] ?? "q0";
      const yaml = `title: random\nmodel:\n  formulas: |\n${(lines.length > 0 ? lines : ["q0 = s"]).map((l) => `    ${l}`).join("\n")}\n` +
        `parameters:\n${[...params].map(([k, t]) => `  ${k}: ${JSON.stringify(t.toArray())}`).join("\n")}\nloss: { kind: formula, formula: "L = sum(${last} * ${last}) + s" }\ntraining: { iterations: 0 }\n`;
      const sol = solve(compile(parseProblem(yaml, "random.yaml")));
      // autograd, independently of the solver
      const program = parseProgram([...(lines.length > 0 ? lines : ["q0 = s"]), `L = sum(${last} * ${last}) + s`].join("\n"));
      const leaves: Env = new Map([...params].map(([k, t]) => [k, new Tensor(t.data.slice(), t.shape, true)]));
      const tape = run(program, new Map(leaves), "");
      for (const st of program) tape.get(st.name)?.retainGrad();
      (tape.get("L") as Tensor).backward();
      const steps = sol.iterations[0]?.samples[0]?.steps ?? [];
      expect(steps.length).toBeGreaterThan(0);
      for (const st of steps) {
        const want = tape.get(st.quantity)?.grad;
        if (want !== null && want !== undefined) Array.from(st.value.data).forEach((x, i) => expect(Math.abs(x - (want.data[i] as number))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x))));
        if (st.formula === null) continue;
        const text = exactNumbers(st.formula);
        const again = noGrad(() => evaluate(parseExpression(text, "step"), new Map(), text));
        // a printed scalar stands for the broadcast gradient of a reduction (Σ, mean): every entry equals it
        const got = again.size === 1 ? Array.from(st.value.data, () => again.data[0]) : Array.from(again.data);
        expect(got, `${st.quantity}: ${text}`).toEqual(Array.from(st.value.data));
      }
    }), { numRuns: 150, seed: 20261128 });
  });
});
