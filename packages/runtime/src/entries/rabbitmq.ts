/**
 * `@eda/runtime/rabbitmq`: the RabbitMQ bus, for code that opens one itself. Needs the optional
 * peer dependency `amqplib`; `openBus("amqp://…")` (and so `createApp`) loads it on its own, and
 * throws `MissingDriverError` when it is not installed.
 */
export { openRabbitBus, DEFAULT_QUEUE_TYPE, QUEUE_TYPE_PARAM, type RabbitBusOptions } from "../bus/rabbit/rabbit-bus.js";
export type { QueueDeclared, QueueType } from "../bus/rabbit/queues.js";
