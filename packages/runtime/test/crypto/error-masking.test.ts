/**
 * Personal data in error messages: a projection, a rule or an upcast hook that throws quoting the
 * event it was given (`no customer for ${email}`) must not put the `@pii` value in plain text where
 * crypto-shredding cannot reach it — the parked events' table, a dead-lettered message's reason,
 * log records, trace statuses, a `DeserializeError`'s message.
 */
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createMemoryBus } from "../../src/bus/memory-bus.js";
import { createCodec, type Message } from "../../src/codec/codec.js";
import { DeserializeError, isDeserializeError } from "../../src/codec/deserialize-error.js";
import { maskedError, maskValues, personalValues, personalValuesOf } from "../../src/codec/personal-values.js";
import { REDACTED } from "../../src/codec/redact.js";
import { defineCodecTable, type CodecTable } from "../../src/codec/table.js";
import { isPermanentFailure } from "../../src/consumer/consumer.js";
import { encryptedStore } from "../../src/crypto/encrypted-store.js";
import { sqlKeyStore } from "../../src/crypto/sql-key-store.js";
import { memoryLogger, type MessageLogRecord } from "../../src/observability/logger.js";
import { createObservability } from "../../src/observability/observability.js";
import type { SpanHandle, Tracing } from "../../src/observability/tracing.js";
import { ProjectionRunner } from "../../src/projection/projection-runner.js";
import { startChoreography } from "../../src/workflow/choreography.js";
import { createOrchestrator } from "../../src/workflow/orchestrator.js";
import type { StrayEvent } from "../../src/workflow/records.js";
import { waitFor } from "../bus/support/wait.js";
import { createHarness, newEvent, type StoreHarness } from "../store/support.js";

const EMAIL = "ada.lovelace@example.com";
const NAME = 'Ada "the Countess" Lovelace';

/** `CustomerRegistered` v1 keeps the e-mail sealed per customer and the name (plain `@pii`) in a nested contact. */
const table = defineCodecTable({
  types: { Contact: { pii: ["name"] } },
  events: {
    CustomerRegistered: {
      current: 2,
      versions: {
        1: {
          schema: z.object({ customerId: z.string(), email: z.string(), contact: z.object({ name: z.string() }) }),
          redact: { pii: ["email"], nested: [["contact", "Contact", "one"]] },
          encrypt: { subject: "customerId", fields: { email: "placeholder" } },
          up: (data: { customerId: string; email: string; contact: { name: string } }, hooks: { tier: (email: string) => string }) => ({ ...data, tier: hooks.tier(data.email) }),
          next: 2,
        },
        2: {
          schema: z.object({ customerId: z.string(), email: z.string(), contact: z.object({ name: z.string() }), tier: z.string() }),
          redact: { pii: ["email"], nested: [["contact", "Contact", "one"]] },
          encrypt: { subject: "customerId", fields: { email: "placeholder" } },
        },
      },
    },
  },
  commands: {},
});

/** The table as the store takes it (it reads the plans, never the upcasts' hooks). */
const sealing = table as unknown as CodecTable;

const payload = { customerId: "c-1", email: EMAIL, contact: { name: NAME } };

describe("the values masked", () => {
  it("are the strings and numbers of every @pii field, nested ones too, longest first, three characters or more", () => {
    const data = { id: "k", email: "e@x.io", tags: ["ab", "abc"], card: { number: 4111111111111111, cvc: 12 }, plain: "e@x.io-not" };
    const redacted = { id: "k", email: REDACTED, tags: REDACTED, card: REDACTED, plain: "e@x.io-not" };
    expect(personalValues(data, redacted)).toEqual(["4111111111111111", "e@x.io", "abc"]);
    // A field already reading as the marker (a forgotten one) gives nothing.
    expect(personalValues({ email: REDACTED }, { email: REDACTED })).toEqual([]);
  });

  it("are masked as written and as they read inside a JSON string, and an error with none is given back as it is", () => {
    expect(maskValues(`for ${NAME} in ${JSON.stringify({ name: NAME })}`, [NAME])).toBe(`for ${REDACTED} in {"name":"${REDACTED}"}`);
    const untouched = new TypeError("no such order");
    expect(maskedError(untouched, [EMAIL])).toBe(untouched);
    expect(maskedError(`no ${EMAIL}`, [EMAIL])).toBe(`no ${REDACTED}`);
  });

  it("keep a masked copy of the same class: name, code, permanent, a DeserializeError's reason", () => {
    const error = Object.assign(new RangeError(`bad ${EMAIL}`), { code: "E_BAD", permanent: true });
    const copy = maskedError(error, [EMAIL]) as Error & { code: string; permanent: boolean };
    expect([copy.name, copy.message, copy.code, copy.permanent, copy.cause]).toEqual(["RangeError", `bad ${REDACTED}`, "E_BAD", true, undefined]);
    expect(copy).toBeInstanceOf(RangeError);
    expect(copy.stack).toMatch(/^RangeError: bad \[redacted\]\n/);
    expect(copy.stack).not.toContain(EMAIL);
  });
});

describe("an upcast hook that throws quoting the event", () => {
  it("is reported as upcast-failed with the personal values masked, its own error kept as the cause", () => {
    const codec = createCodec(table, { tier: (email: string) => { throw new Error(`no tier for ${email} (${NAME})`); } });
    let error: DeserializeError | undefined;
    try {
      codec.deserialize({ type: "CustomerRegistered", version: 1, payload });
    } catch (e) {
      error = e as DeserializeError;
    }
    expect(isDeserializeError(error)).toBe(true);
    expect(error?.message).toBe(`"CustomerRegistered" v1: the upcast threw: no tier for ${REDACTED} (${REDACTED})`);
    expect(error?.stack).not.toContain(EMAIL);
    expect((error?.cause as Error).message).toContain(EMAIL);
  });
});

describe.each(["sqlite", "postgres"] as const)("on %s, with the e-mail sealed", (engine) => {
  let harness: StoreHarness | undefined;
  afterEach(async () => {
    await harness?.dispose();
    harness = undefined;
  });

  it("a projection that throws quoting the event parks it with the values masked, in the table's bytes and in the logs", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, sealing, sqlKeyStore(inner));
    const codec = createCodec(table, { tier: () => "gold" });
    await store.append("Customer-c-1", [newEvent("CustomerRegistered", payload, { version: 2, payload: { ...payload, tier: "gold" } })], { kind: "no-stream" });
    const logger = memoryLogger();
    const runner = new ProjectionRunner(
      store,
      codec,
      {
        name: "Mailing",
        events: ["CustomerRegistered"],
        keyOf: (event: Message) => (event.data as { customerId: string }).customerId,
        initialRow: () => ({}),
        apply: (_row, event: Message) => {
          const { email, contact } = event.data as typeof payload;
          throw new Error(`cannot mail ${email} for ${JSON.stringify(contact)}`);
        },
      },
      { onPoison: "park", observability: createObservability({ logger, codec }) },
    );
    await runner.catchUp();

    const [parked] = await runner.parked();
    expect(parked?.error).toBe(`cannot mail ${REDACTED} for {"name":"${REDACTED}"}`);
    const rows = await inner.transaction((tx) => tx.sql!.query<Record<string, unknown>>("SELECT * FROM eda_parked"));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(EMAIL);
    expect(JSON.stringify(rows)).not.toContain("Lovelace");
    const logged = logger.records.find((r): r is MessageLogRecord => r.event === "parked");
    expect(logged?.error?.message).toBe(parked?.error);
    expect(JSON.stringify(logger.records)).not.toContain(EMAIL);
    expect(JSON.stringify(logger.records)).not.toContain("Lovelace");
  });

  it("a choreography rule that throws quoting the decrypted event is dead-lettered, logged and traced with the values masked", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, sealing, sqlKeyStore(inner));
    const codec = createCodec(table, { tier: () => "gold" });
    await store.append("Customer-c-1", [newEvent("CustomerRegistered", { ...payload, tier: "gold" }, { version: 2 })], { kind: "no-stream" });
    const [sealed] = await inner.readAll(1, 10);
    expect(JSON.stringify(sealed?.payload)).not.toContain(EMAIL);

    const bus = createMemoryBus();
    const logger = memoryLogger();
    const ended: unknown[] = [];
    const tracing: Tracing = {
      publish: () => span(),
      consume: () => span(),
      capture: () => ({}),
    };
    function span(): SpanHandle {
      return { headers: {}, run: (work) => work(), end: (error) => void (error === undefined ? undefined : ended.push(error)) };
    }
    const running = await startChoreography(
      bus,
      { name: "Welcome", rules: [{ name: "onRegistered", on: "CustomerRegistered", send: (data: unknown) => { throw new Error(`no template for ${(data as typeof payload).email}`); } }] },
      {
        deserialize: (stored) => codec.deserialize(stored),
        decrypt: store.decryptEnvelope,
        redactor: codec,
        send: async () => ({ status: "accepted" }) as never,
        retry: { maxRetries: 1, backoff: { initialMs: 1, maxMs: 1 } },
        sleep: async () => undefined,
        observability: createObservability({ logger, codec, tracing }),
      },
    );
    try {
      await bus.publish([{ envelope: sealed! }]);
      await waitFor(async () => (await bus.deadLetterDepth("Welcome.onRegistered")) === 1, "the dead-lettered event");
      const [letter] = await bus.peekDeadLetters("Welcome.onRegistered");
      expect(letter?.reason.message).toBe(`no template for ${REDACTED}`);
      expect(JSON.stringify(letter)).not.toContain(EMAIL);
      expect(ended.map((e) => (e as Error).message)).toEqual([`no template for ${REDACTED}`, `no template for ${REDACTED}`]);
      expect(JSON.stringify(logger.records)).not.toContain(EMAIL);
      expect(logger.records.filter((r) => r.event === "handler-failed")).toHaveLength(2);
    } finally {
      await running.close();
    }
  });

  it("an orchestrator parks an event whose correlate throws quoting it, and keeps the stray of a command builder that does, with the values masked", async () => {
    harness = await createHarness(engine);
    const inner = await harness.open();
    const store = encryptedStore(inner, sealing, sqlKeyStore(inner));
    const codec = createCodec(table, { tier: () => "gold" });
    const second = { ...payload, customerId: "c-2", email: "grace.hopper@example.com", tier: "gold" };
    await store.append("Customer-c-1", [newEvent("CustomerRegistered", { ...payload, tier: "gold" }, { version: 2 })], { kind: "no-stream" });
    await store.append("Customer-c-2", [newEvent("CustomerRegistered", second, { version: 2 })], { kind: "no-stream" });
    const logger = memoryLogger();
    const strays: StrayEvent[] = [];
    const orchestrator = createOrchestrator<Message, Message, string, string>(
      {
        name: "Onboarding",
        start: "CustomerRegistered",
        correlate: (data) => {
          const { customerId, email } = data as typeof second;
          if (customerId === "c-2") throw new Error(`no account for ${email}`);
          return customerId;
        },
        steps: [{ name: "welcome", send: (ctx) => { throw new Error(`no template for ${(ctx.start as typeof payload).email}`); }, awaits: "Welcomed" }],
      },
      { store, deserialize: (stored) => codec.deserialize(stored), send: async () => ({ status: "accepted" }) as never, startAt: "beginning", hooks: { onStray: (s) => strays.push(s) }, observability: createObservability({ logger, codec }) },
    );
    await orchestrator.catchUp();

    const [parked] = await orchestrator.parked();
    expect(parked?.error).toBe(`no account for ${REDACTED}`);
    expect(strays.map((s) => s.detail)).toEqual([`workflow Onboarding: step welcome: send threw: no template for ${REDACTED}`]);
    const rows = await inner.transaction(async (tx) => [...(await tx.sql!.query("SELECT * FROM eda_parked")), ...(await tx.sql!.query("SELECT * FROM eda_workflow_strays"))]);
    expect(rows).toHaveLength(2);
    for (const secret of [EMAIL, "grace.hopper"]) {
      expect(JSON.stringify(rows)).not.toContain(secret);
      expect(JSON.stringify(logger.records)).not.toContain(secret);
    }
  });
});

describe("a failure kept as its kind", () => {
  it("a masked DeserializeError still reads as permanent for the consumer", () => {
    const codec = createCodec(table, { tier: () => { throw new Error(`no tier for ${EMAIL}`); } });
    let error: unknown;
    try {
      codec.deserialize({ type: "CustomerRegistered", version: 1, payload });
    } catch (e) {
      error = e;
    }
    // Its message is masked by the codec already; the copy masks the hook's error it keeps as its cause.
    const copy = maskedError(error, personalValuesOf(codec, { type: "CustomerRegistered", version: 1, payload })) as DeserializeError;
    expect(copy).toBeInstanceOf(DeserializeError);
    expect([isPermanentFailure(copy), copy.reason, copy.message]).toEqual([true, "upcast-failed", (error as Error).message]);
    expect((copy.cause as Error).message).toBe(`no tier for ${REDACTED}`);
    expect(isPermanentFailure(maskedError(Object.assign(new Error(`x ${EMAIL}`), { permanent: true }), [EMAIL]))).toBe(true);
  });
});

describe("an upcast hook whose input cannot be walked", () => {
  it("is still reported as upcast-failed, its message left out rather than shown unmasked", () => {
    // v1 → v2 → v3: the second hook gets the first one's output, which no schema has checked yet.
    const hostile = {
      events: {
        Signed: {
          current: 3,
          versions: {
            1: { schema: z.object({ email: z.string() }), up: () => Object.defineProperty({}, "email", { enumerable: true, get: () => { throw new Error("no reading me"); } }), next: 2 },
            2: { schema: z.object({ email: z.string() }), redact: { pii: ["email"] }, up: () => { throw new Error(`cannot upcast ${EMAIL}`); }, next: 3 },
            3: { schema: z.object({ email: z.string() }) },
          },
        },
      },
      commands: {},
    };
    const codec = createCodec(hostile as unknown as CodecTable, {});
    let error: unknown;
    try {
      codec.deserialize({ type: "Signed", version: 1, payload: { email: EMAIL } });
    } catch (e) {
      error = e;
    }
    expect(isDeserializeError(error)).toBe(true);
    expect((error as DeserializeError).reason).toBe("upcast-failed");
    expect((error as Error).message).not.toContain(EMAIL);
    expect((error as Error).message).toContain("its message is left out");
  });
});
