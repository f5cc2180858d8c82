// Shared shape rules of the sliding-window ops (convolution, pooling) over NCHW tensors.
import type { Window2d } from "../kernels/index.js";
import { ShapeError, ValueError } from "../tensor/errors.js";
import { fmt, type Shape } from "../tensor/shape.js";

/** A pair of per-axis numbers (height, width). */
export type Pair = readonly [number, number];

/** Stride, zero padding and dilation of a window op. */
export interface WindowAttrs {
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
}

/** A number or a pair, as users write it (PyTorch's `int | tuple[int, int]`). */
export type PairLike = number | readonly number[];

/** Resolves a number or a [h, w] pair, checking that both are integers ≥ `min`. */
export function pair(op: string, what: string, v: PairLike, min: number): Pair {
  const p: readonly number[] = typeof v === "number" ? [v, v] : v;
  const [h, w] = p;
  if (p.length !== 2 || h === undefined || w === undefined || !Number.isInteger(h) || !Number.isInteger(w) || h < min || w < min) {
    throw new ValueError(`${what} must be an integer ≥ ${min} or a pair of them, got ${JSON.stringify(v)}.`, { op });
  }
  return [h, w];
}

/** Checks that x is 4-d NCHW. */
export function expectNCHW(op: string, x: Shape, hint = "Add a batch axis with x.unsqueeze(0)."): void {
  if (x.length !== 4) throw new ShapeError(`input must be 4-d NCHW, got ${fmt(x)}.`, { op, shapes: [x], ...(x.length === 3 ? { hint } : {}) });
}

/** Output size along one axis: ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1. */
export function outSize(n: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** The window geometry for an H×W input and a kh×kw kernel; throws when no window fits. */
export function window2d(op: string, H: number, W: number, kh: number, kw: number, a: WindowAttrs): Window2d {
  const [sh, sw] = a.stride, [ph, pw] = a.padding, [dh, dw] = a.dilation;
  const oh = outSize(H, kh, sh, ph, dh), ow = outSize(W, kw, sw, pw, dw);
  if (oh < 1 || ow < 1) {
    throw new ShapeError(`the ${kh}×${kw} kernel (dilation ${dh}×${dw}) does not fit the ${H}×${W} input with padding ${ph}×${pw}, got an output of ${oh}×${ow}.`, { op, hint: "Pad the input or use a smaller kernel." });
  }
  return { kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

/** Attributes written in samples: `a` for every axis. */
export function square(stride: number, padding: number, dilation: number): WindowAttrs {
  return { stride: [stride, stride], padding: [padding, padding], dilation: [dilation, dilation] };
}
