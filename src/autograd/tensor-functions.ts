// Function-style forms of the tensor methods (PyTorch's torch.* namespace), options as objects.
import { ops } from "../ops/registry.js";
import { ShapeError } from "../tensor/errors.js";
import { fmt, normalizeAxis } from "../tensor/shape.js";
import { applyOp, F, scalarLike, Tensor } from "./tensor.js";

type Num = Tensor | number;
/** Options of axis reductions. */
export interface AxisOptions {
  readonly axis?: number | readonly number[];
  readonly keepdims?: boolean;
}

// A number first operand becomes a 0-d tensor of the other's dtype (float64 when both are numbers).
const lift = (a: Num, b: Num): [Tensor, Num] => (typeof a === "number" ? [scalarLike(a, typeof b === "number" ? null : b), b] : [a, b]);

export const add = (a: Num, b: Num): Tensor => { const [x, y] = lift(a, b); return x.add(y); };
export const sub = (a: Num, b: Num): Tensor => { const [x, y] = lift(a, b); return x.sub(y); };
export const mul = (a: Num, b: Num): Tensor => { const [x, y] = lift(a, b); return x.mul(y); };
export const div = (a: Num, b: Num): Tensor => { const [x, y] = lift(a, b); return x.div(y); };
export const pow = (a: Num, b: Num): Tensor => { const [x, y] = lift(a, b); return x.pow(y); };
export const maximum = (a: Num, b: Num): Tensor => { const [x, y] = lift(a, b); return x.maximum(y); };
export const minimum = (a: Num, b: Num): Tensor => { const [x, y] = lift(a, b); return x.minimum(y); };
export const neg = (x: Tensor): Tensor => x.neg();
export const exp = (x: Tensor): Tensor => x.exp();
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => x.log();
export const sqrt = (x: Tensor): Tensor => x.sqrt();
export const abs = (x: Tensor): Tensor => x.abs();
export const erf = (x: Tensor): Tensor => x.erf();
export const clamp = (x: Tensor, o: { readonly min?: number; readonly max?: number } = {}): Tensor => x.clamp(o.min ?? null, o.max ?? null);
export const matmul = (a: Tensor, b: Tensor): Tensor => a.matmul(b);
export const sum = (x: Tensor, o: AxisOptions = {}): Tensor => x.sum(o.axis, o.keepdims ?? false);
export const mean = (x: Tensor, o: AxisOptions = {}): Tensor => x.mean(o.axis, o.keepdims ?? false);
export const max = (x: Tensor, o: AxisOptions = {}): Tensor => x.max(o.axis, o.keepdims ?? false);
export const min = (x: Tensor, o: AxisOptions = {}): Tensor => x.min(o.axis, o.keepdims ?? false);
export const logsumexp = (x: Tensor, o: AxisOptions = {}): Tensor => x.logsumexp(o.axis, o.keepdims ?? false);
export const argmax = (x: Tensor, o: { readonly axis?: number; readonly keepdims?: boolean } = {}): Tensor => x.argmax(o.axis, o.keepdims ?? false);
export const reshape = (x: Tensor, shape: readonly number[]): Tensor => x.reshape(shape);
export const transpose = (x: Tensor, axis0 = -2, axis1 = -1): Tensor => x.transpose(axis0, axis1);
export const permute = (x: Tensor, axes: readonly number[]): Tensor => x.permute(axes);
export const squeeze = (x: Tensor, axis?: number): Tensor => x.squeeze(axis);
export const unsqueeze = (x: Tensor, axis: number): Tensor => x.unsqueeze(axis);
export const expand = (x: Tensor, shape: readonly number[]): Tensor => x.expand(shape);

/** where(cond, a, b): a where cond ≠ 0, else b (broadcast). */
export function where(cond: Tensor, a: Num, b: Num): Tensor {
  return F.where(cond, a, b);
}

/** Joins tensors along an existing axis. */
export function concat(xs: readonly Tensor[], o: { readonly axis?: number } = {}): Tensor {
  return applyOp(ops.concat, xs, { axis: o.axis ?? 0 });
}

/** Joins same-shape tensors along a new axis. */
export function stack(xs: readonly Tensor[], o: { readonly axis?: number } = {}): Tensor {
  const x0 = xs[0];
  if (x0 === undefined) throw new ShapeError("needs at least one tensor, got none.", { op: "stack" });
  for (const x of xs) {
    if (x.shape.length !== x0.shape.length || x.shape.some((d, i) => d !== x0.shape[i])) {
      throw new ShapeError(`all tensors must have the same shape, got ${fmt(x0.shape)} and ${fmt(x.shape)}.`, { op: "stack" });
    }
  }
  const axis = normalizeAxis("stack", o.axis ?? 0, x0.ndim + 1);
  return concat(xs.map((x) => x.unsqueeze(axis)), { axis });
}
