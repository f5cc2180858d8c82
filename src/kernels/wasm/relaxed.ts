// Start-up detection of relaxed SIMD's fused multiply-add (f32x4 and f64x2.relaxed_madd), which the
// GEMM micro-kernels use where present (gemm-kernel.ts). Node 20 (V8 11.3) has relaxed SIMD only
// behind a flag; V8 reads its WebAssembly feature flags when it validates and compiles a module, so
// setting the flag before the kernels' module is compiled enables it (later runtimes ship it and
// never need the flag).
// NOTE: relaxed_madd may be fused or not, as the runtime and processor choose. A probe tells which:
// a·b + c with a = b = 1 + 2⁻¹² and c = −(1 + 2⁻¹¹) is exactly 2⁻²⁴ in float32 when fused (a·b =
// 1 + 2⁻¹¹ + 2⁻²⁴), and 0 when a·b is rounded to float32 first (the 2⁻²⁴ is half an ulp, rounded to
// even); in float64, a = b = 1 + 2⁻²⁷ and c = −(1 + 2⁻²⁶) give 2⁻⁵⁴ or 0. Only fused answers in both
// turn it on: unfused, it would be the SIMD128 kernels' arithmetic at the same speed.
import { assemble, op } from "./assemble.js";

const FLAG = "--experimental-wasm-relaxed-simd";

/** probe(): memory[48…64) = f32x4.relaxed_madd(memory[0…16), [16…32), [32…48)); memory[112…128) the same in f64x2 from 64. */
function probeBytes(): Uint8Array<ArrayBuffer> {
  const at = (offset: number): number[] => [...op.i32(0), ...op.v128Load(offset)];
  return assemble([{
    name: "probe", params: 0, locals: [], body: [
      ...op.i32(0), ...at(0), ...at(16), ...at(32), ...op.f32x4RelaxedMadd, ...op.v128Store(48),
      ...op.i32(0), ...at(64), ...at(80), ...at(96), ...op.f64x2RelaxedMadd, ...op.v128Store(112),
    ],
  }]);
}

type V8 = { setFlagsFromString(flags: string): void };

/** What the probe found: `fused` (relaxed_madd is one rounding in both dtypes), `unfused`, or `absent` (or mixed). */
export type RelaxedMadd = "fused" | "unfused" | "absent";

/**
 * Whether relaxed SIMD's f32x4 and f64x2.relaxed_madd are available and fused here, setting V8's flag first on
 * Node 20 when the module does not validate without it. `NABLA_RELAXED_SIMD=0` skips it (reports absent).
 */
export function detectRelaxedMadd(): RelaxedMadd {
  if (typeof process !== "undefined" && process.env["NABLA_RELAXED_SIMD"] === "0") return "absent";
  const bytes = probeBytes();
  if (!WebAssembly.validate(bytes)) {
    if (typeof process === "undefined" || typeof process.getBuiltinModule !== "function") return "absent";
    const v8 = process.getBuiltinModule("node:v8") as V8 | undefined;
    try {
      v8?.setFlagsFromString(FLAG);
    } catch {
      return "absent";
    }
    if (!WebAssembly.validate(bytes)) return "absent";
  }
  try {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const f = new Float32Array(memory.buffer), d = new Float64Array(memory.buffer);
    f.fill(1 + 2 ** -12, 0, 8);
    f.fill(-(1 + 2 ** -11), 8, 12);
    d.fill(1 + 2 ** -27, 8, 12);
    d.fill(-(1 + 2 ** -26), 12, 14);
    const { probe } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as { probe: () => void };
    probe();
    const got32 = Array.from(f.subarray(12, 16)), got64 = Array.from(d.subarray(14, 16));
    if (got32.every((v) => v === 2 ** -24) && got64.every((v) => v === 2 ** -54)) return "fused";
    return got32.every((v) => v === 0) && got64.every((v) => v === 0) ? "unfused" : "absent";
  } catch {
    return "absent";
  }
}
