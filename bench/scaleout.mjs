/**
 * The scale-out benchmark, against the built `packages/runtime/dist` and the shop example, on a
 * fresh PostgreSQL database per part:
 *
 * 1. Single commands beside Emmett's PostgreSQL store (`scaleout/commands.mjs`).
 * 2. Throughput with 1, 2 and 4 app instances as processes (`scaleout/instances.mjs`).
 * 3. Append-to-read-model latency, wake-ups vs polling (`scaleout/latency.mjs`).
 * 4. Raw appends of four stores at once over one store's (`scaleout/appenders.mjs`).
 *
 *   node bench/scaleout.mjs [results.json] [--quick] [--commands]
 *
 * `--commands` runs part 1 alone (the comparison with Emmett, about two minutes).
 *
 * EDA_BENCH_POSTGRES names another server (default: local, user postgres). EDA_BENCH_LOAD=N runs
 * it beside N busy loops (`scaleout/load.mjs`), the loaded run of INSTANCES.md's figures.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { shopModules, withPgDatabase } from "./runtime-app.mjs";
import { commandsTable, commandsVsEmmett } from "./scaleout/commands.mjs";
import { instancesTable, instancesThroughput } from "./scaleout/instances.mjs";
import { appendToReadModel, latencyTable } from "./scaleout/latency.mjs";
import { appendersTable, concurrentAppenders } from "./scaleout/appenders.mjs";
import { startLoad } from "./scaleout/load.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith("--"));
const quick = args.includes("--quick");
const onlyCommands = args.includes("--commands");
const runtime = await import(pathToFileURL(path.join(root, "packages/runtime/dist/index.js")).href);
const shop = await shopModules();
const load = Number(process.env["EDA_BENCH_LOAD"] ?? 0);
const stopLoad = startLoad(load);
let commands, instances, latency, appenders;
try {
  commands = await withPgDatabase((url) => commandsVsEmmett(runtime, shop, url, { quick }));
  if (!onlyCommands) {
    instances = await withPgDatabase((url) => instancesThroughput(url, { quick }));
    latency = await withPgDatabase((url) => appendToReadModel(runtime, url, { quick }));
    appenders = await withPgDatabase((url) => concurrentAppenders(runtime, url, { quick }));
  }
} finally {
  stopLoad();
}
const loaded = load > 0 ? `Beside ${load} busy loops (\`EDA_BENCH_LOAD=${load}\`).\n\n` : "";
const tables = [commandsTable(commands), ...(onlyCommands ? [] : [instancesTable(instances), latencyTable(latency), appendersTable(appenders)])];
process.stdout.write(`## Scale-out on PostgreSQL\n\n${loaded}${tables.join("\n\n")}\n`);
if (out !== undefined) {
  const data = { benchmark: "scaleout", date: new Date().toISOString(), node: process.version, load, commands, instances, latency, appenders };
  writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
}
