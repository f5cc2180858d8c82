// Drives the WebAssembly SIMD GEMM: copies A, B (and C, when adding into it) into linear memory
// (typed-array copies, no per-number JavaScript; a convolution builds B there instead, conv.ts;
// resident operands, runtime.ts, are already there and C is then written in place),
// packs A into strips there (pack-kernel.ts, any strides: transposed operands are never copied), then splits C's columns between threads, each
// running the blocked loops of driver-kernel.ts over its range (packing its panels of B, the
// micro-kernel into a float64 tile, the tile into C), and copies C back.
import type { Storage } from "../../tensor/dtype.js";
import { gemm as jsGemm } from "../gemm.js";
import { createWasmDot } from "./dot.js";
import { KC, KC_ONE, mcFor } from "./driver-kernel.js";
import { gemmKernels } from "./pack-a.js";
import type { WasmRuntime } from "./runtime.js";
import { PRODUCT_CHUNK, type Threads } from "./threads.js";

type Gemm = typeof jsGemm;

// Below this many multiply-adds the copies cost more than SIMD saves.
const SMALL = 8 * 8 * 8;

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/**
 * The product once B lies in linear memory: C (+)= A · B with B's element (k, j) at byte
 * bAt + (k·sbk + j·sbj)·esize; A is copied in and packed, C copied in (when added to) and out; `at` is
 * the first free byte. With C null (and `overwrite`), C (dtype `f64` or not) stays in memory, at the
 * byte returned. The caller has checked the dtypes and sizes.
 */
export type GemmAt = (M: number, N: number, K: number, A: Storage, aOff: number, sai: number, sak: number, bAt: number, sbk: number, sbj: number, C: Storage | null, cOff: number, overwrite: boolean, at: number, f64?: boolean) => number;

/** The SIMD gemm on a runtime's instance, its columns split over `threads`, and its core (B already in memory). */
export function createWasmGemm(rt: WasmRuntime, threads: Threads): { gemm: Gemm; gemmAt: GemmAt } {
  const kernels = gemmKernels(rt, threads);

  const gemmAt: GemmAt = (M, N, K, A, aOff, sai, sak, bAt, sbk, sbj, C, cOff, overwrite, at, f64 = C instanceof Float64Array) => {
    const { job, es, mr, nr, nc } = f64 ? kernels.float64 : kernels.float32;
    const Np = Math.ceil(N / nr) * nr, Mp = Math.ceil(M / mr) * mr, panels = Np / nr;
    const spanA = (M - 1) * sai + (K - 1) * sak + 1;
    // chunks of whole panels that the threads claim (threads.ts); one on one thread
    const n = threads.chunks(panels, Math.ceil(PRODUCT_CHUNK / (M * nr * K)));
    // resident operands (runtime.ts) are read and written where they are, not copied
    const aIn = rt.residentAt(A), cIn = C === null ? -1 : rt.residentAt(C);
    // the depth of a block: KC, or all of K (up to KC_ONE) for float32 of at most one row block (MC rows: packed A
    // stays ≤ 512 KB), so C is written once instead of accumulated through the float64 tile block after block
    const kb = !f64 && K <= KC_ONE && Mp <= mcFor(mr) ? K : KC;
    // float32 in one depth block over whole strips and panels: the micro-kernel writes C itself (driver-kernel.ts)
    const direct = !f64 && K <= kb && M === Mp && N === Np;
    // layout (bytes): [tile: Mp×Np float64, unless direct][C: M×N][A][packed A: Mp × K][each thread's packed B block: kb × NC]
    const tileAt = align(at), cCopy = align(tileAt + (direct ? 0 : Mp * Np * 8)), aCopy = align(cCopy + (cIn < 0 ? M * N * es : 0));
    const paAt = align(aCopy + (aIn < 0 ? spanA * es : 0)), pbAt = align(paAt + Mp * K * es), pbBytes = Math.max(kb, KC) * nc * es;
    const cAt = cIn < 0 ? cCopy : cIn + cOff * es, aAt = aIn < 0 ? aCopy : aIn + aOff * es;
    rt.ensure(pbAt + threads.count() * pbBytes);
    const view: Storage = f64 ? rt.f64 : rt.f32;
    if (aIn < 0) view.set(A.subarray(aOff, aOff + spanA), aAt / es);
    if (!overwrite && C !== null && cIn < 0) view.set(C.subarray(cOff, cOff + M * N), cAt / es);
    kernels.packA(f64, M, K, kb, aAt, sai * es, sak * es, paAt, Mp);
    // chunk c takes whole panels [⌊c·panels/n⌋, ⌊(c+1)·panels/n⌋) of C's columns; each thread packs B into its own block
    const cut = (c: number): number => Math.min(N, Math.floor((c * panels) / n) * nr);
    threads.run(job, n, (c) => [
      paAt, bAt, sbk * es, sbj * es, pbAt, direct ? cAt : tileAt, direct ? N * es : Np * 8, cAt, N * es, Mp, M, K, cut(c), cut(c + 1),
      (direct ? 2 : 0) + (overwrite ? 1 : 0) + kb * 4,
    ], [4, pbBytes]);
    if (cIn < 0) C?.set(view.subarray(cAt / es, cAt / es + M * N), cOff);
    return cAt;
  };

  const dot = createWasmDot(rt, threads);
  const gemm: Gemm = function wasmGemm(M, N, K, A, aOff, sai, sak, B, bOff, sbk, sbj, C, cOff, overwrite = false) {
    if (M === 0 || N === 0 || K === 0) return;
    const f64 = C instanceof Float64Array;
    if (M * N * K <= SMALL || (A instanceof Float64Array) !== f64 || (B instanceof Float64Array) !== f64) {
      return jsGemm(M, N, K, A, aOff, sai, sak, B, bOff, sbk, sbj, C, cOff, overwrite);
    }
    // A·Bᵀ with both operands' rows contiguous along the depth (x·Wᵀ): read in place, no packing (dot.ts)
    if (sak === 1 && sbk === 1 && dot(M, N, K, A, aOff, sai, B, bOff, sbj, C, cOff, overwrite)) return;
    const es = f64 ? 8 : 4;
    const bIn = rt.residentAt(B);
    if (bIn >= 0) {
      gemmAt(M, N, K, A, aOff, sai, sak, bIn + bOff * es, sbk, sbj, C, cOff, overwrite, rt.base);
      return;
    }
    const spanB = (K - 1) * sbk + (N - 1) * sbj + 1;
    const bAt = rt.base;
    rt.ensure(bAt + spanB * es);
    (f64 ? rt.f64 : rt.f32).set(B.subarray(bOff, bOff + spanB), bAt / es);
    gemmAt(M, N, K, A, aOff, sai, sak, bAt, sbk, sbj, C, cOff, overwrite, bAt + spanB * es);
  };
  return { gemm, gemmAt };
}
