// Gradients in symbols (`nabla derive`): the program is run on Syms — the same ops, their own
// backward rules — and the gradient of the last statement with respect to each variable is printed
// as a formula over the inputs and the named intermediates. Vectors are columns (n×1), so the
// layout of every transpose is explicit; numerator layout prints the transposed gradient with its
// transposes pushed to the leaves. Every result is checked against autograd at random points and
// random sizes before it is returned.
import { Tensor } from "../autograd/tensor.js";
import { reverseWalk } from "../autograd/walk.js";
import { freeVariables, type Statement } from "../expr/ast.js";
import { evaluate, evaluateWith, run } from "../expr/evaluate.js";
import { parseExpression, parseProgram } from "../expr/parser.js";
import type { Functional } from "../ops/types.js";
import { ValueError } from "../tensor/errors.js";
import { Random } from "../tensor/random.js";
import { noGrad } from "../autograd/mode.js";
import { printSym } from "./print.js";
import { alias, constant, leaf, type Sym, symbolic } from "./sym.js";
import { tidy } from "./tidy.js";
import { transposed } from "./transpose.js";

const TEXT = { target: "text", rounding: { digits: 6, mode: "significant" }, numbers: false, matrix: true, name: (n: string) => n } as const;

/** A dimension: a number, or a symbol (`n`) that takes random sizes when results are checked. */
export type Dim = number | string;

/** What to differentiate, and how to print it. */
export interface DeriveOptions {
  readonly wrt: readonly string[];
  readonly layout?: "numerator" | "denominator";
  /** Shapes of the inputs: [] a scalar, [n] a column vector (n×1), [m, n] a matrix. Default: scalars. */
  readonly shapes?: ReadonlyMap<string, readonly Dim[]>;
  /** Random points (and sizes) each result is checked at. */
  readonly checks?: number;
  readonly seed?: number;
  /** Vectors as columns (n×1, the default) or as 1-d arrays (a problem file's `w @ x` is then a dot product). */
  readonly columns?: boolean;
}

/** One result: ∂root/∂wrt as a formula, checked. */
export interface Derivative {
  readonly wrt: string;
  readonly formula: Sym;
  /** The formula in nabla's expression language (parse it back with parseExpression), at the display sizes. */
  readonly expr: string;
  /** The same with every symbolic size written {name} (substituted when it is checked at other sizes). */
  readonly template: string;
  /** The formula as text, in matrix notation (the same at every size). */
  readonly text: string;
  readonly shape: readonly Dim[];
}

/** A derivation: the forward statements in symbols, the results, and how they were checked. */
export interface Derivation {
  readonly root: string;
  readonly program: readonly Statement[];
  readonly layout: "numerator" | "denominator";
  readonly results: readonly Derivative[];
  readonly checked: { readonly points: number; readonly sizes: readonly string[] };
}

/** "x:n, W:m×n, b:m, c" → shapes (× or x between dimensions). */
export function parseShapes(spec: string): Map<string, Dim[]> {
  const out = new Map<string, Dim[]>();
  for (const part of spec.split(",").map((p) => p.trim()).filter((p) => p !== "")) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$/.exec(part);
    if (m === null) throw new ValueError(`expected name:dims like "x:n" or "W:m×n", got ${JSON.stringify(part)}.`, { op: "--shapes" });
    const dims = (m[2] as string).split(/\s*[×x*]\s*/).filter((d) => d !== "").map((d): Dim => (/^\d+$/.test(d) ? Number(d) : d));
    if (dims.length > 2 || dims.some((d) => (typeof d === "number" ? d < 1 : !/^[A-Za-z]\w*$/.test(d)))) throw new ValueError(`dimensions must be positive integers or names, at most two, got ${JSON.stringify(m[2])}.`, { op: "--shapes" });
    out.set(m[1] as string, dims);
  }
  return out;
}

// Concrete shapes: vectors are columns unless `columns` is false.
function concrete(dims: readonly Dim[], sizes: ReadonlyMap<string, number>, columns = true): number[] {
  const d = dims.map((x) => (typeof x === "number" ? x : sizes.get(x) ?? 1));
  return d.length === 1 && columns ? [d[0] as number, 1] : d;
}

function randomTensor(shape: readonly number[], rng: Random): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Float64Array.from({ length: n }, () => rng.uniform() * 1.6 - 0.8), shape);
}

/** The program on symbols: each statement's result named after it. */
function symbolicRun(program: readonly Statement[], inputs: ReadonlyMap<string, Tensor>, F: Functional<Sym>): Map<string, Sym> {
  const env = new Map<string, Sym>([...inputs].map(([k, t]) => [k, leaf(k, t)]));
  program.forEach((s, i) => {
    const v = evaluateWith(s.expr, env, F, s.text);
    env.set(s.name, i === program.length - 1 ? v : alias(s.name, v));
  });
  return env;
}

/** Derives the last statement of `source` with respect to `wrt`. */
export function derive(source: string, o: DeriveOptions): Derivation {
  const program = parseProgram(source);
  const root = program.at(-1);
  if (root === undefined) throw new ValueError('nothing to differentiate: write statements like "L = (y - w*x)^2".', { op: "derive" });
  const defined = new Set(program.map((s) => s.name));
  const inputs = [...new Set(program.flatMap((s) => freeVariables(s.expr)))].filter((v) => !defined.has(v));
  for (const w of o.wrt) if (!inputs.includes(w)) throw new ValueError(`'${w}' is not an input of the program (inputs: ${inputs.join(", ")}).`, { op: "derive" });
  const shapes = o.shapes ?? new Map<string, readonly Dim[]>();
  for (const k of shapes.keys()) if (!inputs.includes(k)) throw new ValueError(`--shapes names '${k}', which is not an input (inputs: ${inputs.join(", ")}).`, { op: "derive" });
  const symbols = [...new Set([...shapes.values()].flat().filter((d): d is string => typeof d === "string"))];
  const layout = o.layout ?? "denominator";
  const rng = new Random(o.seed ?? 20261128);
  // Display sizes: distinct primes, so no symbolic dimension coincides with another or with a literal one.
  const display = new Map(symbols.map((s, i) => [s, [7, 11, 13, 17, 19, 23, 29, 31][i] ?? 37 + i]));
  const names = new Map([...display].map(([s, n]) => [n, s]));
  const values = new Map(inputs.map((k) => [k, randomTensor(concrete(shapes.get(k) ?? [], display, o.columns), rng)]));
  const results = derivatives(program, values, o.wrt, layout, (n) => (names.has(n) ? `{${names.get(n) as string}}` : String(n)), display);
  const checks = o.checks ?? 20;
  const sizes: string[] = [];
  for (let k = 0; k < checks; k++) {
    const dims = new Map(symbols.map((s) => [s, 1 + Math.floor(rng.uniform() * 5)]));
    sizes.push(symbols.map((s) => `${s}=${dims.get(s)}`).join(" "));
    const at = new Map(inputs.map((i) => [i, randomTensor(concrete(shapes.get(i) ?? [], dims, o.columns), rng)]));
    check(program, at, results, layout, dims);
  }
  return { root: root.name, program, layout, results, checked: { points: checks, sizes } };
}

const fill = (template: string, sizes: ReadonlyMap<string, number>): string => template.replace(/\{(\w+)\}/g, (_, s: string) => String(sizes.get(s) ?? 1));

function derivatives(program: readonly Statement[], values: ReadonlyMap<string, Tensor>, wrt: readonly string[], layout: "numerator" | "denominator", dim: (n: number) => string, display: ReadonlyMap<string, number>): Derivative[] {
  const F = symbolic();
  const env = symbolicRun(program, values, F);
  const out = env.get((program.at(-1) as Statement).name) as Sym;
  if (out.value.size !== 1) throw new ValueError(`the last statement must be a scalar to differentiate, got shape [${out.shape.join(",")}].`, { op: "derive", hint: "Reduce it with sum() or mean()." });
  const seed = constant(new Tensor(new Float64Array(out.value.size).fill(1), out.shape));
  const grads = reverseWalk<Sym>(out, seed, (s) => s.walk, F, { follows: (x) => x.varies });
  return wrt.map((w) => {
    const l = env.get(w) as Sym;
    const g = grads.get(l) ?? constant(new Tensor(new Float64Array(l.value.size), l.shape));
    // transposes pushed to the leaves: gᵀ in numerator layout, (gᵀ)ᵀ = g in denominator layout
    const t = transposed(tidy(g, F), F);
    const formula = layout === "numerator" ? t : transposed(t, F);
    const template = printSym(formula, { target: "expr", rounding: "exact", numbers: false, matrix: true, dim, name: (n) => n });
    return { wrt: w, formula, expr: fill(template, display), template, text: printSym(formula, TEXT), shape: formula.shape };
  });
}

// Every printed formula, evaluated at these inputs, equals autograd's gradient (transposed in numerator layout).
function check(program: readonly Statement[], at: ReadonlyMap<string, Tensor>, results: readonly Derivative[], layout: "numerator" | "denominator", sizes: ReadonlyMap<string, number>): void {
  const leaves = new Map([...at].map(([k, t]) => [k, new Tensor(t.data, t.shape, true)]));
  const env = run(program, new Map(leaves), "");
  const out = env.get((program.at(-1) as Statement).name) as Tensor;
  out.backward();
  const scope = noGrad(() => new Map([...env].map(([k, t]) => [k, t.detach()])));
  for (const r of results) {
    const g = leaves.get(r.wrt)?.grad ?? null;
    const want = g === null ? null : layout === "numerator" ? noGrad(() => g.transpose()) : g;
    const expr = fill(r.template, sizes);
    const got = noGrad(() => evaluate(parseExpression(expr, "derivative"), scope, expr));
    const ok = want !== null && (got.size === want.size || got.size === 1) && Array.from(want.data).every((w, i) => Math.abs((got.size === 1 ? (got.data[0] as number) : (got.data[i] as number)) - w) <= 1e-9 * Math.max(1, Math.abs(w)));
    if (!ok) throw new ValueError(`internal check failed: the derivative with respect to ${r.wrt}, ${expr}, disagrees with autograd at sizes ${[...at].map(([k, t]) => `${k}:[${t.shape.join(",")}]`).join(" ")}.`, { op: "derive" });
  }
}
