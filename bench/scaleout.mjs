/**
 * The scale-out benchmark, against the built `packages/runtime/dist` and the shop example, on a
 * fresh PostgreSQL database per part:
 *
 * 1. Single commands beside Emmett's PostgreSQL store (`scaleout/commands.mjs`).
 *
 *   node bench/scaleout.mjs [results.json] [--quick]
 *
 * EDA_BENCH_POSTGRES names another server (default: local, user postgres).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { shopModules, withPgDatabase } from "./runtime-app.mjs";
import { commandsTable, commandsVsEmmett } from "./scaleout/commands.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith("--"));
const quick = args.includes("--quick");
const runtime = await import(pathToFileURL(path.join(root, "packages/runtime/dist/index.js")).href);
const shop = await shopModules();
const commands = await withPgDatabase((url) => commandsVsEmmett(runtime, shop, url, { quick }));
process.stdout.write(`## Scale-out on PostgreSQL\n\n${commandsTable(commands)}\n`);
if (out !== undefined) {
  writeFileSync(out, `${JSON.stringify({ benchmark: "scaleout", date: new Date().toISOString(), node: process.version, commands }, null, 2)}\n`);
}
