// Elementwise loops: one plain loop per unary op; binary ops run row by row over broadcast strides.
import type { Storage } from "../tensor/dtype.js";
import { broadcastStrides, type Shape } from "../tensor/shape.js";
import { erf } from "./special.js";

type UnaryLoop = (x: Storage, out: Storage, n: number, p: readonly number[]) => void;

/** Unary kernels; `p` carries op parameters (beta, threshold, exponent, bounds). */
export const unaryLoops = {
  neg: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = -(x[i] as number); },
  exp: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.exp(x[i] as number); },
  log: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.log(x[i] as number); },
  sqrt: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sqrt(x[i] as number); },
  abs: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.abs(x[i] as number); },
  sign: (x, o, n) => { for (let i = 0; i < n; i++) { const v = x[i] as number; o[i] = v > 0 ? 1 : v < 0 ? -1 : 0; } },
  // x where finite, 0 elsewhere (the shift of a log-sum-exp whose row is all −∞)
  finiteOrZero: (x, o, n) => { for (let i = 0; i < n; i++) { const v = x[i] as number; o[i] = Number.isFinite(v) ? v : 0; } },
  tanh: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.tanh(x[i] as number); },
  sin: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sin(x[i] as number); },
  cos: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.cos(x[i] as number); },
  erf: (x, o, n) => { for (let i = 0; i < n; i++) o[i] = erf(x[i] as number); },
  // PyTorch's relu: NaN and −0 pass through (x < 0 ? 0 : x, not x > 0 ? x : 0)
  relu: (x, o, n) => { for (let i = 0; i < n; i++) { const v = x[i] as number; o[i] = v < 0 ? 0 : v; } },
  // σ(x) without overflow: e^{x}/(1+e^{x}) for x < 0, 1/(1+e^{-x}) otherwise.
  sigmoid: (x, o, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if (v >= 0) o[i] = 1 / (1 + Math.exp(-v));
      else { const e = Math.exp(v); o[i] = e / (1 + e); }
    }
  },
  // softplus(x) = log(1 + e^{βx})/β, returning x where βx > threshold (PyTorch), overflow-free.
  softplus: (x, o, n, p) => {
    const beta = p[0] ?? 1, threshold = p[1] ?? 20;
    for (let i = 0; i < n; i++) {
      const v = (x[i] as number) * beta;
      o[i] = v > threshold ? (x[i] as number) : (Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)))) / beta;
    }
  },
  powScalar: (x, o, n, p) => {
    const e = p[0] ?? 1;
    if (e === 2) { for (let i = 0; i < n; i++) { const v = x[i] as number; o[i] = v * v; } return; }
    for (let i = 0; i < n; i++) o[i] = Math.pow(x[i] as number, e);
  },
  clamp: (x, o, n, p) => {
    const lo = p[0] ?? -Infinity, hi = p[1] ?? Infinity;
    for (let i = 0; i < n; i++) { const v = x[i] as number; o[i] = v < lo ? lo : v > hi ? hi : v; }
  },
  // Gradient masks as 0/1 values.
  clampMask: (x, o, n, p) => {
    const lo = p[0] ?? -Infinity, hi = p[1] ?? Infinity;
    for (let i = 0; i < n; i++) { const v = x[i] as number; o[i] = v >= lo && v <= hi ? 1 : 0; }
  },
} satisfies Record<string, UnaryLoop>;

export type UnaryKernel = keyof typeof unaryLoops;

type RowLoop = (a: Storage, ia: number, sa: number, b: Storage, ib: number, sb: number, o: Storage, io: number, n: number) => void;

/** Binary kernels over one row; `sa`/`sb` are 0 (broadcast) or 1. */
export const binaryLoops = {
  add: (a, ia, sa, b, ib, sb, o, io, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb) o[io + i] = (a[ia] as number) + (b[ib] as number); },
  sub: (a, ia, sa, b, ib, sb, o, io, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb) o[io + i] = (a[ia] as number) - (b[ib] as number); },
  mul: (a, ia, sa, b, ib, sb, o, io, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb) o[io + i] = (a[ia] as number) * (b[ib] as number); },
  div: (a, ia, sa, b, ib, sb, o, io, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb) o[io + i] = (a[ia] as number) / (b[ib] as number); },
  // binary cross-entropy of probability a against target b, each log clamped at −100 (PyTorch)
  bce: (a, ia, sa, b, ib, sb, o, io, n) => {
    for (let i = 0; i < n; i++, ia += sa, ib += sb) {
      const p = a[ia] as number, y = b[ib] as number;
      o[io + i] = -(y * Math.max(Math.log(p), -100) + (1 - y) * Math.max(Math.log1p(-p), -100));
    }
  },
  pow: (a, ia, sa, b, ib, sb, o, io, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb) o[io + i] = Math.pow(a[ia] as number, b[ib] as number); },
  maximum: (a, ia, sa, b, ib, sb, o, io, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb) { const x = a[ia] as number, y = b[ib] as number; o[io + i] = x > y || Number.isNaN(x) ? x : y; } },
  minimum: (a, ia, sa, b, ib, sb, o, io, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb) { const x = a[ia] as number, y = b[ib] as number; o[io + i] = x < y || Number.isNaN(x) ? x : y; } },
  gt: (a, ia, sa, b, ib, sb, o, io, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb) o[io + i] = (a[ia] as number) > (b[ib] as number) ? 1 : 0; },
  ge: (a, ia, sa, b, ib, sb, o, io, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb) o[io + i] = (a[ia] as number) >= (b[ib] as number) ? 1 : 0; },
  lt: (a, ia, sa, b, ib, sb, o, io, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb) o[io + i] = (a[ia] as number) < (b[ib] as number) ? 1 : 0; },
  le: (a, ia, sa, b, ib, sb, o, io, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb) o[io + i] = (a[ia] as number) <= (b[ib] as number) ? 1 : 0; },
  eq: (a, ia, sa, b, ib, sb, o, io, n) => { for (let i = 0; i < n; i++, ia += sa, ib += sb) o[io + i] = (a[ia] as number) === (b[ib] as number) ? 1 : 0; },
} satisfies Record<string, RowLoop>;

export type BinaryKernel = keyof typeof binaryLoops;

/** No parameters: one shared empty list, not a default literal per call. */
export const NO_PARAMS: readonly number[] = [];

/** out = x ∘ unary. */
export function unary(op: UnaryKernel, x: Storage, out: Storage, params: readonly number[] = NO_PARAMS): void {
  unaryLoops[op](x, out, out.length, params);
}

/** out[outShape] = a[aShape] ∘ b[bShape] with NumPy broadcasting (outShape already resolved). */
export function binary(op: BinaryKernel, a: Storage, aShape: Shape, b: Storage, bShape: Shape, out: Storage, outShape: Shape): void {
  const loop: RowLoop = binaryLoops[op];
  const n = out.length; // NOTE: out has outShape's size (no read of the shape: a megamorphic load)
  if (n === 0) return;
  if (a.length === n && b.length === n) return loop(a, 0, 1, b, 0, 1, out, 0, n);
  if (b.length === 1 && a.length === n) return loop(a, 0, 1, b, 0, 0, out, 0, n);
  if (a.length === 1 && b.length === n) return loop(a, 0, 0, b, 0, 1, out, 0, n);
  if (a.length === n && rowScalar(op, a, b, bShape, out, outShape)) return;
  const [shape, sa, sb] = merged(outShape, broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape));
  outShape = shape;
  const nd = outShape.length;
  const row = outShape[nd - 1] ?? 1;
  const rsa = sa[nd - 1] ?? 0;
  const rsb = sb[nd - 1] ?? 0;
  const idx = new Array<number>(Math.max(nd - 1, 0)).fill(0);
  let ia = 0, ib = 0;
  for (let io = 0; io < n; io += row) {
    loop(a, ia, rsa, b, ib, rsb, out, io, row);
    // advance the odometer over all but the last axis
    for (let d = nd - 2; d >= 0; d--) {
      const v = (idx[d] as number) + 1;
      if (v < (outShape[d] as number)) {
        idx[d] = v;
        ia += sa[d] as number;
        ib += sb[d] as number;
        break;
      }
      idx[d] = 0;
      ia -= (sa[d] as number) * (v - 1);
      ib -= (sb[d] as number) * (v - 1);
    }
  }
}

// a ∘ b with b one number per row of the last axis ([…, C] ∘ […, 1]: a softmax's shift and its sum) for
// + − · ÷: one loop per op over all rows, not one row loop call per row; false for anything else
function rowScalar(op: BinaryKernel, a: Storage, b: Storage, bShape: Shape, out: Storage, outShape: Shape): boolean {
  const nd = outShape.length, cols = outShape[nd - 1] ?? 1, rows = b.length;
  // b's axes are 1 or the output's (broadcasting), so with its last one 1 and as many numbers as the
  // output has rows, its leading axes are the output's
  if (cols < 2 || bShape.length !== nd || bShape[nd - 1] !== 1 || rows * cols !== out.length) return false;
  switch (op) {
    case "add": for (let r = 0, i = 0; r < rows; r++) { const v = b[r] as number; for (const e = i + cols; i < e; i++) out[i] = (a[i] as number) + v; } return true;
    case "sub": for (let r = 0, i = 0; r < rows; r++) { const v = b[r] as number; for (const e = i + cols; i < e; i++) out[i] = (a[i] as number) - v; } return true;
    case "mul": for (let r = 0, i = 0; r < rows; r++) { const v = b[r] as number; for (const e = i + cols; i < e; i++) out[i] = (a[i] as number) * v; } return true;
    case "div": for (let r = 0, i = 0; r < rows; r++) { const v = b[r] as number; for (const e = i + cols; i < e; i++) out[i] = (a[i] as number) / v; } return true;
    default: return false;
  }
}

// NOTE: adjacent axes that both operands step through as one (stride[d] = stride[d+1]·size[d+1],
// a broadcast axis beside another) merge into one, so a per-channel bias over [N, C, H, W] runs in
// rows of H·W instead of W.
export function merged(shape: Shape, sa: readonly number[], sb: readonly number[]): [number[], number[], number[]] {
  const s = [shape[0] ?? 1], a = [sa[0] ?? 0], b = [sb[0] ?? 0];
  for (let d = 1; d < shape.length; d++) {
    const n = shape[d] as number, x = sa[d] as number, y = sb[d] as number, k = s.length - 1;
    if (a[k] === x * n && b[k] === y * n) {
      s[k] = (s[k] as number) * n;
      a[k] = x;
      b[k] = y;
    } else {
      s.push(n);
      a.push(x);
      b.push(y);
    }
  }
  return [s, a, b];
}

/** out = cond ≠ 0 ? a : b; each of out's length, or of length 1 (one number for all). */
export function select(cond: Storage, a: Storage, b: Storage, out: Storage): void {
  const n = out.length;
  if (n > 1 && b.length === 1 && cond.length === n && a.length === n) {
    const v = b[0] as number; // a gradient where a mask holds, else one constant (ReLU's backward)
    for (let i = 0; i < n; i++) out[i] = (cond[i] as number) !== 0 ? (a[i] as number) : v;
    return;
  }
  if (n > 1 && (cond.length === 1 || a.length === 1 || b.length === 1)) {
    const sc = cond.length === 1 ? 0 : 1, sa = a.length === 1 ? 0 : 1, sb = b.length === 1 ? 0 : 1;
    for (let i = 0; i < n; i++) out[i] = (cond[i * sc] as number) !== 0 ? (a[i * sa] as number) : (b[i * sb] as number);
    return;
  }
  for (let i = 0; i < n; i++) out[i] = (cond[i] as number) !== 0 ? (a[i] as number) : (b[i] as number);
}
