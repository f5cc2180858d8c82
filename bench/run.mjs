// `npm run bench`: one process per peer, one report of medians and nabla/peer ratios, and a JSON of
// the run in bench/results/. Flags: --only gemm,mlp,tiny[,drift,soak]  --rounds N (peers interleaved N
// times, best median kept per case: the machine is shared)  --peers list  --reference (write the
// PyTorch figures of this run to bench/reference/pytorch.json, used when Python is absent).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { flag } from "./common.mjs";
import { report } from "./report.mjs";
import { startupTimes } from "./startup.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
if (process.argv.includes("--startup")) {
  const times = startupTimes();
  console.log("CLI start-up: median wall time of 9 processes (target < 0.3 s)");
  for (const [name, ms] of Object.entries(times)) console.log(`${name.padEnd(28)}${(ms / 1000).toFixed(3).padStart(8)} s`);
  process.exit(0);
}
const only = flag("only", "gemm,mlp,tiny");
const rounds = Number(flag("rounds", "1"));
const wanted = new Set(flag("peers", "nabla,nabla-2thread,micrograd,jax-js,tfjs-wasm,pytorch-1thread,pytorch-2thread").split(","));
const py = "/usr/bin/python3";
const hasTorch = (() => {
  try {
    execFileSync(existsSync(py) ? py : "python3", ["-c", "import torch"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

// NOTE: one-thread peers are timed in CPU time (common.mjs); V8's parallel GC helpers would add their
// spinning on this loaded 2-core machine to it, so every Node peer collects on its main thread.
// NOTE: nabla's tiny steps run in a process of their own, as the micrograd-style reference does:
// after the large workloads, V8's inline caches are polymorphic and homework-sized steps slow down.
const within = (keep) => only.split(",").filter((p) => keep.includes(p)).join(",");
const node = (file, ...args) => () => ["node", ["--expose-gc", "--single-threaded-gc", here + file, ...args, "--only", only], {}];
const nodeParts = (file, keep, ...args) => within(keep) === "" ? null : () => ["node", ["--expose-gc", "--single-threaded-gc", here + file, ...args, "--only", within(keep)], {}];
const torch = (threads) => () => [existsSync(py) ? py : "python3", [here + "torch_peer.py", String(threads), "--only", only],
  { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), OMP_WAIT_POLICY: "PASSIVE" }];
const peers = [
  ["nabla", nodeParts("nabla.mjs", ["gemm", "mlp", "soak"])],
  ["nabla", nodeParts("nabla.mjs", ["tiny", "drift"])],
  ["nabla-2thread", nodeParts("nabla.mjs", ["gemm", "mlp"], "--threads", "2", "--clock", "wall")],
  ["micrograd", node("micrograd.mjs")],
  ["jax-js", node("jaxjs.mjs")],
  ["tfjs-wasm", node("tfjs.mjs", "wasm")],
  ["tfjs-cpu", node("tfjs.mjs", "cpu")],
  ["pytorch-1thread", hasTorch ? torch(1) : null],
  ["pytorch-2thread", hasTorch ? torch(2) : null],
].filter(([name, cmd]) => wanted.has(name) && cmd !== null);
if (!hasTorch) console.error("PyTorch not installed (apt-get install python3-torch): its ratios come from bench/reference/pytorch.json");

// Keeps, per case, the fastest of the rounds' medians.
function merge(prev, next) {
  if (prev === undefined) return next;
  const out = { ...prev, ...next };
  for (const part of ["gemm", "mlp", "tiny", "byHand"]) {
    if (next[part] === undefined) continue;
    out[part] = { ...prev[part] };
    for (const [k, v] of Object.entries(next[part])) {
      const p = prev[part]?.[k];
      const better = p === undefined || (typeof v === "number" ? v < p : (v.msPerStep ?? v.usPerStep) < (p.msPerStep ?? p.usPerStep));
      if (better) out[part][k] = v;
    }
  }
  return out;
}

const results = {};
const loads = [loadavg()[0]];
for (let r = 0; r < rounds; r++) {
  for (const [name, cmd] of peers) {
    const [bin, args, env] = cmd();
    console.error(`running ${name}${rounds > 1 ? ` (round ${r + 1}/${rounds})` : ""} … load ${loadavg()[0].toFixed(2)}`);
    try {
      const out = execFileSync(bin, args, { encoding: "utf8", maxBuffer: 1 << 26, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "ignore"] });
      results[name] = merge(results[name], JSON.parse(out));
    } catch (e) {
      console.error(`  ${name} failed: ${String(e.message).split("\n")[0]}`);
    }
    loads.push(loadavg()[0]);
  }
}

const refPath = here + "reference/pytorch.json";
let reference = null;
if (!hasTorch && existsSync(refPath)) reference = JSON.parse(readFileSync(refPath, "utf8"));
const run = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? "?",
  cores: cpus().length,
  loadAverages: loads,
  only,
  rounds,
  results,
  ...(reference === null ? {} : { pytorchReference: reference }),
};
// The CNN step of issue 9 (its own script, all its peers): with --only …,cnn.
if (only.split(",").includes("cnn")) execFileSync("node", [here + "cnn.mjs"], { stdio: ["ignore", "inherit", "inherit"] });

// CLI start-up (whole processes, wall time): `--startup` runs only this.
console.error("timing CLI start-up …");
run.startup = startupTimes();
const summary = report(run);
console.log("\nCLI start-up: median wall time of 9 processes (target < 0.3 s)");
for (const [name, ms] of Object.entries(run.startup)) console.log(`${name.padEnd(28)}${(ms / 1000).toFixed(3).padStart(8)} s`);
run.summary = summary;
mkdirSync(here + "results", { recursive: true });
const file = `${here}results/${run.date.replace(/[:.]/g, "-")}.json`;
writeFileSync(file, JSON.stringify(run, null, 1));
console.error(`\nwrote ${file}`);
if (process.argv.includes("--reference")) {
  const torchRuns = Object.fromEntries(Object.entries(results).filter(([k]) => k.startsWith("pytorch")));
  mkdirSync(here + "reference", { recursive: true });
  writeFileSync(refPath, JSON.stringify({ date: run.date, cpu: run.cpu, cores: run.cores, loadAverages: loads, results: torchRuns }, null, 1));
  console.error(`wrote ${refPath}`);
}

