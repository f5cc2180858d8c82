// im2col and col2im in WebAssembly for convolutions without padding and with horizontal stride 1,
// where every window row is a contiguous run of the image row. im2col copies each run 16 bytes at a
// time (then 4), bit for bit, so one function serves both dtypes; col2im adds each run of the
// columns into the image (f32x4 or f64x2, then one number at a time), in the same order as the
// JavaScript col2im. Element (c, i, j | n, y, x) of the columns is image n's plane c at row
// y·sh + i·dh, column x + j·dw.
import { bump, countDown, type FuncDef, I32, op } from "./assemble.js";

// im2colRows(src, dst, …) copies image → columns; col2imRows32/64(img, cols, …) adds columns → image.
// im2colRows(src, dst, m, imgb, ch, hwb, kh, kw, oh, owb, ldb, shb, dhb, dwb), all in bytes but the
// counts m (images), ch (channels), kh, kw, oh: image n at src + n·imgb, plane c at + c·hwb; output
// row y reads from y·shb, kernel row i from i·dhb, kernel column j from j·dwb; column row (c, i, j)
// at dst + ((c·kh + i)·kw + j)·ldb, image n's part of it at + n·oh·owb.
const [SRC, DST, M, IMGB, CH, HWB, KH, KW, OH, OWB, LDB, SHB, DHB, DWB] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
const [CC, II, JJ, NN, YY, SC, SI, SJ, S, D, DROW, REM, PS, PD] = [14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27];

/** im2col (esize 0: any element size, it copies bytes) or col2im (esize 4 or 8: it adds numbers). */
function rowsFunction(name: string, esize: 0 | 4 | 8): FuncDef {
  // copy (or add) owb bytes between image run s and column run d (16 at a time, then one word or number), then s += shb, d += owb
  const vec = esize === 0
    ? [...op.get(PD), ...op.get(PS), ...op.v128Load(0), ...op.v128Store(0)]
    : [...op.get(PS), ...op.get(PS), ...op.v128Load(0), ...op.get(PD), ...op.v128Load(0), ...(esize === 4 ? op.f32x4Add : op.f64x2Add), ...op.v128Store(0)];
  const word = esize === 0 ? 4 : esize;
  const one = esize === 0
    ? [...op.get(PD), ...op.get(PS), ...op.i32Load(0), ...op.i32Store(0)]
    : esize === 4
      ? [...op.get(PS), ...op.get(PS), ...op.f32Load(0), ...op.get(PD), ...op.f32Load(0), ...op.f32Add, ...op.f32Store(0)]
      : [...op.get(PS), ...op.get(PS), ...op.f64Load(0), ...op.get(PD), ...op.f64Load(0), ...op.f64Add, ...op.f64Store(0)];
  const copyRun = [
    ...op.get(S), ...op.set(PS), ...op.get(D), ...op.set(PD), ...op.get(OWB), ...op.set(REM),
    ...op.block, ...op.loop,
    ...op.get(REM), ...op.i32(16), ...op.ltU, ...op.brIf(1),
    ...vec,
    ...bump(PS, ["const", 16]), ...bump(PD, ["const", 16]), ...bump(REM, ["const", -16]),
    ...op.br(0), ...op.end, ...op.end,
    ...countDown(REM, [...op.get(REM), ...op.i32(Math.log2(word)), ...op.shrU], [
      ...one,
      ...bump(PS, ["const", word]), ...bump(PD, ["const", word]),
    ]),
    ...bump(S, SHB), ...bump(D, OWB),
  ];
  const image = [
    ...op.get(SJ), ...op.set(S),
    ...countDown(YY, op.get(OH), copyRun),
    ...bump(SJ, IMGB),
  ];
  const row = [
    // this (c, i, j) row: images side by side, each oh runs of owb bytes
    ...op.get(DROW), ...op.set(D),
    ...countDown(NN, op.get(M), image),
    // sj went on by m·imgb: take it back and step to the next j
    ...op.get(SJ), ...op.get(M), ...op.get(IMGB), ...op.mul, ...op.sub, ...op.get(DWB), ...op.add, ...op.set(SJ),
    ...bump(DROW, LDB),
  ];
  return {
    name,
    params: 14,
    locals: [[14, I32]],
    body: [
      ...op.get(DST), ...op.set(DROW), ...op.get(SRC), ...op.set(SC),
      ...countDown(CC, op.get(CH), [
        ...op.get(SC), ...op.set(SI),
        ...countDown(II, op.get(KH), [
          ...op.get(SI), ...op.set(SJ),
          ...countDown(JJ, op.get(KW), row),
          ...bump(SI, DHB),
        ]),
        ...bump(SC, HWB),
      ]),
    ],
  };
}

// im2colPanels32(src, dst, m, imgb, ch, hwb, kh, kw, oh, ow8, shb, dhb, dwb): float32 columns written
// straight in the layout the GEMM packs B into (pack-kernel.ts: panels of 8 columns, each K deep,
// 8 numbers per depth), for output rows of whole panels (ow = 8·ow8): panel (n, y, q) holds outputs
// x = 8q … 8q + 7 of image n's row y, and its depth k = (c·kh + i)·kw + j the 8 contiguous numbers at
// plane c, row y·sh + i·dh, column 8q + j·dw; panels follow one another from dst (K·32 bytes each).
const P = { SRC: 0, DST: 1, M: 2, IMGB: 3, CH: 4, HWB: 5, KH: 6, KW: 7, OH: 8, OW8: 9, SHB: 10, DHB: 11, DWB: 12 } as const;
// counters (images, rows, panels, channels, kernel rows, kernel columns), then addresses: the image,
// the output row, the panel, the channel, the kernel row, the source run
const [CN, CY, CQ, CC2, CI, CJ, AIMG, AROW, APAN, ACH, AKR, AS] = [13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];

function panelsFunction(): FuncDef {
  const copy8 = [
    ...op.get(P.DST), ...op.get(AS), ...op.v128Load(0), ...op.v128Store(0),
    ...op.get(P.DST), ...op.get(AS), ...op.v128Load(16), ...op.v128Store(16),
    ...bump(P.DST, ["const", 32]), ...bump(AS, P.DWB),
  ];
  const panel = [
    ...op.get(APAN), ...op.set(ACH),
    ...countDown(CC2, op.get(P.CH), [
      ...op.get(ACH), ...op.set(AKR),
      ...countDown(CI, op.get(P.KH), [
        ...op.get(AKR), ...op.set(AS),
        ...countDown(CJ, op.get(P.KW), copy8),
        ...bump(AKR, P.DHB),
      ]),
      ...bump(ACH, P.HWB),
    ]),
    ...bump(APAN, ["const", 32]),
  ];
  return {
    name: "im2colPanels32",
    params: 13,
    locals: [[12, I32]],
    body: [
      ...op.get(P.SRC), ...op.set(AIMG),
      ...countDown(CN, op.get(P.M), [
        ...op.get(AIMG), ...op.set(AROW),
        ...countDown(CY, op.get(P.OH), [
          ...op.get(AROW), ...op.set(APAN),
          ...countDown(CQ, op.get(P.OW8), panel),
          ...bump(AROW, P.SHB),
        ]),
        ...bump(AIMG, P.IMGB),
      ]),
    ],
  };
}

/** im2colRows (both dtypes), col2imRows32 and col2imRows64, im2colPanels32. */
export function im2colFunctions(): FuncDef[] {
  return [rowsFunction("im2colRows", 0), rowsFunction("col2imRows32", 4), rowsFunction("col2imRows64", 8), panelsFunction()];
}
