// Elementwise loops in WebAssembly SIMD for the largest arrays of a training step, over whole
// vectors only (the JavaScript side does the last few numbers), each the same numbers bit for bit
// as the JavaScript loop it stands in for: ReLU (x < 0 ? 0 : x, so NaN and −0 pass through as in PyTorch, as kernels/elementwise.ts),
// the selection cond ≠ 0 ? a : b with one b (ReLU's backward), a + b, and a + b with b one number
// per row of a (a bias broadcast over the rows of an NCHW tensor), and a > b ? 1 : 0 with one b (ReLU's mask);
// and column sums in float64 (a bias's gradient over a batch).
import { bump, countDown, type FuncDef, I32, op, V128 } from "./assemble.js";

// relu(x, o, vectors); selectConst(c, a, bAt, o, vectors) with b the vector at bAt; add(a, b, o, vectors); all bytes.
const [P0, P1, P2, P3, P4] = [0, 1, 2, 3, 4];

function relu(name: string, esize: 4 | 8): FuncDef {
  const [CNT, ZERO] = [3, 4];
  return {
    name, params: 3, locals: [[1, I32], [1, V128]],
    body: [
      ...op.v128Zero, ...op.set(ZERO),
      ...countDown(CNT, op.get(P2), [
        // o = x & ~(x < 0): NaN and −0 pass through (PyTorch's relu)
        ...op.get(P1), ...op.get(P0), ...op.v128Load(0), ...op.get(P0), ...op.v128Load(0), ...op.get(ZERO),
        ...(esize === 4 ? op.f32x4Lt : op.f64x2Lt), ...op.v128Andnot, ...op.v128Store(0),
        ...bump(P0, ["const", 16]), ...bump(P1, ["const", 16]),
      ]),
    ],
  };
}

function selectConst(name: string, esize: 4 | 8): FuncDef {
  const [CNT, ZERO, B] = [5, 6, 7];
  return {
    name, params: 5, locals: [[1, I32], [2, V128]],
    body: [
      ...op.v128Zero, ...op.set(ZERO), ...op.get(P2), ...op.v128Load(0), ...op.set(B),
      ...countDown(CNT, op.get(P4), [
        // o = bitselect(a, b, c ≠ 0)
        ...op.get(P3), ...op.get(P1), ...op.v128Load(0), ...op.get(B),
        ...op.get(P0), ...op.v128Load(0), ...op.get(ZERO), ...(esize === 4 ? op.f32x4Ne : op.f64x2Ne),
        ...op.v128Bitselect, ...op.v128Store(0),
        ...bump(P0, ["const", 16]), ...bump(P1, ["const", 16]), ...bump(P3, ["const", 16]),
      ]),
    ],
  };
}

function add(name: string, esize: 4 | 8): FuncDef {
  const CNT = 4;
  return {
    name, params: 4, locals: [[1, I32]],
    body: countDown(CNT, op.get(P3), [
      ...op.get(P2), ...op.get(P0), ...op.v128Load(0), ...op.get(P1), ...op.v128Load(0),
      ...(esize === 4 ? op.f32x4Add : op.f64x2Add), ...op.v128Store(0),
      ...bump(P0, ["const", 16]), ...bump(P1, ["const", 16]), ...bump(P2, ["const", 16]),
    ]),
  };
}

// addRows(a, o, rows, vecs, bvals): row r (vecs vectors) of o = row r of a + bvals[r] (one number per row: a per-channel bias)
function addRows(name: string, esize: 4 | 8): FuncDef {
  const [R, V, BV] = [5, 6, 7];
  const splat = esize === 4 ? op.load32Splat(0) : op.load64Splat(0);
  return {
    name, params: 5, locals: [[2, I32], [1, V128]],
    body: countDown(R, op.get(P2), [
      ...op.get(P4), ...splat, ...op.set(BV),
      ...countDown(V, op.get(P3), [
        ...op.get(P1), ...op.get(P0), ...op.v128Load(0), ...op.get(BV),
        ...(esize === 4 ? op.f32x4Add : op.f64x2Add), ...op.v128Store(0),
        ...bump(P0, ["const", 16]), ...bump(P1, ["const", 16]),
      ]),
      ...bump(P4, ["const", esize]),
    ]),
  };
}

// addCols(a, b, o, rows, vecs): row r (vecs vectors) of o = row r of a + b (one row repeated down: a Linear layer's bias over a batch)
function addCols(name: string, esize: 4 | 8): FuncDef {
  const [R, V, BP] = [5, 6, 7];
  return {
    name, params: 5, locals: [[3, I32]],
    body: countDown(R, op.get(P3), [
      ...op.get(P1), ...op.set(BP),
      ...countDown(V, op.get(P4), [
        ...op.get(P2), ...op.get(P0), ...op.v128Load(0), ...op.get(BP), ...op.v128Load(0),
        ...(esize === 4 ? op.f32x4Add : op.f64x2Add), ...op.v128Store(0),
        ...bump(P0, ["const", 16]), ...bump(BP, ["const", 16]), ...bump(P2, ["const", 16]),
      ]),
    ]),
  };
}

// gtConst(a, bAt, o, vectors): o = a > b ? 1 : 0 (a NaN gives 0), b's vector at bAt and a vector of ones at bAt + 16
function gtConst(name: string, esize: 4 | 8): FuncDef {
  const [CNT, B, ONE] = [4, 5, 6];
  return {
    name, params: 4, locals: [[1, I32], [2, V128]],
    body: [
      ...op.get(P1), ...op.v128Load(0), ...op.set(B), ...op.get(P1), ...op.v128Load(16), ...op.set(ONE),
      ...countDown(CNT, op.get(P3), [
        ...op.get(P2), ...op.get(P0), ...op.v128Load(0), ...op.get(B), ...(esize === 4 ? op.f32x4Gt : op.f64x2Gt),
        ...op.get(ONE), ...op.v128And, ...op.v128Store(0),
        ...bump(P0, ["const", 16]), ...bump(P2, ["const", 16]),
      ]),
    ],
  };
}

/** relu32/64, selectConst32/64, add32/64, addRows32/64, gtConst32/64, colSum32/64, addCols32/64. */
// colSum(x, acc, rows, pairs, rowBytes): acc[p] (f64x2, 16 bytes apart) += the f64 of x's column pair p,
// row by row (rows rowBytes apart): each column summed in float64 in row order, as kernels/reduce.ts does.
function colSum(name: string, esize: 4 | 8): FuncDef {
  const [X, ACC, ROWS, PAIRS, ROWB, R, CNT, XP, AP] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  return {
    name, params: 5, locals: [[4, I32]],
    body: countDown(R, op.get(ROWS), [
      ...op.get(X), ...op.set(XP), ...op.get(ACC), ...op.set(AP),
      ...countDown(CNT, op.get(PAIRS), [
        ...op.get(AP), ...op.get(AP), ...op.v128Load(0),
        ...op.get(XP), ...(esize === 4 ? [...op.load64Zero(0), ...op.f64x2PromoteLow] : op.v128Load(0)),
        ...op.f64x2Add, ...op.v128Store(0),
        ...bump(AP, ["const", 16]), ...bump(XP, ["const", 2 * esize]),
      ]),
      ...bump(X, ROWB),
    ]),
  };
}

export function elementwiseFunctions(): FuncDef[] {
  return [
    relu("relu32", 4), relu("relu64", 8), selectConst("selectConst32", 4), selectConst("selectConst64", 8), add("add32", 4), add("add64", 8),
    addRows("addRows32", 4), addRows("addRows64", 8), gtConst("gtConst32", 4), gtConst("gtConst64", 8),
    colSum("colSum32", 4), colSum("colSum64", 8), addCols("addCols32", 4), addCols("addCols64", 8),
  ];
}
