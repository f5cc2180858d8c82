// `nabla check`: compares a student's answers with the solution; names the first wrong value in
// computation order and, where it can, the likely cause (a convention, a sign, a missing factor).
import { tensor } from "../autograd/creation.js";
import { noGrad } from "../autograd/mode.js";
import { Tensor } from "../autograd/tensor.js";
import { evaluate } from "../expr/evaluate.js";
import { parseExpression } from "../expr/parser.js";
import { NablaError } from "../tensor/errors.js";
import { Random } from "../tensor/random.js";
import type { Solution } from "../solution/solution.js";
import type { Answer } from "./answers.js";
import type { Compiled } from "./compile.js";
import { causeContext, type CauseContext, close, genericCause, matches, same, wrongPlaceCause } from "./check-causes.js";
import { expectedNumerator, judgeMatrix, matrixFormula } from "./check-matrix.js";
import { mistakes } from "./check-mistakes.js";
import { suggest } from "./load.js";
import { solve } from "./solve.js";

export type Status = "correct" | "rounding-only" | "wrong" | "unknown";

export interface Verdict {
  readonly quantity: string;
  readonly status: Status;
  readonly given: string;
  readonly expected: number | number[] | null;
  readonly got: number | number[] | null;
  readonly cause?: string;
  readonly line: number;
}

export interface CheckReport {
  readonly verdicts: readonly Verdict[];
  readonly firstWrong: string | null;
  readonly counts: Readonly<Record<Status, number>>;
}

/** Canonical quantity key: ∂ → d, ŷ → yhat, spaces dropped, "w1'" → "w1@2". */
export function canonicalKey(k: string): string {
  return k.replace(/\s+/g, "").replace(/∂/g, "d").replace(/ŷ|ŷ/g, "yhat").replace(/ỹ/g, "ytilde").replace(/^(.+)'$/, "$1@2");
}

const arr = (t: Tensor): number | number[] => (t.size === 1 ? (t.data[0] as number) : Array.from(t.data));

function classify(given: readonly { value: number; ulp: number }[], expected: Tensor): Status {
  if (given.length !== expected.size) return "wrong";
  let worst: Status = "correct";
  given.forEach((g, i) => {
    const c = expected.data[i] as number;
    const d = Math.abs(g.value - c);
    const rel = d / Math.max(Math.abs(c), 1e-300);
    if (d <= 1e-9 * Math.max(1, Math.abs(c)) || (d <= 0.5 * g.ulp * (1 + 1e-9) && rel <= 0.05)) return;
    const roundingOnly = (d <= 10 * g.ulp && rel <= 0.05) || rel <= 5e-3;
    if (roundingOnly && Math.sign(g.value) === Math.sign(c)) { worst = worst === "wrong" ? worst : "rounding-only"; return; }
    worst = "wrong";
  });
  return worst;
}

/** Environment for evaluating a formula answer: quantities of iteration 1, sample 1, plus K and N. */
function formulaEnv(sol: Solution): Map<string, Tensor> {
  const env = new Map<string, Tensor>();
  for (const [k, v] of sol.quantities) if (!k.includes("/") && !k.includes("@") && !k.includes("#")) env.set(k, v);
  const out = sol.quantities.get(sol.output);
  if (out !== undefined && !env.has("K")) env.set("K", tensor(out.size));
  if (!env.has("N")) env.set("N", tensor(sol.iterations[0]?.sampleCount ?? 1));
  return env;
}

/** f's value, computed on the first call. */
function once<T>(f: () => T): () => T {
  let cell: { readonly value: T } | null = null;
  return () => (cell ??= { value: f() }).value;
}

/** Samples per iteration whose quantities (`yhat#7`) can be checked. */
const CHECKED_SAMPLES = 1000;

/** Checks answers against a compiled problem. `recompile` rebuilds a variant of the problem. */
export function checkAnswers(c: Compiled, answers: readonly Answer[], recompile: (p: Compiled["problem"]) => Compiled): CheckReport {
  const sol = solve(c, { samples: CHECKED_SAMPLES });
  const keys = [...sol.quantities.keys()];
  const order = new Map(keys.map((k, i) => [k, i]));
  const ctx = causeContext(c, sol);
  // Each mistake is solved when an answer first needs explaining (all right: none is).
  const variants = mistakes(c).map((m) => ({
    cause: m.cause,
    sol: once(() => {
      try {
        const base = m.problem === null ? c : recompile(m.problem);
        return solve(base, { ...(m.overrides === undefined ? {} : { overrides: m.overrides }), ...(m.ascend === true ? { ascend: true } : {}), samples: CHECKED_SAMPLES });
      } catch {
        return null;
      }
    }),
  }));
  // Random points for formula answers: the problem re-solved with perturbed inputs and parameters.
  const rng = new Random(12345);
  const perturbedPoints = once(() => [0, 1, 2].map(() => {
    const at = new Map<string, Tensor>();
    for (const [k, v] of [...c.constants, ...c.parameters]) {
      if (k === c.target) continue;
      at.set(k, new Tensor(v.data.map((x) => x + 0.3 * rng.normal()), v.shape));
    }
    try {
      return { at, sol: solve(c, { at, samples: CHECKED_SAMPLES }) };
    } catch {
      return null;
    }
  }).filter((p): p is { at: Map<string, Tensor>; sol: Solution } => p !== null));

  const verdicts: Verdict[] = answers.map((a) => {
    const key = canonicalKey(a.key);
    const want = sol.quantities.get(key);
    const given = a.kind === "formula" ? a.formula : a.values.map((v) => v.value).join(", ");
    if (want === undefined) {
      const hint = suggest(key, keys);
      return { quantity: a.key, status: "unknown", given, expected: null, got: null, cause: `no quantity named '${a.key}'${hint !== undefined ? ` (did you mean '${hint}'?)` : ""}`, line: a.line };
    }
    if (a.kind === "number") {
      const got = tensor(new Float64Array(a.values.map((v) => v.value)));
      const status = classify(a.values, want);
      const cause = status === "wrong" ? explain(got, key, want, variants, sol, ctx, a.values.map((v) => v.ulp)) : undefined;
      return { quantity: key, status, given, expected: arr(want), got: arr(got), ...(cause === undefined ? {} : { cause }), line: a.line };
    }
    // a formula in matrix calculus (derivative symbols, numerator layout)
    const mf = matrixFormula(a.formula, sol);
    if (mf !== null) {
      const v = judgeMatrix(mf, key, sol, perturbedPoints().map((p) => p.sol));
      return { quantity: key, status: v.ok ? "correct" : "wrong", given, expected: arr(expectedNumerator(want)), got: v.got === null ? null : arr(v.got), ...(v.cause === undefined ? {} : { cause: v.cause }), line: a.line };
    }
    // formula: evaluate at the problem's values and at the perturbed points
    let expr;
    try {
      expr = parseExpression(a.formula, `answer ${a.key}`);
    } catch (e) {
      return { quantity: key, status: "wrong", given, expected: arr(want), got: null, cause: e instanceof NablaError ? `the formula does not parse: ${e.message}` : String(e), line: a.line };
    }
    const at = (s: Solution): Tensor | string => {
      try {
        return noGrad(() => evaluate(expr, formulaEnv(s), a.formula));
      } catch (e) {
        return e instanceof NablaError ? e.message.split("\n")[0] ?? "error" : String(e);
      }
    };
    const got = at(sol);
    if (typeof got === "string") return { quantity: key, status: "wrong", given, expected: arr(want), got: null, cause: `the formula cannot be evaluated here: ${got}`, line: a.line };
    const gotB = got.size === want.size ? got.reshape(want.shape) : got.size === 1 ? got.reshape([]).expand(want.shape) : got;
    const okHere = close(gotB, want, 1e-9);
    const okElsewhere = perturbedPoints().every((p) => {
      const w = p.sol.quantities.get(key);
      const g = at(p.sol);
      return w === undefined || (typeof g !== "string" && close(g.size === w.size ? g.reshape(w.shape) : g, w, 1e-9));
    });
    if (okHere && okElsewhere) return { quantity: key, status: "correct", given, expected: arr(want), got: arr(gotB), line: a.line };
    const cause = explain(gotB, key, want, variants, sol, ctx, []) ?? (okHere ? "right at the problem's values but not at other points: the formula only coincides here" : undefined);
    return { quantity: key, status: "wrong", given, expected: arr(want), got: arr(gotB), ...(cause === undefined ? {} : { cause }), line: a.line };
  });
  const wrong = verdicts.filter((v) => v.status === "wrong").sort((x, y) => (order.get(x.quantity) ?? 1e9) - (order.get(y.quantity) ?? 1e9));
  const counts: Record<Status, number> = { correct: 0, "rounding-only": 0, wrong: 0, unknown: 0 };
  for (const v of verdicts) counts[v.status]++;
  return { verdicts, firstWrong: wrong[0]?.quantity ?? null, counts };
}

/** The first known mistake that reproduces the answer; `ulps` are the answer's last-digit place values. */
function explain(got: Tensor, key: string, want: Tensor, variants: readonly { cause: string; sol: () => Solution | null }[], sol: Solution, ctx: CauseContext, ulps: readonly number[]): string | undefined {
  const shaped = got.size === want.size ? got.reshape(want.shape) : got;
  for (const v of variants) {
    const alt = v.sol()?.quantities.get(key);
    if (alt !== undefined && !same(alt, want) && matches(shaped, alt, ulps)) return v.cause;
  }
  return wrongPlaceCause(shaped, key, want, sol, ulps) ?? genericCause(shaped, key, want, ctx, ulps);
}
