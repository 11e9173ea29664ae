/**
 * The NATS client packages are optional peer dependencies of `@eda/runtime`: they are imported
 * only when a `nats://` URL is opened, and a clear error names what to install when they are
 * missing.
 */
import type * as Jetstream from "@nats-io/jetstream";
import type * as Transport from "@nats-io/transport-node";
import { importDrivers, nativeImport, type ModuleImporter } from "../../engine/missing-driver.js";

/** The modules the NATS bus uses (types only here: nothing is loaded before `loadNats`). */
export interface NatsModules {
  readonly transport: typeof Transport;
  readonly jetstream: typeof Jetstream;
}

/** The packages a `nats://` bus needs, as users install them. */
export const NATS_PACKAGES = ["@nats-io/transport-node", "@nats-io/jetstream"] as const;

/** Imports the NATS client; throws `MissingDriverError` naming the packages that are missing. */
export async function loadNats(importer: ModuleImporter = nativeImport): Promise<NatsModules> {
  const [transport, jetstream] = await importDrivers("the NATS bus (nats://…)", NATS_PACKAGES, importer);
  return { transport, jetstream } as NatsModules;
}
