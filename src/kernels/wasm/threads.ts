// Worker threads for the WebAssembly kernels (Node's worker_threads): each worker instantiates the
// kernels' module on the same shared memory. A job is a function of the module and a list of
// chunks, each chunk that function's arguments; the main thread and the workers claim chunks one at
// a time from an atomic counter until none is left (dynamic scheduling), so a worker that wakes late
// or whose core is busy takes fewer chunks instead of holding the main thread up: it waits at most
// for the chunks still running elsewhere. Which thread runs a chunk never changes a number (callers
// cut their work where the results are independent: columns, images, planes, numbers).
//
// The counter word packs a job number, the chunk count and the next chunk, and a chunk is claimed by
// a compare-exchange of the whole word, so a worker still looking at a finished job cannot claim a
// chunk of the next one by mistake (its exchange fails); a worker reads a chunk's arguments only
// after claiming it, and the main thread writes the next job's only once every chunk is done.
// A worker with no chunk left sleeps in Atomics.wait until the next job (it never spins: polling
// for the next job took the core the main thread needed whenever another process was busy, 9.0 →
// 11.4 ms a CNN step); one that wakes late (tens of µs) just finds fewer chunks. The main thread,
// its chunks done, polls for the others' for at most JOIN_MS before it sleeps too.
// Control words live in the first bytes of the memory (runtime.ts). Workers start asynchronously;
// until one is ready the main thread runs every chunk itself.
import { CONTROL_BYTES, type WasmRuntime } from "./runtime.js";

const MAX_WORKERS = 8;
/** The most chunks a job has. */
export const MAX_CHUNKS = 64;
const ARGS = 16; // i32 slots per chunk: the function's arguments
/** Milliseconds the main thread polls for the workers' chunks before it sleeps. */
const JOIN_MS = 0.1;
// control block (Int32 indices): ready and exit flags per worker; the job: its number (workers wait on
// it), the claim word (job number << 16 | chunks << 8 | next chunk), chunks done, an error flag, the
// function id, the per-thread argument (index, stride: argument += thread · stride; index −1: none);
// then each chunk's arguments
const READY = 0, EXIT = READY + MAX_WORKERS, POST = EXIT + MAX_WORKERS, CLAIM = POST + 1, DONE = CLAIM + 1, ERR = DONE + 1;
const FN = ERR + 1, SLOT = FN + 1, STRIDE = SLOT + 1, ARG = STRIDE + 1;
if ((ARG + MAX_CHUNKS * ARGS) * 4 > CONTROL_BYTES) throw new Error("thread control block does not fit");

/** The functions a worker can run, by id. */
export const JOBS = [
  "gemmCols32", "gemmCols64", "sgd32", "sgd64", "im2colRows", "col2imRows32", "col2imRows64", "argmax32", "argmax64", "argmax2x2_32", "argmax2x2_64", "argmax2x2x4_32",
  ...(["argmax32", "argmax64", "argmax2x2_32", "argmax2x2_64", "argmax2x2x4_32"] as const).flatMap((a) => [`${a}Gather`, `${a}Scatter`] as const),
  "im2colPanels32", "sgemm", "sdot", "pack32x4", "pack64x4",
] as const;

// Runs in each worker (CommonJS, evaluated from this string): wait for a job, claim its chunks, repeat.
const WORKER = `
const { workerData } = require("node:worker_threads");
const { module, memory, index, jobs } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(memory.buffer, 0, ${CONTROL_BYTES / 4});
const args = new Array(${ARGS}).fill(0);
Atomics.store(ctl, ${READY} + index, 1);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${POST}, seen);
  seen = Atomics.load(ctl, ${POST});
  if (Atomics.load(ctl, ${EXIT} + index) !== 0) break;
  for (;;) {
    const c = Atomics.load(ctl, ${CLAIM}), next = c & 255;
    if (next >= ((c >> 8) & 255)) break;
    if (Atomics.compareExchange(ctl, ${CLAIM}, c, c + 1) !== c) continue;
    const a = ${ARG} + next * ${ARGS}, slot = ctl[${SLOT}];
    for (let i = 0; i < ${ARGS}; i++) args[i] = ctl[a + i];
    if (slot >= 0) args[slot] += (index + 1) * ctl[${STRIDE}];
    try {
      ex[jobs[ctl[${FN}]]](...args);
    } catch {
      Atomics.store(ctl, ${ERR}, 1);
    }
    Atomics.add(ctl, ${DONE}, 1);
    Atomics.notify(ctl, ${DONE});
  }
}`;

interface WorkerHandle { terminate(): unknown; unref(): void }
type WorkerCtor = new (src: string, o: { eval: true; workerData: unknown }) => WorkerHandle;

/** The worker pool of a runtime. */
export interface Threads {
  /** Threads in use, the main one included. */
  count(): number;
  /** Uses n threads (n − 1 workers); n is clamped to what the runtime offers (1 without shared memory or workers). */
  setCount(n: number): void;
  /** Resolves once every worker has started. */
  ready(): Promise<void>;
  /**
   * Runs job `id` on chunks c = 0 … chunks − 1 (at most MAX_CHUNKS) with arguments argsOf(c), each
   * chunk on whichever thread claims it, returning when all are done. `perThread` [index, stride]:
   * argument `index` is offset by t · stride on thread t (0: this one), for scratch of each thread's own.
   */
  run(id: number, chunks: number, argsOf: (c: number) => readonly number[], perThread?: readonly [index: number, stride: number]): void;
  /**
   * How many chunks to cut a job of `units` indivisible parts into (1 on one thread): about
   * CHUNKS_PER_THREAD per thread, each of at least `least` units.
   */
  chunks(units: number, least?: number): number;
}

/**
 * The fewest multiply-adds in a chunk of a matrix product (gemm.ts, dot.ts): below it, handing the chunk to
 * another thread costs more than it saves, so a product is split only from 2¹⁹ (with 2¹⁷ a 64×64×64
 * float32 product ran at 13 GFLOP/s on two threads against 19 on one, and the MLP's small layer-2 products
 * woke the worker for nothing).
 */
export const PRODUCT_CHUNK = 1 << 18;

/** Chunks per thread a job is cut into: enough that a late thread costs little, few enough that claiming them costs little. */
const CHUNKS_PER_THREAD = 4;

function workerCtor(): WorkerCtor | null {
  if (typeof process === "undefined" || typeof process.getBuiltinModule !== "function") return null;
  const wt = process.getBuiltinModule("node:worker_threads") as { Worker?: WorkerCtor } | undefined;
  return wt?.Worker ?? null;
}

/** A pool over `rt` (no workers until setCount). */
export function createThreads(rt: WasmRuntime): Threads {
  const Worker = rt.shared ? workerCtor() : null;
  const workers: WorkerHandle[] = [];
  const ctl = new Int32Array(rt.memory.buffer, 0, CONTROL_BYTES / 4);
  const call = (id: number, args: readonly number[]): void => {
    (rt.exports[JOBS[id] as string] as (...a: number[]) => void)(...args);
  };
  let job = 0;
  const mine = new Array<number>(ARGS).fill(0);
  return {
    count: () => workers.length + 1,
    setCount(n) {
      const want = Worker === null ? 0 : Math.max(0, Math.min(MAX_WORKERS, Math.floor(n) - 1));
      while (workers.length > want) {
        const w = workers.length - 1;
        Atomics.store(ctl, EXIT + w, 1);
        Atomics.add(ctl, POST, 1);
        Atomics.notify(ctl, POST);
        void workers.pop()?.terminate();
      }
      while (Worker !== null && workers.length < want) {
        const index = workers.length;
        Atomics.store(ctl, READY + index, 0);
        Atomics.store(ctl, EXIT + index, 0);
        const w = new Worker(WORKER, { eval: true, workerData: { module: rt.module, memory: rt.memory, index, jobs: JOBS } });
        w.unref();
        workers.push(w);
      }
    },
    chunks(units, least = 1) {
      if (workers.length === 0) return 1;
      return Math.max(1, Math.min(MAX_CHUNKS, CHUNKS_PER_THREAD * (workers.length + 1), Math.floor(units / least)));
    },
    async ready() {
      while (workers.some((_, w) => Atomics.load(ctl, READY + w) !== 1)) await new Promise((r) => setTimeout(r, 1));
    },
    run(id, chunks, argsOf, perThread) {
      if (chunks > MAX_CHUNKS) throw new Error(`threads: at most ${MAX_CHUNKS} chunks per job, got ${chunks}`);
      if (workers.length === 0 || chunks <= 1) {
        for (let c = 0; c < chunks; c++) call(id, argsOf(c));
        return;
      }
      for (let c = 0; c < chunks; c++) ctl.set(argsOf(c), ARG + c * ARGS);
      ctl[FN] = id;
      ctl[SLOT] = perThread?.[0] ?? -1;
      ctl[STRIDE] = perThread?.[1] ?? 0;
      Atomics.store(ctl, DONE, 0);
      job = (job + 1) & 0x7fff;
      Atomics.store(ctl, CLAIM, (job << 16) | (chunks << 8));
      Atomics.add(ctl, POST, 1);
      Atomics.notify(ctl, POST);
      for (;;) {
        const c = Atomics.load(ctl, CLAIM), next = c & 255;
        if (next >= chunks) break;
        if (Atomics.compareExchange(ctl, CLAIM, c, c + 1) !== c) continue;
        for (let i = 0; i < ARGS; i++) mine[i] = ctl[ARG + next * ARGS + i] as number;
        try {
          call(id, mine);
        } catch {
          Atomics.store(ctl, ERR, 1); // reported once the other chunks are done (the workers still read this job's arguments)
        }
        Atomics.add(ctl, DONE, 1);
      }
      const end = performance.now() + JOIN_MS;
      for (let k = 1, d = Atomics.load(ctl, DONE); d !== chunks; k++, d = Atomics.load(ctl, DONE)) {
        if ((k & 63) === 0 && performance.now() > end) Atomics.wait(ctl, DONE, d);
      }
      if (Atomics.load(ctl, ERR) !== 0) {
        Atomics.store(ctl, ERR, 0);
        throw new Error(`threads: a chunk of ${JOBS[id]} failed`);
      }
    },
  };
}
