// Model files, building, training on the committed subset, and safetensors checkpoints.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  buildModel, decodeSafetensors, encodeSafetensors, evaluateClassifier, fit, loadImageSet, loadModel, makeOptimizer, parseModelFile, saveModel, tensor, zeros,
} from "../../src/index.js";

const tmp = mkdtempSync(join(tmpdir(), "nabla-train-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const SUBSET = "fixtures/fashion-mnist-subset";
const tiny = {
  model: { input: [1, 28, 28], layers: [{ conv2d: { out: 4, kernel: 5, stride: 2 } }, "relu", { maxpool2d: 2 }, "flatten", { linear: { out: 10 } }] },
  optimizer: { kind: "adam", lr: 0.01 },
  training: { epochs: 2, batchSize: 50, seed: 1 },
};

describe("model files", () => {
  it("fill in defaults and infer channel and feature counts from the input", () => {
    const spec = parseModelFile(tiny, "tiny.yaml");
    expect(spec.training.dtype).toBe("float32");
    expect(spec.data.normalize).toEqual({ mean: 0.286, std: 0.353 });
    const m = buildModel(spec.model, { seed: 0 });
    // conv 5×5 stride 2: 28 → 12; pool 2: 6; 4·6·6 = 144 features into the linear layer
    expect(m.namedParameters().map(([k, p]) => `${k}:${p.shape.join("×")}`)).toEqual(["0.weight:4×1×5×5", "0.bias:4", "4.weight:10×144", "4.bias:10"]);
    expect(m.call(zeros([2, 1, 28, 28], { dtype: "float32" })).shape).toEqual([2, 10]);
  });
  it("name the bad field, and the layer that cannot take its input", () => {
    expect(() => parseModelFile({ ...tiny, training: { epochs: 0, batchSize: 5 } }, "m.yaml")).toThrow(/m\.yaml: training\.epochs: /);
    expect(() => parseModelFile({ ...tiny, optimiser: {} }, "m.yaml")).toThrow(/m\.yaml: .*optimiser/);
    const bad = parseModelFile({ ...tiny, model: { input: [1, 28, 28], layers: [{ linear: { out: 3 } }] } }, "m.yaml");
    expect(() => buildModel(bad.model)).toThrow("model: layer 1 (linear out 3) needs a flat vector, got [1, 28, 28]. Add a flatten layer before it.");
    const small = parseModelFile({ ...tiny, model: { input: [1, 4, 4], layers: [{ conv2d: { out: 2, kernel: 5 } }] } }, "m.yaml");
    expect(() => buildModel(small.model)).toThrow(/layer 1 \(conv2d out 2, kernel 5\) cannot take an input of shape \[1, 4, 4\]/);
  });
});

describe("fit", () => {
  it("lowers the loss and beats chance on the committed subset, reproducibly", () => {
    const spec = parseModelFile(tiny, "tiny.yaml");
    const train = loadImageSet(SUBSET, "train"), test = loadImageSet(SUBSET, "test");
    const run = () => {
      const m = buildModel(spec.model, { seed: 1 });
      const before = evaluateClassifier(m, test, spec.data.normalize);
      const h = fit(m, makeOptimizer(spec.optimizer, m.parameters()), train, test, { epochs: 2, batchSize: 50, seed: 1, normalize: spec.data.normalize });
      return { before, h };
    };
    const a = run(), b = run();
    expect(a.h.map((r) => r.testLoss)).toEqual(b.h.map((r) => r.testLoss));
    expect(a.h[1]!.testLoss).toBeLessThan(a.before.loss);
    expect(a.h[1]!.testAccuracy).toBeGreaterThan(0.5); // chance is 0.1
  });
});

describe("safetensors checkpoints", () => {
  it("follow the format: little-endian header length, JSON header with dtype, shape and offsets, raw numbers", () => {
    const w = tensor([[1.5, -2]], { dtype: "float32" }), b = tensor([0.25]);
    const bytes = encodeSafetensors([["w", w], ["b", b]], { note: "x" });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>;
    expect(header.w).toEqual({ dtype: "F32", shape: [1, 2], data_offsets: [0, 8] });
    expect(header.b).toEqual({ dtype: "F64", shape: [1], data_offsets: [8, 16] });
    const body = bytes.subarray(8 + n);
    expect(new DataView(body.buffer, body.byteOffset).getFloat32(4, true)).toBe(-2);
    expect(new DataView(body.buffer, body.byteOffset).getFloat64(8, true)).toBe(0.25);
    expect(Array.from(decodeSafetensors(bytes, "f").tensors.get("w")!.data)).toEqual([1.5, -2]);
  });
  it("round-trip a model with its architecture, and refuse corrupt or missing files", () => {
    const spec = parseModelFile(tiny, "tiny.yaml");
    const m = buildModel(spec.model, { seed: 3 });
    const path = join(tmp, "m.safetensors");
    saveModel(path, m, { arch: spec.model, normalize: spec.data.normalize, classes: ["a", "b"], extra: { seed: "3" } });
    const { model, info } = loadModel(path);
    expect(info.extra.seed).toBe("3");
    expect(model.training).toBe(false);
    const x = zeros([1, 1, 28, 28], { dtype: "float32" }).add(0.5);
    expect(Array.from(model.call(x).data)).toEqual(Array.from(m.call(x).data));
    const bytes = readFileSync(path);
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    expect(() => loadModel(path)).toThrow(/is not a valid model file: its numbers do not match the checksum in its header/);
    writeFileSync(path, bytes.subarray(0, 5));
    expect(() => loadModel(path)).toThrow(/is shorter than the 8-byte header length/);
    expect(() => loadModel(join(tmp, "none.safetensors"))).toThrow(/model file .*none\.safetensors does not exist\. Train one with `nabla fit MODEL\.yaml -o FILE`\./);
  });
});
