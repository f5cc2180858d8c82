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
import { FUNCTIONS } from "./functions.js";

/** Names in scope: inputs, parameters, and results of earlier statements. */
export type Env<T = Tensor> = Map<string, T>;

/** Evaluates one expression against the environment with the given interpretation of the ops. */
export function evaluateWith<T extends TensorLike>(e: Expr, env: ReadonlyMap<string, T>, F: Functional<T>, source: string, dtype: DType = "float64"): T {
  const fail = (msg: string, span: Span): never => { throw new EvalError(msg, source, span); };
  const rec = (x: Expr): T => {
    try {
      switch (x.kind) {
        case "num": return F.scalar(x.value, dtype);
        case "var": {
          const v = env.get(x.name);
          if (v === undefined) {
            const known = [...env.keys()].join(", ");
            return fail(`unknown name '${x.name}'${known === "" ? "" : ` (known: ${known})`}`, x.span);
          }
          return v;
        }
        case "neg": return F.neg(rec(x.arg));
        case "transpose": return C.transpose(rec(x.arg), F);
        case "array": {
          if (x.items.length === 0) return fail("an array needs at least one element", x.span);
          return C.stack(x.items.map(rec), 0, F);
        }
        case "binary": {
          const a = rec(x.left);
          const exponent = x.op === "^" ? constant(x.right) : null;
          if (exponent !== null) return F.powScalar(a, exponent);
          const b = rec(x.right);
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
          const def = FUNCTIONS.get(x.fn);
          if (def === undefined) return fail(`unknown function '${x.fn}' (known: ${[...FUNCTIONS.keys()].join(", ")})`, x.span);
          if (x.args.length < def.min || x.args.length > def.max) {
            const want = def.min === def.max ? `${def.min}` : `${def.min} to ${def.max}`;
            return fail(`${x.fn} takes ${want} argument(s), got ${x.args.length}: ${def.doc}`, x.span);
          }
          const nums: number[] = [];
          const tensors: T[] = [];
          x.args.forEach((arg, i) => {
            if (def.numeric?.includes(i) === true) {
              const v = constant(arg);
              if (v === null) fail(`argument ${i + 1} of ${x.fn} must be a number`, arg.span);
              nums[i] = v as number;
            } else {
              tensors.push(rec(arg));
            }
          });
          return def.fn(tensors, nums, F);
        }
      }
    } catch (err) {
      if (err instanceof EvalError) throw err;
      if (err instanceof NablaError) return fail(err.message, x.span);
      throw err;
    }
  };
  return rec(e);
}

function constant(e: Expr): number | null {
  if (e.kind === "num") return e.value;
  if (e.kind === "neg") {
    const v = constant(e.arg);
    return v === null ? null : -v;
  }
  return null;
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
