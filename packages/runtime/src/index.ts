export * from "./types.js";
export type { Outbox, OutboxRow } from "./store/outbox.js";
