/**
 * One instance of the shop among several on one PostgreSQL database and one broker, for
 * scaleout.test.ts to kill. Usage:
 *   instance-child.ts <store url> <bus url> <index> <instances> <orders> <mail dir>
 * Sends PlaceOrder for every order i with i % instances = index (command id `place-i`; a restarted
 * instance sends them all again, as a client retrying would), then keeps running its share of the
 * projections, sagas, relay and consumers until it is killed. The mail transport writes one file
 * per mail id (idempotent, like a provider that drops a repeated message id) and logs each attempt.
 * Prints `{"phase":"started"}`, `{"phase":"sent"}` and a `{"phase":"dispatched", …}` line per saga
 * command it sent (command id, saga instance, pid, time).
 */
import { appendFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { implementation, loadShop, openShop, orderId, placeOrder } from "../shop-app.js";

const [storeUrl = "", busUrl = "", indexText = "0", instancesText = "3", ordersText = "30", mailDir = ""] = process.argv.slice(2);
const [index, instances, orders] = [Number(indexText), Number(instancesText), Number(ordersText)];
const shop = await loadShop({ write: false });
const impl = implementation(shop);
shop.mailer.useMailTransport({
  async send(mail) {
    appendFileSync(path.join(mailDir, "attempts.log"), `${mail.id}\n`);
    try {
      writeFileSync(path.join(mailDir, mail.id.replaceAll(":", "_")), mail.to, { flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  },
  contactOf: async () => undefined,
});
const bus = await shop.runtime.openBus(busUrl, { reconnect: { initialMs: 20, maxMs: 200 }, ackWaitMs: 1_000 });
// Each saga command this process sent and recorded, with when: the test checks who ran what.
const onDispatched = (command: { commandId: string; correlation: string }): void =>
  console.log(JSON.stringify({ phase: "dispatched", commandId: command.commandId, correlation: command.correlation, pid: process.pid, at: Date.now() }));
const app = await openShop(shop, storeUrl, {
  bus,
  leases: { ttlMs: 1_500, holder: `instance-${index}-${process.pid}` },
  orchestrators: { tickIntervalMs: 100, pollIntervalMs: 100, backoff: { initialMs: 50, maxMs: 500 }, hooks: { onDispatched } },
  projections: { backoff: { initialMs: 50, maxMs: 500 } },
  // scaleout-outage.test.ts: retry budgets far shorter than its database outage.
  ...(process.env["EDA_TEST_SHORT_RETRIES"] === "1"
    ? { commands: { transientRetry: { attempts: 1, backoff: { initialMs: 20, maxMs: 40 } } }, choreographies: { retry: { maxRetries: 1, backoff: { initialMs: 20, maxMs: 40 } } } }
    : {}),
}, impl);
app.start();
console.log(JSON.stringify({ phase: "started" }));

for (let i = 1; i <= orders; i++) {
  if (i % instances !== index) continue;
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await app.send(placeOrder(orderId(i)), { commandId: `place-${i}`, correlationId: `conversation-${i}` });
      if (outcome.status !== "accepted") throw new Error(`order ${i}: ${outcome.status}`);
      break;
    } catch (error) {
      if (attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
console.log(JSON.stringify({ phase: "sent" }));
await new Promise<never>(() => undefined);
