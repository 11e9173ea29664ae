/**
 * Names whose generated files would collide. Output paths are compared as a case-insensitive
 * file system (macOS, Windows) sees them; names are ASCII, so Unicode normalisation cannot merge
 * two of them.
 */
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
import { contextFolder, kebab } from "../output-names.js";
import type { ContextModel, DeclarationModel, Model } from "../resolve/model.js";

/** Two contexts whose folders are the same. */
export function checkContextFolders(model: Model, out: Diagnostic[]): void {
  const seen = new Map<string, ContextModel>();
  for (const c of model.contexts) {
    const folder = contextFolder(c.name);
    const first = seen.get(folder);
    if (!first) {
      seen.set(folder, c);
      continue;
    }
    out.push(
      report("EDA2015", c.nameSpan, { first: first.name, second: c.name, folder }, { labels: [label(first.nameSpan, "declaredAs", { name: first.name })] }),
    );
  }
}

/**
 * Declarations of one context whose files would collide: the JSON Schemas of commands and
 * events (`<Name>.v1.schema.json`), workflow diagrams (`<Workflow>.mmd`), and the handler files
 * of aggregates, services and projections (`<kebab-name>.ts`).
 */
export function checkDeclarationFiles(model: Model, out: Diagnostic[]): void {
  for (const c of model.contexts) {
    collide([...c.commands, ...c.events], (d) => d.name.toLowerCase(), "JSON Schema files", out);
    collide(c.workflows, (d) => d.name.toLowerCase(), "diagrams", out);
    collide([...c.aggregates, ...c.services, ...c.projections], (d) => kebab(d.name), "handler files", out);
  }
}

function collide(decls: readonly DeclarationModel[], fileName: (d: DeclarationModel) => string, what: string, out: Diagnostic[]): void {
  const seen = new Map<string, DeclarationModel>();
  for (const d of [...decls].sort(bySource)) {
    const key = fileName(d);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, d);
      continue;
    }
    if (first.name === d.name) continue; // a duplicate declaration, reported as EDA2003
    out.push(
      report("EDA2016", d.nameSpan, { name: d.name, first: first.name, what }, { labels: [label(first.nameSpan, "declaredAs", { name: first.name })] }),
    );
  }
}

/** The longest file or folder name ext4, APFS and NTFS allow: 255 bytes (names are ASCII, so characters). */
const MAX_FILE_NAME = 255;

/**
 * Contexts and declarations whose generated folder or file name would be longer than file systems
 * allow, so that writing it would fail: the context's folder (`<kebab-name>/`), the JSON Schemas of
 * commands and events (`<Name>.v<version>.schema.json`), workflow diagrams (`<Name>.mmd`) and
 * handler files (`<kebab-name>.ts`).
 */
export function checkFileNameLengths(model: Model, out: Diagnostic[]): void {
  const check = (d: { readonly nameSpan: DeclarationModel["nameSpan"] }, file: string, what: string): void => {
    if (file.length > MAX_FILE_NAME) out.push(report("EDA2017", d.nameSpan, { what, file: abbreviated(file), length: file.length, max: MAX_FILE_NAME }));
  };
  for (const c of model.contexts) {
    check(c, contextFolder(c.name), "folder of this context");
    for (const d of c.commands) check(d, `${d.name}.v1.schema.json`, "JSON Schema file of this command");
    for (const e of c.events) check(e, `${e.name}.v${Math.max(1, ...e.versions.map((v) => v.version))}.schema.json`, "JSON Schema file of this event");
    for (const w of c.workflows) check(w, `${w.name}.mmd`, "diagram of this workflow");
    for (const d of [...c.aggregates, ...c.services, ...c.projections]) check(d, `${kebab(d.name)}.ts`, `handler file of this ${d.kind}`);
  }
}

/** A long file name as its first and last characters, so a message stays readable. */
function abbreviated(file: string): string {
  return file.length <= 60 ? file : `${file.slice(0, 28)}…${file.slice(-28)}`;
}

/**
 * Declarations in source order: by file (code-unit order — the same on every machine, and
 * `localeCompare` would load ICU's collator, 5–6 ms of every cold `eda check`), then position.
 */
function bySource(a: DeclarationModel, b: DeclarationModel): number {
  const fa = a.nameSpan.file;
  const fb = b.nameSpan.file;
  return fa < fb ? -1 : fa > fb ? 1 : a.nameSpan.start - b.nameSpan.start;
}
