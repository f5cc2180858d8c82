// The worker pool's scheduling (threads.ts): a job's chunks are claimed by whichever thread is free,
// every chunk runs exactly once, a failing chunk is reported after the others are done and leaves
// the pool usable, and the pool keeps working as workers come and go. The job is the float64 SGD
// update p ← p − η·g on numbers where it is exact (small integers, η = 0.5), so the expected values
// are the formula's.
import { afterAll, describe, expect, it } from "vitest";
import { createRuntime } from "../../../src/kernels/wasm/runtime.js";
import { createThreads, JOBS, MAX_CHUNKS } from "../../../src/kernels/wasm/threads.js";

const rt = createRuntime();
const threads = rt === null ? null : createThreads(rt);
afterAll(() => { threads?.setCount(1); });

const SGD64 = JOBS.indexOf("sgd64");
const N = 4096; // numbers, split into chunks of whole pairs

/** Runs p ← p − 0.5·g over N numbers in `chunks` chunks; returns p (p[i] = i, g[i] = 2·(i mod 7) − 6, so each p[i] moves by exactly −(i mod 7) + 3 once). */
function update(chunks: number, bad = -1): Float64Array {
  if (rt === null || threads === null) throw new Error("no runtime");
  const lrAt = rt.base, pAt = lrAt + 16, gAt = pAt + N * 8;
  rt.ensure(gAt + N * 8);
  for (let i = 0; i < N; i++) {
    rt.f64[pAt / 8 + i] = i;
    rt.f64[gAt / 8 + i] = 2 * (i % 7) - 6;
  }
  rt.f64[lrAt / 8] = 0.5;
  const pairs = N / 2, cut = (c: number): number => Math.floor((c * pairs) / chunks);
  // chunk `bad` points past the end of the memory: a trap in whichever thread claims it
  threads.run(SGD64, chunks, (c) => [c === bad ? rt.memory.buffer.byteLength : pAt + 16 * cut(c), gAt + 16 * cut(c), cut(c + 1) - cut(c), lrAt, 0]);
  return rt.f64.slice(pAt / 8, pAt / 8 + N);
}

const expected = Float64Array.from({ length: N }, (_, i) => i - (i % 7) + 3);

describe.runIf(rt?.shared === true)("the worker pool", () => {
  it("runs every chunk exactly once on two threads, for any number of chunks", async () => {
    threads?.setCount(2);
    await threads?.ready();
    expect(threads?.count()).toBe(2);
    for (const chunks of [1, 2, 3, 7, 16, MAX_CHUNKS]) {
      for (let rep = 0; rep < 20; rep++) expect(update(chunks)).toEqual(expected);
    }
  });

  it("reports a failing chunk once the others are done, and keeps working", async () => {
    threads?.setCount(2);
    await threads?.ready();
    for (const bad of [0, 5, MAX_CHUNKS - 1]) {
      expect(() => update(MAX_CHUNKS, bad)).toThrow(/threads: a chunk of sgd64 failed/);
      expect(update(MAX_CHUNKS)).toEqual(expected);
    }
  });

  it("refuses more than MAX_CHUNKS chunks", () => {
    expect(() => update(MAX_CHUNKS + 1)).toThrow(/at most 64 chunks/);
  });

  it("keeps working as workers stop and start", async () => {
    for (const n of [1, 3, 2, 1, 2]) {
      threads?.setCount(n);
      expect(threads?.count()).toBe(n);
      expect(update(16)).toEqual(expected); // workers still starting: their chunks run here
      await threads?.ready();
      expect(update(16)).toEqual(expected);
      expect(threads?.chunks(1000)).toBe(n === 1 ? 1 : 4 * n);
      expect(threads?.chunks(1000, 400)).toBe(n === 1 ? 1 : 2);
    }
  });
});
