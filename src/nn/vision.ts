// Image functions on autograd tensors (torch.nn.functional's names in camelCase, options as objects):
// the primitives conv2d and maxPool2d, and the composites of ops/spatial.ts shared with the explicit
// layers and the expression language.
import { constantOf, F, type Tensor } from "../autograd/tensor.js";
import { isGradEnabled, noGrad } from "../autograd/mode.js";
import { backend } from "../backend/backend.js";
import { maxPool2d as maxPoolOp } from "../ops/max-pool.js";
import * as S from "../ops/spatial.js";
import { type PairLike, pair } from "../ops/window.js";
import { ValueError } from "../tensor/errors.js";
import { Random } from "../tensor/random.js";

/** Convolution options (PyTorch's defaults: stride 1, padding 0, dilation 1, groups 1). */
export interface Conv2dOptions {
  readonly stride?: PairLike;
  readonly padding?: PairLike;
  readonly dilation?: PairLike;
  readonly groups?: number;
}

/** Resolves convolution options to the op's attributes. */
export function convAttrs(o: Conv2dOptions = {}) {
  return { stride: pair("conv2d", "stride", o.stride ?? 1, 1), padding: pair("conv2d", "padding", o.padding ?? 0, 0), dilation: pair("conv2d", "dilation", o.dilation ?? 1, 1), groups: o.groups ?? 1 };
}

/** 2-d cross-correlation of NCHW x with w [out, in/groups, kh, kw], plus an optional bias [out]. */
export function conv2d(x: Tensor, w: Tensor, bias: Tensor | null = null, o: Conv2dOptions = {}): Tensor {
  return S.conv2dBias(x, w, bias, convAttrs(o), F);
}

/** Pooling options: the stride defaults to the kernel size (PyTorch). */
export interface PoolOptions {
  readonly stride?: PairLike;
  readonly padding?: PairLike;
  readonly dilation?: PairLike;
}

/** Resolves pooling options to the op's attributes. */
export function poolAttrs(op: string, kernel: PairLike, o: PoolOptions = {}) {
  const k = pair(op, "kernel size", kernel, 1);
  return { kernel: k, stride: pair(op, "stride", o.stride ?? k, 1), padding: pair(op, "padding", o.padding ?? 0, 0), dilation: pair(op, "dilation", o.dilation ?? 1, 1) };
}

/** The maximum of each window (padding counts as −∞); gradient to the window's first maximum. */
export function maxPool2d(x: Tensor, kernel: PairLike, o: PoolOptions = {}): Tensor {
  return F.apply(maxPoolOp, [x], poolAttrs("maxPool2d", kernel, o));
}

/** The mean of each window, zero padding counted (PyTorch's count_include_pad). */
export function avgPool2d(x: Tensor, kernel: PairLike, o: Omit<PoolOptions, "dilation"> = {}): Tensor {
  const a = poolAttrs("avgPool2d", kernel, o);
  return S.avgPool2d(x, a.kernel, a.stride, a.padding, F);
}

/** Average pooling to a fixed output size ([1, 1]: global average pooling). */
export function adaptiveAvgPool2d(x: Tensor, size: PairLike): Tensor {
  return S.adaptiveAvgPool2d(x, pair("adaptiveAvgPool2d", "output size", size, 1), F);
}

/** Flattens axes startAxis … endAxis (default 1 … −1: one row per sample). */
export function flatten(x: Tensor, o: { readonly startAxis?: number; readonly endAxis?: number } = {}): Tensor {
  return S.flatten(x, o.startAxis ?? 1, o.endAxis ?? -1, F);
}

/** Resizing options: an output size or a scale factor; nearest or bilinear. */
export interface InterpolateOptions {
  readonly size?: PairLike;
  readonly scaleFactor?: number | readonly [number, number];
  readonly mode?: S.InterpolateMode;
  readonly alignCorners?: boolean;
}

/** Resizes NCHW images (PyTorch's F.interpolate: nearest by default, or bilinear). */
export function interpolate(x: Tensor, o: InterpolateOptions): Tensor {
  const mode = o.mode ?? "nearest";
  if (o.size !== undefined) return S.interpolate(x, pair("interpolate", "size", o.size, 1), mode, F, { alignCorners: o.alignCorners ?? false });
  if (o.scaleFactor === undefined) throw new ValueError("needs either size or scaleFactor.", { op: "interpolate" });
  const sf: readonly number[] = typeof o.scaleFactor === "number" ? [o.scaleFactor, o.scaleFactor] : o.scaleFactor;
  const [fh = NaN, fw = NaN] = sf;
  if (!(fh > 0 && fw > 0)) throw new ValueError(`scaleFactor must be positive, got ${JSON.stringify(o.scaleFactor)}.`, { op: "interpolate" });
  const H = x.shape[2] ?? 0, W = x.shape[3] ?? 0;
  return S.interpolate(x, [Math.floor(H * fh), Math.floor(W * fw)], mode, F, { alignCorners: o.alignCorners ?? false, scaleFactor: [fh, fw] });
}

/** Gaussian blur of each plane (σ in pixels, radius ⌈3σ⌉, reflect padding), a depthwise conv2d. */
export function gaussianBlur(x: Tensor, sigma: number): Tensor {
  return S.gaussianBlur(x, sigma, F);
}

/** Dropout options: drop probability, training flag, and the generator of the mask. */
export interface DropoutOptions {
  readonly p?: number;
  readonly training?: boolean;
  readonly generator?: Random;
}

/** Zeroes each element with probability p and scales the rest by 1/(1 − p); identity when not training. */
export function dropout(x: Tensor, o: DropoutOptions = {}): Tensor {
  const p = o.p ?? 0.5;
  if (!(p >= 0 && p <= 1)) throw new ValueError(`p must be in [0, 1], got ${p}.`, { op: "dropout" });
  if (o.training === false || p === 0) return x;
  const g = o.generator ?? new Random(0);
  const keep = new Float64Array(x.size);
  for (let i = 0; i < keep.length; i++) keep[i] = g.uniform() >= p ? 1 : 0;
  return S.dropoutMasked(x, constantOf(keep, x.shape, x.dtype), p, F);
}

/** Batch-norm options: training uses (and updates) batch statistics; eval uses the running ones. */
export interface BatchNormOptions {
  readonly training?: boolean;
  readonly momentum?: number;
  readonly eps?: number;
}

/**
 * Batch normalisation over N, H, W per channel (PyTorch's F.batch_norm). In training, the running
 * mean and variance (unbiased) are updated in place with `momentum`.
 */
export function batchNorm2d(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null, bias: Tensor | null, o: BatchNormOptions = {}): Tensor {
  const eps = o.eps ?? 1e-5, momentum = o.momentum ?? 0.1;
  const C = x.shape[1] ?? 0;
  if (o.training ?? true) {
    const { mean, variance } = S.channelStats(x, F);
    if (runningMean !== null && runningVar !== null) {
      const n = (x.shape[0] ?? 0) * (x.shape[2] ?? 0) * (x.shape[3] ?? 0);
      if (n < 2) throw new ValueError(`expected more than 1 value per channel when training, got input of shape [${x.shape.join(",")}].`, { op: "batchNorm2d" });
      const m = mean.data, v = variance.data;
      backend().mutate(runningMean.data, (rm) => { for (let c = 0; c < C; c++) rm[c] = (1 - momentum) * (rm[c] as number) + momentum * (m[c] as number); });
      backend().mutate(runningVar.data, (rv) => { for (let c = 0; c < C; c++) rv[c] = (1 - momentum) * (rv[c] as number) + momentum * (v[c] as number) * (n / (n - 1)); });
    }
    return S.batchNormalize(x, mean, variance, weight, bias, eps, F);
  }
  if (runningMean === null || runningVar === null) throw new ValueError("evaluation mode needs the running mean and variance.", { op: "batchNorm2d" });
  const stat = (t: Tensor): Tensor => (isGradEnabled() ? noGrad(() => t.reshape([1, C, 1, 1])) : t.reshape([1, C, 1, 1]));
  return S.batchNormalize(x, stat(runningMean), stat(runningVar), weight, bias, eps, F);
}
