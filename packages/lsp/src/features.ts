/**
 * What every feature gets: the document's key, its project compiled for the current text, the
 * workspace (for URIs) and the settings; and helpers to move between positions and offsets.
 */
import type { Occurrence, SymbolInfo } from "@eda/language";
import type { Location, Position } from "vscode-languageserver";
import type { Project, Snapshot } from "./project.js";
import type { Settings } from "./settings.js";
import type { Workspace } from "./workspace.js";

export interface Features {
  readonly key: string;
  readonly project: Project;
  readonly snapshot: Snapshot;
  readonly workspace: Workspace;
  readonly settings: Settings;
}

/** The offset of a position in the document. */
export function offsetAt(f: Features, p: Position): number {
  return f.snapshot.lines(f.key).offset(p);
}

/** The symbol under the cursor: the innermost occurrence at the position, and what it means. */
export function symbolAt(f: Features, p: Position): { occurrence: Occurrence; info: SymbolInfo; all: Occurrence[] } | undefined {
  const index = f.snapshot.index();
  const all = index.at(f.key, offsetAt(f, p));
  const occurrence = all[0];
  if (!occurrence) return undefined;
  const info = index.symbol(occurrence.key);
  return info ? { occurrence, info, all } : undefined;
}

/** An LSP location of a span of the snapshot. */
export function locationOf(f: Features, span: { file: string; start: number; end: number }): Location {
  return { uri: f.workspace.uriOf(span.file), range: f.snapshot.lines(span.file).spanRange(span) };
}
