// Model files' bytes (safetensors) to tensors and models, without touching the file system: shared
// by checkpoint.ts (Node) and the web playground's worker (the checksum function is passed in).
import type { Normalize } from "../data/batches.js";
import type { Sequential } from "../nn/modules.js";
import { ValueError } from "../tensor/errors.js";
import { type Architecture, architectureSchema, buildModel } from "./model-spec.js";

/** What a checkpoint says about its model besides the numbers. */
export interface ModelInfo {
  readonly arch: Architecture;
  readonly normalize: Normalize;
  readonly classes: readonly string[];
  /** Extra string metadata (written as nabla.<key>). */
  readonly extra: Readonly<Record<string, string>>;
}

export type Stored = { dtype: "F32" | "F64"; shape: number[]; data: Float32Array | Float64Array };

/** SHA-256 of some bytes as lowercase hex. */
export type Sha256 = (bytes: Uint8Array) => string;

/** Decodes safetensors bytes (F32 and F64 tensors), checking ranges and (with `sha256`) nabla's checksum. */
export function decodeSafetensorsWith(bytes: Uint8Array, source: string, sha256: Sha256 | null): { tensors: Map<string, Stored>; metadata: Record<string, string> } {
  const bad = (why: string): ValueError => new ValueError(`${source} is not a valid model file: ${why}.`, { op: "loadModel", hint: "Was it written by `nabla fit`? The file may be corrupt or truncated." });
  if (bytes.length < 8) throw bad("it is shorter than the 8-byte header length");
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > bytes.length - 8) throw bad(`its header length ${n} runs past the end of the file (${bytes.length} bytes)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  } catch {
    throw bad("its header is not JSON");
  }
  const body = bytes.subarray(8 + n);
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const sum = metadata["nabla.sha256"];
  if (sum !== undefined && sha256 !== null && sha256(body) !== sum) throw bad("its numbers do not match the checksum in its header");
  const tensors = new Map<string, Stored>();
  for (const [name, v] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const e = v as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    const size = e.dtype === "F32" ? 4 : e.dtype === "F64" ? 8 : 0;
    if (size === 0) throw bad(`tensor '${name}' has dtype ${String(e.dtype)} (nabla reads F32 and F64)`);
    const [b, end] = e.data_offsets ?? [-1, -1];
    const count = (e.shape ?? []).reduce((p, d) => p * d, 1);
    if (!(b >= 0 && end <= body.length && end - b === count * size)) throw bad(`tensor '${name}' has byte range [${b}, ${end}) that does not fit its shape or the file`);
    const copy = new Uint8Array(body.subarray(b, end)).buffer; // a copy (Buffer.slice would share the file's memory)
    tensors.set(name, { dtype: e.dtype === "F32" ? "F32" : "F64", shape: e.shape ?? [], data: size === 4 ? new Float32Array(copy) : new Float64Array(copy) });
  }
  return { tensors, metadata };
}

/** Rebuilds a model from safetensors bytes written by saveModel (eval mode); `path` names it in errors. */
export function modelFromSafetensors(bytes: Uint8Array, path: string, sha256: Sha256 | null): { model: Sequential; info: ModelInfo } {
  const { tensors, metadata } = decodeSafetensorsWith(bytes, path, sha256);
  if (metadata["nabla.format"] !== "nabla-model/1") throw new ValueError(`${path} is a safetensors file without nabla's model description (nabla.format = nabla-model/1).`, { op: "loadModel" });
  let arch: Architecture, data: { normalize: Normalize; classes: string[] };
  try {
    arch = architectureSchema.parse(JSON.parse(metadata["nabla.model"] ?? ""));
    data = JSON.parse(metadata["nabla.data"] ?? "") as { normalize: Normalize; classes: string[] };
  } catch {
    throw new ValueError(`${path} has an unreadable model description in its header.`, { op: "loadModel" });
  }
  const dtype = [...tensors.values()][0]?.dtype === "F64" ? "float64" : "float32";
  const model = buildModel(arch, { dtype });
  model.loadStateDict(Object.fromEntries([...tensors].map(([k, t]) => [k, { shape: t.shape, data: t.data }])));
  model.eval();
  const extra = Object.fromEntries(Object.entries(metadata).filter(([k]) => k.startsWith("nabla.") && !["nabla.format", "nabla.model", "nabla.data", "nabla.sha256"].includes(k)).map(([k, v]) => [k.slice(6), v]));
  return { model, info: { arch, normalize: data.normalize, classes: data.classes, extra } };
}
