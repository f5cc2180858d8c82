// Optimizers, clipping and schedules against PyTorch trajectories (fixtures/optim.json).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  Adagrad, Adam, AdamW, clipGradNorm, clipGradValue, CosineAnnealingLR, ExponentialLR, type Optimizer, RMSprop, SGD, StepLR, tensor, type Tensor,
} from "../../src/index.js";
import { expectClose, flat } from "../helpers.js";

interface Case { kind: string; options: Record<string, unknown>; clipNorm?: number; trajectory: { p: number[]; q: number[][] }[] }
const fx = JSON.parse(readFileSync(new URL("../../fixtures/optim.json", import.meta.url), "utf8")) as {
  problem: { p0: number[]; q0: number[][]; c: number[]; d: number[]; e: number[][] }; cases: Case[]; schedules: Record<string, number[]>;
};
const P = fx.problem;

function make(kind: string, o: Record<string, unknown>, params: Tensor[]): Optimizer {
  const lr = o.lr as number;
  const wd = (o.weight_decay as number | undefined) ?? undefined;
  switch (kind) {
    case "sgd": return new SGD(params, { lr, momentum: (o.momentum as number) ?? 0, dampening: (o.dampening as number) ?? 0, nesterov: (o.nesterov as boolean) ?? false, weightDecay: wd ?? 0 });
    case "adam": return new Adam(params, { lr, ...(o.betas === undefined ? {} : { betas: o.betas as [number, number] }), weightDecay: wd ?? 0 });
    case "adamw": return new AdamW(params, { lr, weightDecay: wd ?? 0.01 });
    case "rmsprop": return new RMSprop(params, { lr, momentum: (o.momentum as number) ?? 0, alpha: (o.alpha as number) ?? 0.99 });
    case "adagrad": return new Adagrad(params, { lr });
  }
  throw new Error(kind);
}

describe("optimizers against PyTorch", () => {
  it.each(fx.cases.map((c) => [`${c.kind} ${JSON.stringify(c.options)}${c.clipNorm === undefined ? "" : ` clip ${c.clipNorm}`}`, c] as const))("%s", (_n, c) => {
    const p = tensor(P.p0, { requiresGrad: true }), q = tensor(P.q0, { requiresGrad: true });
    const opt = make(c.kind, c.options, [p, q]);
    for (const step of c.trajectory) {
      opt.zeroGrad();
      p.pow(2).mul(tensor(P.c)).sum().add(p.mul(tensor(P.d)).sum()).add(q.pow(2).mul(tensor(P.e)).sum()).backward();
      if (c.clipNorm !== undefined) clipGradNorm([p, q], c.clipNorm);
      opt.step();
      expectClose(flat(p), step.p, 1e-12, 1e-14, "p");
      expectClose(flat(q), step.q.flat(), 1e-12, 1e-14, "q");
    }
  });
});

describe("schedules against PyTorch", () => {
  const mk = (name: string, opt: Optimizer) => (name === "step" ? new StepLR(opt, 2, 0.5) : name === "exponential" ? new ExponentialLR(opt, 0.9) : new CosineAnnealingLR(opt, 5, 0.01));
  it.each(Object.entries(fx.schedules))("%s", (name, lrs) => {
    const opt = new SGD([tensor([0], { requiresGrad: true })], { lr: 0.1 });
    const s = mk(name, opt);
    const got = lrs.map(() => { s.step(); return opt.lr; });
    expectClose(got, lrs, 1e-12, 1e-15, name);
  });
});

describe("clipping and errors", () => {
  it("clipGradValue clamps each entry", () => {
    const p = tensor([1, 2, 3], { requiresGrad: true });
    p.mul(tensor([5, -0.1, -7])).sum().backward();
    clipGradValue([p], 1);
    expect(flat(p.grad!)).toEqual([1, -0.1, -1]);
  });
  it("rejects a non-positive learning rate and non-leaf parameters", () => {
    expect(() => new SGD([tensor([1], { requiresGrad: true })], { lr: 0 })).toThrow(/learning rate must be a positive number/);
    expect(() => new SGD([tensor([1], { requiresGrad: true }).mul(2)], { lr: 0.1 })).toThrow(/leaf tensors/);
  });
});
