// The engine recycles backward's temporaries and consumed gradients into the backend's pool; with
// freed buffers poisoned (NaN), gradients must equal, bit for bit, those of a backward that recycles
// nothing (a traced one), over several steps that reuse the pool, and leaf gradients must survive.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setPoolPoison } from "../../src/backend/pool.js";
import { crossEntropy, Linear, onTrace, Random, randn, ReLU, Sequential, SGD, tensor, type Tensor } from "../../src/index.js";

let prev = false;
beforeAll(() => { prev = setPoolPoison(true); });
afterAll(() => { setPoolPoison(prev); });

function model(): { net: Sequential; opt: SGD } {
  const net = new Sequential(new Linear(40, 64, { seed: 1 }), new ReLU(), new Linear(64, 5, { seed: 2 }));
  return { net, opt: new SGD(net.parameters(), { lr: 0.1 }) };
}

function grads(traced: boolean, steps: number): number[][] {
  const { net, opt } = model();
  const x = randn([32, 40], { generator: new Random(3) }); // 32×64 hidden: above the recycling size
  const y = tensor(Array.from({ length: 32 }, (_, i) => i % 5));
  const stop = traced ? onTrace(() => {}) : () => false;
  let out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const h = net.call(x.mul(1)); // an intermediate the user keeps across backward
    const loss = crossEntropy(h, y);
    loss.backward();
    out = net.parameters().map((p) => Array.from((p.grad as Tensor).data));
    expect(h.data.every((v) => Number.isFinite(v))).toBe(true);
    opt.step();
  }
  stop();
  return out;
}

describe("recycling backward's buffers", () => {
  it("gives the gradients of a backward that recycles nothing, step after step", () => {
    const plain = grads(true, 4);
    const recycled = grads(false, 4);
    expect(recycled).toEqual(plain);
    for (const g of recycled) expect(g.every((v) => Number.isFinite(v))).toBe(true);
  });
  it("keeps leaf gradients shared by two leaves (a + b gives both the same buffer) intact", () => {
    const a = randn([64, 32], { generator: new Random(5) }).requireGrad(), b = randn([64, 32], { generator: new Random(6) }).requireGrad();
    a.add(b).relu().sum().backward();
    const ga = a.grad as Tensor, gb = b.grad as Tensor;
    const want = Array.from(ga.data);
    expect(want.every((v) => v === 0 || v === 1)).toBe(true);
    // more backward passes through the pool (other leaves) must not touch them
    const c = randn([64, 32], { generator: new Random(7) }).requireGrad();
    for (let i = 0; i < 3; i++) c.mul(2).add(a.detach()).relu().sum().backward();
    expect(Array.from(ga.data)).toEqual(want);
    expect(Array.from(gb.data)).toEqual(want);
  });

  it("recycles a leaf gradient no one read at zeroGrad: the same numbers as gradients that were read", () => {
    const run = (read: boolean): { params: number[][]; reused: boolean } => {
      const { net, opt } = model();
      const x = randn([32, 40], { generator: new Random(3) }), y = tensor(Array.from({ length: 32 }, (_, i) => i % 5));
      const w = net.parameters()[0] as Tensor;
      const bufs: unknown[] = [];
      for (let s = 0; s < 4; s++) {
        opt.zeroGrad();
        crossEntropy(net.call(x), y).backward();
        if (read) expect((w.grad as Tensor).data.every(Number.isFinite)).toBe(true);
        bufs.push(w.peekGrad()?.data);
        opt.step();
      }
      return { params: net.parameters().map((p) => Array.from(p.data)), reused: bufs[3] === bufs[2] };
    };
    const read = run(true), unread = run(false);
    expect(unread.params).toEqual(read.params);
    expect(unread.params.flat().every(Number.isFinite)).toBe(true);
    expect(unread.reused).toBe(true); // zeroGrad gave W1's gradient back and the next backward took it
    expect(read.reused).toBe(false);
  });
  it("never recycles a gradient someone read: it keeps its numbers after zeroGrad and more steps", () => {
    const { net, opt } = model();
    const x = randn([32, 40], { generator: new Random(3) }), y = tensor(Array.from({ length: 32 }, (_, i) => i % 5));
    const w = net.parameters()[0] as Tensor;
    crossEntropy(net.call(x), y).backward();
    const held = w.grad as Tensor, want = Array.from(held.data);
    for (let s = 0; s < 3; s++) {
      opt.zeroGrad();
      crossEntropy(net.call(x), y).backward();
      opt.step();
    }
    expect(Array.from(held.data)).toEqual(want);
    expect(want.every(Number.isFinite)).toBe(true);
  });
  it("never recycles a gradient two leaves share, nor a gradOut the caller passed", () => {
    const a = randn([64, 32], { generator: new Random(5) }).requireGrad(), b = randn([64, 32], { generator: new Random(6) }).requireGrad();
    a.add(b).sum().backward(); // add hands both leaves the same buffer of ones
    a.zeroGrad();
    const c = randn([64, 32], { generator: new Random(7) }).requireGrad();
    for (let i = 0; i < 3; i++) c.mul(2).relu().sum().backward(); // more buffers of that size through the pool
    expect((b.grad as Tensor).data.every((v) => v === 1)).toBe(true);

    const leaf = randn([64, 32], { generator: new Random(8) }).requireGrad();
    const gradOut = randn([64, 32], { generator: new Random(9) }), want = Array.from(gradOut.data);
    leaf.backward(gradOut);
    leaf.zeroGrad();
    for (let i = 0; i < 3; i++) c.mul(2).relu().sum().backward();
    expect(Array.from(gradOut.data)).toEqual(want);
  });
});
