// Timing helpers shared by the benchmark workers: warm up, then the median of repeated runs.
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs fn (which may be async) `warmup` times, then returns the median ms over `reps` runs. */
export async function time(fn, { warmup = 2, reps = 7, minMs = 0 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const ts = [];
  const start = performance.now();
  while (ts.length < reps || performance.now() - start < minMs) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

export const GEMM_SIZES = [64, 256, 1024];
export const MLP = { batch: 64, in: 784, hidden: 256, out: 10, lr: 0.01 };
/** The CNN of issue 9: conv 5×5×8 → ReLU → max-pool 2 → conv 5×5×16 → ReLU → max-pool 2 → linear 256→10, batch 64, float32, SGD. */
export const CNN = { batch: 64, lr: 0.01 };
export const repsFor = (n) => (n >= 1024 ? 5 : n >= 256 ? 30 : 300);
// Warm-up as long as the measurement for small sizes, so every peer is timed after its JIT settles.
export const warmupFor = (n) => (n >= 1024 ? 2 : repsFor(n));

/** Fashion-MNIST-shaped data: pixels in [0, 1), labels 0..9 (deterministic). */
export function mlpData(seed = 1) {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const x = new Float32Array(MLP.batch * MLP.in).map(() => rnd());
  const y = Array.from({ length: MLP.batch }, () => Math.floor(rnd() * MLP.out));
  return { x, y };
}
