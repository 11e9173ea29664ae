/**
 * `@eda/runtime/otel`: tracing backed by OpenTelemetry, for code that builds it from its own
 * `@opentelemetry/api` module (`openTelemetryTracing(await import("@opentelemetry/api"))`).
 * `loadOpenTelemetryTracing()` from the main entry does the import itself, and falls back to no
 * tracing when the optional peer dependency is not installed.
 */
export { openTelemetryTracing } from "../observability/otel.js";
