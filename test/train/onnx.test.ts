// ONNX export: the exported file, run by ONNX Runtime (onnxruntime-node), gives nabla's outputs to 1e-5.
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, LeakyReLU, Linear, MaxPool2d, noGrad, Random, rand, ReLU, Sequential, Sigmoid, Tanh, type Module,
} from "../../src/index.js";
import { exportOnnx } from "../../src/train/onnx.js";
import { expectClose } from "../helpers.js";

async function runOrt(bytes: Uint8Array, x: { data: ArrayLike<number>; shape: readonly number[] }): Promise<number[]> {
  const session = await InferenceSession.create(bytes);
  const out = await session.run({ input: new OrtTensor("float32", Float32Array.from(x.data), [...x.shape]) });
  return Array.from((out.logits as OrtTensor).data as Float32Array);
}

async function roundTrip(model: Sequential, input: [number, number, number]): Promise<void> {
  model.eval();
  const x = rand([3, ...input], { dtype: "float32", generator: new Random(5) });
  const mine = noGrad(() => Array.from(model.call(x).data));
  const theirs = await runOrt(exportOnnx(model, input), x);
  expectClose(theirs, mine, 1e-5, 1e-5, "ONNX Runtime vs nabla");
}

describe("ONNX export", () => {
  it("a CNN with grouped, strided, dilated convolutions, both poolings, batch norm and activations matches ONNX Runtime", async () => {
    const g = new Random(1);
    const bn = new BatchNorm2d(4, { dtype: "float32" });
    // running statistics from a few training batches, so eval mode is not the identity
    for (let i = 0; i < 3; i++) noGrad(() => bn.call(rand([4, 4, 5, 5], { dtype: "float32", generator: g }).mul(3)));
    const layers: Module[] = [
      new Conv2d(2, 4, 3, { padding: 1, dtype: "float32", generator: g }), bn, new LeakyReLU(0.1),
      new Conv2d(4, 4, [2, 3], { stride: [2, 1], dilation: [1, 2], groups: 2, padding: [1, 0], dtype: "float32", generator: g }), new ReLU(),
      new MaxPool2d(2, { stride: 1, padding: 1 }), new AvgPool2d(2), new Dropout(0.5), new Flatten(),
      new Linear(4 * 3 * 2, 6, { dtype: "float32", generator: g }), new Tanh(), new Linear(6, 3, { dtype: "float32", generator: g }), new Sigmoid(),
    ];
    const model = new Sequential(...layers);
    expect(noGrad(() => model.eval().call(rand([1, 2, 9, 8], { dtype: "float32" }))).shape).toEqual([1, 3]);
    await roundTrip(model, [2, 9, 8]);
  });
  it("global average pooling exports as GlobalAveragePool", async () => {
    const g = new Random(2);
    await roundTrip(new Sequential(new Conv2d(1, 3, 3, { dtype: "float32", generator: g }), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(3, 2, { dtype: "float32", generator: g })), [1, 6, 6]);
  });
  it("refuses what ONNX export does not cover", () => {
    expect(() => exportOnnx(new Sequential(new AdaptiveAvgPool2d(2)), [1, 4, 4])).toThrow("exportOnnx: layer 1: ONNX export covers AdaptiveAvgPool2d to 1×1 only (GlobalAveragePool), got 2.");
  });
});
