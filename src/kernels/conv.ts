// Convolution and pooling loops over NCHW planes, no graph. A convolution is im2col (a window
// unrolled into a column) followed by the GEMM kernel; col2im is its adjoint (columns summed back
// into the image). Max pooling recomputes its argmax wherever it needs it (first maximum in
// row-major window order, NaN wins, as PyTorch), so forward, scatter and gather agree.
import type { Storage } from "../tensor/dtype.js";
import { gemm } from "./gemm.js";

/** The geometry of a 2-d sliding window: kernel, stride, zero padding, dilation and output size. */
export interface Window2d {
  readonly kh: number; readonly kw: number;
  readonly sh: number; readonly sw: number;
  readonly ph: number; readonly pw: number;
  readonly dh: number; readonly dw: number;
  readonly oh: number; readonly ow: number;
}

/** The outputs x whose input column x·s − p + j·d lies in [0, W): lo ≤ x < hi. */
function validRange(W: number, ow: number, s: number, p: number, off: number): [number, number] {
  // x·s − p + off ≥ 0  and  x·s − p + off ≤ W − 1
  const lo = Math.max(0, Math.ceil((p - off) / s));
  const hi = Math.min(ow, Math.floor((W - 1 + p - off) / s) + 1);
  return [lo, Math.max(lo, hi)];
}

/**
 * cols[colOff + ((c·kh + i)·kw + j)·ld + y·ow + x] = img[c, y·sh − ph + i·dh, x·sw − pw + j·dw] (0 outside),
 * for the `channels` planes of H×W starting at img[imgOff]. `ld` is the row stride of cols (oh·ow
 * for one image; N·oh·ow when a batch's columns sit side by side).
 */
export function im2col(img: Storage, imgOff: number, channels: number, H: number, W: number, g: Window2d, cols: Storage, colOff = 0, ld = g.oh * g.ow): void {
  let row = colOff;
  for (let c = 0; c < channels; c++) {
    const plane = imgOff + c * H * W;
    for (let i = 0; i < g.kh; i++) {
      for (let j = 0; j < g.kw; j++, row += ld) {
        const [lo, hi] = validRange(W, g.ow, g.sw, g.pw, j * g.dw);
        for (let y = 0; y < g.oh; y++) {
          const iy = y * g.sh - g.ph + i * g.dh;
          const o = row + y * g.ow;
          if (iy < 0 || iy >= H) {
            for (let x = 0; x < g.ow; x++) cols[o + x] = 0;
            continue;
          }
          const src = plane + iy * W - g.pw + j * g.dw;
          for (let x = 0; x < lo; x++) cols[o + x] = 0;
          if (g.sw === 1) for (let x = lo; x < hi; x++) cols[o + x] = img[src + x] as number;
          else for (let x = lo; x < hi; x++) cols[o + x] = img[src + x * g.sw] as number;
          for (let x = hi; x < g.ow; x++) cols[o + x] = 0;
        }
      }
    }
  }
}

/** The images a convolution's GEMM reads as columns: image n (of `images`) at x[xOff + n·xStride], `channels` planes H×W. */
export interface ConvSource {
  readonly x: Storage; readonly xOff: number; readonly xStride: number;
  readonly images: number; readonly channels: number; readonly H: number; readonly W: number; readonly win: Window2d;
}

/**
 * C (+)= A · cols ([M × kg] · [kg × images·L]) or, `transposed`, C (+)= A · colsᵀ ([M × images·L] ·
 * [images·L × kg]), cols being the images' im2col side by side (kg = channels·kh·kw, L = oh·ow):
 * a convolution's product with its columns never held by the caller.
 */
export function convGemm(M: number, A: Storage, aOff: number, sai: number, sak: number, src: ConvSource, transposed: boolean, C: Storage, cOff: number, overwrite = false): void {
  const g = src.win, L = g.oh * g.ow, kg = src.channels * g.kh * g.kw, ml = src.images * L;
  const cols = src.x instanceof Float64Array ? new Float64Array(kg * ml) : new Float32Array(kg * ml);
  for (let n = 0; n < src.images; n++) im2col(src.x, src.xOff + n * src.xStride, src.channels, src.H, src.W, g, cols, n * L, ml);
  if (transposed) gemm(M, kg, ml, A, aOff, sai, sak, cols, 0, 1, ml, C, cOff, overwrite);
  else gemm(M, ml, kg, A, aOff, sai, sak, cols, 0, ml, 1, C, cOff, overwrite);
}

/**
 * dst's images (+)= col2im(A · B), the columns A · B being [kg × images·L] (A: kg × K, B: K ×
 * images·L, any strides): a convolution's input gradient with its columns never held by the caller.
 */
export function gemmCol2im(K: number, A: Storage, aOff: number, sai: number, sak: number, B: Storage, bOff: number, sbk: number, sbj: number, dst: ConvSource): void {
  const g = dst.win, L = g.oh * g.ow, kg = dst.channels * g.kh * g.kw, ml = dst.images * L;
  const cols = dst.x instanceof Float64Array ? new Float64Array(kg * ml) : new Float32Array(kg * ml);
  gemm(kg, ml, K, A, aOff, sai, sak, B, bOff, sbk, sbj, cols, 0, true);
  for (let n = 0; n < dst.images; n++) col2im(cols, dst.channels, dst.H, dst.W, g, dst.x, dst.xOff + n * dst.xStride, n * L, ml);
}

/** The adjoint of im2col: img[…] += every column entry that im2col read from it. */
export function col2im(cols: Storage, channels: number, H: number, W: number, g: Window2d, img: Storage, imgOff: number, colOff = 0, ld = g.oh * g.ow): void {
  let row = colOff;
  for (let c = 0; c < channels; c++) {
    const plane = imgOff + c * H * W;
    for (let i = 0; i < g.kh; i++) {
      for (let j = 0; j < g.kw; j++, row += ld) {
        const [lo, hi] = validRange(W, g.ow, g.sw, g.pw, j * g.dw);
        for (let y = 0; y < g.oh; y++) {
          const iy = y * g.sh - g.ph + i * g.dh;
          if (iy < 0 || iy >= H) continue;
          const o = row + y * g.ow;
          const dst = plane + iy * W - g.pw + j * g.dw;
          for (let x = lo; x < hi; x++) {
            const d = dst + x * g.sw;
            img[d] = (img[d] as number) + (cols[o + x] as number);
          }
        }
      }
    }
  }
}

/** Flat index (within its plane) of the window's first maximum; the first in-bounds element when none beats −∞. */
function argmaxAt(x: Storage, plane: number, H: number, W: number, g: Window2d, y: number, xo: number): number {
  let best = -Infinity, at = -1;
  for (let i = 0; i < g.kh; i++) {
    const iy = y * g.sh - g.ph + i * g.dh;
    if (iy < 0 || iy >= H) continue;
    for (let j = 0; j < g.kw; j++) {
      const ix = xo * g.sw - g.pw + j * g.dw;
      if (ix < 0 || ix >= W) continue;
      const v = x[plane + iy * W + ix] as number;
      if (at < 0) at = iy * W + ix;
      if (v > best || Number.isNaN(v)) {
        best = v;
        at = iy * W + ix;
        if (Number.isNaN(v)) return at;
      }
    }
  }
  return at;
}

// NOTE: every window's argmax, as absolute indices into x, in a scratch reused between calls; without
// padding or dilation every window lies inside its plane and a tight loop finds it (same rule).
let scratch = new Int32Array(0);

/** Every window's argmax (first maximum, NaN wins) as indices into x, in a scratch valid until the next call. */
export function argmaxes(x: Storage, planes: number, H: number, W: number, g: Window2d): Int32Array {
  const n = planes * g.oh * g.ow;
  if (scratch.length < n) scratch = new Int32Array(n);
  const idx = scratch;
  let o = 0;
  if (g.ph === 0 && g.pw === 0 && g.dh === 1 && g.dw === 1) {
    for (let p = 0; p < planes; p++) {
      for (let y = 0; y < g.oh; y++) {
        const row = p * H * W + y * g.sh * W;
        for (let xo = 0; xo < g.ow; xo++, o++) {
          const base = row + xo * g.sw;
          let at = base, best = x[base] as number;
          if (best === best) {
            scan: for (let i = 0; i < g.kh; i++) {
              const r = base + i * W;
              for (let j = i === 0 ? 1 : 0; j < g.kw; j++) {
                const v = x[r + j] as number;
                if (v > best) { best = v; at = r + j; } else if (v !== v) { at = r + j; break scan; }
              }
            }
          }
          idx[o] = at;
        }
      }
    }
    return idx;
  }
  for (let p = 0; p < planes; p++) {
    const plane = p * H * W;
    for (let y = 0; y < g.oh; y++) for (let xo = 0; xo < g.ow; xo++, o++) idx[o] = plane + argmaxAt(x, plane, H, W, g, y, xo);
  }
  return idx;
}

/** Max pooling's kernels over a way to find every window's argmax (this file's, or WebAssembly's). */
export function maxPoolKernels(argmax: typeof argmaxes): { maxPool2d: typeof maxPool2d; maxPool2dScatter: typeof maxPool2dScatter; maxPool2dGather: typeof maxPool2dGather } {
  return {
    maxPool2d(x, planes, H, W, g, out) {
      const idx = argmax(x, planes, H, W, g), n = planes * g.oh * g.ow;
      for (let o = 0; o < n; o++) out[o] = x[idx[o] as number] as number;
    },
    maxPool2dScatter(x, gradOut, planes, H, W, g, dx) {
      const idx = argmax(x, planes, H, W, g), n = planes * g.oh * g.ow;
      for (let o = 0; o < n; o++) {
        const at = idx[o] as number;
        dx[at] = (dx[at] as number) + (gradOut[o] as number);
      }
    },
    maxPool2dGather(x, v, planes, H, W, g, out) {
      const idx = argmax(x, planes, H, W, g), n = planes * g.oh * g.ow;
      for (let o = 0; o < n; o++) out[o] = v[idx[o] as number] as number;
    },
  };
}

const js = maxPoolKernels(argmaxes);

/** out[p, y, x] = max of the window (padding counts as −∞) over `planes` planes of H×W. */
export function maxPool2d(x: Storage, planes: number, H: number, W: number, g: Window2d, out: Storage): void {
  js.maxPool2d(x, planes, H, W, g, out);
}

/** dx[argmax of each window of x] += gradOut of that window (the max pool's vector-Jacobian product). */
export function maxPool2dScatter(x: Storage, gradOut: Storage, planes: number, H: number, W: number, g: Window2d, dx: Storage): void {
  js.maxPool2dScatter(x, gradOut, planes, H, W, g, dx);
}

/** out[window] = v at the argmax of x in that window (the adjoint of maxPool2dScatter). */
export function maxPool2dGather(x: Storage, v: Storage, planes: number, H: number, W: number, g: Window2d, out: Storage): void {
  js.maxPool2dGather(x, v, planes, H, W, g, out);
}

/** buf[off … off + n) = value. */
export function fill(buf: Storage, value: number, off = 0, n = buf.length - off): void {
  buf.fill(value, off, off + n);
}
