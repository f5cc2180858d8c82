// The convolution's product with its columns built where the GEMM reads them (convGemm), on the
// JavaScript and the WebAssembly kernels, against the convolution written as a direct sum, for
// windows the WebAssembly im2col takes (no padding, horizontal stride 1) and the ones it leaves to
// JavaScript; its transposed form (the weight's gradient) and gemmCol2im (the input's gradient)
// against the same sums.
import { afterAll, describe, expect, it } from "vitest";
import { jsKernels, type Kernels, simdKernels } from "../../src/kernels/index.js";
import type { Window2d } from "../../src/kernels/index.js";
import { Random, setNumThreads, threadsReady } from "../../src/index.js";

interface Case { C: number; H: number; W: number; kh: number; kw: number; s: [number, number]; p: [number, number]; d: [number, number]; images: number; O: number }

const cases: Case[] = [
  { C: 1, H: 28, W: 28, kh: 5, kw: 5, s: [1, 1], p: [0, 0], d: [1, 1], images: 9, O: 8 }, // the CNN's first layer
  { C: 8, H: 12, W: 12, kh: 5, kw: 5, s: [1, 1], p: [0, 0], d: [1, 1], images: 7, O: 16 }, // its second
  { C: 3, H: 11, W: 13, kh: 3, kw: 2, s: [2, 1], p: [0, 0], d: [2, 3], images: 5, O: 5 }, // vertical stride, dilation: still in wasm
  { C: 2, H: 9, W: 10, kh: 3, kw: 3, s: [1, 2], p: [1, 2], d: [1, 1], images: 6, O: 7 }, // padding, horizontal stride: JavaScript im2col
];

function win(c: Case): Window2d {
  const oh = Math.floor((c.H + 2 * c.p[0] - c.d[0] * (c.kh - 1) - 1) / c.s[0]) + 1;
  const ow = Math.floor((c.W + 2 * c.p[1] - c.d[1] * (c.kw - 1) - 1) / c.s[1]) + 1;
  return { kh: c.kh, kw: c.kw, sh: c.s[0], sw: c.s[1], ph: c.p[0], pw: c.p[1], dh: c.d[0], dw: c.d[1], oh, ow };
}

// out[o, n·L + y·ow + x] = Σ_{c,i,j} w[o, c, i, j] · x[n, c, y·sh − ph + i·dh, x·sw − pw + j·dw]
function direct(c: Case, g: Window2d, x: Float64Array, w: Float64Array): Float64Array {
  const L = g.oh * g.ow, out = new Float64Array(c.O * c.images * L);
  for (let o = 0; o < c.O; o++) for (let n = 0; n < c.images; n++) for (let y = 0; y < g.oh; y++) for (let xo = 0; xo < g.ow; xo++) {
    let s = 0;
    for (let ch = 0; ch < c.C; ch++) for (let i = 0; i < c.kh; i++) for (let j = 0; j < c.kw; j++) {
      const iy = y * g.sh - g.ph + i * g.dh, ix = xo * g.sw - g.pw + j * g.dw;
      if (iy < 0 || iy >= c.H || ix < 0 || ix >= c.W) continue;
      s += (w[((o * c.C + ch) * c.kh + i) * c.kw + j] as number) * (x[((n * c.C + ch) * c.H + iy) * c.W + ix] as number);
    }
    out[o * c.images * L + n * L + y * g.ow + xo] = s;
  }
  return out;
}

function weightGrad(c: Case, g: Window2d, x: Float64Array, G: Float64Array): Float64Array {
  const L = g.oh * g.ow, dW = new Float64Array(c.O * c.C * c.kh * c.kw);
  for (let o = 0; o < c.O; o++) for (let ch = 0; ch < c.C; ch++) for (let i = 0; i < c.kh; i++) for (let j = 0; j < c.kw; j++) {
    let s = 0;
    for (let n = 0; n < c.images; n++) for (let y = 0; y < g.oh; y++) for (let xo = 0; xo < g.ow; xo++) {
      const iy = y * g.sh - g.ph + i * g.dh, ix = xo * g.sw - g.pw + j * g.dw;
      if (iy < 0 || iy >= c.H || ix < 0 || ix >= c.W) continue;
      s += (G[o * c.images * L + n * L + y * g.ow + xo] as number) * (x[((n * c.C + ch) * c.H + iy) * c.W + ix] as number);
    }
    dW[((o * c.C + ch) * c.kh + i) * c.kw + j] = s;
  }
  return dW;
}

// dx[n, c, y·sh − ph + i·dh, x·sw − pw + j·dw] += Σ_o w[o, c, i, j] · G[o, n·L + y·ow + x]
function inputGrad(c: Case, g: Window2d, w: Float64Array, G: Float64Array): Float64Array {
  const L = g.oh * g.ow, dx = new Float64Array(c.images * c.C * c.H * c.W);
  for (let n = 0; n < c.images; n++) for (let ch = 0; ch < c.C; ch++) for (let i = 0; i < c.kh; i++) for (let j = 0; j < c.kw; j++) {
    for (let y = 0; y < g.oh; y++) for (let xo = 0; xo < g.ow; xo++) {
      const iy = y * g.sh - g.ph + i * g.dh, ix = xo * g.sw - g.pw + j * g.dw;
      if (iy < 0 || iy >= c.H || ix < 0 || ix >= c.W) continue;
      let s = 0;
      for (let o = 0; o < c.O; o++) s += (w[((o * c.C + ch) * c.kh + i) * c.kw + j] as number) * (G[o * c.images * L + n * L + y * g.ow + xo] as number);
      const at = ((n * c.C + ch) * c.H + iy) * c.W + ix;
      dx[at] = (dx[at] as number) + s;
    }
  }
  return dx;
}

const impls: [string, Kernels][] = [["js", jsKernels], ["wasm-simd", simdKernels ?? jsKernels]];

describe.each(impls)("convGemm (%s)", (_name, k) => {
  for (const dtype of ["float64", "float32"] as const) {
    const make = (n: number, f: (i: number) => number): Float64Array | Float32Array => {
      const a = dtype === "float64" ? new Float64Array(n) : new Float32Array(n);
      for (let i = 0; i < n; i++) a[i] = f(i);
      return a;
    };
    const tol = dtype === "float64" ? 1e-12 : 2e-5;
    it.each(cases.map((c, i) => [i, c] as const))(`${dtype}: case %i equals the direct sum, forward and transposed`, (_i, c) => {
      const g = win(c), L = g.oh * g.ow, kg = c.C * c.kh * c.kw, ml = c.images * L, r = new Random(kg + ml);
      // one extra image in front: the source starts at an offset
      const x = make((c.images + 1) * c.C * c.H * c.W, () => r.normal());
      const w = make(c.O * kg, () => r.normal());
      const x64 = Float64Array.from(x.subarray(c.C * c.H * c.W)), w64 = Float64Array.from(w);
      const src = { x, xOff: c.C * c.H * c.W, xStride: c.C * c.H * c.W, images: c.images, channels: c.C, H: c.H, W: c.W, win: g };
      const want = direct(c, g, x64, w64);
      const out = make(c.O * ml, () => Number.NaN);
      k.convGemm(c.O, w, 0, kg, 1, src, false, out, 0, true);
      want.forEach((v, i) => expect(Math.abs((out[i] as number) - v)).toBeLessThanOrEqual(tol * (1 + Math.abs(v)) * kg));
      // transposed: dW = G colsᵀ, i.e. dW[o, c, i, j] = Σ_{n,y,x} G[o, n·L + y·ow + x] · x[n, c, y·sh − ph + i·dh, x·sw − pw + j·dw]
      const G = make(want.length, (i) => want[i] as number), dW = make(c.O * kg, () => 0);
      k.convGemm(c.O, G, 0, ml, 1, src, true, dW, 0);
      const dW0 = weightGrad(c, g, x64, Float64Array.from(G));
      dW0.forEach((v, i) => expect(Math.abs((dW[i] as number) - v)).toBeLessThanOrEqual(tol * (1 + Math.abs(v)) * ml));
      // input gradient: dx (starting at 1, so the sum is added) += col2im(Wᵀ G)
      const dx = make(x.length, () => 1);
      k.gemmCol2im(c.O, w, 0, 1, kg, G, 0, ml, 1, { ...src, x: dx });
      const dx0 = inputGrad(c, g, w64, Float64Array.from(G));
      for (let i = 0; i < c.C * c.H * c.W; i++) expect(dx[i]).toBe(1); // the image before the source is untouched
      dx0.forEach((v, i) => expect(Math.abs((dx[c.C * c.H * c.W + i] as number) - 1 - v)).toBeLessThanOrEqual(tol * (1 + Math.abs(v)) * c.O * c.kh * c.kw));
    });
  }
});

// The float32 forward product of whole-strip outputs and output rows of whole 8-column panels (both of
// the CNN's layers) writes its columns as the GEMM's packed panels and multiplies them there
// (im2colPanels32, then sgemm): it must give the bits of the columns built first and multiplied by the
// SIMD gemm, on one thread and on two, overwriting C or adding into it.
describe.runIf(simdKernels !== null)("the forward product on packed panels (wasm-simd)", () => {
  const k = simdKernels ?? jsKernels;
  afterAll(() => { setNumThreads(1); });
  // the CNN's two layers; and a group's channels (3 of 6: images further apart, starting past the first
  // group) with vertical stride and dilation in both directions
  const panelCases: [Case, number][] = [[cases[0] as Case, 1], [cases[1] as Case, 1], [{ C: 3, H: 13, W: 19, kh: 3, kw: 2, s: [2, 1], p: [0, 0], d: [2, 3], images: 5, O: 4 }, 2]];
  it.each(panelCases.map(([c, groups], i) => [i, c, groups] as const))("case %i: the bits of im2col, then gemm", async (_i, c, groups) => {
    const g = win(c), L = g.oh * g.ow, kg = c.C * c.kh * c.kw, ml = c.images * L, r = new Random(3 * kg + ml);
    expect(g.ow % 8).toBe(0);
    const image = groups * c.C * c.H * c.W, xOff = (groups - 1) * c.C * c.H * c.W;
    const x = Float32Array.from({ length: c.images * image }, () => r.normal()), w = Float32Array.from({ length: c.O * kg }, () => r.normal());
    const src = { x, xOff, xStride: image, images: c.images, channels: c.C, H: c.H, W: c.W, win: g };
    const cols = new Float32Array(kg * ml);
    for (let n = 0; n < c.images; n++) jsKernels.im2col(x, xOff + n * image, c.C, c.H, c.W, g, cols, n * L, ml);
    const start = (): Float32Array => Float32Array.from({ length: c.O * ml }, (_, i) => (i % 5) - 2);
    const want = new Float32Array(c.O * ml), wantAdd = start();
    k.gemm(c.O, ml, kg, w, 0, kg, 1, cols, 0, ml, 1, want, 0, true);
    k.gemm(c.O, ml, kg, w, 0, kg, 1, cols, 0, ml, 1, wantAdd, 0, false);
    for (const n of [1, 2]) {
      setNumThreads(n);
      await threadsReady();
      const out = new Float32Array(c.O * ml).fill(Number.NaN), added = start();
      k.convGemm(c.O, w, 0, kg, 1, src, false, out, 0, true);
      k.convGemm(c.O, w, 0, kg, 1, src, false, added, 0, false);
      expect(Array.from(out)).toEqual(Array.from(want));
      expect(Array.from(added)).toEqual(Array.from(wantAdd));
    }
  });
});
