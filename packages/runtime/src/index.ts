export * from "./types.js";
// The model codec (also `@eda/runtime/codec`, without the stores).
export * from "./codec/index.js";
export type { Outbox, OutboxRow } from "./store/outbox.js";
export * from "./store/event-store.js";
export { UnstorableRowError } from "./store/checks.js";
export { MemoryEventStore } from "./store/memory-store.js";
// The SQLite and PostgreSQL store classes are in `@eda/runtime/sqlite` and `/postgres`: this entry
// loads no driver; `openStore` imports the one its URL needs (see engine/missing-driver.ts).
export type { PostgresStoreOptions } from "./store/postgres-store.js";
export { MissingDriverError, type ModuleImporter } from "./engine/missing-driver.js";
export { maskCredentials, maskedError, redactUrl } from "./engine/mask-url.js";
export * from "./engine/store-url.js";
export * from "./engine/open-store.js";
export * from "./pipeline/command-types.js";
export * from "./pipeline/define.js";
export * from "./pipeline/context.js";
export * from "./pipeline/load-state.js";
export * from "./pipeline/handle-command.js";
export * from "./pipeline/run-service.js";
// Bus, relay, consumers and observability (see BUS.md).
export * from "./bus/types.js";
export { backoffDelay, type BackoffOptions, type Sleep } from "./bus/backoff.js";
export { createMemoryBus } from "./bus/memory-bus.js";
export * from "./bus/open-bus.js";
export { natsPermissions, type NatsPermissions, type NatsServiceAccess } from "./bus/nats/permissions.js";
export type { TlsOptions } from "./engine/tls.js";
export * from "./relay/relay.js";
export * from "./consumer/consumer.js";
export * from "./consumer/processed-messages.js";
export * from "./consumer/circuit-breaker.js";
export * from "./observability/metrics.js";
export * from "./observability/logger.js";
export * from "./observability/tracing.js";
export * from "./observability/load-tracing.js";
export * from "./observability/observability.js";
export * from "./projection/projection.js";
export * from "./projection/projection-runner.js";
export * from "./projection/rebuild-beside.js";
export { RateLimiter } from "./projection/rate-limiter.js";
// Workflows: orchestrated sagas and choreographed rules (see WORKFLOWS.md).
export * from "./workflow/definition.js";
export * from "./workflow/instance.js";
export { WorkflowDefinitionError, type StrayReason } from "./workflow/machine.js";
export type { CommandStatus, QueuedCommand, StrayEvent } from "./workflow/records.js";
export type { TransitionCause } from "./workflow/intake.js";
export * from "./workflow/orchestrator.js";
export * from "./workflow/choreography.js";
export { InvalidWorkflowError } from "./workflow/validate.js";
export * from "./app/app.js";
export type { RetentionOptions } from "./app/retention.js";
export { Lease, LEASE_TABLE, type LeaseOptions } from "./app/lease.js";
export { auditConsumption, auditedCodec, auditFromEnv, auditProjectionRead, auditStreamLoad, createAuditor, jsonLinesAuditSink, principalOf, type AuditAction, type AuditOptions, type AuditRecord, type AuditSink, type Auditor } from "./audit/audit.js";
export type { ParkedEvent, ParkReason, PoisonPolicy, RetryReport } from "./parking/parked.js";
// `eda store verify`.
export * from "./verify/verify-store.js";
export { HISTORY_UNLOCK_SQL, IMMUTABLE_HISTORY_MESSAGE } from "./store/immutable-history.js";
export * from "./crypto/field-cipher.js";
export { aeadBackend, useAead, type AeadBackend } from "./crypto/aead.js";
export * from "./crypto/key-store.js";
export * from "./crypto/sql-key-store.js";
export * from "./crypto/rewrap-keys.js";
export { purgeDeletedKeys, type PurgeReport } from "./crypto/purge.js";
export * from "./crypto/encrypted-store.js";
export * from "./crypto/app-encryption.js";
export { DataKeyConflictError, type AppendKeys, type SubjectKeyRow } from "./store/key-tables.js";
// Metrics as OpenTelemetry instruments and a Prometheus `/metrics` page (optional peers, loaded lazily).
export { METRIC_NAMES, openTelemetryMetrics } from "./observability/otel-metrics.js";
export { MetricsPackagesMissingError, startPrometheusEndpoint, type PrometheusEndpoint, type PrometheusEndpointOptions } from "./observability/prometheus.js";
export { pinoLogger, type PinoLike } from "./observability/pino.js";
// `eda projections status`.
export { runnerStatus, type RunnerStatus } from "./app/runner-status.js";
export { listParked } from "./app/parked.js";
export { workflowRun, workflowRuns, type WorkflowRun } from "./app/workflow-runs.js";
// Exact arithmetic and value equality on `decimal` strings (also `@eda/runtime/decimal`).
export * as decimal from "./decimal.js";
