// Max pooling's argmax in WebAssembly for windows without padding or dilation (every window inside
// its plane): each window's first maximum in row-major order, a NaN winning (the rule of
// kernels/conv.ts), found without branches: an element is taken when it beats the best so far, or
// is the first NaN (v ≠ v while the best is not): the index moves with an integer `select` and the
// best with max (a float `select` compiles to a branch), so random data costs no mispredictions.
import { bump, F32, F64, type FuncDef, forRange, I32, op, V128 } from "./assemble.js";

// argmax32/64(x, planes, planeb, wb, kh, kw, shb, swb, oh, ow, out, origin): plane p at x + p·planeb,
// rows wb bytes apart, window (y, x) at + y·shb + x·swb; out[o] (i32) = the element index, counted
// from byte `origin`, of window o's argmax.
const [X, PLANES, PLANEB, WB, KH, KW, SHB, SWB, OH, OW, OUT, ORIGIN] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const [P, Y, XO, I, J, PL, YR, BASE, ROW, PTR, AT] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
const [BEST, V] = [23, 24];

/** Any window (kh × kw loops), or `unrolled` for 2×2 windows (four straight-line candidates). */
function argmax(name: string, esize: 4 | 8, unrolled = false): FuncDef {
  const load = esize === 4 ? op.f32Load(0) : op.f64Load(0);
  const [gt, ne, eq] = esize === 4 ? [op.f32Gt, op.f32Ne, op.f32Eq] : [op.f64Gt, op.f64Ne, op.f64Eq];
  const TAKE = V + 1; // an i32 local after the two floats
  // consider the element at PTR
  const consider = [
    ...op.get(PTR), ...load, ...op.set(V),
    ...op.get(V), ...op.get(BEST), ...gt,
    ...op.get(V), ...op.get(V), ...ne, ...op.get(BEST), ...op.get(BEST), ...eq, ...op.and,
    ...op.or, ...op.set(TAKE),
    // best = max(best, v), NaN-propagating: equal to v exactly when v is taken, up to the sign of a zero (which no comparison sees)
    ...op.get(BEST), ...op.get(V), ...(esize === 4 ? op.f32Max : op.f64Max), ...op.set(BEST),
    ...op.get(PTR), ...op.get(AT), ...op.get(TAKE), ...op.select, ...op.set(AT),
  ];
  const body = [...op.get(ROW), ...op.get(J), ...op.i32(esize), ...op.mul, ...op.add, ...op.set(PTR), ...consider];
  // 2×2: base + esize, base + wb, base + wb + esize after the first
  const four = [
    ...op.get(BASE), ...op.i32(esize), ...op.add, ...op.set(PTR), ...consider,
    ...op.get(BASE), ...op.get(WB), ...op.add, ...op.set(PTR), ...consider,
    ...op.get(BASE), ...op.get(WB), ...op.add, ...op.i32(esize), ...op.add, ...op.set(PTR), ...consider,
  ];
  const window = [
    ...op.get(YR), ...op.get(XO), ...op.get(SWB), ...op.mul, ...op.add, ...op.tee(BASE), ...op.set(AT),
    ...op.get(BASE), ...load, ...op.set(BEST),
    ...(unrolled ? four : forRange(I, KH, [
      ...op.get(BASE), ...op.get(I), ...op.get(WB), ...op.mul, ...op.add, ...op.set(ROW),
      ...forRange(J, KW, body),
    ])),
    // out[o] = (at − origin) / esize
    ...op.get(OUT), ...op.get(AT), ...op.get(ORIGIN), ...op.sub, ...op.i32(Math.log2(esize)), ...op.shrU, ...op.i32Store(0),
    ...bump(OUT, ["const", 4]),
  ];
  return {
    name,
    params: 12,
    locals: [[11, I32], [2, esize === 4 ? F32 : F64], [1, I32]],
    body: forRange(P, PLANES, [
      ...op.get(X), ...op.get(P), ...op.get(PLANEB), ...op.mul, ...op.add, ...op.set(PL),
      ...forRange(Y, OH, [
        ...op.get(PL), ...op.get(Y), ...op.get(SHB), ...op.mul, ...op.add, ...op.set(YR),
        ...forRange(XO, OW, window),
      ]),
    ]),
  };
}

// argmax2x2x4(x, planes, planeb, wb, shb, oh, ow4, out, origin): float32 2×2 windows with horizontal
// stride 2, four windows at a time (ow4 = ow / 4 groups): the two rows' eight numbers are split into
// the windows' four corners (even and odd lanes), and each lane keeps its best and its corner's
// offset (0, 1, w, w + 1) under the same rule, then writes index = window start + offset.
const Q = { X: 0, PLANES: 1, PLANEB: 2, WB: 3, SHB: 4, OH: 5, OW4: 6, OUT: 7, ORIGIN: 8 } as const;
const [QP, QY, QG, QR0, QR1] = [9, 10, 11, 12, 13];
const [VBEST, VOFF, VC, VTAKE, VW, VIDX] = [14, 15, 16, 17, 18, 19];

function argmax2x2x4(): FuncDef {
  const even = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27], odd = even.map((b) => b + 4);
  // corner candidate in VC with offset vector (built by `off`)
  const consider = (off: number[]): number[] => [
    ...op.get(VC), ...op.get(VBEST), ...op.f32x4Gt,
    ...op.get(VC), ...op.get(VC), ...op.f32x4Ne, ...op.get(VBEST), ...op.get(VBEST), ...op.f32x4Eq, ...op.v128And,
    ...op.v128Or, ...op.set(VTAKE),
    ...op.get(VBEST), ...op.get(VC), ...op.f32x4Max, ...op.set(VBEST),
    ...off, ...op.get(VOFF), ...op.get(VTAKE), ...op.v128Bitselect, ...op.set(VOFF),
  ];
  const load2 = (r: number): number[] => [...op.get(r), ...op.v128Load(0), ...op.get(r), ...op.v128Load(16)];
  const group = [
    ...load2(QR0), ...op.shuffle(even), ...op.set(VBEST),
    ...op.v128Zero, ...op.set(VOFF),
    ...load2(QR0), ...op.shuffle(odd), ...op.set(VC), ...consider([...op.i32(1), ...op.i32x4Splat]),
    ...load2(QR1), ...op.shuffle(even), ...op.set(VC), ...consider([...op.get(VW)]),
    ...load2(QR1), ...op.shuffle(odd), ...op.set(VC), ...consider([...op.get(VW), ...op.i32(1), ...op.i32x4Splat, ...op.i32x4Add]),
    // out[4] = window starts (element indices from origin: (r0 − origin)/4 + 0, 2, 4, 6) + offsets
    ...op.get(Q.OUT),
    ...op.get(QR0), ...op.get(Q.ORIGIN), ...op.sub, ...op.i32(2), ...op.shrU, ...op.i32x4Splat, ...op.get(VIDX), ...op.i32x4Add,
    ...op.get(VOFF), ...op.i32x4Add, ...op.v128Store(0),
    ...bump(Q.OUT, ["const", 16]), ...bump(QR0, ["const", 32]), ...bump(QR1, ["const", 32]),
  ];
  return {
    name: "argmax2x2x4_32",
    params: 9,
    locals: [[5, I32], [6, V128]],
    body: [
      // VW = splat(w) in elements; VIDX = [0, 2, 4, 6]
      ...op.get(Q.WB), ...op.i32(2), ...op.shrU, ...op.i32x4Splat, ...op.set(VW),
      ...op.v128Const([0, 2, 4, 6]), ...op.set(VIDX),
      ...forRange(QP, Q.PLANES, forRange(QY, Q.OH, [
        ...op.get(Q.X), ...op.get(QP), ...op.get(Q.PLANEB), ...op.mul, ...op.add, ...op.get(QY), ...op.get(Q.SHB), ...op.mul, ...op.add, ...op.tee(QR0),
        ...op.get(Q.WB), ...op.add, ...op.set(QR1),
        ...forRange(QG, Q.OW4, group),
      ])),
    ],
  };
}

/** argmax32 and argmax64 (any window), argmax2x2_32 and argmax2x2_64 (kh = kw = 2, kh and kw ignored), argmax2x2x4_32; gatherIdx and scatterIdx. */
export function poolFunctions(): FuncDef[] {
  return [
    argmax("argmax32", 4), argmax("argmax64", 8), argmax("argmax2x2_32", 4, true), argmax("argmax2x2_64", 8, true), argmax2x2x4(),
    gatherIdx(4), gatherIdx(8), scatterIdx(4), scatterIdx(8),
  ];
}

// gatherIdx32/64(idx, n, origin, out): out[o] = the element at index idx[o] (i32, counted from byte
// `origin`) for o < n: a max pool's values at its argmax.
// scatterIdx32/64(idx, n, g, dst): dst[idx[o]] += g[o] for o = 0 … n − 1 in order (the JavaScript
// scatter's order, so the same bits: one float32 addition rounds as the float64 one rounded to
// float32 does): a max pool's backward.
const [SI, SN, SG, SDST] = [0, 1, 2, 3];
const [SK, SA] = [4, 5];

function gatherIdx(esize: 4 | 8): FuncDef {
  const [IDX, N, ORG, OUT] = [0, 1, 2, 3];
  return {
    name: `gatherIdx${esize * 8}`,
    params: 4,
    locals: [[1, I32]],
    body: forRange(4, N, [
      ...op.get(OUT),
      ...op.get(ORG), ...op.get(IDX), ...op.i32Load(0), ...op.i32(esize), ...op.mul, ...op.add,
      ...(esize === 4 ? [...op.f32Load(0), ...op.f32Store(0)] : [...op.f64Load(0), ...op.f64Store(0)]),
      ...bump(IDX, ["const", 4]), ...bump(OUT, ["const", esize]),
    ]),
  };
}

function scatterIdx(esize: 4 | 8): FuncDef {
  const [load, store, add] = esize === 4 ? [op.f32Load(0), op.f32Store(0), op.f32Add] : [op.f64Load(0), op.f64Store(0), op.f64Add];
  return {
    name: `scatterIdx${esize * 8}`,
    params: 4,
    locals: [[2, I32]],
    body: [
      ...forRange(SK, SN, [
        ...op.get(SDST), ...op.get(SI), ...op.i32Load(0), ...op.i32(esize), ...op.mul, ...op.add, ...op.tee(SA),
        ...op.get(SA), ...load, ...op.get(SG), ...load, ...add, ...store,
        ...bump(SI, ["const", 4]), ...bump(SG, ["const", esize]),
      ]),
    ],
  };
}

/** The argmax functions (name, element size, parameter count, and the indices of out and origin among them). */
const ARGMAXES = [
  ["argmax32", 4, 12, 10, 11], ["argmax64", 8, 12, 10, 11], ["argmax2x2_32", 4, 12, 10, 11], ["argmax2x2_64", 8, 12, 10, 11], ["argmax2x2x4_32", 4, 9, 7, 8],
] as const;

/**
 * For each argmax function A: `${A}Gather`(A's parameters…, n, vals) runs A, then gatherIdx over its n
 * windows into vals (a max pool's forward); `${A}Scatter`(A's parameters…, n, g, dst) runs A, then
 * scatterIdx of g into dst laid out as x (an index counts from origin in x, from dst in dst: its
 * backward). One call per range of planes, so one thread does both for its planes (windows never
 * reach across planes, so threads never add into the same number). `fn` gives a function's index.
 */
export function poolThenFunctions(fn: (name: string) => number): FuncDef[] {
  return ARGMAXES.flatMap(([name, esize, params, out, origin]) => {
    const all = Array.from({ length: params }, (_, i) => op.get(i)).flat();
    const [N, VALS, G, DST] = [params, params + 1, params + 1, params + 2];
    return [
      { name: `${name}Gather`, params: params + 2, locals: [], body: [...all, ...op.call(fn(name)), ...op.get(out), ...op.get(N), ...op.get(origin), ...op.get(VALS), ...op.call(fn(`gatherIdx${esize * 8}`))] },
      {
        name: `${name}Scatter`, params: params + 3, locals: [], body: [
          ...all, ...op.call(fn(name)),
          ...op.get(out), ...op.get(N), ...op.get(G), ...op.get(DST),
          ...op.call(fn(`scatterIdx${esize * 8}`)),
        ],
      },
    ];
  });
}
