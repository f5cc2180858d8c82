// The one WebAssembly instance behind the SIMD kernels: its module (gemm-kernel.ts and the files it
// assembles), its linear memory (a control block the worker threads use, threads.ts; then resident
// blocks; then scratch space every kernel call fills and reads back) and typed-array views that
// follow it as it grows. The memory is shared (a SharedArrayBuffer) where the runtime allows it, so
// workers can run the same module on the same memory.
//
// Resident blocks (shared memory only) hold tensor storage the kernels then read and write in place,
// with no copy in or out: `holdBlock` hands out a typed array over a block of the memory. A shared
// memory never detaches its old buffers when it grows, so such an array stays valid; blocks are
// reused by exact size, and the scratch space starts after the last one (a kernel call never holds
// scratch across a block's allocation). The kernels find a resident array by its buffer
// (`residentAt`).
import { gemmModuleBytes } from "./gemm-kernel.js";
import { detectRelaxedMadd } from "./relaxed.js";

const PAGE = 65536;
const MAX_PAGES = 32768; // 2 GiB: a shared memory must declare its maximum
/** Bytes at the start of the memory reserved for the thread pool's control block. */
export const CONTROL_BYTES = 8192;

/** The instance's exports and its memory. */
export interface WasmRuntime {
  readonly exports: WebAssembly.Exports;
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** Whether the memory is shared (worker threads possible). */
  readonly shared: boolean;
  /** Whether the GEMM kernels multiply-add with a fused relaxed_madd (relaxed.ts), else SIMD128 mul and add. */
  readonly fma: boolean;
  /** The first byte kernels may use as scratch (after the resident blocks; it moves when they grow). */
  readonly base: number;
  /** A new block of `bytes` (a multiple of 16) at a 16-byte boundary, its address; -1 where the memory is not shared. Its contents are undefined. */
  holdBlock(bytes: number): number;
  /** Gives back a block from holdBlock (nothing may use it afterwards). */
  releaseBlock(at: number, bytes: number): void;
  /** The byte address of `x` in the memory when it is a view of it (a resident array), else -1. */
  residentAt(x: ArrayBufferView): number;
  /** Bytes in resident blocks now held. */
  readonly heldBytes: number;
  /** Grows the memory to at least `bytes`. */
  ensure(bytes: number): void;
  /** Views of the whole memory (valid until the next ensure). */
  readonly f32: Float32Array;
  readonly f64: Float64Array;
}

function instantiate(shared: boolean, fma: boolean): { module: WebAssembly.Module; memory: WebAssembly.Memory; exports: WebAssembly.Exports } | null {
  const bytes = gemmModuleBytes(shared ? { shared: true, maxPages: MAX_PAGES } : { shared: false }, { fma });
  if (!WebAssembly.validate(bytes)) return null;
  try {
    const memory = shared ? new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true }) : new WebAssembly.Memory({ initial: 16 });
    const module = new WebAssembly.Module(bytes);
    return { module, memory, exports: new WebAssembly.Instance(module, { env: { memory } }).exports };
  } catch {
    return null; // no shared memory here (a browser page without cross-origin isolation)
  }
}

/**
 * Instantiates the kernels' module, or returns null where WebAssembly SIMD is unavailable. `fma`:
 * use a fused relaxed_madd in the GEMM kernels when the runtime has one (the default), or never.
 */
export function createRuntime({ fma: wantFma = true }: { readonly fma?: boolean } = {}): WasmRuntime | null {
  if (typeof WebAssembly === "undefined") return null;
  const fma = wantFma && detectRelaxedMadd() === "fused";
  const shared = typeof SharedArrayBuffer !== "undefined" ? instantiate(true, fma) : null;
  const made = shared ?? instantiate(false, fma);
  if (made === null) return null;
  const { module, memory, exports } = made;
  let buffer = memory.buffer;
  let f32 = new Float32Array(buffer), f64 = new Float64Array(buffer);
  // every buffer object the memory has had (a shared memory's old ones stay valid views of it)
  const buffers = new WeakSet<ArrayBufferLike>([buffer]);
  const ensure = (need: number): void => {
    const have = memory.buffer.byteLength;
    if (need > have) memory.grow(Math.ceil((need - have) / PAGE));
    if (memory.buffer !== buffer) {
      buffer = memory.buffer;
      buffers.add(buffer);
      f32 = new Float32Array(buffer);
      f64 = new Float64Array(buffer);
    }
  };
  let top = CONTROL_BYTES; // end of the resident blocks: the scratch space starts here
  let held = 0;
  const free = new Map<number, number[]>(); // released blocks by size
  return {
    exports,
    module,
    memory,
    shared: shared !== null,
    fma,
    get base() { return top; },
    ensure,
    holdBlock(bytes) {
      if (shared === null) return -1;
      held += bytes;
      const reuse = free.get(bytes)?.pop();
      if (reuse !== undefined) return reuse;
      const at = top;
      ensure(at + bytes);
      top = at + bytes;
      return at;
    },
    releaseBlock(at, bytes) {
      held -= bytes;
      let list = free.get(bytes);
      if (list === undefined) free.set(bytes, (list = []));
      list.push(at);
    },
    residentAt(x) {
      return buffers.has(x.buffer) ? x.byteOffset : -1;
    },
    get heldBytes() { return held; },
    get f32() { return f32; },
    get f64() { return f64; },
  };
}
