// Shared validation helpers for op shape rules.
import { ShapeError, ValueError } from "../tensor/errors.js";
import { fmt, type Shape, stridesOf } from "../tensor/shape.js";
import type { RawTensor, TensorLike } from "./types.js";

/** Requires exactly `n` inputs. */
export function arity(op: string, inputs: readonly TensorLike[], n: number): void {
  if (inputs.length !== n) throw new ShapeError(`expects ${n} input(s), got ${inputs.length}.`, { op });
}

/** The first input (after an arity check). */
export function first(op: string, inputs: readonly TensorLike[]): TensorLike {
  const x = inputs[0];
  if (x === undefined) throw new ShapeError("expects an input, got none.", { op });
  return x;
}

/** Multi-index of flat position `i` in `shape`, for error messages. */
export function unravel(i: number, shape: Shape): number[] {
  const s = stridesOf(shape);
  return s.map((st, d) => Math.floor(i / st) % (shape[d] ?? 1));
}

/** Throws a ValueError naming the first element for which `bad` holds. */
export function checkDomain(op: string, x: RawTensor, bad: (v: number) => boolean, rule: string, hint?: string): void {
  const d = x.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    if (bad(v)) {
      const at = x.shape.length === 0 ? "" : ` at index [${unravel(i, x.shape).join(",")}]`;
      throw new ValueError(`${rule}, got ${v}${at} of a ${fmt(x.shape)} tensor.`, hint === undefined ? { op } : { op, hint });
    }
  }
}
