// Shared validation helpers for op shape rules.
import { ValueError } from "../tensor/errors.js";
import { fmt, type Shape, stridesOf } from "../tensor/shape.js";
import type { RawTensor } from "./types.js";

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
