/**
 * A Prometheus `/metrics` page for the runtime's metrics, through OpenTelemetry: a
 * `MeterProvider` of `@opentelemetry/sdk-metrics` read by `@opentelemetry/exporter-prometheus`,
 * served by a small `node:http` server of our own (so port 0 works and the bound port is known).
 * Both packages are optional peers, loaded only when an endpoint is asked for.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Metrics } from "./metrics.js";

/** Where to serve `/metrics`. */
export interface PrometheusEndpointOptions {
  /** The TCP port (0: any free one; see `PrometheusEndpoint.url`). */
  readonly port: number;
  /** The interface to listen on (default `127.0.0.1`; `0.0.0.0` for every one). */
  readonly host?: string;
}

/** A running `/metrics` page. */
export interface PrometheusEndpoint {
  /** Record here: every hook becomes an OpenTelemetry instrument shown on the page. */
  readonly metrics: Metrics;
  /** `http://host:port/metrics`, with the port actually bound. */
  readonly url: string;
  /** Stops serving and shuts the meter provider down. */
  close(): Promise<void>;
}

/** Thrown when an endpoint is asked for but the OpenTelemetry packages are not installed. */
export class MetricsPackagesMissingError extends Error {
  override readonly name = "MetricsPackagesMissingError";
  constructor(cause: unknown) {
    super("the Prometheus endpoint needs @opentelemetry/api, @opentelemetry/sdk-metrics and @opentelemetry/exporter-prometheus; install them beside @eda/runtime", { cause });
  }
}

/** Starts serving the runtime's metrics at `/metrics` on `options.port`. */
export async function startPrometheusEndpoint(options: PrometheusEndpointOptions): Promise<PrometheusEndpoint> {
  const [sdk, exporterModule, { openTelemetryMetrics }] = await Promise.all([
    import("@opentelemetry/sdk-metrics").catch((error: unknown) => Promise.reject(new MetricsPackagesMissingError(error))),
    import("@opentelemetry/exporter-prometheus").catch((error: unknown) => Promise.reject(new MetricsPackagesMissingError(error))),
    import("./otel-metrics.js"),
  ]);
  const exporter = new exporterModule.PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  const provider = new sdk.MeterProvider({ readers: [exporter] });
  const server = createServer((request, response) => {
    if (request.method === "GET" && (request.url ?? "").split("?")[0] === "/metrics") exporter.getMetricsRequestHandler(request, response);
    else response.writeHead(404).end("not found: the metrics are at /metrics\n");
  });
  const host = options.host ?? "127.0.0.1";
  try {
    await listen(server, options.port, host);
  } catch (error) {
    await provider.shutdown();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    metrics: openTelemetryMetrics(provider.getMeter("@eda/runtime")),
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/metrics`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await provider.shutdown();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
