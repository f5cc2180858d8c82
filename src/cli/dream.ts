// `nabla dream`: class visualisation on the shipped Fashion-MNIST classifier (or --model FILE),
// written as an upscaled PNG, or a grid of every class with its name and final probability.
import { join } from "node:path";
import { noGrad } from "../autograd/mode.js";
import type { Tensor } from "../autograd/tensor.js";
import { Progress, progressLine } from "../data/progress.js";
import { classify, DEFAULT_DREAM, type DreamOptions, type DreamStep, type DreamTarget, dream, PLAIN_ASCENT, totalVariation } from "../dream/dream.js";
import { NablaError, ValueError } from "../tensor/errors.js";
import { loadModel, type ModelInfo } from "../train/checkpoint.js";
import { grayPng, imageGridSvg } from "../viz/image.js";
import { svgToPng } from "../viz/render.js";
import { packageRoot } from "./package-root.js";
import { checkOutputPath, writeOutput } from "./write-output.js";

/** Options of `nabla dream` as the command line gives them. */
export interface DreamCommandOptions {
  readonly model?: string;
  readonly class?: string;
  readonly layer?: number;
  readonly channel?: number;
  readonly output: string;
  readonly scale: number;
  readonly history?: string;
  readonly plain?: boolean;
  /** Show each image with its brightest pixel as white. */
  readonly stretch: boolean;
  readonly knobs: Partial<DreamOptions>;
}

/** The shipped classifier's path. */
export function defaultModelPath(): string {
  return join(packageRoot(), "models", "fashion-cnn.safetensors");
}

/** A class given by number or by name (case-insensitive), or "all". */
export function resolveClass(text: string, classes: readonly string[]): number | "all" {
  if (text.toLowerCase() === "all") return "all";
  const n = Number(text);
  if (/^\d+$/.test(text) && n < classes.length) return n;
  const byName = classes.findIndex((c) => c.toLowerCase() === text.toLowerCase());
  if (byName >= 0) return byName;
  throw new ValueError(`unknown class '${text}': give a number from 0 to ${classes.length - 1}, a name (${classes.join(", ")}) or all.`, { op: "dream" });
}

const fmtP = (p: number): string => (p >= 0.9995 ? p.toFixed(4) : p.toFixed(3));

/** Runs `nabla dream`; returns the lines to print. */
export async function dreamCommand(o: DreamCommandOptions, bar: ((s: string, done: boolean) => void) | null): Promise<string[]> {
  if (!/\.png$/i.test(o.output)) throw new NablaError(`the output must be a .png file, got ${o.output}.`, { op: "dream" });
  checkOutputPath(o.output, "dream");
  if (o.history !== undefined) checkOutputPath(o.history, "dream");
  const { model, info } = loadModel(o.model ?? defaultModelPath());
  const knobs = { ...(o.plain === true ? PLAIN_ASCENT : {}), ...o.knobs };
  const targets: { target: DreamTarget; label: string }[] = [];
  if (o.layer !== undefined || o.channel !== undefined) {
    if (o.layer === undefined || o.channel === undefined) throw new ValueError("--layer and --channel go together.", { op: "dream" });
    if (o.class !== undefined) throw new ValueError("give either --class or --layer/--channel, not both.", { op: "dream" });
    targets.push({ target: { kind: "channel", layer: o.layer, channel: o.channel }, label: `layer ${o.layer} channel ${o.channel}` });
  } else {
    const k = resolveClass(o.class ?? "all", info.classes);
    const ks = k === "all" ? info.classes.map((_, i) => i) : [k];
    for (const i of ks) targets.push({ target: { kind: "class", index: i }, label: `${i} ${info.classes[i] ?? ""}` });
  }
  const lines: string[] = [];
  const results: { label: string; image: Tensor; history: DreamStep[]; probs: number[] | null }[] = [];
  for (const { target, label } of targets) {
    const t0 = performance.now();
    const progress = new Progress((knobs.steps ?? DEFAULT_DREAM.steps) * (knobs.octaves ?? DEFAULT_DREAM.octaves));
    let line = "";
    const r = dream(model, info.arch.input, info.normalize, target, {
      ...knobs,
      onStep: (s, done, total) => {
        const what = target.kind === "class" ? `p ${fmtP(s.probability)}` : `sum ${s.objective.toFixed(2)}`;
        line = `${label.padEnd(16)} ${progressLine(progress.at(done, total), s.phase === "polish" ? `${what}  polish: TV ${s.totalVariation.toFixed(1)}` : what, 20, "steps/s")}`;
        bar?.(line, false);
      },
    });
    bar?.(line, true);
    const probs = target.kind === "class" ? classify(model, r.image, info.normalize) : null;
    const last = r.history[r.history.length - 1];
    const tv = totalVariation(r.image);
    const secs = (performance.now() - t0) / 1000;
    lines.push(target.kind === "class"
      ? `class ${label}: probability ${fmtP(probs?.[target.index] ?? NaN)} after ${r.history.length} steps, total variation ${tv.toFixed(2)}, ${secs.toFixed(1)} s`
      : `${label}: summed activation ${last?.objective.toFixed(3)} after ${r.history.length} steps, total variation ${tv.toFixed(2)}, ${secs.toFixed(1)} s`);
    results.push({ label, image: r.image, history: r.history, probs });
  }
  await writeImages(o, info, results, targets.map((t) => t.target));
  lines.push(`wrote ${o.output}`);
  if (o.history !== undefined) {
    writeOutput(o.history, JSON.stringify(results.map((r) => ({ target: r.label, history: r.history })), null, 1), "dream");
    lines.push(`wrote ${o.history}`);
  }
  return lines;
}

async function writeImages(o: DreamCommandOptions, info: ModelInfo, results: { label: string; image: Tensor; probs: number[] | null }[], targets: DreamTarget[]): Promise<void> {
  const [, H, W] = info.arch.input;
  // NOTE: displayed with its brightest pixel as white (the image itself, and its history, are unchanged)
  const pngOf = (t: Tensor): Uint8Array => {
    const v = Array.from(noGrad(() => t.data));
    const top = Math.max(...v.filter(Number.isFinite), 0);
    return grayPng(o.stretch && top > 0 ? v.map((x) => x / top) : v, H, W, o.scale);
  };
  const first = results[0];
  if (results.length === 1 && first !== undefined) { writeOutput(o.output, pngOf(first.image), "dream"); return; }
  const cells = results.map((r, i) => {
    const t = targets[i];
    const k = t?.kind === "class" ? t.index : -1;
    return { png: pngOf(r.image), width: W * o.scale, height: H * o.scale, title: k >= 0 ? (info.classes[k] ?? r.label) : r.label, subtitle: k >= 0 && r.probs !== null ? `p = ${fmtP(r.probs[k] ?? NaN)}` : "" };
  });
  const svg = imageGridSvg(cells, Math.min(5, cells.length), "nabla dream: the image each class of the Fashion-MNIST CNN likes best");
  writeOutput(o.output, await svgToPng(svg, 1), "dream");
}
