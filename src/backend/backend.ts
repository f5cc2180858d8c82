// The backend boundary (after jax-js's Backend): ops, optimizers and tensor creation allocate,
// dispatch kernels, read and write storage only through the active Backend, never by touching a
// tensor's numbers themselves. The CPU backend is synchronous; a worker-pool or WebGPU backend
// implements the same interface without changing ops. Writes bump a buffer's version, which is how
// autograd notices that a value it saved for backward was modified in place.
import { isResident, type Kernels, kernels, residentStorage } from "../kernels/index.js";
import type { DType, Storage } from "../tensor/dtype.js";
import { BufferPool } from "./pool.js";

/** Where tensors live and kernels run. */
export interface Backend {
  readonly name: string;
  /** A new buffer of `size` numbers: zeros, or the first `size` of `init` (a new buffer's first numbers are not a write). */
  alloc(dtype: DType, size: number, init?: ArrayLike<number>): Storage;
  /** The kernels this backend dispatches (elementwise, reductions, GEMM, gathers …). */
  readonly kernels: Kernels;
  /** Copies host numbers into `buf` at `offset` (a write: bumps the version). */
  write(buf: Storage, values: ArrayLike<number>, offset?: number): void;
  /** Updates `buf` in place with a host function (a write: bumps the version). */
  mutate(buf: Storage, update: (data: Storage) => void): void;
  /** The numbers of `buf` for the host (on the CPU, the buffer itself: do not write to it). */
  read(buf: Storage): Storage;
  /** Releases `buf`, which nothing may use afterwards (the CPU backend keeps it in a pool for reuse, version reset). */
  free(buf: Storage): void;
  /** How many times `buf` has been written since it was allocated. */
  version(buf: Storage): number;
  /** A new buffer of `size` numbers whose every number the caller writes before anyone reads it (its initial numbers are any). Optional: alloc otherwise. */
  allocEmpty?(dtype: DType, size: number): Storage;
  /**
   * Storage for a long-lived tensor (a module's parameter) where the kernels work on it fastest,
   * holding `buf`'s numbers (buf itself where there is no better place); new buffers of its size
   * (its gradients) go there too. Optional.
   */
  resident?(buf: Storage): Storage;
  /** How many writes this backend has counted in all (optional: lets autograd skip its per-buffer checks when nothing was written). */
  writes?(): number;
  /**
   * Marks the buffers allocated from now on (until set back) as backward's temporaries, which the engine
   * frees (the CPU backend puts large ones where the kernels work on them without copies); returns the
   * previous setting. Optional.
   */
  setScratch?(on: boolean): boolean;
}

// Parameters of at least this many numbers live in the kernels' memory (resident storage).
const RESIDENT_MIN = 16384;

/** Plain typed arrays in this thread, reused through a pool (pool.ts); kernels from kernels/ (WebAssembly where available). */
class CpuBackend implements Backend {
  readonly name = "cpu";
  private readonly versions = new WeakMap<Storage, number>();
  get kernels(): Kernels { return kernels(); }
  private readonly pool = new BufferPool();
  private scratch = false;
  alloc(dtype: DType, size: number, init?: ArrayLike<number>): Storage { return this.pool.take(dtype, size, init, false, this.scratch); }
  allocEmpty(dtype: DType, size: number): Storage { return this.pool.take(dtype, size, undefined, true, this.scratch); }
  setScratch(on: boolean): boolean {
    const prev = this.scratch;
    this.scratch = on;
    return prev;
  }
  resident(buf: Storage): Storage {
    if (buf.length < RESIDENT_MIN || isResident(buf)) return buf;
    const dtype = buf instanceof Float64Array ? "float64" : "float32";
    this.pool.makeResident(dtype, buf.length);
    const r = residentStorage(dtype, buf.length);
    if (r === null) return buf;
    r.set(buf);
    return r;
  }
  write(buf: Storage, values: ArrayLike<number>, offset = 0): void {
    buf.set(values, offset);
    this.bump(buf);
  }
  mutate(buf: Storage, update: (data: Storage) => void): void {
    update(buf);
    this.bump(buf);
  }
  read(buf: Storage): Storage { return buf; }
  free(buf: Storage): void {
    this.versions.delete(buf);
    this.pool.give(buf);
  }
  version(buf: Storage): number { return this.versions.get(buf) ?? 0; }
  writes(): number { return this.writeCount; }
  private writeCount = 0;
  private bump(buf: Storage): void {
    this.writeCount++;
    this.versions.set(buf, this.version(buf) + 1);
  }
}

let active: Backend = new CpuBackend();

/** The backend in use. */
export function backend(): Backend {
  return active;
}

/** Replaces the backend; returns the previous one. */
export function setBackend(b: Backend): Backend {
  const prev = active;
  active = b;
  return prev;
}
