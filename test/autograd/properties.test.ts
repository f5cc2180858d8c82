// Property tests: broadcasting against an independent index-by-index definition, movement round
// trips, and error paths (random bad shapes/axes always give a typed NablaError).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arange, NablaError, randn, sum, tensor, type Tensor } from "../../src/index.js";
import { flat } from "../helpers.js";

const dim = fc.integer({ min: 1, max: 4 });
const shapeArb = fc.array(dim, { minLength: 0, maxLength: 4 });

// Two shapes that broadcast: derive b from a by dropping leading axes and setting some to 1.
const broadcastPair = shapeArb.chain((a) =>
  fc.tuple(fc.constant(a), fc.integer({ min: 0, max: a.length }), fc.array(fc.boolean(), { minLength: a.length, maxLength: a.length }))
    .map(([s, drop, ones]) => [s, s.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d))] as const));

function at(t: Tensor, idx: readonly number[]): number {
  // NumPy rule, read independently: align right, size-1 axes read index 0.
  const off = idx.length - t.ndim;
  let flatIdx = 0;
  t.shape.forEach((d, i) => { flatIdx = flatIdx * d + (d === 1 ? 0 : (idx[i + off] as number)); });
  return t.data[flatIdx] as number;
}

function* indices(shape: readonly number[]): Generator<number[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  for (let k = 0; k < n; k++) {
    let r = k;
    const idx = new Array<number>(shape.length);
    for (let i = shape.length - 1; i >= 0; i--) { idx[i] = r % (shape[i] as number); r = Math.floor(r / (shape[i] as number)); }
    yield idx;
  }
}

describe("broadcasting", () => {
  it("a + b equals the elementwise definition at every index, both argument orders", () => {
    fc.assert(fc.property(broadcastPair, fc.boolean(), ([sa, sb], swap) => {
      const [x, y] = swap ? [randn(sb), randn(sa)] : [randn(sa), randn(sb)];
      const z = x.mul(y);
      for (const idx of indices(z.shape)) expect(at(z, idx)).toBe(at(x, idx) * at(y, idx));
    }), { numRuns: 150 });
  });
  it("the gradient of a broadcast input has the input's shape and sums the cotangent", () => {
    fc.assert(fc.property(broadcastPair, ([sa, sb]) => {
      const a = randn(sa), b = randn(sb, { requiresGrad: true });
      a.add(b).sum().backward();
      expect(b.grad!.shape).toEqual(sb);
      const copies = sa.reduce((p, d) => p * d, 1) / sb.reduce((p, d) => p * d, 1);
      for (const v of flat(b.grad!)) expect(v).toBe(copies);
    }), { numRuns: 100 });
  });
});

describe("movement round trips", () => {
  it("reshape to a permuted shape and back restores the data", () => {
    fc.assert(fc.property(shapeArb, (s) => {
      const x = randn(s);
      const y = x.reshape([...s].reverse()).reshape(s);
      expect(flat(y)).toEqual(flat(x));
    }));
  });
  it("permute then inverse permute is the identity; transpose twice too", () => {
    fc.assert(fc.property(shapeArb.filter((s) => s.length >= 2), fc.infiniteStream(fc.nat()), (s, _r) => {
      const x = randn(s);
      const p = s.map((_, i) => i).reverse();
      const inv = new Array<number>(p.length);
      p.forEach((a, i) => { inv[a] = i; });
      expect(flat(x.permute(p).permute(inv))).toEqual(flat(x));
      expect(flat(x.transpose().transpose())).toEqual(flat(x));
    }));
  });
  it("slicing every index of axis 0 and stacking them back restores the tensor", () => {
    fc.assert(fc.property(shapeArb.filter((s) => s.length >= 1), (s) => {
      const x = randn(s);
      const parts = Array.from({ length: s[0] as number }, (_, i) => x.slice([i, i + 1]));
      expect(flat(parts.reduce((acc, p) => acc === null ? p : tensorConcat(acc, p), null as Tensor | null)!)).toEqual(flat(x));
    }));
  });
  it("sum over all axes equals the sum of the data", () => {
    fc.assert(fc.property(shapeArb, (s) => {
      const x = arange(s.reduce((a, b) => a * b, 1)).reshape(s);
      const n = x.size;
      expect(sum(x).item()).toBe((n * (n - 1)) / 2);
    }));
  });
});

function tensorConcat(a: Tensor, b: Tensor): Tensor {
  return tensor([...flat(a), ...flat(b)]).reshape([a.shape[0]! + b.shape[0]!, ...a.shape.slice(1)]);
}

describe("error paths", () => {
  const badCall = fc.oneof(
    fc.tuple(shapeArb, shapeArb).map(([a, b]) => () => randn(a).add(randn(b))),
    fc.tuple(shapeArb, shapeArb).map(([a, b]) => () => randn(a).matmul(randn(b))),
    fc.tuple(shapeArb, fc.integer({ min: -8, max: 8 })).map(([a, ax]) => () => randn(a).sum(ax)),
    fc.tuple(shapeArb, fc.integer({ min: -8, max: 8 })).map(([a, ax]) => () => randn(a).softmax(ax)),
    fc.tuple(shapeArb, fc.array(fc.integer({ min: -3, max: 7 }), { maxLength: 4 })).map(([a, s]) => () => randn(a).reshape(s)),
    fc.tuple(shapeArb, fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 5 })).map(([a, p]) => () => randn(a).permute(p)),
    fc.tuple(shapeArb, fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 5 })).map(([a, s]) => () => randn(a).expand(s)),
    fc.tuple(shapeArb, fc.integer({ min: -6, max: 6 })).map(([a, ax]) => () => randn(a).unsqueeze(ax).squeeze(ax)),
    fc.tuple(shapeArb, fc.array(fc.integer({ min: -6, max: 6 }), { maxLength: 5 })).map(([a, idx]) => () => randn(a).slice(...idx)),
  );
  it("either succeeds or throws a NablaError, never anything else", () => {
    fc.assert(fc.property(badCall, (call) => {
      try {
        call();
      } catch (e) {
        expect(e).toBeInstanceOf(NablaError);
      }
    }), { numRuns: 2000 });
  });
  it("mismatched broadcasts always throw a ShapeError naming both shapes", () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 5 }), (m, n) => {
      fc.pre(m !== n);
      expect(() => randn([m]).add(randn([n]))).toThrow(`add: shapes must broadcast, got [${m}] and [${n}]`);
    }));
  });
});
