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
import type { Sequential } from "../nn/modules.js";
import { ValueError } from "../tensor/errors.js";
import { decodeSafetensorsWith, type ModelInfo, modelFromSafetensors, type Sha256 } from "./safetensors.js";

export type { ModelInfo } from "./safetensors.js";

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

const sha256: Sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** Decodes safetensors bytes (F32 and F64 tensors), checking ranges and nabla's checksum. */
export function decodeSafetensors(bytes: Uint8Array, source: string): ReturnType<typeof decodeSafetensorsWith> {
  return decodeSafetensorsWith(bytes, source, sha256);
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
  return modelFromSafetensors(bytes, path, sha256);
}
