// Numbers on screen: each one a span carrying the quantity's key (README "Quantity names") and its
// flat index, so a test can hold every displayed number to `nabla solve --format json`.
import { formatNumber, type Rounding, type Solution, type Tensor } from "nabla";
import { el } from "./app.js";

type Nested = number | Nested[];

/** A tensor's numbers as nested brackets of spans. */
export function valueNode(t: Tensor, r: Rounding, key: string | null): HTMLElement {
  const out = el("span", { class: "value" });
  let index = 0;
  const walk = (v: Nested): (Node | string)[] => {
    if (typeof v === "number") {
      const attrs: Record<string, string> = { class: "num", text: formatNumber(v, r) };
      if (key !== null) Object.assign(attrs, { "data-key": key, "data-index": String(index) });
      index++;
      return [el("span", attrs)];
    }
    const parts: (Node | string)[] = ["["];
    v.forEach((x, i) => parts.push(...(i > 0 ? [", "] : []), ...walk(x)));
    parts.push("]");
    return parts;
  };
  out.append(...walk(t.toArray() as Nested));
  return out;
}

/** `base` when the solution records that key with exactly these numbers, else null (nothing to check against). */
export function keyFor(sol: Solution, base: string, t: Tensor): string | null {
  const q = sol.quantities.get(base);
  if (q === undefined || q.size !== t.size) return null;
  for (let i = 0; i < t.size; i++) if (!Object.is(q.data[i], t.data[i])) return null;
  return base;
}

/** A key's parts: base name, sample (1-based) and iteration. */
export function parseKey(k: string): { base: string; sample: number | null; iteration: number } {
  const m = /^(.*?)(?:#(\d+))?(?:@(\d+))?$/.exec(k);
  return { base: m?.[1] ?? k, sample: m?.[2] === undefined ? null : Number(m[2]), iteration: m?.[3] === undefined ? 1 : Number(m[3]) };
}
