// Tensor ids and the record of tensors made while a scope is open: how the engine finds one node's
// temporaries (tensor.ts records, engine.ts reads; a module of its own so neither imports the other).
import type { Tensor } from "./tensor.js";

let nextId = 0;

/** A new tensor id (ids only grow). */
export function newTensorId(): number {
  return nextId++;
}

/** The id the next tensor will get: tensors with an id at least this were made after this call. */
export function nextTensorId(): number {
  return nextId;
}

let scope: Tensor[] | null = null;

/** Notes a tensor just made, if a scope is open. */
export function record(t: Tensor): void {
  scope?.push(t);
}

/** Starts recording every tensor made from now on; returns the previous recording (to restore with endScope). */
export function beginScope(): Tensor[] | null {
  const prev = scope;
  scope = [];
  return prev;
}

/** Stops recording; returns the tensors made since beginScope and restores `prev`. */
export function endScope(prev: Tensor[] | null): Tensor[] {
  const made = scope ?? [];
  scope = prev;
  return made;
}
