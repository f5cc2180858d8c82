// Writes the small Fashion-MNIST subset committed for tests and CI (which lack Debian's
// dataset-fashion-mnist package): the first 500 test and 600 training images, gzip IDX, into
// fixtures/fashion-mnist-subset/. Run from the built package: `node scripts/make-data-subset.mjs`.
import { mkdirSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { loadImageSet, locateDataset, takeFirst } from "../dist/src/data/datasets.js";
import { encodeIdxUint8 } from "../dist/src/data/idx.js";

const out = new URL("../fixtures/fashion-mnist-subset/", import.meta.url);
mkdirSync(out, { recursive: true });
const dir = locateDataset(process.argv[2]);
for (const [split, prefix, n] of [["test", "t10k", 500], ["train", "train", 600]]) {
  const s = takeFirst(loadImageSet(dir, split), n);
  writeFileSync(new URL(`${prefix}-images-idx3-ubyte.gz`, out), gzipSync(encodeIdxUint8([s.count, s.height, s.width], s.images), { level: 9 }));
  writeFileSync(new URL(`${prefix}-labels-idx1-ubyte.gz`, out), gzipSync(encodeIdxUint8([s.count], s.labels), { level: 9 }));
  console.log(`${split}: ${s.count} images`);
}
