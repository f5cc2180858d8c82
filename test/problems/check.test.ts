// nabla check on the acceptance cases: seed 001's answer key and a missing ½.
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { checkFile } from "../../src/problems/index.js";
import { writeFileSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

const tmp = mkdtempSync(join(tmpdir(), "nabla-check-"));
const answers = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe("nabla check", () => {
  it("finds the wrong tanh derivative and the wrong sign of the BCE derivative in seed 001's answer key", () => {
    const r = checkFile("examples/seed001-classification-tanh-bce.yaml", "examples/answers/seed001-answer-key.yaml");
    const by = Object.fromEntries(r.verdicts.map((v) => [v.quantity, v]));
    expect(by["dytilde/ds2"]?.status).toBe("correct");
    expect(by["da1/ds1"]?.status).toBe("wrong");
    expect(by["da1/ds1"]?.cause).toMatch(/tanh′ written as 1 − tanh\(s²\)/);
    expect(by["dL/dytilde"]?.status).toBe("wrong");
    expect(by["dL/dytilde"]?.cause).toMatch(/sign error/);
    // local derivatives are recorded with the forward pass, before any ∂L/∂· of the backward pass
    expect(r.firstWrong).toBe("da1/ds1");
  });
  it("names the ½ convention behind a squared-error derivative that lacks it", () => {
    const r = checkFile("examples/seed000-caseA-squared-error.yaml", "examples/answers/seed000-caseA-missing-half.yaml");
    const v = r.verdicts.find((x) => x.quantity === "dL/dyhat");
    expect(v?.status).toBe("wrong");
    expect(v?.cause).toMatch(/missing ½.*convention: half/);
    expect(r.counts.correct).toBe(3);
  });
  it("accepts correctly rounded numbers, flags rounding-only and wrong ones, and checks formulas at random points", () => {
    // seed 003: ∂Div/∂w1 = 0.00089889…, ∂Div/∂s3 = 0.038370…; ŷ = σ(s3)
    const p = answers("a.yaml", [
      "dDiv/dw1: 0.0008989",
      "dDiv/ds3: 0.03836",
      "dDiv/dw5: 0.0456",
      'dyhat/ds3: "yhat * (1 - yhat)"',
      'dh1/ds1: "s1 * (1 - s1)"',
    ].join("\n"));
    const r = checkFile("examples/seed003-sigmoid-network.yaml", p);
    const st = Object.fromEntries(r.verdicts.map((v) => [v.quantity, v.status]));
    // ŷ(1 − ŷ) is σ′(s3) written from the output: right at every point, so correct
    expect(st).toEqual({ "dDiv/dw1": "correct", "dDiv/ds3": "rounding-only", "dDiv/dw5": "wrong", "dyhat/ds3": "correct", "dh1/ds1": "wrong" });
    const cause = r.verdicts.find((v) => v.quantity === "dh1/ds1")?.cause;
    expect(cause).toMatch(/σ′ written from the wrong variable: s\(1 − s\)/);
  });
  it("exits 0 when all answers are right and 1 otherwise, with a JSON report for graders", async () => {
    const good = answers("good.yaml", "Div: 0.0061919\ndDiv/dw6: 0.036443\n");
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
    expect(await main(["check", "examples/seed003-sigmoid-network.yaml", good], io)).toBe(0);
    expect(await main(["check", "examples/seed003-sigmoid-network.yaml", "examples/answers/seed001-answer-key.yaml", "--format", "json"], io)).toBe(1);
    const report = JSON.parse(out.at(-1) as string) as { ok: boolean; counts: Record<string, number> };
    expect(report.ok).toBe(false);
  });
  it("reports unknown quantity names with a suggestion", () => {
    const r = checkFile("examples/seed003-sigmoid-network.yaml", answers("u.yaml", "dDiv/dw7: 1\n"));
    expect(r.verdicts[0]?.status).toBe("unknown");
    expect(r.verdicts[0]?.cause).toMatch(/did you mean 'dDiv\/dw\d'/);
  });
});
