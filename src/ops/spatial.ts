// Image composites over any Functional, built from the primitives (conv2d, matmul, sum …), so
// their gradients of every order come for free: convolution with a bias, average pooling (a
// depthwise convolution with a constant kernel), adaptive average pooling and interpolation (one
// constant matrix per axis: out = Rₕ · x · R_wᵀ), batch normalisation, flattening, dropout with a
// given mask, and a Gaussian blur (reflect padding, then a depthwise convolution).
import { ShapeError, ValueError } from "../tensor/errors.js";
import { fmt } from "../tensor/shape.js";
import { type Conv2dAttrs, conv2d as conv2dOp } from "./conv2d.js";
import type { Functional, TensorLike } from "./types.js";
import { expectNCHW, type Pair } from "./window.js";

const dim = (x: TensorLike, i: number): number => x.shape[i] as number;

/** conv2d(x, w) + b, with b [O] broadcast over N, H and W. */
export function conv2dBias<T extends TensorLike>(x: T, w: T, b: T | null, a: Conv2dAttrs, F: Functional<T>): T {
  const y = F.apply(conv2dOp, [x, w], a);
  if (b === null) return y;
  if (b.shape.length !== 1 || dim(b, 0) !== dim(y, 1)) throw new ShapeError(`bias must be 1-d with one entry per output channel (${dim(y, 1)}), got ${fmt(b.shape)}.`, { op: "conv2d" });
  return F.add(y, F.reshape(b, [1, dim(b, 0), 1, 1]));
}

/** Mean of each window, padding counted as zeros (PyTorch's count_include_pad = true). */
export function avgPool2d<T extends TensorLike>(x: T, kernel: Pair, stride: Pair, padding: Pair, F: Functional<T>): T {
  expectNCHW("avgPool2d", x.shape);
  if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1]) throw new ShapeError(`padding must be at most half the kernel, got padding ${padding.join("×")} for kernel ${kernel.join("×")}.`, { op: "avgPool2d" });
  const C = dim(x, 1), n = kernel[0] * kernel[1];
  const w = F.constant(new Array<number>(C * n).fill(1 / n), [C, 1, kernel[0], kernel[1]], x.dtype);
  return F.apply(conv2dOp, [x, w], { stride, padding, dilation: [1, 1], groups: C });
}

/** Row i of an m×n averaging matrix covers inputs ⌊i·n/m⌋ … ⌈(i+1)·n/m⌉ − 1 (PyTorch's adaptive regions). */
function adaptiveRows(n: number, m: number): number[] {
  const r = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) {
    const lo = Math.floor((i * n) / m), hi = Math.ceil(((i + 1) * n) / m);
    for (let j = lo; j < hi; j++) r[i * n + j] = 1 / (hi - lo);
  }
  return r;
}

/** Average pooling to a fixed output size (global average pooling for [1, 1]). */
export function adaptiveAvgPool2d<T extends TensorLike>(x: T, size: Pair, F: Functional<T>): T {
  expectNCHW("adaptiveAvgPool2d", x.shape);
  const [oh, ow] = size, H = dim(x, 2), W = dim(x, 3);
  if (!(Number.isInteger(oh) && Number.isInteger(ow) && oh >= 1 && ow >= 1)) throw new ValueError(`output size must be positive integers, got ${JSON.stringify(size)}.`, { op: "adaptiveAvgPool2d" });
  return separable(x, adaptiveRows(H, oh), oh, adaptiveRows(W, ow), ow, F);
}

/** Rₕ [oh×H] · x · R_wᵀ (R_w: [ow×W]), broadcast over N and C. */
function separable<T extends TensorLike>(x: T, rh: number[], oh: number, rw: number[], ow: number, F: Functional<T>): T {
  const H = dim(x, 2), W = dim(x, 3);
  const Rh = F.constant(rh, [oh, H], x.dtype);
  const RwT = F.transposeLast(F.constant(rw, [ow, W], x.dtype));
  return F.matmul(F.matmul(Rh, x), RwT);
}

/** How interpolate samples: nearest neighbour or bilinear (PyTorch's align_corners = false, or true). */
export type InterpolateMode = "nearest" | "bilinear";

/**
 * One axis of PyTorch's upsampling, as an [out × in] matrix. `scale` is 1/scale_factor when the
 * caller gave one (PyTorch's source-index rule), else in/out.
 */
export function interpolationRows(n: number, m: number, mode: InterpolateMode, alignCorners: boolean, scale: number | null): number[] {
  const r = new Array<number>(m * n).fill(0);
  if (mode === "nearest") {
    // NOTE: PyTorch computes the nearest index in single precision (floorf(i · scale)).
    const s = Math.fround(scale ?? n / m);
    for (let i = 0; i < m; i++) {
      const j = m === n ? i : m === 2 * n ? i >> 1 : Math.min(Math.floor(Math.fround(i * s)), n - 1);
      r[i * n + j] = 1;
    }
    return r;
  }
  const s = alignCorners ? (m > 1 ? (n - 1) / (m - 1) : 0) : (scale ?? n / m);
  for (let i = 0; i < m; i++) {
    const src = alignCorners ? s * i : Math.max(s * (i + 0.5) - 0.5, 0);
    const j0 = Math.floor(src), j1 = j0 < n - 1 ? j0 + 1 : j0;
    const l1 = src - j0;
    r[i * n + j0] = (r[i * n + j0] as number) + (1 - l1);
    r[i * n + j1] = (r[i * n + j1] as number) + l1;
  }
  return r;
}

/** Resizes the H×W planes of NCHW x to `size` (PyTorch's F.interpolate for 4-d input). */
export function interpolate<T extends TensorLike>(x: T, size: Pair, mode: InterpolateMode, F: Functional<T>, o: { alignCorners?: boolean; scaleFactor?: Pair | null } = {}): T {
  expectNCHW("interpolate", x.shape);
  if (mode !== "nearest" && mode !== "bilinear") throw new ValueError(`mode must be "nearest" or "bilinear", got ${JSON.stringify(mode)}.`, { op: "interpolate" });
  const [oh, ow] = size, H = dim(x, 2), W = dim(x, 3);
  if (!(Number.isInteger(oh) && Number.isInteger(ow) && oh >= 1 && ow >= 1)) throw new ValueError(`output size must be positive integers, got ${JSON.stringify(size)}.`, { op: "interpolate" });
  const ac = o.alignCorners ?? false;
  const sf = o.scaleFactor ?? null;
  return separable(x, interpolationRows(H, oh, mode, ac, sf === null ? null : 1 / sf[0]), oh, interpolationRows(W, ow, mode, ac, sf === null ? null : 1 / sf[1]), ow, F);
}

/** Flattens axes startAxis … endAxis into one (PyTorch's flatten; nn.Flatten uses 1 … −1). */
export function flatten<T extends TensorLike>(x: T, startAxis: number, endAxis: number, F: Functional<T>): T {
  const n = x.shape.length;
  const s = startAxis < 0 ? startAxis + n : startAxis, e = endAxis < 0 ? endAxis + n : endAxis;
  if (n === 0) return F.reshape(x, [1]);
  if (!(s >= 0 && e < n && s <= e)) throw new ValueError(`axes ${startAxis} … ${endAxis} are not a range of a ${n}-d tensor ${fmt(x.shape)}.`, { op: "flatten" });
  const mid = x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
  return F.reshape(x, [...x.shape.slice(0, s), mid, ...x.shape.slice(e + 1)]);
}

/** Mean and biased variance of each channel over N, H and W, shaped [1, C, 1, 1]. */
export function channelStats<T extends TensorLike>(x: T, F: Functional<T>): { mean: T; variance: T } {
  expectNCHW("batchNorm2d", x.shape);
  const count = dim(x, 0) * dim(x, 2) * dim(x, 3);
  const mean = F.div(F.sum(x, [0, 2, 3], true), count);
  const variance = F.div(F.sum(F.powScalar(F.sub(x, mean), 2), [0, 2, 3], true), count);
  return { mean, variance };
}

/** (x − mean)/√(variance + eps) · weight + bias per channel; mean and variance [1, C, 1, 1]. */
export function batchNormalize<T extends TensorLike>(x: T, mean: T, variance: T, weight: T | null, bias: T | null, eps: number, F: Functional<T>): T {
  const C = dim(x, 1);
  let y = F.mul(F.sub(x, mean), F.powScalar(F.add(variance, eps), -0.5));
  if (weight !== null) y = F.mul(y, F.reshape(weight, [1, C, 1, 1]));
  if (bias !== null) y = F.add(y, F.reshape(bias, [1, C, 1, 1]));
  return y;
}

/** x/(1 − p) where the keep-mask is 1, 0 elsewhere (inverted dropout with a given mask). */
export function dropoutMasked<T extends TensorLike>(x: T, keep: T, p: number, F: Functional<T>): T {
  return F.where(keep, F.mul(x, 1 / (1 - p)), 0);
}

/** The normalised 1-d Gaussian exp(−k²/2σ²) for k = −r … r, r = ⌈3σ⌉. */
export function gaussianKernel1d(sigma: number): number[] {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new ValueError(`sigma must be a positive number, got ${sigma}.`, { op: "gaussianBlur" });
  const r = Math.ceil(3 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const s = k.reduce((a, b) => a + b, 0);
  return k.map((v) => v / s);
}

/** [n + 2r × n] selection matrix of reflect padding (…, x₂, x₁ | x₀ … xₙ₋₁ | xₙ₋₂, …). */
function reflectRows(n: number, r: number): number[] {
  const m = n + 2 * r, out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) {
    let j = i - r;
    if (j < 0) j = -j;
    if (j > n - 1) j = 2 * (n - 1) - j;
    out[i * n + j] = 1;
  }
  return out;
}

/** Gaussian blur of each plane: reflect padding, then a separable depthwise conv2d (groups = C). */
export function gaussianBlur<T extends TensorLike>(x: T, sigma: number, F: Functional<T>): T {
  expectNCHW("gaussianBlur", x.shape);
  const k = gaussianKernel1d(sigma), r = (k.length - 1) / 2;
  const C = dim(x, 1), H = dim(x, 2), W = dim(x, 3);
  if (r >= H || r >= W) throw new ValueError(`the blur radius ${r} (3σ, σ = ${sigma}) must be smaller than the ${H}×${W} image.`, { op: "gaussianBlur", hint: "Use a smaller sigma." });
  const padded = separable(x, reflectRows(H, r), H + 2 * r, reflectRows(W, r), W + 2 * r, F);
  const tile = (h: number, w: number): T => F.constant(Array.from({ length: C }, () => k).flat(), [C, 1, h, w], x.dtype);
  const one = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: C } as const;
  return F.apply(conv2dOp, [F.apply(conv2dOp, [padded, tile(k.length, 1)], one), tile(1, k.length)], one);
}
