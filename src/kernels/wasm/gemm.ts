// Drives the WebAssembly SIMD micro-kernel: packs blocks of A and B into linear memory,
// runs the kernel block by block (depth KC, rows MC) into a float64 tile, and adds that into C.
import type { Storage } from "../../tensor/dtype.js";
import { gemm as jsGemm } from "../gemm.js";
import { gemmModuleBytes, MR } from "./gemm-kernel.js";

type KernelFn = (a: number, b: number, c: number, strips: number, panels: number, k: number, ldc: number) => void;
type Gemm = typeof jsGemm;

const KC = 256;
const MC = 128;
const PAGE = 65536;
// Below this many multiply-adds the copies cost more than SIMD saves.
const SMALL = 8 * 8 * 8;

/** Builds the SIMD gemm, or returns null where WebAssembly SIMD is unavailable. */
export function createWasmGemm(): Gemm | null {
  if (typeof WebAssembly === "undefined") return null;
  const bytes = gemmModuleBytes();
  if (!WebAssembly.validate(bytes)) return null;
  const memory = new WebAssembly.Memory({ initial: 16 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const sgemm = instance.exports.sgemm as KernelFn;
  const dgemm = instance.exports.dgemm as KernelFn;

  const ensure = (bytesNeeded: number): void => {
    const have = memory.buffer.byteLength;
    if (bytesNeeded > have) memory.grow(Math.ceil((bytesNeeded - have) / PAGE));
  };

  return function wasmGemm(M, N, K, A, aOff, sai, sak, B, bOff, sbk, sbj, C, cOff) {
    if (M * N * K <= SMALL) return jsGemm(M, N, K, A, aOff, sai, sak, B, bOff, sbk, sbj, C, cOff);
    const f64 = C instanceof Float64Array;
    const es = f64 ? 8 : 4;
    const nr = f64 ? 4 : 8;
    const Np = Math.ceil(N / nr) * nr;
    const Mp = Math.ceil(M / MR) * MR;
    const kcMax = Math.min(KC, K);
    const mcMax = Math.min(MC, Mp);
    // layout: [C: Mp×Np float64][B block: kc×Np][A block: mc×kc], all 16-byte aligned
    const cBytes = Mp * Np * 8;
    const bAt = cBytes, aAt = bAt + kcMax * Np * es;
    ensure(aAt + mcMax * kcMax * es);
    const buf = memory.buffer;
    const view: Storage = f64 ? new Float64Array(buf) : new Float32Array(buf);
    const cView = new Float64Array(buf, 0, Mp * Np);
    cView.fill(0);
    const bBase = bAt / es, aBase = aAt / es;
    const kern = f64 ? dgemm : sgemm;
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packB(B, bOff, sbk, sbj, pc, kc, N, nr, view, bBase);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        const strips = Math.ceil(mc / MR);
        packA(A, aOff, sai, sak, ic, mc, pc, kc, view, aBase);
        kern(aAt, bAt, ic * Np * 8, strips, Np / nr, kc, Np * 8);
      }
    }
    for (let i = 0; i < M; i++) {
      const src = i * Np, dst = cOff + i * N;
      for (let j = 0; j < N; j++) C[dst + j] = (C[dst + j] as number) + (cView[src + j] as number);
    }
  };
}

// B[pc:pc+kc, :] as panels of nr columns: panel p holds kc rows of nr numbers (zero-padded).
function packB(B: Storage, bOff: number, sbk: number, sbj: number, pc: number, kc: number, N: number, nr: number, out: Storage, base: number): void {
  const panels = Math.ceil(N / nr);
  for (let p = 0; p < panels; p++) {
    const j0 = p * nr, w = Math.min(nr, N - j0);
    let o = base + p * kc * nr;
    for (let k = 0; k < kc; k++, o += nr) {
      const src = bOff + (pc + k) * sbk + j0 * sbj;
      for (let j = 0; j < w; j++) out[o + j] = B[src + j * sbj] as number;
      for (let j = w; j < nr; j++) out[o + j] = 0;
    }
  }
}

// A[ic:ic+mc, pc:pc+kc] as strips of MR rows: strip s holds kc columns of MR numbers (zero-padded).
function packA(A: Storage, aOff: number, sai: number, sak: number, ic: number, mc: number, pc: number, kc: number, out: Storage, base: number): void {
  const strips = Math.ceil(mc / MR);
  for (let s = 0; s < strips; s++) {
    const o = base + s * kc * MR;
    for (let r = 0; r < MR; r++) {
      const i = ic + s * MR + r;
      if (i < ic + mc) {
        const src = aOff + i * sai + pc * sak;
        for (let k = 0; k < kc; k++) out[o + k * MR + r] = A[src + k * sak] as number;
      } else {
        for (let k = 0; k < kc; k++) out[o + k * MR + r] = 0;
      }
    }
  }
}
