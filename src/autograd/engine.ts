// Autograd's interpretation of the one reverse walk (walk.ts): gradients flow into tensors that
// require them, leaves (and retained intermediates) accumulate `.grad`, the graph is freed unless
// retained, and every step can be traced or checked for non-finite values.
import { AnomalyError, AutogradError } from "../tensor/errors.js";
import { onlyLeadingAxes, shapesEqual, unbroadcastAxes } from "../tensor/shape.js";
import { emit, tracing } from "./events.js";
import { isAnomalyEnabled, swapBackwardOf, swapGradMode, WALK } from "./mode.js";
import { backend } from "../backend/backend.js";
import { beginScope, endScope, nextTensorId } from "./scope.js";
import type { Tensor } from "./tensor.js";
import { type Accumulate, reverseWalk, topoOrder, type WalkHooks, type WalkNode } from "./walk.js";

/** Options of backward(). */
export interface BackwardOptions {
  /** Record the backward pass itself, for gradients of gradients (implies retainGraph). */
  readonly createGraph?: boolean;
  /** Keep the graph so backward can run through it again. */
  readonly retainGraph?: boolean;
}

// Graphs with a tensor of at least this many numbers recycle their buffers (RecyclingHooks) …
const RECYCLE_SIZE = 1024;
// … each of at least this many numbers (the pool's smallest): a new typed array of a few hundred numbers
// costs over a microsecond, several times the pool's bookkeeping, and a softmax cross-entropy over
// [64, 10] made five such temporaries per backward
const RECYCLE_BUFFER = 64;

function checkFinite(op: string, g: Tensor): void {
  for (let i = 0; i < g.data.length; i++) {
    const v = g.data[i] as number;
    if (!Number.isFinite(v)) throw new AnomalyError(`backward produced ${v} at flat index ${i} of a gradient.`, { op });
  }
}

const nodeOf = (t: Tensor): Tensor["node"] => t.node;
const freeNode = (t: Tensor): void => { if (t.node !== null) t.node.freed = true; };
const follows = (x: Tensor): boolean => x.requiresGrad;
// NOTE: tensor methods, not the Functional, so that this module needs only Tensor's type (no import cycle).
// As autograd's Functional (leanSumTo, ops/interpreter.ts), a sum over leading axes alone (a gradient
// broadcast by added axes in front, as a 0-d product's plus a [1] bias) is one sum without kept axes,
// not a sum and a reshape: the same numbers, one node fewer.
const F: Accumulate<Tensor> = {
  add: (a, b) => a.add(b),
  sumTo: (g, shape) => {
    if (shapesEqual(g.shape, shape)) return g;
    const axes = unbroadcastAxes(g.shape, shape);
    return onlyLeadingAxes(axes, g.ndim - shape.length) ? g.sum(axes, false) : g.sum(axes, true).reshape(shape);
  },
};

/**
 * Propagates `seed` (∂L/∂root) back through the graph. With `targets`, returns their gradients
 * (undefined for a target no gradient reached) and leaves every `.grad` untouched; without,
 * accumulates into the leaves' (and retained) `.grad`.
 */
export function backward(root: Tensor, seed: Tensor, options: BackwardOptions, targets: readonly Tensor[] | null): (Tensor | undefined)[] | null {
  const createGraph = options.createGraph ?? false;
  const retain = options.retainGraph ?? createGraph;
  // NOTE: a walk started while another runs (from a trace listener) may not renumber the outer walk's tensors
  const nested = walking > 0;
  const order = nested ? topoOrder(root, nodeOf, follows) : numberedOrder(root);
  let largest = 0;
  for (let i = 0; i < order.length; i++) {
    const t = order[i] as Tensor, node = t.node;
    if (node !== null && node.freed) {
      throw new AutogradError("the graph was already freed by an earlier backward().", { op: `backward through ${node.op}`, hint: "Pass {retainGraph: true} to the first backward() call." });
    }
    if (t.size > largest) largest = t.size;
  }
  const wanted = targets === null ? null : new Set(targets);
  // NOTE: one class per kind of walk, so no closure is made (and lazily compiled) per backward call
  const hooks = !createGraph && !tracing() && largest >= RECYCLE_SIZE ? new RecyclingHooks(order, wanted, createGraph, retain)
    : nested ? new AutogradHooks(order, wanted, createGraph, retain) : new NumberedHooks(order, wanted, createGraph, retain);
  const prevMode = swapGradMode(createGraph), prevOp = swapBackwardOf(WALK);
  hooks.begin();
  walking++;
  let grads: ReadonlyMap<Tensor, Tensor>;
  try {
    grads = reverseWalk(root, seed, nodeOf, F, hooks);
  } finally {
    walking--;
    swapBackwardOf(prevOp);
    swapGradMode(prevMode);
    hooks.end();
  }
  return targets === null ? null : targets.map((x) => grads.get(x));
}

/** Autograd's hooks on the walk: leaf (and retained) `.grad`, freeing the graph, tracing, anomaly checks. */
class AutogradHooks implements WalkHooks<Tensor> {
  constructor(
    readonly order: readonly Tensor[], private readonly wanted: ReadonlySet<Tensor> | null,
    protected readonly createGraph: boolean, private readonly retain: boolean,
  ) {}
  follows(x: Tensor): boolean { return x.requiresGrad; }
  keep(t: Tensor): boolean { return this.wanted !== null && this.wanted.has(t); }
  onGrad(t: Tensor, g: Tensor): void {
    if (this.wanted !== null || (t.node !== null && !t.retainsGrad)) return;
    this.expose(g);
    const own = this.createGraph ? g : g.detach();
    t.grad = t.grad === null ? own : t.grad.add(own);
    if (tracing()) emit({ kind: "leaf-grad", tensor: t, grad: t.grad });
  }
  runVjp(node: WalkNode<Tensor>, g: Tensor): readonly (Tensor | null)[] {
    const prev = swapBackwardOf(node.op);
    try {
      return node.vjp(g);
    } finally {
      swapBackwardOf(prev);
    }
  }
  onBackward(node: WalkNode<Tensor>, output: Tensor, gradOut: Tensor, gs: readonly (Tensor | null)[]): void {
    if (tracing()) emit({ kind: "backward", op: node.op, output, gradOut, inputs: node.inputs, grads: gs });
    if (!this.retain) freeNode(output);
  }
  onShare(node: WalkNode<Tensor>, share: Tensor): void {
    if (isAnomalyEnabled()) checkFinite(node.op, share);
  }
  /** A gradient handed to `.grad` (never to be freed). */
  protected expose(_g: Tensor): void {}
  /** Before the walk. */
  begin(): void {}
  /** After the walk, even one ended by an exception. */
  end(): void {}
}

/** The hooks for a walk over tensors numbered by numberedOrder (gradients kept in an array). */
class NumberedHooks extends AutogradHooks {
  position(t: Tensor): number { return t.walkIndex; }
}

let walking = 0;
let lastStamp = 0;

/**
 * walk.ts's depth-first topological order, with each tensor numbered by its position (the walk then
 * keeps gradients in an array, not a Map) and marked visited by a stamp instead of a Set.
 */
function numberedOrder(root: Tensor): Tensor[] {
  const stamp = ++lastStamp;
  const order: Tensor[] = [];
  root.walkStamp = stamp;
  const stack: Tensor[] = [root];
  const next: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = stack[top] as Tensor;
    const i = next[top] as number;
    const x = t.node?.inputs[i];
    if (x !== undefined) {
      next[top] = i + 1;
      if (x.requiresGrad && x.walkStamp !== stamp) {
        x.walkStamp = stamp;
        stack.push(x);
        next.push(0);
      }
    } else {
      t.walkIndex = order.length;
      order.push(t);
      stack.pop();
      next.pop();
    }
  }
  return order;
}

/**
 * Returns to the backend's pool the storage of what backward made and no one can see: each node's
 * temporaries (what its rule, unbroadcasting and accumulation made and the walk does not keep) and
 * each gradient once consumed. Never a gradient handed to `.grad` (it shares storage: detach()), a
 * tensor made before this backward, or anything while a graph is recorded or traced (either may
 * hold it). The storage goes back to the pool, which hands it out zeroed with its version reset.
 * NOTE: only graphs with a large tensor, and only buffers the pool keeps (≥ 64 numbers): for
 * homework-sized graphs the bookkeeping costs more than new small typed arrays do.
 */
class RecyclingHooks extends AutogradHooks {
  private readonly start = nextTensorId();
  private readonly exposed = new Set<Tensor>();
  // the storage of each gradient handed to a `.grad` in this walk, and the tensor it went to (null once it went to two)
  private readonly handed = new Map<Tensor["data"], Tensor | null>();
  private outer: Tensor[] | null = null;
  release(t: Tensor): void {
    if (t.id >= this.start && t.size >= RECYCLE_BUFFER && !this.exposed.has(t)) backend().free(t.data);
  }
  enter(): void { this.outer = beginScope(); }
  leave(held: (x: Tensor) => boolean): void {
    for (const t of endScope(this.outer)) if (!held(t)) this.release(t);
  }
  protected override expose(g: Tensor): void { this.exposed.add(g); }
  private scratchBefore = false;
  /** What the walk allocates is scratch to the backend (it frees all but the gradients it hands out). */
  override begin(): void { this.scratchBefore = backend().setScratch?.(true) ?? false; }
  /**
   * A leaf's first gradient, made in this walk and handed to no other tensor, is its own storage:
   * marked unseen, so zeroGrad() recycles it unless someone reads `.grad` first.
   */
  override onGrad(t: Tensor, g: Tensor): void {
    const first = t.peekGrad() === null;
    super.onGrad(t, g);
    const own = t.peekGrad();
    if (own === null || own.data !== g.data) return;
    const other = this.handed.get(g.data);
    if (other !== undefined) {
      if (other !== null) other.gradUnseen = false;
      this.handed.set(g.data, null);
      return;
    }
    this.handed.set(g.data, t);
    if (first && t.node === null && g.id >= this.start && g.size >= RECYCLE_BUFFER) t.gradUnseen = true;
  }
  /** Closes a scope left open by an exception; ends the scratch allocations. */
  override end(): void {
    endScope(this.outer);
    backend().setScratch?.(this.scratchBefore);
  }
}
