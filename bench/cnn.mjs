// The CNN training step of issue 9 (conv 5×5×8 → ReLU → max-pool 2 → conv 5×5×16 → ReLU → max-pool 2
// → linear 256→10, batch 64, float32, SGD), nabla beside TF.js (wasm) and PyTorch (one thread, if
// installed), each in its own process. `node bench/cnn.mjs` prints the row; run.mjs runs it with --only cnn.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { mlpData, time } from "./common.mjs";

const BATCH = 64, LR = 0.01;
const here = fileURLToPath(new URL(".", import.meta.url));
const mode = process.argv[2] ?? "all";

async function nabla() {
  const { Conv2d, crossEntropy, Flatten, Linear, MaxPool2d, Random, ReLU, Sequential, SGD, tensor } = await import("../dist/src/index.js");
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
  }, { warmup: 3, reps: 15 });
}

async function tfjs() {
  const tf = await import("@tensorflow/tfjs");
  await import("@tensorflow/tfjs-backend-wasm");
  await tf.setBackend("wasm");
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
  }, { warmup: 3, reps: 15 });
}

const TORCH = `
import json, time, torch
torch.set_num_threads(1); torch.manual_seed(0)
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

if (mode === "nabla") console.log(JSON.stringify(await nabla()));
else if (mode === "tfjs") console.log(JSON.stringify(await tfjs()));
else {
  const run = (m) => JSON.parse(execFileSync("node", [here + "cnn.mjs", m], { encoding: "utf8" }));
  const rows = [["nabla", run("nabla")]];
  try { rows.push(["tfjs-wasm", run("tfjs")]); } catch (e) { console.error(`TF.js failed: ${String(e.message).split("\n")[0]}`); }
  const py = "/usr/bin/python3";
  try {
    if (existsSync(py)) rows.push(["pytorch-1thread", JSON.parse(execFileSync(py, ["-c", TORCH], { encoding: "utf8", env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" } }))]);
  } catch { console.error("PyTorch not installed: skipped"); }
  const ex = (ms) => (BATCH * 1000) / ms;
  console.log(`\nCNN training step (issue 9's net, batch ${BATCH}, float32, SGD): examples/s, nabla ÷ peer`);
  const mine = ex(rows[0][1]);
  for (const [name, ms] of rows) console.log(`${name.padEnd(18)}${ex(ms).toFixed(0).padStart(8)}   ${name === "nabla" ? "" : (mine / ex(ms)).toFixed(2)}`);
}
