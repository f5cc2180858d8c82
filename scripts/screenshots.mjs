// Screenshots of each playground view for the README (docs/images/playground-*.png): the built app
// (dist/web, `npm run build:web`) served locally and driven in Debian's Chromium (playwright-core).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serveStatic } from "./static-server.mjs";

const root = join(import.meta.dirname, "..");
const out = (name) => join(root, "docs/images", `playground-${name}.png`);
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(join(root, "dist/web/index.html"))) throw new Error("dist/web is missing: run npm run build:web first");
if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}: apt-get install chromium, or set CHROMIUM_PATH`);

const server = await serveStatic(join(root, "dist/web"));
const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox"] });
const open = async (hash, viewport = { width: 1280, height: 800 }) => {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  await page.goto(`${server.url}${hash}`);
  await page.waitForSelector("body[data-ready=true]");
  await page.waitForSelector("#graph-svg[data-ready]", { state: "attached" });
  return page;
};
const shot = async (page, name) => {
  await page.screenshot({ path: out(name) });
  console.log(`wrote ${out(name)}`);
  await page.close();
};
try {
  await shot(await open("#view=graph&ex=seed001-regression-3relu&step=13"), "graph");
  await shot(await open("#view=tables&ex=seed000-caseA-cross-entropy&it=2"), "tables");
  const train = await open("#view=training");
  await train.click('[data-story="q5"]');
  await train.waitForFunction(() => document.getElementById("train-chart")?.dataset["runs"] === "2");
  await train.click("#train-run");
  await train.waitForSelector('#train-status[data-done="true"]');
  await shot(train, "training");
  const act = await open("#view=activations");
  await act.check("#act-leaky-relu");
  await act.waitForFunction(() => document.getElementById("act-chart")?.dataset["fns"]?.includes("leaky-relu"));
  await shot(act, "activations");
  const check = await open("#view=checker");
  await check.click("#check-seed001");
  await check.waitForSelector("#first-wrong");
  await shot(check, "checker");
  const dream = await open("#view=dream");
  await dream.waitForSelector('#view-dream[data-ready="true"]', { state: "attached" });
  await dream.selectOption("#dream-class", "7");
  await dream.click("#dream-start");
  await dream.waitForSelector('#dream-status[data-state="done"]', { timeout: 120_000 });
  await shot(dream, "dream");
  const err = await open("#view=graph&ex=seed000-caseA-squared-error");
  const text = (await err.inputValue("#problem-text")).replace("  lr: 0.01", "  lr: 0.01\n  momentun: 0.9");
  await err.fill("#problem-text", text);
  await err.waitForSelector(".editor-error.shown");
  await shot(err, "editor-error");
  const phone = await open("#view=graph&ex=seed000-caseA-squared-error&step=8", { width: 390, height: 844 });
  await phone.evaluate(() => document.getElementById("tabs")?.scrollIntoView());
  await shot(phone, "phone");
} finally {
  await browser.close();
  await server.close();
}
