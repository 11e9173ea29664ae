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

/**
 * Declarations in source order: by file (code-unit order — the same on every machine, and
 * `localeCompare` would load ICU's collator, 5–6 ms of every cold `eda check`), then position.
 */
function bySource(a: DeclarationModel, b: DeclarationModel): number {
  const fa = a.nameSpan.file;
  const fb = b.nameSpan.file;
  return fa < fb ? -1 : fa > fb ? 1 : a.nameSpan.start - b.nameSpan.start;
}
