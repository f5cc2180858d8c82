// Interprets statements with any Functional: on autograd tensors every operation becomes a node of
// the graph; on symbols (src/symbolic) the same walk yields printable formulas.
import { F as tensorF, type Tensor } from "../autograd/tensor.js";
import * as C from "../ops/composites.js";
import { ops } from "../ops/registry.js";
import type { Functional, TensorLike } from "../ops/types.js";
import type { DType } from "../tensor/dtype.js";
import { NablaError } from "../tensor/errors.js";
import type { Expr, Span, Statement } from "./ast.js";
import { EvalError } from "./errors.js";
import { FUNCTIONS, type FunctionDef } from "./functions.js";

/** Names in scope: inputs, parameters, and results of earlier statements. */
export type Env<T = Tensor> = Map<string, T>;

type Fail = (msg: string, span: Span) => never;

/** Known names for an error message, the first few only (a model may have thousands of inputs). */
function knownNames(env: ReadonlyMap<string, unknown>): string {
  const shown = 12;
  const names = [...env.keys()];
  const more = names.length > shown ? `, … (${names.length - shown} more)` : "";
  return names.length === 0 ? "" : ` (known: ${names.slice(0, shown).join(", ")}${more})`;
}

// A constant exponent or numeric argument: a number, or a negated one.
function constant(e: Expr): number | null {
  let sign = 1;
  let x = e;
  while (x.kind === "neg") { sign = -sign; x = x.arg; }
  return x.kind === "num" ? sign * x.value : null;
}

function checkedFunction(x: Extract<Expr, { kind: "call" }>, fail: Fail): FunctionDef {
  const def = FUNCTIONS.get(x.fn);
  if (def === undefined) return fail(`unknown function '${x.fn}' (known: ${[...FUNCTIONS.keys()].join(", ")})`, x.span);
  if (x.args.length < def.min || x.args.length > def.max) {
    const want = def.min === def.max ? `${def.min}` : `${def.min} to ${def.max}`;
    return fail(`${x.fn} takes ${want} argument(s), got ${x.args.length}: ${def.doc}`, x.span);
  }
  return def;
}

// The subexpressions of `x` evaluated as tensors (checked first: a bad call fails before its arguments run).
function operands(x: Expr, fail: Fail): readonly Expr[] {
  switch (x.kind) {
    case "num": case "var": return [];
    case "neg": case "transpose": return [x.arg];
    case "array":
      if (x.items.length === 0) return fail("an array needs at least one element", x.span);
      return x.items;
    case "binary": return x.op === "^" && constant(x.right) !== null ? [x.left] : [x.left, x.right];
    case "call": {
      const def = checkedFunction(x, fail);
      const numeric = def.numeric ?? [];
      x.args.forEach((arg, i) => { if (numeric.includes(i) && constant(arg) === null) fail(`argument ${i + 1} of ${x.fn} must be a number`, arg.span); });
      return x.args.filter((_, i) => !numeric.includes(i));
    }
  }
}

// One node from its operands' values.
function combine<T extends TensorLike>(x: Expr, v: readonly T[], env: ReadonlyMap<string, T>, F: Functional<T>, dtype: DType, fail: Fail): T {
  const a = v[0] as T;
  switch (x.kind) {
    case "num": return F.scalar(x.value, dtype);
    case "var": return env.get(x.name) ?? fail(`unknown name '${x.name}'${knownNames(env)}`, x.span);
    case "neg": return F.neg(a);
    case "transpose": return C.transpose(a, F);
    case "array": return C.stack(v, 0, F);
    case "binary": {
      // `x ^ 2` and `x ^ -1` use the scalar power (a constant exponent is not a graph input).
      const exponent = x.op === "^" ? constant(x.right) : null;
      if (exponent !== null) return F.powScalar(a, exponent);
      const b = v[1] as T;
      switch (x.op) {
        case "+": return F.add(a, b);
        case "-": return F.sub(a, b);
        case "*": return F.mul(a, b);
        case "/": return F.div(a, b);
        case "^": return F.apply(ops.pow, [a, b], null);
        case "@": return C.matmul(a, b, F);
      }
      return fail("unknown operator", x.span);
    }
    case "call": {
      const def = checkedFunction(x, fail);
      const nums: number[] = [];
      x.args.forEach((arg, i) => { if (def.numeric?.includes(i) === true) nums[i] = constant(arg) as number; });
      return def.fn(v, nums, F);
    }
  }
}

interface Frame<T> {
  readonly node: Expr;
  readonly kids: readonly Expr[];
  readonly values: T[];
}

/** Evaluates one expression against the environment with the given interpretation of the ops. */
export function evaluateWith<T extends TensorLike>(e: Expr, env: ReadonlyMap<string, T>, F: Functional<T>, source: string, dtype: DType = "float64"): T {
  const fail: Fail = (msg, span) => { throw new EvalError(msg, source, span); };
  // NOTE: a post-order walk with an explicit stack, not recursion: `x1 + x2 + … + x10000` is a
  // left-deep tree as deep as it is long. Operands run left to right, as written.
  const frames: Frame<T>[] = [{ node: e, kids: operands(e, fail), values: [] }];
  for (;;) {
    const top = frames[frames.length - 1] as Frame<T>;
    const next = top.kids[top.values.length];
    if (next !== undefined) {
      frames.push({ node: next, kids: operands(next, fail), values: [] });
      continue;
    }
    frames.pop();
    let value: T;
    try {
      value = combine(top.node, top.values, env, F, dtype, fail);
    } catch (err) {
      // An op's own error (shapes, domain …), located at the node that called it.
      if (err instanceof NablaError && !(err instanceof EvalError)) return fail(err.message, top.node.span);
      throw err;
    }
    const parent = frames[frames.length - 1];
    if (parent === undefined) return value;
    parent.values.push(value);
  }
}

/** Evaluates one expression on autograd tensors. */
export function evaluate(e: Expr, env: ReadonlyMap<string, Tensor>, source: string, dtype: DType = "float64"): Tensor {
  return evaluateWith(e, env, tensorF, source, dtype);
}

/**
 * Runs statements in order, adding each result to `env` under its name; returns env. Every statement
 * gets a node of its own, so a copy (`b = a`) is a quantity with its own gradient.
 */
export function runWith<T extends TensorLike>(program: readonly Statement[], env: Env<T>, F: Functional<T>, source: string, dtype: DType = "float64"): Env<T> {
  const seen = new Set<T>(env.values());
  for (const s of program) {
    let v = evaluateWith(s.expr, env, F, source, dtype);
    if (seen.has(v)) v = F.apply(ops.reshape, [v], { shape: v.shape });
    seen.add(v);
    env.set(s.name, v);
  }
  return env;
}

/** Runs statements on autograd tensors, naming each result after its statement. */
export function run(program: readonly Statement[], env: Env, source: string, dtype: DType = "float64"): Env {
  runWith(program, env, tensorF, source, dtype);
  for (const s of program) {
    const v = env.get(s.name);
    if (v !== undefined && v.name === undefined) v.name = s.name;
  }
  return env;
}
