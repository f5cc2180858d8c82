// Image classification data sets in IDX files (MNIST, Fashion-MNIST): located on disk, never
// downloaded. Debian's dataset-fashion-mnist package puts them under /usr/share/datasets; any
// directory holding the four files (gzip-compressed or not) works.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { ValueError } from "../tensor/errors.js";
import { parseIdx } from "./idx.js";
import type { ImageSet } from "./batches.js";

/** Fashion-MNIST's class names, by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

/** Where Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) installs the files. */
export const DEBIAN_FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

export type { ImageSet } from "./batches.js";

/** Which half of a data set. */
export type Split = "train" | "test";

const PREFIX: Record<Split, string> = { train: "train", test: "t10k" };

/** The path of an IDX file in `dir`, compressed (.gz) or not; null when neither exists. */
function idxPath(dir: string, name: string): string | null {
  for (const p of [join(dir, `${name}.gz`), join(dir, name)]) if (existsSync(p)) return p;
  return null;
}

/** Reads an IDX file, gunzipping it when it starts with the gzip magic number. */
export function readIdxFile(path: string) {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ValueError(`cannot read ${path}: ${(e as Error).message}`, { op: "readIdx" });
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new ValueError(`${path} is not a valid gzip file: ${(e as Error).message}`, { op: "readIdx", hint: "The file may be truncated." });
    }
  }
  return parseIdx(bytes, path);
}

/** The directory to read: `dir` when given (it must hold the files), else Debian's location. */
export function locateDataset(dir?: string): string {
  const candidates = dir === undefined ? [DEBIAN_FASHION_MNIST] : [dir];
  for (const d of candidates) if (idxPath(d, `${PREFIX.test}-images-idx3-ubyte`) !== null) return d;
  if (dir !== undefined) throw new ValueError(`no IDX data set in ${dir} (expected t10k-images-idx3-ubyte[.gz] and the other MNIST-style files).`, { op: "dataset" });
  throw new ValueError(`Fashion-MNIST was not found in ${DEBIAN_FASHION_MNIST}.`, { op: "dataset", hint: "Install it with `apt-get install dataset-fashion-mnist`, or name a directory with --data DIR (nabla never downloads)." });
}

/** Loads one split of an MNIST-style data set from `dir` (see locateDataset). */
export function loadImageSet(dir: string, split: Split): ImageSet {
  const imgPath = idxPath(dir, `${PREFIX[split]}-images-idx3-ubyte`);
  const lblPath = idxPath(dir, `${PREFIX[split]}-labels-idx1-ubyte`);
  if (imgPath === null || lblPath === null) throw new ValueError(`the ${split} split is missing in ${dir} (expected ${PREFIX[split]}-images-idx3-ubyte[.gz] and ${PREFIX[split]}-labels-idx1-ubyte[.gz]).`, { op: "dataset" });
  const img = readIdxFile(imgPath), lbl = readIdxFile(lblPath);
  if (img.shape.length !== 3 || !(img.data instanceof Uint8Array)) throw new ValueError(`${imgPath} must hold uint8 images [count, height, width], got ${img.shape.length} axes.`, { op: "dataset" });
  if (lbl.shape.length !== 1 || !(lbl.data instanceof Uint8Array)) throw new ValueError(`${lblPath} must hold uint8 labels [count].`, { op: "dataset" });
  const [count = 0, height = 0, width = 0] = img.shape;
  if (lbl.shape[0] !== count) throw new ValueError(`${imgPath} has ${count} images but ${lblPath} has ${lbl.shape[0]} labels.`, { op: "dataset" });
  return { images: img.data, labels: lbl.data, count, height, width, source: imgPath };
}

/** The first `n` examples of a set (a subset for quick runs). */
export function takeFirst(set: ImageSet, n: number): ImageSet {
  const k = Math.min(n, set.count), px = set.height * set.width;
  return { ...set, images: set.images.subarray(0, k * px), labels: set.labels.subarray(0, k), count: k };
}
