/**
 * The model of the key-cache tests: one event, `Registered`, whose `email` is personal data of
 * the subject named by `customerId` (placeholder when forgotten); helpers to append and read it.
 */
import { z } from "zod";
import { createCodec } from "../../src/codec/codec.js";
import { defineCodecTable } from "../../src/codec/table.js";
import type { EventStore, StoreTransaction } from "../../src/store/event-store.js";
import { newEvent } from "../store/support.js";

export const table = defineCodecTable({
  events: {
    Registered: {
      current: 1,
      versions: {
        1: {
          schema: z.object({ customerId: z.string(), email: z.string() }),
          encrypt: { subject: "customerId", fields: { email: "placeholder" } },
        },
      },
    },
  },
  commands: {},
});
export const codec = createCodec(table, {});

/** A `Registered` event to append. */
export const registered = (customerId: string, email: string) => newEvent("Registered", { customerId, email });

/** The e-mails of a stream's events, as the codec reads them (the placeholder once forgotten). */
export const emails = async (store: EventStore, stream: string): Promise<string[]> =>
  (await store.readStream(stream)).map((e) => (codec.deserialize(e).data as { email: string }).email);

/** Every event's `[customerId, email]`, in global order. */
export const allEmails = async (store: EventStore): Promise<string[][]> =>
  (await store.readAll(1, 100)).map((e) => {
    const { customerId, email } = codec.deserialize(e).data as { customerId: string; email: string };
    return [customerId, email];
  });

/** A promise and its resolver. */
export function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Stores a workflow-like row holding a `Registered` message in `tx`: the encrypted store seals it. */
export async function storeMessage(tx: StoreTransaction, engine: "sqlite" | "postgres", id: string, customerId: string, email: string): Promise<void> {
  const p = (n: number) => (engine === "sqlite" ? "?" : `$${n}`);
  await tx.sql!.query("CREATE TABLE IF NOT EXISTS eda_workflow_probe (id TEXT PRIMARY KEY, body TEXT NOT NULL)");
  const body = JSON.stringify({ type: "Registered", data: { customerId, email } });
  await tx.sql!.query(`INSERT INTO eda_workflow_probe (id, body) VALUES (${p(1)}, ${p(2)})`, [id, body]);
}

/** The e-mail in a row `storeMessage` wrote, as `tx` reads it (opened by the encrypted store). */
export async function messageEmail(tx: StoreTransaction, engine: "sqlite" | "postgres", id: string): Promise<string> {
  const rows = await tx.sql!.query<{ body: string }>(`SELECT body FROM eda_workflow_probe WHERE id = ${engine === "sqlite" ? "?" : "$1"}`, [id]);
  return (JSON.parse(rows[0]!.body) as { data: { email: string } }).data.email;
}
