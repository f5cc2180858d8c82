// require("nabla"): nabla is an ES module. Where Node can require() ES modules (20.19+, 22.12+,
// process.features.require_module), this hands the module over; elsewhere it fails with a clear
// message instead of ERR_PACKAGE_PATH_NOT_EXPORTED.
"use strict";
if (process.features && process.features.require_module === true) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- this file is the CommonJS entry
  module.exports = require("../dist/src/index.js");
} else {
  const err = new Error(
    'nabla is an ES module, and this Node cannot require() ES modules. Load it with `import { tensor } from "nabla"` ' +
    'in an ES module (a .mjs file, or "type": "module" in package.json), or with `const nabla = await import("nabla")` ' +
    "from CommonJS; or use Node 20.19+ or 22.12+, where require(\"nabla\") works.",
  );
  err.code = "ERR_REQUIRE_ESM";
  throw err;
}
