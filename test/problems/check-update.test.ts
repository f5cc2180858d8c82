// nabla check on seed 001 1.3: the printed key's losses judged by differentiating them back along
// the pre-activation (∂C/∂z must be ŷ − y for the update w ← w + η(y − ŷ)x).
import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/problems/index.js";

const verdict = (model: string) => checkFile(`examples/derivations/seed001-1.3-${model}.yaml`, `examples/answers/seed001-1.3-${model}-key.yaml`).verdicts.find((v) => v.quantity === "C");

describe("seed 001 1.3's printed key", () => {
  it("perceptron: −(y − ŷ)·z = |z| − y·z is right (sign(z)·z = |z|)", () => {
    expect(verdict("perceptron")?.status).toBe("correct");
  });
  it("Adaline: −(y − ŷ)²/2 has the wrong sign (its ∂C/∂z is y − ŷ, the update needs ŷ − y)", () => {
    const v = verdict("adaline");
    expect(v?.status).toBe("wrong");
    expect(v?.cause).toMatch(/^wrong sign/);
  });
  it("tanh: ½((y − 1)ln(1 + ŷ) − (y + 1)ln(1 − ŷ)) is not the loss (its ∂C/∂z is ŷ + y)", () => {
    const v = verdict("tanh");
    expect(v?.status).toBe("wrong");
    expect(v?.cause).toMatch(/^not the loss of this update/);
  });
});
