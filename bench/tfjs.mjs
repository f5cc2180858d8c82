// TensorFlow.js's side of the benchmark (float32 only: TF.js has no float64), backend from argv.
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { CNN, GEMM_SIZES, MLP, mlpData, repsFor, time, warmupFor } from "./common.mjs";

const backend = process.argv[2] ?? "cpu";
await tf.setBackend(backend);
await tf.ready();
const results = { peer: `tfjs-${backend}`, gemm: {}, mlp: {} };
for (const n of GEMM_SIZES) {
  const a = tf.randomNormal([n, n]), b = tf.randomNormal([n, n]);
  results.gemm[`float32-${n}`] = await time(async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  }, { reps: repsFor(n), warmup: warmupFor(n) });
}
const W1 = tf.variable(tf.randomNormal([MLP.in, MLP.hidden], 0, Math.sqrt(2 / MLP.in)));
const b1 = tf.variable(tf.zeros([MLP.hidden]));
const W2 = tf.variable(tf.randomNormal([MLP.hidden, MLP.out], 0, Math.sqrt(2 / MLP.hidden)));
const b2 = tf.variable(tf.zeros([MLP.out]));
const { x: xs, y: ys } = mlpData();
const x = tf.tensor2d(xs, [MLP.batch, MLP.in]);
const y = tf.oneHot(tf.tensor1d(ys, "int32"), MLP.out);
const opt = tf.train.sgd(MLP.lr);
let lastLoss = 0;
const ms = await time(async () => {
  const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, W1), b1)), W2), b2)), true);
  lastLoss = (await loss.data())[0];
  loss.dispose();
}, { warmup: 20, reps: 40 });
results.mlp.float32 = { msPerStep: ms, examplesPerSec: (MLP.batch * 1000) / ms, lastLoss };
// NOTE: the wasm backend has no Conv2DBackpropFilter kernel, so its CNN row stays empty.
try {
  const model = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, activation: "relu" }), tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu" }), tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(), tf.layers.dense({ units: 10 }),
  ] });
  const cx = tf.tensor4d(xs, [CNN.batch, 28, 28, 1]);
  const copt = tf.train.sgd(CNN.lr);
  const cms = await time(async () => {
    const loss = copt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(cx)), true);
    await loss.data();
    loss.dispose();
  }, { warmup: 5, reps: 20 });
  results.cnn = { float32: { msPerStep: cms, examplesPerSec: (CNN.batch * 1000) / cms } };
} catch (e) {
  console.error(`  TensorFlow.js ${backend}: no CNN training (${e.message})`);
}
process.stdout.write(JSON.stringify(results));
