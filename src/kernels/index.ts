// The one kernel interface ops call. A WebAssembly/SIMD implementation replaces it with setKernels().
import { col2im, convGemm, fill, gemmCol2im, im2col, maxPool2d, maxPool2dGather, maxPool2dScatter } from "./conv.js";
import { binary, select, unary } from "./elementwise.js";
import { gemm } from "./gemm.js";
import { gather, scatter } from "./movement.js";
import { adam, sgd } from "./optim.js";
import { argmaxAxis, reduceAxis } from "./reduce.js";
import { createWasmConv } from "./wasm/conv.js";
import { createWasmElementwise } from "./wasm/elementwise.js";
import { createWasmGemm } from "./wasm/gemm.js";
import { createWasmMaxPool } from "./wasm/pool.js";
import { createWasmSgd } from "./wasm/optim.js";
import { createRuntime } from "./wasm/runtime.js";
import { createThreads } from "./wasm/threads.js";

export type { BinaryKernel, UnaryKernel } from "./elementwise.js";
export type { ReduceKernel } from "./reduce.js";
export type { ConvSource, Window2d } from "./conv.js";
export type { AdamParams, SgdParams } from "./optim.js";
export { erf } from "./special.js";

/** Every numeric loop nabla runs. */
export interface Kernels {
  readonly unary: typeof unary;
  readonly binary: typeof binary;
  readonly select: typeof select;
  readonly gemm: typeof gemm;
  readonly gather: typeof gather;
  readonly scatter: typeof scatter;
  readonly reduceAxis: typeof reduceAxis;
  readonly argmaxAxis: typeof argmaxAxis;
  readonly fill: typeof fill;
  readonly im2col: typeof im2col;
  readonly col2im: typeof col2im;
  /** A convolution's GEMM with its im2col columns built where the GEMM reads them. */
  readonly convGemm: typeof convGemm;
  /** A convolution's input-gradient GEMM with its columns summed back into the image where they are made. */
  readonly gemmCol2im: typeof gemmCol2im;
  readonly maxPool2d: typeof maxPool2d;
  readonly maxPool2dScatter: typeof maxPool2dScatter;
  readonly maxPool2dGather: typeof maxPool2dGather;
  /** Optimizer updates, in place. */
  readonly sgd: typeof sgd;
  readonly adam: typeof adam;
}

/** The plain-JavaScript kernels. */
export const jsKernels: Kernels = {
  unary, binary, select, gemm, gather, scatter, reduceAxis, argmaxAxis,
  fill, im2col, col2im, convGemm, gemmCol2im, maxPool2d, maxPool2dScatter, maxPool2dGather, sgd, adam,
};

const wasm = createRuntime();
const threads = wasm === null ? null : createThreads(wasm);

function simd(rt: NonNullable<typeof wasm>, th: NonNullable<typeof threads>): Kernels {
  const { gemm: wasmGemm, gemmAt } = createWasmGemm(rt, th);
  return { ...jsKernels, ...createWasmElementwise(rt), gemm: wasmGemm, ...createWasmConv(rt, th, gemmAt), ...createWasmMaxPool(rt, th), sgd: createWasmSgd(rt, th) };
}

/** The JavaScript kernels with matmul, convolution products, max pooling's argmax, large ReLU/select/add and SGD on WebAssembly SIMD, or null where SIMD is unavailable. */
export const simdKernels: Kernels | null = wasm === null || threads === null ? null : simd(wasm, threads);

/**
 * Runs the WebAssembly matrix products on n threads (worker threads over shared WebAssembly memory,
 * Node only; 1 by default). Results are the same for any n. Returns the number now in use.
 */
export function setNumThreads(n: number): number {
  threads?.setCount(n);
  return numThreads();
}

/**
 * Whether the WebAssembly matrix products fuse their multiply-adds (relaxed SIMD's relaxed_madd,
 * detected at start-up; NABLA_RELAXED_SIMD=0 turns it off): one rounding per multiply-add, so their
 * last bits differ from the SIMD128 ones'.
 */
export const simdFma: boolean = wasm?.fma ?? false;

/** Threads the WebAssembly matrix products run on. */
export function numThreads(): number {
  return threads?.count() ?? 1;
}

/** Resolves once every worker thread has started (until then the main thread does their share). */
export function threadsReady(): Promise<void> {
  return threads?.ready() ?? Promise.resolve();
}

// NOTE: NABLA_KERNELS=js runs everything on the JavaScript reference kernels (npm run test:js).
const forceJs = typeof process !== "undefined" && process.env["NABLA_KERNELS"] === "js";
let active: Kernels = forceJs ? jsKernels : simdKernels ?? jsKernels;

/** The kernels in use. */
export function kernels(): Kernels {
  return active;
}

/** Replaces the kernel implementation (e.g. with a WebAssembly one); returns the previous one. */
export function setKernels(k: Kernels): Kernels {
  const prev = active;
  active = k;
  return prev;
}

// ---- resident storage ---------------------------------------------------------------------------
// Storage in the WebAssembly memory itself (runtime.ts), which the SIMD kernels read and write in
// place: a product's operands and result and an SGD update's parameter and gradient are not copied
// in or out. Only where the memory is shared (Node; a page without cross-origin isolation cannot)
// and the SIMD kernels are on. A block comes back when its array is given to releaseResident (the
// backend's pool does that for arrays it frees and does not keep) or, failing that, when the
// collector has taken its array (a FinalizationRegistry, which runs between tasks, not within a
// synchronous loop); past RESIDENT_CAP bytes held, residentStorage returns null and storage is a
// plain typed array, which every kernel also takes.
// NOTE: a subarray of a resident array does not keep its block alive: whoever keeps part of a
// tensor's numbers after the tensor copies them (slice()).

/** Bytes of resident storage held at most; beyond, new storage is plain typed arrays. */
const RESIDENT_CAP = 256 * 2 ** 20;
const residentRuntime = forceJs ? null : wasm?.shared === true ? wasm : null;
const blocks = residentRuntime === null ? null : new FinalizationRegistry<readonly [number, number]>(([at, bytes]) => residentRuntime.releaseBlock(at, bytes));

/** A zero-filled array of n numbers in the WebAssembly memory, or null where there is none (or the cap is reached). */
export function residentStorage(dtype: "float32" | "float64", n: number): Float32Array | Float64Array | null {
  if (residentRuntime === null || blocks === null) return null;
  const es = dtype === "float64" ? 8 : 4;
  const bytes = Math.ceil((n * es) / 16) * 16;
  if (n === 0 || residentRuntime.heldBytes + bytes > RESIDENT_CAP) return null;
  const at = residentRuntime.holdBlock(bytes);
  if (at < 0) return null;
  const buf = residentRuntime.memory.buffer;
  const x = es === 8 ? new Float64Array(buf, at, n) : new Float32Array(buf, at, n);
  x.fill(0);
  blocks.register(x, [at, bytes], x);
  return x;
}

/** Whether x is resident storage. */
export function isResident(x: Float32Array | Float64Array): boolean {
  return residentRuntime !== null && residentRuntime.residentAt(x) >= 0;
}

/** Gives back the block of a resident array from residentStorage (nothing may use it afterwards); false for any other array. */
export function releaseResident(x: Float32Array | Float64Array): boolean {
  if (residentRuntime === null || blocks === null || residentRuntime.residentAt(x) < 0 || !blocks.unregister(x)) return false;
  residentRuntime.releaseBlock(x.byteOffset, Math.ceil(x.byteLength / 16) * 16);
  return true;
}
