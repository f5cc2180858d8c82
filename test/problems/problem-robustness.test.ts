// Problem files on hostile input: YAML alias bombs, NaN and ∞ in the data, keys and names that
// every JavaScript object has. Each is a ProblemError naming the file, line, column and field.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { ProblemError, parseProblem } from "../../src/problems/load.js";

const tmp = mkdtempSync(join(tmpdir(), "nabla-problem-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HEAD = 'title: t\nmodel: {formulas: "yhat = w*x"}\nloss: {kind: mse}\n';

function problemError(text: string): ProblemError {
  try {
    parseProblem(text, "p.yaml");
  } catch (e) {
    if (e instanceof ProblemError) return e;
    throw e;
  }
  throw new Error("expected a ProblemError");
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const code = await main(args, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

describe("YAML alias bomb", () => {
  const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
  for (const n of "bcdefgh") levels.push(`${n}: &${n} [${Array(9).fill(`*${levels.at(-1)![0]}`).join(", ")}]`);
  const bomb = `${levels.join("\n")}\n`;
  it("is stopped by yaml's guard and reported at the first alias (line 2: `b: &b [*a`, column 8)", () => {
    const e = problemError(bomb);
    expect(e.message).toBe("p.yaml:2:8: too many alias expansions (over 100): the aliases expand to a huge document; write the values out");
    expect([e.line, e.column]).toEqual([2, 8]);
  });
  it("through the CLI: status 1, one line, no trace", async () => {
    const f = join(tmp, "bomb.yaml");
    writeFileSync(f, bomb);
    const r = await cli(["solve", f]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`nabla: ${f}:2:8: too many alias expansions (over 100): the aliases expand to a huge document; write the values out\n`);
  });
  it("a few aliases are still fine", () => {
    const p = parseProblem(`${HEAD}inputs: {x: &two 2, y: *two}\nparameters: {w: 1}\n`, "p.yaml");
    expect(p.inputs).toEqual({ x: 2, y: 2 });
  });
});

describe("numbers that are not finite", () => {
  it.each([
    ["inputs: {x: .nan, y: 1}\nparameters: {w: 1}\n", "4:13: inputs.x: NaN is not allowed: numbers must be finite"],
    ["inputs: {x: [1, -.inf], y: 1}\nparameters: {w: 1}\n", "4:17: inputs.x.1: -Infinity is not allowed: numbers must be finite"],
    ["inputs: {y: 1}\nparameters: {w: [[1, 2], [.inf, 3]]}\n", "5:27: parameters.w.1.0: Infinity is not allowed: numbers must be finite"],
    ["parameters: {w: 1}\ndata:\n  - {x: 1, y: 2}\n  - {x: .NaN, y: 2}\n", "7:9: data.1.x: NaN is not allowed: numbers must be finite"],
    ["inputs: {x: 1, y: 1}\nparameters: {w: 1}\noptimizer: {kind: sgd, lr: .nan}\n", "6:28: optimizer.lr: NaN is not allowed: numbers must be finite"],
  ])("%j → %s", (tail, expected) => {
    expect(problemError(HEAD + tail).message).toBe(`p.yaml:${expected}`);
  });
  it("JSON's bare NaN (as Python's json.dump writes it) is named too", () => {
    const json = '{"title": "t", "model": {"formulas": "yhat = w*x"}, "loss": {"kind": "mse"},\n "inputs": {"x": NaN, "y": 1}, "parameters": {"w": 1}}';
    expect(problemError(json).message).toBe("p.yaml:2:18: inputs.x: NaN is not allowed: numbers must be finite");
  });
  it("text that merely looks like NaN outside the data is left to the schema", () => {
    expect(parseProblem(`${HEAD.replace("title: t", "title: NaN")}inputs: {x: 1, y: 1}\nparameters: {w: 1}\n`, "p.yaml").title).toBe("NaN");
  });
});

describe("names every JavaScript object has", () => {
  const reserved = (name: string): string => `'${name}' is a reserved name (every JavaScript object has a property of that name), choose another name`;
  it.each([
    ["inputs: {x: 2, __proto__: 1}\nparameters: {w: 1}\n", `4:16: inputs: ${reserved("__proto__")}`],
    ["inputs: {x: 2, y: 1}\nparameters: {w: 1, constructor: 3}\n", `5:20: parameters: ${reserved("constructor")}`],
    ["parameters: {w: 1}\ndata:\n  - {x: 1, y: 2, toString: 3}\n", `6:18: data.0: ${reserved("toString")}`],
  ])("a key: %j", (tail, expected) => {
    expect(problemError(HEAD + tail).message).toBe(`p.yaml:${expected}`);
  });
  it("the loss's name", () => {
    const text = 'title: t\nmodel: {formulas: "yhat = w*x"}\nloss: {kind: mse, name: __proto__}\ninputs: {x: 2, y: 1}\nparameters: {w: 1}\n';
    expect(problemError(text).message).toBe(`p.yaml:3:25: loss.name: ${reserved("__proto__")}`);
  });
  it("a statement, through nabla solve: status 1, located in the formulas, no trace", async () => {
    const f = join(tmp, "proto.yaml");
    writeFileSync(f, "title: t\nmodel:\n  formulas: |\n    __proto__ = w*x\n    yhat = __proto__ + 1\ninputs: {x: 2, y: 1}\nparameters: {w: 1}\nloss: {kind: mse}\n");
    const r = await cli(["solve", f]);
    expect(r.code).toBe(1);
    expect(r.err.split("\n")[0]).toBe(`nabla: ${f}:4:1: model.formulas: ${reserved("__proto__")}`);
    expect(r.err).not.toMatch(/^ {4}at /m);
  });
});
