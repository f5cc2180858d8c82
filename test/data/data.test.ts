// IDX parsing against hand-made bytes, the committed Fashion-MNIST subset (checked against Debian's
// files where they are installed), seeded shuffling, batching and the progress line.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  batchesOf, clock, encodeIdxUint8, loadImageSet, locateDataset, order, parseIdx, Progress, progressLine, Random, toBatch,
} from "../../src/index.js";

const SUBSET = "fixtures/fashion-mnist-subset";

describe("IDX", () => {
  it("parses a header and big-endian numbers of every type", () => {
    const bytes = Uint8Array.from([0, 0, 0x0b, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0xff, 0xfe, 0x01, 0x00]);
    expect(parseIdx(bytes)).toEqual({ shape: [2, 1], data: Int16Array.from([-2, 256]) });
    const u8 = parseIdx(encodeIdxUint8([2, 2], Uint8Array.from([1, 2, 3, 255])));
    expect(u8.shape).toEqual([2, 2]);
    expect(Array.from(u8.data)).toEqual([1, 2, 3, 255]);
  });
  it("refuses gzip bytes, unknown types and truncated files with clear messages", () => {
    const good = encodeIdxUint8([3], Uint8Array.from([1, 2, 3]));
    expect(() => parseIdx(gzipSync(good), "f.gz")).toThrow("readIdx: f.gz is not an IDX file (it must start with two zero bytes, a type code and the number of axes). It is gzip-compressed: decompress it first.");
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x42, 1, 0, 0, 0, 1, 7]))).toThrow(/unknown IDX type code 0x42/);
    expect(() => parseIdx(good.subarray(0, good.length - 1), "cut")).toThrow("readIdx: cut holds 2 data bytes, but its header [3] of uint8 needs 3. The file may be truncated.");
  });
});

describe("data sets", () => {
  it("reads the committed subset: 500 test and 600 training images of 28×28 with labels 0–9", () => {
    const test = loadImageSet(SUBSET, "test"), train = loadImageSet(SUBSET, "train");
    expect([test.count, test.height, test.width, train.count]).toEqual([500, 28, 28, 600]);
    expect(new Set(test.labels)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    // the first test image of Fashion-MNIST is an ankle boot (class 9), the first training image too
    expect([test.labels[0], train.labels[0]]).toEqual([9, 9]);
  });
  it("the subset is the first 500 test images of Debian's dataset-fashion-mnist (SHA-256 computed by Python's hashlib from the package's files)", () => {
    const sub = loadImageSet(SUBSET, "test");
    expect(createHash("sha256").update(sub.images).digest("hex")).toBe("00cc52584679205ab764cf9e1e98915407f8bb5a0ab0bd054345f1805679a298");
    expect(createHash("sha256").update(sub.labels).digest("hex")).toBe("86ad59396c444dad595925f6a22f96a7b7a9bbe0fcaf605eaf73dddbe7daba59");
  });
  it("names what is missing", () => {
    expect(() => locateDataset("/nonexistent")).toThrow("dataset: no IDX data set in /nonexistent (expected t10k-images-idx3-ubyte[.gz] and the other MNIST-style files).");
  });
});

describe("batching", () => {
  it("shuffles reproducibly with a seed, and keeps every index once", () => {
    const a = order(1000, new Random(3)), b = order(1000, new Random(3));
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(order(1000, null));
    expect(a).not.toEqual(order(1000, null));
    expect(batchesOf(order(10, null), 4)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });
  it("normalises pixels as (p/255 − mean)/std into [B, 1, H, W]", () => {
    const set = loadImageSet(SUBSET, "test");
    const { x, y } = toBatch(set, [3, 0], { mean: 0.5, std: 0.25 }, "float64");
    expect(x.shape).toEqual([2, 1, 28, 28]);
    expect(Array.from(y.data)).toEqual([set.labels[3], set.labels[0]]);
    const p = set.images[300] as number; // image 0, pixel 300
    expect(x.data[784 + 300]).toBeCloseTo((p / 255 - 0.5) / 0.25, 12);
  });
});

describe("progress", () => {
  it("reports examples per second and the time left", () => {
    let t = 0;
    const p = new Progress(1000, () => t);
    t = 2000;
    const s = p.at(250);
    expect([s.rate, s.eta]).toEqual([125, 6]);
    expect(progressLine(s, "loss 0.5", 8)).toBe("[##......] 250/1000  125 ex/s  ETA 0:06  loss 0.5");
    expect([clock(3725), clock(Infinity)]).toEqual(["1:02:05", "?"]);
    // a total that grew since the start (dream's extra steps): 250 of 1250 at 125/s leaves 8 s
    const g = p.at(250, 1250);
    expect([g.total, g.rate, g.eta]).toEqual([1250, 125, 8]);
  });
});
