import { reject } from "../../shop-generated/decisions.js";
import { defineMailer } from "../../shop-generated/notifications/services.js";

/** One e-mail. `id` is stable per message, so a transport can drop a repeated delivery. */
export interface Mail {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

/** What the mailer needs from the outside world. */
export interface MailerDeps {
  /** Sends one e-mail (idempotent per `mail.id`). */
  send(mail: Mail): Promise<void>;
  /** The contact address of an order, if known (a read model). */
  contactOf(orderId: string): Promise<string | undefined>;
}

/** The behaviour of service `Mailer`: sends the order confirmation and the shipping notice. */
export function createMailer(deps: MailerDeps) {
  return defineMailer({
    async SendOrderConfirmation(command) {
      await deps.send({
        id: `order-confirmation:${command.orderId}`,
        to: command.to,
        subject: "We have your order",
        body: `Thank you! Your order ${command.orderId} is being prepared.`,
      });
      return [{ type: "OrderConfirmationSent", data: { orderId: command.orderId } }];
    },
    async SendShippingNotice(command) {
      const to = await deps.contactOf(command.orderId);
      if (to === undefined) return reject({ code: "unknown-recipient", message: `No contact address for order ${command.orderId}.` });
      await deps.send({
        id: `shipping-notice:${command.orderId}`,
        to,
        subject: "Your parcel is on its way",
        body: `Track it with the code ${command.trackingCode}.`,
      });
      return [{ type: "ShippingNoticeSent", data: { orderId: command.orderId } }];
    },
  });
}

/** A transport that keeps the mail in memory, dropping repeated ids (for tests and the demo). */
export function memoryMail(contacts: ReadonlyMap<string, string> = new Map()): MailerDeps & { readonly sent: Mail[] } {
  const sent: Mail[] = [];
  return {
    sent,
    async send(mail) {
      if (!sent.some((m) => m.id === mail.id)) sent.push(mail);
    },
    async contactOf(orderId) {
      return contacts.get(orderId);
    },
  };
}
