// Drives the WebAssembly elementwise loops (elementwise-kernel.ts) for large arrays: the operands are
// copied into linear memory, the whole vectors done there, the last few numbers by the JavaScript
// loop, the result copied back. Every other case goes to the JavaScript kernels, which give the same numbers.
import type { Storage } from "../../tensor/dtype.js";
import { broadcastStrides } from "../../tensor/shape.js";
import { binary as jsBinary, merged, NO_PARAMS, select as jsSelect, unary as jsUnary } from "../elementwise.js";
import { reduceAxis as jsReduceAxis } from "../reduce.js";
import type { WasmRuntime } from "./runtime.js";

type Fn = (...args: number[]) => void;

// Below this many numbers the copies cost more than the JavaScript loop.
const SMALL = 4096;

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** unary, binary and select with their largest cases on a runtime's instance. */
export function createWasmElementwise(rt: WasmRuntime): { unary: typeof jsUnary; binary: typeof jsBinary; select: typeof jsSelect; reduceAxis: typeof jsReduceAxis } {
  const ex = rt.exports;
  const fn = (name: string): Fn => ex[name] as Fn;
  const fns = {
    relu: [fn("relu32"), fn("relu64")], select: [fn("selectConst32"), fn("selectConst64")], add: [fn("add32"), fn("add64")],
    addRows: [fn("addRows32"), fn("addRows64")], gt: [fn("gtConst32"), fn("gtConst64")], colSum: [fn("colSum32"), fn("colSum64")],
    addCols: [fn("addCols32"), fn("addCols64")],
  };
  // Copies the operands in (at 16-byte boundaries after the scratch base) unless resident (runtime.ts: read
  // where they are), returns their byte addresses and the first free byte after them.
  const place = (view: Storage, es: number, n: number, ...xs: Storage[]): number[] => {
    const at: number[] = [];
    let next = rt.base;
    for (const x of xs) {
      const r = rt.residentAt(x);
      if (r >= 0) {
        at.push(r);
        continue;
      }
      at.push(next);
      view.set(x.subarray(0, n), next / es);
      next = align(next + n * es);
    }
    at.push(next);
    return at;
  };
  // The output's address: itself when resident, else `free` (then copied out by `back`).
  const outAt = (out: Storage, free: number): number => {
    const r = rt.residentAt(out);
    return r >= 0 ? r : free;
  };
  const back = (out: Storage, view: Storage, es: number, oAt: number, done: number): void => {
    if (rt.residentAt(out) < 0) out.set(view.subarray(oAt / es, oAt / es + done));
  };
  const same = (f64: boolean, ...xs: Storage[]): boolean => xs.every((x) => (x instanceof Float64Array) === f64);
  // runs the vectors in wasm, copies them out and returns how many numbers were done
  const vectors = (f64: boolean, n: number, need: number): { es: number; view: Storage; done: number } => {
    const es = f64 ? 8 : 4;
    rt.ensure(rt.base + need * align(n * es) + 16);
    return { es, view: f64 ? rt.f64 : rt.f32, done: n - (n % (16 / es)) };
  };

  const unary: typeof jsUnary = (op, x, out, params = NO_PARAMS) => {
    const n = out.length, f64 = out instanceof Float64Array;
    if (op !== "relu" || n < SMALL || x.length !== n || !same(f64, x)) return jsUnary(op, x, out, params);
    const { es, view, done } = vectors(f64, n, 2);
    const [xAt, free] = place(view, es, n, x) as [number, number];
    const oAt = outAt(out, free);
    (fns.relu[f64 ? 1 : 0] as Fn)(xAt, oAt, (done * es) / 16);
    back(out, view, es, oAt, done);
    if (done < n) jsUnary(op, x.subarray(done), out.subarray(done), params);
  };

  const select: typeof jsSelect = (cond, a, b, out) => {
    const n = out.length, f64 = out instanceof Float64Array;
    if (n < SMALL || b.length !== 1 || cond.length !== n || a.length !== n || !same(f64, cond, a, b)) return jsSelect(cond, a, b, out);
    const { es, view, done } = vectors(f64, n, 3);
    // b's vector right after a, then the output
    const [cAt, aAt, bAt] = place(view, es, n, cond, a) as [number, number, number];
    view.fill(b[0] as number, bAt / es, bAt / es + 16 / es);
    const oAt = outAt(out, bAt + 16);
    (fns.select[f64 ? 1 : 0] as Fn)(cAt, aAt, bAt, oAt, (done * es) / 16);
    back(out, view, es, oAt, done);
    if (done < n) jsSelect(cond.subarray(done), a.subarray(done), b, out.subarray(done));
  };

  // a + b with a whole and b one number per row of whole vectors (after merging axes): the b of each row, or null
  const rowBias = (aShape: readonly number[], b: Storage, bShape: readonly number[], outShape: readonly number[], lanes: number): { rows: number; row: number; bvals: number[] } | null => {
    const [shape, sa, sb] = merged(outShape, broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape));
    const nd = shape.length, row = shape[nd - 1] as number;
    if (nd < 2 || sa[nd - 1] !== 1 || sb[nd - 1] !== 0 || row % lanes !== 0) return null;
    const rows = shape.slice(0, -1).reduce((x, y) => x * y, 1), bvals = new Array<number>(rows);
    for (let r = 0; r < rows; r++) {
      let rest = r, ib = 0;
      for (let d = nd - 2; d >= 0; d--) {
        const size = shape[d] as number;
        ib += (rest % size) * (sb[d] as number);
        rest = Math.floor(rest / size);
      }
      bvals[r] = b[ib] as number;
    }
    return { rows, row, bvals };
  };

  // a + b with a whole and b one row repeated down it (a Linear layer's bias over a batch): the whole
  // vectors of each row by `add`, b placed once; false (nothing done) for any other layout
  const columnBias = (f64: boolean, a: Storage, aShape: readonly number[], b: Storage, bShape: readonly number[], out: Storage, outShape: readonly number[]): boolean => {
    const [shape, sa, sb] = merged(outShape, broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape));
    const es = f64 ? 8 : 4, row = shape[1] as number, n = out.length;
    if (shape.length !== 2 || sa[0] !== row || sa[1] !== 1 || sb[0] !== 0 || sb[1] !== 1 || (row * es) % 16 !== 0) return false;
    rt.ensure(rt.base + 2 * align(n * es) + align(row * es));
    const view: Storage = f64 ? rt.f64 : rt.f32;
    const [aAt, bAt] = place(view, es, n, a) as [number, number];
    view.set(b.subarray(0, row), bAt / es);
    const o = outAt(out, align(bAt + row * es));
    (fns.addCols[f64 ? 1 : 0] as Fn)(aAt, bAt, o, n / row, (row * es) / 16);
    back(out, view, es, o, n);
    return true;
  };

  // NOTE: small enough for V8 to inline where ops call it, so a homework-sized op goes straight to the JavaScript loop
  const binary: typeof jsBinary = (op, a, aShape, b, bShape, out, outShape) => {
    if (out.length < SMALL) jsBinary(op, a, aShape, b, bShape, out, outShape);
    else largeBinary(op, a, aShape, b, bShape, out, outShape);
  };

  const largeBinary: typeof jsBinary = (op, a, aShape, b, bShape, out, outShape) => {
    const n = out.length, f64 = out instanceof Float64Array;
    if (op === "gt" && n >= SMALL && a.length === n && b.length === 1 && same(f64, a, b)) {
      const { es, view, done } = vectors(f64, n, 3); // a, b's and the ones' vectors (32 bytes), the output
      // b's vector and a vector of ones right after a, then the output
      const [aAt, bAt] = place(view, es, n, a) as [number, number];
      view.fill(b[0] as number, bAt / es, bAt / es + 16 / es);
      view.fill(1, bAt / es + 16 / es, bAt / es + 32 / es);
      const oAt = outAt(out, bAt + 32);
      (fns.gt[f64 ? 1 : 0] as Fn)(aAt, bAt, oAt, (done * es) / 16);
      back(out, view, es, oAt, done);
      if (done < n) jsBinary(op, a.subarray(done), [n - done], b, [], out.subarray(done), [n - done]);
      return;
    }
    if (op === "add" && n >= SMALL && a.length === n && b.length < n && same(f64, a, b)) {
      const bias = rowBias(aShape, b, bShape, outShape, f64 ? 2 : 4);
      if (bias !== null) {
        const es = f64 ? 8 : 4;
        rt.ensure(rt.base + 2 * align(n * es) + bias.rows * es);
        const view: Storage = f64 ? rt.f64 : rt.f32;
        const [aAt, free] = place(view, es, n, a) as [number, number], bAt = align(free + n * es), oAt = outAt(out, free);
        view.set(bias.bvals, bAt / es);
        (fns.addRows[f64 ? 1 : 0] as Fn)(aAt, oAt, bias.rows, (bias.row * es) / 16, bAt);
        back(out, view, es, oAt, n);
        return;
      }
    }
    if (op === "add" && n >= SMALL && a.length === n && b.length < n && same(f64, a, b) && columnBias(f64, a, aShape, b, bShape, out, outShape)) return;
    if (op !== "add" || n < SMALL || a.length !== n || b.length !== n || !same(f64, a, b)) return jsBinary(op, a, aShape, b, bShape, out, outShape);
    const { es, view, done } = vectors(f64, n, 3);
    const [aAt, bAt, free] = place(view, es, n, a, b) as [number, number, number];
    const oAt = outAt(out, free);
    (fns.add[f64 ? 1 : 0] as Fn)(aAt, bAt, oAt, (done * es) / 16);
    back(out, view, es, oAt, done);
    if (done < n) jsBinary(op, a.subarray(done), [n - done], b.subarray(done), [n - done], out.subarray(done), [n - done]);
  };

  // sums over an axis with something after it (a bias's gradient: the column sums of [batch, features]):
  // float64 sums of column pairs in WebAssembly, in row order; an odd last column by the same loop in
  // JavaScript. The same numbers as kernels/reduce.ts bit for bit.
  const reduceAxis: typeof jsReduceAxis = (op, x, outer, n, inner, out) => {
    const f64 = x instanceof Float64Array;
    if (op !== "sum" || inner < 2 || outer * n * inner < SMALL || (out instanceof Float64Array) !== f64) return jsReduceAxis(op, x, outer, n, inner, out);
    const es = f64 ? 8 : 4, pairs = inner >> 1, block = n * inner;
    const accAt = align(rt.base), xAt = align(accAt + pairs * 16);
    rt.ensure(xAt + block * es);
    const view: Storage = f64 ? rt.f64 : rt.f32, colSum = fns.colSum[f64 ? 1 : 0] as Fn;
    const xIn = rt.residentAt(x);
    for (let o = 0; o < outer; o++) {
      if (xIn < 0) view.set(x.subarray(o * block, (o + 1) * block), xAt / es);
      rt.f64.fill(0, accAt / 8, accAt / 8 + 2 * pairs);
      colSum(xIn < 0 ? xAt : xIn + o * block * es, accAt, n, pairs, inner * es);
      out.set(rt.f64.subarray(accAt / 8, accAt / 8 + 2 * pairs), o * inner);
      if (inner % 2 === 1) {
        let s = 0;
        for (let j = 0, at = o * block + inner - 1; j < n; j++, at += inner) s += x[at] as number;
        out[o * inner + inner - 1] = s;
      }
    }
  };

  return { unary, binary, select, reduceAxis };
}
