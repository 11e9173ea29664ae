/**
 * The checkout coordinator in a child process, for the restart test to kill. Usage:
 *   coordinator-child.ts <mode> <sqlite file> <send log file>
 * Modes:
 *   setup                   places three orders (one completes, one is declined, one cannot ship);
 *                           prints "ready"; exits
 *   run                     runs the coordinator until nothing is left to do; prints "finished"
 *   stall-after-transition  runs until a transition has committed, then hangs before sending
 *                           anything more; prints "stalled …" (or "finished")
 *   stall-after-send        runs until the world has handled one command, then hangs before its
 *                           outcome is recorded; prints "stalled …" (or "finished")
 * Every command is appended to the send log (one JSON line) before it reaches the world. The
 * store and the coordinator share a fixed clock, so two runs write the same bytes.
 */
import { appendFileSync } from "node:fs";
import { SqliteEventStore } from "../../../src/store/sqlite-store.js";
import type { CommandSender } from "../../../src/workflow/definition.js";
import { createOrchestrator } from "../../../src/workflow/orchestrator.js";
import { deserializeMessage } from "../support/messages.js";
import { checkout, place, placeOrder, shopSender, shopWorld, type ShopCommand } from "../support/shop.js";

const [mode = "", file = "", sendLog = ""] = process.argv.slice(2);
const never = new Promise<never>(() => undefined);
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const FIXED = new Date("2030-01-01T00:00:00.000Z");
const clock = (): Date => FIXED;

async function main(): Promise<void> {
  const store = new SqliteEventStore(file, { clock });
  const world = shopWorld();
  world.declineAbove = 5_000;
  const world$ = shopSender(store, world);
  if (mode === "setup") {
    await place(world$, placeOrder("o1"));
    await place(world$, placeOrder("o2", { amountMinor: 9_000 }));
    await place(world$, placeOrder("o3", { country: "XX" }));
    return say("ready");
  }

  let transitions = 0;
  const stall = async (what: string): Promise<never> => {
    say(`stalled ${what}`);
    return never;
  };
  const send: CommandSender<ShopCommand> = async (command, meta) => {
    if (mode === "stall-after-transition" && transitions > 0) await stall("after a transition");
    const line = { commandId: meta.messageId, type: command.type, data: command.data, correlationId: meta.correlationId, causationId: meta.causationId };
    appendFileSync(sendLog, `${JSON.stringify(line)}\n`);
    const outcome = await world$(command, meta);
    if (mode === "stall-after-send") await stall(`after sending ${meta.messageId}`);
    return outcome;
  };
  const orchestrator = createOrchestrator(checkout, {
    store,
    send,
    deserialize: deserializeMessage,
    clock,
    startAt: "beginning",
    hooks: {
      onTransition: (t) => {
        transitions += 1;
        say(`transition ${t.correlation} ${t.from?.kind ?? "new"} -> ${t.to.kind}`);
      },
    },
  });
  for (;;) {
    const read = await orchestrator.catchUp();
    if (mode === "stall-after-transition" && transitions > 0) await stall("after a transition");
    const sent = await orchestrator.dispatch();
    if (read === 0 && sent === 0) break;
  }
  say("finished");
  await store.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
