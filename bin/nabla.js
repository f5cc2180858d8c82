#!/usr/bin/env node
// The `nabla` command (the TypeScript sources are in src/cli).
import { main } from "../dist/src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
