/**
 * Drivers that are optional peer dependencies: loaded with `import()` only when a URL needs
 * them, so an application installs only the client of the broker it uses. A missing one is
 * reported by name, with the command that installs it.
 */

/** Thrown when a URL needs a driver package that is not installed. */
export class MissingDriverError extends Error {
  override readonly name = "MissingDriverError";
  constructor(
    /** What needs the packages, e.g. "the NATS bus (nats://…)". */
    readonly feature: string,
    /** Every package the feature needs that could not be loaded. */
    readonly packages: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `${feature} needs ${packages.join(" and ")}, which ${packages.length === 1 ? "is" : "are"} not installed. ` +
        `Install ${packages.length === 1 ? "it" : "them"} beside @eda/runtime: npm install ${packages.join(" ")}`,
      options,
    );
  }
}

/** Loads a module by name; injectable so tests can hide a package. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** Node's own `import()`. */
export const nativeImport: ModuleImporter = (specifier) => import(specifier);

/**
 * Imports every package of `specifiers`; those that are not installed are reported together in
 * one `MissingDriverError`. Any other failure (a broken install) is rethrown as it is.
 */
export async function importDrivers(feature: string, specifiers: readonly string[], importer: ModuleImporter = nativeImport): Promise<unknown[]> {
  const results = await Promise.allSettled(specifiers.map((s) => importer(s)));
  const missing = specifiers.filter((_, i) => {
    const result = results[i];
    return result?.status === "rejected" && isNotFound(result.reason, specifiers[i] ?? "");
  });
  if (missing.length > 0) throw new MissingDriverError(feature, missing);
  const failed = results.find((r) => r.status === "rejected");
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value);
}

function isNotFound(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  // A package that is installed but misses one of its own dependencies is a broken install,
  // not this package missing: only report the package the error names.
  return String((error as Error).message).includes(specifier);
}
