// Freed buffers kept by exact size and dtype for the next allocation of that size: training loops
// allocate the same shapes every step, and a reused buffer is already in memory (a fresh large typed
// array costs tens of microseconds in page faults and zeroing, and the collector's time later).
import { isResident, releaseResident, residentStorage } from "../kernels/index.js";
import { allocate, type DType, type Storage } from "../tensor/dtype.js";

const PER_SIZE = 8; // buffers kept per (dtype, size)
const MAX_BYTES = 64 * 2 ** 20; // bytes kept in all
// Buffers of fewer numbers are neither kept nor looked up: a new small typed array costs less than the lookup.
const SMALL = 64;
// Backward's temporaries of at least this many numbers are resident storage (see take's `scratch`).
const SCRATCH_RESIDENT = 16384;

// NOTE: NABLA_POOL_POISON=1 (or setPoolPoison) fills freed buffers with NaN, so a use after free shows in results.
let poison = typeof process !== "undefined" && process.env["NABLA_POOL_POISON"] === "1";

/** Fills every buffer given back to a pool with NaN from now on (a debugging aid for tests); returns the previous setting. */
export function setPoolPoison(on: boolean): boolean {
  const prev = poison;
  poison = on;
  return prev;
}

/** A size-bucketed free list of typed arrays. */
export class BufferPool {
  private readonly buckets = new Map<number, Storage[]>();
  private bytes = 0;
  // (dtype, size) keys whose new buffers are resident storage (kernels/index.ts): a parameter's size,
  // so its gradients, recycled through this pool step after step, are resident too
  private readonly residentKeys = new Set<number>();

  /** New buffers of this dtype and size are resident storage where there is any. */
  makeResident(dtype: DType, size: number): void {
    this.residentKeys.add(key(dtype, size));
  }

  /**
   * A buffer of `size` numbers holding zeros, or the first `size` of `init` (zeros after it); reused
   * when one is free. With `empty`, a reused buffer keeps whatever it held (the caller overwrites every number).
   * With `scratch` (backward's temporaries, which the engine gives back), a large buffer is resident
   * storage too. Resident buffers are kept apart: only a parameter's size or a scratch buffer gets one
   * back, never another buffer (a forward result, which may live on unreleased, would hold a block).
   */
  take(dtype: DType, size: number, init?: ArrayLike<number>, empty = false, scratch = false): Storage {
    if (size < SMALL) return this.fresh(dtype, size, init, false);
    const k = key(dtype, size);
    const resident = this.residentKeys.has(k) || (scratch && size >= SCRATCH_RESIDENT);
    const buf = (resident ? this.buckets.get(-k - 1)?.pop() : undefined) ?? this.buckets.get(k)?.pop();
    if (buf === undefined) return this.fresh(dtype, size, init, resident);
    this.bytes -= buf.byteLength;
    if (!empty && (init === undefined || init.length < size)) buf.fill(0);
    if (init !== undefined) buf.set(init.length > size ? Array.prototype.slice.call(init, 0, size) : init);
    return buf;
  }

  private fresh(dtype: DType, size: number, init: ArrayLike<number> | undefined, resident: boolean): Storage {
    const fresh = (resident ? residentStorage(dtype, size) : null) ?? allocate(dtype, size);
    // NOTE: a loop for a few numbers (a scalar's): TypedArray.set from an array is a runtime call
    if (init !== undefined && size < SMALL) for (let i = 0, n = Math.min(size, init.length); i < n; i++) fresh[i] = init[i] as number;
    else if (init !== undefined) fresh.set(init.length > size ? Array.prototype.slice.call(init, 0, size) : init);
    return fresh;
  }

  /** Keeps `buf` for reuse (the caller guarantees nothing reads or writes it any more). */
  give(buf: Storage): void {
    if (buf.length < SMALL) return;
    if (this.bytes + buf.byteLength > MAX_BYTES) {
      releaseResident(buf);
      return;
    }
    const plain = key(buf instanceof Float64Array ? "float64" : "float32", buf.length);
    const k = isResident(buf) ? -plain - 1 : plain;
    let bucket = this.buckets.get(k);
    if (bucket === undefined) this.buckets.set(k, (bucket = []));
    if (bucket.includes(buf)) return;
    if (bucket.length >= PER_SIZE) {
      releaseResident(buf);
      return;
    }
    if (poison) buf.fill(NaN);
    bucket.push(buf);
    this.bytes += buf.byteLength;
  }

  /** Bytes currently kept. */
  get keptBytes(): number {
    return this.bytes;
  }
}

const key = (dtype: DType, size: number): number => size * 2 + (dtype === "float64" ? 1 : 0);
