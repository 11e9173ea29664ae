/**
 * What a code action provider sees, and the lookups providers share. Apart from
 * `code-actions.ts` (which lists the providers) so that providers do not import their list.
 */
import type { Diagnostic, EventModel, Model } from "@eda/language";
import type { CodeAction, TextEdit } from "vscode-languageserver";
import type { Features } from "./features.js";

/** What a provider sees. */
export interface ActionContext {
  readonly f: Features;
  /** The requested range, as offsets into the document. */
  readonly start: number;
  readonly end: number;
  /** The model's diagnostics of this document that touch the range. */
  readonly diagnostics: readonly Diagnostic[];
  readonly model: Model;
  /** An edit of a file of the project, for a workspace edit. */
  edit(file: string, start: number, end: number, newText: string): { uri: string; edit: TextEdit };
  /** A quick fix built from edits. */
  action(title: string, edits: { uri: string; edit: TextEdit }[], fixes?: Diagnostic, kind?: string): CodeAction;
}

export type ActionProvider = (c: ActionContext) => CodeAction[];

/** The event at the cursor: its declaration name under the range, or a diagnostic's event. */
export function eventAt(c: ActionContext): EventModel | undefined {
  for (const o of c.f.snapshot.index().at(c.f.key, c.start)) {
    const info = c.f.snapshot.index().symbol(o.key);
    if (info?.kind === "declaration" && info.declaration.kind === "event" && o.definition) return info.declaration;
  }
  return undefined;
}
