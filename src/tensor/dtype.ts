import { DTypeError } from "./errors.js";

/** Element types: float64 (exact homework answers, the default) and float32 (speed). */
export type DType = "float64" | "float32";
/** The typed array behind a tensor. */
export type Storage = Float64Array | Float32Array;

export const DTYPES: readonly DType[] = ["float64", "float32"];

/** A new zero-filled storage of `n` elements. */
export function allocate(dtype: DType, n: number): Storage {
  return dtype === "float64" ? new Float64Array(n) : new Float32Array(n);
}

/** The dtype of a storage. */
export function dtypeOf(s: Storage): DType {
  return s instanceof Float64Array ? "float64" : "float32";
}

/** Validates a user-supplied dtype string. */
export function checkDType(op: string, d: unknown): DType {
  if (d === "float64" || d === "float32") return d;
  throw new DTypeError(`dtype must be "float64" or "float32", got ${JSON.stringify(d)}.`, { op });
}

/** Machine epsilon-ish tolerance scale of a dtype. */
export function epsOf(d: DType): number {
  return d === "float64" ? 2.220446049250313e-16 : 1.1920928955078125e-7;
}
