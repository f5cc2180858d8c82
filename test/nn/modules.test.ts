// Autograd modules, initialisers and parameter files.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { crossEntropy, init, Linear, loadParameters, mseLoss, Random, randn, ReLU, saveParameters, Sequential, SGD, tensor } from "../../src/index.js";
import { flat } from "../helpers.js";

describe("modules", () => {
  it("Linear computes x Wᵀ + b and exposes named parameters", () => {
    const l = new Linear(3, 2, { seed: 1 });
    const x = tensor([[1, 2, 3]]);
    const want = [0, 1].map((o) => [0, 1, 2].reduce((s, i) => s + (l.weight.data[o * 3 + i] as number) * (i + 1), l.bias!.data[o] as number));
    expect(flat(l.forward(x))).toEqual(want.map((v) => expect.closeTo(v, 14)));
    expect(new Sequential(l, new ReLU()).namedParameters().map(([k]) => k)).toEqual(["0.weight", "0.bias"]);
  });
  it("a Sequential MLP trained with SGD reduces its loss", () => {
    const g = new Random(4);
    const net = new Sequential(new Linear(2, 8, { generator: g }), new ReLU(), new Linear(8, 3, { generator: g }));
    const x = randn([32, 2], { generator: g });
    const y = tensor(Array.from({ length: 32 }, (_, i) => ((x.data[2 * i] as number) > 0 ? ((x.data[2 * i + 1] as number) > 0 ? 0 : 1) : 2)));
    const opt = new SGD(net.parameters(), { lr: 0.5 });
    const first = crossEntropy(net.forward(x), y).item();
    let last = first;
    for (let i = 0; i < 200; i++) {
      opt.zeroGrad();
      const L = crossEntropy(net.forward(x), y);
      L.backward();
      opt.step();
      last = L.item();
    }
    expect(last).toBeLessThan(first * 0.5);
  });
  it("initialisers follow PyTorch's bounds and variances", () => {
    const w = init("xavier-uniform", [200, 300], { seed: 1 });
    const a = Math.sqrt(6 / 500);
    expect(Math.max(...flat(w).map(Math.abs))).toBeLessThanOrEqual(a);
    const k = flat(init("kaiming-normal", [400, 500], { seed: 2 }));
    const v = k.reduce((s, x) => s + x * x, 0) / k.length;
    expect(Math.abs(v - 2 / 500) / (2 / 500)).toBeLessThan(0.03);
    expect(flat(init("constant", [2], { value: 3 }))).toEqual([3, 3]);
  });
  it("saves parameters atomically and loads them back; refuses mismatched files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nabla-params-"));
    const path = join(dir, "net.json");
    const a = new Sequential(new Linear(2, 3, { seed: 1 }), new ReLU(), new Linear(3, 1, { seed: 2 }));
    await saveParameters(a, path);
    const b = new Sequential(new Linear(2, 3, { seed: 9 }), new ReLU(), new Linear(3, 1, { seed: 8 }));
    await loadParameters(b, path);
    expect(b.parameters().map(flat)).toEqual(a.parameters().map(flat));
    expect(JSON.parse(readFileSync(path, "utf8")).format).toBe("nabla-parameters/1");
    await expect(loadParameters(new Linear(2, 2), path)).rejects.toThrow(/unexpected parameter '0.weight'/);
    writeFileSync(path, "{not json");
    await expect(loadParameters(a, path)).rejects.toThrow(/cannot read parameters/);
    expect(() => mseLoss(tensor([1, 2]), tensor([1]))).toThrow(/same shape/);
  });
});
