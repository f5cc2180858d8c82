// Shared test helpers: closeness with a relative-plus-absolute tolerance, flat number views.
import { expect } from "vitest";
import type { Tensor } from "../src/index.js";

/** Flattened numbers of a tensor. */
export function flat(t: Tensor): number[] {
  return Array.from(t.data);
}

/** Asserts |a − b| ≤ atol + rtol·|b| elementwise, naming the first bad index; ±∞ must match exactly, NaN only NaN. */
export function expectClose(actual: readonly number[], expected: readonly number[], rtol: number, atol: number, what = ""): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number, b = expected[i] as number;
    const finite = Number.isFinite(a) && Number.isFinite(b);
    const ok = a === b || (Number.isNaN(a) && Number.isNaN(b)) || (finite && Math.abs(a - b) <= atol + rtol * Math.abs(b));
    if (!ok) expect.fail(`${what}: index ${i}: got ${a}, expected ${b} (|diff| ${Math.abs(a - b)}, rtol ${rtol}, atol ${atol})`);
  }
}
