// `pnpm demo`: checks the shop example with the eda command, then prints a summary of its model.
// (A later step of the project turns this into running the shop.)
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile, summarizeModel } from "@eda/language";

const root = fileURLToPath(new URL("..", import.meta.url));
const example = "examples/shop";

console.log(`$ eda check ${example}`);
const check = spawnSync(process.execPath, ["packages/cli/bin/eda.js", "check", example], { cwd: root, stdio: "inherit" });
if (check.status !== 0) {
  console.error(`\neda check failed (exit ${check.status ?? check.signal}); run \`pnpm build\` first if dist/ is missing.`);
  process.exit(check.status ?? 1);
}

const files = readdirSync(new URL(`../${example}/`, import.meta.url))
  .filter((name) => name.endsWith(".eda"))
  .sort()
  .map((name) => ({ path: `${example}/${name}`, text: readFileSync(new URL(`../${example}/${name}`, import.meta.url), "utf8") }));
const { model } = compile(files);
console.log(`\nThe model of ${example}:\n`);
console.log(summarizeModel(model));
