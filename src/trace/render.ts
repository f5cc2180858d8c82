// Printing gradient expressions and values as terminal text or LaTeX (KaTeX-compatible).
import type { Tensor } from "../autograd/tensor.js";
import { evalG, type Scope } from "./evaluate-g.js";
import type { G } from "./gexpr.js";

export type Target = "text" | "latex";

/** How numbers are rounded for display (computation is never rounded). */
export interface Rounding {
  readonly digits: number;
  readonly mode: "significant" | "decimals";
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
  return target === "latex"
    ? `\\frac{\\partial ${displayName(loss, target)}}{\\partial ${displayName(name, target)}}`
    : `∂${displayName(loss, target)}/∂${displayName(name, target)}`;
}

/** A tensor's numbers: scalars plain, vectors [a, b], matrices [[…], […]] (bmatrix in LaTeX). */
export function formatValue(t: Tensor, r: Rounding, target: Target): string {
  const f = (x: number): string => {
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

/** Options of renderG. */
export interface RenderOptions {
  readonly target: Target;
  readonly loss: string;
  readonly rounding: Rounding;
  /** When given, values replace names (the "with numbers" line). */
  readonly scope?: Scope;
}

const FN_TEXT: Record<string, string> = { sigmoid: "σ", Phi: "Φ", phi: "φ", log: "ln", ln: "ln" };
const FN_LATEX: Record<string, string> = {
  sigmoid: "\\sigma", tanh: "\\tanh", exp: "\\exp", log: "\\ln", ln: "\\ln", Phi: "\\Phi", phi: "\\varphi",
  relu: "\\operatorname{ReLU}", sign: "\\operatorname{sign}", softmax: "\\operatorname{softmax}", sum: "\\sum",
};

/** Renders a gradient expression. */
export function renderG(g: G, o: RenderOptions): string {
  const L = o.target === "latex";
  const val = (x: G): string => {
    const t = evalG(x, o.scope as Scope);
    const s = formatValue(t, o.rounding, o.target);
    return t.ndim === 0 && (t.data[0] as number) < 0 ? `(${s})` : s;
  };
  // returns [text, precedence]
  const rec = (x: G): [string, number] => {
    switch (x.k) {
      case "num": return [x.v < 0 ? `(${formatNumber(x.v, o.rounding)})` : formatNumber(x.v, o.rounding), 5];
      case "var": return [o.scope !== undefined ? val(x) : displayName(x.name, o.target), 5];
      case "grad": return [o.scope !== undefined ? val(x) : gradSymbol(o.loss, x.name, o.target), 5];
      case "neg": return [`${L ? "-" : "−"}${wrap(x.a, 3)}`, 3];
      case "add": return [`${wrap(x.a, 1)} + ${wrap(x.b, 1)}`, 1];
      case "sub": return [`${wrap(x.a, 1)} ${L ? "-" : "−"} ${wrap(x.b, 2)}`, 1];
      case "mul": return [`${wrap(x.a, 2)}${L ? " \\cdot " : " · "}${wrap(x.b, 2)}`, 2];
      case "div": return L ? [`\\frac{${rec(x.a)[0]}}{${rec(x.b)[0]}}`, 5] : [`${wrap(x.a, 2)} / ${wrap(x.b, 2.5)}`, 2];
      case "pow": return [L ? `${wrap(x.a, 5)}^{${formatNumber(x.n, o.rounding)}}` : `${wrap(x.a, 5)}${x.n === 2 ? "²" : x.n === 3 ? "³" : `^${formatNumber(x.n, o.rounding)}`}`, 4];
      case "T": return o.scope !== undefined ? [val(x), 5] : [`${wrap(x.a, 5)}${L ? "^{\\top}" : "ᵀ"}`, 5];
      case "mmA": return [`${wrap(x.g, 2)}${L ? " \\cdot " : " · "}${wrap(x.b, 5)}${L ? "^{\\top}" : "ᵀ"}`, 2];
      case "mmB": return [`${wrap(x.a, 5)}${L ? "^{\\top} \\cdot " : "ᵀ · "}${wrap(x.g, 2.5)}`, 2];
      case "bcast": {
        if (x.scale !== "mean") return rec(x.g);
        // the mean's n: symbolic, or the element count when numbers are shown
        const n = o.scope === undefined ? "n" : String(evalG(x.like, o.scope).size);
        return L ? [`\\frac{${rec(x.g)[0]}}{${n}}`, 5] : [`${wrap(x.g, 2)} / ${n}`, 2];
      }
      case "fn": return fnText(x);
      default: return ["?", 5];
    }
  };
  const wrap = (x: G, prec: number): string => {
    const [s, p] = rec(x);
    return p < prec ? (L ? `\\left(${s}\\right)` : `(${s})`) : s;
  };
  const fnText = (x: Extract<G, { k: "fn" }>): [string, number] => {
    if (o.scope !== undefined && !x.fn.startsWith("vjp:")) return [val(x), 5];
    const args = x.args.map((a) => rec(a)[0]);
    const p = x.param === undefined ? "" : `, ${formatNumber(x.param, o.rounding)}`;
    switch (x.fn) {
      case "step": return [L ? `\\mathbb{1}[${args[0]} > 0]` : `[${args[0]} > 0]`, 5];
      case "matmul": return [`${wrap(x.args[0] as G, 2)}${L ? " " : " @ "}${wrap(x.args[1] as G, 2.5)}`, 2];
      case "sqrt": return [L ? `\\sqrt{${args[0]}}` : `√(${args[0]})`, 5];
      case "index": return [`${wrap(x.args[0] as G, 5)}[${x.param ?? 0}]`, 5];
    }
    if (x.fn.startsWith("vjp:")) {
      const f = x.fn.slice(4);
      return [L ? `J_{\\mathrm{${f}}}^{\\top} ${args[0]}` : `J_${f}ᵀ·${args[0]}`, 2];
    }
    const name = L ? (FN_LATEX[x.fn] ?? `\\operatorname{${x.fn}}`) : (FN_TEXT[x.fn] ?? x.fn);
    return [L ? `${name}\\left(${args.join(", ")}${p}\\right)` : `${name}(${args.join(", ")}${p})`, 5];
  };
  return rec(g)[0];
}
