// Resident storage (kernels/index.ts, wasm/runtime.ts): arrays inside the WebAssembly memory, which
// the GEMM reads and writes and SGD updates in place. Copying an operand in or not must never change
// a number: every product and update here is held, bit for bit, to the same call on plain arrays,
// and to an independent reference (the float64 definition of the product; the JavaScript SGD loop).
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { backend, type Backend, setBackend } from "../../../src/backend/backend.js";
import { isResident, jsKernels, releaseResident, residentStorage, simdKernels } from "../../../src/kernels/index.js";
import { createRuntime } from "../../../src/kernels/wasm/runtime.js";
import { crossEntropy, Linear, numThreads, Random, randn, ReLU, Sequential, setNumThreads, SGD, tensor, threadsReady } from "../../../src/index.js";

const wasm = simdKernels;
// resident storage exists where the memory is shared and the SIMD kernels are on (not NABLA_KERNELS=js)
const shared = ((): boolean => {
  const x = residentStorage("float32", 4);
  if (x !== null) releaseResident(x);
  return x !== null;
})();
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const dtypeOf = (T: Ctor): "float32" | "float64" => (T === Float64Array ? "float64" : "float32");

afterAll(() => { setNumThreads(1); });

describe("the runtime's resident blocks", () => {
  it("are reused by size, and the scratch space starts after them", () => {
    const rt = createRuntime();
    if (rt === null || !rt.shared) return expect(rt?.holdBlock(64) ?? -1).toBe(-1);
    const base0 = rt.base;
    const a = rt.holdBlock(4096), b = rt.holdBlock(64);
    expect([a % 16, b % 16]).toEqual([0, 0]);
    expect(a).toBe(base0);
    expect(b).toBe(a + 4096);
    expect(rt.base).toBe(b + 64);
    expect(rt.heldBytes).toBe(4160);
    rt.releaseBlock(a, 4096);
    expect(rt.holdBlock(64)).not.toBe(a); // another size: not that block
    expect(rt.holdBlock(4096)).toBe(a);
  });
  it("stay valid and keep their numbers when the memory grows", () => {
    const rt = createRuntime();
    if (rt === null || !rt.shared) return;
    const at = rt.holdBlock(1024);
    const x = new Float32Array(rt.memory.buffer, at, 256);
    x.fill(2.5);
    rt.ensure(rt.memory.buffer.byteLength + 8 * 65536); // grow: a new buffer object for the same memory
    expect(rt.memory.buffer).not.toBe(x.buffer);
    expect(rt.residentAt(x)).toBe(at);
    expect(rt.f32[at / 4 + 17]).toBe(2.5);
    rt.f32[at / 4 + 17] = -1;
    expect(x[17]).toBe(-1);
    expect(rt.residentAt(new Float32Array(256))).toBe(-1);
  });
});

describe("resident storage", () => {
  it("is zero-filled, recognised, and given back only as the whole array", () => {
    const x = residentStorage("float32", 1000);
    if (!shared) return expect(x).toBeNull();
    expect(x).not.toBeNull();
    const r = x as Float32Array;
    expect(r.length).toBe(1000);
    expect(r.every((v) => v === 0)).toBe(true);
    expect(isResident(r)).toBe(true);
    expect(isResident(new Float32Array(1000))).toBe(false);
    expect(releaseResident(r.subarray(10))).toBe(false);
    expect(releaseResident(new Float32Array(4))).toBe(false);
    r.fill(7);
    expect(releaseResident(r)).toBe(true);
    expect(releaseResident(r)).toBe(false); // once
    const again = residentStorage("float32", 1000) as Float32Array;
    expect(again.byteOffset).toBe(r.byteOffset); // the same block, zeroed again
    expect(again.every((v) => v === 0)).toBe(true);
    releaseResident(again);
  });
});

describe("a resident array dropped without being freed", () => {
  it("gives its block back once the collector has taken it (between tasks)", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    // the array is made and dropped in a function of its own, so nothing here holds it
    const at = ((): number => residentStorage("float32", 123_457)?.byteOffset ?? -1)();
    if (!shared) return expect(at).toBe(-1);
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 0));
    }
    const y = residentStorage("float32", 123_457) as Float32Array;
    expect(y.byteOffset).toBe(at); // the same block, from the free list
    expect(y.every((v) => v === 0)).toBe(true);
    releaseResident(y);
  });
});

/** A (M×K, or K×M read transposed), B (K×N, or N×K read transposed), C0 (M×N) with normals; resident where asked. */
function operands(T: Ctor, M: number, N: number, K: number, seed: number, where: readonly boolean[]) {
  const r = new Random(seed);
  const make = (n: number, resident: boolean) => {
    const x = (resident ? residentStorage(dtypeOf(T), n) : null) ?? new T(n);
    for (let i = 0; i < n; i++) x[i] = r.normal();
    return x;
  };
  return { A: make(M * K, where[0] === true), B: make(K * N, where[1] === true), C: make(M * N, where[2] === true) };
}

describe.each([["float32", Float32Array], ["float64", Float64Array]] as const)("the GEMM on resident operands, %s", (_n, T) => {
  const cases = [[64, 256, 784, false, true], [256, 784, 64, true, false], [37, 45, 300, false, false], [10, 256, 64, true, false], [67, 131, 300, true, true]] as const;
  const eps = T === Float64Array ? 1e-12 : 1e-4;
  it.each([1, 2])("equals the product of plain arrays bit for bit on %i thread(s), set and added, and the float64 definition", async (threads) => {
    if (wasm === null) return;
    setNumThreads(threads);
    await threadsReady();
    for (const [M, N, K, ta, tb] of cases) {
      const seed = M * 31 + N * 7 + K;
      const sai = ta ? 1 : K, sak = ta ? M : 1, sbk = tb ? 1 : N, sbj = tb ? K : 1;
      const plain = operands(T, M, N, K, seed, [false, false, false]);
      const c0 = Array.from(plain.C);
      wasm.gemm(M, N, K, plain.A, 0, sai, sak, plain.B, 0, sbk, sbj, plain.C, 0, false); // C0 + A·B
      const set = new T(M * N);
      wasm.gemm(M, N, K, plain.A, 0, sai, sak, plain.B, 0, sbk, sbj, set, 0, true); // A·B
      for (const where of [[true, false, false], [false, true, false], [false, false, true], [true, true, true]]) {
        const res = operands(T, M, N, K, seed, where);
        if (shared) expect([res.A, res.B, res.C].map(isResident)).toEqual(where);
        wasm.gemm(M, N, K, res.A, 0, sai, sak, res.B, 0, sbk, sbj, res.C, 0, false);
        expect(Array.from(res.C)).toEqual(Array.from(plain.C));
        wasm.gemm(M, N, K, res.A, 0, sai, sak, res.B, 0, sbk, sbj, res.C, 0, true);
        expect(Array.from(res.C)).toEqual(Array.from(set));
        for (const x of [res.A, res.B, res.C]) releaseResident(x);
      }
      // the definition, in float64: C0[i][j] + Σk A(i,k)·B(k,j)
      for (const [i, j] of [[0, 0], [M - 1, N - 1], [M >> 1, N >> 2]] as const) {
        let s = c0[i * N + j] as number;
        for (let k = 0; k < K; k++) s += (plain.A[i * sai + k * sak] as number) * (plain.B[k * sbk + j * sbj] as number);
        expect(Math.abs((plain.C[i * N + j] as number) - s)).toBeLessThan(eps * (1 + Math.abs(s)) * Math.sqrt(K));
      }
    }
    expect(numThreads()).toBe(createRuntime()?.shared === true ? threads : 1);
  });
});

describe.each([["float32", Float32Array], ["float64", Float64Array]] as const)("SGD on a resident parameter, %s", (_n, T) => {
  it.each([[true, true], [true, false], [false, true]])("matches the JavaScript loop bit for bit (parameter resident %s, gradient resident %s)", (pr, gr) => {
    if (wasm === null) return;
    const n = 20_001, r = new Random(n);
    const p0 = Array.from({ length: n }, () => r.normal()), g0 = Array.from({ length: n }, () => r.normal());
    const fill = (xs: number[], resident: boolean) => {
      const x = (resident ? residentStorage(dtypeOf(T), n) : null) ?? new T(n);
      x.set(xs);
      return x;
    };
    const want = new T(p0), p = fill(p0, pr), g = fill(g0, gr);
    const o = { lr: 0.0137, weightDecay: 0, momentum: 0, dampening: 0, nesterov: false };
    jsKernels.sgd(want, new T(g0), o, null, false);
    wasm.sgd(p, g, o, null, false);
    expect(Array.from(p)).toEqual(Array.from(want));
    expect(Array.from(g)).toEqual(Array.from(new T(g0))); // the gradient is read, not written
    // the hand formula p − η·g in float64, rounded once to the dtype
    const hand = (new T(p0)[0] as number) - 0.0137 * (new T(g0)[0] as number);
    expect(p[0]).toBe(T === Float32Array ? Math.fround(hand) : hand);
    releaseResident(p);
    releaseResident(g);
  });
});

describe("a module's parameters", () => {
  /** Three SGD steps of a 100-256-10 MLP (weights of 25,600 numbers): the losses, then every parameter's numbers. */
  function train(): { out: number[]; resident: boolean[] } {
    const net = new Sequential(new Linear(100, 256, { seed: 1, dtype: "float32" }), new ReLU(), new Linear(256, 10, { seed: 2, dtype: "float32" }));
    const x = randn([64, 100], { dtype: "float32", generator: new Random(9) }), y = tensor(Array.from({ length: 64 }, (_, i) => i % 10), { dtype: "float32" });
    const opt = new SGD(net.parameters(), { lr: 0.05 });
    const losses: number[] = [];
    for (let s = 0; s < 3; s++) {
      opt.zeroGrad();
      const loss = crossEntropy(net.call(x), y);
      loss.backward();
      opt.step();
      losses.push(loss.item());
    }
    const w = net.parameters()[0];
    return { out: [...losses, ...net.parameters().flatMap((p) => Array.from(p.data))], resident: [isResident(w?.data ?? new Float32Array()), isResident(w?.peekGrad()?.data ?? new Float32Array())] };
  }
  it("are resident (and their gradients) when large, and train to the same bits as plain storage", () => {
    const resident = train();
    // a backend of plain typed arrays (no pool, no resident storage), on the same kernels
    const be = backend(), versions = new WeakMap<object, number>();
    let writes = 0;
    const bump = (b: object): void => { writes++; versions.set(b, (versions.get(b) ?? 0) + 1); };
    const plainBackend: Backend = {
      name: "plain", get kernels() { return be.kernels; },
      alloc(d, n, init) {
        const x = d === "float64" ? new Float64Array(n) : new Float32Array(n);
        if (init !== undefined) for (let i = 0; i < Math.min(n, init.length); i++) x[i] = init[i] as number;
        return x;
      },
      write(b, v, o = 0) { b.set(v, o); bump(b); },
      mutate(b, u) { u(b); bump(b); },
      read: (b) => b, free() {}, version: (b) => versions.get(b) ?? 0, writes: () => writes,
    };
    const prev = setBackend(plainBackend);
    let plain: ReturnType<typeof train>;
    try {
      plain = train();
    } finally {
      setBackend(prev);
    }
    expect(plain.resident).toEqual([false, false]);
    expect(resident.resident).toEqual(shared ? [true, true] : [false, false]);
    expect(resident.out).toEqual(plain.out);
    expect(resident.out.slice(0, 3).every(Number.isFinite)).toBe(true);
    expect(resident.out[2]).toBeLessThan(resident.out[0] as number);
  });
});

describe.each([["float32", Float32Array], ["float64", Float64Array]] as const)("the elementwise kernels on resident operands and results, %s", (_n, T) => {
  // ReLU, its mask and selection, a + b, a + a bias over a batch, the column sums: the same numbers as
  // the JavaScript kernels on plain arrays (an independent loop per element), specials included, in place too
  it("give the JavaScript kernels' numbers, reading resident inputs and writing resident results in place", () => {
    const k = wasm ?? jsKernels;
    const [rows, cols] = [64, 259], n = rows * cols; // ≥ 4,096 numbers (the SIMD size), a row not whole vectors
    const r = new Random(17);
    const specials = [0, -0, NaN, Infinity, -Infinity, 1e-310];
    const values = (): number[] => Array.from({ length: n }, (_, i) => (i < specials.length ? specials[i] as number : r.normal()));
    // resident where there is resident storage (else plain arrays: the same numbers still)
    const make = (xs: ArrayLike<number>): Float32Array | Float64Array => {
      const s = residentStorage(dtypeOf(T), xs.length) ?? new T(xs.length);
      expect(isResident(s)).toBe(shared);
      s.set(xs);
      return s;
    };
    const a0 = values(), b0 = values(), bias0 = Array.from({ length: cols }, () => r.normal()), zero = new T([0]);
    const cases: [string, (x: { a: Float32Array | Float64Array; b: Float32Array | Float64Array; bias: Float32Array | Float64Array; out: Float32Array | Float64Array }, kk: typeof k) => void][] = [
      ["relu", ({ a, out }, kk) => kk.unary("relu", a, out)],
      ["mask", ({ a, out }, kk) => kk.binary("gt", a, [rows, cols], zero, [], out, [rows, cols])],
      ["select", ({ a, b, out }, kk) => kk.select(a, b, zero, out)],
      ["add", ({ a, b, out }, kk) => kk.binary("add", a, [rows, cols], b, [rows, cols], out, [rows, cols])],
      ["bias", ({ a, bias, out }, kk) => kk.binary("add", a, [rows, cols], bias, [cols], out, [rows, cols])],
      ["colsum", ({ a, out }, kk) => kk.reduceAxis("sum", a, 1, rows, cols, out.subarray(0, cols))],
    ];
    for (const [name, run] of cases) {
      const want = new T(n);
      run({ a: new T(a0), b: new T(b0), bias: new T(bias0), out: want }, jsKernels);
      const res = { a: make(a0), b: make(b0), bias: make(bias0), out: make(new T(n)) };
      run(res, k);
      expect(Array.from(res.out), name).toEqual(Array.from(want));
      if (name !== "colsum") { // the result written over its own input
        const inPlace = make(a0);
        run({ ...res, a: inPlace, out: inPlace }, k);
        expect(Array.from(inPlace), `${name} in place`).toEqual(Array.from(want));
        releaseResident(inPlace);
      }
      for (const x of Object.values(res)) releaseResident(x);
    }
  });
});

describe("backward's temporaries", () => {
  it("are resident when large (where there is resident storage), come back through the pool, and are never handed to other allocations", () => {
    const be = backend();
    const before = be.setScratch?.(true) ?? false;
    const t = be.allocEmpty?.("float32", 16384) ?? be.alloc("float32", 16384);
    expect(isResident(t)).toBe(shared);
    be.free(t);
    be.setScratch?.(false);
    const plain = be.alloc("float32", 16384);
    expect(isResident(plain)).toBe(false); // a forward result may outlive every release: no resident block for it
    // a resident scratch buffer stays for scratch allocations; a plain one goes to any
    expect(plain === t).toBe(!shared);
    be.setScratch?.(true);
    const again = be.alloc("float32", 16384);
    if (shared) expect(again).toBe(t); // the scratch buffer, back from the pool (zeroed)
    expect(again.every((v) => v === 0)).toBe(true);
    be.setScratch?.(before);
    be.free(again);
    be.free(plain);
  });
  it("are resident in an MLP's backward (where there is resident storage), while its forward results are not", () => {
    const l1 = new Linear(100, 256, { seed: 1, dtype: "float32" }), l2 = new Linear(256, 10, { seed: 2, dtype: "float32" });
    const x = randn([64, 100], { dtype: "float32", generator: new Random(9) }), y = tensor(Array.from({ length: 64 }, (_, i) => i % 10), { dtype: "float32" });
    for (let s = 0; s < 3; s++) {
      const h = l1.call(x).relu();
      h.retainGrad();
      crossEntropy(l2.call(h), y).backward();
      const seen = h.grad?.data ?? null;
      expect(isResident(h.data)).toBe(false);
      expect(seen).not.toBeNull();
      expect(seen === null ? !shared : isResident(seen)).toBe(shared); // the hidden layer's gradient, made by backward
    }
  });
});
