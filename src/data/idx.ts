// The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): two zero bytes, a
// type code, the number of axes, one big-endian uint32 per axis, then the numbers row-major. Parsing
// is pure (bytes in, typed array out) so it runs anywhere; idx-files.ts reads files and gunzips.
import { ValueError } from "../tensor/errors.js";

/** A parsed IDX array: its shape and its numbers. */
export interface IdxArray {
  readonly shape: readonly number[];
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Readonly<Record<number, { name: string; size: number }>> = {
  0x08: { name: "uint8", size: 1 }, 0x09: { name: "int8", size: 1 }, 0x0b: { name: "int16", size: 2 },
  0x0c: { name: "int32", size: 4 }, 0x0d: { name: "float32", size: 4 }, 0x0e: { name: "float64", size: 8 },
};

/** Parses IDX bytes (already decompressed); `source` names the file in errors. */
export function parseIdx(bytes: Uint8Array, source = "IDX data"): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new ValueError(`${source} is not an IDX file (it must start with two zero bytes, a type code and the number of axes).`, { op: "readIdx", hint: bytes[0] === 0x1f && bytes[1] === 0x8b ? "It is gzip-compressed: decompress it first." : "Is it the right file?" });
  }
  const type = TYPES[bytes[2] as number];
  if (type === undefined) throw new ValueError(`${source} has an unknown IDX type code 0x${(bytes[2] as number).toString(16)}.`, { op: "readIdx" });
  const ndim = bytes[3] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 + 4 * ndim) throw new ValueError(`${source} ends inside its header (${ndim} axes need ${4 + 4 * ndim} bytes, got ${bytes.length}).`, { op: "readIdx" });
  const shape = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * ndim;
  if (bytes.length !== start + count * type.size) {
    throw new ValueError(`${source} holds ${bytes.length - start} data bytes, but its header [${shape.join(", ")}] of ${type.name} needs ${count * type.size}.`, { op: "readIdx", hint: "The file may be truncated." });
  }
  if (type.size === 1) {
    const raw = bytes.slice(start, start + count);
    return { shape, data: type.name === "uint8" ? raw : new Int8Array(raw.buffer) };
  }
  const read = (i: number): number => {
    const o = start + i * type.size;
    return type.name === "int16" ? view.getInt16(o, false) : type.name === "int32" ? view.getInt32(o, false) : type.name === "float32" ? view.getFloat32(o, false) : view.getFloat64(o, false);
  };
  const data = type.name === "int16" ? new Int16Array(count) : type.name === "int32" ? new Int32Array(count) : type.name === "float32" ? new Float32Array(count) : new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = read(i);
  return { shape, data };
}

/** IDX bytes for an array of unsigned bytes (used to write the committed test subset). */
export function encodeIdxUint8(shape: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}
