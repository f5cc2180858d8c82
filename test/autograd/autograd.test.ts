// Engine behaviour: accumulation, x + x, retainGrad, freed graphs, higher order, grad(), anomaly mode.
import { describe, expect, it } from "vitest";
import {
  AnomalyError, AutogradError, detectAnomaly, DTypeError, grad, gradcheck, GradcheckError, gradients, noGrad,
  onTrace, ones, randn, tensor, type TraceEvent, valueAndGrad, type Tensor,
} from "../../src/index.js";
import { expectClose, flat } from "../helpers.js";

describe("backward", () => {
  it("sends both contributions of x + x (d(x+x)/dx = 2)", () => {
    const x = tensor([1.5, -2], { requiresGrad: true });
    x.add(x).sum().backward();
    expect(flat(x.grad!)).toEqual([2, 2]);
  });
  it("accumulates into .grad across calls until zeroGrad", () => {
    const x = tensor(3, { requiresGrad: true });
    x.mul(x).backward(); // 2x = 6
    x.mul(x).backward();
    expect(x.grad!.item()).toBe(12);
    x.zeroGrad();
    x.mul(x).backward();
    expect(x.grad!.item()).toBe(6);
  });
  it("keeps intermediate gradients only when retainGrad() was called", () => {
    const x = tensor(2, { requiresGrad: true });
    const h = x.mul(3);
    const k = h.mul(2).retainGrad();
    k.mul(k).backward(); // L = k², k = 6x: ∂L/∂k = 2k = 24
    expect(h.grad).toBeNull();
    expect(k.grad!.item()).toBe(24);
    expect(x.grad!.item()).toBe(144); // 72x
  });
  it("refuses a second backward through a freed graph", () => {
    const x = tensor(2, { requiresGrad: true });
    const y = x.exp().mul(2);
    y.backward();
    expect(() => y.backward()).toThrow(AutogradError);
    expect(() => y.backward()).toThrow(/already freed/);
  });
  it("allows a second backward with retainGraph", () => {
    const x = tensor(2, { requiresGrad: true });
    const y = x.mul(x);
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.item()).toBe(8);
  });
  it("requires gradOut for non-scalar outputs", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.mul(2).backward()).toThrow(/gradOut is required for a non-scalar output, got shape \[2\]/);
    x.mul(2).backward(tensor([1, 10]));
    expect(flat(x.grad!)).toEqual([2, 20]);
  });
  it("refuses backward on a tensor that does not require grad", () => {
    expect(() => tensor(1).backward()).toThrow(AutogradError);
  });
  it("sums broadcast gradients back to the input shape", () => {
    const b = tensor([1, 2, 3], { requiresGrad: true });
    ones([4, 3]).mul(b).sum().backward();
    expect(flat(b.grad!)).toEqual([4, 4, 4]);
  });
  it("records nothing under noGrad and detach()", () => {
    const x = tensor(1, { requiresGrad: true });
    expect(noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expect(x.detach().mul(2).requiresGrad).toBe(false);
  });
});

describe("higher order", () => {
  it("grad of grad: d²/dx² sin-free polynomial x⁴ = 12x²", () => {
    const f = (x: Tensor): Tensor => x.pow(4);
    const d2 = grad((x: Tensor) => grad(f)(x) as Tensor);
    expect((d2(tensor(1.5)) as Tensor).item()).toBeCloseTo(12 * 1.5 * 1.5, 12);
  });
  it("third derivative of tanh matches the closed form −2(1 − t²)(1 − 3t²)", () => {
    const d1 = grad((x: Tensor) => x.tanh());
    const d2 = grad((x: Tensor) => d1(x) as Tensor);
    const d3 = grad((x: Tensor) => d2(x) as Tensor);
    const x0 = 0.3, t = Math.tanh(x0);
    expect((d3(tensor(x0)) as Tensor).item()).toBeCloseTo(-2 * (1 - t * t) * (1 - 3 * t * t), 12);
  });
  it("Hessian-vector product of f(x) = Σ x_i³ is 6·x⊙v", () => {
    const x = tensor([1, -2, 0.5], { requiresGrad: true });
    const v = tensor([0.3, 1, -1]);
    const [g] = gradients(x.pow(3).sum(), [x], { createGraph: true });
    const [hv] = gradients(g!.mul(v).sum(), [x]);
    expectClose(flat(hv!), [6 * 1 * 0.3, 6 * -2 * 1, 6 * 0.5 * -1], 1e-14, 0);
  });
  it("valueAndGrad returns the value and several gradients", () => {
    const [v, gs] = valueAndGrad((a: Tensor, b: Tensor) => a.mul(b).sum(), [0, 1])(tensor([1, 2]), tensor([3, 4]));
    expect(v.item()).toBe(11);
    expect((gs as Tensor[]).map(flat)).toEqual([[3, 4], [1, 2]]);
  });
  it("grad of a function that ignores its argument is zero", () => {
    expect(flat(grad(() => tensor(5))(tensor([1, 2])) as Tensor)).toEqual([0, 0]);
  });
});

describe("gradcheck", () => {
  it("reports the input, index, analytic and numeric values when gradients are wrong", () => {
    // x·detach(x): the analytic gradient misses one term (x instead of 2x)
    const broken = (x: Tensor): Tensor => x.mul(x.detach());
    const x = tensor([0.5, 1.5, -2]);
    const r = gradcheck(broken, [x], { raise: false });
    expect(r.ok).toBe(false);
    expect(r.worst!.input).toBe(0);
    expect(r.worst!.index).toEqual([2]);
    expect(r.message).toMatch(/input 0 at index \[2\]/);
    expect(() => gradcheck(broken, [x])).toThrow(GradcheckError);
  });
  it("refuses float32 inputs", () => {
    expect(() => gradcheck((x) => x, [tensor([1], { dtype: "float32" })])).toThrow(/float64/);
  });
});

describe("anomaly mode", () => {
  it("names the op whose forward made NaN/Inf from finite inputs", () => {
    const x = tensor([1, 0]);
    expect(() => detectAnomaly(() => x.div(x))).toThrow(AnomalyError);
    expect(() => detectAnomaly(() => x.div(x))).toThrow(/^div: forward produced NaN/);
  });
  it("names the op whose backward made NaN/Inf", () => {
    const x = tensor([0, 1], { requiresGrad: true });
    expect(() => detectAnomaly(() => x.sqrt().sum().backward())).toThrow(/sqrt: backward produced Infinity/);
  });
});

describe("errors at the op boundary", () => {
  it("rejects mixed dtypes with a hint", () => {
    expect(() => tensor([1]).add(tensor([1], { dtype: "float32" }))).toThrow(DTypeError);
    expect(() => tensor([1]).add(tensor([1], { dtype: "float32" }))).toThrow(/add: dtypes must match, got float64 and float32/);
  });
  it("formats matmul shape errors as op: rule, got …", () => {
    expect(() => randn([2, 3]).matmul(randn([4, 5]))).toThrow("matmul: inner dimensions must match, got [2,3] @ [4,5] (3 ≠ 4).");
    expect(() => randn([2, 3]).matmul(randn([2, 3]))).toThrow(/Did you mean b.transpose\(\)\?/);
  });
  it("rejects log of negative numbers naming the index", () => {
    expect(() => tensor([1, -2]).log()).toThrow("log: input must be ≥ 0, got -2 at index [1] of a [2] tensor.");
  });
  it("rejects ragged and non-finite input data", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged nested array/);
    expect(() => tensor([1, NaN])).toThrow(/finite/);
  });
});

describe("trace events", () => {
  it("emits forward and backward events the layers above can consume", () => {
    const events: TraceEvent[] = [];
    const off = onTrace((e) => events.push(e));
    const x = tensor(2, { requiresGrad: true });
    x.mul(x).exp().backward();
    off();
    expect(events.filter((e) => e.kind === "forward").map((e) => (e.kind === "forward" ? e.op : ""))).toEqual(["mul", "exp"]);
    expect(events.filter((e) => e.kind === "backward").map((e) => (e.kind === "backward" ? e.op : ""))).toEqual(["exp", "mul"]);
  });
});
