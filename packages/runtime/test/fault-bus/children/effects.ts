/** The side effect of the fault tests' handler: a counter per message id, in the store's tables. */
import type { StoreTransaction } from "../../../src/store/event-store.js";

/** Adds one to the effect count of `messageId`, inside `tx`. */
export async function countEffect(tx: StoreTransaction, messageId: string): Promise<void> {
  const rows = await tx.getRows("effects", [messageId]);
  const count = (rows.get(messageId) as number | undefined) ?? 0;
  await tx.putRow("effects", messageId, count + 1);
}
