// Interprets statements on the engine: every operation becomes a node of the autograd graph.
import { stack } from "../autograd/functional.js";
import { Tensor } from "../autograd/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { NablaError } from "../tensor/errors.js";
import type { Expr, Span, Statement } from "./ast.js";
import { EvalError } from "./errors.js";
import { FUNCTIONS } from "./functions.js";

/** Names in scope: inputs, parameters, and results of earlier statements. */
export type Env = Map<string, Tensor>;

/** Evaluates one expression against the environment. */
export function evaluate(e: Expr, env: Env, source: string, dtype: DType = "float64"): Tensor {
  const fail = (msg: string, span: Span): never => { throw new EvalError(msg, source, span); };
  const rec = (x: Expr): Tensor => {
    try {
      switch (x.kind) {
        case "num": {
          const d = dtype === "float64" ? new Float64Array([x.value]) : new Float32Array([x.value]);
          return new Tensor(d, []);
        }
        case "var": {
          const v = env.get(x.name);
          if (v === undefined) {
            const known = [...env.keys()].join(", ");
            return fail(`unknown name '${x.name}'${known === "" ? "" : ` (known: ${known})`}`, x.span);
          }
          return v;
        }
        case "neg": return rec(x.arg).neg();
        case "transpose": return rec(x.arg).transpose();
        case "array": {
          if (x.items.length === 0) return fail("an array needs at least one element", x.span);
          return stack(x.items.map(rec));
        }
        case "binary": {
          const a = rec(x.left);
          if (x.op === "^" && x.right.kind === "num") return a.pow(x.right.value);
          if (x.op === "^" && x.right.kind === "neg" && x.right.arg.kind === "num") return a.pow(-x.right.arg.value);
          const b = rec(x.right);
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
          const def = FUNCTIONS[x.fn];
          if (def === undefined) return fail(`unknown function '${x.fn}' (known: ${Object.keys(FUNCTIONS).join(", ")})`, x.span);
          if (x.args.length < def.min || x.args.length > def.max) {
            const want = def.min === def.max ? `${def.min}` : `${def.min} to ${def.max}`;
            return fail(`${x.fn} takes ${want} argument(s), got ${x.args.length}: ${def.doc}`, x.span);
          }
          const nums: number[] = [];
          const tensors: Tensor[] = [];
          x.args.forEach((arg, i) => {
            if (def.numeric?.includes(i) === true) {
              const v = constant(arg);
              if (v === null) fail(`argument ${i + 1} of ${x.fn} must be a number`, arg.span);
              nums[i] = v as number;
            } else {
              tensors.push(rec(arg));
            }
          });
          return def.fn(tensors, nums);
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

/** Runs statements in order, adding each result to `env` under its name; returns env. */
export function run(program: readonly Statement[], env: Env, source: string, dtype: DType = "float64"): Env {
  for (const s of program) {
    const v = evaluate(s.expr, env, source, dtype);
    if (v.name === undefined) v.name = s.name;
    env.set(s.name, v);
  }
  return env;
}

