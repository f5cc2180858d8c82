// Model bytes to a model without the file system (the playground's worker): the checksum function
// is the caller's, and a wrong checksum is refused.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/train/checkpoint.js";
import { modelFromSafetensors } from "../../src/train/safetensors.js";

const path = "models/fashion-cnn.safetensors";
const sha = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

describe("modelFromSafetensors", () => {
  it("rebuilds the shipped model with the same numbers as loadModel", () => {
    const a = modelFromSafetensors(new Uint8Array(readFileSync(path)), path, sha);
    const b = loadModel(path);
    expect(a.info.classes).toEqual(b.info.classes);
    const sa = a.model.namedState(), sb = b.model.namedState();
    expect(sa.map(([k]) => k)).toEqual(sb.map(([k]) => k));
    for (let i = 0; i < sa.length; i++) expect(Array.from(sa[i]?.[1].data ?? [])).toEqual(Array.from(sb[i]?.[1].data ?? []));
  });

  it("refuses a changed number when given a checksum function, and skips the check without one", () => {
    const bytes = new Uint8Array(readFileSync(path));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
    expect(() => modelFromSafetensors(bytes, "m.safetensors", sha)).toThrow(/m\.safetensors is not a valid model file: its numbers do not match the checksum/);
    expect(modelFromSafetensors(bytes, "m.safetensors", null).info.classes).toHaveLength(10);
  });
});
