/**
 * Publishing through a confirm channel: each publish resolves only when the broker has taken
 * responsibility for the message (written it to disk for a persistent message on a durable
 * queue). The call reports how many leading messages were confirmed when something failed.
 */
import type { ConfirmChannel, Options } from "amqplib";
import { PublishError } from "../types.js";

/** One publish: where to and what. */
export interface Publication {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  readonly options: Options.Publish;
}

/** Publishes in order and waits for every confirm; throws `PublishError` on the first failure. */
export async function publishConfirmed(channel: ConfirmChannel, items: readonly Publication[]): Promise<void> {
  const confirms: Promise<void>[] = [];
  for (const item of items) {
    const { confirm, writable } = publishOne(channel, item);
    confirms.push(confirm);
    if (writable === null) break;
    if (!writable) await drained(channel);
  }
  const settled = await Promise.allSettled(confirms);
  const failed = settled.findIndex((result) => result.status === "rejected");
  if (failed === -1 && confirms.length === items.length) return;
  const at = failed === -1 ? confirms.length : failed;
  const result = settled[at];
  const cause = result?.status === "rejected" ? (result.reason as unknown) : undefined;
  throw new PublishError(
    `the broker did not confirm message ${at + 1} of ${items.length}: ${describe(cause)}`,
    at,
    { cause, refused: isRefusal(cause) },
  );
}

/** A nack, or a message above the broker's size limit (the channel closes with 406). */
function isRefusal(cause: unknown): boolean {
  return /nack|PRECONDITION_FAILED|larger than configured max size/i.test(describe(cause));
}

function publishOne(channel: ConfirmChannel, item: Publication): { confirm: Promise<void>; writable: boolean | null } {
  let writable: boolean | null = null;
  const confirm = new Promise<void>((resolve, reject) => {
    try {
      writable = channel.publish(item.exchange, item.routingKey, item.content, item.options, (error: unknown) => {
        if (error === null || error === undefined) resolve();
        else reject(error instanceof Error ? error : new Error(`broker nack: ${String(error)}`));
      });
    } catch (error) {
      // A closed channel throws at once and will never call back.
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
  return { confirm, writable };
}

/** Waits until the channel's write buffer drains, or it closes (then the confirms fail). */
function drained(channel: ConfirmChannel): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      channel.off("drain", done);
      channel.off("close", done);
      resolve();
    };
    channel.on("drain", done);
    channel.on("close", done);
  });
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return cause === undefined ? "not published" : String(cause);
}
