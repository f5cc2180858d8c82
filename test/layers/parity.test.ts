// Explicit layers (no autograd) held against autograd to 1e-12 in float64, on random seeded shapes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BceLossLayer, CrossEntropyLossLayer, GeluLayer, HuberLossLayer, type Layer, LeakyReluLayer, LinearLayer, type LossLayer,
  MseLossLayer, ReluLayer, SigmoidLayer, SoftmaxLayer, SoftplusLayer, TanhLayer,
} from "../../src/layers/layers.js";
import {
  bceLoss, crossEntropy, gelu, gradients, huberLoss, leakyRelu, mseLoss, Random, randn, relu, sigmoid, softmax, softplus, tanh, tensor, type Tensor,
} from "../../src/index.js";
import { expectClose, flat } from "../helpers.js";

const TOL = 1e-12;
const dims = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.nat(1000), fc.boolean());

function leaf(t: Tensor): Tensor {
  return t.detach().requireGrad();
}

describe("LinearLayer parity with autograd", () => {
  for (const layout of ["xWT", "Wx", "xW"] as const) {
    it(`layout ${layout}: output, ∂L/∂x, ∂L/∂W and ∂L/∂b`, () => {
      fc.assert(fc.property(dims, ([n, fin, fout, seed, vector]) => {
        const g = new Random(seed);
        const wShape = layout === "xW" ? [fin, fout] : [fout, fin];
        const xShape = vector ? [fin] : layout === "Wx" ? [fin, n] : [n, fin];
        const W = leaf(randn(wShape, { generator: g })), b = leaf(randn([fout], { generator: g })), x = leaf(randn(xShape, { generator: g }));
        const y = layout === "Wx"
          ? (vector ? W.matmul(x).add(b) : W.matmul(x).add(b.reshape([fout, 1])))
          : x.matmul(layout === "xW" ? W : W.T).add(b);
        const gy = randn(y.shape, { generator: g });
        const [gx, gW, gb] = gradients(y, [x, W, b], { gradOut: gy });
        const layer = new LinearLayer(W.detach(), b.detach(), layout);
        const out = layer.forward(x.detach());
        expectClose(Array.from(out.data), flat(y), TOL, TOL, "forward");
        expectClose(Array.from(layer.backward(gy).data), flat(gx!), TOL, TOL, "∂x");
        expectClose(Array.from(layer.gradWeight!.data), flat(gW!), TOL, TOL, "∂W");
        expectClose(Array.from(layer.gradBias!.data), flat(gb!), TOL, TOL, "∂b");
      }), { numRuns: 40, seed: 3 });
    });
  }
});

const acts: [string, () => Layer, (x: Tensor) => Tensor][] = [
  ["ReluLayer", () => new ReluLayer(), relu],
  ["LeakyReluLayer", () => new LeakyReluLayer(0.1), (x) => leakyRelu(x, { negativeSlope: 0.1 })],
  ["SigmoidLayer", () => new SigmoidLayer(), sigmoid],
  ["TanhLayer", () => new TanhLayer(), tanh],
  ["GeluLayer", () => new GeluLayer(), gelu],
  ["GeluLayer tanh", () => new GeluLayer("tanh"), (x) => gelu(x, { approximate: "tanh" })],
  ["SoftplusLayer", () => new SoftplusLayer(2, 5), (x) => softplus(x, { beta: 2, threshold: 5 })],
  ["SoftmaxLayer", () => new SoftmaxLayer(-1), (x) => softmax(x, { axis: -1 })],
];

describe.each(acts)("%s parity with autograd", (_name, make, f) => {
  it("forward and backward match on random shapes", () => {
    fc.assert(fc.property(dims, ([n, m, , seed]) => {
      const g = new Random(seed);
      const x = leaf(randn([n, m], { generator: g }).mul(3));
      const y = f(x);
      const gy = randn(y.shape, { generator: g });
      const [gx] = gradients(y, [x], { gradOut: gy });
      const layer = make();
      expectClose(Array.from(layer.forward(x.detach()).data), flat(y), TOL, TOL, "forward");
      expectClose(Array.from(layer.backward(gy).data), flat(gx!), TOL, TOL, "backward");
    }), { numRuns: 25, seed: 5 });
  });
});

const losses: [string, () => LossLayer, (p: Tensor, y: Tensor) => Tensor, (g: Random, s: number[]) => [Tensor, Tensor]][] = [
  ["MseLossLayer mean", () => new MseLossLayer(), (p, y) => mseLoss(p, y), (g, s) => [randn(s, { generator: g }), randn(s, { generator: g })]],
  ["MseLossLayer sum ½", () => new MseLossLayer("sum", true), (p, y) => mseLoss(p, y, { reduction: "sum", half: true }), (g, s) => [randn(s, { generator: g }), randn(s, { generator: g })]],
  ["HuberLossLayer", () => new HuberLossLayer(0.5), (p, y) => huberLoss(p, y, { delta: 0.5 }), (g, s) => [randn(s, { generator: g }), randn(s, { generator: g })]],
  ["BceLossLayer", () => new BceLossLayer(), (p, y) => bceLoss(p, y), (g, s) => [randn(s, { generator: g }).sigmoid(), randn(s, { generator: g }).sigmoid()]],
  ["CrossEntropyLossLayer", () => new CrossEntropyLossLayer(), (z, y) => crossEntropy(z, y), (g, s) => [randn(s, { generator: g }), randn(s, { generator: g }).softmax(-1)]],
];

describe.each(losses)("%s parity with autograd", (_name, make, f, data) => {
  it("loss value and ∂L/∂prediction match", () => {
    fc.assert(fc.property(dims, ([n, m, , seed]) => {
      const g = new Random(seed);
      const [p0, y] = data(g, [n, m]);
      const p = leaf(p0);
      const L = f(p, y);
      const [gp] = gradients(L, [p]);
      const layer = make();
      expectClose(Array.from(layer.forward(p.detach(), y).data), flat(L), TOL, TOL, "loss");
      expectClose(Array.from(layer.backward().data), flat(gp!), TOL, TOL, "∂L/∂p");
    }), { numRuns: 25, seed: 9 });
  });
});

describe("explicit layers", () => {
  it("compose into a two-layer MLP whose hand-chained backward equals autograd (seed 001's mlp.py)", () => {
    const g = new Random(1);
    const x = randn([4, 3], { generator: g }), y = randn([4, 2], { generator: g });
    const W1 = leaf(randn([5, 3], { generator: g })), b1 = leaf(randn([5], { generator: g }));
    const W2 = leaf(randn([2, 5], { generator: g })), b2 = leaf(randn([2], { generator: g }));
    const L = mseLoss(x.matmul(W1.T).add(b1).relu().matmul(W2.T).add(b2).sigmoid(), y);
    const auto = gradients(L, [W1, b1, W2, b2]);
    const l1 = new LinearLayer(W1.detach(), b1.detach()), a1 = new ReluLayer(), l2 = new LinearLayer(W2.detach(), b2.detach()), a2 = new SigmoidLayer(), loss = new MseLossLayer();
    const out = loss.forward(a2.forward(l2.forward(a1.forward(l1.forward(x)))), y);
    expect(out.data[0]).toBeCloseTo(L.item(), 14);
    l1.backward(a1.backward(l2.backward(a2.backward(loss.backward()))));
    [l1.gradWeight, l1.gradBias, l2.gradWeight, l2.gradBias].forEach((gr, i) => expectClose(Array.from(gr!.data), flat(auto[i]!), TOL, TOL, `param ${i}`));
  });
  it("refuse backward before forward and mismatched gradOut shapes", () => {
    const l = new ReluLayer();
    expect(() => l.backward(tensor([1]))).toThrow(/needs a forward/);
    l.forward(tensor([1, 2]));
    expect(() => l.backward(tensor([1]))).toThrow(/gradOut must have the output's shape \[2\]/);
  });
});
