// Max pooling on WebAssembly (pool-kernel.ts), its planes split over threads, for windows without
// padding or dilation; the JavaScript kernels elsewhere. Each chunk of planes finds its windows'
// argmax, then, in the same call, reads the values there (forward) or adds the gradient there into
// its planes of dx (backward, dx copied in and out), so neither the indices nor a JavaScript loop
// over them are needed; the gather (the scatter's adjoint) indexes the argmax as in conv.ts. The same
// numbers as conv.ts's kernels: the same argmax rule, and the scatter adds in the same order.
import type { Storage } from "../../tensor/dtype.js";
import { argmaxes, maxPoolKernels, type Window2d } from "../conv.js";
import type { WasmRuntime } from "./runtime.js";
import { JOBS, type Threads } from "./threads.js";

// Below this many input numbers the copy in costs more than it saves.
const SMALL = 4096;
// Planes per chunk (threads claim chunks: threads.ts).
const PER_CHUNK = 32;

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

type Then = "" | "Gather" | "Scatter";

/** The max-pooling kernels with their argmax (and values, and backward) on a runtime's instance. */
export function createWasmMaxPool(rt: WasmRuntime, threads: Threads): ReturnType<typeof maxPoolKernels> {
  const fits = (size: number, g: Window2d): boolean => g.ph === 0 && g.pw === 0 && g.dh === 1 && g.dw === 1 && size >= SMALL;

  /**
   * x copied in at xAt, then every window's argmax (as element indices from xAt) at outAt, and `then`
   * with each chunk's extra arguments (`extra(first window, first plane)`), over chunks of whole planes.
   */
  const argmaxThen = (then: Then, f64: boolean, xAt: number, outAt: number, planes: number, H: number, W: number, g: Window2d, extra: (o: number, p: number) => number[]): void => {
    const es = f64 ? 8 : 4, ohw = g.oh * g.ow;
    const t = threads.chunks(planes, PER_CHUNK);
    const first = (i: number): number => Math.floor((i * planes) / t);
    const count = (i: number): number => first(i + 1) - first(i);
    const two = g.kh === 2 && g.kw === 2;
    if (two && !f64 && g.sw === 2 && g.ow % 4 === 0) {
      threads.run(JOBS.indexOf(`argmax2x2x4_32${then}`), t, (i) => [
        xAt + first(i) * H * W * es, count(i), H * W * es, W * es, g.sh * W * es, g.oh, g.ow / 4, outAt + first(i) * ohw * 4, xAt,
        ...(then === "" ? [] : [count(i) * ohw, ...extra(first(i) * ohw, first(i))]),
      ]);
    } else {
      threads.run(JOBS.indexOf(`${f64 ? (two ? "argmax2x2_64" : "argmax64") : two ? "argmax2x2_32" : "argmax32"}${then}`), t, (i) => [
        xAt + first(i) * H * W * es, count(i), H * W * es, W * es, g.kh, g.kw, g.sh * W * es, g.sw * es, g.oh, g.ow,
        outAt + first(i) * ohw * 4, xAt,
        ...(then === "" ? [] : [count(i) * ohw, ...extra(first(i) * ohw, first(i))]),
      ]);
    }
  };

  let scratch = new Int32Array(0);
  const wasmArgmax: typeof argmaxes = (x, planes, H, W, g) => {
    const size = planes * H * W, n = planes * g.oh * g.ow;
    if (!fits(size, g)) return argmaxes(x, planes, H, W, g);
    const f64 = x instanceof Float64Array, es = f64 ? 8 : 4;
    const xAt = rt.base, outAt = align(xAt + size * es);
    rt.ensure(outAt + n * 4);
    (f64 ? rt.f64 : rt.f32).set(x.subarray(0, size), xAt / es);
    argmaxThen("", f64, xAt, outAt, planes, H, W, g, () => []);
    if (scratch.length < n) scratch = new Int32Array(n);
    scratch.set(new Int32Array(rt.memory.buffer, outAt, n));
    return scratch;
  };
  const js = maxPoolKernels(wasmArgmax);

  return {
    maxPool2d(x, planes, H, W, g, out) {
      const size = planes * H * W, n = planes * g.oh * g.ow;
      const f64 = x instanceof Float64Array, es = f64 ? 8 : 4;
      if (!fits(size, g) || (out instanceof Float64Array) !== f64) return js.maxPool2d(x, planes, H, W, g, out);
      // [x][argmax indices][values]
      const xAt = rt.base, outAt = align(xAt + size * es), valsAt = align(outAt + n * 4);
      rt.ensure(valsAt + n * es);
      const view: Storage = f64 ? rt.f64 : rt.f32;
      view.set(x.subarray(0, size), xAt / es);
      argmaxThen("Gather", f64, xAt, outAt, planes, H, W, g, (o) => [valsAt + o * es]);
      out.set((f64 ? rt.f64 : rt.f32).subarray(valsAt / es, valsAt / es + n));
    },
    maxPool2dScatter(x, gradOut, planes, H, W, g, dx) {
      const size = planes * H * W, n = planes * g.oh * g.ow;
      const f64 = x instanceof Float64Array, es = f64 ? 8 : 4;
      if (!fits(size, g) || (gradOut instanceof Float64Array) !== f64 || (dx instanceof Float64Array) !== f64) return js.maxPool2dScatter(x, gradOut, planes, H, W, g, dx);
      // [x][argmax indices][gradOut][dx, laid out as x]
      const xAt = rt.base, outAt = align(xAt + size * es), gAt = align(outAt + n * 4), dxAt = align(gAt + n * es);
      rt.ensure(dxAt + size * es);
      const view: Storage = f64 ? rt.f64 : rt.f32;
      view.set(x.subarray(0, size), xAt / es);
      view.set(gradOut.subarray(0, n), gAt / es);
      view.set(dx.subarray(0, size), dxAt / es);
      argmaxThen("Scatter", f64, xAt, outAt, planes, H, W, g, (o) => [gAt + o * es, dxAt]);
      dx.set((f64 ? rt.f64 : rt.f32).subarray(dxAt / es, dxAt / es + size));
    },
    maxPool2dGather: js.maxPool2dGather,
  };
}
