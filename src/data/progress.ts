// A progress line with examples per second and the time left: state and formatting only (the CLI
// decides where and how often to print it).

/** Rate and estimate after `done` of `total` units. */
export interface ProgressState {
  readonly done: number;
  readonly total: number;
  /** Units per second so far. */
  readonly rate: number;
  /** Seconds left at that rate. */
  readonly eta: number;
  readonly elapsed: number;
}

/** Measures progress from a start time (injectable clock, for tests). */
export class Progress {
  private readonly start: number;
  constructor(readonly total: number, private readonly now: () => number = () => performance.now()) {
    this.start = now();
  }
  /** The state after `done` units (of `total`, when the total has changed since the start). */
  at(done: number, total = this.total): ProgressState {
    const elapsed = (this.now() - this.start) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    return { done, total, rate, eta: rate > 0 ? (total - done) / rate : Infinity, elapsed };
  }
}

/** Seconds as m:ss (or h:mm:ss), "?" when unknown. */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = (v: number): string => String(v).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}

/** `[#####.....] 3200/60000  412 ex/s  ETA 2:18  loss 0.4312` (width in characters of the bar). */
export function progressLine(p: ProgressState, extra = "", width = 24, unit = "ex/s"): string {
  const done = p.total > 0 ? Math.min(width, Math.round((width * p.done) / p.total)) : width;
  const rate = p.rate >= 100 ? p.rate.toFixed(0) : p.rate.toFixed(1);
  return `[${"#".repeat(done)}${".".repeat(width - done)}] ${p.done}/${p.total}  ${rate} ${unit}  ETA ${clock(p.eta)}${extra === "" ? "" : `  ${extra}`}`;
}
