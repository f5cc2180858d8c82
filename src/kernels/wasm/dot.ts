// Drives the float32 A·Bᵀ product of dot-kernel.ts: for operands whose rows are contiguous along the
// depth (nn.Linear's x·Wᵀ), the product is read in place, with no packing (packing W1ᵀ of the
// 784-256 MLP cost as much as 9% of its product); resident operands (runtime.ts) are not even copied.
// C's columns are cut into chunks of whole groups of four (the last n mod 4 columns stay with the last
// chunk) that the threads claim (threads.ts), so every element is computed by the same tile in the same
// order for any thread count.
import type { Storage } from "../../tensor/dtype.js";
import { KC_ONE } from "./driver-kernel.js";
import type { WasmRuntime } from "./runtime.js";
import { JOBS, PRODUCT_CHUNK, type Threads } from "./threads.js";


const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/**
 * C (+)= A·Bᵀ for float32 A (M×K, rows sai apart), B (element (k, j) at k + j·sbj) and C (M×N), when K is a
 * multiple of 4 up to KC_ONE (so each element sums K/4 ≤ 256 products per lane in float32, as a GEMM depth
 * block does); returns false (nothing done) for anything else.
 */
export type Dot = (M: number, N: number, K: number, A: Storage, aOff: number, sai: number, B: Storage, bOff: number, sbj: number, C: Storage, cOff: number, overwrite: boolean) => boolean;

/** The A·Bᵀ product on a runtime's instance, its columns split over `threads`. */
export function createWasmDot(rt: WasmRuntime, threads: Threads): Dot {
  const job = JOBS.indexOf("sdot");
  return (M, N, K, A, aOff, sai, B, bOff, sbj, C, cOff, overwrite) => {
    if (K % 4 !== 0 || K > KC_ONE || !(A instanceof Float32Array) || !(B instanceof Float32Array) || !(C instanceof Float32Array)) return false;
    const quads = N >> 2;
    const n = Math.max(1, threads.chunks(quads, Math.ceil(PRODUCT_CHUNK / (M * 4 * K))));
    const aIn = rt.residentAt(A), bIn = rt.residentAt(B), cIn = rt.residentAt(C);
    const spanA = (M - 1) * sai + K, spanB = (N - 1) * sbj + K;
    // layout (bytes) of what is not resident: [A][B][C]
    const aCopy = align(rt.base), bCopy = align(aCopy + (aIn < 0 ? spanA * 4 : 0)), cCopy = align(bCopy + (bIn < 0 ? spanB * 4 : 0));
    rt.ensure(cCopy + (cIn < 0 ? M * N * 4 : 0));
    const view = rt.f32;
    const aAt = aIn < 0 ? aCopy : aIn + aOff * 4, bAt = bIn < 0 ? bCopy : bIn + bOff * 4, cAt = cIn < 0 ? cCopy : cIn + cOff * 4;
    if (aIn < 0) view.set(A.subarray(aOff, aOff + spanA), aAt / 4);
    if (bIn < 0) view.set(B.subarray(bOff, bOff + spanB), bAt / 4);
    if (!overwrite && cIn < 0) view.set(C.subarray(cOff, cOff + M * N), cAt / 4);
    // chunk c takes the columns [4⌊c·quads/n⌋, 4⌊(c+1)·quads/n⌋), the last one up to N
    const cut = (c: number): number => (c === n ? N : Math.floor((c * quads) / n) * 4);
    threads.run(job, n, (c) => [aAt, sai * 4, bAt + cut(c) * sbj * 4, sbj * 4, cAt + cut(c) * 4, N * 4, M, cut(c + 1) - cut(c), K, overwrite ? 1 : 0]);
    if (cIn < 0) C.set(view.subarray(cAt / 4, cAt / 4 + M * N), cOff);
    return true;
  };
}
