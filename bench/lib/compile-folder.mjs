/**
 * `node bench/lib/compile-folder.mjs DIR` — compiles every `.eda` file below DIR with the built
 * language package and exits 1 when there are diagnostics. The memory benchmark's stand-in for
 * `eda check DIR` while the CLI is not built.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { compile } from "../../packages/language/dist/index.js";

const dir = process.argv[2] ?? ".";
const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".eda"))
  .sort()
  .map((f) => ({ path: f.split(path.sep).join("/"), text: readFileSync(path.join(dir, f), "utf8") }));
const { diagnostics } = compile(files);
process.stdout.write(`${files.length} files, ${diagnostics.length} diagnostics\n`);
process.exitCode = diagnostics.length === 0 ? 0 : 1;
