// im2col in WebAssembly for convolutions without padding and with horizontal stride 1, where every
// window row is a contiguous run of the image row: each run is copied 16 bytes at a time (then 4),
// bit for bit, so one function serves both dtypes. Element (c, i, j | n, y, x) of the columns is
// image n's plane c at row y·sh + i·dh, column x + j·dw.
import { bump, countDown, type FuncDef, I32, op } from "./assemble.js";

// im2colRows(src, dst, m, imgb, ch, hwb, kh, kw, oh, owb, ldb, shb, dhb, dwb), all in bytes but the
// counts m (images), ch (channels), kh, kw, oh: image n at src + n·imgb, plane c at + c·hwb; output
// row y reads from y·shb, kernel row i from i·dhb, kernel column j from j·dwb; column row (c, i, j)
// at dst + ((c·kh + i)·kw + j)·ldb, image n's part of it at + n·oh·owb.
const [SRC, DST, M, IMGB, CH, HWB, KH, KW, OH, OWB, LDB, SHB, DHB, DWB] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
const [CC, II, JJ, NN, YY, SC, SI, SJ, S, D, DROW, REM, PS, PD] = [14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27];

/** The im2col function (any element size: it copies bytes). */
export function im2colFunction(): FuncDef {
  // copy owb bytes from s to d (16 at a time, then 4), then s += shb, d += owb
  const copyRun = [
    ...op.get(S), ...op.set(PS), ...op.get(D), ...op.set(PD), ...op.get(OWB), ...op.set(REM),
    ...op.block, ...op.loop,
    ...op.get(REM), ...op.i32(16), ...op.ltU, ...op.brIf(1),
    ...op.get(PD), ...op.get(PS), ...op.v128Load(0), ...op.v128Store(0),
    ...bump(PS, ["const", 16]), ...bump(PD, ["const", 16]), ...bump(REM, ["const", -16]),
    ...op.br(0), ...op.end, ...op.end,
    ...countDown(REM, [...op.get(REM), ...op.i32(2), ...op.shrU], [
      ...op.get(PD), ...op.get(PS), ...op.i32Load(0), ...op.i32Store(0),
      ...bump(PS, ["const", 4]), ...bump(PD, ["const", 4]),
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
    name: "im2colRows",
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
