/** `{ type, data }` messages as the generator types them, a codec for them, and a recording sender. */
import type { CommandOutcome } from "../../../src/pipeline/command-types.js";
import type { EventCodec, StoredEvent } from "../../../src/types.js";
import type { CommandMeta, CommandSender, Message } from "../../../src/workflow/definition.js";
import { acceptAll } from "../../support/codec.js";

/** Shorthand for a message type. */
export type M<T extends string, D> = { readonly type: T; readonly data: D };

/** The codec the generator would emit for `E`, minus validation and upcasting: payload = data. */
export function messageCodec<E extends Message>(): EventCodec<E> {
  return {
    deserialize: (stored) => ({ type: stored.type, data: stored.payload }) as E,
    currentVersion: () => 1,
    redact: (_type, _version, payload) => payload,
    ...acceptAll(),
    encode: (event) => ({ type: event.type, version: 1, payload: event.data }),
  };
}

/** `deserialize` for the orchestrator: reads `{ type, data }`, throws for a payload marked `{ unreadable: true }`. */
export function deserializeMessage(stored: StoredEvent): Message {
  const payload = stored.payload as { unreadable?: boolean } | null;
  if (payload?.unreadable === true) throw new Error(`${stored.type} v${stored.version}: invalid payload`);
  return { type: stored.type, data: stored.payload };
}

/** Deterministic event ids for a command: `<command id>#1`, `#2`, … (so replays give the same ids). */
export function idsFrom(commandId: string): () => string {
  let n = 0;
  return () => `${commandId}#${++n}`;
}

/** One command as a sender received it. */
export interface SentRecord {
  readonly commandId: string;
  readonly type: string;
  readonly data: unknown;
  readonly correlationId: string;
  readonly causationId: string;
  readonly status: CommandOutcome["status"];
  readonly duplicate: boolean;
}

/** A sender that records every call (duplicates included) before answering. */
export function recording<C extends Message>(send: CommandSender<C>): { send: CommandSender<C>; log: SentRecord[] } {
  const log: SentRecord[] = [];
  return {
    log,
    send: async (command: C, meta: CommandMeta) => {
      const outcome = await send(command, meta);
      log.push({
        commandId: meta.messageId,
        type: command.type,
        data: command.data,
        correlationId: meta.correlationId,
        causationId: meta.causationId,
        status: outcome.status,
        duplicate: outcome.duplicate,
      });
      return outcome;
    },
  };
}

/** The types of the commands in `log` for one correlation, first sends only. */
export function typesOf(log: readonly SentRecord[], filter: (r: SentRecord) => boolean = () => true): string[] {
  return log.filter((r) => !r.duplicate && filter(r)).map((r) => r.type);
}
