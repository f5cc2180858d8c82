// The backward engine: topological order from the root, seed, reverse walk calling each node's
// vector-Jacobian product, unbroadcast to each input's shape, accumulate.
import { AnomalyError, AutogradError } from "../tensor/errors.js";
import { shapesEqual, unbroadcastAxes } from "../tensor/shape.js";
import { emit, tracing } from "./events.js";
import { inBackwardOf, isAnomalyEnabled, withGradMode } from "./mode.js";
import type { Tensor } from "./tensor.js";

/** Options of backward(). */
export interface BackwardOptions {
  /** Record the backward pass itself, for gradients of gradients (implies retainGraph). */
  readonly createGraph?: boolean;
  /** Keep the graph so backward can run through it again. */
  readonly retainGraph?: boolean;
}

function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as [Tensor, number];
    const [t, i] = top;
    const inputs = t.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1] = i + 1;
      const x = inputs[i] as Tensor;
      if (x.requiresGrad && !seen.has(x)) {
        seen.add(x);
        stack.push([x, 0]);
      }
    } else {
      order.push(t);
      stack.pop();
    }
  }
  return order; // inputs before outputs
}

function checkFinite(op: string, g: Tensor): void {
  for (let i = 0; i < g.data.length; i++) {
    const v = g.data[i] as number;
    if (!Number.isFinite(v)) throw new AnomalyError(`backward produced ${v} at flat index ${i} of a gradient.`, { op });
  }
}

/**
 * Propagates `seed` (∂L/∂root) back through the graph. With `targets`, returns their gradients
 * (undefined for a target no gradient reached) and leaves every `.grad` untouched; without,
 * accumulates into the leaves' (and retained) `.grad`.
 */
export function backward(root: Tensor, seed: Tensor, options: BackwardOptions, targets: readonly Tensor[] | null): (Tensor | undefined)[] | null {
  const createGraph = options.createGraph ?? false;
  const retain = options.retainGraph ?? createGraph;
  const order = topoOrder(root);
  const wanted = new Set(targets ?? []);
  for (const t of order) {
    if (t.node !== null && t.node.vjp === null) {
      throw new AutogradError("the graph was already freed by an earlier backward().", { op: `backward through ${t.node.op}`, hint: "Pass {retainGraph: true} to the first backward() call." });
    }
  }
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  withGradMode(createGraph, () => inBackwardOf("backward", () => {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i] as Tensor;
      const g = grads.get(t);
      if (g === undefined) continue;
      if (targets === null && (t.node === null || t.retainsGrad)) {
        const own = createGraph ? g : g.detach();
        t.grad = t.grad === null ? own : t.grad.add(own);
        if (tracing()) emit({ kind: "leaf-grad", tensor: t, grad: t.grad });
      }
      if (!wanted.has(t)) grads.delete(t);
      const node = t.node;
      if (node === null || node.vjp === null) continue;
      const vjp = node.vjp;
      const gs = inBackwardOf(node.op, () => vjp(g));
      if (tracing()) emit({ kind: "backward", op: node.op, output: t, gradOut: g, inputs: node.inputs, grads: gs });
      node.inputs.forEach((x, j) => {
        const gx = gs[j];
        if (gx === null || gx === undefined || !x.requiresGrad) return;
        const r = unbroadcast(gx, x);
        if (isAnomalyEnabled()) checkFinite(node.op, r);
        const prev = grads.get(x);
        grads.set(x, prev === undefined ? r : prev.add(r));
      });
      if (!retain) node.vjp = null;
    }
  }));
  return targets === null ? null : targets.map((x) => grads.get(x));
}

// Reduces a gradient to its input's shape (the engine's single unbroadcast point).
function unbroadcast(g: Tensor, x: Tensor): Tensor {
  if (shapesEqual(g.shape, x.shape)) return g;
  const s = g.sum(unbroadcastAxes(g.shape, x.shape), true);
  return shapesEqual(s.shape, x.shape) ? s : s.reshape(x.shape);
}
