// The WebAssembly elementwise loops (ReLU, its mask a > b and selection with one number, addition,
// a bias added over rows or repeated down them) give the JavaScript kernels' numbers bit for bit, special values included
// (NaN, ±0, ±∞), for both dtypes and lengths that leave a few numbers to the JavaScript tail; and
// each against its definition.
import { describe, expect, it } from "vitest";
import { jsKernels, simdKernels } from "../../src/kernels/index.js";
import { Random } from "../../src/index.js";

const wasm = simdKernels ?? jsKernels;
const specials = [Number.NaN, 0, -0, Infinity, -Infinity, 1e-40, -1e-310, 3.5];

function data(f64: boolean, n: number, seed: number): Float64Array | Float32Array {
  const r = new Random(seed), a = f64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = r.uniform() < 0.1 ? (specials[i % specials.length] as number) : r.normal();
  return a;
}
const same = (x: ArrayLike<number>, y: ArrayLike<number>): boolean => Array.from(x).every((v, i) => Object.is(v, y[i]));

describe.each([true, false])("elementwise parity (float64: %s)", (f64) => {
  const make = (n: number): Float64Array | Float32Array => (f64 ? new Float64Array(n) : new Float32Array(n));
  for (const n of [5000, 4099, 8193]) {
    it(`relu, n = ${n}`, () => {
      const x = data(f64, n, n), a = make(n), b = make(n);
      jsKernels.unary("relu", x, a);
      wasm.unary("relu", x, b);
      expect(same(a, b)).toBe(true);
      x.forEach((v, i) => expect(Object.is(b[i], v < 0 ? 0 : v)).toBe(true)); // PyTorch: NaN and −0 pass through
    });
    it(`select with one 'else' number, n = ${n}`, () => {
      const c = data(f64, n, n + 1).map((v) => (v > 0 ? 1 : Number.isNaN(v) ? Number.NaN : 0)), a = data(f64, n, n + 2);
      for (const e of [0, -0, Number.NaN, 2.5]) {
        const b = make(1).fill(e), o1 = make(n), o2 = make(n);
        jsKernels.select(c, a, b, o1);
        wasm.select(c, a, b, o2);
        expect(same(o1, o2)).toBe(true);
        c.forEach((v, i) => expect(Object.is(o2[i], v !== 0 ? a[i] : b[0])).toBe(true));
      }
    });
    it(`a > one number, n = ${n}`, () => {
      const a = data(f64, n, n + 5);
      for (const e of [0, -0, 0.5, Number.NaN, -Infinity]) {
        const b = make(1).fill(e), o1 = make(n), o2 = make(n);
        jsKernels.binary("gt", a, [n], b, [], o1, [n]);
        wasm.binary("gt", a, [n], b, [], o2, [n]);
        expect(same(o1, o2)).toBe(true);
        a.forEach((v, i) => expect(o2[i]).toBe(v > e ? 1 : 0));
      }
    });
    it(`add, n = ${n}`, () => {
      const a = data(f64, n, n + 3), b = data(f64, n, n + 4), o1 = make(n), o2 = make(n);
      jsKernels.binary("add", a, [n], b, [n], o1, [n]);
      wasm.binary("add", a, [n], b, [n], o2, [n]);
      expect(same(o1, o2)).toBe(true);
    });
  }
});

describe.each([true, false])("a + a bias broadcast over rows (float64: %s)", (f64) => {
  it.each([
    [[3, 8, 24, 24], [8, 1, 1]],
    [[5, 16, 8, 8], [1, 16, 1, 1]],
    [[4, 16, 64], [16, 1]],
    [[64, 8, 5, 5], [8, 1, 1]], // rows of 25: not whole vectors, JavaScript
    [[2, 4, 33, 32], [4, 33, 1]],
    [[64, 256], [256]], // a Linear layer's bias over a batch: one row repeated down a
    [[16, 4, 64], [4, 64]], // the same after merging the last two axes
    [[100, 250], [250]], // rows of 250: whole vectors in float64 only
  ])("%j + %j", (aShape, bShape) => {
    const n = aShape.reduce((x, y) => x * y, 1), m = bShape.reduce((x, y) => x * y, 1);
    const a = data(f64, n, n), b = data(f64, m, m + 1);
    const o1 = f64 ? new Float64Array(n) : new Float32Array(n), o2 = f64 ? new Float64Array(n) : new Float32Array(n);
    jsKernels.binary("add", a, aShape, b, bShape, o1, aShape);
    wasm.binary("add", a, aShape, b, bShape, o2, aShape);
    expect(same(o1, o2)).toBe(true);
    // against the definition: b's element for each of a's, by broadcasting's index rule
    const strides = bShape.map((_, d) => bShape.slice(d + 1).reduce((x, y) => x * y, 1));
    for (let i = 0; i < n; i += 97) {
      let rest = i, ib = 0;
      for (let d = aShape.length - 1; d >= 0; d--) {
        const size = aShape[d] as number, k = rest % size, bd = d - (aShape.length - bShape.length);
        if (bd >= 0 && (bShape[bd] as number) !== 1) ib += k * (strides[bd] as number);
        rest = Math.floor(rest / size);
      }
      const want = f64 ? (a[i] as number) + (b[ib] as number) : Math.fround((a[i] as number) + (b[ib] as number));
      expect(Object.is(o2[i], want)).toBe(true);
    }
  });
});

describe.each([true, false])("sums over an axis with columns after it (float64: %s)", (f64) => {
  // [outer, n, inner]: a bias's gradient over a batch (outer 1), an odd last column, several outer blocks
  it.each([[1, 64, 256], [1, 100, 41], [3, 50, 30], [2, 4096, 2]])("[%i, %i, %i]", (outer, n, inner) => {
    const size = outer * n * inner;
    const x = data(f64, size, size), o1 = f64 ? new Float64Array(outer * inner) : new Float32Array(outer * inner);
    const o2 = f64 ? new Float64Array(outer * inner) : new Float32Array(outer * inner);
    jsKernels.reduceAxis("sum", x, outer, n, inner, o1);
    wasm.reduceAxis("sum", x, outer, n, inner, o2);
    expect(same(o1, o2)).toBe(true);
    // against a hand formula: x[o, j, i] = (j mod 7) − 3 + i + o sums exactly to Σ_j ((j mod 7) − 3) + n·(i + o)
    const y = f64 ? new Float64Array(size) : new Float32Array(size);
    for (let o = 0; o < outer; o++) for (let j = 0; j < n; j++) for (let i = 0; i < inner; i++) y[(o * n + j) * inner + i] = (j % 7) - 3 + i + o;
    let base = 0;
    for (let j = 0; j < n; j++) base += (j % 7) - 3;
    wasm.reduceAxis("sum", y, outer, n, inner, o2);
    for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) expect(o2[o * inner + i]).toBe(base + n * (i + o));
  });
});
