#!/usr/bin/env node
// The `nabla` command (the TypeScript sources are in src/cli).
import { cli } from "../dist/src/cli/main.js";

process.exitCode = await cli(process.argv.slice(2));
