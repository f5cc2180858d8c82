// nabla's side of the benchmark: GEMM in both dtypes and layouts, the MLP training step (as a user
// writes it with Sequential/Linear/SGD, and with raw tensors in the x·W layout), the tiny steps.
import {
  bceLoss, crossEntropy, Linear, mseLoss, noGrad, randn, Random, ReLU, Sequential, setNumThreads, SGD, tensor, threadsReady,
} from "../dist/src/index.js";
import { flag, GEMM_SIZES, gemmKey, LAYOUTS, MLP, mlpData, mlpKey, parts, repsFor, time, timeTiny, TINY, warmupFor } from "./common.mjs";

const want = parts();
// `--threads n`: the matrix products on n threads (the run is then timed in wall time, see run.mjs)
const threads = Number(flag("threads", "1"));
if (threads > 1) {
  setNumThreads(threads);
  await threadsReady();
  for (const p of ["tiny", "drift", "soak"]) want.delete(p);
}
const results = { peer: threads > 1 ? `nabla-${threads}thread` : "nabla", threads, gemm: {}, mlp: {}, tiny: {} };

if (want.has("gemm")) {
  for (const dtype of ["float32", "float64"]) {
    for (const layout of LAYOUTS) {
      for (const n of GEMM_SIZES) {
        const g = new Random(n);
        const a = randn([n, n], { dtype, generator: g }), b = randn([n, n], { dtype, generator: g });
        const f = layout === "nn" ? () => noGrad(() => a.matmul(b)) : () => noGrad(() => a.matmul(b.T));
        results.gemm[gemmKey(dtype, layout, n)] = await time(f, { reps: repsFor(n), warmup: warmupFor(n) });
      }
    }
  }
}

/** One SGD step of the MLP, written the way a user writes it: modules, a loss, an optimizer. */
function modulesStep(dtype, batch) {
  const model = new Sequential(
    new Linear(MLP.in, MLP.hidden, { dtype, seed: 7 }), new ReLU(), new Linear(MLP.hidden, MLP.out, { dtype, seed: 8 }),
  );
  const opt = new SGD(model.parameters(), { lr: MLP.lr });
  const { x: xs, y: ys } = mlpData(batch);
  const x = tensor(xs, { dtype, shape: [batch, MLP.in] }), y = tensor(ys, { dtype });
  return () => {
    opt.zeroGrad();
    const loss = crossEntropy(model.call(x), y);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

/** The same step on raw tensors in the x·W layout (no transposes in the user's code). */
function rawStep(dtype, batch) {
  const g = new Random(7);
  const param = (shape, scale) => randn(shape, { dtype, generator: g }).mul(scale).detach().requireGrad();
  const W1 = param([MLP.in, MLP.hidden], Math.sqrt(2 / MLP.in)), b1 = param([MLP.hidden], 0);
  const W2 = param([MLP.hidden, MLP.out], Math.sqrt(2 / MLP.hidden)), b2 = param([MLP.out], 0);
  const opt = new SGD([W1, b1, W2, b2], { lr: MLP.lr });
  const { x: xs, y: ys } = mlpData(batch);
  const x = tensor(xs, { dtype, shape: [batch, MLP.in] }), y = tensor(ys, { dtype });
  return () => {
    opt.zeroGrad();
    const loss = crossEntropy(x.matmul(W1).add(b1).relu().matmul(W2).add(b2), y);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

if (want.has("mlp")) {
  for (const dtype of ["float32", "float64"]) {
    for (const batch of MLP.batches) {
      for (const [variant, make] of [["modules", modulesStep], ["raw", rawStep]]) {
        const step = make(dtype, batch);
        let lastLoss = 0;
        const ms = await time(() => { lastLoss = step(); }, { warmup: MLP.warmup, warmupMs: MLP.warmupMs, reps: MLP.reps });
        results.mlp[mlpKey(dtype, batch, variant)] = { msPerStep: ms, examplesPerSec: (batch * 1000) / ms, lastLoss };
      }
    }
  }
}

function neuronStep() {
  const c = TINY.neuron;
  const x = tensor(c.x), y = tensor([c.y]);
  const w = tensor(c.w, { requiresGrad: true }), b = tensor([c.b], { requiresGrad: true });
  const opt = new SGD([w, b], { lr: c.lr });
  return () => {
    opt.zeroGrad();
    const p = x.matmul(w).add(b).sigmoid();
    const loss = bceLoss(p, y);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

function mlp333Step() {
  const c = TINY.mlp333;
  const x = tensor([c.x]), y = tensor([c.y]);
  const W1 = tensor(c.W1, { requiresGrad: true }), b1 = tensor(c.b1, { requiresGrad: true });
  const W2 = tensor(c.W2, { requiresGrad: true }), b2 = tensor(c.b2, { requiresGrad: true });
  const opt = new SGD([W1, b1, W2, b2], { lr: c.lr });
  return () => {
    opt.zeroGrad();
    const out = x.matmul(W1).add(b1).sigmoid().matmul(W2).add(b2).sigmoid();
    const loss = mseLoss(out, y);
    loss.backward();
    opt.step();
    return loss.item();
  };
}

if (want.has("tiny")) {
  const long = want.has("drift");
  for (const [name, make] of [["neuron", neuronStep], ["mlp333", mlp333Step]]) {
    const step = make();
    results.tiny[name] = { ...timeTiny(step, { long }), lastLoss: step() };
  }
}

// Resident memory over a long run of the MLP step (modules, float32, batch 64): flat means no leak.
if (want.has("soak")) {
  const steps = Number(flag("soak-steps", "10000"));
  const step = modulesStep("float32", 64);
  const rss = [];
  for (let i = 1; i <= steps; i++) {
    step();
    if (i % (steps / 10) === 0) {
      globalThis.gc?.();
      rss.push(process.memoryUsage().rss / 2 ** 20);
    }
  }
  results.soak = { steps, rssMB: rss };
}
process.stdout.write(JSON.stringify(results));
