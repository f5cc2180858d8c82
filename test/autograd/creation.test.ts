import { describe, expect, it } from "vitest";
import { arange, eye, full, linspace, manualSeed, rand, randn, Random, tensor, zeros } from "../../src/index.js";
import { flat } from "../helpers.js";

describe("creation", () => {
  it("infers shapes from nested arrays and keeps dtype", () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe("float32");
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(tensor(7).shape).toEqual([]);
    expect(tensor(7).item()).toBe(7);
  });
  it("builds from typed arrays with a shape", () => {
    expect(tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] }).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(() => tensor(new Float64Array([1, 2, 3]), { shape: [2, 2] })).toThrow(/needs 4/);
  });
  it("makes constants, ranges and identities", () => {
    expect(flat(zeros([2]))).toEqual([0, 0]);
    expect(flat(full([3], 2.5))).toEqual([2.5, 2.5, 2.5]);
    expect(flat(arange(5))).toEqual([0, 1, 2, 3, 4]);
    expect(flat(arange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    expect(flat(linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });
  it("gives reproducible random numbers from a seed", () => {
    manualSeed(5);
    const a = flat(randn([4]));
    manualSeed(5);
    expect(flat(randn([4]))).toEqual(a);
    expect(flat(rand([3], { generator: new Random(9) }))).toEqual(flat(rand([3], { generator: new Random(9) })));
  });
  it("draws uniform numbers with mean ½, variance 1/12 and normals with mean 0, variance 1", () => {
    const u = flat(rand([20000], { generator: new Random(1) }));
    const mu = u.reduce((a, b) => a + b) / u.length;
    const vu = u.reduce((a, b) => a + (b - mu) ** 2, 0) / u.length;
    expect(Math.abs(mu - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(vu - 1 / 12)).toBeLessThan(0.003);
    expect(u.every((x) => x >= 0 && x < 1)).toBe(true);
    const z = flat(randn([20000], { generator: new Random(2) }));
    const mz = z.reduce((a, b) => a + b) / z.length;
    const vz = z.reduce((a, b) => a + (b - mz) ** 2, 0) / z.length;
    expect(Math.abs(mz)).toBeLessThan(0.03);
    expect(Math.abs(vz - 1)).toBeLessThan(0.04);
  });
});
