// Drives the SIMD SGD update: copies the parameter and its gradient into linear memory, updates
// there, copies the parameter back; a resident parameter (runtime.ts) is updated in place, and a
// large one split between threads (whole pairs of numbers each: every number is updated by one
// thread with the same arithmetic, so the bits do not depend on the split). Momentum, weight decay
// and small parameters stay on the JavaScript loop (kernels/optim.ts), which gives the same numbers.
import type { Storage } from "../../tensor/dtype.js";
import { sgd as jsSgd } from "../optim.js";
import type { WasmRuntime } from "./runtime.js";
import { JOBS, type Threads } from "./threads.js";

// Below this many numbers the copies cost more than the JavaScript loop.
const SMALL = 4096;
// Below this many numbers per chunk, handing it to another thread costs more than it saves (threads claim chunks: threads.ts).
const PER_CHUNK = 1 << 15;

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** The SGD kernel on a runtime's instance, a resident parameter's update split over `threads`. */
export function createWasmSgd(rt: WasmRuntime, threads: Threads): typeof jsSgd {
  const jobs = { f32: JOBS.indexOf("sgd32"), f64: JOBS.indexOf("sgd64") };
  // sgd(p, g, pairs, lr, tail) on threads: thread t takes pairs [⌊t·pairs/n⌋, ⌊(t+1)·pairs/n⌋), the last one the odd number too
  const update = (f64: boolean, pAt: number, gAt: number, n: number, lrAt: number, split: boolean): void => {
    const es = f64 ? 8 : 4, pairs = n >> 1;
    const t = split ? threads.chunks(pairs, PER_CHUNK / 2) : 1;
    const cut = (i: number): number => Math.floor((i * pairs) / t);
    threads.run(f64 ? jobs.f64 : jobs.f32, t, (i) => [pAt + 2 * es * cut(i), gAt + 2 * es * cut(i), cut(i + 1) - cut(i), lrAt, i === t - 1 ? n & 1 : 0]);
  };
  // η where the kernel reads it: float64, or rounded to float32 for float32 numbers (their arithmetic, kernels/optim.ts)
  const setLr = (f64: boolean, at: number, lr: number): void => {
    if (f64) rt.f64[at / 8] = lr;
    else rt.f32[at / 4] = lr;
  };
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
      setLr(f64, lrAt, o.lr);
      update(f64, pIn, gAt, n, lrAt, true);
      return;
    }
    const lrAt = rt.base, pAt = rt.base + 16, gAt = align(pAt + n * es);
    rt.ensure(gAt + n * es);
    const view: Storage = f64 ? rt.f64 : rt.f32;
    view.set(p, pAt / es);
    view.set(g, gAt / es);
    setLr(f64, lrAt, o.lr);
    update(f64, pAt, gAt, n, lrAt, false);
    p.set(view.subarray(pAt / es, pAt / es + n));
  };
}
