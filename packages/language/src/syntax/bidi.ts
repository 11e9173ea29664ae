/**
 * Bidirectional controls in strings and comments (EDA1015). Invisible, an embedding, override or
 * isolate (U+202A–202E, U+2066–2069) makes the rest of its line display in another order than the
 * compiler reads it ("Trojan Source"), so a model from someone else can look other than it is.
 * Elsewhere in a file such a character is no token at all (EDA1001).
 */
import type { IToken } from "chevrotain";
import { report } from "../diagnostics/diagnostic.js";
import type { DiagnosticBudget } from "../diagnostics/diagnostic.js";

const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

/** Whether a text holds a bidirectional control anywhere: one scan, so files without any cost no more. */
export function hasBidiControl(text: string): boolean {
  return BIDI_CONTROL.test(text);
}

/** One warning per string or comment token that holds a bidirectional control, at the first one. */
export function bidiControls(tokens: readonly IToken[], file: string, out: DiagnosticBudget): void {
  for (const t of [...tokens].sort((a, b) => a.startOffset - b.startOffset)) {
    const at = BIDI_CONTROL.exec(t.image);
    if (at === null) continue;
    const start = t.startOffset + at.index;
    const hex = at[0].charCodeAt(0).toString(16).toUpperCase();
    out.push(report("EDA1015", { file, start, end: start + 1 }, { code: `U+${hex}`, hex }));
  }
}
