// Max pooling's kernels against the rule written plainly: each window's first maximum in row-major
// order, a NaN winning at once, padding never chosen (PyTorch's rule). Values are drawn from a few
// integers, −∞ and NaN, so ties, all −∞ windows and NaN are common; windows with and without padding,
// overlapping and not, dilated; few planes (JavaScript) and many (WebAssembly where it applies).
import { describe, expect, it } from "vitest";
import { jsKernels, simdKernels, type Window2d } from "../../src/kernels/index.js";
import { Random } from "../../src/index.js";

function win(H: number, W: number, k: number, s: number, p: number, d: number): Window2d {
  const o = (n: number): number => Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
  return { kh: k, kw: k, sh: s, sw: s, ph: p, pw: p, dh: d, dw: d, oh: o(H), ow: o(W) };
}

function firstMax(x: Float64Array, plane: number, H: number, W: number, g: Window2d, y: number, xo: number): number {
  let at = -1;
  for (let i = 0; i < g.kh; i++) for (let j = 0; j < g.kw; j++) {
    const iy = y * g.sh - g.ph + i * g.dh, ix = xo * g.sw - g.pw + j * g.dw;
    if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
    const k = plane + iy * W + ix, v = x[k] as number;
    if (Number.isNaN(v)) return k;
    if (at < 0 || v > (x[at] as number)) at = k;
  }
  return at;
}

const windows: [string, number, number, number, number][] = [["2×2 stride 2", 2, 2, 0, 1], ["3×3 stride 2 (overlapping)", 3, 2, 0, 1], ["3×3 stride 1 padding 1", 3, 1, 1, 1], ["2×2 dilation 2", 2, 1, 0, 2]];

describe.each([["js", jsKernels], ["wasm-simd", simdKernels ?? jsKernels]] as const)("max pooling (%s)", (_name, k) => {
  it.each(windows.flatMap(([name, ...w]) => [[name, 3, ...w], [name, 150, ...w]] as const))("%s, %i planes: forward, scatter and gather route to the first maximum", (_w, planes, size, stride, pad, dil) => {
    const H = 9, W = 8, g = win(H, W, size, stride, pad, dil), r = new Random(size * 10 + stride);
    const pick = [0, 1, 2, -Infinity, Number.NaN, 1, 2, 0];
    for (const f64 of [true, false]) {
      const make = (n: number, f: (i: number) => number): Float64Array | Float32Array => {
        const a = f64 ? new Float64Array(n) : new Float32Array(n);
        for (let i = 0; i < n; i++) a[i] = f(i);
        return a;
      };
      const x = make(planes * H * W, () => pick[Math.floor(r.uniform() * 8)] as number);
      const x64 = Float64Array.from(x), n = planes * g.oh * g.ow;
      const want = new Int32Array(n);
      for (let p = 0, o = 0; p < planes; p++) for (let y = 0; y < g.oh; y++) for (let xo = 0; xo < g.ow; xo++, o++) want[o] = firstMax(x64, p * H * W, H, W, g, y, xo);
      const out = make(n, () => 0);
      k.maxPool2d(x, planes, H, W, g, out);
      want.forEach((at, o) => expect(Object.is(out[o], x[at])).toBe(true));
      // scatter a distinct gradient per window, gather a distinct value per input
      const gOut = make(n, (o) => o + 1), dx = make(x.length, () => 0);
      k.maxPool2dScatter(x, gOut, planes, H, W, g, dx);
      const dx0 = new Float64Array(x.length);
      want.forEach((at, o) => { dx0[at] = (dx0[at] as number) + o + 1; });
      expect(Array.from(dx)).toEqual(Array.from(dx0));
      const v = make(x.length, (i) => i * 0.5), gathered = make(n, () => 0);
      k.maxPool2dGather(x, v, planes, H, W, g, gathered);
      expect(Array.from(gathered)).toEqual(Array.from(want, (at) => at * 0.5));
    }
  });
});

describe.each([["js", jsKernels], ["wasm-simd", simdKernels ?? jsKernels]] as const)("max pooling's scatter (%s)", (_name, k) => {
  it("adds into dx as it is, window after window (overlapping windows, many planes)", () => {
    const planes = 120, H = 9, W = 8, g = win(H, W, 3, 2, 0, 1), r = new Random(11);
    for (const f64 of [true, false]) {
      const make = (n: number, f: (i: number) => number): Float64Array | Float32Array => {
        const a = f64 ? new Float64Array(n) : new Float32Array(n);
        for (let i = 0; i < n; i++) a[i] = f(i);
        return a;
      };
      const x = make(planes * H * W, () => Math.floor(r.uniform() * 5)), x64 = Float64Array.from(x), n = planes * g.oh * g.ow;
      const gOut = make(n, (o) => (o % 13) - 6.5), dx = make(x.length, (i) => (i % 7) * 0.25 - 0.5);
      const want = Float64Array.from(dx);
      for (let p = 0, o = 0; p < planes; p++) for (let y = 0; y < g.oh; y++) for (let xo = 0; xo < g.ow; xo++, o++) {
        const at = firstMax(x64, p * H * W, H, W, g, y, xo);
        want[at] = (want[at] as number) + (gOut[o] as number); // small multiples of 0.25: exact in both dtypes
      }
      k.maxPool2dScatter(x, gOut, planes, H, W, g, dx);
      expect(Array.from(dx)).toEqual(Array.from(want));
    }
  });
});
