// The checks applyOp and recorded nodes run: matching dtypes, anomaly detection (non-finite values
// from finite inputs) and PyTorch's in-place check (a value saved for backward must not have changed
// since), and what a node saves for them.
import { backend } from "../backend/backend.js";
import type { OpDef } from "../ops/types.js";
import type { Storage } from "../tensor/dtype.js";
import { AnomalyError, AutogradError, DTypeError } from "../tensor/errors.js";
import { fmt } from "../tensor/shape.js";
import { backwardOf } from "./mode.js";
import type { Tensor } from "./tensor.js";

function firstNonFinite(d: Storage): number {
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i] as number)) return i;
  return -1;
}

/** PyTorch's check: a value saved for backward must not have been modified in place since. */
export function checkVersions(op: string, inputs: readonly Tensor[], saved: readonly number[]): void {
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i] as Tensor;
    if (x.version !== saved[i]) {
      throw new AutogradError(`one of the variables needed for gradient computation has been modified by an inplace operation: input ${i} of ${op}, shape ${fmt(x.shape)}, is at version ${x.version}; expected version ${saved[i]}.`, { op: `backward through ${op}`, hint: "Change values only after backward(), or change a copy (tensor(t.toArray()))." });
    }
  }
}

/** Throws if an op made a non-finite value from finite inputs (anomaly mode). */
export function checkAnomaly<A>(op: OpDef<A>, inputs: readonly Tensor[], data: Storage): void {
  if (!inputs.every((x) => firstNonFinite(x.data) < 0)) return;
  const at = firstNonFinite(data);
  const inBw = backwardOf();
  if (at >= 0 && inBw !== null) throw new AnomalyError(`backward produced ${data[at]} (in its ${op.name} step) at flat index ${at}.`, { op: inBw });
  if (at >= 0) throw new AnomalyError(`forward produced ${data[at]} at flat index ${at} from finite inputs of shapes ${inputs.map((x) => fmt(x.shape)).join(", ")}.`, { op: op.name });
}

/** Throws unless every input has the first one's dtype. */
export function checkDTypes(op: string, inputs: readonly Tensor[]): void {
  const x0 = inputs[0];
  if (x0 === undefined) return;
  const f64 = x0.data instanceof Float64Array;
  for (let i = 1; i < inputs.length; i++) {
    const x = inputs[i] as Tensor;
    if ((x.data instanceof Float64Array) !== f64) throw new DTypeError(`dtypes must match, got ${x0.dtype} and ${x.dtype}.`, { op, dtype: x.dtype, hint: `Convert one with .to("${x0.dtype}").` });
  }
}

// Which inputs need a gradient, shared for one and two inputs (the common arities).
// NOTE: not frozen, though shared: V8 reads a frozen array's elements through a slower path, and
// backward rules read `needs` on every node (3% of a tiny step); they are internal, typed readonly,
// and reach only backward rules (BackwardCtx.needs), which never write them.
const NEEDS1: readonly (readonly boolean[])[] = [[false], [true]];
const NEEDS2: readonly (readonly boolean[])[] = [[false, false], [false, true], [true, false], [true, true]];
const NO_VERSIONS: readonly number[] = [0, 0];

/** Which inputs need a gradient. */
export function needsOf(inputs: readonly Tensor[]): readonly boolean[] {
  const x0 = inputs[0], x1 = inputs[1];
  if (inputs.length === 1 && x0 !== undefined) return NEEDS1[x0.requiresGrad ? 1 : 0] as readonly boolean[];
  if (inputs.length === 2 && x0 !== undefined && x1 !== undefined) return NEEDS2[(x0.requiresGrad ? 2 : 0) + (x1.requiresGrad ? 1 : 0)] as readonly boolean[];
  return inputs.map((x) => x.requiresGrad);
}

/** The versions of the inputs' buffers now. */
export function versionsOf(inputs: readonly Tensor[]): readonly number[] {
  const be = backend();
  const x0 = inputs[0], x1 = inputs[1];
  if (inputs.length <= 2) {
    const v0 = x0 === undefined ? 0 : be.version(x0.data), v1 = x1 === undefined ? 0 : be.version(x1.data);
    return v0 === 0 && v1 === 0 ? NO_VERSIONS : [v0, v1];
  }
  return inputs.map((x) => be.version(x.data));
}
