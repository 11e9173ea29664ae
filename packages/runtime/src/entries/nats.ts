/**
 * `@eda/runtime/nats`: the NATS JetStream bus, for code that opens one itself. Needs the optional
 * peer dependencies `@nats-io/transport-node` and `@nats-io/jetstream`, imported when the bus
 * opens (`MissingDriverError` names the missing ones); `openBus("nats://…")` does the same.
 */
export { openNatsBus, type NatsBusOptions } from "../bus/nats/nats-bus.js";
export { NATS_PACKAGES } from "../bus/nats/load-nats.js";
