// Autograd's interpretation of the one reverse walk (walk.ts): gradients flow into tensors that
// require them, leaves (and retained intermediates) accumulate `.grad`, the graph is freed unless
// retained, and every step can be traced or checked for non-finite values.
import { AnomalyError, AutogradError } from "../tensor/errors.js";
import { shapesEqual, unbroadcastAxes } from "../tensor/shape.js";
import { emit, tracing } from "./events.js";
import { inBackwardOf, isAnomalyEnabled, runInBackwardOf, withGradMode } from "./mode.js";
import { backend } from "../backend/backend.js";
import { beginScope, endScope, nextTensorId } from "./scope.js";
import type { Tensor } from "./tensor.js";
import { type Accumulate, reverseWalk, topoOrder, type WalkHooks } from "./walk.js";

/** Options of backward(). */
export interface BackwardOptions {
  /** Record the backward pass itself, for gradients of gradients (implies retainGraph). */
  readonly createGraph?: boolean;
  /** Keep the graph so backward can run through it again. */
  readonly retainGraph?: boolean;
}

// Buffers of at least this many numbers are recycled (see recycler).
const RECYCLE_SIZE = 1024;

function checkFinite(op: string, g: Tensor): void {
  for (let i = 0; i < g.data.length; i++) {
    const v = g.data[i] as number;
    if (!Number.isFinite(v)) throw new AnomalyError(`backward produced ${v} at flat index ${i} of a gradient.`, { op });
  }
}

const nodeOf = (t: Tensor): Tensor["node"] => t.node;
const follows = (x: Tensor): boolean => x.requiresGrad;
// NOTE: tensor methods, not the Functional, so that this module needs only Tensor's type (no import cycle).
const F: Accumulate<Tensor> = {
  add: (a, b) => a.add(b),
  sumTo: (g, shape) => (shapesEqual(g.shape, shape) ? g : g.sum(unbroadcastAxes(g.shape, shape), true).reshape(shape)),
};

/**
 * Propagates `seed` (∂L/∂root) back through the graph. With `targets`, returns their gradients
 * (undefined for a target no gradient reached) and leaves every `.grad` untouched; without,
 * accumulates into the leaves' (and retained) `.grad`.
 */
export function backward(root: Tensor, seed: Tensor, options: BackwardOptions, targets: readonly Tensor[] | null): (Tensor | undefined)[] | null {
  const createGraph = options.createGraph ?? false;
  const retain = options.retainGraph ?? createGraph;
  const order = topoOrder(root, nodeOf, follows);
  for (const t of order) {
    if (t.node !== null && t.node.vjp === null) {
      throw new AutogradError("the graph was already freed by an earlier backward().", { op: `backward through ${t.node.op}`, hint: "Pass {retainGraph: true} to the first backward() call." });
    }
  }
  const wanted = new Set(targets ?? []);
  const recycle = recycler(createGraph, order);
  const grads = withGradMode(createGraph, () => inBackwardOf("backward", () => recycle.done(() => reverseWalk(root, seed, nodeOf, F, {
    order,
    follows,
    keep: (t) => wanted.has(t),
    ...recycle.hooks,
    onGrad(t, g) {
      if (targets !== null || (t.node !== null && !t.retainsGrad)) return;
      recycle.expose(g);
      const own = createGraph ? g : g.detach();
      t.grad = t.grad === null ? own : t.grad.add(own);
      if (tracing()) emit({ kind: "leaf-grad", tensor: t, grad: t.grad });
    },
    runVjp: (node, g) => (node.vjp === null ? [] : runInBackwardOf(node.op, node.vjp, g)),
    onBackward(node, output, gradOut, gs) {
      if (tracing()) emit({ kind: "backward", op: node.op, output, gradOut, inputs: node.inputs, grads: gs });
      if (!retain) node.vjp = null;
    },
    onShare(node, share) {
      if (isAnomalyEnabled()) checkFinite(node.op, share);
    },
  }))));
  return targets === null ? null : targets.map((x) => grads.get(x));
}

/**
 * Returns to the backend's pool the storage of what backward made and no one can see: each node's
 * temporaries (what its rule, unbroadcasting and accumulation made and the walk does not keep) and
 * each gradient once consumed. Never a gradient handed to `.grad` (it shares storage: detach()), a
 * tensor made before this backward, or anything while a graph is recorded or traced (either may
 * hold it). The storage goes back to the pool, which hands it out zeroed with its version reset.
 * NOTE: only graphs with large tensors, and only large buffers: for homework-sized graphs the
 * bookkeeping costs more than new small typed arrays do.
 */
function recycler(createGraph: boolean, order: readonly Tensor[]) {
  let largest = 0;
  for (const t of order) if (t.size > largest) largest = t.size;
  const on = !createGraph && !tracing() && largest >= RECYCLE_SIZE;
  const start = nextTensorId();
  const exposed = new Set<Tensor>();
  let outer: Tensor[] | null = null;
  const free = (t: Tensor): void => {
    if (t.id >= start && t.size >= RECYCLE_SIZE && !exposed.has(t)) backend().free(t.data);
  };
  const hooks: Pick<WalkHooks<Tensor>, "release" | "enter" | "leave"> = on ? {
    release: free,
    enter() { outer = beginScope(); },
    leave(held) {
      for (const t of endScope(outer)) if (!held(t)) free(t);
    },
  } : {};
  return {
    hooks,
    expose(g: Tensor): void { if (on) exposed.add(g); },
    /** Closes a scope left open by an exception. */
    done<T>(fn: () => T): T {
      try {
        return fn();
      } finally {
        if (on) endScope(outer);
      }
    },
  };
}
