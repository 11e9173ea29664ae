/**
 * The edit `eda init --existing` makes to a project's package.json: eda's scripts and the
 * dependencies it lacks, as text edits (jsonc-parser), so that everything else in the file keeps
 * its bytes: key order, indentation (read from the file: spaces or tabs), line ends, the final
 * newline or its absence. Pure: text in, text out.
 */
import { applyEdits, modify, parse, parseTree, type FormattingOptions } from "jsonc-parser";
import { parseJson } from "../config.js";
import { CliError } from "../errors.js";
import { edaDependencies, VERSIONS } from "./project.js";

/** The scripts eda adds, named apart from the project's own `build`, `check` or `generate`. */
export const EDA_SCRIPTS: Readonly<Record<string, string>> = { "eda:check": "eda check", "eda:generate": "eda generate" };

/** Where package.json may list a package already (then eda leaves it as it is). */
const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

/** What {@link planManifest} found and the text it makes. */
export interface ManifestPlan {
  /** The new text: the old one when there is nothing to add. */
  readonly text: string;
  /** Scripts added (eda's scripts the file already has with the same command are not). */
  readonly scripts: readonly string[];
  /** Packages added, as `field: name`, in the order added. */
  readonly added: readonly { readonly field: "dependencies" | "devDependencies"; readonly name: string }[];
  /** Packages eda needs that the project lists already: `zod ^4.1.0`. */
  readonly kept: readonly string[];
  /** eda's scripts the project has with another command: `"eda:check": "…"`; the plan adds nothing then. */
  readonly clashes: readonly string[];
  /** Listed versions eda's generated code cannot use. */
  readonly warnings: readonly string[];
}

type Manifest = Record<string, unknown>;

/** Plans the edit of package.json `text` for eda of version `version`; a CliError when it is not a JSON object. */
export function planManifest(text: string, version: string, name = "package.json"): ManifestPlan {
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const body = text.slice(bom.length);
  const manifest = readManifest(body, name);
  const scripts = (manifest["scripts"] ?? {}) as Record<string, unknown>;
  const clashes = Object.entries(EDA_SCRIPTS)
    .filter(([name, command]) => name in scripts && scripts[name] !== command)
    .map(([name]) => `"${name}": ${JSON.stringify(scripts[name])}`);
  const newScripts = Object.keys(EDA_SCRIPTS).filter((name) => !(name in scripts));
  const { added, kept } = missingPackages(manifest, version);
  const format = formatOf(body);
  let edited = body;
  for (const name of newScripts) edited = insert(edited, ["scripts", name], EDA_SCRIPTS[name] as string, format, false);
  for (const { field, name } of added) {
    edited = insert(edited, [field, name], edaDependencies(version)[field][name] as string, format, true);
  }
  return { text: clashes.length > 0 ? text : bom + edited, scripts: newScripts, added, kept, clashes, warnings: versionWarnings(manifest) };
}

/** The manifest as an object, its fields eda edits checked; a CliError with line:col when it is not JSON. */
function readManifest(body: string, name: string): Manifest {
  const value = parseJson(body, name);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new CliError(`${name}: is not a JSON object`);
  const manifest = value as Manifest;
  refuseDuplicates(body, name);
  for (const field of ["scripts", ...DEPENDENCY_FIELDS]) {
    const entry = manifest[field];
    if (entry !== undefined && (typeof entry !== "object" || entry === null || Array.isArray(entry))) {
      throw new CliError(`${name}: "${field}" is not an object; eda init --existing adds to it`);
    }
  }
  return manifest;
}

/**
 * A field eda reads or edits may appear once only: JSON.parse (and npm) take its last occurrence,
 * the text edit changes its first, so eda's scripts would go where npm never reads them and a
 * version of the project's own, in the first, would be overwritten.
 */
function refuseDuplicates(body: string, name: string): void {
  const seen = new Set<string>();
  for (const property of parseTree(body)?.children ?? []) {
    const key = property.children?.[0];
    const field = key?.value as string | undefined;
    if (key === undefined || field === undefined || !(field === "scripts" || (DEPENDENCY_FIELDS as readonly string[]).includes(field))) continue;
    if (seen.has(field)) {
      const before = body.slice(0, key.offset).split("\n");
      throw new CliError(`${name}:${before.length}:${(before.at(-1) ?? "").length + 1}: "${field}" is there twice; npm reads only the last one and eda init --existing would edit the first: merge them, then run it again`);
    }
    seen.add(field);
  }
}

/** eda's packages the manifest lists nowhere (to add) and those it lists already (kept as they are). */
function missingPackages(manifest: Manifest, version: string): Pick<ManifestPlan, "added" | "kept"> {
  const added: { field: "dependencies" | "devDependencies"; name: string }[] = [];
  const kept: string[] = [];
  const wanted = edaDependencies(version);
  for (const field of ["dependencies", "devDependencies"] as const) {
    for (const name of Object.keys(wanted[field])) {
      const listed = DEPENDENCY_FIELDS.map((f) => (manifest[f] as Record<string, unknown> | undefined)?.[name]).find((v) => v !== undefined);
      if (listed === undefined) added.push({ field, name });
      else kept.push(`${name} ${String(listed)}`);
    }
  }
  return { added, kept };
}

/** The generated schemas are Zod 4's: an older Zod listed by the project would not type-check. */
function versionWarnings(manifest: Manifest): string[] {
  const range = DEPENDENCY_FIELDS.map((f) => (manifest[f] as Record<string, unknown> | undefined)?.["zod"]).find((v) => v !== undefined);
  const major = typeof range === "string" ? /^[\s^~>=v]*(\d+)/.exec(range)?.[1] : undefined;
  if (major === undefined || Number(major) >= 4) return [];
  return [`package.json: zod ${String(range)}: the generated schemas need zod 4; upgrade it (${VERSIONS.zod})`];
}

/** The file's own indentation (the first indented line's) and line ends; two spaces when it has none. */
function formatOf(body: string): FormattingOptions {
  const eol = body.includes("\r\n") ? "\r\n" : "\n";
  const indent = /^([ \t]+)\S/m.exec(body)?.[1] ?? "  ";
  return indent.startsWith("\t") ? { insertSpaces: false, tabSize: 1, eol } : { insertSpaces: true, tabSize: indent.length, eol };
}

/**
 * `text` with `value` at `path`, the missing object made. A package goes where npm would put it
 * when the object's keys are in order (npm keeps them sorted), else last, as a script does; a
 * missing object goes last in the file.
 */
function insert(text: string, path: [string, string], value: string, format: FormattingOptions, sorted: boolean): string {
  const name = path[1];
  const exists = (parse(text) as Manifest)[path[0]] !== undefined;
  const getInsertionIndex = (keys: string[]): number => {
    if (!exists) return keys.length;
    const inOrder = keys.every((key, i) => i === 0 || (keys[i - 1] as string) <= key);
    const at = sorted && inOrder ? keys.findIndex((key) => key > name) : -1;
    return at === -1 ? keys.length : at;
  };
  return applyEdits(text, modify(text, path, value, { formattingOptions: format, getInsertionIndex }));
}
