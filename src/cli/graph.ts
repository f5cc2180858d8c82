// `nabla graph`: the computational graph of an expression or a problem file, as SVG, PNG or DOT.
// Graphviz and resvg load only when a picture is drawn (DOT needs neither).
import { existsSync } from "node:fs";
import { expressionGraph, parseAt, problemGraph } from "../problems/graph.js";
import { loadProblem } from "../problems/index.js";
import { NablaError } from "../tensor/errors.js";
import { toDot } from "../viz/graph.js";
import { checkOutputPath, writeOutput, wroteLine } from "./write-output.js";

export interface GraphCliOptions {
  readonly at: readonly string[];
  readonly format: "svg" | "png" | "dot";
  readonly output?: string;
  readonly digits: number;
}

/**
 * Whether the argument names a file rather than statements: it ends in .yaml, .yml or .json, or it
 * has a path separator and no '=' (every statement has one; '/' alone is division).
 */
export function looksLikePath(target: string): boolean {
  return /\.(ya?ml|json)$/i.test(target.trim()) || (!target.includes("=") && /[\\/]/.test(target));
}

/** Builds and renders a graph; returns text for stdout (the picture, or "wrote FILE" when written to a file). */
export async function graphCommand(target: string, o: GraphCliOptions): Promise<string> {
  if (o.output !== undefined) checkOutputPath(o.output, "graph");
  if (o.format === "png" && o.output === undefined) throw new NablaError("PNG output needs a file: pass --output graph.png.", { op: "graph" });
  const isFile = looksLikePath(target);
  if (isFile && !existsSync(target)) throw new NablaError(`file not found: ${target}`, { op: "graph" });
  const g = isFile ? problemGraph(loadProblem(target)) : expressionGraph(target, parseAt(o.at));
  const dot = toDot(g, { digits: o.digits, mode: "significant" });
  if (o.format === "dot") return write(o.output, dot);
  const { dotToSvg, svgToPng } = await import("../viz/render.js");
  const svg = await dotToSvg(dot);
  return write(o.output, o.format === "svg" ? svg : await svgToPng(svg));
}

function write(path: string | undefined, data: string | Uint8Array): string {
  if (path === undefined) return typeof data === "string" ? data : "";
  return wroteLine(path, writeOutput(path, data, "graph"));
}
