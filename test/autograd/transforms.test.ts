// jacobian, hessian, jvp and vjp against torch.autograd.functional (fixtures/transforms.json,
// written by scripts/gen_transform_fixtures.py) in float64, to 1e-12.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyOp, Tensor } from "../../src/autograd/tensor.js";
import { ops } from "../../src/ops/registry.js";
import { hessian, jacobian, jvp, vjp } from "../../src/autograd/transforms.js";
import { softplus } from "../../src/nn/activations.js";

interface Arr { shape: number[]; data: number[] }
interface Entry { name: string; inputs: Arr[]; output: Arr; v: number[]; tangents: number[][]; jacobian: Arr[]; jvp: number[]; vjp: number[][]; hessian?: Arr[][] }
const fixtures = JSON.parse(readFileSync(new URL("../../fixtures/transforms.json", import.meta.url), "utf8")) as { functions: Entry[] };

const FUNCTIONS: Record<string, (...xs: Tensor[]) => Tensor> = {
  "tanh(W @ x)": (x, W) => (W as Tensor).matmul(x as Tensor).tanh(),
  "sum(a*a*b) + sum(exp(a))": (a, b) => (a as Tensor).mul(a as Tensor).mul(b as Tensor).sum().add((a as Tensor).exp().sum()),
  "softplus(x) * sigmoid(x)": (x) => softplus(x as Tensor).mul((x as Tensor).sigmoid()),
  "sum(sin(A @ B))": (A, B) => applyOp(ops.sin, [(A as Tensor).matmul(B as Tensor)], null).sum(),
};

const t = (a: Arr): Tensor => new Tensor(Float64Array.from(a.data), a.shape);
function close(got: Tensor, want: readonly number[], shape: readonly number[] | null, what: string): void {
  if (shape !== null) expect(got.shape, what).toEqual(shape);
  expect(got.size, what).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs((got.data[i] as number) - w), `${what}[${i}]`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(w))));
}

describe.each(fixtures.functions.map((e) => [e.name, e] as const))("%s", (name, e) => {
  const f = FUNCTIONS[name];
  if (f === undefined) throw new Error(`no function ${name}`);
  const xs = e.inputs.map(t);
  it("jacobian", () => {
    const J = jacobian(f, xs);
    J.forEach((j, i) => close(j, e.jacobian[i]?.data ?? [], e.jacobian[i]?.shape ?? null, `J${i}`));
  });
  it("jvp (J·v)", () => {
    const r = jvp(f, xs, e.tangents.map((d, i) => new Tensor(Float64Array.from(d), xs[i]?.shape ?? [])));
    close(r.output, e.output.data, e.output.shape, "output");
    close(r.jvp, e.jvp, e.output.shape, "jvp");
  });
  it("vjp (vᵀJ)", () => {
    const r = vjp(f, xs, new Tensor(Float64Array.from(e.v), e.output.shape));
    r.vjp.forEach((g, i) => close(g, e.vjp[i] ?? [], xs[i]?.shape ?? null, `vjp${i}`));
  });
  if (e.hessian !== undefined) {
    const H = e.hessian;
    it("hessian", () => {
      hessian(f, xs).forEach((row, i) => row.forEach((h, j) => close(h, H[i]?.[j]?.data ?? [], H[i]?.[j]?.shape ?? null, `H${i}${j}`)));
    });
  }
});

describe("transforms: errors", () => {
  it("hessian needs a scalar function", () => {
    expect(() => hessian((x) => x.mul(2), [new Tensor(Float64Array.from([1, 2]), [2])])).toThrow(/hessian: needs a function with one output, got shape \[2\]/);
  });
  it("vjp needs a cotangent of the output's shape", () => {
    expect(() => vjp((x) => x.mul(2), [new Tensor(Float64Array.from([1, 2]), [2])], new Tensor(Float64Array.from([1]), [1]))).toThrow(/vjp: v must have the output's shape \[2\], got \[1\]/);
  });
});
