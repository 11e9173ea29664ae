/**
 * Code actions. Each provider looks at the range (and the diagnostics in it) and offers edits;
 * adding an action is adding a provider to `PROVIDERS`. The evolution gate's "make this change a
 * new version" is one of them (`evolution-actions.ts`).
 */
import type { Diagnostic } from "@eda/language";
import { CodeActionKind, type CodeAction, type CodeActionContext, type Range, type TextEdit } from "vscode-languageserver";
import type { ActionContext, ActionProvider } from "./action-context.js";
import type { Features } from "./features.js";
import { newStoredVersionAction } from "./evolution-actions.js";
import { handlerAction, newVersionAction, projectionActions, upcastAction } from "./scaffolds.js";

/** Every provider, in the order their actions are listed. */
export const PROVIDERS: readonly ActionProvider[] = [didYouMean, newStoredVersionAction, handlerAction, upcastAction, projectionActions, newVersionAction];

/** The code actions for a range of a document. */
export function codeActions(f: Features | undefined, range: Range, _context: CodeActionContext): CodeAction[] | null {
  if (!f) return null;
  const lines = f.snapshot.lines(f.key);
  const start = lines.offset(range.start);
  const end = lines.offset(range.end);
  const diagnostics = f.snapshot.result.diagnostics.filter((d) => d.span.file === f.key && d.span.start <= end && start <= d.span.end);
  const c: ActionContext = {
    f,
    start,
    end,
    diagnostics,
    model: f.snapshot.result.model,
    edit: (file, s, e, newText) => ({ uri: f.workspace.uriOf(file), edit: { range: f.snapshot.lines(file).range(s, e), newText } }),
    action: (title, edits, fixes, kind = CodeActionKind.QuickFix) => {
      const changes: Record<string, TextEdit[]> = {};
      for (const { uri, edit } of edits) (changes[uri] ??= []).push(edit);
      return { title, kind, edit: { changes }, ...(fixes ? { diagnostics: [toLspRef(f, fixes)], isPreferred: true } : {}) };
    },
  };
  return PROVIDERS.flatMap((p) => p(c));
}

function toLspRef(f: Features, d: Diagnostic) {
  return { range: f.snapshot.lines(d.span.file).spanRange(d.span), message: d.hint !== undefined ? `${d.message}\n${d.hint}` : d.message, code: d.code, source: "eda" };
}

/** "Did you mean `X`?": the edit the diagnostic carries (`fix`), as it stands. */
function didYouMean(c: ActionContext): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of c.diagnostics) {
    if (!d.fix) continue;
    const { span, replacement } = d.fix;
    out.push(c.action(`Change to \`${replacement}\``, [c.edit(span.file, span.start, span.end, replacement)], d));
  }
  return out;
}
