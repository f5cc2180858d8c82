// Turns PyTorch-style index specs (numbers, [start, end, step], null) into slice windows.
import { AxisError, ShapeError } from "../tensor/errors.js";
import { fmt, type Shape } from "../tensor/shape.js";

/** One axis of an index: a single position, a range `[start, end?, step?]` (ends may be negative or null), or null for all. */
export type IndexSpec = number | null | readonly [number | null, (number | null)?, (number | null)?];

export interface Window {
  readonly starts: number[];
  readonly ends: number[];
  readonly steps: number[];
  /** Shape after dropping the axes indexed by a single number. */
  readonly finalShape: number[];
}

export function resolveIndex(shape: Shape, specs: readonly IndexSpec[]): Window {
  if (specs.length > shape.length) {
    throw new AxisError(`too many indices (${specs.length}) for a ${shape.length}-d tensor of shape ${fmt(shape)}.`, { op: "slice" });
  }
  const starts: number[] = [], ends: number[] = [], steps: number[] = [], finalShape: number[] = [];
  shape.forEach((d, i) => {
    const s = specs[i];
    if (s === undefined || s === null) {
      starts.push(0); ends.push(d); steps.push(1); finalShape.push(d);
    } else if (typeof s === "number") {
      if (!Number.isInteger(s) || s < -d || s >= d) throw new ShapeError(`index ${s} is out of range for axis ${i} of size ${d}.`, { op: "slice", shapes: [shape] });
      const at = s < 0 ? s + d : s;
      starts.push(at); ends.push(at + 1); steps.push(1);
    } else {
      const step = s[2] ?? 1;
      if (!Number.isInteger(step) || step < 1) throw new ShapeError(`step must be a positive integer, got ${step}.`, { op: "slice" });
      const clampIdx = (v: number | null | undefined, dflt: number): number => {
        if (v === null || v === undefined) return dflt;
        if (!Number.isInteger(v)) throw new ShapeError(`slice bounds must be integers, got ${v}.`, { op: "slice" });
        const r = v < 0 ? v + d : v;
        return Math.min(Math.max(r, 0), d);
      };
      const a = clampIdx(s[0], 0);
      const b = Math.max(clampIdx(s[1], d), a);
      starts.push(a); ends.push(b); steps.push(step); finalShape.push(Math.ceil((b - a) / step));
    }
  });
  return { starts, ends, steps, finalShape };
}
