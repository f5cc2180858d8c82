// CLI start-up: wall time of whole `nabla` processes (median of several runs), against bare Node.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
export const STARTUP_CASES = [
  { name: "node -e 0 (bare Node)", args: ["-e", "0"] },
  { name: "nabla --help", args: ["bin/nabla.js", "--help"] },
  { name: "nabla solve seed003", args: ["bin/nabla.js", "solve", "examples/seed003-sigmoid-network.yaml"] },
];

/** Median wall-clock milliseconds of `runs` processes per case (one warm-up run first). */
export function startupTimes(runs = 9) {
  const out = {};
  for (const c of STARTUP_CASES) {
    spawnSync(process.execPath, c.args, { cwd: root, stdio: "ignore" });
    const ms = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = spawnSync(process.execPath, c.args, { cwd: root, stdio: "ignore" });
      ms.push(performance.now() - t);
      if (r.status !== 0) throw new Error(`${c.name} exited with ${r.status}`);
    }
    ms.sort((a, b) => a - b);
    out[c.name] = ms[Math.floor(ms.length / 2)];
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, ms] of Object.entries(startupTimes())) console.log(`${name.padEnd(28)} ${(ms / 1000).toFixed(3)} s`);
}
