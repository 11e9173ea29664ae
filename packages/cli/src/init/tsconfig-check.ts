/**
 * What `eda init --existing` says about a project's tsconfig.json: the settings with which the
 * generated code does not compile, each with the setting to change. It never edits the file.
 * The config is read by TypeScript itself (ts-morph's, loaded only here), so that `extends`
 * chains, comments and defaults count as the compiler counts them.
 */
import { isAbsolute, join, relative } from "node:path";
import { ts } from "ts-morph";

/** What the check needs to know of the project. */
export interface TsconfigContext {
  /** The project's folder (where tsconfig.json is). */
  readonly dir: string;
  /** The folder of eda's code, relative to `dir`: `src/eda`. */
  readonly codeDir: string;
  /** A file of eda's there, written already: whether the config compiles it. */
  readonly probe: string;
  /** package.json says `"type": "module"`. */
  readonly esm: boolean;
}

/** The module kinds whose own resolution finds package `exports` (TypeScript's names, lower case). */
const RESOLVING_MODULES = new Set(["node16", "node18", "node20", "nodenext", "preserve"]);
/** The resolutions that find package `exports` (@eda/runtime/decisions and the other subpaths). */
const RESOLUTIONS = new Set(["node16", "nodenext", "bundler"]);
const FIX_RESOLUTION = 'set "module" and "moduleResolution" to "nodenext" (or "moduleResolution" to "bundler")';

/** Warnings about the project's tsconfig.json, one line each, `tsconfig.json: …`. */
export function checkTsconfig(context: TsconfigContext): string[] {
  const file = join(context.dir, "tsconfig.json");
  if (!ts.sys.fileExists(file)) return [`no tsconfig.json: the generated code in ${context.codeDir}/ is TypeScript; compile it with "module": "nodenext" and "skipLibCheck": true, as a new eda project's tsconfig.json does`];
  const read = ts.readConfigFile(file, (path) => ts.sys.readFile(path));
  if (read.error !== undefined) return [`tsconfig.json: not checked, TypeScript cannot read it: ${flatten(read.error)}`];
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, context.dir, undefined, file);
  const options = parsed.options;
  return [...resolutionWarnings(options), ...optionWarnings(options, context), ...coverageWarnings(parsed, context)].map((w) => `tsconfig.json: ${w}`);
}

/** The generated code imports @eda/runtime's subpaths, which only the Node and bundler resolutions find. */
function resolutionWarnings(options: ts.CompilerOptions): string[] {
  const module = options.module === undefined ? undefined : ts.ModuleKind[options.module]?.toLowerCase();
  const resolution = options.moduleResolution === undefined ? undefined : ts.ModuleResolutionKind[options.moduleResolution]?.toLowerCase();
  if (resolution !== undefined) {
    if (RESOLUTIONS.has(resolution)) return [];
    return [`"moduleResolution": "${resolution}" does not read package exports, so it cannot find @eda/runtime/decisions and the other subpaths the generated code imports; ${FIX_RESOLUTION}`];
  }
  if (module !== undefined && RESOLVING_MODULES.has(module)) return [];
  const given = module === undefined ? 'no "module" and no "moduleResolution"' : `"module": "${module}" without "moduleResolution"`;
  return [`${given}: TypeScript before 6.0 then resolves as node10 or classic, which cannot find @eda/runtime/decisions and the other subpaths the generated code imports; ${FIX_RESOLUTION}`];
}

function optionWarnings(options: ts.CompilerOptions, context: TsconfigContext): string[] {
  const warnings: string[] = [];
  // @eda/runtime's declarations name the drivers of every store and bus (pg, amqplib, nats…),
  // which a project installs only for the ones it uses.
  if (options.skipLibCheck !== true) warnings.push('set "skipLibCheck": true: @eda/runtime\'s declarations name optional drivers (pg, amqplib, nats) that a project installs only if it uses them');
  if (options.isolatedDeclarations === true) warnings.push('"isolatedDeclarations": true fails on the generated code, whose exported values have inferred types; set it to false');
  const module = options.module === undefined ? "" : (ts.ModuleKind[options.module]?.toLowerCase() ?? "");
  if (options.verbatimModuleSyntax === true && module.startsWith("node") && !context.esm) {
    warnings.push(`"verbatimModuleSyntax": true with "module": "${module}" refuses the import and export of ${context.codeDir}/, compiled as CommonJS since package.json has no "type": "module"; add "type": "module" to package.json, or set "verbatimModuleSyntax": false`);
  }
  return warnings;
}

/** eda's folder must be among the files the config compiles, and under its rootDir. */
function coverageWarnings(parsed: ts.ParsedCommandLine, context: TsconfigContext): string[] {
  const rootDir = parsed.options.rootDir;
  if (rootDir !== undefined) {
    const inside = relative(rootDir, join(context.dir, context.codeDir));
    if (inside.startsWith("..") || isAbsolute(inside)) return [`"rootDir": "${relative(context.dir, rootDir) || "."}" does not hold ${context.codeDir}/, where eda's code is; widen it, or move eda's folders (eda.config.json's "model", "out", "handlers" and "implementation") under it`];
  }
  const probe = ts.sys.resolvePath(join(context.dir, context.probe)).replaceAll("\\", "/");
  if (parsed.fileNames.some((name) => name.replaceAll("\\", "/") === probe)) return [];
  return [`it compiles no file of ${context.codeDir}/, where eda's code is (its "include", "exclude" or "files" leave it out); add "${context.codeDir}" to "include", or the generated code is not compiled with the rest`];
}

function flatten(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
}
