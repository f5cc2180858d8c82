// The one reverse walk. Autograd (on Tensors), the explicit layers (on raw tensors) and the worked
// solutions (on symbols) all differentiate by this function: topological order from the root, seed,
// call each node's vector-Jacobian product in reverse, reduce broadcast axes back to each input's
// shape, accumulate. What differs between them is only the node type and the hooks.
import type { TensorLike } from "../ops/types.js";
import type { Shape } from "../tensor/shape.js";

/** What the walk needs to combine gradients (every Functional provides it). */
export interface Accumulate<T> {
  add(a: T, b: T): T;
  /** Sums a gradient down to an input's shape (the reverse of broadcasting). */
  sumTo(a: T, shape: Shape): T;
}

/** A recorded op application: its inputs and its vector-Jacobian product (called as a method, `node.vjp(g)`). */
export interface WalkNode<T> {
  readonly op: string;
  readonly inputs: readonly T[];
  vjp(gradOut: T): readonly (T | null)[];
}

/** What an interpretation adds to the walk. */
export interface WalkHooks<T> {
  /** Whether gradients flow into x (default: always). */
  follows?(x: T): boolean;
  /** Called once with each tensor's total gradient, before its node's vjp runs. */
  onGrad?(t: T, g: T): void;
  /** Runs a node's vjp (to wrap it in a mode, or substitute a rule). */
  runVjp?(node: WalkNode<T>, g: T): readonly (T | null)[];
  /** Called after a node's vjp, with the gradients it produced. */
  onBackward?(node: WalkNode<T>, output: T, gradOut: T, grads: readonly (T | null)[]): void;
  /** Called with each input's share after unbroadcasting. */
  onShare?(node: WalkNode<T>, share: T): void;
  /** Whether to keep t's gradient in the returned map (default: keep all). */
  keep?(t: T): boolean;
  /** The topological order, when the caller has already computed it. */
  readonly order?: readonly T[];
  /** Each tensor's index in `order`, when the caller numbered them (faster than the walk's own Map). */
  position?(t: T): number;
  /**
   * Called with each gradient the walk stops holding (consumed by its node, or replaced by a sum);
   * with this hook the walk counts how many entries hold each gradient object.
   */
  release?(g: T): void;
  /** Bracket the work of one node (its vjp, unbroadcasting and accumulation); `held` tells whether the walk still holds a value. */
  enter?(): void;
  leave?(held: (x: T) => boolean): void;
}

/** Every tensor the root depends on through followed edges, inputs before outputs. */
export function topoOrder<T>(root: T, nodeOf: (t: T) => WalkNode<T> | null, follows: (x: T) => boolean = () => true): T[] {
  const order: T[] = [];
  const seen = new Set<T>([root]);
  // depth-first, iteratively: the tensors on the path and the index of the next input of each
  const stack: T[] = [root];
  const next: number[] = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = stack[top] as T;
    const i = next[top] as number;
    const x = nodeOf(t)?.inputs[i];
    if (x !== undefined) {
      next[top] = i + 1;
      if (follows(x) && !seen.has(x)) {
        seen.add(x);
        stack.push(x);
        next.push(0);
      }
    } else {
      order.push(t);
      stack.pop();
      next.pop();
    }
  }
  return order;
}

const always = (): boolean => true;

/** Propagates `seed` (∂L/∂root) to everything the root depends on; returns the kept gradients. */
export function reverseWalk<T extends TensorLike>(
  root: T, seed: T, nodeOf: (t: T) => WalkNode<T> | null, F: Accumulate<T>, hooks: WalkHooks<T> = {},
): ReadonlyMap<T, T> {
  const order = hooks.order ?? topoOrder(root, nodeOf, hooks.follows === undefined ? always : (x) => hooks.follows?.(x) ?? true);
  const at = hooks.position === undefined ? positionsIn(order) : null;
  // each tensor's gradient so far, at its position in the order
  const grads: (T | undefined)[] = [];
  for (let i = 0; i < order.length; i++) grads.push(undefined);
  grads[positionOf(hooks, at, root)] = seed;
  // how many entries of `grads` hold each gradient object (only when someone wants to know)
  const holders = hooks.release === undefined ? null : new Holders<T>(seed, hooks);
  // NOTE: made on the first gradient kept (autograd's backward() keeps none: no Map per step)
  let kept: Map<T, T> | null = null;
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i] as T;
    const g = grads[i];
    if (g === undefined) continue;
    hooks.onGrad?.(t, g);
    if (hooks.keep === undefined || hooks.keep(t)) (kept ??= new Map<T, T>()).set(t, g);
    else grads[i] = undefined;
    const consumed = grads[i] === undefined;
    const node = nodeOf(t);
    if (node === null) {
      if (consumed) holders?.drop(g);
      continue;
    }
    hooks.enter?.();
    const gs = hooks.runVjp === undefined ? node.vjp(g) : hooks.runVjp(node, g);
    hooks.onBackward?.(node, t, g, gs);
    const inputs = node.inputs;
    for (let j = 0; j < inputs.length; j++) {
      const x = inputs[j] as T, gx = gs[j];
      if (gx === null || gx === undefined || (hooks.follows !== undefined && !hooks.follows(x))) continue;
      const share = F.sumTo(gx, x.shape); // the walk's single unbroadcast point
      hooks.onShare?.(node, share);
      const k = positionOf(hooks, at, x);
      const prev = grads[k];
      const next = prev === undefined ? share : F.add(prev, share);
      grads[k] = next;
      if (holders !== null) {
        holders.hold(next);
        if (prev !== undefined) holders.drop(prev);
      }
    }
    if (consumed) holders?.drop(g);
    if (holders !== null) hooks.leave?.(holders.held);
    else hooks.leave?.(always);
  }
  return kept ?? NONE_KEPT;
}

const NONE_KEPT: ReadonlyMap<never, never> = new Map<never, never>();

// t's index in the walk's order: the interpretation's numbering, or the Map of positionsIn.
// NOTE: a function, not a closure made per walk; hooks are called as methods (an interpretation may keep its state in them)
function positionOf<T>(hooks: WalkHooks<T>, at: ((t: T) => number) | null, t: T): number {
  return at === null ? hooks.position?.(t) ?? -1 : at(t);
}

/** How many entries of the walk's gradients hold each gradient object; `release` gets those no entry holds any more. */
class Holders<T> {
  private readonly count: Map<T, number>;
  constructor(seed: T, private readonly hooks: WalkHooks<T>) {
    this.count = new Map([[seed, 1]]);
  }
  hold(g: T): void { this.count.set(g, (this.count.get(g) ?? 0) + 1); }
  drop(g: T): void {
    const c = (this.count.get(g) ?? 1) - 1;
    if (c > 0) this.count.set(g, c);
    else {
      this.count.delete(g);
      this.hooks.release?.(g);
    }
  }
  readonly held = (x: T): boolean => this.count.has(x);
}

/** Positions in `order`, looked up in a Map (interpretations that cannot number their tensors). */
function positionsIn<T>(order: readonly T[]): (t: T) => number {
  const at = new Map<T, number>();
  for (let i = 0; i < order.length; i++) at.set(order[i] as T, i);
  return (t) => {
    const i = at.get(t);
    if (i === undefined) throw new RangeError("reverseWalk: a followed input is missing from the order");
    return i;
  };
}
