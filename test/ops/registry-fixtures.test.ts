// Generated from the op registry: every op the expression language calls by name is held to PyTorch
// (fixtures/registry.json, written by `npm run fixtures` from the registry's own samples) for its
// value, vector-Jacobian product and Hessian-vector product in float64. Adding an op adds its cases.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { gradients } from "../../src/autograd/grad.js";
import { applyOp, Tensor } from "../../src/autograd/tensor.js";
import { registry } from "../../src/ops/registry.js";
import type { Applier } from "../../src/ops/types.js";

interface Case { op: string; sample: number; inputs: number[][]; out: number[]; shape: number[]; cotangent: number[]; grads: number[][]; w: number[][]; hvp: number[][] }
const fixtures = JSON.parse(readFileSync(new URL("../../fixtures/registry.json", import.meta.url), "utf8")) as { cases: Case[] };
const listed = JSON.parse(readFileSync(new URL("../../fixtures/registry-samples.json", import.meta.url), "utf8")) as { ops: { op: string; samples: unknown[] }[] };
const applier: Applier<Tensor> = { apply: (op, inputs, attrs) => applyOp(op, inputs, attrs) };

function close(got: ArrayLike<number>, want: readonly number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs((got[i] as number) - w), `${what}[${i}]: ${got[i]} vs ${w}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w))));
}

describe("registry fixtures are current", () => {
  it("every op callable by name with samples has its PyTorch cases (run `npm run fixtures` after adding an op)", () => {
    const callable = registry.filter((op) => op.call !== null && op.call.numbers[1] === 0 && op.samples.length > 0);
    expect(listed.ops.map((o) => `${o.op}:${o.samples.length}`).sort()).toEqual(callable.map((o) => `${o.name}:${o.samples.length}`).sort());
  });
});

describe("registry ops against PyTorch (float64)", () => {
  it.each(fixtures.cases.map((c) => [`${c.op} #${c.sample}`, c] as const))("%s", (_name, c) => {
    const op = registry.find((o) => o.name === c.op);
    const call = op?.call;
    const sample = op?.samples[c.sample];
    if (call === null || call === undefined || sample === undefined) throw new Error(`no op ${c.op} with sample ${c.sample}`);
    const xs = c.inputs.map((d, i) => new Tensor(Float64Array.from(d), sample.shapes[i] ?? [], !sample.constant.includes(i)));
    const y = call.run(applier, xs, []);
    expect(y.shape).toEqual(c.shape);
    close(y.data, c.out, "value");
    const diff = xs.filter((x) => x.requiresGrad);
    const gs = gradients(y, diff, { gradOut: new Tensor(Float64Array.from(c.cotangent), y.shape), createGraph: true });
    gs.forEach((g, i) => close(g.data, c.grads[i] ?? [], `vjp ${i}`));
    const s = gs.map((g, i) => g.mul(new Tensor(Float64Array.from(c.w[i] ?? []), g.shape)).sum()).reduce((a, b) => a.add(b));
    const hv = s.requiresGrad ? gradients(s, diff) : diff.map((x) => x.mul(0));
    hv.forEach((h, i) => close(h.data, c.hvp[i] ?? [], `hvp ${i}`));
  });
});
