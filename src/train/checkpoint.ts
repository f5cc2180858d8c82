// Trained models on disk in the safetensors format (https://github.com/huggingface/safetensors):
// an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte
// range, then the raw little-endian numbers. nabla's metadata (strings, as the format requires):
//   nabla.format  "nabla-model/1"
//   nabla.model   the architecture (input shape and layer list) as JSON, so the file rebuilds its model
//   nabla.data    {"normalize": {"mean", "std"}, "classes": [...]} as JSON
//   nabla.sha256  SHA-256 of the data section (checked on load: a corrupt file is refused)
//   nabla.*       anything else the trainer records (command, seed, accuracy)
// Files are written atomically: a temporary file in the same directory, then a rename.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { Tensor } from "../autograd/tensor.js";
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

type Stored = { dtype: "F32" | "F64"; shape: number[]; data: Float32Array | Float64Array };

/** Encodes named tensors and string metadata as safetensors bytes. */
export function encodeSafetensors(tensors: readonly (readonly [string, Tensor])[], metadata: Readonly<Record<string, string>>): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const [name, t] of tensors) {
    const bytes = new Uint8Array(t.data.buffer.slice(t.data.byteOffset, t.data.byteOffset + t.data.byteLength));
    header[name] = { dtype: t.dtype === "float32" ? "F32" : "F64", shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  const body = new Uint8Array(offset);
  let at = 0;
  for (const p of parts) { body.set(p, at); at += p.length; }
  header.__metadata__ = { ...metadata, "nabla.sha256": createHash("sha256").update(body).digest("hex") };
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8); // the format pads the header to 8-byte alignment
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  out.set(body, 8 + head.length);
  return out;
}

/** Decodes safetensors bytes (F32 and F64 tensors), checking ranges and nabla's checksum. */
export function decodeSafetensors(bytes: Uint8Array, source: string): { tensors: Map<string, Stored>; metadata: Record<string, string> } {
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
  if (sum !== undefined && createHash("sha256").update(body).digest("hex") !== sum) throw bad("its numbers do not match the checksum in its header");
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

/** Writes `model` and its info as a safetensors file, atomically. */
export function saveModel(path: string, model: Sequential, info: ModelInfo): void {
  const meta: Record<string, string> = {
    "nabla.format": "nabla-model/1",
    "nabla.model": JSON.stringify(info.arch),
    "nabla.data": JSON.stringify({ normalize: info.normalize, classes: info.classes }),
  };
  for (const [k, v] of Object.entries(info.extra)) meta[`nabla.${k}`] = v;
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, encodeSafetensors(model.namedState(), meta));
  renameSync(tmp, path);
}

/** Reads a model written by saveModel: rebuilds its layers and loads its numbers (eval mode). */
export function loadModel(path: string): { model: Sequential; info: ModelInfo } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ValueError(code === "ENOENT" ? `model file ${path} does not exist.` : `cannot read model file ${path}: ${(e as Error).message}`, { op: "loadModel", ...(code === "ENOENT" ? { hint: "Train one with `nabla fit MODEL.yaml -o FILE`." } : {}) });
  }
  const { tensors, metadata } = decodeSafetensors(bytes, path);
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
