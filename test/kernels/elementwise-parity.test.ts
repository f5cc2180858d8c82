// The WebAssembly elementwise loops (ReLU, the selection with one 'else' number, addition) give the
// JavaScript kernels' numbers bit for bit, special values included (NaN, ±0, ±∞), for both dtypes
// and lengths that leave a few numbers to the JavaScript tail; and ReLU against its definition.
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
      x.forEach((v, i) => expect(Object.is(b[i], v > 0 ? v : 0)).toBe(true));
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
    it(`add, n = ${n}`, () => {
      const a = data(f64, n, n + 3), b = data(f64, n, n + 4), o1 = make(n), o2 = make(n);
      jsKernels.binary("add", a, [n], b, [n], o1, [n]);
      wasm.binary("add", a, [n], b, [n], o2, [n]);
      expect(same(o1, o2)).toBe(true);
    });
  }
});
