// Formula answers in matrix calculus: "dL/dW1: x * dL/dytilde * dytilde/ds2 * W2 * da1/ds1". Inside
// such a formula a derivative symbol stands for the solution's quantity in numerator layout (∂L/∂v
// a row, ∂L/∂W of Wᵀ's shape, an elementwise local derivative ∂a/∂s the diagonal matrix diag(a′)),
// vectors are columns, and * between two matrices is the matrix product. The checker evaluates it
// at the problem's values and at random points, and names a transposed result or a reversed order.
import { eye } from "../autograd/creation.js";
import { noGrad } from "../autograd/mode.js";
import type { Tensor } from "../autograd/tensor.js";
import type { Expr } from "../expr/ast.js";
import { evaluate } from "../expr/evaluate.js";
import { parseExpression } from "../expr/parser.js";
import type { Solution } from "../solution/solution.js";

const SYMBOL = /\bd([A-Za-z_]\w*)\/d([A-Za-z_]\w*)\b/g;

/** A formula over derivative symbols, rewritten for evaluation. */
export interface MatrixFormula {
  readonly expr: Expr;
  readonly reversed: Expr | null;
  /** identifier → the quantity key it stands for (e.g. __d0 → dL/dytilde) */
  readonly symbols: ReadonlyMap<string, string>;
}

/** The formula in matrix calculus, or null when it names no derivative of the solution. */
export function matrixFormula(formula: string, sol: Solution): MatrixFormula | null {
  const symbols = new Map<string, string>();
  const text = formula.replace(SYMBOL, (m) => {
    if (!sol.quantities.has(m)) return m;
    const id = `__d${symbols.size}`;
    symbols.set(id, m);
    return id;
  });
  if (symbols.size === 0) return null;
  const expr = products(parseExpression(text, "answer"));
  const chain = factors(expr);
  const reversed = chain.length > 1 ? chain.slice().reverse().reduce((a, b) => product(a, b)) : null;
  return { expr, reversed, symbols };
}

const product = (left: Expr, right: Expr): Expr => ({ kind: "call", fn: "mmul", args: [left, right], span: left.span });

// `*` as the matrix product of matrices (a scaling otherwise), everywhere in the formula.
function products(e: Expr): Expr {
  switch (e.kind) {
    case "binary": return e.op === "*" ? product(products(e.left), products(e.right)) : { ...e, left: products(e.left), right: products(e.right) };
    case "neg": case "transpose": return { ...e, arg: products(e.arg) };
    case "call": return { ...e, args: e.args.map(products) };
    case "array": return { ...e, items: e.items.map(products) };
    default: return e;
  }
}

function factors(e: Expr): Expr[] {
  return e.kind === "call" && e.fn === "mmul" ? [...factors(e.args[0] as Expr), ...factors(e.args[1] as Expr)] : [e];
}

const column = (t: Tensor): Tensor => (t.ndim === 1 ? t.reshape([t.size, 1]) : t);

/** The value a derivative symbol stands for, in numerator layout. */
function numerator(key: string, t: Tensor, loss: string): Tensor {
  const [, of] = /^d([^/]+)\//.exec(key) ?? [];
  if (of === loss) return t.ndim === 1 ? t.reshape([1, t.size]) : t.ndim === 2 ? t.transpose() : t; // ∂L/∂v: a row; ∂L/∂W: Wᵀ's shape
  return t.ndim === 1 ? eye(t.size).mul(t.reshape([1, t.size])) : t; // an elementwise Jacobian: diag
}

/** The expected answer in numerator layout. */
export function expectedNumerator(want: Tensor): Tensor {
  return noGrad(() => (want.ndim === 1 ? want.reshape([1, want.size]) : want.ndim === 2 ? want.transpose() : want));
}

/** Evaluates the formula (or its reversed product) against a solution. */
export function evaluateMatrix(f: MatrixFormula, sol: Solution, reversed = false): Tensor | string {
  const env = new Map<string, Tensor>();
  return noGrad(() => {
    for (const [k, v] of sol.quantities) if (!k.includes("/") && !k.includes("@") && !k.includes("#")) env.set(k, column(v));
    for (const [id, key] of f.symbols) {
      const v = sol.quantities.get(key);
      if (v !== undefined) env.set(id, numerator(key, v, sol.lossName));
    }
    const e = reversed ? f.reversed : f.expr;
    if (e === null) return "no product to reverse";
    try {
      return evaluate(e, env, "answer");
    } catch (err) {
      return err instanceof Error ? (err.message.split("\n")[0] ?? "error") : String(err);
    }
  });
}

function equal(a: Tensor, b: Tensor): boolean {
  if (a.ndim !== b.ndim || !a.shape.every((d, i) => d === b.shape[i])) return false;
  for (let i = 0; i < a.size; i++) {
    const x = a.data[i] as number, y = b.data[i] as number;
    if (!(Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y)))) return false;
  }
  return true;
}

const REVERSED = "the factors are in reverse order: matrix products do not commute; in numerator layout the chain runs from the input to the loss";
const DENOMINATOR_CHAIN = "the denominator-layout chain (factors reversed and transposed): the answer asks for numerator layout";

/** The verdict on a matrix-calculus answer for `key`, at the solution and at the perturbed points. */
export function judgeMatrix(f: MatrixFormula, key: string, sol: Solution, others: readonly Solution[]): { ok: boolean; got: Tensor | null; cause?: string } {
  const at = (s: Solution, reversed = false): { got: Tensor | string; want: Tensor | null } => {
    const w = s.quantities.get(key);
    return { got: evaluateMatrix(f, s, reversed), want: w === undefined ? null : expectedNumerator(w) };
  };
  const here = at(sol);
  const holds = (reversed: boolean, transposed: boolean): boolean => [sol, ...others].every((s) => {
    const { got, want } = at(s, reversed);
    if (typeof got === "string" || want === null) return false;
    return equal(transposed ? noGrad(() => (got.ndim === 2 ? got.transpose() : got)) : got, want);
  });
  if (typeof here.got === "string") {
    const cause = f.reversed !== null && holds(true, false) ? REVERSED : f.reversed !== null && holds(true, true) ? DENOMINATOR_CHAIN : `the formula cannot be evaluated in numerator layout: ${here.got}`;
    return { ok: false, got: null, cause };
  }
  if (holds(false, false)) return { ok: true, got: here.got };
  if (holds(false, true)) return { ok: false, got: here.got, cause: "transposed: the formula gives the denominator-layout gradient (a missing or extra transpose); in numerator layout ∂L/∂W has the shape of Wᵀ and ∂L/∂v is a row" };
  if (f.reversed !== null && holds(true, false)) return { ok: false, got: here.got, cause: REVERSED };
  if (f.reversed !== null && holds(true, true)) return { ok: false, got: here.got, cause: DENOMINATOR_CHAIN };
  const want = sol.quantities.get(key);
  if (want !== undefined && equal(here.got, expectedNumerator(want))) return { ok: false, got: here.got, cause: "right at the problem's values but not at other points: the formula only coincides here" };
  return { ok: false, got: here.got };
}
