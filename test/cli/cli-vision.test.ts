// `nabla fit`, `nabla dream` and `nabla export` end to end on the committed Fashion-MNIST subset.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InferenceSession } from "onnxruntime-node";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

const tmp = mkdtempSync(join(tmpdir(), "nabla-vision-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const DATA = "fixtures/fashion-mnist-subset";
const model = join(tmp, "tiny.safetensors");

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "", err = "";
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

beforeAll(async () => {
  writeFileSync(join(tmp, "tiny.yaml"), [
    "model:",
    "  input: [1, 28, 28]",
    "  layers: [{conv2d: {out: 4, kernel: 5, stride: 2}}, relu, {maxpool2d: 2}, flatten, {linear: {out: 10}}]",
    "optimizer: {kind: adam, lr: 0.01}",
    "training: {epochs: 1, batchSize: 50, seed: 1}",
  ].join("\n"));
  const r = await run("fit", join(tmp, "tiny.yaml"), "--data", DATA, "-o", model, "--curves", join(tmp, "curves.svg"));
  expect(r.code, r.err).toBe(0);
});

describe("nabla fit", () => {
  it("trains, reports each epoch, saves the weights and the learning curves", () => {
    expect(existsSync(model)).toBe(true);
    expect(readFileSync(join(tmp, "curves.svg"), "utf8")).toMatch(/Accuracy/);
  });
  it("names bad inputs in one line", async () => {
    const missing = await run("fit", join(tmp, "none.yaml"), "--data", DATA, "-o", join(tmp, "x.safetensors"));
    expect([missing.code, missing.err]).toEqual([1, `nabla: fit: ${join(tmp, "none.yaml")} does not exist.\n`]);
    const ext = await run("fit", join(tmp, "tiny.yaml"), "--data", DATA, "-o", join(tmp, "x.json"));
    expect(ext.err).toMatch(/the weights file must end in \.safetensors/);
    const noData = await run("fit", join(tmp, "tiny.yaml"), "--data", tmp, "-o", join(tmp, "x.safetensors"));
    expect(noData.err).toMatch(/no IDX data set in/);
  });
});

describe("nabla dream", () => {
  it("writes an upscaled PNG for one class given by name", async () => {
    const out = join(tmp, "d.png");
    const r = await run("dream", "--model", model, "--class", "trouser", "-o", out, "--steps", "3", "--octaves", "1", "--scale", "4", "--until-probability", "0");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^class 1 Trouser: probability [\d.]+ after 3 steps, total variation [\d.]+, [\d.]+ s\nwrote /);
    const png = PNG.sync.read(readFileSync(out));
    expect([png.width, png.height]).toEqual([112, 112]);
  });
  it("writes a grid of every class, and a middle layer's channel", async () => {
    const grid = await run("dream", "--model", model, "-o", join(tmp, "g.png"), "--steps", "2", "--octaves", "1", "--extra-steps", "0", "--polish", "0", "--history", join(tmp, "h.json"));
    expect(grid.code, grid.err).toBe(0);
    expect(grid.out.split("\n").filter((l) => l.startsWith("class "))).toHaveLength(10);
    expect(PNG.sync.read(readFileSync(join(tmp, "g.png"))).width).toBeGreaterThan(5 * 224);
    expect((JSON.parse(readFileSync(join(tmp, "h.json"), "utf8")) as unknown[]).length).toBe(10);
    const layer = await run("dream", "--model", model, "--layer", "1", "--channel", "2", "-o", join(tmp, "l.png"), "--steps", "2", "--octaves", "1");
    expect(layer.out).toMatch(/^layer 1 channel 2: summed activation/);
  });
  it("--tv sets the total-variation prior (a strong one gives a smoother image than none); --tv-epsilon 0 is refused", async () => {
    const tvOf = async (tv: string): Promise<number> => {
      const r = await run("dream", "--model", model, "--class", "1", "-o", join(tmp, `tv${tv}.png`), "--steps", "20", "--octaves", "1", "--until-probability", "0", "--tv", tv);
      expect(r.code, r.err).toBe(0);
      return Number(/total variation ([\d.]+)/.exec(r.out)?.[1]);
    };
    expect(await tvOf("5")).toBeLessThan(await tvOf("0"));
    const eps = await run("dream", "--model", model, "--class", "1", "-o", join(tmp, "x.png"), "--tv-epsilon", "0");
    expect(eps.err).toBe("nabla: dream: tvEpsilon is out of range, got 0.\n");
  });
  it("--polish n adds n steps that lower the total variation at the target probability, in the history; --polish-lr 0 is refused", async () => {
    const h = join(tmp, "polish.json");
    const r = await run("dream", "--model", model, "--class", "1", "-o", join(tmp, "p.png"), "--steps", "10", "--octaves", "1", "--until-probability", "0.3", "--extra-steps", "300", "--polish", "40", "--history", h);
    expect(r.code, r.err).toBe(0);
    const [, p, steps, tv] = /^class 1 Trouser: probability ([\d.]+) after (\d+) steps, total variation ([\d.]+),/.exec(r.out) ?? [];
    expect(Number(p)).toBeGreaterThanOrEqual(0.3);
    const history = (JSON.parse(readFileSync(h, "utf8")) as { history: { phase: string; totalVariation: number }[] }[])[0]!.history;
    expect(history.length).toBe(Number(steps));
    const polish = history.filter((s) => s.phase === "polish");
    expect(polish.length).toBe(40);
    expect(history.slice(-40)).toEqual(polish);
    const ascentTv = history[history.length - 41]!.totalVariation; // the image the polish started from
    expect(Number(tv)).toBeLessThan(ascentTv);
    const lr = await run("dream", "--model", model, "--class", "1", "-o", join(tmp, "x.png"), "--polish-lr", "0");
    expect(lr.err).toBe("nabla: dream: polishLr is out of range, got 0.\n");
  });
  it("refuses an unknown class, a missing or corrupt model file", async () => {
    const cls = await run("dream", "--model", model, "--class", "hat", "-o", join(tmp, "x.png"));
    expect(cls.err).toBe("nabla: dream: unknown class 'hat': give a number from 0 to 9, a name (T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot) or all.\n");
    const none = await run("dream", "--model", join(tmp, "none.safetensors"), "-o", join(tmp, "x.png"));
    expect(none.err).toMatch(/model file .* does not exist/);
    const bad = join(tmp, "bad.safetensors");
    writeFileSync(bad, readFileSync(model).subarray(0, 100));
    expect((await run("dream", "--model", bad, "-o", join(tmp, "x.png"))).err).toMatch(/is not a valid model file/);
  });
});

describe("nabla export", () => {
  it("writes ONNX that ONNX Runtime loads, with the model's input and output", async () => {
    const out = join(tmp, "m.onnx");
    const r = await run("export", model, "--onnx", out);
    expect(r.code, r.err).toBe(0);
    const s = await InferenceSession.create(readFileSync(out));
    expect([s.inputNames, s.outputNames]).toEqual([["input"], ["logits"]]);
    expect((await run("export", model)).err).toMatch(/name the output with --onnx FILE/);
  });
});
