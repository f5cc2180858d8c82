// The blocked GEMM loops in WebAssembly, over one range of C's columns: for each column block of
// NC, each depth block of KC (packing that block of B), each row block of MC of the packed A, the
// micro-kernel; then the range's part of the float64 tile is added (or set) into C. One thread runs
// one range; every C element is computed by one thread in the same order whatever the number of
// threads, so results do not depend on it.
import { bump, type FuncDef, I32, op } from "./assemble.js";

/** Blocking constants shared with the JavaScript side (gemm.ts): the depth of a block (KC; the driver takes
 * it as an argument: gemm.ts passes all of K up to KC_ONE for a float32 product of at most MC rows). */
export const KC = 256, KC_ONE = 1024;
/** Rows of A per row block: a multiple of the micro-kernel's rows (`mcFor`). */
export const mcFor = (mr: number): number => Math.floor(128 / mr) * mr;
export const NC = { 4: 512, 8: 256 } as const;

// gemmCols(pa, b, sbk, sbj, pb, tile, ldt, c, ldc, mp, m, k, n0, n1, overwrite), addresses and
// strides in bytes: pa the packed A (depth block p at pa + mp·p·esize), b the B copy (element (k, j)
// at b + k·sbk + j·sbj), pb this thread's packing scratch (block depth × NC), c the C copy (rows ldc apart);
// overwrite (its two low bits; the rest is the depth of a block, at most KC_ONE: KC or, see gemm.ts, all of K) 0: C += the tile, 1: C = the tile; float32 only, with K within one block and the thread's rows and columns
// whole strips and panels, the direct mode: 2: C += A·B, 3: C = A·B, the micro-kernel writing into C itself
// (tile = c, ldt = ldc) with no float64 tile (the same bits: one block's float32 sum, then one rounding of c + it).
const [PA, B, SBK, SBJ, PB, TILE, LDT, C, LDC, MP, M, K, N0, N1, OVER] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
const [JC, NCL, PC, KCL, IC, MCL, KB] = [15, 16, 17, 18, 19, 20, 21];

const min = (a: number[], b: number[]): number[] => [...a, ...b, ...a, ...b, ...op.ltU, ...op.select];
// for (idx …; idx < limit; idx += step): step a constant, or (a local) ["local", index]
const upTo = (idx: number, limit: number, step: number | ["local", number], body: number[]): number[] => [
  ...op.block, ...op.loop,
  ...op.get(idx), ...op.get(limit), ...op.geU, ...op.brIf(1),
  ...body,
  ...bump(idx, typeof step === "number" ? ["const", step] : step[1]),
  ...op.br(0), ...op.end, ...op.end,
];

/** The driver for one dtype; `fn` gives the index of a function of the module by name. */
export function gemmCols(name: string, esize: 4 | 8, mr: number, kern: string, pack: string, fn: (name: string) => number): FuncDef {
  const nr = 32 / esize, nc = NC[esize], MC = mcFor(mr);
  const log2 = (n: number): number => Math.log2(n);
  const rowBlock = [
    ...min(op.i32(MC), [...op.get(MP), ...op.get(IC), ...op.sub]), ...op.set(MCL),
    // kern(pa + (mp·pc + ic·kc)·esize, pb, tile + ic·ldt + jc·8, mc / mr, ⌈nc / nr⌉, kc, ldt, pc = 0)
    ...op.get(PA), ...op.get(MP), ...op.get(PC), ...op.mul, ...op.get(IC), ...op.get(KCL), ...op.mul, ...op.add,
    ...op.i32(esize), ...op.mul, ...op.add,
    ...op.get(PB),
    ...op.get(TILE), ...op.get(IC), ...op.get(LDT), ...op.mul, ...op.add,
    ...op.get(JC), ...op.i32(8), ...op.get(OVER), ...op.i32(1), ...op.shrU, ...op.shrU, ...op.mul, ...op.add,
    ...op.get(MCL), ...op.i32(mr), ...op.divU,
    ...op.get(NCL), ...op.i32(nr - 1), ...op.add, ...op.i32(log2(nr)), ...op.shrU,
    ...op.get(KCL), ...op.get(LDT), ...op.get(OVER), ...op.get(PC), ...op.eqz, ...op.get(OVER), ...op.i32(2), ...op.geU, ...op.select,
    ...op.call(fn(kern)),
  ];
  const depthBlock = [
    ...min(op.get(KB), [...op.get(K), ...op.get(PC), ...op.sub]), ...op.set(KCL),
    // pack(b + pc·sbk + jc·sbj, sbk, sbj, kc, nc, pb)
    ...op.get(B), ...op.get(PC), ...op.get(SBK), ...op.mul, ...op.add, ...op.get(JC), ...op.get(SBJ), ...op.mul, ...op.add,
    ...op.get(SBK), ...op.get(SBJ), ...op.get(KCL), ...op.get(NCL), ...op.get(PB),
    ...op.call(fn(pack)),
    ...op.i32(0), ...op.set(IC),
    ...upTo(IC, MP, MC, rowBlock),
  ];
  const columnBlock = [
    ...min(op.i32(nc), [...op.get(N1), ...op.get(JC), ...op.sub]), ...op.set(NCL),
    ...op.i32(0), ...op.set(PC),
    ...upTo(PC, K, ["local", KB], depthBlock),
  ];
  const tileArgs = [
    ...op.get(TILE), ...op.get(N0), ...op.i32(8), ...op.mul, ...op.add, ...op.get(LDT),
    ...op.get(C), ...op.get(N0), ...op.i32(esize), ...op.mul, ...op.add,
    ...op.get(M), ...op.get(N1), ...op.get(N0), ...op.sub, ...op.get(LDC),
  ];
  const suffix = esize === 4 ? "32" : "64";
  return {
    name,
    params: 15,
    locals: [[7, I32]],
    body: [
      // overwrite = mode | depth block << 2
      ...op.get(OVER), ...op.i32(2), ...op.shrU, ...op.set(KB),
      ...op.get(OVER), ...op.i32(3), ...op.and, ...op.set(OVER),
      ...op.get(N0), ...op.set(JC),
      ...upTo(JC, N1, nc, columnBlock),
      ...op.get(OVER), ...op.i32(2), ...op.ltU, ...op.if,
      ...op.get(OVER), ...op.if,
      ...tileArgs, ...op.call(fn(`setTile${suffix}`)),
      ...op.else,
      ...tileArgs, ...op.call(fn(`addTile${suffix}`)),
      ...op.end,
      ...op.end,
    ],
  };
}
