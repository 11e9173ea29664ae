/**
 * Fault-test child: one writer of a two-writer race. It loads the stream, tells the parent it is
 * ready to append, and appends only when the parent says "go" — so both writers append at the
 * same expected version. Args: <store url> <mode: raw|pipeline> <command id> <max retries>.
 */
import { openStore } from "../../src/engine/open-store.js";
import { handleCommand } from "../../src/pipeline/handle-command.js";
import type { EventStore } from "../../src/store/event-store.js";
import { bankCodec, bankDecider } from "../pipeline/bank.js";
import { hear, runChild, tell } from "./child-io.js";

const [url = "", mode = "raw", commandId = "cmd", maxRetries = "3"] = process.argv.slice(2);

/** Holds the first append until the parent's "go"; counts appends. */
function gated(store: EventStore): { store: EventStore; appends: () => number } {
  let appends = 0;
  const append: EventStore["append"] = async (...args) => {
    appends += 1;
    if (appends === 1) {
      const go = hear("go");
      await tell({ kind: "ready", position: await store.streamPosition(args[0]) });
      await go;
    }
    return store.append(...args);
  };
  return { store: new Proxy(store, { get: (t, p, r) => (p === "append" ? append : Reflect.get(t, p, r)) as unknown }), appends: () => appends };
}

async function raw(store: EventStore): Promise<void> {
  const position = await store.streamPosition("Account-a1");
  const go = hear("go");
  await tell({ kind: "ready", position });
  await go;
  try {
    const expected = position === null ? ({ kind: "no-stream" } as const) : ({ kind: "exact", position } as const);
    const payload = { accountId: "a1", amount: 1 };
    const event = { messageId: `${commandId}-e`, type: "Deposited", version: 1, correlationId: commandId, causationId: null, payload };
    await store.append("Account-a1", [event], expected);
    await tell({ kind: "result", outcome: "won" });
  } catch (error) {
    await tell({ kind: "result", outcome: "lost", error: (error as Error).name, message: (error as Error).message });
  }
}

async function pipeline(store: EventStore): Promise<void> {
  const gate = gated(store);
  const command = { messageId: commandId, payload: { type: "Withdraw", accountId: "a1", amount: 30 } } as const;
  try {
    const outcome = await handleCommand(gate.store, bankDecider(), bankCodec(), command, { maxRetries: Number(maxRetries) });
    await tell({ kind: "result", outcome: outcome.status, appends: gate.appends() });
  } catch (error) {
    const { name, message } = error as Error;
    await tell({ kind: "result", outcome: "failed", error: name, message, appends: gate.appends(), commandId });
  }
}

runChild(async () => {
  const store = await openStore(url);
  try {
    await (mode === "raw" ? raw(store) : pipeline(store));
  } finally {
    await store.close();
  }
});
