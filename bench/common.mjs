// What every peer measures, and the timing helpers they share: warm up, then the median of repeated runs.
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Parses `--name value` flags of a peer script. */
export function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/**
 * Milliseconds of this process's CPU time (`--clock cpu`, the default) or of wall time (`--clock
 * wall`). NOTE: the machine is shared, so one-thread peers are timed by the CPU time they get, which
 * other processes' load does not stretch (their cache and memory traffic still can).
 */
export const clock = flag("clock", "cpu") === "wall"
  ? () => performance.now()
  : () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

/**
 * Runs fn (which may be async) `warmup` times (or for `warmupMs` of wall time, when that ends
 * first), then returns the median ms per call over `reps` samples, each sample long enough
 * (≥ `minMs`) for the clock's resolution.
 */
export async function time(fn, { warmup = 2, warmupMs = Infinity, reps = 7, minMs = 3 } = {}) {
  const until = performance.now() + warmupMs;
  for (let i = 0; i < warmup && performance.now() < until; i++) await fn();
  let t0 = clock();
  await fn();
  const once = Math.max(clock() - t0, 1e-3);
  const inner = Math.max(1, Math.ceil(minMs / once));
  const ts = [];
  for (let r = 0; r < reps; r++) {
    t0 = clock();
    for (let i = 0; i < inner; i++) await fn();
    ts.push((clock() - t0) / inner);
  }
  return median(ts);
}

/** Square GEMM sizes, in both layouts: A·B, and A·Bᵀ (the `x Wᵀ` of nn.Linear). */
export const GEMM_SIZES = [64, 128, 256, 512, 1024];
export const LAYOUTS = ["nn", "nt"];
export const gemmKey = (dtype, layout, n) => `${dtype}-${layout}-${n}`;
export const repsFor = (n) => (n >= 1024 ? 5 : n >= 512 ? 7 : 15);
// Warm-up long enough for small sizes that every peer is timed after its JIT settles.
export const warmupFor = (n) => (n >= 512 ? 2 : n >= 256 ? 20 : 200);

/** The MLP 784-256-10 (ReLU, softmax cross-entropy, SGD) on Fashion-MNIST-shaped data. */
// NOTE: warm-up of 250 steps (at most 1 s): a JavaScript peer's step keeps speeding up for ~200 steps
// as its JIT settles (nabla f32 b64, one thread: steps 20–90 ran at 36k examples/s, steps 225+ at 41k)
export const MLP = { in: 784, hidden: 256, out: 10, lr: 0.01, batches: [64, 128], warmup: 250, warmupMs: 1000, reps: 40 };
export const mlpKey = (dtype, batch, variant) => `${dtype}-b${batch}-${variant}`;

/** Fashion-MNIST-shaped data: pixels in [0, 1), labels 0..9 (deterministic). */
export function mlpData(batch, seed = 1) {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const x = new Float32Array(batch * MLP.in).map(() => rnd());
  const y = Array.from({ length: batch }, () => Math.floor(rnd() * MLP.out));
  return { x, y };
}

/**
 * Homework-sized training steps in float64 (forward, backward, SGD update, gradients cleared):
 * a 4-input sigmoid neuron with binary cross-entropy, and a 3-3-3 sigmoid MLP with mean squared
 * error. Weights are W[i][j] from input i to output j (h = σ(x W + b)).
 */
export const TINY = {
  neuron: { x: [0.5, -1.2, 0.3, 2.0], w: [0.1, -0.2, 0.3, -0.4], b: 0.05, y: 1, lr: 0.1 },
  mlp333: {
    x: [0.5, -1.2, 0.3],
    W1: [[0.1, -0.2, 0.3], [-0.4, 0.5, -0.6], [0.7, -0.8, 0.9]],
    b1: [0.01, -0.02, 0.03],
    W2: [[-0.3, 0.2, -0.1], [0.6, -0.5, 0.4], [-0.9, 0.8, -0.7]],
    b2: [-0.01, 0.02, -0.03],
    y: [0.2, 0.7, 0.1],
    lr: 0.1,
  },
  /** Steps per timing block, blocks timed (median µs/step reported), and the long run for drift. */
  block: 1000,
  blocks: 15,
  longSteps: 200_000,
};

/**
 * Times a tiny step: warm-up, the µs/step of the fastest of `TINY.blocks` blocks; with `long`, also the
 * µs/step of the first and the last 10k steps of a `TINY.longSteps` run (flat means no slowdown as
 * garbage accumulates) and the resident set size before and after it.
 */
export function timeTiny(step, { long = false } = {}) {
  const runBlock = (n) => {
    const t0 = clock();
    for (let i = 0; i < n; i++) step();
    return ((clock() - t0) * 1000) / n;
  };
  // NOTE: a forced full collection shrinks V8's young generation, and steps run slower until it
  // grows back, so the only forced one comes before the warm-up
  if (long) globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  runBlock(5 * TINY.block);
  // NOTE: the fastest block, not the median: on a shared machine a block is only ever slowed down.
  const us = Math.min(...Array.from({ length: TINY.blocks }, () => runBlock(TINY.block)));
  if (!long) return { usPerStep: us };
  const window = 10_000;
  const first = runBlock(window);
  runBlock(TINY.longSteps - 2 * window);
  const last = runBlock(window);
  globalThis.gc?.();
  const rssAfter = process.memoryUsage().rss;
  return { usPerStep: us, usFirst10k: first, usLast10k: last, rssBeforeMB: rssBefore / 2 ** 20, rssAfterMB: rssAfter / 2 ** 20 };
}

/** The parts of the benchmark to run (`--only gemm,mlp,tiny,drift,soak`: drift = 200k tiny steps, soak = RSS over 10k MLP steps). */
export function parts() {
  return new Set(flag("only", "gemm,mlp,tiny").split(","));
}
