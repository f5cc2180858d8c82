// TensorFlow.js's side of the benchmark (float32 only: TF.js has no float64), backend from argv.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { GEMM_SIZES, gemmKey, LAYOUTS, MLP, mlpData, mlpKey, parts, repsFor, time, warmupFor } from "./common.mjs";

const backend = process.argv[2] ?? "cpu";
await tf.setBackend(backend);
await tf.ready();
const want = parts();
const results = { peer: `tfjs-${backend}`, gemm: {}, mlp: {} };
if (want.has("gemm")) {
  for (const layout of LAYOUTS) {
    for (const n of GEMM_SIZES) {
      const a = tf.randomNormal([n, n]), b = tf.randomNormal([n, n]);
      results.gemm[gemmKey("float32", layout, n)] = await time(async () => {
        const c = tf.matMul(a, b, false, layout === "nt");
        await c.data();
        c.dispose();
      }, { reps: repsFor(n), warmup: warmupFor(n) });
    }
  }
}
if (want.has("mlp")) {
  for (const batch of MLP.batches) {
    const W1 = tf.variable(tf.randomNormal([MLP.in, MLP.hidden], 0, Math.sqrt(2 / MLP.in)));
    const b1 = tf.variable(tf.zeros([MLP.hidden]));
    const W2 = tf.variable(tf.randomNormal([MLP.hidden, MLP.out], 0, Math.sqrt(2 / MLP.hidden)));
    const b2 = tf.variable(tf.zeros([MLP.out]));
    const { x: xs, y: ys } = mlpData(batch);
    const x = tf.tensor2d(xs, [batch, MLP.in]);
    const y = tf.oneHot(tf.tensor1d(ys, "int32"), MLP.out);
    const opt = tf.train.sgd(MLP.lr);
    let lastLoss = 0;
    const ms = await time(async () => {
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, W1), b1)), W2), b2)), true);
      lastLoss = (await loss.data())[0];
      loss.dispose();
    }, { warmup: MLP.warmup, warmupMs: MLP.warmupMs, reps: MLP.reps });
    results.mlp[mlpKey("float32", batch, "peer")] = { msPerStep: ms, examplesPerSec: (batch * 1000) / ms, lastLoss };
  }
}
process.stdout.write(JSON.stringify(results));
