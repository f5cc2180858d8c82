// The backend boundary: ops, optimizers and creation allocate, dispatch and write through the active
// backend; writes are counted, and backward refuses values modified since the forward pass.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Backend, backend, setBackend } from "../../src/backend/backend.js";
import { SGD, tensor } from "../../src/index.js";

/** The CPU backend with every call counted. */
function counting(base: Backend): { b: Backend; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const count = (k: string): void => { calls.set(k, (calls.get(k) ?? 0) + 1); };
  const kernels = new Proxy(base.kernels, { get: (t, k: keyof Backend["kernels"]) => { count(`kernel:${String(k)}`); return t[k]; } });
  const b: Backend = {
    name: "counting",
    kernels,
    alloc: (d, n, init) => { count("alloc"); return base.alloc(d, n, init); },
    write: (buf, v, o) => { count("write"); base.write(buf, v, o); },
    mutate: (buf, f) => { count("mutate"); base.mutate(buf, f); },
    read: (buf) => base.read(buf),
    free: (buf) => base.free(buf),
    version: (buf) => base.version(buf),
  };
  return { b, calls };
}

let restore: Backend | null = null;
afterEach(() => { if (restore !== null) setBackend(restore); restore = null; });

describe("the backend boundary", () => {
  it("an op allocates its output and dispatches its kernel through the backend", () => {
    const x = tensor([1, 2, 3]), y = tensor([4, 5, 6]);
    const { b, calls } = counting(backend());
    restore = setBackend(b);
    const z = x.add(y);
    expect(Array.from(z.data)).toEqual([5, 7, 9]);
    expect(calls.get("alloc")).toBe(1);
    expect(calls.get("kernel:binary")).toBe(1);
  });
  it("an optimizer step writes the parameters through the backend", () => {
    const w = tensor([1, -2], { requiresGrad: true });
    w.mul(w).sum().backward();
    const opt = new SGD([w], { lr: 0.25 });
    const { b, calls } = counting(backend());
    restore = setBackend(b);
    opt.step();
    expect(calls.get("mutate")).toBe(1);
    expect(Array.from(w.data)).toEqual([1 - 0.25 * 2, -2 + 0.25 * 4]); // w − η·2w
  });
  it("no source file outside src/backend and src/kernels writes into a tensor's numbers", () => {
    const files: string[] = [];
    const walk = (d: string): void => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else if (p.endsWith(".ts")) files.push(p); } };
    walk("src");
    const writes = /\.data\[[^\]]+\]\s*[-+*/]?=(?!=)|\.data\.(set|fill|copyWithin)\(/;
    const offenders = files.filter((f) => !/src\/(backend|kernels)\//.test(f) && writes.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});

describe("tensors under in-place writes", () => {
  it("a shape is frozen", () => {
    const t = tensor([[1, 2], [3, 4]]);
    expect(() => (t.shape as number[]).push(5)).toThrow(TypeError);
    expect(t.shape).toEqual([2, 2]);
  });
  it("set() counts a write, and backward through a graph that saved the old value refuses to run (PyTorch's error)", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(x).sum();
    const v0 = x.version;
    x.detach().set([7, 8, 9]); // detach shares the numbers, as in PyTorch
    expect(x.version).toBe(v0 + 1);
    expect(() => y.backward()).toThrow(`modified by an inplace operation: input 0 of mul, shape [3], is at version ${v0 + 1}; expected version ${v0}.`);
  });
  it("an optimizer step between two backward passes over one retained graph is refused", () => {
    const w = tensor([0.5], { requiresGrad: true });
    const loss = w.mul(w).sum();
    loss.backward(undefined, { retainGraph: true });
    new SGD([w], { lr: 0.1 }).step();
    expect(() => loss.backward()).toThrow(/modified by an inplace operation/);
  });
  it("set() checks the number of values", () => {
    expect(() => tensor([1, 2]).set([1])).toThrow(/set: needs 2 numbers for shape \[2\], got 1/);
  });
});
