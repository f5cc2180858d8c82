// Checks of a problem file's raw data that the schema cannot phrase well: numbers that are not
// finite (YAML's .nan and .inf, JSON writers' NaN) and names that collide with JavaScript's object
// properties (a `__proto__` key would otherwise vanish silently).
import { isReservedName, reservedNameMessage } from "../expr/ast.js";

type Path = readonly (string | number)[];

/** What is wrong, and where: `key` when the key itself (not its value) is at fault. */
export interface Flaw {
  readonly path: Path;
  readonly key?: string;
  readonly message: string;
}

// Spellings of NaN and ±∞ that reach us as text (YAML reads JSON's bare NaN as a string).
const NON_FINITE_TEXT = /^[-+]?(?:nan|inf|infinity|\.nan|\.inf)$/i;

const notFinite = (what: string): string => `${what} is not allowed: numbers must be finite`;

// Maps whose keys are names of the model's quantities.
const namesAt = (path: Path): boolean =>
  (path.length === 1 && (path[0] === "inputs" || path[0] === "parameters")) || (path.length === 2 && path[0] === "data");

const inValues = (path: Path): boolean => path[0] === "inputs" || path[0] === "parameters" || path[0] === "data";

type Item = { readonly value: unknown; readonly path: Path } | { readonly flaw: Flaw };

/** The first flaw in document order, if any. */
export function findFlaw(data: unknown): Flaw | undefined {
  // NOTE: an explicit stack: a data file can be long, and a walk should not depend on its depth.
  const stack: Item[] = [{ value: data, path: [] }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if ("flaw" in item) return item.flaw;
    const { value, path } = item;
    if (typeof value === "number" && !Number.isFinite(value)) return { path, message: notFinite(String(value)) };
    if (typeof value === "string" && inValues(path) && NON_FINITE_TEXT.test(value.trim())) return { path, message: notFinite(value.trim()) };
    if (value === null || typeof value !== "object") continue;
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v: unknown, i) => [i, v]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i] as [string | number, unknown];
      const reserved = typeof k === "string" && namesAt(path) && isReservedName(k);
      stack.push(reserved ? { flaw: { path, key: k, message: reservedNameMessage(k) } } : { value: v, path: [...path, k] });
    }
  }
  return undefined;
}
