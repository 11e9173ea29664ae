/**
 * The shop's app on PostgreSQL while the parent test terminates its backends: places `count`
 * orders (a client resends a command that failed, with the same command id), then waits until
 * every checkout completed and its closing ConfirmOrder was handled, the read model counts every
 * order and every confirmation e-mail was recorded (the saga sends ConfirmOrder after it
 * completes, the choreography the e-mail after the checkout: closing before would leave the last
 * of them queued, for the next start). Prints one JSON line per
 * phase; exits 0 by itself after `close()`. Run by failover.test.ts.
 */
import { loadShop, openShop, orderId, placeOrder, CUSTOMER } from "../shop-app.js";

const [url = "", countText = "20"] = process.argv.slice(2);
const count = Number(countText);
const shop = await loadShop({ write: false });
const app = await openShop(shop, url, {
  orchestrators: { tickIntervalMs: 100, pollIntervalMs: 100, backoff: { initialMs: 50, maxMs: 500 } },
  projections: { backoff: { initialMs: 50, maxMs: 500 } },
});
app.start();
console.log(JSON.stringify({ phase: "started" }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let failedSends = 0;
// Where the child is, every 5 s: the parent shows the last lines when the child hangs.
let at = "sending";
setInterval(() => console.log(JSON.stringify({ progress: at, failedSends })), 5_000).unref();

for (let i = 1; i <= count; i++) {
  for (let attempt = 1; ; attempt++) {
    try {
      at = `send of order ${i}, attempt ${attempt}`;
      const outcome = await app.send(placeOrder(orderId(i)), { commandId: `place-${i}`, correlationId: `conversation-${i}` });
      if (outcome.status !== "accepted") throw new Error(`order ${i}: ${outcome.status}`);
      break;
    } catch (error) {
      failedSends += 1;
      if (attempt >= 100) throw error;
      await sleep(100);
    }
  }
}
console.log(JSON.stringify({ phase: "sent", failedSends }));

/** Reads while the database may still be going away; undefined when it is. */
async function attempt<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

/** How many events of `type` the store holds. */
async function eventsOfType(type: string): Promise<number> {
  let n = 0;
  for (let from = 1; ; ) {
    const batch = await app.store.readAll(from, 1_000);
    const last = batch.at(-1);
    if (last === undefined) return n;
    n += batch.filter((e) => e.type === type).length;
    from = last.globalPosition + 1;
  }
}

const deadline = Date.now() + 90_000;
for (;;) {
  at = "settling: checkout instances";
  const instances = (await attempt(() => app.orchestrator("Checkout").instances())) ?? [];
  const completed = instances.filter((i) => i.state.kind === "completed").length;
  at = `settling (${completed} completed): read model`;
  const row = await attempt(() => app.projection("Ordering.CustomerOrders").row(CUSTOMER));
  at = `settling (${completed} completed, ${row?.placed ?? "?"} placed): events`;
  const mails = await attempt(() => eventsOfType("OrderConfirmationSent"));
  const confirmed = await attempt(() => eventsOfType("OrderConfirmed"));
  at = `settling: ${completed} completed, ${row?.placed ?? "?"} placed, ${mails ?? "?"} mails, ${confirmed ?? "?"} confirmed`;
  if (completed === count && row?.placed === count && mails === count && confirmed === count) break;
  if (Date.now() > deadline) {
    throw new Error(`not settled: ${completed} of ${count} checkouts completed, ${row?.placed ?? "?"} orders in the read model, ${mails ?? "?"} confirmations sent, ${confirmed ?? "?"} orders confirmed`);
  }
  await sleep(100);
}
console.log(JSON.stringify({ phase: "done", failedSends }));
at = "closing";
await app.close();
