// Worker threads for the WebAssembly kernels (Node's worker_threads): each worker instantiates the
// kernels' module on the same shared memory and waits, blocked in Atomics.wait (it never spins, so
// it takes no core from the main thread), for a job: a function of the module and its arguments.
// The main thread runs its own share, then waits for the workers' shares: it polls for at most
// JOIN_MS first, since waking from Atomics.wait costs more than a worker's usual lag behind it
// (it polls on its own core, which has nothing else to do; a worker that lags longer, as on a
// loaded machine, finds it asleep). Control words live in the
// first bytes of the memory (runtime.ts). Workers start asynchronously; until one is ready, the
// main thread runs its share itself (results are the same: the work split never changes a number).
import { CONTROL_BYTES, type WasmRuntime } from "./runtime.js";

const MAX_WORKERS = 8;
const ARGS = 16; // i32 slots per worker: function id, then its arguments
/** Milliseconds the main thread polls for the workers' shares before it sleeps. */
const JOIN_MS = 0.1;
// control block (Int32 indices): ready flags, job sequence numbers, done sequence numbers, errors, arguments
const READY = 0, JOB = READY + MAX_WORKERS, DONE = JOB + MAX_WORKERS, ERR = DONE + MAX_WORKERS, ARG = ERR + MAX_WORKERS;
if ((ARG + MAX_WORKERS * ARGS) * 4 > CONTROL_BYTES) throw new Error("thread control block does not fit");

/** The functions a worker can run, by id. */
export const JOBS = ["gemmCols32", "gemmCols64", "sgd32", "sgd64", "im2colRows", "col2imRows32", "col2imRows64", "argmax32", "argmax64", "argmax2x2_32", "argmax2x2_64", "argmax2x2x4_32", "sdot"] as const;

// Runs in each worker (CommonJS, evaluated from this string).
const WORKER = `
const { workerData } = require("node:worker_threads");
const { module, memory, index, jobs } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(memory.buffer, 0, ${CONTROL_BYTES / 4});
const a = ${ARG} + index * ${ARGS};
Atomics.store(ctl, ${READY} + index, 1);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${JOB} + index, seen);
  seen = Atomics.load(ctl, ${JOB} + index);
  if (seen < 0) break;
  try {
    ex[jobs[ctl[a]]](...Array.from(ctl.subarray(a + 1, a + ${ARGS})));
  } catch {
    Atomics.store(ctl, ${ERR} + index, 1);
  }
  Atomics.store(ctl, ${DONE} + index, seen);
  Atomics.notify(ctl, ${DONE} + index);
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
  /** Runs job `id` with argsOf(t) on threads t = 0 … n − 1 (t = 0 on this thread), returning when all are done. */
  run(id: number, n: number, argsOf: (t: number) => readonly number[]): void;
}

function workerCtor(): WorkerCtor | null {
  if (typeof process === "undefined" || typeof process.getBuiltinModule !== "function") return null;
  const wt = process.getBuiltinModule("node:worker_threads") as { Worker?: WorkerCtor } | undefined;
  return wt?.Worker ?? null;
}

/** A pool over `rt` (no workers until setCount). */
export function createThreads(rt: WasmRuntime): Threads {
  const Worker = rt.shared ? workerCtor() : null;
  const workers: WorkerHandle[] = [];
  const seq = new Array<number>(MAX_WORKERS).fill(0);
  const ctl = new Int32Array(rt.memory.buffer, 0, CONTROL_BYTES / 4);
  const call = (id: number, args: readonly number[]): void => {
    (rt.exports[JOBS[id] as string] as (...a: number[]) => void)(...args);
  };
  return {
    count: () => workers.length + 1,
    setCount(n) {
      const want = Worker === null ? 0 : Math.max(0, Math.min(MAX_WORKERS, Math.floor(n) - 1));
      while (workers.length > want) {
        const w = workers.length - 1;
        Atomics.store(ctl, JOB + w, -1);
        Atomics.notify(ctl, JOB + w);
        void workers.pop()?.terminate();
      }
      while (Worker !== null && workers.length < want) {
        const index = workers.length;
        for (const at of [READY, JOB, DONE, ERR]) Atomics.store(ctl, at + index, 0);
        seq[index] = 0;
        const w = new Worker(WORKER, { eval: true, workerData: { module: rt.module, memory: rt.memory, index, jobs: JOBS } });
        w.unref();
        workers.push(w);
      }
    },
    async ready() {
      while (workers.some((_, w) => Atomics.load(ctl, READY + w) !== 1)) await new Promise((r) => setTimeout(r, 1));
    },
    run(id, n, argsOf) {
      const used: number[] = [];
      const mine: number[] = [];
      for (let t = 1; t < n; t++) {
        const w = t - 1;
        if (w < workers.length && Atomics.load(ctl, READY + w) === 1) {
          ctl[ARG + w * ARGS] = id;
          ctl.set(argsOf(t), ARG + w * ARGS + 1);
          seq[w] = (seq[w] as number) + 1;
          Atomics.store(ctl, JOB + w, seq[w] as number);
          Atomics.notify(ctl, JOB + w);
          used.push(w);
        } else {
          mine.push(t); // no worker for this share yet: run it here
        }
      }
      call(id, argsOf(0));
      for (const t of mine) call(id, argsOf(t));
      const end = used.length === 0 ? 0 : performance.now() + JOIN_MS;
      for (const w of used) {
        const want = seq[w] as number;
        for (let k = 1, d = Atomics.load(ctl, DONE + w); d !== want; k++, d = Atomics.load(ctl, DONE + w)) {
          if ((k & 63) === 0 && performance.now() > end) Atomics.wait(ctl, DONE + w, d);
        }
        if (Atomics.load(ctl, ERR + w) !== 0) {
          Atomics.store(ctl, ERR + w, 0);
          throw new Error(`worker ${w} failed running ${JOBS[id]}`);
        }
      }
    },
  };
}
