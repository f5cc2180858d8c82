// Start-up detection of relaxed SIMD's fused multiply-add (f32x4.relaxed_madd), which sgemm uses
// where present (gemm-kernel.ts). Node 20 (V8 11.3) has relaxed SIMD only behind a flag; V8 reads
// its WebAssembly feature flags when it validates and compiles a module, so setting the flag before
// the kernels' module is compiled enables it (later runtimes ship it and never need the flag).
// NOTE: relaxed_madd may be fused or not, as the runtime and processor choose. A probe tells which:
// a·b + c with a = b = 1 + 2⁻¹² and c = −(1 + 2⁻¹¹) is exactly 2⁻²⁴ when fused (a·b = 1 + 2⁻¹¹ + 2⁻²⁴),
// and 0 when a·b is rounded to float32 first (the 2⁻²⁴ is half an ulp, rounded to even). Only a
// fused answer turns it on: unfused, it would be the SIMD128 kernel's arithmetic at the same speed.
import { assemble, op } from "./assemble.js";

const FLAG = "--experimental-wasm-relaxed-simd";

/** probe(): memory[48…64) = relaxed_madd(memory[0…16), memory[16…32), memory[32…48)). */
function probeBytes(): Uint8Array<ArrayBuffer> {
  const at = (offset: number): number[] => [...op.i32(0), ...op.v128Load(offset)];
  return assemble([{ name: "probe", params: 0, locals: [], body: [...op.i32(0), ...at(0), ...at(16), ...at(32), ...op.f32x4RelaxedMadd, ...op.v128Store(48)] }]);
}

type V8 = { setFlagsFromString(flags: string): void };

/** What the probe found: `fused` (relaxed_madd is one rounding), `unfused`, or `absent`. */
export type RelaxedMadd = "fused" | "unfused" | "absent";

/**
 * Whether relaxed SIMD's f32x4.relaxed_madd is available and fused here, setting V8's flag first on
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
    const f = new Float32Array(memory.buffer);
    const x = 1 + 2 ** -12, c = -(1 + 2 ** -11);
    f.fill(x, 0, 8);
    f.fill(c, 8, 12);
    const { probe } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as { probe: () => void };
    probe();
    const got = Array.from(f.subarray(12, 16));
    if (got.every((v) => v === 2 ** -24)) return "fused";
    return got.every((v) => v === 0) ? "unfused" : "absent";
  } catch {
    return "absent";
  }
}
