// Names and numbers as a reader sees them: terminal text or LaTeX (KaTeX-compatible), and nabla's
// own expression language for formulas that must parse back.
import type { Tensor } from "../autograd/tensor.js";

/** Where printed formulas go: a terminal, LaTeX, or the expression language (parseable). */
export type Target = "text" | "latex" | "expr";

/** How numbers are rounded for display (computation is never rounded). */
export interface Rounding {
  readonly digits: number;
  readonly mode: "significant" | "decimals";
}

/** A number that parses back to the same double (the expression language's syntax). */
export function exactNumber(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "1e999" : "-1e999";
  return Object.is(x, -0) ? "-0" : String(x);
}

/** Formats one number for display. */
export function formatNumber(x: number, r: Rounding): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  const s = r.mode === "decimals" ? x.toFixed(r.digits) : Number(x.toPrecision(r.digits)).toString();
  const trimmed = r.mode === "decimals" && s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
  return trimmed === "-0" ? "0" : trimmed;
}

const GREEK: Record<string, [string, string]> = {
  alpha: ["α", "\\alpha"], beta: ["β", "\\beta"], gamma: ["γ", "\\gamma"], delta: ["δ", "\\delta"], eta: ["η", "\\eta"],
  theta: ["θ", "\\theta"], lambda: ["λ", "\\lambda"], mu: ["μ", "\\mu"], sigma: ["σ", "\\sigma"], ell: ["ℓ", "\\ell"],
};

/** Display form of a variable name: yhat → ŷ / \hat{y}, w1 → w1 / w_{1}, theta → θ. */
export function displayName(name: string, target: Target): string {
  if (target === "expr") return name;
  const tilde = /^(.+?)_?tilde$/.exec(name);
  if (tilde !== null) {
    const base = displayName(tilde[1] as string, target);
    return target === "latex" ? `\\tilde{${base}}` : base.length === 1 ? `${base}\u0303` : `${base}~`;
  }
  const hat = /^(.+?)_?hat$/.exec(name);
  if (hat !== null) {
    const base = displayName(hat[1] as string, target);
    return target === "latex" ? `\\hat{${base}}` : base.length === 1 ? `${base}\u0302` : `${base}^`;
  }
  const m = /^([A-Za-z]+?)_?(\d+)$/.exec(name);
  if (m !== null) {
    const base = displayName(m[1] as string, target);
    return target === "latex" ? `${base}_{${m[2]}}` : `${base}${m[2]}`;
  }
  const g = GREEK[name];
  if (g !== undefined) return target === "latex" ? g[1] : g[0];
  if (target === "latex" && name.length > 1) return `\\mathit{${name.replace(/_/g, "\\_")}}`;
  return name;
}

/** ∂L/∂x in the target notation. */
export function gradSymbol(loss: string, name: string, target: Target): string {
  if (target === "expr") return `d${loss}_d${name}`;
  return target === "latex"
    ? `\\frac{\\partial ${displayName(loss, target)}}{\\partial ${displayName(name, target)}}`
    : `∂${displayName(loss, target)}/∂${displayName(name, target)}`;
}

/** A tensor's numbers: scalars plain, vectors [a, b], matrices [[…], […]] (bmatrix in LaTeX). */
export function formatValue(t: Tensor, r: Rounding | "exact", target: Target): string {
  const f = (x: number): string => {
    if (r === "exact" || target === "expr") return exactNumber(x);
    const s = formatNumber(x, r);
    return target === "latex" ? s.replace("∞", "\\infty").replace("−", "-") : s;
  };
  if (t.ndim === 0 || t.size === 1 && t.ndim === 0) return f(t.data[0] as number);
  if (target === "latex") {
    if (t.ndim === 1) return `\\begin{bmatrix} ${Array.from(t.data, f).join(" \\\\ ")} \\end{bmatrix}`;
    if (t.ndim === 2) {
      const [m, n] = t.shape as [number, number];
      const rows = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => f(t.data[i * n + j] as number)).join(" & "));
      return `\\begin{bmatrix} ${rows.join(" \\\\ ")} \\end{bmatrix}`;
    }
  }
  const nest = (axis: number, off: number, stride: number): string => {
    const d = t.shape[axis] as number;
    const inner = stride / d;
    const parts = Array.from({ length: d }, (_, i) => (axis === t.ndim - 1 ? f(t.data[off + i] as number) : nest(axis + 1, off + i * inner, inner)));
    return `[${parts.join(", ")}]`;
  };
  return nest(0, 0, t.size);
}
