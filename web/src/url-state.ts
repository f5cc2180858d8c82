// The playground's state in the URL's hash: a shared link reopens the same problem, view and step.
export const VIEWS = ["graph", "tables", "training", "activations", "checker", "dream"] as const;
export type View = (typeof VIEWS)[number];

export interface UrlState {
  readonly view: View;
  /** A bundled example's name, when the text is that example unchanged. */
  readonly example: string | null;
  /** Edited problem text (null when `example` names it). */
  readonly source: string | null;
  readonly step: number;
  readonly iteration: number;
  /** Display digits (null: the problem's own). */
  readonly digits: number | null;
}

/** UTF-8 text → base64url. */
export function encodeText(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** base64url → UTF-8 text (null when it does not decode). */
export function decodeText(s: string): string | null {
  try {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

const int = (s: string | null, lo: number, hi: number): number | null => {
  if (s === null || !/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= lo && n <= hi ? n : null;
};

/** Reads the state from a hash like `#view=graph&ex=seed000-caseA-squared-error&step=3`. */
export function readHash(hash: string): UrlState {
  const q = new URLSearchParams(hash.replace(/^#/, ""));
  const v = q.get("view");
  const src = q.get("src");
  return {
    view: VIEWS.find((x) => x === v) ?? "graph",
    example: q.get("ex"),
    source: src === null ? null : decodeText(src),
    step: int(q.get("step"), 0, 1e6) ?? 0,
    iteration: int(q.get("it"), 1, 1e9) ?? 1,
    digits: int(q.get("digits"), 1, 17),
  };
}

/** The hash for a state. */
export function writeHash(s: UrlState): string {
  const q = new URLSearchParams();
  q.set("view", s.view);
  if (s.source !== null) q.set("src", encodeText(s.source));
  else if (s.example !== null) q.set("ex", s.example);
  q.set("step", String(s.step));
  if (s.iteration !== 1) q.set("it", String(s.iteration));
  if (s.digits !== null) q.set("digits", String(s.digits));
  return `#${q.toString()}`;
}
