// Symbolic reverse mode over a statement's syntax tree: for each variable the right-hand side
// reads, the expression of its gradient contribution in terms of the upstream gradient.
import type { Expr } from "../expr/ast.js";
import { add, div, fn, type G, matmul, mul, neg, num, one, pow, sub } from "./gexpr.js";

/** Deliberate mistakes, used by the answer checker to explain a student's number. */
export interface Mutations {
  /** tanh′(a) written as 1 − tanh(a²) (seed 001's answer key). */
  readonly tanhSquaredInside?: boolean;
  /** σ′ written from the pre-activation: a(1 − a) instead of σ(a)(1 − σ(a)). */
  readonly sigmoidFromInput?: boolean;
  /** σ′ written from the output twice: σ(σ(a))(1 − σ(σ(a))). */
  readonly sigmoidOfOutput?: boolean;
}

/** An expression as a G tree (same meaning, printable and evaluable). */
export function toG(e: Expr): G {
  switch (e.kind) {
    case "num": return num(e.value);
    case "var": return { k: "var", name: e.name };
    case "neg": return neg(toG(e.arg));
    case "transpose": return { k: "T", a: toG(e.arg) };
    case "array": return fn("array", e.items.map(toG));
    case "call": {
      const params = e.args.slice(1).map((a) => (a.kind === "num" ? a.value : a.kind === "neg" && a.arg.kind === "num" ? -a.arg.value : NaN));
      const p = params[0];
      return p === undefined || Number.isNaN(p) ? fn(e.fn, e.args.map(toG)) : fn(e.fn, [toG(e.args[0] as Expr)], p);
    }
    case "binary": {
      const a = toG(e.left), b = toG(e.right);
      switch (e.op) {
        case "+": return { k: "add", a, b };
        case "-": return { k: "sub", a, b };
        case "*": return { k: "mul", a, b };
        case "/": return { k: "div", a, b };
        case "@": return matmul(a, b);
        case "^": return b.k === "num" ? { k: "pow", a, n: b.v } : fn("powt", [a, b]);
      }
    }
  }
}

/** d f(a)/da for elementwise functions, as an expression in a (null when not elementwise). */
export function derivative(name: string, a: G, param: number | undefined, m: Mutations): G | null {
  const s = fn("sigmoid", [a]);
  switch (name) {
    case "exp": return fn("exp", [a]); // ∂eᵃ/∂a = eᵃ
    case "log": case "ln": return div(one, a); // ∂ln a/∂a = 1/a
    case "sqrt": return div(one, mul(num(2), fn("sqrt", [a]))); // ∂√a/∂a = 1/(2√a)
    case "abs": return fn("sign", [a]);
    case "sigmoid": // ∂σ(a)/∂a = σ(a)(1 − σ(a))
      if (m.sigmoidFromInput === true) return mul(a, sub(one, a));
      if (m.sigmoidOfOutput === true) { const ss = fn("sigmoid", [s]); return mul(ss, sub(one, ss)); }
      return mul(s, sub(one, s));
    case "tanh": // ∂tanh a/∂a = 1 − tanh²a
      return m.tanhSquaredInside === true ? sub(one, fn("tanh", [pow(a, 2)])) : sub(one, pow(fn("tanh", [a]), 2));
    case "relu": return fn("step", [a]); // [a > 0], 0 at the kink (PyTorch)
    case "leakyrelu": return fn("leakystep", [a], param ?? 0.01);
    case "softplus": return s;
    case "silu": return mul(s, add(one, mul(a, sub(one, s))));
    case "gelu": return add(fn("Phi", [a]), mul(a, fn("phi", [a])));
    case "elu": return fn("eluprime", [a], param ?? 1);
    case "huber": return fn("huberprime", [a], param ?? 1); // d where |d| < δ, δ·sign(d) elsewhere
    default: return null;
  }
}

/** A contribution of one use of a variable: ∂L/∂name ∋ g. */
export interface Contribution {
  readonly name: string;
  readonly g: G;
}

/** Gradient contributions of every variable read by `e`, given upstream gradient `g`. */
export function vjp(e: Expr, g: G, m: Mutations = {}): Contribution[] {
  switch (e.kind) {
    case "num": return [];
    case "var": return [{ name: e.name, g }];
    case "neg": return vjp(e.arg, neg(g), m);
    case "transpose": return vjp(e.arg, { k: "T", a: g }, m);
    case "array": return e.items.flatMap((it, i) => vjp(it, fn("index", [g], i), m));
    case "binary": {
      const a = toG(e.left), b = toG(e.right);
      switch (e.op) {
        case "+": return [...vjp(e.left, g, m), ...vjp(e.right, g, m)];
        case "-": return [...vjp(e.left, g, m), ...vjp(e.right, neg(g), m)];
        // ∂(a·b)/∂a = b, ∂(a·b)/∂b = a
        case "*": return [...vjp(e.left, mul(g, b), m), ...vjp(e.right, mul(g, a), m)];
        // ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b²
        case "/": return [...vjp(e.left, div(g, b), m), ...vjp(e.right, neg(div(mul(g, a), pow(b, 2))), m)];
        // ∂(A B)/∂A = G Bᵀ, ∂(A B)/∂B = Aᵀ G
        case "@": return [...vjp(e.left, { k: "mmA", g, a, b }, m), ...vjp(e.right, { k: "mmB", g, a, b }, m)];
        case "^": {
          if (b.k === "num") return vjp(e.left, mul(g, mul(num(b.v), pow(a, b.v - 1))), m); // ∂aⁿ/∂a = n aⁿ⁻¹
          const y = fn("powt", [a, b]);
          return [...vjp(e.left, mul(g, mul(b, div(y, a))), m), ...vjp(e.right, mul(g, mul(y, fn("log", [a]))), m)];
        }
      }
      return [];
    }
    case "call": {
      const arg = e.args[0];
      if (arg === undefined) return [];
      const a = toG(arg);
      const p = e.args[1]?.kind === "num" ? e.args[1].value : undefined;
      const d = derivative(e.fn, a, p, m);
      if (d !== null) return vjp(arg, mul(g, d), m);
      const axisGiven = e.args.length > 1;
      switch (e.fn) {
        // NOTE: a number upstream is broadcast implicitly (the step's value is expanded to the variable's shape).
        case "sum": if (!axisGiven) return vjp(arg, g.k === "num" ? g : { k: "bcast", g, like: a, scale: "sum" }, m); break;
        case "mean": if (!axisGiven) return vjp(arg, { k: "bcast", g, like: a, scale: "mean" }, m); break;
        case "transpose": return vjp(arg, { k: "T", a: g }, m);
        case "dot": {
          const b = toG(e.args[1] as Expr);
          return [...vjp(arg, mul(g, b), m), ...vjp(e.args[1] as Expr, mul(g, a), m)];
        }
        case "softmax": if (!axisGiven) { // ∂/∂a = s ⊙ (g − ⟨g, s⟩)
          const s = fn("softmax", [a]);
          return vjp(arg, mul(s, sub(g, fn("sum", [mul(g, s)]))), m);
        } break;
        case "logsoftmax": if (!axisGiven) return vjp(arg, sub(g, mul(fn("softmax", [a]), fn("sum", [g]))), m);
      }
      // Anything else: the engine's own vector-Jacobian product, printed as Jᵀg.
      return e.args.flatMap((x, i) => (x.kind === "num" ? [] : vjp(x, fn(`vjp:${e.fn}`, [g, ...e.args.map(toG)], i), m)));
    }
  }
}
