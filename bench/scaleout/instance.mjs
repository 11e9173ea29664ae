/**
 * One app instance of the scaling benchmark, as a process: `createApp` with the shop's `Order` on
 * the given PostgreSQL database. Once started it prints `ready` and waits for the window's start
 * (ms since the epoch) on its standard input; from then for `durationMs`, `senders` concurrent
 * senders place orders on new streams. Prints `{ "commands": n }` — those completed inside the
 * window.
 *
 *   node bench/scaleout/instance.mjs <url> <durationMs> <senders> <first order number>
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const [url, durationMs, senders, first] = process.argv.slice(2);
const runtime = await import(pathToFileURL(path.join(root, "packages/runtime/dist/index.js")).href);
const shop = await import(pathToFileURL(path.join(root, "bench/.out/shop/entry.bundle.mjs")).href);
const { placeOrder } = await import("../runtime-app.mjs");
const codec = shop.createCodec({ Ordering: shop.orderingUpcasts });
const app = await runtime.createApp({ codec, routes: { PlaceOrder: { kind: "aggregate", decider: shop.order } }, projections: [] }, { store: url, bus: "memory:" });
app.start();
process.stdout.write("ready\n");
const startAt = await new Promise((resolve) => process.stdin.setEncoding("utf8").once("data", (line) => resolve(Number(line.trim()))));
process.stdin.pause();
let next = Number(first);
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const end = Number(startAt) + Number(durationMs);
let commands = 0;
await Promise.all(Array.from({ length: Number(senders) }, async () => {
  while (Date.now() < end) {
    const outcome = await app.send(placeOrder(next++));
    if (outcome.status !== "accepted") throw new Error(`PlaceOrder ${outcome.status}`);
    if (Date.now() <= end) commands += 1;
  }
}));
await app.close();
process.stdout.write(`${JSON.stringify({ commands })}\n`);
