// Friction items of issue 8: --version, "wrote FILE (replaced)", graph -o reporting, one training
// run for train --plot, iterations without an optimizer, require("nabla"), the diagnosis and the
// training summary's rounding.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { loadProblem } from "../../src/problems/index.js";
import { solve } from "../../src/problems/solve.js";
import { diagnose } from "../../src/solution/diagnosis.js";

// Counts the solver's runs (the module is otherwise unchanged).
const solves = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../src/problems/solve.js", async (importOriginal) => {
  const mod = await importOriginal<typeof import("../../src/problems/solve.js")>();
  return { ...mod, solve: (...args: Parameters<typeof mod.solve>) => { solves.count++; return mod.solve(...args); } };
});

const tmp = mkdtempSync(join(tmpdir(), "nabla-friction-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[], isTTY = false): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const code = await main(args, { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY });
  return { code, out, err };
}

describe("nabla --version", () => {
  it("prints package.json's version, status 0", async () => {
    const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) expect(await cli([flag])).toEqual({ code: 0, out: `${version}\n`, err: "" });
  });
});

describe("output files are reported", () => {
  it("graph -o and plot say 'wrote FILE', and '(replaced)' when a file was there", async () => {
    const dot = join(tmp, "g.dot");
    const args = ["graph", "w = x*y", "--at", "x=1", "y=2", "-f", "dot", "-o", dot];
    expect(await cli(args)).toEqual({ code: 0, out: `wrote ${dot}\n`, err: "" });
    expect(readFileSync(dot, "utf8")).toMatch(/^digraph/);
    expect(await cli(args)).toEqual({ code: 0, out: `wrote ${dot} (replaced)\n`, err: "" });
    const spec = join(tmp, "a.json");
    expect((await cli(["plot", "activations", "--fn", "relu", "-o", spec])).out).toBe(`wrote ${spec}\n`);
    expect((await cli(["plot", "activations", "--fn", "relu", "-o", spec])).out).toBe(`wrote ${spec} (replaced)\n`);
  });
});

describe("train --plot", () => {
  it("trains once: one progress bar that reaches 500/500, and the plot of that run", async () => {
    const spec = join(tmp, "curves.json");
    solves.count = 0;
    const r = await cli(["train", "examples/seed000-caseA-cross-entropy.yaml", "--plot", spec], true);
    expect(r.code).toBe(0);
    expect(solves.count).toBe(1);
    expect(r.err.match(/500\/500/g)).toHaveLength(1);
    expect(r.out).toMatch(new RegExp(`Training summary[\\s\\S]*wrote ${spec}\\n$`));
    const rows = (JSON.parse(readFileSync(spec, "utf8")) as { data: { values: { step: number; loss: number }[] } }).data.values;
    // seed 000 case A: z = w·x + b = −9 at the start, ŷ = σ(−9), y = 1, L = −log ŷ = log(1 + e⁹)
    expect(rows.find((v) => v.step === 1)?.loss).toBeCloseTo(Math.log1p(Math.exp(9)), 12);
  });
});

describe("iterations without an optimizer", () => {
  it("is a located error naming training.iterations", async () => {
    const p = join(tmp, "no-opt.yaml");
    writeFileSync(p, ["title: t", "model:", "  formulas: yhat = w*x", "inputs: {x: 2, y: 1}", "parameters: {w: 0.5}", "loss: {kind: mse}", "training:", "  iterations: 5", ""].join("\n"));
    const r = await cli(["solve", p]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^nabla: ${p}:8:15: training\\.iterations: 5 iterations need an optimizer .* every iteration would repeat the first\\..*\\n$`));
    writeFileSync(p, ["title: t", "model:", "  formulas: yhat = w*x", "inputs: {x: 2, y: 1}", "parameters: {w: 0.5}", "loss: {kind: mse}", "training: {iterations: 1}", ""].join("\n"));
    expect((await cli(["solve", p])).code).toBe(0);
  });
});

describe("require('nabla')", () => {
  it("loads the ES module where Node can require() it, and otherwise says how to import it", () => {
    const ok = spawnSync(process.execPath, ["-e", "const n = require('nabla'); process.stdout.write(String(n.tensor([1, 2, 3]).sum().item()))"], { encoding: "utf8" });
    const modern = spawnSync(process.execPath, ["-p", "process.features.require_module === true"], { encoding: "utf8" }).stdout.trim() === "true";
    if (modern) expect([ok.status, ok.stdout]).toEqual([0, "6"]);
    const old = spawnSync(process.execPath, [...(modern ? ["--no-experimental-require-module"] : []), "-e", "require('nabla')"], { encoding: "utf8" });
    expect(old.status).toBe(1);
    expect(old.stderr).toMatch(/nabla is an ES module, and this Node cannot require\(\) ES modules\. Load it with `import \{ tensor \} from "nabla"`/);
    expect(old.stderr).not.toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });
});

describe("diagnosis and training summary", () => {
  const diag = (f: string): string => diagnose(solve(loadProblem(`examples/${f}.yaml`), { detail: 0 })) ?? "";
  it("never calls a run converged and flat at once; Adam converges across the saturated start", () => {
    for (const f of ["seed000-caseA-cross-entropy", "seed000-caseA-squared-error", "seed000-caseB-cross-entropy", "seed000-caseB-squared-error", "seed000-q7-adam", "seed000-q7-larger-lr", "seed000-q7-zero-init"]) {
      const d = diag(f);
      expect(/converged/.test(d) && /flat\b(?! region)|stays flat/.test(d), `${f}: ${d}`).toBe(false);
    }
    const adam = diag("seed000-q7-adam");
    expect(adam).toMatch(/training converged well/);
    expect(adam).toMatch(/carry the prediction across the flat region/);
    expect(adam).not.toMatch(/stays flat|far too small/);
    const flat = diag("seed000-caseA-squared-error");
    expect(flat).toMatch(/essentially flat[\s\S]*why the curve stays flat: squared error keeps it/);
  });
  it("says cross-entropy cancels σ′ when the gradient at z stays large", () => {
    // case A: ŷ = σ(−9), y = 1: ∂L/∂ŷ = −1/ŷ = −(1 + e⁹), ∂L/∂z = ŷ − 1 ≈ −1
    const d = diag("seed000-caseA-cross-entropy");
    expect(d).toMatch(new RegExp(`\\|∂L/∂yhat\\| = ${(1 + Math.exp(9)).toExponential(2).replace("+", "\\+")} is large enough to cancel it`));
  });
  it("|∂L/∂ŷ| uses the report's rounding (5 significant digits), not 3", async () => {
    const r = await cli(["train", "examples/seed000-q7-adam.yaml"]);
    // iteration 1: ŷ = σ(−9), L = ½(ŷ − 1)², |∂L/∂ŷ| = 1 − σ(−9)
    const grad = 1 - 1 / (1 + Math.exp(9));
    expect(r.out).toMatch(new RegExp(`\\n  1 +\\S+ +\\S+ +${Number(grad.toPrecision(5))} *\\n`));
    expect(Number(grad.toPrecision(5))).toBe(0.99988);
  });
});

describe("a statement too long to print", () => {
  it("4,000 factors: status 1 and one line of advice, not an internal error", async () => {
    const p = join(tmp, "long.yaml");
    writeFileSync(p, `title: t\nmodel:\n  formulas: "yhat = ${Array(4000).fill("w").join(" * ")} * x"\ninputs: {x: 0.5, y: 1}\nparameters: {w: 0.9}\nloss: {kind: mse}\n`);
    const r = await cli(["solve", p]);
    expect([r.code, r.err]).toEqual([1, "nabla: the input is too large or too deeply nested to process (maximum call stack size exceeded); split long formulas into several statements.\n"]);
  });
});
