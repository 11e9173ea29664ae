/**
 * Go to definition, find references, highlights and rename, across files and contexts, from the
 * model's reference index. A `stream`, `key` or `correlate` clause names a field of several
 * declarations at once: those fields are renamed together, as they must keep one name.
 */
import { compileParsed, hasErrors, type Occurrence, type ParsedFile } from "@eda/language";
import {
  DocumentHighlightKind,
  ResponseError,
  type DocumentHighlight,
  type Location,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver";
import { locationOf, symbolAt, type Features } from "./features.js";
import { storedReason } from "./stored.js";

/** Where the symbol under the cursor is declared. */
export function definition(f: Features | undefined, p: Position): Location[] | null {
  if (!f) return null;
  const keys = keysAt(f, p);
  if (keys.length === 0) return null;
  const index = f.snapshot.index();
  const defs = keys.flatMap((k) => index.occurrencesOf(k).filter((o) => o.definition));
  return defs.map((o) => locationOf(f, o.span));
}

/** Every place that names the symbol under the cursor. */
export function references(f: Features | undefined, p: Position, includeDeclaration: boolean): Location[] | null {
  if (!f) return null;
  const occurrences = linkedOccurrences(f, keysAt(f, p)).filter((o) => includeDeclaration || !o.definition);
  return occurrences.map((o) => locationOf(f, o.span));
}

/** The occurrences of the symbol under the cursor in this document. */
export function documentHighlights(f: Features | undefined, p: Position): DocumentHighlight[] | null {
  if (!f) return null;
  const lines = f.snapshot.lines(f.key);
  return linkedOccurrences(f, keysAt(f, p))
    .filter((o) => o.span.file === f.key)
    .map((o) => ({ range: lines.spanRange(o.span), kind: o.definition ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
}

/** The keys named at the innermost occurrence under the cursor (several for `stream orderId`). */
function keysAt(f: Features, p: Position): string[] {
  const found = symbolAt(f, p);
  if (!found) return [];
  const { occurrence, all } = found;
  return [...new Set(all.filter((o) => o.span.start === occurrence.span.start && o.span.end === occurrence.span.end).map((o) => o.key))];
}

/** The occurrences of the keys and of every key sharing a span with them (transitively), de-duplicated. */
function linkedOccurrences(f: Features, keys: readonly string[]): Occurrence[] {
  const index = f.snapshot.index();
  const seen = new Set<string>(keys);
  const queue = [...keys];
  const spans = new Map<string, Occurrence>();
  while (queue.length > 0) {
    const key = queue.pop() as string;
    for (const o of index.occurrencesOf(key)) {
      const id = `${o.span.file}\u0000${o.span.start}\u0000${o.span.end}`;
      const known = spans.get(id);
      if (!known || (o.definition && !known.definition)) spans.set(id, o);
      if (!key.startsWith("field:")) continue;
      for (const other of index.at(o.span.file, o.span.start)) {
        if (other.span.start === o.span.start && other.span.end === o.span.end && !seen.has(other.key)) {
          seen.add(other.key);
          queue.push(other.key);
        }
      }
    }
  }
  return [...spans.values()].sort((a, b) => (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : a.span.start - b.span.start));
}

/** The keys a rename at the cursor changes: the symbol and every field linked to it. */
function renamedKeys(f: Features, p: Position): { keys: string[]; occurrences: Occurrence[]; range: Range; name: string } {
  const keys = keysAt(f, p);
  const found = symbolAt(f, p);
  if (!found || keys.length === 0) throw new ResponseError(0, "There is nothing to rename here: put the cursor on the name of a context, a declaration or a field.");
  const occurrences = linkedOccurrences(f, keys);
  const index = f.snapshot.index();
  const all = [...new Set(occurrences.flatMap((o) => index.at(o.span.file, o.span.start).filter((x) => x.span.end === o.span.end).map((x) => x.key)))];
  for (const key of all) {
    const info = index.symbol(key);
    const reason = info ? storedReason(info, f.settings.storedEvents, f.snapshot.result.model) : undefined;
    if (reason) throw new ResponseError(0, reason);
  }
  const text = f.snapshot.texts.get(f.key) ?? "";
  const span = found.occurrence.span;
  return { keys: all, occurrences, range: f.snapshot.lines(f.key).spanRange(span), name: text.slice(span.start, span.end) };
}

/** Checks that a rename is possible here; refuses (with the reason) when it is not. */
export function prepareRename(f: Features | undefined, p: Position): { range: Range; placeholder: string } | null {
  if (!f) return null;
  const { range, name } = renamedKeys(f, p);
  return { range, placeholder: name };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Renames the symbol under the cursor everywhere. Refuses a stored event or a field of a stored
 * event version, a name that is not a name, and a rename that would make the model invalid.
 */
export function rename(f: Features | undefined, p: Position, newName: string): WorkspaceEdit | null {
  if (!f) return null;
  if (!NAME.test(newName) || newName === "true" || newName === "false") {
    throw new ResponseError(0, `\`${newName}\` is not a name: names start with a letter or \`_\` and hold letters, digits and \`_\`.`);
  }
  const { occurrences, name } = renamedKeys(f, p);
  const changes: Record<string, TextEdit[]> = {};
  const byFile = new Map<string, Occurrence[]>();
  for (const o of occurrences) byFile.set(o.span.file, [...(byFile.get(o.span.file) ?? []), o]);
  for (const [file, list] of byFile) {
    const lines = f.snapshot.lines(file);
    changes[f.workspace.uriOf(file)] = list.map((o) => ({ range: lines.spanRange(o.span), newText: newName }));
  }
  const broken = breakage(f, byFile, name, newName);
  if (broken) throw new ResponseError(0, `Renaming to \`${newName}\` would break the model: ${broken}`);
  return { changes };
}

/**
 * Compiles the renamed texts; the message of the first error the rename introduces, if any. An
 * error is new when the model did not have it as often (matched by code and message, not
 * counted), so that a rename that clears one error and makes another (a clash) is still refused.
 */
function breakage(f: Features, byFile: ReadonlyMap<string, readonly Occurrence[]>, oldName: string, newName: string): string | undefined {
  const parsed: ParsedFile[] = [];
  for (const [file, p] of f.snapshot.parsed) {
    const edits = byFile.get(file);
    if (!edits) {
      parsed.push(p);
      continue;
    }
    let text = f.snapshot.texts.get(file) ?? "";
    for (const o of [...edits].sort((a, b) => b.span.start - a.span.start)) text = text.slice(0, o.span.start) + newName + text.slice(o.span.end);
    parsed.push(f.project.parser.parse({ path: file, text }));
  }
  const after = compileParsed(parsed).diagnostics.filter((d) => d.severity === "error");
  if (!hasErrors(after)) return undefined;
  const had = new Map<string, number>();
  for (const d of f.snapshot.result.diagnostics) if (d.severity === "error") had.set(errorId(d), (had.get(errorId(d)) ?? 0) + 1);
  // An error the model had that now names the new name (`X` is not handled) is that error, not a new one.
  const renamedBack = new RegExp(`\\b${newName}\\b`, "g");
  const fresh = after.filter((d) => {
    const id = errorId({ ...d, message: d.message.replace(/`[^`]*`/g, (quoted) => quoted.replace(renamedBack, oldName)) });
    const left = had.get(id) ?? 0;
    had.set(id, left - 1);
    return left <= 0;
  });
  // A name clash says most about a rename; other new errors follow from it.
  const clash = (code: string) => (["EDA2003", "EDA2002", "EDA2004", "EDA2014"].includes(code) ? 0 : 1);
  const first = fresh.sort((a, b) => clash(a.code) - clash(b.code))[0];
  return first ? `${first.message}${first.hint ? ` ${first.hint}` : ""}` : undefined;
}

function errorId(d: { code: string; message: string }): string {
  return `${d.code} ${d.message}`;
}
