// The one WebAssembly instance behind the SIMD kernels: its module (gemm-kernel.ts, pack-kernel.ts,
// update-kernel.ts), its linear memory (scratch space every kernel call fills and reads back), and
// typed-array views of that memory that follow it when it grows.
import { gemmModuleBytes } from "./gemm-kernel.js";

const PAGE = 65536;

/** The instance's exports and its memory. */
export interface WasmRuntime {
  readonly exports: WebAssembly.Exports;
  /** Grows the memory to at least `bytes`. */
  ensure(bytes: number): void;
  /** Views of the whole memory (valid until the next ensure). */
  readonly f32: Float32Array;
  readonly f64: Float64Array;
}

/** Instantiates the kernels' module, or returns null where WebAssembly SIMD is unavailable. */
export function createRuntime(): WasmRuntime | null {
  if (typeof WebAssembly === "undefined") return null;
  const bytes = gemmModuleBytes();
  if (!WebAssembly.validate(bytes)) return null;
  const memory = new WebAssembly.Memory({ initial: 16 });
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
  let buffer = memory.buffer;
  let f32 = new Float32Array(buffer), f64 = new Float64Array(buffer);
  return {
    exports,
    ensure(need: number): void {
      const have = memory.buffer.byteLength;
      if (need > have) memory.grow(Math.ceil((need - have) / PAGE));
      if (memory.buffer !== buffer) {
        buffer = memory.buffer;
        f32 = new Float32Array(buffer);
        f64 = new Float64Array(buffer);
      }
    },
    get f32() { return f32; },
    get f64() { return f64; },
  };
}
