// Trace events: the engine's only side effect besides gradients. Traces, graphs and plots
// subscribe here and never reach into the engine.
import type { Tensor } from "./tensor.js";

/** What one op did in a forward or backward pass. */
export type TraceEvent =
  | { readonly kind: "forward"; readonly op: string; readonly attrs: unknown; readonly inputs: readonly Tensor[]; readonly output: Tensor }
  | { readonly kind: "backward"; readonly op: string; readonly output: Tensor; readonly gradOut: Tensor; readonly inputs: readonly Tensor[]; readonly grads: readonly (Tensor | null)[] }
  | { readonly kind: "leaf-grad"; readonly tensor: Tensor; readonly grad: Tensor };

export type TraceListener = (e: TraceEvent) => void;

const listeners = new Set<TraceListener>();

/** Subscribes to trace events; returns the unsubscribe function. */
export function onTrace(listener: TraceListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True when someone listens (so callers can skip building events). */
export function tracing(): boolean {
  return listeners.size > 0;
}

export function emit(e: TraceEvent): void {
  for (const l of listeners) l(e);
}
