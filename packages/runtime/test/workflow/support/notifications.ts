/**
 * The shop's notification choreography (examples/shop/notifications.eda) as generated, and a
 * Mailer service behind `runService` whose mail server fails a given number of times per
 * command before it answers.
 */
import { reject } from "../../../src/pipeline/command-types.js";
import { runService, type ServiceHandler } from "../../../src/pipeline/run-service.js";
import type { EventStore } from "../../../src/store/event-store.js";
import type { StoredEvent } from "../../../src/types.js";
import type { ChoreographedWorkflow, CommandSender } from "../../../src/workflow/definition.js";
import { idsFrom, messageCodec, type M } from "./messages.js";

type NotificationEvent =
  | M<"OrderPlaced", { orderId: string; contactEmail: string }>
  | M<"ShipmentScheduled", { orderId: string; trackingCode: string }>;

export type MailEvent = M<"OrderConfirmationSent", { orderId: string }> | M<"ShippingNoticeSent", { orderId: string }>;

export type MailCommand =
  | M<"SendOrderConfirmation", { orderId: string; to: string }>
  | M<"SendShippingNotice", { orderId: string; trackingCode: string }>;

/** `workflow CustomerNotifications choreographed`, as generated. */
export const customerNotifications: ChoreographedWorkflow<NotificationEvent, MailCommand> = {
  name: "CustomerNotifications",
  rules: [
    {
      name: "onOrderPlaced",
      on: "OrderPlaced",
      send: (data) => ({ type: "SendOrderConfirmation", data: { orderId: data.orderId, to: data.contactEmail } }),
    },
    {
      name: "onShipmentScheduled",
      on: "ShipmentScheduled",
      send: (data) => ({ type: "SendShippingNotice", data: { orderId: data.orderId, trackingCode: data.trackingCode } }),
    },
  ],
};

/** The mail server: fails `failures` times for each new command, and counts every call. */
export interface MailServer {
  readonly calls: Map<string, number>;
  failures: number;
}

function mailer(): ServiceHandler<MailCommand, MailEvent, string> {
  return {
    name: "Mailer",
    streamOf: (c) => `Notifications.Mail-${c.data.orderId}`,
    handle(c) {
      if (c.type === "SendShippingNotice" && c.data.trackingCode === "") return reject("no-tracking-code");
      return c.type === "SendOrderConfirmation"
        ? [{ type: "OrderConfirmationSent", data: { orderId: c.data.orderId } }]
        : [{ type: "ShippingNoticeSent", data: { orderId: c.data.orderId } }];
    },
  };
}

/** The Mailer behind a sender; the mail server is called (and may throw) before the handler runs. */
export function mailSender(store: EventStore, server: MailServer): CommandSender<MailCommand> {
  const service = mailer();
  const codec = messageCodec<MailEvent>();
  return async (command, meta) => {
    const calls = (server.calls.get(meta.messageId) ?? 0) + 1;
    server.calls.set(meta.messageId, calls);
    if (calls <= server.failures) throw new Error(`mail server unavailable (call ${calls})`);
    return runService(store, service, codec, { ...meta, payload: command }, { newId: idsFrom(meta.messageId) });
  };
}

/** A stored event as the relay would publish it. */
export function published(messageId: string, type: string, payload: unknown, globalPosition: number, stream = "Ordering.Order-o"): StoredEvent {
  return {
    messageId,
    type,
    version: 1,
    stream,
    position: globalPosition - 1,
    globalPosition,
    time: "2030-01-01T00:00:00.000Z",
    correlationId: `conv-${messageId}`,
    causationId: null,
    metadata: {},
    payload,
  };
}
