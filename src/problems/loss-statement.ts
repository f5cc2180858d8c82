// A problem's loss as a statement of the expression language, built as a syntax tree that calls the
// library's own loss definitions (expr/functions.ts → ops/composites.ts): `kind: bce` is bceLoss with
// its clamp, `bce-with-logits` the stable softplus form, never a restated formula.
import type { Expr, Span, Statement } from "../expr/ast.js";
import { printExpr } from "../symbolic/print-ast.js";
import type { Problem } from "./schema.js";

const at: Span = { start: 0, end: 0, line: 1, column: 1 };
const v = (name: string): Expr => ({ kind: "var", name, span: at });
const n = (value: number): Expr => ({ kind: "num", value, span: at });
const call = (fn: string, ...args: Expr[]): Expr => ({ kind: "call", fn, args, span: at });
const times = (left: Expr, right: Expr): Expr => ({ kind: "binary", op: "*", left, right, span: at });

/** The loss statement for a prediction of the given shape, and the conventions it uses. */
export function lossStatement(p: Problem, pred: string, predShape: readonly number[]): { statement: Statement; conventions: string[] } {
  const l = p.loss;
  const y = v(l.target), yhat = v(pred);
  const count = predShape.reduce((a, b) => a * b, 1);
  const scalar = predShape.length === 0 || predShape.every((d) => d === 1);
  const reduce = (elementwise: Expr): Expr => (scalar ? elementwise : call(l.reduction, elementwise));
  const red = scalar ? [] : [`reduction over the ${count} outputs: ${l.reduction}`];
  let expr: Expr;
  let conventions: string[];
  switch (l.kind) {
    case "mse": {
      const sq = call("squarederror", yhat, y);
      expr = reduce(l.half ? times(n(0.5), sq) : sq);
      conventions = [`squared error ${l.half ? "with" : "without"} the ½ factor (half: ${l.half})`, ...red];
      break;
    }
    case "l1": expr = reduce(call("absoluteerror", yhat, y)); conventions = red; break;
    case "huber":
      expr = reduce(call("huberloss", yhat, y, n(l.delta)));
      conventions = [`Huber: ½d² where |d| < δ, δ(|d| − ½δ) elsewhere, δ = ${l.delta} (derivative δ·sign d at |d| = δ, where both branches agree)`, ...red];
      break;
    case "bce":
      expr = reduce(call("bce", yhat, y));
      conventions = ["binary cross-entropy with the natural log, each log clamped at −100 (PyTorch's BCELoss)", ...red];
      break;
    case "bce-with-logits":
      expr = reduce(call("bcewithlogits", yhat, y));
      conventions = ["binary cross-entropy on logits (σ applied inside the loss, computed stably as softplus(z) − z·y), natural log", ...red];
      break;
    case "cross-entropy": {
      const ce = l.from === "logits" ? call("crossentropy", yhat, y) : call("nll", yhat, y);
      expr = predShape.length >= 2 ? call(l.reduction, ce) : ce;
      conventions = [l.from === "logits" ? "cross-entropy on logits: −Σ y·log softmax(z) (PyTorch's CrossEntropyLoss)" : "cross-entropy on probabilities: −Σ y·log ŷ (softmax already applied)", "natural log"];
      break;
    }
    case "formula": throw new Error("formula losses are parsed from the problem file");
  }
  const text = printExpr(expr, "expr", { digits: 17, mode: "significant" });
  return { statement: { name: l.name, expr, span: at, text }, conventions };
}
