// `npm run bench`: one process per peer, one report of medians and nabla/peer ratios.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GEMM_SIZES } from "./common.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const runNode = (file, ...args) => JSON.parse(execFileSync("node", [here + file, ...args], { encoding: "utf8", maxBuffer: 1 << 24 }));

const peers = [];
console.error("running nabla …");
const nabla = runNode("nabla.mjs");
for (const backend of ["cpu", "wasm"]) {
  console.error(`running TensorFlow.js (${backend}) …`);
  try {
    peers.push(runNode("tfjs.mjs", backend));
  } catch (e) {
    console.error(`  TensorFlow.js ${backend} failed: ${e.message.split("\n")[0]}`);
  }
}
const py = ["/usr/bin/python3", "python3"].find((p) => p.startsWith("/") ? existsSync(p) : true);
try {
  execFileSync(py, ["-c", "import torch"], { stdio: "ignore" });
  console.error("running PyTorch (1 thread) …");
  peers.push(JSON.parse(execFileSync(py, [here + "torch_peer.py"], { encoding: "utf8" })));
} catch {
  console.error("PyTorch not installed: skipped (apt-get install python3-torch to include it)");
}

const fmt = (v, d = 2) => (v === undefined ? "—" : v.toFixed(d));
const pad = (s, n) => String(s).padStart(n);
const names = peers.map((p) => p.peer);

console.log("\nGEMM n×n @ n×n: median GFLOP/s (ratio = nabla ÷ peer, >1 means nabla is faster)");
console.log(["case", "nabla", ...names, ...names.map((n) => `ratio vs ${n}`)].map((s, i) => pad(s, i === 0 ? 14 : 26)).join(""));
for (const dtype of ["float32", "float64"]) {
  for (const n of GEMM_SIZES) {
    const key = `${dtype}-${n}`;
    const gf = (ms) => (ms === undefined ? undefined : (2 * n ** 3) / (ms * 1e6));
    const mine = gf(nabla.gemm[key]);
    const theirs = peers.map((p) => gf(p.gemm[key]));
    const ratios = theirs.map((t) => (t === undefined ? undefined : mine / t));
    console.log([key, fmt(mine), ...theirs.map((t) => fmt(t)), ...ratios.map((r) => fmt(r))].map((s, i) => pad(s, i === 0 ? 14 : 26)).join(""));
  }
}

console.log("\nMLP 784-256-10 training step (batch 64, ReLU, softmax cross-entropy, SGD): median examples/s");
console.log(["dtype", "nabla", ...names, ...names.map((n) => `ratio vs ${n}`)].map((s, i) => pad(s, i === 0 ? 14 : 26)).join(""));
for (const dtype of ["float32", "float64"]) {
  const mine = nabla.mlp[dtype]?.examplesPerSec;
  const theirs = peers.map((p) => p.mlp[dtype]?.examplesPerSec);
  const ratios = theirs.map((t) => (t === undefined ? undefined : mine / t));
  console.log([dtype, fmt(mine, 0), ...theirs.map((t) => fmt(t, 0)), ...ratios.map((r) => fmt(r))].map((s, i) => pad(s, i === 0 ? 14 : 26)).join(""));
}

console.log("\nCNN training step (conv 5×5×8, ReLU, pool 2, conv 5×5×16, ReLU, pool 2, linear 256→10; batch 64, SGD): median examples/s");
console.log(["dtype", "nabla", ...names, ...names.map((n) => `ratio vs ${n}`)].map((s, i) => pad(s, i === 0 ? 14 : 26)).join(""));
{
  const mine = nabla.cnn?.float32?.examplesPerSec;
  const theirs = peers.map((p) => p.cnn?.float32?.examplesPerSec);
  const ratios = theirs.map((t) => (t === undefined || mine === undefined ? undefined : mine / t));
  console.log(["float32", fmt(mine, 0), ...theirs.map((t) => fmt(t, 0)), ...ratios.map((r) => fmt(r))].map((s, i) => pad(s, i === 0 ? 14 : 26)).join(""));
}
