/**
 * Loading OpenTelemetry on demand. Apart from `tracing.ts`, so that the lazily loaded `otel.ts`
 * (which needs the shared types and attributes) is not part of an import circle.
 */
import { noopTracing, type Tracing } from "./tracing.js";

/**
 * Loads `@opentelemetry/api` and returns tracing backed by it, or `noopTracing` when the
 * package is not installed. `load` is for tests.
 */
export async function loadOpenTelemetryTracing(
  load: () => Promise<unknown> = () => import("@opentelemetry/api"),
): Promise<Tracing> {
  let api: unknown;
  try {
    api = await load();
  } catch (error) {
    if (isModuleNotFound(error)) return noopTracing;
    throw error;
  }
  const { openTelemetryTracing } = await import("./otel.js");
  return openTelemetryTracing(api);
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}
