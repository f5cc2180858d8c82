// Drives the WebAssembly SIMD GEMM: copies A, B and C into linear memory (typed-array copies, no
// per-number JavaScript), packs each depth block of A into strips and each depth × column block of
// B into panels there (pack-kernel.ts, any strides: transposed operands are never copied), runs the
// micro-kernel into a float64 tile, and adds the tile into C, all in WebAssembly.
import type { Storage } from "../../tensor/dtype.js";
import { gemm as jsGemm } from "../gemm.js";
import { MR32, MR64 } from "./gemm-kernel.js";
import type { WasmRuntime } from "./runtime.js";

type KernelFn = (a: number, b: number, c: number, strips: number, panels: number, k: number, ldc: number, first: number) => void;
type PackFn = (src: number, sbk: number, sbj: number, kc: number, n: number, dst: number) => void;
type AddTileFn = (tile: number, ldt: number, c: number, m: number, n: number) => void;
type Gemm = typeof jsGemm;

const KC = 256; // depth of a block (sgemm sums each block in float32, see gemm-kernel.ts)
const MC = 128; // rows of packed A per kernel call (a multiple of MR; 128 KiB of f32 at kc = 256: stays in L2)
// Below this many multiply-adds the copies cost more than SIMD saves.
const SMALL = 8 * 8 * 8;

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** The SIMD gemm on a runtime's instance. */
export function createWasmGemm(rt: WasmRuntime): Gemm {
  const ex = rt.exports;
  const fns = {
    float32: { kern: ex.sgemm as KernelFn, packA: ex.pack32x4 as PackFn, packB: ex.pack32x8 as PackFn, add: ex.addTile32 as AddTileFn, set: ex.setTile32 as AddTileFn, es: 4, mr: MR32, nr: 8, nc: 512 },
    float64: { kern: ex.dgemm as KernelFn, packA: ex.pack64x4 as PackFn, packB: ex.pack64x4 as PackFn, add: ex.addTile64 as AddTileFn, set: ex.setTile64 as AddTileFn, es: 8, mr: MR64, nr: 4, nc: 256 },
  };

  return function wasmGemm(M, N, K, A, aOff, sai, sak, B, bOff, sbk, sbj, C, cOff, overwrite = false) {
    if (M === 0 || N === 0 || K === 0) return;
    const f64 = C instanceof Float64Array;
    if (M * N * K <= SMALL || (A instanceof Float64Array) !== f64 || (B instanceof Float64Array) !== f64) {
      return jsGemm(M, N, K, A, aOff, sai, sak, B, bOff, sbk, sbj, C, cOff, overwrite);
    }
    const { kern, packA, packB, add, set, es, mr: MR, nr, nc: NC } = f64 ? fns.float64 : fns.float32;
    const Np = Math.ceil(N / nr) * nr, Mp = Math.ceil(M / MR) * MR;
    const spanA = (M - 1) * sai + (K - 1) * sak + 1, spanB = (K - 1) * sbk + (N - 1) * sbj + 1;
    const kcMax = Math.min(KC, K);
    // layout (bytes): [tile: Mp×Np float64][C: M×N][A][B][packed A block: Mp × kc][packed B block: kc × nc]
    const cAt = align(Mp * Np * 8), aAt = align(cAt + M * N * es), bAt = align(aAt + spanA * es);
    const paAt = align(bAt + spanB * es), pbAt = align(paAt + Mp * kcMax * es);
    rt.ensure(pbAt + kcMax * Math.min(NC, Np) * es);
    const view: Storage = f64 ? rt.f64 : rt.f32;
    view.set(A.subarray(aOff, aOff + spanA), aAt / es);
    view.set(B.subarray(bOff, bOff + spanB), bAt / es);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packA(aAt + pc * sak * es, sak * es, sai * es, kc, M, paAt);
      for (let jc = 0; jc < N; jc += NC) {
        const nc = Math.min(NC, N - jc);
        packB(bAt + (pc * sbk + jc * sbj) * es, sbk * es, sbj * es, kc, nc, pbAt);
        for (let ic = 0; ic < Mp; ic += MC) {
          const mc = Math.min(MC, Mp - ic);
          kern(paAt + ic * kc * es, pbAt, (ic * Np + jc) * 8, mc / MR, Math.ceil(nc / nr), kc, Np * 8, pc === 0 ? 1 : 0);
        }
      }
    }
    if (overwrite) {
      set(0, Np * 8, cAt, M, N);
    } else {
      view.set(C.subarray(cOff, cOff + M * N), cAt / es);
      add(0, Np * 8, cAt, M, N);
    }
    C.set(view.subarray(cAt / es, cAt / es + M * N), cOff);
  };
}
