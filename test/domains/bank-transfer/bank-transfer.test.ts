/**
 * A bank transfer saga as a cross-package test: accounts with exact decimal balances (a variant
 * state) and a two-step saga whose withdrawal is refunded when the deposit is refused, generated,
 * compiled strict with the handlers (`account.ts`), and run on the runtime's orchestrator and
 * command pipeline on SQLite and PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { CommandSender, EventStore } from "@eda/runtime";
import { freshStore } from "../../generated/shop-app.js";
import { generateDomain } from "../support.js";
// Types only (erased): the modules are imported once beforeAll has generated the code.
import type * as HandlersModule from "./account.js";
import type * as CodecModule from "./generated/codec.js";
import type * as WorkflowsModule from "./generated/banking/workflows.js";

let tscErrors = "";
let handlers: typeof HandlersModule;
let codecModule: typeof CodecModule;
let workflows: typeof WorkflowsModule;

beforeAll(async () => {
  tscErrors = generateDomain("bank-transfer");
  handlers = await import("./account.js");
  codecModule = await import("./generated/codec.js");
  workflows = await import("./generated/banking/workflows.js");
}, 120_000);

it("the generated code and the handlers compile strict", () => {
  expect(tscErrors).toBe("");
});

const alice = "1a2b3c4d-0000-4000-8000-000000000001";
const bob = "1a2b3c4d-0000-4000-8000-000000000002";
const nobody = "1a2b3c4d-0000-4000-8000-000000000003";

describe.each(["sqlite", "postgres"] as const)("transfers on %s", (engine) => {
  async function bank() {
    const runtime = await import("@eda/runtime");
    const { url, drop } = await freshStore(engine);
    const store: EventStore = await runtime.openStore(url);
    const codec = codecModule.createCodec();
    const sent: string[] = [];
    const send: CommandSender = async (command, meta) => {
      sent.push(command.type);
      return runtime.handleCommand(store, handlers.account, codec as never, runtime.toCommandEnvelope(command, meta) as never);
    };
    const direct = (payload: unknown) => runtime.handleCommand(store, handlers.account, codec as never, { messageId: randomUUID(), payload } as never);
    const orchestrator = runtime.createOrchestrator(workflows.transfer as never, { store, send, deserialize: (e) => codec.deserialize(e) as never });
    await orchestrator.init();
    for (const [accountId, owner, opening] of [[alice, "Alice", "100"], [bob, "Bob", "0.10"]] as const) {
      await direct({ type: "OpenAccount", data: { accountId, owner } });
      await direct({ type: "Deposit", data: { accountId, transferId: randomUUID(), amount: opening } });
    }
    const balance = async (accountId: string): Promise<string> => {
      let state = handlers.account.initialState;
      for (const e of await store.readStream(`Banking.Account-${accountId}`)) state = handlers.account.evolve(state, codec.deserialize(e) as never);
      return state.status === "Open" ? state.balance : "none";
    };
    const transfer = async (to: string, amount: string) => {
      const transferId = randomUUID();
      await store.append(`Banking.Transfer-${transferId}`, [{ messageId: `requested-${transferId}`, type: "TransferRequested", version: 1, correlationId: transferId, causationId: null, payload: { transferId, from: alice, to, amount } }], { kind: "any" });
      await orchestrator.settle();
      return (await orchestrator.instance(transferId))?.state.kind;
    };
    return { sent, balance, transfer, done: async () => (await store.close(), await drop()) };
  }

  it("moves the money exactly", async () => {
    const b = await bank();
    try {
      expect(await b.transfer(bob, "30.20")).toBe("completed");
      expect(b.sent).toEqual(["Withdraw", "Deposit"]);
      expect([await b.balance(alice), await b.balance(bob)]).toEqual(["69.8", "30.3"]);
    } finally {
      await b.done();
    }
  });

  it("refunds the withdrawal when the deposit is refused", async () => {
    const b = await bank();
    try {
      expect(await b.transfer(nobody, "40")).toBe("failed");
      expect(b.sent).toEqual(["Withdraw", "Deposit", "RefundMoney"]);
      expect(await b.balance(alice)).toBe("100");
    } finally {
      await b.done();
    }
  });

  it("moves nothing when the balance is short", async () => {
    const b = await bank();
    try {
      expect(await b.transfer(bob, "100.01")).toBe("failed");
      expect(b.sent).toEqual(["Withdraw"]);
      expect([await b.balance(alice), await b.balance(bob)]).toEqual(["100", "0.1"]);
    } finally {
      await b.done();
    }
  });
});
