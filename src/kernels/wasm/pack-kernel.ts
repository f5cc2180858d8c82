// The copies around the micro-kernel, in WebAssembly so no JavaScript loop touches the numbers:
// packing a depth block of A into strips and of B into panels (any strides, so a transposed operand
// is read in place), and adding the float64 tile into C (rounded once to float32 for sgemm).
import { bump, countDown, type FuncDef, forRange, I32, op, V128 } from "./assemble.js";

// pack(src, sbk, sbj, kc, n, dst): element (k, j) at src + k·sbk + j·sbj (bytes), j < n → panels of
// nr lanes, row k of panel p at dst + (p·kc + k)·ROW (ROW = nr·esize bytes), zero-padded. B packs its
// columns as lanes (nr = 8 f32 or 4 f64), A its rows (nr = MR = 4).
const [SRC, SBK, SBJ, KC, N, DST] = [0, 1, 2, 3, 4, 5];
const [J0, W, KK, SP, DP, J, K0] = [6, 7, 8, 9, 10, 11, 12];
// v128 locals of the transposing copy: eight columns' four depths, four half-transposed pairs
const CV = 13, TV = CV + 8;

function pack(name: string, esize: 4 | 8, nr: number): FuncDef {
  const ROW = nr * esize;
  const load = esize === 4 ? op.f32Load(0) : op.f64Load(0);
  const store = esize === 4 ? op.f32Store(0) : op.f64Store(0);
  const zero = esize === 4 ? op.f32Zero : op.f64Zero;
  // a full panel with contiguous lanes: each row is ROW contiguous bytes, one or two v128 copies
  const rowCopy = [
    ...op.get(SRC), ...op.get(J0), ...op.i32(esize), ...op.mul, ...op.add, ...op.set(SP),
    ...op.get(DST), ...op.set(DP),
    ...countDown(KK, op.get(KC), [
      ...[0, 16].filter((at) => at < ROW).flatMap((at) => [...op.get(DP), ...op.get(SP), ...op.v128Load(at), ...op.v128Store(at)]),
      ...bump(SP, SBK), ...bump(DP, ["const", ROW]),
    ]),
  ];
  // any strides: column by column from depth k0 (contiguous reads when B is transposed), zeros past column n
  const column = [
    ...op.get(DST), ...op.get(J), ...op.i32(esize), ...op.mul, ...op.add, ...op.get(K0), ...op.i32(ROW), ...op.mul, ...op.add, ...op.set(DP),
    ...op.get(J), ...op.get(W), ...op.ltU, ...op.if,
    ...op.get(SRC), ...op.get(J0), ...op.get(J), ...op.add, ...op.get(SBJ), ...op.mul, ...op.add, ...op.get(K0), ...op.get(SBK), ...op.mul, ...op.add, ...op.set(SP),
    ...countDown(KK, [...op.get(KC), ...op.get(K0), ...op.sub], [...op.get(DP), ...op.get(SP), ...load, ...store, ...bump(SP, SBK), ...bump(DP, ["const", ROW])]),
    ...op.else,
    ...countDown(KK, [...op.get(KC), ...op.get(K0), ...op.sub], [...op.get(DP), ...zero, ...store, ...bump(DP, ["const", ROW])]),
    ...op.end,
  ];
  // float32, a full panel (4 or 8 columns) with contiguous depths (B read transposed, A not): four depths
  // of every column per step, one 4×4 transpose in shuffles per four columns, then the last kc mod 4
  // depths by `column`
  const lanes = (x: readonly number[]): number[] => x.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);
  const transpose4 = (c: number, half: number): number[] => [
    ...op.get(CV + c), ...op.get(CV + c + 1), ...op.shuffle(lanes([0, 4, 1, 5])), ...op.set(TV),
    ...op.get(CV + c), ...op.get(CV + c + 1), ...op.shuffle(lanes([2, 6, 3, 7])), ...op.set(TV + 1),
    ...op.get(CV + c + 2), ...op.get(CV + c + 3), ...op.shuffle(lanes([0, 4, 1, 5])), ...op.set(TV + 2),
    ...op.get(CV + c + 2), ...op.get(CV + c + 3), ...op.shuffle(lanes([2, 6, 3, 7])), ...op.set(TV + 3),
    ...[[0, 2, [0, 1, 4, 5]], [0, 2, [2, 3, 6, 7]], [1, 3, [0, 1, 4, 5]], [1, 3, [2, 3, 6, 7]]].flatMap(([x, y, l], r) => [
      ...op.get(DP), ...op.get(TV + (x as number)), ...op.get(TV + (y as number)), ...op.shuffle(lanes(l as number[])), ...op.v128Store(r * ROW + half),
    ]),
  ];
  const transposed = [
    ...op.get(SRC), ...op.get(J0), ...op.get(SBJ), ...op.mul, ...op.add, ...op.set(SP),
    ...op.get(DST), ...op.set(DP),
    ...countDown(KK, [...op.get(KC), ...op.i32(2), ...op.shrU], [
      ...Array.from({ length: nr }, (_, j) => [...op.get(SP), ...op.get(SBJ), ...op.i32(j), ...op.mul, ...op.add, ...op.v128Load(0), ...op.set(CV + j)]).flat(),
      ...Array.from({ length: nr / 4 }, (_, h) => transpose4(4 * h, 16 * h)).flat(),
      ...bump(SP, ["const", 16]), ...bump(DP, ["const", 4 * ROW]),
    ]),
    ...op.get(KC), ...op.i32(-4), ...op.and, ...op.set(K0),
  ];
  const strided = (k0: number[]): number[] => [
    ...k0, ...op.set(K0),
    ...op.i32(0), ...op.set(J),
    ...op.block, ...op.loop,
    ...op.get(J), ...op.i32(nr), ...op.geU, ...op.brIf(1),
    ...column,
    ...bump(J, ["const", 1]),
    ...op.br(0), ...op.end, ...op.end,
  ];
  const panel = [
    // w = min(nr, n − j0)
    ...op.i32(nr), ...op.get(N), ...op.get(J0), ...op.sub, ...op.tee(W),
    ...op.get(W), ...op.i32(nr), ...op.gtU, ...op.select, ...op.set(W),
    ...(ROW % 16 === 0 ? [
      ...op.get(SBJ), ...op.i32(esize), ...op.eq, ...op.get(W), ...op.i32(nr), ...op.eq, ...op.and,
      ...op.if, ...rowCopy, ...op.else,
      ...(esize === 4 ? [
        ...op.get(SBK), ...op.i32(esize), ...op.eq, ...op.get(W), ...op.i32(nr), ...op.eq, ...op.and,
        ...op.if, ...transposed, ...strided(op.get(K0)), ...op.else, ...strided(op.i32(0)), ...op.end,
      ] : strided(op.i32(0))),
      ...op.end,
    ] : strided(op.i32(0))),
    ...op.get(DST), ...op.get(KC), ...op.i32(ROW), ...op.mul, ...op.add, ...op.set(DST),
  ];
  return {
    name,
    params: 6,
    locals: [[7, I32], [12, V128]],
    body: [
      ...op.i32(0), ...op.set(J0),
      ...op.block, ...op.loop,
      ...op.get(J0), ...op.get(N), ...op.geU, ...op.brIf(1),
      ...panel,
      ...bump(J0, ["const", nr]),
      ...op.br(0), ...op.end, ...op.end,
    ],
  };
}

// addTile(tile, ldt, c, m, n, ldc): C[i, j] (rows ldc bytes apart) += tile[i, j] (float64, rows ldt
// bytes apart) for i < m, j < n; setTile: C[i, j] = tile[i, j] (rounded to float32 for esize 4). The
// float32 ones do four columns per step in SIMD, then the rest one at a time.
const [T, LDT, CC, M, NN, LDC] = [0, 1, 2, 3, 4, 5];
const [I, JJ, TP, CP] = [6, 7, 8, 9];

function addTile(name: string, esize: 4 | 8, add = true): FuncDef {
  const c = add ? (esize === 4 ? [...op.get(CP), ...op.f32Load(0), ...op.f64PromoteF32] : [...op.get(CP), ...op.f64Load(0)]) : [];
  const sum = [
    ...op.get(CP), ...c, ...op.get(TP), ...op.f64Load(0), ...(add ? op.f64Add : []),
    ...(esize === 4 ? [...op.f32DemoteF64, ...op.f32Store(0)] : op.f64Store(0)),
  ];
  // float32, four columns at a time: the same f32(f64(c) + t) per lane (f64x2 promote, add, demote)
  const half = (at: number): number[] => [
    ...(add ? [...op.get(CP), ...op.v128Load(0), ...(at === 0 ? [] : [...op.get(CP), ...op.v128Load(0), ...op.shuffleHigh]), ...op.f64x2PromoteLow] : []),
    ...op.get(TP), ...op.v128Load(at), ...(add ? op.f64x2Add : []), ...op.f32x4DemoteZero,
  ];
  const quad = [
    ...op.get(CP), ...half(0), ...half(16), ...op.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]), ...op.v128Store(0),
    ...bump(CP, ["const", 16]), ...bump(TP, ["const", 32]),
    ...op.get(JJ), ...op.i32(4), ...op.sub, ...op.set(JJ),
  ];
  const vectors = esize === 4 ? [
    ...op.block, ...op.loop,
    ...op.get(JJ), ...op.i32(4), ...op.ltU, ...op.brIf(1),
    ...quad,
    ...op.br(0), ...op.end, ...op.end,
  ] : [];
  return {
    name,
    params: 6,
    locals: [[4, I32]],
    body: [
      ...forRange(I, M, [
        ...op.get(T), ...op.get(I), ...op.get(LDT), ...op.mul, ...op.add, ...op.set(TP),
        ...op.get(CC), ...op.get(I), ...op.get(LDC), ...op.mul, ...op.add, ...op.set(CP),
        ...op.get(NN), ...op.set(JJ), ...vectors,
        ...countDown(JJ, op.get(JJ), [...sum, ...bump(CP, ["const", esize]), ...bump(TP, ["const", 8])]),
      ]),
    ],
  };
}

/** pack32x8 (B, f32), pack32x<mr32> (A, f32), pack64x4 (A and B, f64), addTile32/64 and setTile32/64. */
export function packFunctions(mr32: number): FuncDef[] {
  return [
    pack("pack32x8", 4, 8), pack(`pack32x${mr32}`, 4, mr32), pack("pack64x4", 8, 4),
    addTile("addTile32", 4), addTile("addTile64", 8), addTile("setTile32", 4, false), addTile("setTile64", 8, false),
  ];
}
