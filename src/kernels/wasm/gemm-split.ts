// A product with few rows and columns but a long depth, C (+)= A·B with B already in linear memory
// (a convolution's weight gradient: [O × images·L] · [images·L × kg], e.g. 8 × 36,864 · 36,864 × 25):
// its columns give a thread too few panels, so its depth is cut instead, into fixed blocks of
// whole KC-deep steps that depend only on K (never on the thread count). Each block is one chunk
// (with few blocks, also a range of C's columns) of the driver's loops (driver-kernel.ts) into a
// float64 tile of its own; the tiles are then summed in block order, in float64, and C rounded once.
// Every C element is therefore the same sum of the same float64 partial sums for any number of
// threads. (Compared with one pass over all of K the float64 additions are grouped by block, so the
// last bit of a float32 result can differ from the unsplit product; both are float32 sums within a
// KC-deep step, as gemm.ts's.)
import type { Storage } from "../../tensor/dtype.js";
import { KC } from "./driver-kernel.js";
import { gemmKernels } from "./pack-a.js";
import type { WasmRuntime } from "./runtime.js";
import { MAX_CHUNKS, type Threads } from "./threads.js";

/** Depth below which one pass (gemm.ts) is used: at most this many KC-deep steps. */
export const SPLIT_FROM = 8 * KC;
/** The most numbers of C split: beyond, its columns give the threads enough panels, and a tile per block would cost more than it saves. */
export const SPLIT_MOST = 1 << 15;

/** Whether C (+)= A·B of these sizes is split (a choice of the sizes alone, never of the thread count). */
export const splits = (M: number, N: number, K: number): boolean => K >= SPLIT_FROM && M * N <= SPLIT_MOST;
// blocks of at least this many KC steps, and at most MAX_BLOCKS blocks
const LEAST_STEPS = 4, MAX_BLOCKS = 32;

const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** The depth of a block for depth K: whole KC steps, at least LEAST_STEPS of them, at most MAX_BLOCKS blocks. */
export function splitDepth(K: number): number {
  return KC * Math.max(LEAST_STEPS, Math.ceil(K / (MAX_BLOCKS * KC)));
}

/**
 * C (+)= A · B where `splits(M, N, K)`: A [M × K] (any strides, copied in), B's element (k, j) at byte
 * bAt + (k·sbk + j·sbj)·esize, C [M × N] at C[cOff…] (row-major, added to unless `overwrite`); `at`
 * the first free byte. The caller has checked the dtypes and sizes.
 */
export type SplitGemm = (M: number, N: number, K: number, A: Storage, aOff: number, sai: number, sak: number, bAt: number, sbk: number, sbj: number, C: Storage, cOff: number, overwrite: boolean, at: number) => void;

/** The depth-split product on a runtime's instance. */
export function createSplitGemm(rt: WasmRuntime, threads: Threads): SplitGemm {
  const kernels = gemmKernels(rt, threads);
  let sums = new Float64Array(0);
  return (M, N, K, A, aOff, sai, sak, bAt, sbk, sbj, C, cOff, overwrite, at) => {
    const f64 = C instanceof Float64Array;
    const { job, es, mr, nr, nc } = f64 ? kernels.float64 : kernels.float32;
    const Np = Math.ceil(N / nr) * nr, Mp = Math.ceil(M / mr) * mr, panels = Np / nr;
    const depth = splitDepth(K), blocks = Math.ceil(K / depth);
    // few blocks: each also cut into ranges of whole panels (any cut gives the same numbers)
    const ranges = Math.max(1, Math.min(panels, Math.floor(MAX_CHUNKS / blocks), Math.ceil(threads.chunks(blocks * panels) / blocks)));
    const spanA = (M - 1) * sai + (K - 1) * sak + 1, tileBytes = Mp * Np * 8, scrapBytes = align(M * N * es), pbBytes = KC * nc * es;
    // layout (bytes): [A copy][packed A: Mp × K][a float64 tile per block][a scrap C per block, the driver's rounding of its tile, unused][each thread's packed B block]
    const aAt = align(at), paAt = align(aAt + spanA * es), tilesAt = align(paAt + Mp * K * es), scrapAt = tilesAt + blocks * tileBytes;
    const pbAt = scrapAt + blocks * scrapBytes;
    rt.ensure(pbAt + threads.count() * pbBytes);
    (f64 ? rt.f64 : rt.f32).set(A.subarray(aOff, aOff + spanA), aAt / es);
    kernels.packA(f64, M, K, KC, aAt, sai * es, sak * es, paAt, Mp);
    const cut = (r: number): number => Math.min(N, Math.floor((r * panels) / ranges) * nr);
    // chunk c: block ⌊c / ranges⌋ over column range c mod ranges, its tile set (mode 1) from its first KC step
    threads.run(job, blocks * ranges, (c) => {
      const b = Math.floor(c / ranges), r = c % ranges, k0 = b * depth;
      return [
        paAt + Mp * k0 * es, bAt + k0 * sbk * es, sbk * es, sbj * es, pbAt, tilesAt + b * tileBytes, Np * 8, scrapAt + b * scrapBytes, N * es,
        Mp, M, Math.min(depth, K - k0), cut(r), cut(r + 1), 1 + KC * 4,
      ];
    }, [4, pbBytes]);
    // C (+)= the tiles' sum in block order, rounded once (float32: Math.fround, as the driver's setTile/addTile round)
    if (sums.length < M * N) sums = new Float64Array(M * N);
    const tiles = rt.f64;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = tiles[tilesAt / 8 + i * Np + j] as number;
        for (let b = 1; b < blocks; b++) s += tiles[(tilesAt + b * tileBytes) / 8 + i * Np + j] as number;
        sums[i * N + j] = s;
      }
    }
    for (let e = 0; e < M * N; e++) {
      const s = overwrite ? (sums[e] as number) : (C[cOff + e] as number) + (sums[e] as number);
      C[cOff + e] = f64 ? s : Math.fround(s);
    }
  };
}
