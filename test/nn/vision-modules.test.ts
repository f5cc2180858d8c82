// Image modules: initialisation bounds, train/eval behaviour, BatchNorm's running statistics by
// PyTorch's update formula, seeded dropout, state dicts with buffers, and clear errors.
import { describe, expect, it } from "vitest";
import {
  AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, Random, randn, ReLU, Sequential, tensor,
} from "../../src/index.js";
import { expectClose, flat } from "../helpers.js";

describe("Conv2d", () => {
  it("has weight [out, in/groups, kh, kw] and bias [out] drawn from U(±1/√fan_in) (PyTorch's default)", () => {
    const m = new Conv2d(4, 6, [3, 2], { groups: 2, seed: 1 });
    expect(m.weight.shape).toEqual([6, 2, 3, 2]);
    expect(m.bias!.shape).toEqual([6]);
    const bound = 1 / Math.sqrt(2 * 3 * 2);
    for (const v of [...flat(m.weight), ...flat(m.bias!)]) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    expect(Math.max(...flat(m.weight).map(Math.abs))).toBeGreaterThan(0.8 * bound);
  });
  it("gives the output size ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1", () => {
    const m = new Conv2d(1, 2, 3, { stride: 2, padding: 1, dilation: 2, seed: 0 });
    expect(m.call(randn([3, 1, 11, 8])).shape).toEqual([3, 2, Math.floor((11 + 2 - 4 - 1) / 2) + 1, Math.floor((8 + 2 - 4 - 1) / 2) + 1]);
  });
  it("refuses 3-d input and mismatched channels with clear messages", () => {
    const m = new Conv2d(3, 8, 3);
    expect(() => m.call(randn([3, 28, 28]))).toThrow("conv2d: input must be 4-d NCHW, got [3,28,28]. Add a batch axis with x.unsqueeze(0).");
    expect(() => m.call(randn([1, 1, 28, 28]))).toThrow(/weight \[8,3,3,3\] expects 3 input channels, got 1/);
    expect(() => m.call(randn([1, 3, 2, 2]))).toThrow(/does not fit the 2×2 input/);
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/divisible by groups/);
  });
});

describe("pooling and flattening modules", () => {
  it("MaxPool2d, AvgPool2d, AdaptiveAvgPool2d and Flatten compute window maxima and means", () => {
    const x = tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]);
    expect(new MaxPool2d(2).call(x).toArray()).toEqual([[[[6, 8], [14, 16]]]]);
    expectClose(flat(new AvgPool2d(2).call(x)), [3.5, 5.5, 11.5, 13.5], 1e-15, 1e-15, "avg");
    expectClose(flat(new AdaptiveAvgPool2d(1).call(x)), [8.5], 1e-15, 1e-15, "global");
    expect(new Flatten().call(x).shape).toEqual([1, 16]);
  });
});

describe("Dropout", () => {
  it("in training drops about p of the elements and scales the rest by 1/(1 − p); seeded; identity in eval", () => {
    const x = tensor(new Float64Array(20000).fill(1));
    const a = new Dropout(0.3, { seed: 5 }).call(x), b = new Dropout(0.3, { seed: 5 }).call(x);
    expect(flat(a)).toEqual(flat(b));
    const kept = flat(a).filter((v) => v !== 0);
    expect(Math.abs(kept.length / 20000 - 0.7)).toBeLessThan(0.015);
    for (const v of kept) expect(v).toBeCloseTo(1 / 0.7, 14);
    const d = new Dropout(0.3);
    d.eval();
    expect(flat(d.call(x))).toEqual(flat(x));
  });
  it("sends no gradient through dropped elements", () => {
    const x = randn([50]).requireGrad();
    const y = new Dropout(0.5, { seed: 2 }).call(x);
    y.sum().backward();
    flat(y).forEach((v, i) => expect(x.grad!.data[i]).toBe(v === 0 ? 0 : 2));
  });
});

describe("BatchNorm2d", () => {
  it("normalises with batch statistics in training and updates the running ones (unbiased variance, momentum 0.1)", () => {
    const bn = new BatchNorm2d(2);
    const x = randn([3, 2, 2, 2], { generator: new Random(3) });
    const y = bn.call(x);
    for (let c = 0; c < 2; c++) {
      const vals: number[] = [];
      for (let n = 0; n < 3; n++) for (let i = 0; i < 4; i++) vals.push(x.data[(n * 2 + c) * 4 + i] as number);
      const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
      const biased = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length;
      expect(bn.runningMean.data[c]).toBeCloseTo(0.1 * mean, 14);
      expect(bn.runningVar.data[c]).toBeCloseTo(0.9 + 0.1 * biased * (12 / 11), 14);
      const out: number[] = [];
      for (let n = 0; n < 3; n++) for (let i = 0; i < 4; i++) out.push(y.data[(n * 2 + c) * 4 + i] as number);
      expectClose(out, vals.map((v) => (v - mean) / Math.sqrt(biased + 1e-5)), 1e-12, 1e-12, `channel ${c}`);
    }
  });
  it("uses the running statistics in eval mode, and saves them in the state dict", () => {
    const bn = new BatchNorm2d(1);
    bn.runningMean.set([2]);
    bn.runningVar.set([4]);
    bn.eval();
    expectClose(flat(bn.call(tensor([[[[4, 0]]]]))), [2 / Math.sqrt(4 + 1e-5), -2 / Math.sqrt(4 + 1e-5)], 1e-15, 1e-15, "eval");
    expect(Object.keys(bn.stateDict())).toEqual(["weight", "bias", "runningMean", "runningVar"]);
  });
});

describe("train() and eval()", () => {
  it("propagate to every child module", () => {
    const m = new Sequential(new Conv2d(1, 2, 3), new ReLU(), new Sequential(new Dropout(0.5), new Flatten()), new Linear(2, 1));
    m.eval();
    expect(m.namedModules().every(([, c]) => !c.training)).toBe(true);
    m.train();
    expect(m.namedModules().every(([, c]) => c.training)).toBe(true);
  });
});
