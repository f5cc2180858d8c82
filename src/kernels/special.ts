// Special functions JavaScript lacks. erf is accurate to ≲1e-15 relative in float64.

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const SPLIT = 134217729; // 2^27 + 1, Dekker splitting

/** exp(-x²) without the error amplification of rounding x² first. */
function expNegSquare(x: number): number {
  // x² = hi + lo exactly (Dekker), then exp(-hi)·exp(-lo) with exp(-lo) ≈ 1 - lo.
  const t = SPLIT * x;
  const xh = t - (t - x);
  const xl = x - xh;
  const hi = x * x;
  const lo = xh * xh - hi + 2 * xh * xl + xl * xl;
  return Math.exp(-hi) * (1 - lo);
}

/** erfc(x) for x ≥ 2.5 by the continued fraction e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))). */
function erfcLarge(x: number): number {
  let f = x;
  for (let n = 80; n >= 1; n--) f = x + n / 2 / f;
  return (expNegSquare(x) / f) * (TWO_OVER_SQRT_PI / 2);
}

/** The error function erf(x) = 2/√π ∫₀ˣ e^{-t²} dt. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax >= 6) return Math.sign(x);
  if (ax >= 2.5) {
    const r = 1 - erfcLarge(ax);
    return x < 0 ? -r : r;
  }
  // erf(x) = 2/√π · e^{-x²} · Σ_n x (2x²)^n / (2n+1)!!  (all terms positive: no cancellation)
  const q = 2 * ax * ax;
  let term = ax;
  let sum = ax;
  for (let n = 1; n < 200; n++) {
    term *= q / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  const r = TWO_OVER_SQRT_PI * expNegSquare(ax) * sum;
  return x < 0 ? -r : r;
}
