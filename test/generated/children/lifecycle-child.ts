/**
 * The README's app example as a process: create the app, start it, handle a command, close it,
 * and nothing else — no `process.exit`. Prints how long `close()` took. Run by lifecycle.test.ts
 * (which waits for this process to end by itself) and by the benchmark.
 */
import { loadShop, openShop, orderId, placeOrder } from "../shop-app.js";

const [store = "memory:", bus = "memory:"] = process.argv.slice(2);
const shop = await loadShop({ write: false });
const app = await openShop(shop, store, { bus });
app.start();
const outcome = await app.send(placeOrder(orderId(1)));
await app.settle();
const started = performance.now();
await app.close();
console.log(JSON.stringify({ status: outcome.status, closeMs: performance.now() - started }));
