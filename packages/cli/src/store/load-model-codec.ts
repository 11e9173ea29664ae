/**
 * How `eda store verify` gets the CURRENT model's codec: the project's generated `codec.ts` and
 * its hand-written upcast hooks, which are TypeScript, loaded with tsx's `tsImport` (a maintained
 * loader made for this, resolved from the CLI's own dependencies and loaded only by this
 * command); and the project's own `@eda/runtime`, resolved from the generated code's folder, so
 * the store is read by the runtime the application runs on. Nothing of the generator's Zod
 * lowering is repeated here: the schemas are the generated ones.
 */
import { stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import type { EdaConfig } from "../config.js";
import { CliError, describeFsError } from "../errors.js";
import { readInputs } from "../sources.js";

type Imported = Record<string, unknown>;
type TsImport = (specifier: string, parentURL: string) => Promise<Imported>;

/** What the command needs of the project's `@eda/runtime` (its public API, structurally). */
export interface ProjectRuntime {
  /** `existing`: refuse a database without eda's tables, creating nothing (runtimes before it ignore it). */
  openStore(url: string, options?: { existing?: boolean }): Promise<{ close(): Promise<void> }>;
  parseStoreUrl(url: string): { readonly engine: string; readonly file?: string };
  verifyStore(store: unknown, codec: unknown, options: unknown): Promise<{ events: number; unreadable: number; complete: boolean }>;
  /** The store wrapped to decrypt `@pii(subject)` fields (runtimes with crypto-shredding). */
  withEncryption?(store: { close(): Promise<void> }, codec: unknown, encryption: undefined): { close(): Promise<void> };
  /** The key store in the event store's database (runtimes with crypto-shredding). */
  sqlKeyStore?(store: unknown, options: { masterKey?: Buffer }): { forget(subject: string): Promise<number>; purge?(): Promise<PurgeReport> };
  /** Master-key rotation of the key table (runtimes with it; `purge` in those that purge after it). */
  rewrapKeys?(store: unknown, options: { from?: Buffer; to: Buffer }): Promise<{ rewrapped: number; already: number; purge?: PurgeReport }>;
}

/** What a runtime's purge of deleted keys did (`purgeDeletedKeys`). */
export interface PurgeReport {
  readonly complete: boolean;
  readonly detail: string;
}

/** The loaded codec and runtime. */
export interface LoadedModel {
  readonly codec: unknown;
  readonly runtime: ProjectRuntime;
}

/** Where the modules are: the generated codec, and optionally a module exporting the upcast hooks. */
export interface ModelLocation {
  readonly codec: string;
  readonly upcasts?: string;
  readonly config?: EdaConfig;
  readonly cwd: string;
}

/** Loads the project's codec (with its upcast hooks) and runtime. */
export async function loadModelCodec(where: ModelLocation): Promise<LoadedModel> {
  const tsImport = loadTsImport();
  const codec = await loadCodecWith(tsImport, where);
  const runtime = (await importModule(tsImport, "@eda/runtime", pathToFileURL(where.codec).href, where.cwd)) as unknown as ProjectRuntime;
  return { codec, runtime };
}

/**
 * The project's codec with its upcast hooks, without the runtime's store and pipeline modules
 * (`eda corpus check` reads no store; loading them through tsx costs about 0.2 s).
 */
export function loadCodec(where: ModelLocation): Promise<unknown> {
  return loadCodecWith(loadTsImport(), where);
}

async function loadCodecWith(tsImport: TsImport, where: ModelLocation): Promise<unknown> {
  await mustExist(where.codec, where.cwd, "run `eda generate` first, or pass --codec FILE");
  const codecModule = await importModule(tsImport, where.codec, pathToFileURL(where.codec).href, where.cwd);
  const createCodec = codecModule["createCodec"];
  if (typeof createCodec !== "function") throw new CliError(`${shown(where.codec, where.cwd)} exports no createCodec: is it eda's generated codec.ts?`);
  // The generated factory takes the hooks only when the model's upcasts need some.
  const hooks = createCodec.length === 0 ? undefined : await loadHooks(tsImport, where);
  return (createCodec as (hooks?: unknown) => unknown)(hooks);
}

/**
 * The project's hand-written implementation (the object passed to the generated `createApp`):
 * the module's export `implementation`, or its default; with the codec made with its `upcasts`.
 */
export async function loadImplementation(file: string, codecFile: string, cwd: string): Promise<{ readonly implementation: Record<string, unknown>; readonly codec: unknown }> {
  await mustExist(file, cwd, 'pass --implementation MODULE (exporting "implementation", the object given to createApp)');
  const tsImport = loadTsImport();
  const module = await importModule(tsImport, file, pathToFileURL(file).href, cwd);
  const implementation = module["implementation"] ?? module["default"];
  if (typeof implementation !== "object" || implementation === null) throw new CliError(`${shown(file, cwd)} exports no "implementation" object (nor a default one)`);
  await mustExist(codecFile, cwd, "run `eda generate` first, or pass --codec FILE");
  const createCodec = (await importModule(tsImport, codecFile, pathToFileURL(codecFile).href, cwd))["createCodec"];
  if (typeof createCodec !== "function") throw new CliError(`${shown(codecFile, cwd)} exports no createCodec: is it eda's generated codec.ts?`);
  const upcasts = (implementation as Record<string, unknown>)["upcasts"];
  return { implementation: implementation as Record<string, unknown>, codec: (createCodec as (hooks?: unknown) => unknown)(upcasts) };
}

/** The project's own `@eda/runtime`, resolved from `from` (a file or folder of the project). */
export async function loadProjectRuntime(from: string, cwd: string): Promise<ProjectRuntime> {
  const parent = pathToFileURL(join(from, "eda-resolve.js")).href;
  return (await importModule(loadTsImport(), "@eda/runtime", parent, cwd)) as unknown as ProjectRuntime;
}

/** tsx's `tsImport`, from its ES module build (its CommonJS build of the API does not load). */
function loadTsImport(): TsImport {
  const require = createRequire(import.meta.url);
  try {
    const api = require(join(dirname(require.resolve("tsx/package.json")), "dist/esm/api/index.mjs")) as { tsImport: TsImport };
    return api.tsImport;
  } catch (error) {
    throw new CliError(`eda store verify loads TypeScript with tsx, which could not be loaded: ${describeFsError(error)}`);
  }
}

async function importModule(tsImport: TsImport, specifier: string, parent: string, cwd: string): Promise<Imported> {
  try {
    return await tsImport(specifier, parent);
  } catch (error) {
    const what = specifier.startsWith("/") ? shown(specifier, cwd) : specifier;
    const hint = specifier === "@eda/runtime" ? " (install @eda/runtime in the project)" : "";
    throw new CliError(`cannot load ${what}${hint}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
}

/**
 * The upcast hooks: the module named by --upcasts (its export `upcasts`, or its default), or
 * the scaffolds' modules in the handlers folder, one per context, found as the generator placed
 * them (`upcastHookModules`).
 */
async function loadHooks(tsImport: TsImport, where: ModelLocation): Promise<unknown> {
  if (where.upcasts !== undefined) {
    await mustExist(where.upcasts, where.cwd, "pass the module that exports the model's upcast hooks");
    const module = await importModule(tsImport, where.upcasts, pathToFileURL(where.upcasts).href, where.cwd);
    const hooks = module["upcasts"] ?? module["default"];
    if (typeof hooks !== "object" || hooks === null) throw new CliError(`${shown(where.upcasts, where.cwd)} exports no "upcasts" object (nor a default one)`);
    return hooks;
  }
  const config = where.config;
  if (config?.handlers === undefined) {
    throw new CliError('the model\'s upcasts need hand-written hooks: pass --upcasts MODULE (exporting "upcasts"), or set "handlers" in eda.config.json');
  }
  const [{ compile, hasErrors }, { upcastHookModules }] = await Promise.all([import("@eda/language"), import("@eda/generator")]);
  const { model, diagnostics } = compile((await readInputs([], where.cwd, config)).map((i) => i.source));
  if (hasErrors(diagnostics)) throw new CliError("the model has errors (run `eda check`): the codec to verify with is uncertain");
  const hooks: Record<string, unknown> = {};
  for (const m of upcastHookModules(model)) {
    const file = join(config.handlers, m.path);
    await mustExist(file, where.cwd, "the upcast hooks are not where the scaffold put them: pass --upcasts MODULE");
    const value = (await importModule(tsImport, file, pathToFileURL(file).href, where.cwd))[m.variable];
    if (value === undefined) throw new CliError(`${shown(file, where.cwd)} exports no ${m.variable}: pass --upcasts MODULE`);
    hooks[m.context] = value;
  }
  return hooks;
}

async function mustExist(file: string, cwd: string, hint: string): Promise<void> {
  try {
    await stat(file);
  } catch (error) {
    throw new CliError(`cannot read '${shown(file, cwd)}': ${describeFsError(error)}; ${hint}`);
  }
}

function shown(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith("..") ? file : rel.split("\\").join("/");
}
