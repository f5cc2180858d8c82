// Cache-blocked, register-tiled matrix multiply (Goto-style): C[M×N] = (C[M×N] as number) + A[M×K] · B[K×N], row-major.
// NOTE: A and B are packed into Float64Array panels whatever the storage dtype, so the hot 4×4
// micro-kernel is monomorphic (one V8 type) and accumulates in double precision for both dtypes
// (float32 results are rounded once, see viaFloat64).
import type { Storage } from "../tensor/dtype.js";

const MR = 4; // rows per micro-tile
const NR = 4; // columns per micro-tile
const KC = 256; // depth of a packed block (A panel 8 KiB, B panel 8 KiB: stays in L1)
const NC = 1024; // columns per packed B block (≤ 2 MiB: stays in L2/L3)

// Up to this many multiply-adds (and one depth block), plain loops beat packing.
const DIRECT = 4096;

let packA = new Float64Array(MR * KC);
let packB = new Float64Array(KC * NC);

/**
 * C[cOff + i*N + j] = (C[cOff + i*N + j] as number) + Σ_k A[aOff + i*sai + k*sak] · B[bOff + k*sbk + j*sbj]
 * (with `overwrite`, C = A·B whatever C held). Strides let callers pass transposed operands without
 * copying them first.
 */
export function gemm(
  M: number, N: number, K: number,
  A: Storage, aOff: number, sai: number, sak: number,
  B: Storage, bOff: number, sbk: number, sbj: number,
  C: Storage, cOff: number, overwrite = false,
): void {
  if (overwrite) C.fill(0, cOff, cOff + M * N);
  if (M === 0 || N === 0 || K === 0) return;
  if (M * N * K <= DIRECT && K <= KC) return direct(M, N, K, A, aOff, sai, sak, B, bOff, sbk, sbj, C, cOff);
  if (!(C instanceof Float64Array) && K > KC) return viaFloat64(M, N, K, A, aOff, sai, sak, B, bOff, sbk, sbj, C, cOff);
  if (packB.length < KC * NC) packB = new Float64Array(KC * NC);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    const nPanels = Math.ceil(nc / NR);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packBBlock(B, bOff, sbk, sbj, pc, kc, jc, nc, nPanels);
      for (let ic = 0; ic < M; ic += MR) {
        const mr = Math.min(MR, M - ic);
        packABlock(A, aOff, sai, sak, ic, mr, pc, kc);
        for (let p = 0; p < nPanels; p++) {
          const j0 = jc + p * NR;
          micro(kc, p * kc * NR, C, cOff + ic * N + j0, N, mr, Math.min(NR, N - j0));
        }
      }
    }
  }
}

// Small products: each C[i, j] += Σ_k in one float64 sum, the same numbers as the packed path
// (which also sums one depth block from zero and adds it into C once).
function direct(
  M: number, N: number, K: number,
  A: Storage, aOff: number, sai: number, sak: number,
  B: Storage, bOff: number, sbk: number, sbj: number,
  C: Storage, cOff: number,
): void {
  for (let i = 0; i < M; i++) {
    const ai = aOff + i * sai, ci = cOff + i * N;
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0, a = ai, b = bOff + j * sbj; k < K; k++, a += sak, b += sbk) s += (A[a] as number) * (B[b] as number);
      C[ci + j] = (C[ci + j] as number) + s;
    }
  }
}

// NOTE: each depth block's sums are added into C, so a float32 C would round the running sum
// ⌈K/KC⌉ times; past one block, sum into a float64 C and round once.
function viaFloat64(
  M: number, N: number, K: number,
  A: Storage, aOff: number, sai: number, sak: number,
  B: Storage, bOff: number, sbk: number, sbj: number,
  C: Storage, cOff: number,
): void {
  const acc = new Float64Array(M * N);
  gemm(M, N, K, A, aOff, sai, sak, B, bOff, sbk, sbj, acc, 0);
  for (let i = 0; i < acc.length; i++) C[cOff + i] = (C[cOff + i] as number) + (acc[i] as number);
}

function packBBlock(B: Storage, bOff: number, sbk: number, sbj: number, pc: number, kc: number, jc: number, nc: number, nPanels: number): void {
  const pb = packB;
  for (let p = 0; p < nPanels; p++) {
    const base = p * kc * NR;
    const j0 = jc + p * NR;
    const w = Math.min(NR, jc + nc - j0);
    for (let k = 0; k < kc; k++) {
      const src = bOff + (pc + k) * sbk + j0 * sbj;
      const dst = base + k * NR;
      for (let j = 0; j < NR; j++) pb[dst + j] = j < w ? (B[src + j * sbj] as number) : 0;
    }
  }
}

function packABlock(A: Storage, aOff: number, sai: number, sak: number, ic: number, mr: number, pc: number, kc: number): void {
  if (packA.length < MR * kc) packA = new Float64Array(MR * KC);
  const pa = packA;
  for (let i = 0; i < MR; i++) {
    if (i < mr) {
      const src = aOff + (ic + i) * sai + pc * sak;
      for (let k = 0; k < kc; k++) pa[k * MR + i] = A[src + k * sak] as number;
    } else {
      for (let k = 0; k < kc; k++) pa[k * MR + i] = 0;
    }
  }
}

// 4×4 micro-kernel: 16 accumulators in locals, 8 contiguous loads per step of k.
function micro(kc: number, bBase: number, C: Storage, c0: number, ldc: number, mr: number, nr: number): void {
  const a = packA;
  const b = packB;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = 0;
  let bi = bBase;
  for (let k = 0; k < kc; k++) {
    const a0 = a[ai] as number, a1 = a[ai + 1] as number, a2 = a[ai + 2] as number, a3 = a[ai + 3] as number;
    const b0 = b[bi] as number, b1 = b[bi + 1] as number, b2 = b[bi + 2] as number, b3 = b[bi + 3] as number;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ai += 4;
    bi += 4;
  }
  if (mr === 4 && nr === 4) {
    let r = c0;
    C[r] = (C[r] as number) + c00; C[r + 1] = (C[r + 1] as number) + c01; C[r + 2] = (C[r + 2] as number) + c02; C[r + 3] = (C[r + 3] as number) + c03; r += ldc;
    C[r] = (C[r] as number) + c10; C[r + 1] = (C[r + 1] as number) + c11; C[r + 2] = (C[r + 2] as number) + c12; C[r + 3] = (C[r + 3] as number) + c13; r += ldc;
    C[r] = (C[r] as number) + c20; C[r + 1] = (C[r + 1] as number) + c21; C[r + 2] = (C[r + 2] as number) + c22; C[r + 3] = (C[r + 3] as number) + c23; r += ldc;
    C[r] = (C[r] as number) + c30; C[r + 1] = (C[r + 1] as number) + c31; C[r + 2] = (C[r + 2] as number) + c32; C[r + 3] = (C[r + 3] as number) + c33;
    return;
  }
  const t = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let i = 0; i < mr; i++) for (let j = 0; j < nr; j++) C[c0 + i * ldc + j] = (C[c0 + i * ldc + j] as number) + (t[i * 4 + j] as number);
}
