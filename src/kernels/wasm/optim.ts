// Drives the SIMD SGD update: copies the parameter and its gradient into linear memory, updates
// there, copies the parameter back; a resident parameter (runtime.ts) is updated in place. Momentum, weight decay and small parameters stay on the
// JavaScript loop (kernels/optim.ts), which gives the same numbers.
import type { Storage } from "../../tensor/dtype.js";
import { sgd as jsSgd } from "../optim.js";
import type { WasmRuntime } from "./runtime.js";

type SgdFn = (p: number, g: number, pairs: number, lr: number, tail: number) => void;

// Below this many numbers the copies cost more than the JavaScript loop.
const SMALL = 4096;

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** The SGD kernel on a runtime's instance. */
export function createWasmSgd(rt: WasmRuntime): typeof jsSgd {
  const fns = { f32: rt.exports.sgd32 as SgdFn, f64: rt.exports.sgd64 as SgdFn };
  return function wasmSgd(p, g, o, buf, fresh) {
    const f64 = p instanceof Float64Array;
    const n = p.length;
    if (buf !== null || o.weightDecay !== 0 || n < SMALL || (g instanceof Float64Array) !== f64 || g.length !== n) return jsSgd(p, g, o, buf, fresh);
    const es = f64 ? 8 : 4;
    const pIn = rt.residentAt(p), gIn = rt.residentAt(g);
    if (pIn >= 0) { // a resident parameter is updated where it is (its gradient copied in unless resident too)
      const lrAt = rt.base, gAt = gIn >= 0 ? gIn : lrAt + 16;
      rt.ensure(lrAt + 16 + (gIn >= 0 ? 0 : n * es));
      if (gIn < 0) (f64 ? rt.f64 : rt.f32).set(g, gAt / es);
      rt.f64[lrAt / 8] = o.lr;
      (f64 ? fns.f64 : fns.f32)(pIn, gAt, n >> 1, lrAt, n & 1);
      return;
    }
    const lrAt = rt.base, pAt = rt.base + 16, gAt = align(pAt + n * es);
    rt.ensure(gAt + n * es);
    const view: Storage = f64 ? rt.f64 : rt.f32;
    view.set(p, pAt / es);
    view.set(g, gAt / es);
    rt.f64[lrAt / 8] = o.lr;
    (f64 ? fns.f64 : fns.f32)(pAt, gAt, n >> 1, lrAt, n & 1);
    p.set(view.subarray(pAt / es, pAt / es + n));
  };
}
