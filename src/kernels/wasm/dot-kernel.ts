// The float32 product C (+)= A·Bᵀ with both operands' rows contiguous along the depth (nn.Linear's
// x·Wᵀ, read in place: no packing of either operand): each C element a dot product of a row of A and a
// row of B, four depths per step in the four lanes of a vector, tiles of 2 rows of A × 4 rows of B
// (eight accumulators), the lanes summed at the end as (l0 + l2) + (l1 + l3) and written into C once.
// Rows of A and columns of C past the last whole tile are done by 1-row and 1-column tiles, with the
// same order of sums. K must be a multiple of 4 (gemm.ts checks).
import { bump, type FuncDef, I32, op, V128 } from "./assemble.js";

// sdot(a, lda, b, ldb, c, ldc, m, n, k, mode), addresses and strides in bytes: A's row i at a + i·lda,
// B's row j at b + j·ldb (k numbers each), C's element (i, j) at c + i·ldc + 4j; mode 1: C = A·Bᵀ, 0: C += A·Bᵀ.
const [A, LDA, B, LDB, C, LDC, M, N, K, MODE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const [I, J, PA0, PA1, PB, KE, L2, L3, CP] = [10, 11, 12, 13, 14, 15, 16, 17, 18];
// v128 locals: accumulators (row r, column c at ACC + 4r + c), the two A vectors, one B vector
const ACC = 19, X0 = ACC + 8, X1 = X0 + 1, W = X1 + 1;

const lanes = (x: readonly number[]): number[] => x.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]);

/** One tile of mr (1 or 2) rows of A at row I and nr (1 or 4) rows of B at row J. */
function tile(mr: 1 | 2, nr: 1 | 4, fma: boolean): number[] {
  const rows = Array.from({ length: mr }, (_, r) => r), cols = Array.from({ length: nr }, (_, c) => c);
  const acc = (r: number, c: number): number => ACC + 4 * r + c;
  const bAt = (c: number): number[] => c === 0 ? op.get(PB) : c === 1 ? [...op.get(PB), ...op.get(LDB), ...op.add] : [...op.get(PB), ...op.get(c === 2 ? L2 : L3), ...op.add];
  // Σ of the four lanes of each accumulator of row r, as (l0 + l2) + (l1 + l3): a vector of nr sums (lane c: column c)
  const sums = (r: number): number[] => nr === 4
    ? [
      ...op.get(acc(r, 0)), ...op.get(acc(r, 1)), ...op.shuffle(lanes([0, 1, 4, 5])), ...op.get(acc(r, 0)), ...op.get(acc(r, 1)), ...op.shuffle(lanes([2, 3, 6, 7])), ...op.f32x4Add,
      ...op.get(acc(r, 2)), ...op.get(acc(r, 3)), ...op.shuffle(lanes([0, 1, 4, 5])), ...op.get(acc(r, 2)), ...op.get(acc(r, 3)), ...op.shuffle(lanes([2, 3, 6, 7])), ...op.f32x4Add,
      ...op.set(W), ...op.set(X0),
      ...op.get(X0), ...op.get(W), ...op.shuffle(lanes([0, 2, 4, 6])), ...op.get(X0), ...op.get(W), ...op.shuffle(lanes([1, 3, 5, 7])), ...op.f32x4Add,
    ]
    : [
      ...op.get(acc(r, 0)), ...op.get(acc(r, 0)), ...op.get(acc(r, 0)), ...op.shuffle(lanes([2, 3, 2, 3])), ...op.f32x4Add, ...op.set(W),
      ...op.get(W), ...op.get(W), ...op.get(W), ...op.shuffle(lanes([1, 1, 1, 1])), ...op.f32x4Add,
    ];
  // C row I + r, columns J…: (+)= the sums (one rounding of c + the sum when adding)
  const store = (r: number): number[] => {
    const at = [...op.get(CP), ...(r === 0 ? [] : [...op.get(LDC), ...op.add])];
    return nr === 4
      ? [
        ...sums(r), ...op.set(X1),
        ...op.get(MODE), ...op.eqz, ...op.if, ...at, ...op.v128Load(0), ...op.get(X1), ...op.f32x4Add, ...op.set(X1), ...op.end,
        ...at, ...op.get(X1), ...op.v128Store(0),
      ]
      : [
        ...sums(r), ...op.set(X1),
        ...op.get(MODE), ...op.eqz, ...op.if, ...at, ...op.load32Zero(0), ...op.get(X1), ...op.f32x4Add, ...op.set(X1), ...op.end,
        ...at, ...op.get(X1), ...op.f32x4ExtractLane(0), ...op.f32Store(0),
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
  const body = (mr: 1 | 2, nr: 1 | 4): number[] => tile(mr, nr, fma);
  // rows in pairs, then the odd last row
  const allRows = (nr: 1 | 4): number[] => [
    ...steps(I, op.i32(0), op.get(M), 2, body(2, nr)),
    ...op.get(M), ...op.i32(1), ...op.and, ...op.if, ...op.get(M), ...op.i32(1), ...op.sub, ...op.set(I), ...body(1, nr), ...op.end,
  ];
  return [{
    name: "sdot",
    params: 10,
    locals: [[9, I32], [11, V128]],
    body: [
      ...op.get(LDB), ...op.i32(2), ...op.mul, ...op.set(L2),
      ...op.get(LDB), ...op.i32(3), ...op.mul, ...op.set(L3),
      ...steps(J, op.i32(0), op.get(N), 4, allRows(4)),
      // the last n mod 4 columns, one at a time
      ...steps(J, [...op.get(N), ...op.i32(-4), ...op.and], op.get(N), 1, allRows(1)),
    ],
  }];
}
