// What both products (gemm.ts, gemm-split.ts) need of the kernels per dtype — A's packing function, the
// columns' job, the strip and panel widths — and the packing of A's depth blocks into strips, on the
// threads for a large A.
import { NC } from "./driver-kernel.js";
import { MR32, MR64 } from "./gemm-kernel.js";
import type { WasmRuntime } from "./runtime.js";
import { JOBS, MAX_CHUNKS, type Threads } from "./threads.js";

type PackFn = (src: number, sbk: number, sbj: number, kc: number, n: number, dst: number) => void;

/** One dtype's kernels: es bytes a number, strips of mr rows of A, panels of nr columns of B, NC columns a B block. */
export interface GemmKernels { readonly job: number; readonly es: number; readonly mr: number; readonly nr: number; readonly nc: number }

/**
 * Packs A's depth blocks (kb deep) into strips of mr rows at paAt: block pc at paAt + Mp·pc·es, strip s of
 * it kc·mr numbers further per strip. A's element (i, k) at byte aAt + i·bi + k·bk.
 */
export type PackA = (f64: boolean, M: number, K: number, kb: number, aAt: number, bi: number, bk: number, paAt: number, Mp: number) => void;

// From this many numbers of A (M·K), its packing runs on the threads too (a 1024 × 1024 A on the main
// thread alone held up the two-thread product).
const PACK_MIN = 1 << 18;

/** The kernels of both dtypes on a runtime's instance, and A's packing over `threads`. */
export function gemmKernels(rt: WasmRuntime, threads: Threads): { readonly float32: GemmKernels; readonly float64: GemmKernels; readonly packA: PackA } {
  const fns = {
    float32: { pack: rt.exports[`pack32x${MR32}`] as PackFn, packJob: JOBS.indexOf(`pack32x${MR32}`), job: JOBS.indexOf("gemmCols32"), es: 4, mr: MR32, nr: 8, nc: NC[4] },
    float64: { pack: rt.exports.pack64x4 as PackFn, packJob: JOBS.indexOf("pack64x4"), job: JOBS.indexOf("gemmCols64"), es: 8, mr: MR64, nr: 4, nc: NC[8] },
  };
  // a large A on the threads, each chunk whole strips of one block (the same bytes wherever they are packed)
  const packA: PackA = (f64, M, K, kb, aAt, bi, bk, paAt, Mp) => {
    const { pack, packJob, es, mr } = f64 ? fns.float64 : fns.float32;
    const strips = Mp / mr, blocks = Math.ceil(K / kb);
    const q = M * K < PACK_MIN ? 1 : Math.max(1, Math.min(Math.floor(MAX_CHUNKS / blocks), Math.floor(threads.chunks(strips * blocks, Math.ceil(PACK_MIN / 4 / (mr * kb))) / blocks)));
    if (q === 1) {
      for (let pc = 0; pc < K; pc += kb) pack(aAt + pc * bk, bk, bi, Math.min(kb, K - pc), M, paAt + Mp * pc * es);
      return;
    }
    threads.run(packJob, blocks * q, (c) => {
      const pc = Math.floor(c / q) * kb, kc = Math.min(kb, K - pc), i = c % q;
      const s0 = Math.floor((i * strips) / q), s1 = Math.floor(((i + 1) * strips) / q);
      return [aAt + pc * bk + s0 * mr * bi, bk, bi, kc, Math.min(M, s1 * mr) - s0 * mr, paAt + (Mp * pc + s0 * mr * kc) * es];
    });
  };
  return { float32: fns.float32, float64: fns.float64, packA };
}
