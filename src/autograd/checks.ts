// The checks applyOp and recorded nodes run: anomaly detection (non-finite values from finite
// inputs) and PyTorch's in-place check (a value saved for backward must not have changed since).
import type { OpDef } from "../ops/types.js";
import type { Storage } from "../tensor/dtype.js";
import { AnomalyError, AutogradError } from "../tensor/errors.js";
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
