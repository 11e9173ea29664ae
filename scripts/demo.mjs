// `pnpm demo`: the README's main job. Checks the shop example, generates its code with the eda
// command (as a user's build would), then runs the shop on the embedded default — or on the
// store `EDA_STORE` names.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const example = fileURLToPath(new URL("../examples/shop/", import.meta.url));
const eda = fileURLToPath(new URL("../packages/cli/bin/eda.js", import.meta.url));
const bundle = fileURLToPath(new URL("../packages/cli/dist/eda.cjs", import.meta.url));

function run(title, args, cwd) {
  console.log(`$ ${title}`);
  const result = spawnSync(process.execPath, args, { cwd, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n\`${title}\` failed (exit ${result.status ?? result.signal})${hint(result)}`);
    process.exit(result.status ?? 1);
  }
  console.log("");
}

/** A hint only where one is known to be true: the CLI was never built (pnpm install builds it). */
function hint(result) {
  if (result.error) return `: ${result.error.message}`;
  if (!existsSync(bundle)) return `; ${bundle} is missing: run \`pnpm install\` (or \`pnpm build\`) first.`;
  return ".";
}

run("eda check examples/shop", [eda, "check", "examples/shop"], root);
run("eda generate   (in examples/shop: generated/ and handlers/ per its eda.config.json)", [eda, "generate"], example);
run("tsx examples/shop/demo.ts", ["--import", "tsx", "demo.ts"], example);
