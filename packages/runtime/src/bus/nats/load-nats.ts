/**
 * The NATS client packages are optional peer dependencies of `@eda/runtime`: they are imported
 * only when a `nats://` URL is opened, and a clear error names what to install when they are
 * missing.
 */
import { importDrivers, nativeImport, type ModuleImporter } from "../../engine/missing-driver.js";

/** The modules the NATS bus uses. */
export interface NatsModules {
  readonly transport: typeof import("@nats-io/transport-node");
  readonly jetstream: typeof import("@nats-io/jetstream");
}

/** The packages a `nats://` bus needs, as users install them. */
export const NATS_PACKAGES = ["@nats-io/transport-node", "@nats-io/jetstream"] as const;

/** Imports the NATS client; throws `MissingDriverError` naming the packages that are missing. */
export async function loadNats(importer: ModuleImporter = nativeImport): Promise<NatsModules> {
  const [transport, jetstream] = await importDrivers("the NATS bus (nats://…)", NATS_PACKAGES, importer);
  return { transport, jetstream } as NatsModules;
}
