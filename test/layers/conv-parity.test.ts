// Conv2dLayer and MaxPool2dLayer (no autograd) held against autograd to 1e-12 in float64, on random
// seeded shapes, strides, paddings, dilations and groups.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Conv2dLayer, conv2d, gradients, MaxPool2dLayer, maxPool2d, Random, randn, type Tensor } from "../../src/index.js";
import { expectClose, flat } from "../helpers.js";

const TOL = 1e-12;
const leaf = (t: Tensor): Tensor => t.detach().requireGrad();

const convCase = fc.record({
  n: fc.integer({ min: 1, max: 2 }), groups: fc.integer({ min: 1, max: 2 }), cg: fc.integer({ min: 1, max: 2 }), og: fc.integer({ min: 1, max: 2 }),
  kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 2 }), padding: fc.integer({ min: 0, max: 1 }),
  dilation: fc.integer({ min: 1, max: 2 }), extra: fc.integer({ min: 0, max: 3 }), bias: fc.boolean(), seed: fc.nat(1000),
});

describe("Conv2dLayer parity with autograd", () => {
  it("output, ∂L/∂x, ∂L/∂W and ∂L/∂b", () => {
    fc.assert(fc.property(convCase, (c) => {
      const g = new Random(c.seed);
      const H = c.dilation * (c.kh - 1) + 1 + c.extra, W = c.dilation * (c.kw - 1) + 2 + c.extra;
      const x = leaf(randn([c.n, c.cg * c.groups, H, W], { generator: g }));
      const w = leaf(randn([c.og * c.groups, c.cg, c.kh, c.kw], { generator: g }));
      const b = leaf(randn([c.og * c.groups], { generator: g }));
      const o = { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups };
      const y = conv2d(x, w, c.bias ? b : null, o);
      const gy = randn(y.shape, { generator: g });
      const wrt = c.bias ? [x, w, b] : [x, w];
      const grads = gradients(y, wrt, { gradOut: gy });
      const layer = new Conv2dLayer(w.detach(), c.bias ? b.detach() : null, o);
      expectClose(Array.from(layer.forward(x.detach()).data), flat(y), TOL, TOL, "forward");
      expectClose(Array.from(layer.backward(gy).data), flat(grads[0]!), TOL, TOL, "∂x");
      expectClose(Array.from(layer.gradWeight!.data), flat(grads[1]!), TOL, TOL, "∂W");
      if (c.bias) expectClose(Array.from(layer.gradBias!.data), flat(grads[2]!), TOL, TOL, "∂b");
      else expect(layer.gradBias).toBeNull();
    }), { numRuns: 40, seed: 9 });
  });
});

describe("MaxPool2dLayer parity with autograd", () => {
  it("output and ∂L/∂x, including ties from rounded inputs", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 1 }), fc.boolean(), fc.nat(1000), (k, s, p, ties, seed) => {
      const g = new Random(seed);
      const pad = Math.min(p, Math.floor(k / 2));
      const raw = randn([2, 2, 6, 5], { generator: g });
      const x = leaf(ties ? raw.mul(2).detach().sign() : raw);
      const y = maxPool2d(x, k, { stride: s, padding: pad });
      const gy = randn(y.shape, { generator: g });
      const [gx] = gradients(y, [x], { gradOut: gy });
      const layer = new MaxPool2dLayer(k, { stride: s, padding: pad });
      expectClose(Array.from(layer.forward(x.detach()).data), flat(y), TOL, TOL, "forward");
      expectClose(Array.from(layer.backward(gy).data), flat(gx!), TOL, TOL, "∂x");
    }), { numRuns: 40, seed: 4 });
  });
});
