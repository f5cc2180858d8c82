// `nabla graph`: the computational graph of an expression or a problem file, as SVG, PNG or DOT.
// Graphviz and resvg load only when a picture is drawn (DOT needs neither).
import { existsSync } from "node:fs";
import { expressionGraph, parseAt, problemGraph } from "../problems/graph.js";
import { loadProblem } from "../problems/index.js";
import { NablaError } from "../tensor/errors.js";
import { toDot } from "../viz/graph.js";
import { checkOutputPath, writeOutput, wroteLine } from "./write-output.js";

export type GraphFormat = "svg" | "png" | "dot";

export interface GraphCliOptions {
  readonly at: readonly string[];
  /** Default: from the output's extension (.svg, .png, .dot), else svg. */
  readonly format?: GraphFormat;
  readonly output?: string;
  readonly digits: number;
}

/** The format asked for, or implied by the output's extension; an error when the two disagree. */
function formatOf(o: GraphCliOptions): GraphFormat {
  const ext = /\.(svg|png|dot)$/i.exec(o.output ?? "")?.[1]?.toLowerCase();
  const implied = ext === "svg" || ext === "png" || ext === "dot" ? ext : undefined;
  if (o.format !== undefined && implied !== undefined && o.format !== implied) {
    throw new NablaError(`--format ${o.format} does not match the output ${o.output ?? ""} (a .${implied} file).`, { op: "graph", hint: `Drop --format, or name the output .${o.format}.` });
  }
  return o.format ?? implied ?? "svg";
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
  const format = formatOf(o);
  if (o.output !== undefined) checkOutputPath(o.output, "graph");
  if (format === "png" && o.output === undefined) throw new NablaError("PNG output needs a file: pass --output graph.png.", { op: "graph" });
  const isFile = looksLikePath(target);
  if (isFile && !existsSync(target)) throw new NablaError(`file not found: ${target}`, { op: "graph" });
  const at = parseAt(o.at);
  if (isFile && o.at.length > 0) throw new NablaError(`--at gives the values of an expression; ${target} is a problem file, which gives its own.`, { op: "graph", hint: "Change the values in the file, or drop --at." });
  const g = isFile ? problemGraph(loadProblem(target)) : expressionGraph(target, at);
  const dot = toDot(g, { digits: o.digits, mode: "significant" });
  if (format === "dot") return write(o.output, dot);
  const { dotToSvg, svgToPng } = await import("../viz/render.js");
  const svg = await dotToSvg(dot);
  return write(o.output, format === "svg" ? svg : await svgToPng(svg));
}

function write(path: string | undefined, data: string | Uint8Array): string {
  if (path === undefined) return typeof data === "string" ? data : "";
  return wroteLine(path, writeOutput(path, data, "graph"));
}
