/** Stateless services: run once per command id, events appended with the command's ids. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reject } from "../../src/pipeline/command-types.js";
import { runService, type ServiceHandler } from "../../src/pipeline/run-service.js";
import type { EventStore } from "../../src/store/event-store.js";
import type { EventCodec } from "../../src/types.js";
import { createHarness, ENGINES, type StoreHarness } from "../store/support.js";
import { acceptAll } from "../support/codec.js";

type SendMail = { readonly type: "SendMail"; readonly orderId: string; readonly to: string };
type MailSent = { readonly type: "MailSent"; readonly orderId: string; readonly to: string };

const codec: EventCodec<MailSent> = {
  deserialize: (stored) => ({ type: "MailSent", ...(stored.payload as { orderId: string; to: string }) }),
  currentVersion: () => 1,
  redact: (_type, _version, payload) => payload,
  ...acceptAll(),
};

describe.each(ENGINES)("runService on %s", (engine) => {
  let harness: StoreHarness;
  let store: EventStore;
  let sent: string[];
  const mailer: ServiceHandler<SendMail, MailSent, string> = {
    name: "Mailer",
    streamOf: (command) => `Mail-${command.orderId}`,
    handle(command) {
      if (!command.to.includes("@")) return reject(`bad address ${command.to}`);
      sent.push(command.to);
      return [{ type: "MailSent", orderId: command.orderId, to: command.to }];
    },
  };
  beforeEach(async () => {
    harness = await createHarness(engine);
    store = await harness.open();
    sent = [];
  });
  afterEach(() => harness.dispose());

  it("appends the handler's events and runs it once per command id", async () => {
    const command = { messageId: "c-1", correlationId: "corr-1", payload: { type: "SendMail", orderId: "o1", to: "a@b.c" } } as const;
    const first = await runService(store, mailer, codec, command);
    expect(first).toMatchObject({ status: "accepted", stream: "Mail-o1", lastPosition: 0, lastGlobalPosition: 1, duplicate: false });
    expect(await runService(store, mailer, codec, command)).toEqual({ ...first, duplicate: true });
    expect(sent).toEqual(["a@b.c"]);
    const second = await runService(store, mailer, codec, { messageId: "c-2", payload: { type: "SendMail", orderId: "o1", to: "d@e.f" } });
    expect(second).toMatchObject({ status: "accepted", lastPosition: 1, events: [{ type: "MailSent", position: 1 }] });
    expect((await store.readStream("Mail-o1")).map((e) => [e.correlationId, e.causationId, e.payload])).toEqual([
      ["corr-1", "c-1", { orderId: "o1", to: "a@b.c" }],
      ["c-2", "c-2", { orderId: "o1", to: "d@e.f" }],
    ]);
  });

  it("records a rejection and returns it again for the same command id", async () => {
    const command = { messageId: "c-9", payload: { type: "SendMail", orderId: "o2", to: "nobody" } } as const;
    const first = await runService(store, mailer, codec, command);
    expect(first).toEqual({ status: "rejected", commandId: "c-9", stream: "Mail-o2", reason: "bad address nobody", duplicate: false });
    expect(await runService(store, mailer, codec, command)).toEqual({ ...first, duplicate: true });
    expect(await store.headPosition()).toBe(0);
  });
});
