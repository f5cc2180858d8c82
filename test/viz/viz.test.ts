// Pictures: graphs checked by parsing their DOT/SVG, PNGs decoded; plots checked by their
// Vega-Lite data (equal to the engine's values, derivatives equal to finite differences).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { expressionGraph, parseAt } from "../../src/problems/graph.js";
import { loadProblem } from "../../src/problems/index.js";
import { runOf } from "../../src/problems/runs.js";
import { solve } from "../../src/problems/solve.js";
import { diagnose } from "../../src/solution/diagnosis.js";
import { toDot } from "../../src/viz/graph.js";
import { ACTIVATIONS, activationSeries, activationsSpec, curvesSpec } from "../../src/viz/plot.js";
import { svgToPng } from "../../src/viz/render.js";
import { vegaLiteToSvg } from "../../src/viz/vega.js";
import { linspace } from "../../src/index.js";

const SEED = "a = x*y + z; b = a*(x+x); w = a*b + b";
const tmp = mkdtempSync(join(tmpdir(), "nabla-viz-"));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const code = await main(args, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

function decode(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

describe("nabla graph", () => {
  it("DOT: one node per op and variable, two edges from x into +, values and gradients on the nodes", () => {
    const dot = toDot(expressionGraph(SEED, parseAt(["x=1", "y=2", "z=3"])));
    const node = (label: RegExp): string => {
      const m = [...dot.matchAll(/^ {2}(\w+) \[[^\n]*label="([^"]*)"/gm)].find((x) => label.test(x[2] as string));
      expect(m, String(label)).toBeDefined();
      return (m as RegExpMatchArray)[1] as string;
    };
    const x = node(/^x\\n= 1\\n∂w\/∂x = 104$/);
    node(/^y\\n= 2\\n∂w\/∂y = 22$/);
    node(/^z\\n= 3\\n∂w\/∂z = 22$/);
    node(/^w = \+\\n= 60\\n∂w\/∂w = 1$/);
    const plus = node(/^\+\\n= 2\\n/); // x + x
    const forward = [...dot.matchAll(/^ {2}(\w+) -> (\w+) \[color="#111827"/gm)].map((m) => `${m[1]}->${m[2]}`);
    expect(forward.filter((e) => e === `${x}->${plus}`)).toHaveLength(2);
    expect(forward).toHaveLength(12); // six binary ops — ×(x,y) +(·,z) +(x,x) ×(a,·) ×(a,b) +(·,b) — two edges each
    const backward = [...dot.matchAll(/^ {2}(\w+) -> (\w+) \[style=dashed[^\n]*label="([^"]*)"/gm)];
    expect(backward.filter((m) => m[1] === plus && m[2] === x).map((m) => m[3])).toEqual(["30", "30"]);
  });
  it("SVG from Graphviz holds the labels, and the PNG decodes to a non-blank image", async () => {
    const r = await cli(["graph", SEED, "--at", "x=1", "y=2", "z=3", "--format", "svg"]);
    expect(r.code).toBe(0);
    for (const t of ["w = +", "= 60", "∂w/∂x = 104", "∂w/∂y = 22", "∂w/∂z = 22"]) expect(r.out).toContain(`>${t}</text>`);
    expect((r.out.match(/class="edge forward"/g) ?? []).length).toBe(12);
    expect((r.out.match(/class="edge backward"/g) ?? []).length).toBe(12);
    const png = join(tmp, "g.png");
    expect((await cli(["graph", SEED, "--at", "x=1", "y=2", "z=3", "--format", "png", "-o", png])).code).toBe(0);
    const img = decode(png);
    expect(img.width).toBeGreaterThan(400);
    expect(img.height).toBeGreaterThan(150);
    let dark = 0;
    for (let i = 0; i < img.data.length; i += 4) if ((img.data[i] as number) < 128) dark++;
    expect(dark).toBeGreaterThan(1000);
  });
  it("draws a problem file with parameters and inputs marked, and rejects bad --at values", async () => {
    const r = await cli(["graph", "examples/seed003-sigmoid-network.yaml", "--format", "dot"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/peripheries=2[^\n]*label="w1\\n= -1.7\\n∂Div\/∂w1 = 0.0008989/);
    expect(r.out).toMatch(/fillcolor="#dbeafe"[^\n]*label="x1\\n= -0.7/);
    const bad = await cli(["graph", SEED, "--at", "x=oops"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/the value of x is not a number or a JSON array/);
    const parse = await cli(["graph", "a = x*", "--at", "x=1"]);
    expect(parse.code).toBe(1);
    expect(parse.err).toMatch(/1:7: expected an expression after '\*'/);
  });
});

describe("nabla plot", () => {
  it("activation derivatives come from autograd and match central differences", () => {
    const pts = activationSeries(Object.keys(ACTIVATIONS), [-3, 3], 61, true);
    const h = 1e-6;
    for (const name of Object.keys(ACTIVATIONS)) {
      const f = ACTIVATIONS[name]!.f;
      for (const p of pts.filter((q) => q.fn === name && q.series === "f′(x)")) {
        if (Math.abs(p.x) < 1e-9) continue; // the kink: PyTorch's convention, not a difference quotient
        const fd = (f(linspace(p.x + h, p.x + h, 1)).item() - f(linspace(p.x - h, p.x - h, 1)).item()) / (2 * h);
        expect(Math.abs(p.y - fd), `${name}'(${p.x})`).toBeLessThan(1e-6);
      }
    }
    const at0 = (fn: string): number => pts.find((p) => p.fn === fn && p.series === "f′(x)" && Math.abs(p.x) < 1e-12)!.y;
    expect(at0("relu")).toBe(0);
    expect(at0("leaky-relu")).toBe(0.1);
  });
  it("the activation spec carries the engine's values and renders to SVG and PNG", async () => {
    const spec = activationsSpec(["tanh", "relu"], { derivative: true, range: [-2, 2] });
    const values = (spec as { data: { values: { x: number; y: number; fn: string; series: string }[] } }).data.values;
    const tanhAt1 = values.find((v) => v.fn === "tanh" && v.series === "f(x)" && Math.abs(v.x - 1) < 1e-12)!;
    expect(tanhAt1.y).toBe(Math.tanh(1));
    expect((spec as { title: { subtitle: string } }).title.subtitle).toMatch(/ReLU′\(0\) = 0/);
    const svg = await vegaLiteToSvg(spec);
    expect(svg).toMatch(/^<svg/);
    const png = await svgToPng(svg);
    const img = PNG.sync.read(Buffer.from(png));
    expect(img.width).toBeGreaterThan(300);
  });
  it("curves of seed 000 case A: series equal the run's histories; squared error stays flat, cross-entropy falls", async () => {
    const sq = solve(loadProblem("examples/seed000-caseA-squared-error.yaml"), { detail: 1 });
    const ce = solve(loadProblem("examples/seed000-caseA-cross-entropy.yaml"), { detail: 1 });
    const spec = curvesSpec([runOf(sq, "squared error"), runOf(ce, "cross entropy")]);
    const rows = (spec as { data: { values: { step: number; run: string; loss: number; prediction: number; grad: number }[] } }).data.values;
    expect(rows.filter((r) => r.run === "squared error").map((r) => r.loss)).toEqual(sq.lossHistory);
    expect(rows.filter((r) => r.run === "cross entropy").map((r) => r.prediction)).toEqual(ce.outputHistory.map((o) => o[0]));
    expect(rows.filter((r) => r.run === "squared error").map((r) => r.grad)).toEqual(sq.gradNormHistory.get("z"));
    // σ′(z)·|ŷ − y| at the start: ŷ = σ(−9)
    const y0 = 1 / (1 + Math.exp(9));
    expect(sq.gradNormHistory.get("z")![0]).toBeCloseTo(y0 * (1 - y0) * (1 - y0), 15);
    expect(sq.lossHistory.at(-1)! / sq.lossHistory[0]!).toBeGreaterThan(0.99);
    expect(ce.lossHistory.at(-1)! / ce.lossHistory[0]!).toBeLessThan(0.01);
    expect((await vegaLiteToSvg(spec)).length).toBeGreaterThan(1000);
  });
  it("the CLI writes SVG, PNG and the spec; train --plot reports and plots", async () => {
    for (const ext of ["svg", "png", "json"]) {
      const out = join(tmp, `act.${ext}`);
      expect((await cli(["plot", "activations", "--fn", "gelu,leaky-relu,relu,tanh,softplus", "--derivative", "-o", out])).code).toBe(0);
    }
    expect(decode(join(tmp, "act.png")).width).toBeGreaterThan(500);
    const t = await cli(["train", "examples/seed000-q7-adam.yaml", "--plot", join(tmp, "adam.svg")]);
    expect(t.code).toBe(0);
    expect(t.out).toMatch(/Training summary/);
    expect(t.out).toMatch(/== Diagnosis ==/);
    expect(readFileSync(join(tmp, "adam.svg"), "utf8")).toMatch(/^<svg/);
    // a saved solution (nabla solve --format json) is a run too
    const saved = join(tmp, "caseA.json");
    const json = await cli(["solve", "examples/seed000-caseB-cross-entropy.yaml", "--format", "json"]);
    writeFileSync(saved, json.out);
    const spec = join(tmp, "curves.json");
    expect((await cli(["plot", "curves", saved, "-o", spec])).code).toBe(0);
    const rows = (JSON.parse(readFileSync(spec, "utf8")) as { data: { values: { loss: number }[] } }).data.values;
    expect(rows.map((r) => r.loss)).toEqual((JSON.parse(json.out) as { history: { loss: number[] } }).history.loss);
    const bad = await cli(["plot", "activations", "--fn", "swish", "-o", join(tmp, "x.svg")]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/unknown activation 'swish'/);
  });
});

describe("diagnosis of seed 000 Q6/Q7", () => {
  it("is computed from the run: saturation and step size for the flat curve, none of that when it learns", () => {
    const flat = diagnose(solve(loadProblem("examples/seed000-caseA-squared-error.yaml"), { detail: 1 }))!;
    expect(flat).toMatch(/essentially flat/);
    expect(flat).toMatch(/σ′\(z\) = yhat\(1 − yhat\) = 1\.23e-4: the sigmoid is saturated/);
    expect(flat).toMatch(/far too small/);
    const zero = diagnose(solve(loadProblem("examples/seed000-q7-zero-init.yaml"), { detail: 1 }))!;
    expect(zero).not.toMatch(/saturated|flat/);
    expect(zero).toMatch(/σ′\(z\) = yhat\(1 − yhat\) = 0\.25/);
  });
});
