// The shipped Fashion-MNIST classifier (models/fashion-cnn.safetensors) against PyTorch
// (fixtures/fashion-cnn.json, scripts/gen_model_fixtures.py): the file is intact, nabla's logits
// equal PyTorch's for the same weights, its accuracy on the committed subset is PyTorch's count, the
// full test-set accuracy recorded by `nabla fit` equals PyTorch's measurement and is at least 91%,
// and `nabla dream` with defaults drives a class's probability past 0.99 with a total variation at least
// 50% below plain gradient ascent at the same probability.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classify, dream, PLAIN_ASCENT, totalVariation } from "../../src/dream/dream.js";
import { evaluateClassifier, loadImageSet, loadModel, noGrad, toBatch } from "../../src/index.js";
import { expectClose } from "../helpers.js";

const PATH = "models/fashion-cnn.safetensors";
const fx = JSON.parse(readFileSync("fixtures/fashion-cnn.json", "utf8")) as { sha256: string; subsetLogits100: number[][]; subsetCorrect: number; subsetCount: number; fullCorrect: number; fullCount: number };
const { model, info } = loadModel(PATH);
const subset = loadImageSet("fixtures/fashion-mnist-subset", "test");

describe("the shipped classifier", () => {
  it("is the file PyTorch checked (SHA-256)", () => {
    expect(createHash("sha256").update(readFileSync(PATH)).digest("hex")).toBe(fx.sha256);
  });
  it("gives PyTorch's logits for the same weights (first 100 subset images, float32 against float64)", () => {
    const { x } = toBatch(subset, Array.from({ length: 100 }, (_, i) => i), info.normalize, "float32");
    const logits = noGrad(() => Array.from(model.call(x).data));
    expectClose(logits, fx.subsetLogits100.flat(), 1e-4, 1e-4, "logits");
  });
  it("classifies the committed 500-image subset exactly as PyTorch does", () => {
    expect(evaluateClassifier(model, subset, info.normalize).correct).toBe(fx.subsetCorrect);
  });
  it("reached ≥ 91% on the full 10,000-image test set, as measured by nabla fit and by PyTorch", () => {
    expect(fx.fullCount).toBe(10000);
    expect(fx.fullCorrect / fx.fullCount).toBeGreaterThanOrEqual(0.91);
    expect(Number(info.extra.testAccuracy)).toBe(fx.fullCorrect / fx.fullCount);
    expect(info.extra.testImages).toBe("10000");
  });
  it("nabla dream with defaults gives the target class a probability ≥ 0.99 (class 7, Sneaker)", () => {
    const r = dream(model, info.arch.input, info.normalize, { kind: "class", index: 7 });
    expect(classify(model, r.image, info.normalize)[7]).toBeGreaterThanOrEqual(0.99);
  });
  // The point: for every class, p ≥ 0.99 and a total variation at least 50% below plain ascent
  // stopped at the same probability (scripts/dream-report.mjs, plain ascent with small steps). The full
  // report (README) gives 61–77% with the defaults' polish phase; this test runs the three hardest
  // classes (Shirt 62%, T-shirt 61%, Trouser 66% in the report), where the point would fail first.
  it.each([[6, 50], [0, 50], [1, 50]])("dream's regularisers and polish: class %i reaches p ≥ 0.99 with a total variation at least %i% lower than plain ascent stopped at that probability", (k, least) => {
    const target = { kind: "class", index: k } as const;
    const reg = dream(model, info.arch.input, info.normalize, target);
    const p = classify(model, reg.image, info.normalize)[k] as number;
    expect(p).toBeGreaterThanOrEqual(0.99);
    const plain = dream(model, info.arch.input, info.normalize, target, { ...PLAIN_ASCENT, lr: 0.0003, steps: 1, untilProbability: p, extraSteps: 5000 });
    const pPlain = classify(model, plain.image, info.normalize)[k] as number;
    expect(pPlain).toBeGreaterThanOrEqual(p);
    expect(pPlain).toBeLessThan(p + 0.001); // it stopped close to p (small steps)
    expect(totalVariation(reg.image)).toBeLessThanOrEqual((1 - least / 100) * totalVariation(plain.image));
  }, 60_000);
});
