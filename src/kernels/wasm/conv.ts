// A convolution's product in WebAssembly without its columns ever leaving linear memory: the images
// are copied in, unrolled there (im2col-kernel.ts on every thread, each taking whole images, when
// the window rows are contiguous runs; the JavaScript im2col writing straight into the memory
// otherwise) and the GEMM reads them in place as B (or Bᵀ). The same numbers as convGemm in conv.ts
// with the SIMD gemm.
import type { Storage } from "../../tensor/dtype.js";
import { convGemm as jsConvGemm, im2col } from "../conv.js";
import type { GemmAt } from "./gemm.js";
import type { WasmRuntime } from "./runtime.js";
import { JOBS, type Threads } from "./threads.js";

// Below this many multiply-adds the JavaScript path is as fast.
const SMALL = 1 << 12;
// Images per thread below which one thread unrolls them all.
const PER_THREAD = 4;

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** convGemm on a runtime's instance. */
export function createWasmConvGemm(rt: WasmRuntime, threads: Threads, gemmAt: GemmAt): typeof jsConvGemm {
  const job = JOBS.indexOf("im2colRows");
  return function wasmConvGemm(M, A, aOff, sai, sak, src, transposed, C, cOff, overwrite = false) {
    const g = src.win, L = g.oh * g.ow, kg = src.channels * g.kh * g.kw, ml = src.images * L;
    const f64 = C instanceof Float64Array;
    if (M * ml * kg <= SMALL || (A instanceof Float64Array) !== f64 || (src.x instanceof Float64Array) !== f64) {
      return jsConvGemm(M, A, aOff, sai, sak, src, transposed, C, cOff, overwrite);
    }
    const es = f64 ? 8 : 4, plane = src.H * src.W;
    const span = (src.images - 1) * src.xStride + src.channels * plane;
    const xAt = rt.base, colsAt = align(xAt + span * es), next = align(colsAt + kg * ml * es);
    rt.ensure(next);
    const view: Storage = f64 ? rt.f64 : rt.f32;
    view.set(src.x.subarray(src.xOff, src.xOff + span), xAt / es);
    if (g.sw === 1 && g.ph === 0 && g.pw === 0) {
      const n = Math.max(1, Math.min(threads.count(), Math.floor(src.images / PER_THREAD)));
      const first = (t: number): number => Math.floor((t * src.images) / n);
      threads.run(job, n, (t) => [
        xAt + first(t) * src.xStride * es, colsAt + first(t) * L * es, first(t + 1) - first(t), src.xStride * es,
        src.channels, plane * es, g.kh, g.kw, g.oh, g.ow * es, ml * es, g.sh * src.W * es, g.dh * src.W * es, g.dw * es,
      ]);
    } else {
      for (let i = 0; i < src.images; i++) im2col(view, xAt / es + i * src.xStride, src.channels, src.H, src.W, g, view, colsAt / es + i * L, ml);
    }
    if (transposed) gemmAt(M, kg, ml, A, aOff, sai, sak, colsAt, 1, ml, C, cOff, overwrite, next);
    else gemmAt(M, ml, kg, A, aOff, sai, sak, colsAt, ml, 1, C, cOff, overwrite, next);
  };
}
