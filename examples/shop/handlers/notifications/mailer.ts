import { reject } from "../../generated/decisions.js";
import { defineMailer } from "../../generated/notifications/services.js";

/** One e-mail. `id` is stable per message, so a transport can drop a repeated delivery. */
export interface Mail {
  readonly id: string;
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

/** What the mailer needs from the outside world. */
export interface MailTransport {
  /** Sends one e-mail (idempotent per `mail.id`). */
  send(mail: Mail): Promise<void>;
  /** The contact address of an order, if known. */
  contactOf(orderId: string): Promise<string | undefined>;
}

/** A transport that keeps the mail in memory, dropping repeated ids (for tests and the demo). */
export function memoryMail(contacts: Map<string, string> = new Map()): MailTransport & { readonly sent: Mail[]; readonly contacts: Map<string, string> } {
  const sent: Mail[] = [];
  return {
    sent,
    contacts,
    async send(mail) {
      if (!sent.some((m) => m.id === mail.id)) sent.push(mail);
    },
    async contactOf(orderId) {
      return contacts.get(orderId);
    },
  };
}

let transport: MailTransport = memoryMail();

/** Chooses where the mailer sends e-mail (an SMTP client in production; `memoryMail()` here). */
export function useMailTransport(next: MailTransport): void {
  transport = next;
}

/** The behaviour of service `Mailer`: sends the order confirmation and the shipping notice. */
export const mailer = defineMailer({
  async SendOrderConfirmation(command) {
    await transport.send({
      id: `order-confirmation:${command.orderId}`,
      to: command.to,
      subject: "We have your order",
      body: `Thank you! Your order ${command.orderId} is being prepared.`,
    });
    return [{ type: "OrderConfirmationSent", data: { orderId: command.orderId } }];
  },
  async SendShippingNotice(command) {
    const to = await transport.contactOf(command.orderId);
    if (to === undefined) return reject({ code: "unknown-recipient", message: `No contact address for order ${command.orderId}.` });
    await transport.send({
      id: `shipping-notice:${command.orderId}`,
      to,
      subject: "Your parcel is on its way",
      body: `Track it with the code ${command.trackingCode}.`,
    });
    return [{ type: "ShippingNoticeSent", data: { orderId: command.orderId } }];
  },
});
