// The float32 product C (+)= A·Bᵀ with both operands' rows contiguous along the depth (nn.Linear's
// x·Wᵀ, read in place: no packing of either operand): each C element a dot product of a row of A and a
// row of B, four depths per step in the four lanes of a vector, tiles of 2 rows of A × 4 rows of B
// (eight accumulators), the lanes summed at the end as (l0 + l2) + (l1 + l3) and written into C once.
// An odd last row of A is done by 1-row tiles; the last n mod 4 columns of C by one more tile whose
// missing rows of B repeat its first (their sums are computed and not stored), so every column is
// summed the same way at full speed. K must be a multiple of 4 (gemm.ts checks).
import { bump, type FuncDef, I32, op, V128 } from "./assemble.js";

// sdot(a, lda, b, ldb, c, ldc, m, n, k, mode), addresses and strides in bytes: A's row i at a + i·lda,
// B's row j at b + j·ldb (k numbers each), C's element (i, j) at c + i·ldc + 4j; mode 1: C = A·Bᵀ, 0: C += A·Bᵀ.
const [A, LDA, B, LDB, C, LDC, M, N, K, MODE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
// i32 locals: row, column, A and B pointers, B's end, the byte offsets of a tile's B rows 1–3 from its
// first, C's pointer, the columns of the last tile (n mod 4)
const [I, J, PA0, PA1, PB, KE, O1, O2, O3, CP, WL] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
// v128 locals: accumulators (row r, column c at ACC + 4r + c), the two A vectors, one B vector
const ACC = 21, X0 = ACC + 8, X1 = X0 + 1, W = X1 + 1;

const lanes = (x: readonly number[]): number[] => x.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);

/** One tile of mr (1 or 2) rows of A at row I and 4 rows of B at row J (O1–O3 bytes after it); `partial`: C's last WL columns only. */
function tile(mr: 1 | 2, partial: boolean, fma: boolean): number[] {
  const rows = Array.from({ length: mr }, (_, r) => r), cols = [0, 1, 2, 3];
  const acc = (r: number, c: number): number => ACC + 4 * r + c;
  const bAt = (c: number): number[] => c === 0 ? op.get(PB) : [...op.get(PB), ...op.get([O1, O2, O3][c - 1] as number), ...op.add];
  // Σ of the four lanes of each accumulator of row r, as (l0 + l2) + (l1 + l3): a vector of the 4 sums (lane c: column c)
  const sums = (r: number): number[] => [
    ...op.get(acc(r, 0)), ...op.get(acc(r, 1)), ...op.shuffle(lanes([0, 1, 4, 5])), ...op.get(acc(r, 0)), ...op.get(acc(r, 1)), ...op.shuffle(lanes([2, 3, 6, 7])), ...op.f32x4Add,
    ...op.get(acc(r, 2)), ...op.get(acc(r, 3)), ...op.shuffle(lanes([0, 1, 4, 5])), ...op.get(acc(r, 2)), ...op.get(acc(r, 3)), ...op.shuffle(lanes([2, 3, 6, 7])), ...op.f32x4Add,
    ...op.set(W), ...op.set(X0),
    ...op.get(X0), ...op.get(W), ...op.shuffle(lanes([0, 2, 4, 6])), ...op.get(X0), ...op.get(W), ...op.shuffle(lanes([1, 3, 5, 7])), ...op.f32x4Add,
  ];
  // C row I + r, columns J…: (+)= the sums (one rounding of c + the sum when adding)
  const store = (r: number): number[] => {
    const at = [...op.get(CP), ...(r === 0 ? [] : [...op.get(LDC), ...op.add])];
    return partial
      ? [
        ...sums(r), ...op.set(X1),
        // add mode: plus C's numbers, read lane by lane (only the WL columns C has here; 0 in the others)
        ...op.get(MODE), ...op.eqz, ...op.if,
        ...op.v128Zero, ...op.set(X0),
        ...[0, 1, 2].flatMap((c) => [
          ...op.get(WL), ...op.i32(c), ...op.gtU, ...op.if,
          ...op.get(X0), ...at, ...op.f32Load(4 * c), ...op.f32x4ReplaceLane(c), ...op.set(X0),
          ...op.end,
        ]),
        ...op.get(X1), ...op.get(X0), ...op.f32x4Add, ...op.set(X1),
        ...op.end,
        ...[0, 1, 2].flatMap((c) => [...op.get(WL), ...op.i32(c), ...op.gtU, ...op.if, ...at, ...op.get(X1), ...op.f32x4ExtractLane(c), ...op.f32Store(4 * c), ...op.end]),
      ]
      : [
        ...sums(r), ...op.set(X1),
        ...op.get(MODE), ...op.eqz, ...op.if, ...at, ...op.v128Load(0), ...op.get(X1), ...op.f32x4Add, ...op.set(X1), ...op.end,
        ...at, ...op.get(X1), ...op.v128Store(0),
      ];
  };
  return [
    // PA0 = a + I·lda, PA1 = PA0 + lda, PB = b + J·ldb, KE = PB + 4k, CP = c + I·ldc + 4J
    ...op.get(A), ...op.get(I), ...op.get(LDA), ...op.mul, ...op.add, ...op.set(PA0),
    ...(mr === 2 ? [...op.get(PA0), ...op.get(LDA), ...op.add, ...op.set(PA1)] : []),
    ...op.get(B), ...op.get(J), ...op.get(LDB), ...op.mul, ...op.add, ...op.set(PB),
    ...op.get(PB), ...op.get(K), ...op.i32(4), ...op.mul, ...op.add, ...op.set(KE),
    ...op.get(C), ...op.get(I), ...op.get(LDC), ...op.mul, ...op.add, ...op.get(J), ...op.i32(4), ...op.mul, ...op.add, ...op.set(CP),
    ...rows.flatMap((r) => cols.flatMap((c) => [...op.v128Zero, ...op.set(acc(r, c))])),
    ...op.loop,
    ...op.get(PA0), ...op.v128Load(0), ...op.set(X0),
    ...(mr === 2 ? [...op.get(PA1), ...op.v128Load(0), ...op.set(X1)] : []),
    ...cols.flatMap((c) => [
      ...bAt(c), ...op.v128Load(0), ...op.set(W),
      ...rows.flatMap((r) => fma
        ? [...op.get(r === 0 ? X0 : X1), ...op.get(W), ...op.get(acc(r, c)), ...op.f32x4RelaxedMadd, ...op.set(acc(r, c))]
        : [...op.get(acc(r, c)), ...op.get(r === 0 ? X0 : X1), ...op.get(W), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(acc(r, c))]),
    ]),
    ...bump(PA0, ["const", 16]), ...(mr === 2 ? bump(PA1, ["const", 16]) : []), ...bump(PB, ["const", 16]),
    ...op.get(PB), ...op.get(KE), ...op.ne, ...op.brIf(0),
    ...op.end,
    ...rows.flatMap(store),
  ];
}

// for (idx = from; idx + step ≤ limit; idx += step) body, over i32 locals (limit: a local)
const steps = (idx: number, from: number[], limit: number[], step: number, body: number[]): number[] => [
  ...from, ...op.set(idx),
  ...op.block, ...op.loop,
  ...op.get(idx), ...op.i32(step), ...op.add, ...limit, ...op.gtU, ...op.brIf(1),
  ...body,
  ...bump(idx, ["const", step]),
  ...op.br(0), ...op.end, ...op.end,
];

/** sdot: see above; `fma` as the GEMM kernels' (relaxed_madd where fused, else multiply then add). */
export function dotFunctions(fma: boolean): FuncDef[] {
  // rows in pairs, then the odd last row
  const allRows = (partial: boolean): number[] => [
    ...steps(I, op.i32(0), op.get(M), 2, tile(2, partial, fma)),
    ...op.get(M), ...op.i32(1), ...op.and, ...op.if, ...op.get(M), ...op.i32(1), ...op.sub, ...op.set(I), ...tile(1, partial, fma), ...op.end,
  ];
  // B's rows 1–3 of a tile: c·ldb bytes after its first, or (partial) its first again where B has no such row
  const offsets = (partial: boolean): number[] => [1, 2, 3].flatMap((c) => [
    ...op.get(LDB), ...op.i32(c), ...op.mul,
    ...(partial ? [...op.i32(0), ...op.get(WL), ...op.i32(c), ...op.gtU, ...op.select] : []),
    ...op.set([O1, O2, O3][c - 1] as number),
  ]);
  return [{
    name: "sdot",
    params: 10,
    locals: [[11, I32], [11, V128]],
    body: [
      ...offsets(false),
      ...steps(J, op.i32(0), op.get(N), 4, allRows(false)),
      // the last n mod 4 columns: one more tile
      ...op.get(N), ...op.i32(3), ...op.and, ...op.tee(WL), ...op.if,
      ...op.get(N), ...op.i32(-4), ...op.and, ...op.set(J),
      ...offsets(true),
      ...allRows(true),
      ...op.end,
    ],
  }];
}
