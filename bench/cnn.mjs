// The CNN training step of issue 9 (conv 5×5×8 → ReLU → max-pool 2 → conv 5×5×16 → ReLU → max-pool 2
// → linear 256→10, batch 64, float32, SGD), nabla on one thread (CPU time) and on two (wall time)
// beside jax-js (jit), TF.js (wasm where it has the kernels, else cpu) and PyTorch on one and two threads (if
// installed), each in its own process, after a warm-up (WARM). `node bench/cnn.mjs [--json FILE]` prints the rows (and writes
// them); run.mjs runs it with --only cnn.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { flag, mlpData, time } from "./common.mjs";

const BATCH = 64, LR = 0.01;
// NOTE: each JavaScript peer warms up for 50 steps or 1 s, whichever ends first, as the MLP does (common.mjs):
// nabla's step settles only after ~40 (steps 5–19 ran at 9.2–10.6 ms, steps 40+ at 6.0–7.5; load average 2.5)
const WARM = { warmup: 50, warmupMs: 1000, reps: 15 };
const here = fileURLToPath(new URL(".", import.meta.url));
const mode = process.argv[2] ?? "all";

async function nabla(threads) {
  const { Conv2d, crossEntropy, Flatten, Linear, MaxPool2d, Random, ReLU, Sequential, SGD, setNumThreads, tensor, threadsReady } = await import("../dist/src/index.js");
  setNumThreads(threads);
  await threadsReady();
  const dtype = "float32", g = new Random(3);
  const model = new Sequential(new Conv2d(1, 8, 5, { dtype, generator: g }), new ReLU(), new MaxPool2d(2), new Conv2d(8, 16, 5, { dtype, generator: g }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(256, 10, { dtype, generator: g }));
  const opt = new SGD(model.parameters(), { lr: LR });
  const { x: xs, y: ys } = mlpData(BATCH);
  const x = tensor(xs, { dtype, shape: [BATCH, 1, 28, 28] }), y = tensor(ys, { dtype });
  return time(() => {
    const loss = crossEntropy(model.call(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }, WARM);
}

async function tfjs(backend) {
  const tf = await import("@tensorflow/tfjs");
  if (backend === "wasm") await import("@tensorflow/tfjs-backend-wasm");
  await tf.setBackend(backend);
  await tf.ready();
  const model = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, activation: "relu" }), tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: "relu" }), tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(), tf.layers.dense({ units: 10 }),
  ] });
  const { y: ys } = mlpData(BATCH);
  const x = tf.randomUniform([BATCH, 28, 28, 1]), y = tf.oneHot(tf.tensor1d(ys.slice(0, BATCH), "int32"), 10);
  const opt = tf.train.sgd(LR);
  return time(async () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)), true);
    await loss.data();
    loss.dispose();
  }, WARM);
}

// jax-js (WebAssembly device, one thread in Node), the step jitted with valueAndGrad and the SGD
// update as its MLP is in jaxjs.mjs; max pooling as a max over reshaped 2×2 blocks (no window op needed).
async function jaxjs() {
  globalThis.Float16Array ??= class Float16Array {}; // jax-js tests instanceof Float16Array (absent in Node 20)
  const { blockUntilReady, defaultDevice, init, jit, lax, nn, numpy: np, tree, valueAndGrad } = await import("@jax-js/jax");
  await init("wasm");
  defaultDevice("wasm");
  let s = 1;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5);
  const arr = (shape, scale) => np.array(new Float32Array(shape.reduce((a, b) => a * b)).map(() => rnd() * scale), { dtype: np.float32 }).reshape(shape);
  const zeros = (n) => np.zeros([n], { dtype: np.float32 });
  let params = { w1: arr([8, 1, 5, 5], 0.4), b1: zeros(8), w2: arr([16, 8, 5, 5], 0.1), b2: zeros(16), w3: arr([256, 10], 0.1), b3: zeros(10) };
  const { x: xs, y: ys } = mlpData(BATCH);
  const x = np.array(xs.slice(0, BATCH * 784), { dtype: np.float32 }).reshape([BATCH, 1, 28, 28]);
  const y = nn.oneHot(np.array(Int32Array.from(ys.slice(0, BATCH)), { dtype: np.int32 }), 10).astype(np.float32);
  const pool = (h, c, size) => h.reshape([BATCH, c, size / 2, 2, size / 2, 2]).max([3, 5]);
  const lossFn = (p, x, y) => {
    let h = pool(nn.relu(lax.conv(x, p.w1, [1, 1], "VALID").add(p.b1.reshape([1, 8, 1, 1]))), 8, 24);
    h = pool(nn.relu(lax.conv(h, p.w2, [1, 1], "VALID").add(p.b2.reshape([1, 16, 1, 1]))), 16, 8).reshape([BATCH, 256]);
    return nn.logSoftmax(np.matmul(h, p.w3).add(p.b3), -1).mul(y).sum().mul(-1 / BATCH);
  };
  const step = jit((p, x, y) => {
    const [loss, g] = valueAndGrad(lossFn)(tree.ref(p), x, y);
    return [loss, tree.map((w, gw) => w.sub(gw.mul(LR)), p, g)];
  });
  return time(async () => {
    const [loss, next] = step(params, x.ref, y.ref);
    params = next;
    await loss.data();
    await blockUntilReady(params);
  }, { ...WARM, reps: 5 });
}

const TORCH = `
import json, time, torch
import sys
torch.set_num_threads(int(sys.argv[1])); torch.manual_seed(0)
m = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Conv2d(8, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(256, 10))
x, y = torch.rand(64, 1, 28, 28), torch.randint(0, 10, (64,))
o = torch.optim.SGD(m.parameters(), lr=0.01)
def step():
    o.zero_grad(); torch.nn.functional.cross_entropy(m(x), y).backward(); o.step()
for _ in range(5): step()
ts = []
for _ in range(20):
    t = time.perf_counter(); step(); ts.append((time.perf_counter() - t) * 1000)
ts.sort(); print(json.dumps(ts[len(ts) // 2]))
`;

if (mode === "nabla") console.log(JSON.stringify(await nabla(1)));
else if (mode === "nabla2") console.log(JSON.stringify(await nabla(2)));
else if (mode === "jax-js") console.log(JSON.stringify(await jaxjs()));
else if (mode === "tfjs-wasm") console.log(JSON.stringify(await tfjs("wasm")));
else if (mode === "tfjs-cpu") console.log(JSON.stringify(await tfjs("cpu")));
else {
  const run = (m, ...args) => JSON.parse(execFileSync("node", [here + "cnn.mjs", m, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  const rows = [["nabla", run("nabla")], ["nabla-2thread", run("nabla2", "--clock", "wall")]];
  try { rows.push(["jax-js", run("jax-js")]); } catch (e) { console.error(`jax-js failed: ${String(e.message).split("\n")[0]}`); }
  // TF.js's wasm backend lacks some convolution backward kernels; its cpu backend then stands in
  try { rows.push(["tfjs-wasm", run("tfjs-wasm")]); } catch { try { rows.push(["tfjs-cpu", run("tfjs-cpu")]); } catch (e) { console.error(`TF.js failed: ${String(e.message).split("\n")[0]}`); } }
  const py = "/usr/bin/python3";
  for (const threads of [1, 2]) {
    try {
      if (existsSync(py)) rows.push([`pytorch-${threads}thread`, JSON.parse(execFileSync(py, ["-c", TORCH, String(threads)], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), OMP_WAIT_POLICY: "PASSIVE" } }))]);
    } catch { console.error("PyTorch not installed: skipped"); }
  }
  const ex = (ms) => (BATCH * 1000) / ms;
  const load = loadavg()[0];
  console.log(`\nCNN training step (issue 9's net, batch ${BATCH}, float32, SGD): examples/s, nabla (1 and 2 threads) ÷ peer; load average ${load.toFixed(2)}`);
  const one = ex(rows[0][1]), two = ex(rows[1][1]);
  for (const [name, ms] of rows) console.log(`${name.padEnd(18)}${ex(ms).toFixed(0).padStart(8)}   ${name.startsWith("nabla") ? "" : `${(one / ex(ms)).toFixed(2)}   ${(two / ex(ms)).toFixed(2)}`}`);
  const json = flag("json", "");
  if (json !== "") writeFileSync(json, JSON.stringify({ load, examplesPerSec: Object.fromEntries(rows.map(([name, ms]) => [name, ex(ms)])) }));
}
