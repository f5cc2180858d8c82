// solveSteps (the playground trains with it) yields once per iteration and returns what solve returns;
// checkTexts judges answers given as text like checkFile does with files.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile, parseProblem, solve } from "../../src/index.js";
import { checkTexts } from "../../src/problems/check-text.js";
import { solveSteps } from "../../src/problems/solve.js";

const text = (f: string): string => readFileSync(`examples/${f}`, "utf8");

describe("solveSteps", () => {
  it("yields iterations 1 … n with their losses, then returns the solution", () => {
    const c = compile(parseProblem(text("seed000-caseA-squared-error.yaml")));
    const gen = solveSteps(c, { detail: 1 });
    const seen: { iteration: number; total: number; loss: number; output: readonly number[] }[] = [];
    let r = gen.next();
    while (r.done !== true) {
      seen.push(r.value);
      r = gen.next();
    }
    expect(seen.map((s) => s.iteration)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(seen.every((s) => s.total === 500)).toBe(true);
    // iteration 1 by hand: z = −9, ŷ = σ(−9) = 1/(1 + e⁹), L = ½(1 − ŷ)²
    const yhat = 1 / (1 + Math.exp(9));
    expect(seen[0]?.output[0]).toBeCloseTo(yhat, 15);
    expect(seen[0]?.loss).toBeCloseTo(0.5 * (1 - yhat) ** 2, 15);
    expect(r.value.lossHistory).toEqual(seen.map((s) => s.loss));
    expect(r.value.lossHistory).toEqual(solve(compile(parseProblem(text("seed000-caseA-squared-error.yaml")))).lossHistory);
  });

  it("can stop early: a paused run has done only the iterations asked for", () => {
    const gen = solveSteps(compile(parseProblem(text("seed000-q7-adam.yaml"))));
    for (let i = 0; i < 3; i++) gen.next();
    const fourth = gen.next();
    expect(fourth.done).toBe(false);
    expect(fourth.done === false && fourth.value.iteration).toBe(4);
  });
});

describe("checkTexts", () => {
  it("finds seed 001's tanh′ mistake from the texts alone", () => {
    const r = checkTexts(text("seed001-classification-tanh-bce.yaml"), text("answers/seed001-answer-key.yaml"));
    expect(r.firstWrong).toBe("da1/ds1");
    expect(r.verdicts.find((v) => v.quantity === "da1/ds1")?.cause).toContain("1 − tanh²(s)");
  });
  it("names the answers' line in a malformed answers text", () => {
    expect(() => checkTexts(text("seed001-classification-tanh-bce.yaml"), "dL/dW1: 1\ndL/db1: c: d\n", "p.yaml", "a.yaml")).toThrow(/^a\.yaml:2:/); // line 2 holds the nested mapping
  });
});
