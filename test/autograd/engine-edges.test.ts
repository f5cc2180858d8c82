// Engine edge cases found by differential fuzzing against PyTorch, held to hand-derived values
// (the op-level cases live in fixtures/ops.json, from PyTorch itself).
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { AnomalyError, detectAnomaly, gradients, mseLoss, scalar, tensor } from "../../src/index.js";
import { F } from "../../src/autograd/tensor.js";
import { rawF } from "../../src/layers/tape.js";

describe("graph identity: every op returns a new node", () => {
  it("for no-op movements", () => {
    const t = tensor([[1, 2, 3]], { requiresGrad: true });
    const v = tensor([1, 2, 3], { requiresGrad: true });
    const s = scalar(2, { requiresGrad: true });
    expect(t.reshape(t.shape)).not.toBe(t);
    expect(t.expand(t.shape)).not.toBe(t);
    expect(t.squeeze(1)).not.toBe(t);
    expect(t.transpose(0, 0)).not.toBe(t);
    expect(t.slice(null, null)).not.toBe(t);
    expect(v.T).not.toBe(v);
    expect(v.transpose()).not.toBe(v);
    expect(s.T).not.toBe(s);
    expect(v.slice()).not.toBe(v);
    expect(nb.reshape(v, [3])).not.toBe(v);
  });
  it("keeps the numbers and passes gradients straight through", () => {
    const v = tensor([1, 2, 3], { requiresGrad: true });
    const y = v.T;
    expect(Array.from(y.data)).toEqual([1, 2, 3]);
    const [g] = gradients(y.mul(tensor([4, 5, 6])).sum(), [v]);
    expect(Array.from(g!.data)).toEqual([4, 5, 6]);
  });
  it("gives b = a its own gradient: a = wx, b = a, ŷ = 3b + a, L = (ŷ − y)²", () => {
    // x = 2, w = 0.5, y = 0: a = 1, ŷ = 4, ∂L/∂ŷ = 2(ŷ − y) = 8, ∂L/∂b = 3·8 = 24,
    // ∂L/∂a = 8 + 24 = 32 (directly and through b), ∂L/∂w = 32·x = 64.
    const x = scalar(2), w = scalar(0.5, { requiresGrad: true }), y = scalar(0);
    const a = w.mul(x).retainGrad();
    const b = a.reshape(a.shape).retainGrad();
    const yhat = b.mul(3).add(a);
    mseLoss(yhat, y).backward();
    expect(b).not.toBe(a);
    expect(b.grad!.item()).toBe(24);
    expect(a.grad!.item()).toBe(32);
    expect(w.grad!.item()).toBe(64);
  });
});

describe("inputs no gradient reaches", () => {
  it("get exact zeros, even where the input is ±∞ or NaN", () => {
    const x = tensor([Infinity, NaN, -Infinity, 1], { requiresGrad: true, allowNonFinite: true });
    const z = tensor([1, 2], { requiresGrad: true });
    const [gx, gz] = gradients(z.mul(z).sum(), [x, z]);
    expect(Array.from(gx!.data)).toEqual([0, 0, 0, 0]);
    expect(gx!.shape).toEqual([4]);
    expect(Array.from(gz!.data)).toEqual([2, 4]);
  });
  it("x⁰ passes no gradient, so an infinite x or gradOut gives 0 (as PyTorch)", () => {
    const x = tensor([Infinity, 1], { requiresGrad: true, allowNonFinite: true });
    const [g] = gradients(x.pow(0), [x], { gradOut: tensor([Infinity, 1], { allowNonFinite: true }) });
    expect(Array.from(g!.data)).toEqual([0, 0]);
  });
});

describe("numbers on both sides use the default dtype (float64)", () => {
  it.each([
    ["add", nb.add(1, 2), 3], ["sub", nb.sub(1, 2), -1], ["mul", nb.mul(3, 0.1), 0.30000000000000004],
    ["div", nb.div(1, 3), 1 / 3], ["pow", nb.pow(2, 0.5), Math.SQRT2], ["maximum", nb.maximum(1, 0.1), 1], ["minimum", nb.minimum(1, 0.1), 0.1],
  ] as const)("%s", (_name, t, want) => {
    expect(t.dtype).toBe("float64");
    expect(t.item()).toBe(want);
  });
  it("in the Functional of the engine and of the explicit layers", () => {
    expect(F.add(1, 0.1).dtype).toBe("float64");
    expect(F.add(1, 0.1).item()).toBe(1.1);
    expect(rawF.mul(1, 0.1).dtype).toBe("float64");
  });
});

describe("0-d reductions with axis 0 or −1", () => {
  it("argmax of a 0-d tensor is 0", () => {
    expect(nb.argmax(scalar(-3), { axis: 0 }).item()).toBe(0);
    expect(nb.argmax(scalar(-3), { axis: -1 }).item()).toBe(0);
  });
  it("rejects other axes", () => {
    expect(() => nb.sum(scalar(1), { axis: 1 })).toThrow(/axis must be an integer in \[-1, 0\]/);
    expect(() => nb.sum(scalar(1), { axis: -2 })).toThrow(nb.AxisError);
  });
});

describe("pow with a tensor exponent at a negative base", () => {
  it("∂/∂a = b·a^(b−1): 3·(−2)² = 12, and 1·0⁰ = 1", () => {
    const a = tensor([-2, 0], { requiresGrad: true });
    const [g] = gradients(a.pow(tensor([3, 1])).sum(), [a]);
    expect(Array.from(g!.data)).toEqual([12, 1]);
  });
  it("computes no exponent gradient when the exponent needs none, so anomaly mode stays quiet", () => {
    const a = tensor([-2, -0.5], { requiresGrad: true });
    const [g] = detectAnomaly(() => gradients(a.pow(tensor([2, 3])).sum(), [a]));
    expect(Array.from(g!.data)).toEqual([-4, 0.75]); // 2·(−2), 3·(−0.5)²
  });
  it("∂/∂b = a^b·ln a is undefined for a < 0: NaN as PyTorch, which anomaly mode reports", () => {
    const a = tensor([-2]), b = tensor([3], { requiresGrad: true });
    expect(Number.isNaN(gradients(a.pow(b).sum(), [b])[0]!.item())).toBe(true);
    expect(() => detectAnomaly(() => gradients(a.pow(b).sum(), [b]))).toThrow(AnomalyError);
  });
});
