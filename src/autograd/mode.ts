// Global switches: gradient recording and anomaly detection.

let gradEnabled = true;
let anomaly = false;

/** Whether ops currently record the graph. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

// Runs fn with a module-level setting changed, restoring it afterwards (even on throw).
function scoped<S, T>(get: () => S, set: (v: S) => void, value: S, fn: () => T): T {
  const prev = get();
  set(value);
  try {
    return fn();
  } finally {
    set(prev);
  }
}

/** Runs fn with gradient recording switched on or off, restoring the previous state. */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Switches gradient recording on or off; returns the previous state (withGradMode without a closure). */
export function swapGradMode(enabled: boolean): boolean {
  const prev = gradEnabled;
  gradEnabled = enabled;
  return prev;
}

/** Runs fn without recording the graph (like torch.no_grad). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Whether anomaly detection is on. */
export function isAnomalyEnabled(): boolean {
  return anomaly;
}

/** Runs fn with anomaly detection: the first op whose forward or backward makes NaN/Inf throws. */
export function detectAnomaly<T>(fn: () => T): T {
  return scoped(() => anomaly, (v) => { anomaly = v; }, true, fn);
}

/** Switches anomaly detection on or off globally. */
export function setAnomalyMode(on: boolean): void {
  anomaly = on;
}

let runningBackwardOf: string | null = null;

/** What backwardOf() says while the engine walks a graph between two rules. */
export const WALK = "backward";

/** The op whose backward rule is running, if any (for anomaly messages and trace filtering). */
export function backwardOf(): string | null {
  return runningBackwardOf;
}

/** Runs an op's backward rule, remembering which op it belongs to. */
export function inBackwardOf<T>(op: string, fn: () => T): T {
  return runInBackwardOf(op, fn, undefined);
}

/** `fn(arg)` as the backward rule of `op`. */
export function runInBackwardOf<X, T>(op: string, fn: (arg: X) => T, arg: X): T {
  const prev = swapBackwardOf(op);
  try {
    return fn(arg);
  } finally {
    swapBackwardOf(prev);
  }
}

/** Sets the op whose backward rule is running (null: none); returns the previous one (the engine's hot path, without a closure per node). */
export function swapBackwardOf(op: string | null): string | null {
  const prev = runningBackwardOf;
  runningBackwardOf = op;
  return prev;
}
