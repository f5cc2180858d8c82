// Class visualisation: the step goes the right way (the target logit rises, the energy falls), every
// regulariser runs, middle layers work, and bad targets are refused. Hand-computed roll and total variation.
import { describe, expect, it } from "vitest";
import { Adam, Conv2d, fit, Flatten, Linear, loadImageSet, MaxPool2d, Random, ReLU, Sequential, tensor } from "../../src/index.js";
import { classify, DEFAULT_DREAM, dream, PLAIN_ASCENT, roll, smoothTotalVariation, totalVariation } from "../../src/dream/dream.js";

const norm = { mean: 0.3, std: 0.4 };
function tinyModel(): Sequential {
  const g = new Random(11);
  return new Sequential(new Conv2d(1, 4, 3, { padding: 1, generator: g }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 6 * 6, 10, { generator: g }));
}

/** A small CNN trained for two epochs on the committed subset (28×28). */
function trainedModel(): Sequential {
  const g = new Random(2);
  const m = new Sequential(new Conv2d(1, 6, 5, { stride: 2, generator: g, dtype: "float32" }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(6 * 6 * 6, 10, { generator: g, dtype: "float32" }));
  const train = loadImageSet("fixtures/fashion-mnist-subset", "train"), test = loadImageSet("fixtures/fashion-mnist-subset", "test");
  fit(m, new Adam(m.parameters(), { lr: 0.01 }), train, test, { epochs: 2, batchSize: 50, seed: 1, normalize: norm });
  return m;
}

describe("dream", () => {
  it("raises the target logit: one small plain step lowers the energy −logit (the gradient's sign is right)", () => {
    const m = tinyModel();
    for (const k of [0, 3, 9]) {
      const r = dream(m, [1, 12, 12], norm, { kind: "class", index: k }, { ...PLAIN_ASCENT, steps: 2, lr: 1e-3, normalizeGradient: false });
      const [a, b] = r.history;
      expect(b!.objective, `class ${k}`).toBeGreaterThan(a!.objective);
      expect(b!.loss).toBeLessThan(a!.loss);
    }
  });
  it("with every regulariser on (defaults), a trained classifier's target probability climbs and the image stays in [0, 1] (the shipped model's ≥ 0.99 is tested with it)", () => {
    const m = trainedModel();
    const r = dream(m, [1, 28, 28], norm, { kind: "class", index: 1 }, { steps: 30 });
    const p = r.history.map((h) => h.probability);
    expect(p[p.length - 1]!).toBeGreaterThan(p[0]! + 0.1);
    expect(r.image.shape).toEqual([1, 1, 28, 28]);
    expect(Math.min(...r.image.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...r.image.data)).toBeLessThanOrEqual(1);
    // the planned steps, then extra ones while the probability is below untilProbability, then the polish steps
    const ascent = r.history.filter((h) => h.phase === "ascent").length;
    expect(ascent).toBeGreaterThanOrEqual(30 * DEFAULT_DREAM.octaves);
    expect(ascent).toBeLessThanOrEqual(30 * DEFAULT_DREAM.octaves + DEFAULT_DREAM.extraSteps);
    expect(r.history.length).toBe(ascent + DEFAULT_DREAM.polish);
    expect(r.history.slice(ascent).every((h) => h.phase === "polish")).toBe(true);
    expect(classify(m, r.image, norm)[1]).toBeGreaterThan(p[0]! + 0.1); // the final image, unjittered
  });
  it("raises a middle layer's channel (summed over positions)", () => {
    const m = tinyModel();
    const r = dream(m, [1, 12, 12], norm, { kind: "channel", layer: 1, channel: 1 }, { steps: 15, octaves: 1, weightDecay: 0 });
    expect(r.history[r.history.length - 1]!.objective).toBeGreaterThan(r.history[0]!.objective);
    expect(Number.isNaN(r.history[0]!.probability)).toBe(true);
  });
  it("refuses unknown classes, layers and channels, and bad knobs", () => {
    const m = tinyModel();
    expect(() => dream(m, [1, 12, 12], norm, { kind: "class", index: 10 })).toThrow("dream: class must be an integer from 0 to 9, got 10.");
    expect(() => dream(m, [1, 12, 12], norm, { kind: "channel", layer: 9, channel: 0 })).toThrow("dream: layer must be an integer from 1 to 5, got 9.");
    expect(() => dream(m, [1, 12, 12], norm, { kind: "channel", layer: 1, channel: 4 })).toThrow("dream: channel must be an integer from 0 to 3 (layer 1 has 4), got 4.");
    expect(() => dream(m, [1, 12, 12], norm, { kind: "class", index: 1 }, { steps: 0 })).toThrow(/steps is out of range, got 0/);
  });
});

describe("image helpers", () => {
  it("roll shifts with wrap-around like torch.roll, and total variation sums neighbour differences", () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6]]]]);
    expect(roll(x, 1, 1).toArray()).toEqual([[[[6, 4, 5], [3, 1, 2]]]]);
    expect(roll(x, -1, 0).toArray()).toEqual([[[[4, 5, 6], [1, 2, 3]]]]);
    // |4−1|+|5−2|+|6−3| vertically, |2−1|+|3−2|+|5−4|+|6−5| horizontally
    expect(totalVariation(x)).toBe(13);
  });
});

/** The smoothed total variation written out by hand (plain numbers, row-major H×W). */
function tvByHand(v: readonly number[], H: number, W: number, eps: number): number {
  let t = 0;
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      const a = v[i * W + j]!;
      if (i + 1 < H) t += Math.sqrt((v[(i + 1) * W + j]! - a) ** 2 + eps);
      if (j + 1 < W) t += Math.sqrt((v[i * W + j + 1]! - a) ** 2 + eps);
    }
  }
  return t;
}

describe("total-variation prior", () => {
  it("smoothTotalVariation is Σ √(Δ² + ε) over vertical and horizontal neighbours (by hand), and tends to the anisotropic total variation as ε → 0", () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6]]]]);
    // vertical differences 3, 3, 3; horizontal 1, 1, 1, 1
    expect(smoothTotalVariation(x, 0.25).item()).toBeCloseTo(3 * Math.sqrt(9.25) + 4 * Math.sqrt(1.25), 12);
    expect(smoothTotalVariation(x, 1e-12).item()).toBeCloseTo(totalVariation(x), 5);
    // a constant image: every difference is 0, so each of the 2·3·2 neighbour pairs gives √ε
    expect(smoothTotalVariation(tensor([[[[7, 7, 7], [7, 7, 7], [7, 7, 7]]]]), 0.01).item()).toBeCloseTo(12 * 0.1, 12);
    // a single pixel has no neighbours
    expect(smoothTotalVariation(tensor([[[[0.5]]]]), 0.01).item()).toBe(0);
  });
  it("its autograd gradient equals central finite differences of the hand formula (float64, two channels)", () => {
    const H = 4, W = 5, rng = new Random(3);
    for (const eps of [1e-4, 1e-2, 1]) {
      const v = Array.from({ length: 2 * H * W }, () => rng.uniform());
      v[3] = v[4]!; // a pair of equal neighbours, where |·| has no derivative but the smoothed prior does
      const x = tensor(v).reshape([1, 2, H, W]).requireGrad();
      smoothTotalVariation(x, eps).backward();
      const g = Array.from(x.grad!.data);
      const f = (u: number[]): number => tvByHand(u.slice(0, H * W), H, W, eps) + tvByHand(u.slice(H * W), H, W, eps);
      const h = 1e-6;
      for (let i = 0; i < v.length; i++) {
        const up = v.slice(), dn = v.slice();
        up[i]! += h; dn[i]! -= h;
        expect(g[i]!, `ε ${eps}, pixel ${i}`).toBeCloseTo((f(up) - f(dn)) / (2 * h), 5);
      }
    }
  });
  it("refuses ε ≤ 0 and tensors that are not NCHW; dream refuses a negative tvWeight", () => {
    expect(() => smoothTotalVariation(tensor([[[[1, 2]]]]), 0)).toThrow("smoothTotalVariation: smoothTotalVariation needs ε > 0, got 0.");
    expect(() => smoothTotalVariation(tensor([[1, 2]]), 1e-3)).toThrow(/takes an NCHW tensor, got shape \[1, 2\]/);
    expect(() => dream(tinyModel(), [1, 12, 12], norm, { kind: "class", index: 1 }, { tvWeight: -1 })).toThrow(/tvWeight is out of range, got -1/);
  });
  it("in dream, the prior enters the energy (loss = −logit + λ_TV·TV_ε of the image before the step) and gives a smoother image", () => {
    const m = tinyModel();
    const base = { ...PLAIN_ASCENT, steps: 40, lr: 0.02, init: 0.5 };
    const without = dream(m, [1, 12, 12], norm, { kind: "class", index: 2 }, base);
    const withTv = dream(m, [1, 12, 12], norm, { kind: "class", index: 2 }, { ...base, tvWeight: 1, tvEpsilon: 1e-4 });
    // the first step starts from the same image in both runs, so the energies differ by λ·TV_ε(x0) alone
    const [a, b] = [without.history[0]!, withTv.history[0]!];
    expect(b.objective).toBeCloseTo(a.objective, 12);
    expect(b.loss - a.loss).toBeGreaterThan(0);
    expect(totalVariation(withTv.image)).toBeLessThan(0.5 * totalVariation(without.image));
  });
});
