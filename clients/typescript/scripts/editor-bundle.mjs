// The editor page's copy of this client: one ES module bundled from src/ by esbuild, written to
// tutopanda/_resources/editor/vendor/client.js (checked in: the service serves it and needs no
// Node). `node scripts/editor-bundle.mjs [OUTFILE]`; tests/typescript/test_editor_bundle.py
// bundles into a temporary file and compares.

import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const outfile = process.argv[2] ?? here("../../../tutopanda/_resources/editor/vendor/client.js");

await build({
  absWorkingDir: here(".."), // the comments name sources relative to it, wherever it runs from
  entryPoints: [here("../src/index.ts")],
  outfile,
  bundle: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  legalComments: "none",
  charset: "utf8",
  banner: {
    js: "// Generated from clients/typescript by `make editor-client` (esbuild): do not edit.",
  },
  logLevel: "warning",
});
