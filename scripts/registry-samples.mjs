// Lists every registered op that the expression language can call by name, with its declared test
// samples, for scripts/gen_registry_fixtures.py (PyTorch computes the expected values from this list).
// Run from the built package: `npm run fixtures`.
import { writeFileSync } from "node:fs";
import { registry } from "../dist/src/index.js";

const ops = registry
  .filter((op) => op.call !== null && op.call.numbers[1] === 0 && op.samples.length > 0)
  .map((op) => ({ op: op.name, call: op.call.name, samples: op.samples.map((s) => ({ shapes: s.shapes, domains: s.domains ?? null, constant: s.constant })) }));
writeFileSync(new URL("../fixtures/registry-samples.json", import.meta.url), `${JSON.stringify({ ops }, null, 1)}\n`);
console.log(`${ops.length} ops written to fixtures/registry-samples.json`);
