// Helpers of the playground's end-to-end test: reading displayed numbers back and judging their rounding.
import type { Page } from "playwright-core";

export type Nested = number | null | Nested[];
export const flat = (v: Nested): (number | null)[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

/** A displayed number read back ("−∞", "∞", "NaN" included). */
export function readNumber(text: string): number {
  if (text === "NaN") return NaN;
  if (text === "∞") return Infinity;
  if (text === "−∞") return -Infinity;
  return Number(text);
}

/** Whether `shown` is `expected` rounded to `digits` (significant digits or decimal places): within half a unit of the last place. */
export function roundsTo(shown: string, expected: number | null, digits: number, mode: string): boolean {
  const x = readNumber(shown);
  if (expected === null) return Number.isNaN(x); // JSON has no NaN: the CLI writes null
  if (!Number.isFinite(expected)) return x === expected;
  if (!Number.isFinite(x)) return false;
  if (expected === 0) return x === 0;
  const unit = mode === "decimals" ? 10 ** -digits : 10 ** (Math.floor(Math.log10(Math.abs(expected))) - digits + 1);
  const sig = shown.replace(/^-/, "").replace(/e.*$/, "").replace(".", "").replace(/^0+/, "").length;
  return Math.abs(x - expected) <= 0.5 * unit * (1 + 1e-9) && (mode === "decimals" || sig <= digits);
}

export interface Shown { key: string | null; index: number; text: string }

/** Every number in an element: key, index and text. */
export const numbersIn = (page: Page, selector: string): Promise<Shown[]> =>
  page.$$eval(`${selector} .num`, (els) => els.map((e) => ({ key: e.getAttribute("data-key"), index: Number(e.getAttribute("data-index")), text: e.textContent ?? "" })));

/** Steps the graph view from the first step to the last (clicks), collecting the step panel's numbers. */
export const stepThrough = (page: Page): Promise<{ steps: number; numbers: Shown[]; lines: string[] }> =>
  page.evaluate(() => {
    const next = document.getElementById("step-next") as HTMLButtonElement;
    const prev = document.getElementById("step-prev") as HTMLButtonElement;
    while (!prev.disabled) prev.click();
    const numbers: { key: string | null; index: number; text: string }[] = [];
    const lines: string[] = [];
    let steps = 0;
    for (;;) {
      steps++;
      for (const e of document.querySelectorAll("#step-panel .num")) numbers.push({ key: e.getAttribute("data-key"), index: Number(e.getAttribute("data-index")), text: e.textContent ?? "" });
      lines.push(document.querySelector("#step-panel .line")?.textContent ?? "");
      if (next.disabled) break;
      next.click();
    }
    return { steps, numbers, lines };
  });

/** The graph's named nodes: the numbers of their value line ("= …") and gradient line ("∂L/∂q = …"), as Graphviz drew them. */
export const graphNumbers = (page: Page): Promise<{ name: string; value: string[] | null; grad: string[] | null }[]> =>
  page.$$eval("#graph-svg g.node[data-name]", (nodes) => nodes.map((g) => {
    const lines = Array.from(g.querySelectorAll("text"), (t) => t.textContent ?? "");
    const nums = (l: string | undefined): string[] | null => {
      if (l === undefined || l.includes("shape [")) return null;
      return l.replace(/^.*?= /, "").replace(/[[\]]/g, "").split(",").map((x) => x.trim());
    };
    return { name: g.getAttribute("data-name") ?? "", value: nums(lines.find((l) => l.startsWith("= "))), grad: nums(lines.find((l) => l.startsWith("∂"))) };
  }));
