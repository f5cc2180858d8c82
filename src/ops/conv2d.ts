// 2-d convolution (cross-correlation, as PyTorch) over NCHW, as im2col + GEMM per image and group,
// and its two adjoints. With T(x, w, g) = ⟨conv2d(x, w), g⟩ trilinear, conv2d = ∂T/∂g,
// conv2dInputGrad(g, w) = ∂T/∂x and conv2dWeightGrad(x, g) = ∂T/∂w, so each op's backward is the
// other two: gradients of any order stay within these three ops.
import { ShapeError } from "../tensor/errors.js";
import { fmt, type Shape, sizeOf } from "../tensor/shape.js";
import { imageCall } from "./notation.js";
import { defineOp, type DefinedOp, type RawTensor } from "./types.js";
import type { Backend } from "../backend/backend.js";
import type { ConvSource, Window2d } from "../kernels/index.js";
import type { Storage } from "../tensor/dtype.js";
import { expectNCHW, type Pair, square, window2d, type WindowAttrs } from "./window.js";

/** Stride, zero padding, dilation and channel groups. */
export interface Conv2dAttrs extends WindowAttrs {
  readonly groups: number;
}

const dim = (s: Shape, i: number): number => s[i] as number;

/** Checks x [N, C, H, W] against w [O, C/groups, kh, kw]. */
function checkConv(op: string, x: Shape, w: Shape, groups: number): void {
  expectNCHW(op, x);
  if (w.length !== 4) throw new ShapeError(`weight must be 4-d [out, in/groups, kh, kw], got ${fmt(w)}.`, { op, shapes: [x, w] });
  const C = dim(x, 1), O = dim(w, 0);
  if (!Number.isInteger(groups) || groups < 1 || C % groups !== 0 || O % groups !== 0) {
    throw new ShapeError(`groups must divide both the ${C} input and the ${O} output channels, got groups=${groups}.`, { op, shapes: [x, w] });
  }
  if (dim(w, 1) * groups !== C) {
    throw new ShapeError(`weight ${fmt(w)} expects ${dim(w, 1) * groups} input channels, got ${C} (input ${fmt(x)}).`, { op, shapes: [x, w], hint: groups > 1 ? `With groups=${groups}, weight axis 1 is C/groups.` : "Weight axis 1 is the number of input channels." });
  }
}

interface Plan { N: number; C: number; H: number; W: number; O: number; groups: number; cg: number; og: number; kg: number; L: number; win: Window2d; chunk: number }

// NOTE: a batch's columns sit side by side ([kg × images·L]) so that each group is one large GEMM;
// images are taken in chunks that keep the kernels' column buffer near 4M numbers.
const COLS = 1 << 22;

function plan(x: Shape, w: Shape, a: Conv2dAttrs, H: number, W: number): Plan {
  const win = window2d("conv2d", H, W, dim(w, 2), dim(w, 3), a);
  const C = dim(w, 1) * a.groups, O = dim(w, 0);
  const kg = (C / a.groups) * dim(w, 2) * dim(w, 3), L = win.oh * win.ow;
  return { N: dim(x, 0), C, H, W, O, groups: a.groups, cg: C / a.groups, og: O / a.groups, kg, L, win, chunk: Math.max(1, Math.floor(COLS / (kg * L))) };
}

/** Runs `body(n0, m)` over chunks of m images starting at n0, with an [O × m·L] buffer. */
function chunks(p: Plan, dtype: RawTensor["dtype"], be: Backend, body: (n0: number, m: number, t: Storage) => void): void {
  const most = Math.min(p.chunk, p.N);
  const t = be.alloc(dtype, p.O * most * p.L);
  for (let n0 = 0; n0 < p.N; n0 += most) {
    const m = Math.min(most, p.N - n0);
    body(n0, m, t.subarray(0, p.O * m * p.L));
  }
  be.free(t);
}

/** Images n0 … n0 + m − 1, group k's channels, as a convolution's GEMM reads them. */
const source = (x: { readonly data: Storage }, p: Plan, n0: number, m: number, k: number): ConvSource => ({
  x: x.data, xOff: (n0 * p.C + k * p.cg) * p.H * p.W, xStride: p.C * p.H * p.W, images: m, channels: p.cg, H: p.H, W: p.W, win: p.win,
});

/** t[o, n·L + l] = g[n0 + n, o, l]: the gradient with images side by side, as the GEMMs read it. */
function gatherImagesSideBySide(g: RawTensor, p: Plan, n0: number, m: number, t: Storage, be: Backend): void {
  be.kernels.gather(g.data, n0 * p.O * p.L, [p.L, p.O * p.L, 1], [p.O, m, p.L], t);
}

// NOTE: the printed parameters are the expression language's: `lead` (the kernel or image size a
// gradient op cannot infer), then stride, padding, dilation and groups with trailing defaults dropped.
const notationOf = (name: string, a: Conv2dAttrs, lead: readonly number[] = []) => {
  const sq = a.stride[0] === a.stride[1] && a.padding[0] === a.padding[1] && a.dilation[0] === a.dilation[1];
  const all = [a.stride[0], a.padding[0], a.dilation[0], a.groups];
  const defaults = [1, 0, 1, 1];
  let n = all.length;
  while (n > 0 && all[n - 1] === defaults[n - 1]) n--;
  return imageCall(name, [...lead, ...(sq ? all.slice(0, n) : all)]);
};

/** Attributes from the expression language's trailing numbers: stride, padding, dilation, groups. */
const callAttrs = ([s = 1, p = 0, d = 1, g = 1]: readonly number[]): Conv2dAttrs => ({ ...square(s, p, d), groups: g });

/** out[n, o] = Σ_c Σ_ij w[o, c, i, j] · x[n, c, y·s − p + i·d, …]: im2col, then one GEMM per group. */
function convForward(x: RawTensor, w: RawTensor, a: Conv2dAttrs, outShape: Shape, be: Backend): Storage {
  const p = plan(x.shape, w.shape, a, dim(x.shape, 2), dim(x.shape, 3));
  const out = be.alloc(x.dtype, sizeOf(outShape));
  chunks(p, x.dtype, be, (n0, m, t) => {
    const ml = m * p.L;
    // t_k = W_k cols_k: [og × kg] · [kg × m·L]
    for (let k = 0; k < p.groups; k++) be.kernels.convGemm(p.og, w.data, k * p.og * p.kg, p.kg, 1, source(x, p, n0, m, k), false, t, k * p.og * ml, true);
    // out[n0 + n, o, l] = t[o, n·L + l]
    be.kernels.gather(t, 0, [p.L, ml, 1], [m, p.O, p.L], out.subarray(n0 * p.O * p.L));
  });
  return out;
}

export const conv2d: DefinedOp<Conv2dAttrs> = defineOp<Conv2dAttrs, 2>({
  name: "conv2d",
  arity: 2,
  notation: (a) => notationOf("conv2d", a),
  call: { name: "conv2d", numbers: [0, 4], attrs: callAttrs },
  shape([x, w], a) {
    checkConv("conv2d", x.shape, w.shape, a.groups);
    const win = window2d("conv2d", dim(x.shape, 2), dim(x.shape, 3), dim(w.shape, 2), dim(w.shape, 3), a);
    return [dim(x.shape, 0), dim(w.shape, 0), win.oh, win.ow];
  },
  forward: ([x, w], a, outShape, be) => convForward(x, w, a, outShape, be),
  // ∂⟨conv(x, w), g⟩/∂x = conv2dInputGrad(g, w), ∂/∂w = conv2dWeightGrad(x, g)
  backward(g, { inputs: [x, w], attrs, needs }, F) {
    const size: Pair = [dim(x.shape, 2), dim(x.shape, 3)], kernel: Pair = [dim(w.shape, 2), dim(w.shape, 3)];
    return [
      needs[0] ? F.apply(conv2dInputGrad, [g, w], { ...attrs, size }) : null,
      needs[1] ? F.apply(conv2dWeightGrad, [x, g], { ...attrs, kernel }) : null,
    ];
  },
  samples: [
    { shapes: [[2, 2, 4, 4], [3, 2, 3, 3]], attrs: { ...square(1, 1, 1), groups: 1 } },
    { shapes: [[1, 4, 5, 5], [4, 2, 2, 2]], attrs: { ...square(2, 0, 1), groups: 2 } },
    { shapes: [[1, 1, 6, 5], [2, 1, 2, 3]], attrs: { stride: [2, 1], padding: [1, 0], dilation: [2, 1], groups: 1 } },
  ],
});

/** The input's gradient of a convolution (a transposed convolution): g [N, O, oh, ow], w → [N, C, H, W]. */
export const conv2dInputGrad: DefinedOp<Conv2dAttrs & { readonly size: Pair }> = defineOp<Conv2dAttrs & { readonly size: Pair }, 2>({
  name: "conv2dInputGrad",
  arity: 2,
  notation: (a) => notationOf("conv2d_input_grad", a, a.size),
  // conv2d_input_grad(g, w, H, W, stride, padding, dilation, groups)
  call: { name: "conv2d_input_grad", numbers: [2, 6], attrs: ([h = 0, w = 0, ...rest]) => ({ ...callAttrs(rest), size: [h, w] }) },
  shape([g, w], a) {
    const [H, W] = a.size;
    const x = [dim(g.shape, 0), dim(w.shape, 1) * a.groups, H, W];
    checkConv("conv2dInputGrad", x, w.shape, a.groups);
    const win = window2d("conv2dInputGrad", H, W, dim(w.shape, 2), dim(w.shape, 3), a);
    if (fmt(g.shape) !== fmt([dim(x, 0), dim(w.shape, 0), win.oh, win.ow])) throw new ShapeError(`gradOut must be ${fmt([dim(x, 0), dim(w.shape, 0), win.oh, win.ow])}, got ${fmt(g.shape)}.`, { op: "conv2dInputGrad" });
    return x;
  },
  forward([g, w], a, outShape, be) {
    const p = plan(outShape, w.shape, a, a.size[0], a.size[1]);
    const dx = be.alloc(g.dtype, sizeOf(outShape));
    chunks(p, g.dtype, be, (n0, m, t) => {
      const ml = m * p.L;
      gatherImagesSideBySide(g, p, n0, m, t, be);
      // dx_k += col2im(W_kᵀ g_k): [kg × og] · [og × m·L], each image's columns summed back
      for (let k = 0; k < p.groups; k++) be.kernels.gemmCol2im(p.og, w.data, k * p.og * p.kg, 1, p.kg, t, k * p.og * ml, ml, 1, source({ data: dx }, p, n0, m, k));
    });
    return dx;
  },
  // ⟨conv2dInputGrad(g, w), u⟩ = ⟨conv(u, w), g⟩: ∂/∂g = conv2d(u, w), ∂/∂w = conv2dWeightGrad(u, g)
  backward(u, { inputs: [g, w], attrs: { size: _size, ...attrs }, needs }, F) {
    return [
      needs[0] ? F.apply(conv2d, [u, w], attrs) : null,
      needs[1] ? F.apply(conv2dWeightGrad, [u, g], { ...attrs, kernel: [dim(w.shape, 2), dim(w.shape, 3)] }) : null,
    ];
  },
  samples: [
    { shapes: [[2, 3, 4, 4], [3, 2, 3, 3]], attrs: { ...square(1, 1, 1), groups: 1, size: [4, 4] } },
    { shapes: [[1, 4, 2, 2], [4, 2, 2, 2]], attrs: { ...square(2, 0, 1), groups: 2, size: [5, 5] } },
  ],
});

/** The weight's gradient of a convolution: x [N, C, H, W], g [N, O, oh, ow] → [O, C/groups, kh, kw]. */
export const conv2dWeightGrad: DefinedOp<Conv2dAttrs & { readonly kernel: Pair }> = defineOp<Conv2dAttrs & { readonly kernel: Pair }, 2>({
  name: "conv2dWeightGrad",
  arity: 2,
  notation: (a) => notationOf("conv2d_weight_grad", a, a.kernel),
  // conv2d_weight_grad(x, g, kh, kw, stride, padding, dilation, groups)
  call: { name: "conv2d_weight_grad", numbers: [2, 6], attrs: ([kh = 0, kw = 0, ...rest]) => ({ ...callAttrs(rest), kernel: [kh, kw] }) },
  shape([x, g], a) {
    expectNCHW("conv2dWeightGrad", x.shape);
    const w = [dim(g.shape, 1), dim(x.shape, 1) / a.groups, a.kernel[0], a.kernel[1]];
    checkConv("conv2dWeightGrad", x.shape, w, a.groups);
    const win = window2d("conv2dWeightGrad", dim(x.shape, 2), dim(x.shape, 3), a.kernel[0], a.kernel[1], a);
    if (fmt(g.shape) !== fmt([dim(x.shape, 0), dim(w, 0), win.oh, win.ow])) throw new ShapeError(`gradOut must be ${fmt([dim(x.shape, 0), dim(w, 0), win.oh, win.ow])}, got ${fmt(g.shape)}.`, { op: "conv2dWeightGrad" });
    return w;
  },
  forward([x, g], a, outShape, be) {
    const p = plan(x.shape, outShape, a, dim(x.shape, 2), dim(x.shape, 3));
    const dw = be.alloc(x.dtype, sizeOf(outShape));
    chunks(p, x.dtype, be, (n0, m, t) => {
      const ml = m * p.L;
      gatherImagesSideBySide(g, p, n0, m, t, be);
      // dW_k += g_k colsᵀ: [og × m·L] · [m·L × kg]
      for (let k = 0; k < p.groups; k++) be.kernels.convGemm(p.og, t, k * p.og * ml, ml, 1, source(x, p, n0, m, k), true, dw, k * p.og * p.kg);
    });
    return dw;
  },
  // ⟨conv2dWeightGrad(x, g), v⟩ = ⟨conv(x, v), g⟩: ∂/∂x = conv2dInputGrad(g, v), ∂/∂g = conv2d(x, v)
  backward(v, { inputs: [x, g], attrs: { kernel: _kernel, ...attrs }, needs }, F) {
    return [
      needs[0] ? F.apply(conv2dInputGrad, [g, v], { ...attrs, size: [dim(x.shape, 2), dim(x.shape, 3)] }) : null,
      needs[1] ? F.apply(conv2d, [x, v], attrs) : null,
    ];
  },
  samples: [
    { shapes: [[2, 2, 4, 4], [2, 3, 4, 4]], attrs: { ...square(1, 1, 1), groups: 1, kernel: [3, 3] } },
    { shapes: [[1, 4, 5, 5], [1, 4, 2, 2]], attrs: { ...square(2, 0, 1), groups: 2, kernel: [2, 2] } },
  ],
});
