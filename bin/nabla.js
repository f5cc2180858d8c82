#!/usr/bin/env node
// The `nabla` command. Subcommands live in src/cli once they exist; `demo` runs the built-in example.
import { main } from "../dist/src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
