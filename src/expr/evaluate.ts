// Interprets statements on the engine: every operation becomes a node of the autograd graph.
import { stack } from "../autograd/functional.js";
import { Tensor } from "../autograd/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { NablaError } from "../tensor/errors.js";
import type { Expr, Span, Statement } from "./ast.js";
import { EvalError } from "./errors.js";
import { FUNCTIONS, type FunctionDef, lookupFunction } from "./functions.js";

/** Names in scope: inputs, parameters, and results of earlier statements. */
export type Env = Map<string, Tensor>;

type Fail = (msg: string, span: Span) => never;

/** Known names for an error message, the first few only (a model may have thousands of inputs). */
function knownNames(env: Env): string {
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

// `x ^ 2` and `x ^ -1` use the scalar power (a constant exponent is not a graph input).
function exponentOf(e: Expr): number | null {
  if (e.kind === "num") return e.value;
  return e.kind === "neg" && e.arg.kind === "num" ? -e.arg.value : null;
}

function checkedFunction(x: Extract<Expr, { kind: "call" }>, fail: Fail): FunctionDef {
  const def = lookupFunction(x.fn);
  if (def === undefined) return fail(`unknown function '${x.fn}' (known: ${Object.keys(FUNCTIONS).join(", ")})`, x.span);
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
    case "binary": return x.op === "^" && exponentOf(x.right) !== null ? [x.left] : [x.left, x.right];
    case "call": {
      const def = checkedFunction(x, fail);
      const numeric = def.numeric ?? [];
      x.args.forEach((arg, i) => { if (numeric.includes(i) && constant(arg) === null) fail(`argument ${i + 1} of ${x.fn} must be a number`, arg.span); });
      return x.args.filter((_, i) => !numeric.includes(i));
    }
  }
}

// One node from its operands' values.
function combine(x: Expr, v: readonly Tensor[], env: Env, dtype: DType, fail: Fail): Tensor {
  const a = v[0] as Tensor;
  switch (x.kind) {
    case "num": return new Tensor(dtype === "float64" ? new Float64Array([x.value]) : new Float32Array([x.value]), []);
    case "var": return env.get(x.name) ?? fail(`unknown name '${x.name}'${knownNames(env)}`, x.span);
    case "neg": return a.neg();
    case "transpose": return a.transpose();
    case "array": return stack([...v]);
    case "binary": {
      const exponent = x.op === "^" ? exponentOf(x.right) : null;
      if (exponent !== null) return a.pow(exponent);
      const b = v[1] as Tensor;
      switch (x.op) {
        case "+": return a.add(b);
        case "-": return a.sub(b);
        case "*": return a.mul(b);
        case "/": return a.div(b);
        case "^": return a.pow(b);
        case "@": return a.matmul(b);
      }
      return fail("unknown operator", x.span);
    }
    case "call": {
      const def = checkedFunction(x, fail);
      const nums: number[] = [];
      x.args.forEach((arg, i) => { if (def.numeric?.includes(i) === true) nums[i] = constant(arg) as number; });
      return def.fn(v, nums);
    }
  }
}

interface Frame {
  readonly node: Expr;
  readonly kids: readonly Expr[];
  readonly values: Tensor[];
}

/** Evaluates one expression against the environment. */
export function evaluate(e: Expr, env: Env, source: string, dtype: DType = "float64"): Tensor {
  const fail: Fail = (msg, span) => { throw new EvalError(msg, source, span); };
  // NOTE: a post-order walk with an explicit stack, not recursion: `x1 + x2 + … + x10000` is a
  // left-deep tree as deep as it is long. Operands run left to right, as written.
  const frames: Frame[] = [{ node: e, kids: operands(e, fail), values: [] }];
  for (;;) {
    const top = frames[frames.length - 1] as Frame;
    const next = top.kids[top.values.length];
    if (next !== undefined) {
      frames.push({ node: next, kids: operands(next, fail), values: [] });
      continue;
    }
    frames.pop();
    let value: Tensor;
    try {
      value = combine(top.node, top.values, env, dtype, fail);
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

/** Runs statements in order, adding each result to `env` under its name; returns env. */
export function run(program: readonly Statement[], env: Env, source: string, dtype: DType = "float64"): Env {
  for (const s of program) {
    const v = evaluate(s.expr, env, source, dtype);
    if (v.name === undefined) v.name = s.name;
    env.set(s.name, v);
  }
  return env;
}
