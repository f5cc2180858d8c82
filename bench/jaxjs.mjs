// jax-js's side of the benchmark, on its WebAssembly device: GEMM and the MLP step compiled with
// jit (valueAndGrad and the SGD update in one jitted function, as jax-js's MNIST example trains).
// NOTE: in Node, jax-js finds no global Worker, so it runs on one thread.
import { GEMM_SIZES, gemmKey, LAYOUTS, MLP, mlpData, mlpKey, parts, repsFor, time, warmupFor } from "./common.mjs";
// NOTE: jax-js tests `instanceof Float16Array`, which Node 20 lacks; an empty class answers false.
globalThis.Float16Array ??= class Float16Array {};
const { blockUntilReady, defaultDevice, init, jit, nn, numpy: np, tree, valueAndGrad } = await import("@jax-js/jax");

await init("wasm");
defaultDevice("wasm");
const want = parts();
const results = { peer: "jax-js", gemm: {}, mlp: {} };
const dtypes = { float32: np.float32, float64: np.float64 };
const randomArray = (n, dtype, seed) => {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5);
  const data = dtype === "float64" ? new Float64Array(n).map(rnd) : new Float32Array(n).map(rnd);
  return np.array(data, { dtype: dtypes[dtype] });
};

if (want.has("gemm")) {
  for (const dtype of ["float32", "float64"]) {
    for (const layout of LAYOUTS) {
      const mm = jit(layout === "nn" ? (a, b) => np.matmul(a, b) : (a, b) => np.matmul(a, b.transpose()));
      for (const n of GEMM_SIZES) {
        // float64 on jax-js is slow (~1 GFLOP/s): time the large sizes only briefly
        const slow = dtype === "float64" && n >= 512;
        const a = randomArray(n * n, dtype, n).reshape([n, n]), b = randomArray(n * n, dtype, n + 1).reshape([n, n]);
        results.gemm[gemmKey(dtype, layout, n)] = await time(async () => {
          const c = mm(a.ref, b.ref);
          await c.data();
        }, slow ? { reps: 1, warmup: 1 } : { reps: repsFor(n), warmup: warmupFor(n) });
        a.dispose();
        b.dispose();
      }
    }
  }
}

if (want.has("mlp")) {
  for (const dtype of ["float32", "float64"]) {
    for (const batch of MLP.batches) {
      let params = {
        W1: randomArray(MLP.in * MLP.hidden, dtype, 7).mul(Math.sqrt(24 / MLP.in)).reshape([MLP.in, MLP.hidden]),
        b1: np.zeros([MLP.hidden], { dtype: dtypes[dtype] }),
        W2: randomArray(MLP.hidden * MLP.out, dtype, 8).mul(Math.sqrt(24 / MLP.hidden)).reshape([MLP.hidden, MLP.out]),
        b2: np.zeros([MLP.out], { dtype: dtypes[dtype] }),
      };
      const { x: xs, y: ys } = mlpData(batch);
      const x = np.array(dtype === "float64" ? Float64Array.from(xs) : xs, { dtype: dtypes[dtype] }).reshape([batch, MLP.in]);
      const y = nn.oneHot(np.array(Int32Array.from(ys), { dtype: np.int32 }), MLP.out).astype(dtypes[dtype]);
      const lossFn = (p, x, y) => {
        const h = nn.relu(np.matmul(x, p.W1).add(p.b1));
        const logits = np.matmul(h, p.W2).add(p.b2);
        return nn.logSoftmax(logits, -1).mul(y).sum().mul(-1 / batch);
      };
      const step = jit((p, x, y) => {
        const [loss, g] = valueAndGrad(lossFn)(tree.ref(p), x, y);
        return [loss, tree.map((w, gw) => w.sub(gw.mul(MLP.lr)), p, g)];
      });
      let lastLoss = 0;
      const ms = await time(async () => {
        const [loss, next] = step(params, x.ref, y.ref);
        params = next;
        lastLoss = (await loss.data())[0];
        await blockUntilReady(params);
      }, { warmup: MLP.warmup, warmupMs: MLP.warmupMs, reps: MLP.reps });
      results.mlp[mlpKey(dtype, batch, "peer")] = { msPerStep: ms, examplesPerSec: (batch * 1000) / ms, lastLoss };
      tree.dispose(params);
      x.dispose();
      y.dispose();
    }
  }
}
process.stdout.write(JSON.stringify(results));
