// Writing the CLI's output files: atomically (a temporary file in the same directory, then a
// rename), and with errors that name the path instead of a stack trace.
import { randomBytes } from "node:crypto";
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { NablaError } from "../tensor/errors.js";

const codeOf = (e: unknown): unknown => (e instanceof Error && "code" in e ? e.code : undefined);

/** Why `path` could not be written, in words (Node's errno codes). */
export function writeFailure(path: string, e: unknown): string {
  const dir = dirname(path);
  switch (codeOf(e)) {
    case "ENOENT": return `cannot write ${path}: the directory ${dir} does not exist. Create it first or choose another path.`;
    case "ENOTDIR": return `cannot write ${path}: ${dir} is not a directory.`;
    case "EACCES": case "EPERM": return `cannot write ${path}: permission denied (is ${dir} writable?).`;
    case "EROFS": return `cannot write ${path}: ${dir} is on a read-only file system.`;
    case "EISDIR": return `cannot write ${path}: it is a directory.`;
    case "ENOSPC": return `cannot write ${path}: no space left on the device.`;
    default: return `cannot write ${path}: ${e instanceof Error ? e.message : String(e)}.`;
  }
}

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** Fails early, before any work, when `path`'s directory is missing or `path` is a directory. */
export function checkOutputPath(path: string, op: string): void {
  const dir = dirname(path);
  let dirIsDirectory: boolean;
  try {
    dirIsDirectory = statSync(dir).isDirectory();
  } catch (e) {
    throw new NablaError(writeFailure(path, e), { op });
  }
  if (!dirIsDirectory) throw new NablaError(`cannot write ${path}: ${dir} is not a directory.`, { op });
  if (isDirectory(path)) throw new NablaError(`cannot write ${path}: it is a directory.`, { op });
}

/**
 * Writes `data` to `path` so that readers see the old file or the whole new one, never a part.
 * Returns whether a file was there before (and is now replaced).
 */
export function writeOutput(path: string, data: string | Uint8Array, op: string): boolean {
  if (isDirectory(path)) throw new NablaError(`cannot write ${path}: it is a directory.`, { op });
  const replaced = existsSync(path);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new NablaError(writeFailure(path, e), { op });
  }
  return replaced;
}

/** The line the CLI prints after writing an output file. */
export function wroteLine(path: string, replaced: boolean): string {
  return `wrote ${path}${replaced ? " (replaced)" : ""}\n`;
}
