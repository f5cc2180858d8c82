// Max pooling's argmax on WebAssembly (pool-kernel.ts), its planes split over threads, for windows
// without padding or dilation; the JavaScript argmax elsewhere. Forward, scatter and gather then
// index it as in conv.ts.
import type { Storage } from "../../tensor/dtype.js";
import { argmaxes, maxPoolKernels } from "../conv.js";
import type { WasmRuntime } from "./runtime.js";
import { JOBS, type Threads } from "./threads.js";

// Below this many input numbers the copy in costs more than it saves.
const SMALL = 4096;
// Planes per chunk (threads claim chunks: threads.ts).
const PER_CHUNK = 32;

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** The max-pooling kernels with their argmax on a runtime's instance. */
export function createWasmMaxPool(rt: WasmRuntime, threads: Threads): ReturnType<typeof maxPoolKernels> {
  let scratch = new Int32Array(0);
  const wasmArgmax: typeof argmaxes = (x, planes, H, W, g) => {
    const size = planes * H * W, n = planes * g.oh * g.ow;
    if (g.ph !== 0 || g.pw !== 0 || g.dh !== 1 || g.dw !== 1 || size < SMALL) return argmaxes(x, planes, H, W, g);
    const f64 = x instanceof Float64Array, es = f64 ? 8 : 4;
    const xAt = rt.base, outAt = align(xAt + size * es);
    rt.ensure(outAt + n * 4);
    const view: Storage = f64 ? rt.f64 : rt.f32;
    view.set(x.subarray(0, size), xAt / es);
    const t = threads.chunks(planes, PER_CHUNK);
    const first = (i: number): number => Math.floor((i * planes) / t);
    const two = g.kh === 2 && g.kw === 2;
    if (two && !f64 && g.sw === 2 && g.ow % 4 === 0) {
      threads.run(JOBS.indexOf("argmax2x2x4_32"), t, (i) => [
        xAt + first(i) * H * W * es, first(i + 1) - first(i), H * W * es, W * es, g.sh * W * es, g.oh, g.ow / 4, outAt + first(i) * g.oh * g.ow * 4, xAt,
      ]);
    } else threads.run(JOBS.indexOf(f64 ? (two ? "argmax2x2_64" : "argmax64") : two ? "argmax2x2_32" : "argmax32"), t, (i) => [
      xAt + first(i) * H * W * es, first(i + 1) - first(i), H * W * es, W * es, g.kh, g.kw, g.sh * W * es, g.sw * es, g.oh, g.ow,
      outAt + first(i) * g.oh * g.ow * 4, xAt,
    ]);
    if (scratch.length < n) scratch = new Int32Array(n);
    scratch.set(new Int32Array(rt.memory.buffer, outAt, n));
    return scratch;
  };
  return maxPoolKernels(wasmArgmax);
}
