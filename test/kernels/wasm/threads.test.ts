// Two threads give the same numbers as one, bit for bit: each element of C is computed by one
// thread in the same order whatever the split (GEMM in both dtypes and layouts, a resident
// parameter's SGD update, MLP and CNN training).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsKernels, releaseResident, residentStorage } from "../../../src/kernels/index.js";
import { Conv2d, crossEntropy, Flatten, Linear, MaxPool2d, numThreads, Random, randn, ReLU, Sequential, setNumThreads, SGD, simdKernels, tensor, type Tensor, threadsReady } from "../../../src/index.js";

beforeAll(async () => {
  setNumThreads(2);
  await threadsReady();
});
afterAll(() => { setNumThreads(1); });

function gemms(): number[][] {
  const out: number[][] = [];
  for (const dtype of ["float32", "float64"] as const) {
    // the last: an A of ≥ 2¹⁸ numbers, packed on the threads (three depth blocks, a last strip of one row)
    for (const [M, N, K] of [[67, 131, 300], [200, 96, 64], [128, 513, 129], [517, 40, 600]] as const) {
      const g = new Random(M * N + K);
      const a = randn([M, K], { dtype, generator: g }), b = randn([K, N], { dtype, generator: g }), bt = randn([N, K], { dtype, generator: g });
      out.push(Array.from(a.matmul(b).data), Array.from(a.matmul(bt.T).data));
    }
  }
  return out;
}

/** `steps` SGD steps of cross-entropy on (x, y): the losses, then every parameter's numbers. */
function trainSteps(net: Sequential, x: Tensor, y: Tensor, steps: number): number[] {
  const opt = new SGD(net.parameters(), { lr: 0.05 });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const loss = crossEntropy(net.call(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return [...losses, ...net.parameters().flatMap((p) => Array.from(p.data))];
}

// SGD on a resident parameter of 200,001 numbers (split between threads, the odd last number included), both dtypes.
function sgdUpdates(): number[][] {
  const out: number[][] = [];
  for (const dtype of ["float32", "float64"] as const) {
    const n = 200_001, r = new Random(n);
    const p = residentStorage(dtype, n) ?? (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
    const g = residentStorage(dtype, n) ?? (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
    for (let i = 0; i < n; i++) {
      p[i] = r.normal();
      g[i] = r.normal();
    }
    (simdKernels ?? jsKernels).sgd(p, g, { lr: 0.0137, weightDecay: 0, momentum: 0, dampening: 0, nesterov: false }, null, false);
    out.push(Array.from(p));
    releaseResident(p);
    releaseResident(g);
  }
  return out;
}

function training(): number[] {
  const net = new Sequential(new Linear(100, 256, { seed: 1, dtype: "float32" }), new ReLU(), new Linear(256, 10, { seed: 2, dtype: "float32" }));
  const x = randn([64, 100], { dtype: "float32", generator: new Random(9) }), y = tensor(Array.from({ length: 64 }, (_, i) => i % 10), { dtype: "float32" });
  return trainSteps(net, x, y, 5);
}

// The CNN of issue 9, smaller: its convolutions' columns are built by both threads (whole images each).
function cnnTraining(): number[] {
  const dtype = "float32", g = new Random(5);
  const net = new Sequential(new Conv2d(1, 4, 5, { dtype, generator: g }), new ReLU(), new MaxPool2d(2), new Conv2d(4, 8, 3, { dtype, generator: g }), new ReLU(), new Flatten(), new Linear(8 * 8 * 8, 10, { dtype, generator: g }));
  const x = randn([16, 1, 24, 24], { dtype, generator: g }), y = tensor(Array.from({ length: 16 }, (_, i) => i % 10), { dtype });
  return trainSteps(net, x, y, 3);
}

describe("threads", () => {
  it("run where shared memory and workers exist", () => {
    expect(simdKernels).not.toBeNull();
    expect(numThreads()).toBe(2);
  });
  it("give the same bits as one thread", () => {
    const two = { gemm: gemms(), sgd: sgdUpdates(), train: training(), cnn: cnnTraining() };
    setNumThreads(1);
    const one = { gemm: gemms(), sgd: sgdUpdates(), train: training(), cnn: cnnTraining() };
    setNumThreads(2);
    expect(two.gemm).toEqual(one.gemm);
    expect(two.sgd).toEqual(one.sgd);
    expect(two.train).toEqual(one.train);
    expect(two.cnn).toEqual(one.cnn);
    expect(one.cnn.slice(0, 3).every(Number.isFinite)).toBe(true);
  });
});
