// nabla's side of the benchmark: GEMM in both dtypes and an MLP training step.
import { Conv2d, crossEntropy, Flatten, Linear, MaxPool2d, noGrad, randn, Random, ReLU, Sequential, SGD, tensor } from "../dist/src/index.js";
import { CNN, GEMM_SIZES, MLP, mlpData, repsFor, time, warmupFor } from "./common.mjs";

const results = { peer: "nabla", gemm: {}, mlp: {}, cnn: {} };
for (const dtype of ["float32", "float64"]) {
  for (const n of GEMM_SIZES) {
    const g = new Random(n);
    const a = randn([n, n], { dtype, generator: g }), b = randn([n, n], { dtype, generator: g });
    results.gemm[`${dtype}-${n}`] = await time(() => noGrad(() => a.matmul(b)), { reps: repsFor(n), warmup: warmupFor(n) });
  }
}

for (const dtype of ["float32", "float64"]) {
  const g = new Random(7);
  const param = (shape, scale) => {
    const t = randn(shape, { dtype, generator: g });
    for (let i = 0; i < t.size; i++) t.data[i] *= scale;
    return t.requireGrad();
  };
  const W1 = param([MLP.in, MLP.hidden], Math.sqrt(2 / MLP.in)), b1 = param([MLP.hidden], 0);
  const W2 = param([MLP.hidden, MLP.out], Math.sqrt(2 / MLP.hidden)), b2 = param([MLP.out], 0);
  const params = [W1, b1, W2, b2];
  const { x: xs, y: ys } = mlpData();
  const x = tensor(xs, { dtype, shape: [MLP.batch, MLP.in] });
  const y = tensor(ys, { dtype });
  let lastLoss = 0;
  const step = () => {
    const logits = x.matmul(W1).add(b1).relu().matmul(W2).add(b2);
    const loss = crossEntropy(logits, y);
    loss.backward();
    for (const p of params) {
      const gd = p.grad.data, pd = p.data;
      for (let i = 0; i < pd.length; i++) pd[i] -= MLP.lr * gd[i];
      p.zeroGrad();
    }
    lastLoss = loss.item();
  };
  const ms = await time(step, { warmup: 20, reps: 40 });
  results.mlp[dtype] = { msPerStep: ms, examplesPerSec: (MLP.batch * 1000) / ms, lastLoss };
}
{
  const dtype = "float32", g = new Random(3);
  const model = new Sequential(new Conv2d(1, 8, 5, { dtype, generator: g }), new ReLU(), new MaxPool2d(2), new Conv2d(8, 16, 5, { dtype, generator: g }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(256, 10, { dtype, generator: g }));
  const opt = new SGD(model.parameters(), { lr: CNN.lr });
  const { x: xs, y: ys } = mlpData();
  const x = tensor(xs, { dtype, shape: [CNN.batch, 1, 28, 28] }), y = tensor(ys, { dtype });
  let lastLoss = 0;
  const ms = await time(() => {
    const loss = crossEntropy(model.call(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    lastLoss = loss.item();
  }, { warmup: 5, reps: 20 });
  results.cnn.float32 = { msPerStep: ms, examplesPerSec: (CNN.batch * 1000) / ms, lastLoss };
}
process.stdout.write(JSON.stringify(results));
