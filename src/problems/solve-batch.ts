// The untraced samples of a large batch, many at a time. When every value of a sample is a single
// number and every operation of the model and loss is elementwise, running the statements on
// vectors of B samples computes, element for element, exactly what B separate runs compute, and one
// backward pass through their weighted sum accumulates the same parameter gradients. Anything else
// (vectors, matrix products, reductions, softmax, overridden rules, inputs differentiated with
// `wrt`) goes one sample at a time, as before.
import { full } from "../autograd/creation.js";
import type { Tensor } from "../autograd/tensor.js";
import { children, type Expr } from "../expr/ast.js";
import { run } from "../expr/evaluate.js";
import { ops } from "../ops/registry.js";
import type { SampleTrace } from "../solution/solution.js";
import { NablaError } from "../tensor/errors.js";
import type { Run } from "./solve-sample.js";

/** Samples per vectorised run. */
export const CHUNK = 4096;

// Functions of the expression language that act elementwise: the registry's elementwise ops that
// have a call form, and these composites (expr/functions.ts). A composite missing here only costs speed.
const ELEMENTWISE_COMPOSITES = ["ln", "leakyrelu", "gelu", "softplus", "elu", "silu", "huber", "squarederror", "absoluteerror", "huberloss", "bcewithlogits"];
const ELEMENTWISE: ReadonlySet<string> = new Set([
  ...Object.values(ops).flatMap((op): string[] => (op.elementwise === true && op.call !== undefined ? [op.call.name] : [])),
  ...ELEMENTWISE_COMPOSITES,
]);

function elementwise(e: Expr): boolean {
  const stack: Expr[] = [e];
  for (let x = stack.pop(); x !== undefined; x = stack.pop()) {
    if (x.kind === "transpose" || x.kind === "array") return false;
    if (x.kind === "binary" && x.op === "@") return false;
    if (x.kind === "call" && !ELEMENTWISE.has(x.fn)) return false;
    stack.push(...children(x));
  }
  return true;
}

/** Whether the untraced samples may run vectorised; `first` is the first sample's trace. */
export function vectorizable(r: Run, first: SampleTrace): boolean {
  const { c } = r;
  if (r.mutated || c.problem.wrt.some((w) => !r.params.has(w))) return false;
  if (!c.samples.scalarColumns()) return false;
  if ([...r.constants.values(), ...r.params.values(), ...first.values.values()].some((t) => t.ndim !== 0)) return false;
  return c.program.every((s) => elementwise(s.expr));
}

/**
 * Runs samples [from, to) as vectors: adds their losses to `addLoss` and their gradients to the
 * parameters' `.grad`. False (nothing added) when the run does not give one loss per sample or
 * fails, so that those samples go one at a time and any error names its sample.
 */
export function runChunk(r: Run, from: number, to: number, scale: number, addLoss: (x: number) => void): boolean {
  const { c } = r;
  const env = new Map<string, Tensor>(r.constants);
  for (const [n, t] of c.samples.columns(from, to)) env.set(n, t);
  for (const [n, t] of r.params) env.set(n, t);
  try {
    run(c.program, env, c.source);
  } catch (e) {
    if (e instanceof NablaError) return false;
    throw e;
  }
  const loss = env.get(c.lossName);
  if (loss === undefined || loss.size !== to - from || loss.ndim !== 1) return false;
  for (let i = 0; i < loss.size; i++) if (!Number.isFinite(loss.data[i] as number)) return false;
  for (let i = 0; i < loss.size; i++) addLoss(loss.data[i] as number);
  if (loss.requiresGrad) loss.backward(full([to - from], scale, { dtype: loss.dtype }));
  return true;
}
