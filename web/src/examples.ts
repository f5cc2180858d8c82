// The bundled examples and answer keys, read as text at build time (no requests at run time).
const problems = import.meta.glob<string>("../../examples/*.yaml", { query: "?raw", import: "default", eager: true });
const answers = import.meta.glob<string>("../../examples/answers/*.yaml", { query: "?raw", import: "default", eager: true });

const byName = (files: Record<string, string>): ReadonlyMap<string, string> =>
  new Map(Object.entries(files).map(([p, text]): [string, string] => [p.replace(/^.*\//, "").replace(/\.yaml$/, ""), text]).sort(([a], [b]) => a.localeCompare(b)));

/** Problem files by name (file name without .yaml). */
export const EXAMPLES = byName(problems);
/** Answer files by name. */
export const ANSWERS = byName(answers);
/** The example shown first. */
export const FIRST_EXAMPLE = "seed000-caseA-squared-error";

/** The title line of a problem text (for buttons), else its name. */
export function titleOf(name: string): string {
  const m = /^title:\s*"?(.*?)"?\s*$/m.exec(EXAMPLES.get(name) ?? "");
  return m?.[1] ?? name;
}
