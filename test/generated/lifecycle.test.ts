/**
 * Lifecycle: the README's app example — create, start, send, close — ends its process by itself
 * on every engine and bus (nothing left holding the event loop); and a long burst of `send`s on
 * a synchronous engine lets timers and the background runners run.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVhost, type TestVhost } from "../../packages/runtime/test/bus/support/rabbit.js";
import { HERE, ROOT } from "./helpers.js";
import { freshStore, loadShop, openShop, orderId, placeOrder, type Shop } from "./shop-app.js";

let shop!: Shop;
let vhost: TestVhost;
beforeAll(async () => {
  shop = await loadShop();
  vhost = await createVhost();
});
afterAll(() => vhost.dispose());

/** Runs the example to its end; resolves with its exit code and output, or "hung". */
function runExample(store: string, bus: string): Promise<{ code: number | null | "hung"; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(HERE, "children", "lifecycle-child.ts"), store, bus], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve({ code: "hung", stdout, stderr });
    }, 45_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("the README's app example ends its process by itself", () => {
  for (const [engine, bus] of [["memory", "memory"], ["sqlite", "memory"], ["postgres", "memory"], ["sqlite", "rabbitmq"], ["postgres", "rabbitmq"]] as const) {
    it(`on ${engine} with the ${bus} bus`, async () => {
      const store = engine === "memory" ? { url: "memory:", drop: async () => undefined } : await freshStore(engine);
      try {
        const result = await runExample(store.url, bus === "rabbitmq" ? vhost.url : "memory:");
        expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
        expect(JSON.parse(result.stdout)).toMatchObject({ status: "accepted" });
      } finally {
        await store.drop();
      }
    }, 60_000);
  }
});

describe("a long burst of sends", () => {
  it.each(["memory", "sqlite"] as const)("on %s lets timers and the sagas run while it lasts", async (engine) => {
    const store = engine === "memory" ? { url: "memory:", drop: async () => undefined } : await freshStore(engine);
    const app = await openShop(shop, store.url, { orchestrators: { pollIntervalMs: 5, tickIntervalMs: 5 } });
    try {
      app.start();
      const burst = 800;
      let sent = 0;
      let timerFiredAt: number | undefined;
      setTimeout(() => (timerFiredAt = sent), 1);
      let sagaSeenAt: number | undefined;
      const watch = setInterval(() => {
        void app.orchestrator("Checkout").commands().then((commands) => {
          if (sagaSeenAt === undefined && commands.some((c) => c.status === "dispatched")) sagaSeenAt = sent;
        });
      }, 2);
      for (; sent < burst; sent++) await app.send(placeOrder(orderId(sent + 1)));
      clearInterval(watch);
      // Before the burst ended, the timer had fired and the saga had dispatched commands.
      expect(timerFiredAt).toBeLessThan(burst);
      expect(sagaSeenAt).toBeLessThan(burst);
    } finally {
      await app.close();
      await store.drop();
    }
  });
});
