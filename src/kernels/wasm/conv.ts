// A convolution's products in WebAssembly without their columns ever leaving linear memory. Forward
// and weight gradient (convGemm): the images are copied in, unrolled there (im2col-kernel.ts on every
// thread, each taking whole images, when the window rows are contiguous runs; the JavaScript im2col
// writing straight into the memory otherwise) and the GEMM reads them in place as B (or Bᵀ); a
// float32 forward product of whole panels has them written as the GEMM's packed panels instead. Input
// gradient (gemmCol2im): the GEMM leaves the columns in memory and col2im adds them into the image
// copy there. The same numbers as conv.ts's versions with the SIMD gemm, except the weight gradient
// of few numbers over a long depth, whose depth is split into fixed blocks (gemm-split.ts).
import type { Storage } from "../../tensor/dtype.js";
import { col2im, type ConvSource, convGemm as jsConvGemm, gemmCol2im as jsGemmCol2im, im2col } from "../conv.js";
import { KC_ONE, mcFor } from "./driver-kernel.js";
import type { GemmAt } from "./gemm.js";
import { MR32 } from "./gemm-kernel.js";
import { createSplitGemm, splits } from "./gemm-split.js";
import type { WasmRuntime } from "./runtime.js";
import { JOBS, type Threads } from "./threads.js";

// Below this many multiply-adds the JavaScript path is as fast.
const SMALL = 1 << 12;
// Images per chunk (threads claim chunks: threads.ts).
const PER_CHUNK = 4;
// Multiply-adds per chunk of a product below which another thread costs more than it saves.
const PANEL_WORK = 1 << 17;

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** convGemm and gemmCol2im on a runtime's instance. */
export function createWasmConv(rt: WasmRuntime, threads: Threads, gemmAt: GemmAt): { convGemm: typeof jsConvGemm; gemmCol2im: typeof jsGemmCol2im } {
  const splitGemm = createSplitGemm(rt, threads);
  const panelsJob = JOBS.indexOf("im2colPanels32"), sgemmJob = JOBS.indexOf("sgemm");
  const packA32 = rt.exports[`pack32x${MR32}`] as (src: number, sbk: number, sbj: number, kc: number, n: number, dst: number) => void;
  const job = JOBS.indexOf("im2colRows"), add32 = JOBS.indexOf("col2imRows32"), add64 = JOBS.indexOf("col2imRows64");
  // the im2col/col2im arguments for images [first(c), first(c + 1)) of chunk c, image at xAt, columns at colsAt
  const rowsArgs = (src: ConvSource, xAt: number, colsAt: number, es: number, first: (c: number) => number) => (t: number): number[] => {
    const g = src.win, L = g.oh * g.ow, ml = src.images * L;
    return [
      xAt + first(t) * src.xStride * es, colsAt + first(t) * L * es, first(t + 1) - first(t), src.xStride * es,
      src.channels, src.H * src.W * es, g.kh, g.kw, g.oh, g.ow * es, ml * es, g.sh * src.W * es, g.dh * src.W * es, g.dw * es,
    ];
  };
  // chunks of whole images (one on one thread) and the first image of each
  const split = (src: ConvSource): [number, (c: number) => number] => {
    const n = threads.chunks(src.images, PER_CHUNK);
    return [n, (c) => Math.floor((c * src.images) / n)];
  };
  const inWasm = (g: ConvSource["win"]): boolean => g.sw === 1 && g.ph === 0 && g.pw === 0;

  const convGemm: typeof jsConvGemm = function wasmConvGemm(M, A, aOff, sai, sak, src, transposed, C, cOff, overwrite = false) {
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
    if (!transposed && !f64 && inWasm(g) && g.ow % 8 === 0 && M % MR32 === 0 && M <= mcFor(MR32) && kg <= KC_ONE) {
      return panelsForward(M, A, aOff, sai, sak, src, C, cOff, overwrite, xAt, colsAt, next);
    }
    if (inWasm(g)) {
      const [n, first] = split(src);
      threads.run(job, n, rowsArgs(src, xAt, colsAt, es, first));
    } else {
      for (let i = 0; i < src.images; i++) im2col(view, xAt / es + i * src.xStride, src.channels, src.H, src.W, g, view, colsAt / es + i * L, ml);
    }
    // the weight's gradient: a long depth (images · positions) is split (gemm-split.ts)
    if (transposed && splits(M, kg, ml)) splitGemm(M, kg, ml, A, aOff, sai, sak, colsAt, 1, ml, C, cOff, overwrite, next);
    else if (transposed) gemmAt(M, kg, ml, A, aOff, sai, sak, colsAt, 1, ml, C, cOff, overwrite, next);
    else gemmAt(M, ml, kg, A, aOff, sai, sak, colsAt, ml, 1, C, cOff, overwrite, next);
  };

  // C (+)= A · cols, float32, with whole 4-row strips of A (at most one row block), one depth block
  // (kg ≤ KC_ONE) and output rows of whole 8-column panels: the columns are written straight as the
  // GEMM's packed panels (im2colPanels32), so B is never packed; then the micro-kernel writes C over
  // chunks of panels (sgemm's direct mode). The same numbers as gemm.ts's product (its direct mode:
  // the same panels, one depth block, the same kernel). x is in memory at xAt, the panels go to panelsAt.
  const panelsForward = (M: number, A: Storage, aOff: number, sai: number, sak: number, src: ConvSource, C: Storage, cOff: number, overwrite: boolean, xAt: number, panelsAt: number, at: number): void => {
    const g = src.win, K = src.channels * g.kh * g.kw, N = src.images * g.oh * g.ow, panels = N / 8, W4 = src.W * 4;
    const spanA = (M - 1) * sai + (K - 1) * sak + 1, aIn = rt.residentAt(A), cIn = rt.residentAt(C);
    // layout (bytes) after the panels: [C: M×N][A][packed A: M × K]
    const cCopy = align(at), aCopy = align(cCopy + (cIn < 0 ? M * N * 4 : 0)), paAt = align(aCopy + (aIn < 0 ? spanA * 4 : 0));
    const cAt = cIn < 0 ? cCopy : cIn + cOff * 4, aAt = aIn < 0 ? aCopy : aIn + aOff * 4;
    rt.ensure(paAt + M * K * 4);
    const view = rt.f32;
    if (aIn < 0) view.set(A.subarray(aOff, aOff + spanA), aAt / 4);
    if (!overwrite && cIn < 0) view.set(C.subarray(cOff, cOff + M * N), cAt / 4);
    const [n, first] = split(src), panelBytes = K * 32, imagePanels = (g.oh * g.ow) / 8;
    threads.run(panelsJob, n, (c) => [
      xAt + first(c) * src.xStride * 4, panelsAt + first(c) * imagePanels * panelBytes, first(c + 1) - first(c), src.xStride * 4,
      src.channels, src.H * W4, g.kh, g.kw, g.oh, g.ow / 8, g.sh * W4, g.dh * W4, g.dw * 4,
    ]);
    packA32(aAt, sak * 4, sai * 4, K, M, paAt);
    const m = threads.chunks(panels, Math.ceil(PANEL_WORK / (M * 8 * K)));
    const cut = (c: number): number => Math.floor((c * panels) / m);
    threads.run(sgemmJob, m, (c) => [paAt, panelsAt + cut(c) * panelBytes, cAt + cut(c) * 32, M / MR32, cut(c + 1) - cut(c), K, N * 4, overwrite ? 3 : 2]);
    if (cIn < 0) C.set(rt.f32.subarray(cAt / 4, cAt / 4 + M * N), cOff);
  };

  const gemmCol2im: typeof jsGemmCol2im = function wasmGemmCol2im(K, A, aOff, sai, sak, B, bOff, sbk, sbj, dst) {
    const g = dst.win, L = g.oh * g.ow, kg = dst.channels * g.kh * g.kw, ml = dst.images * L;
    const f64 = dst.x instanceof Float64Array;
    if (kg * ml * K <= SMALL || (A instanceof Float64Array) !== f64 || (B instanceof Float64Array) !== f64) {
      return jsGemmCol2im(K, A, aOff, sai, sak, B, bOff, sbk, sbj, dst);
    }
    const es = f64 ? 8 : 4, plane = dst.H * dst.W;
    const span = (dst.images - 1) * dst.xStride + dst.channels * plane, spanB = (K - 1) * sbk + (ml - 1) * sbj + 1;
    const xAt = rt.base, bAt = align(xAt + span * es), next = align(bAt + spanB * es);
    rt.ensure(next);
    let view: Storage = f64 ? rt.f64 : rt.f32;
    view.set(dst.x.subarray(dst.xOff, dst.xOff + span), xAt / es);
    view.set(B.subarray(bOff, bOff + spanB), bAt / es);
    const colsAt = gemmAt(kg, ml, K, A, aOff, sai, sak, bAt, sbk, sbj, null, 0, true, next, f64);
    view = f64 ? rt.f64 : rt.f32;
    if (inWasm(g)) {
      const [n, first] = split(dst);
      threads.run(f64 ? add64 : add32, n, rowsArgs(dst, xAt, colsAt, es, first));
    } else {
      for (let i = 0; i < dst.images; i++) col2im(view, dst.channels, dst.H, dst.W, g, view, xAt / es + i * dst.xStride, colsAt / es + i * L, ml);
    }
    dst.x.set(view.subarray(xAt / es, xAt / es + span), dst.xOff);
  };
  return { convGemm, gemmCol2im };
}
