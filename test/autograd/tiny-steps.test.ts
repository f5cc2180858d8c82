// The small-step fast paths (issue 10): numbered walks, cached rule scalars, the skipped version check,
// interned shapes and the interpreters' arity check keep autograd's answers and errors. Expected values
// are hand-derived.
import { describe, expect, it } from "vitest";
import { AutogradError, bceLoss, onTrace, SGD, ShapeError, tensor } from "../../src/index.js";
import { applyOp, F } from "../../src/autograd/tensor.js";
import { ops } from "../../src/ops/registry.js";
import { rawApply } from "../../src/layers/tape.js";

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe("tiny training steps", () => {
  it("a sigmoid neuron's step matches the hand formula ∂BCE/∂z = p − y, step after step", () => {
    // z = x·w + b, p = σ(z), L = −(y log p + (1 − y) log(1 − p)); ∂L/∂w = (p − y)x, ∂L/∂b = p − y
    const xs = [0.5, -1.2, 0.3, 2.0], lr = 0.1, y = 1;
    const ws = [0.1, -0.2, 0.3, -0.4];
    let bv = 0.05;
    const x = tensor(xs), t = tensor([y]);
    const w = tensor(ws, { requiresGrad: true }), b = tensor([bv], { requiresGrad: true });
    const opt = new SGD([w, b], { lr });
    for (let step = 0; step < 3; step++) {
      opt.zeroGrad();
      const loss = bceLoss(x.matmul(w).add(b).sigmoid(), t);
      loss.backward();
      const z = xs.reduce((s, xi, i) => s + xi * (ws[i] as number), bv);
      const p = sigmoid(z);
      expect(loss.item()).toBeCloseTo(-Math.log(p), 14);
      Array.from(w.grad!.data).forEach((g, i) => expect(g).toBeCloseTo((p - y) * (xs[i] as number), 14));
      expect(b.grad!.data[0]).toBeCloseTo(p - y, 14);
      opt.step();
      for (let i = 0; i < 4; i++) ws[i] = (ws[i] as number) - lr * (p - y) * (xs[i] as number);
      bv -= lr * (p - y);
      Array.from(w.data).forEach((v, i) => expect(v).toBeCloseTo(ws[i] as number, 14));
    }
  });

  it("a backward started from a trace listener during another backward gets its own walk (no shared numbering)", () => {
    // outer: L = (2a)² with a = 3 → ∂L/∂a = 8a = 24; inner, from the listener: M = 5c, c = 7 → ∂M/∂c = 5
    const a = tensor([3], { requiresGrad: true });
    const c = tensor([7], { requiresGrad: true });
    const m = c.mul(5).sum();
    let inner = 0;
    const off = onTrace((e) => {
      if (e.kind === "backward" && inner === 0) {
        inner++;
        m.backward();
      }
    });
    try {
      a.mul(2).pow(2).sum().backward();
    } finally {
      off();
    }
    expect(inner).toBe(1);
    expect(Array.from(a.grad!.data)).toEqual([24]);
    expect(Array.from(c.grad!.data)).toEqual([5]);
  });

  it("a write between forward and backward is still caught (the version check runs when the backend counted a write)", () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const loss = w.mul(w).sum();
    new SGD([w], { lr: 0.1 }).step(); // w has no gradient yet: skipped, nothing written
    loss.backward();
    expect(Array.from(w.grad!.data)).toEqual([2, 4]); // ∂Σw²/∂w = 2w
    const w2 = tensor([1, 2], { requiresGrad: true });
    const loss2 = w2.mul(w2).sum();
    const v0 = w2.version;
    w2.set([3, 4]);
    let caught: unknown = null;
    try {
      loss2.backward();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AutogradError);
    expect((caught as AutogradError).message).toContain(`modified by an inplace operation: input 0 of mul, shape [2], is at version ${v0 + 1}; expected version ${v0}.`);
    expect(w2.grad).toBeNull();
  });

  it("the numbers backward rules use are not shared with what a recorded backward keeps", () => {
    // σ′ = σ(1 − σ): with createGraph the rule's 1 is a constant of the recorded graph; ∂²σ/∂x² = σ(1 − σ)(1 − 2σ)
    const x = tensor([0.3], { requiresGrad: true });
    const y = x.sigmoid().sum();
    y.backward(undefined, { createGraph: true });
    const g1 = x.grad!;
    const s = sigmoid(0.3);
    expect(g1.data[0]).toBeCloseTo(s * (1 - s), 15);
    x.zeroGrad();
    g1.sum().backward();
    expect(x.grad!.data[0]).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 15);
    // a later plain backward (scalars cached while nothing records) gives the same first derivative
    x.zeroGrad();
    x.sigmoid().sum().backward();
    expect(x.grad!.data[0]).toBeCloseTo(s * (1 - s), 15);
  });

  it("small shapes are shared, frozen and equal to what was asked; a user's array is never frozen", () => {
    const asked = [2, 3];
    const a = tensor([[1, 2, 3], [4, 5, 6]]), b = tensor(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: asked });
    expect(a.shape).toEqual([2, 3]);
    expect(b.shape).toBe(a.shape);
    expect(Object.isFrozen(a.shape)).toBe(true);
    expect(Object.isFrozen(asked)).toBe(false);
    const r = a.reshape(asked);
    expect(r.shape).toBe(a.shape);
    expect(Object.isFrozen(asked)).toBe(false);
    const big = tensor(new Float64Array(40 * 40), { shape: [40, 40] });
    expect(Object.isFrozen(big.shape)).toBe(true);
    expect(big.shape).toEqual([40, 40]);
  });

  it("a product with vector operands is one matmul node (no reshapes), with NumPy's shapes and hand-derived gradients", () => {
    // x·w = Σ xᵢwᵢ; ∂/∂w = x, ∂/∂x = w. x·M (M 2×3): ∂/∂M = x gᵀ (outer), ∂/∂x = M g. M·v: ∂/∂M = g vᵀ, ∂/∂v = Mᵀ g.
    const seen: string[] = [];
    const x = tensor([1, 2], { requiresGrad: true }), w = tensor([3, -4], { requiresGrad: true });
    const off = onTrace((e) => { if (e.kind === "forward") seen.push(e.op); });
    const d = x.matmul(w);
    off();
    expect(seen).toEqual(["matmul"]);
    expect(d.shape).toEqual([]);
    expect(d.item()).toBe(1 * 3 + 2 * -4);
    d.backward();
    expect(Array.from(w.grad!.data)).toEqual([1, 2]);
    expect(Array.from(x.grad!.data)).toEqual([3, -4]);
    const M = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true }), v = tensor([1, 0, -1], { requiresGrad: true });
    const u = tensor([2, -1], { requiresGrad: true });
    const xm = u.matmul(M);
    expect(xm.shape).toEqual([3]);
    expect(Array.from(xm.data)).toEqual([2 - 4, 4 - 5, 6 - 6]);
    xm.backward(tensor([1, 1, 1]));
    expect(Array.from(M.grad!.data)).toEqual([2, 2, 2, -1, -1, -1]);
    expect(Array.from(u.grad!.data)).toEqual([6, 15]);
    M.zeroGrad();
    const mv = M.matmul(v);
    expect(mv.shape).toEqual([2]);
    expect(Array.from(mv.data)).toEqual([1 - 3, 4 - 6]);
    mv.backward(tensor([1, 2]));
    expect(Array.from(M.grad!.data)).toEqual([1, 0, -1, 2, 0, -2]);
    expect(Array.from(v.grad!.data)).toEqual([1 + 8, 2 + 10, 3 + 12]);
    expect(() => applyOp(ops.matmul, [v, M], { transA: true, transB: false })).toThrow("a 1-d operand cannot be read transposed, got [3] @ [2,3].");
  });

  it("gradients of a broadcast over leading axes are summed back to the input's shape (0-d, 1-d), by hand", () => {
    // z + b, z 0-d and b of shape [1]: ∂/∂z = Σ g; A + r, A 2×3 and r of shape [3]: ∂/∂r = column sums of g
    const z = tensor(2, { requiresGrad: true }), b = tensor([3], { requiresGrad: true });
    z.add(b).backward(tensor([5]));
    expect(z.grad!.shape).toEqual([]);
    expect(z.grad!.item()).toBe(5);
    const A = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true }), r = tensor([1, 1, 1], { requiresGrad: true });
    A.add(r).backward(tensor([[1, 2, 3], [10, 20, 30]]));
    expect(r.grad!.shape).toEqual([3]);
    expect(Array.from(r.grad!.data)).toEqual([11, 22, 33]);
  });

  it("the mean of a one-element loss is its sum (no division by 1 recorded), with the same value and gradient", () => {
    // BCE of p = 0.8 against y = 1: −ln 0.8; ∂/∂p = −1/p = −1.25
    const seen: string[] = [];
    const p = tensor([0.8], { requiresGrad: true });
    const off = onTrace((e) => { if (e.kind === "forward") seen.push(e.op); });
    const loss = bceLoss(p, tensor([1]));
    off();
    expect(seen).toEqual(["bce", "sum"]);
    expect(loss.shape).toEqual([]);
    expect(loss.item()).toBeCloseTo(-Math.log(0.8), 15);
    loss.backward();
    expect(p.grad!.data[0]).toBeCloseTo(-1.25, 14);
    const two = bceLoss(tensor([0.8, 0.5]), tensor([1, 0]));
    expect(two.item()).toBeCloseTo((-Math.log(0.8) - Math.log(0.5)) / 2, 15);
  });

  it("every interpreter that runs forward checks the number of inputs, naming the op", () => {
    const x = tensor([1, 2]);
    expect(() => applyOp(ops.add, [x], null)).toThrow(ShapeError);
    expect(() => applyOp(ops.add, [x], null)).toThrow("expects 2 input(s), got 1.");
    expect(() => F.apply(ops.sigmoid, [x, x], null)).toThrow("expects 1 input(s), got 2.");
    expect(() => rawApply(ops.mul, [x, x, x], null)).toThrow("expects 2 input(s), got 3.");
  });
});
