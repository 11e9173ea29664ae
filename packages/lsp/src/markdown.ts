/**
 * ```eda fences in Markdown: each is checked on its own for syntax errors (a fence is usually a
 * fragment of a model, so name and model rules would only be noise), and folds.
 */
import { stageOf, type FileParser } from "@eda/language";
import { DiagnosticSeverity, type Diagnostic } from "vscode-languageserver";
import { LineMap } from "./positions.js";

/** A fenced eda block: the offset where its code starts, the code, and its fence lines (0-based). */
export interface Fence {
  readonly start: number;
  readonly code: string;
  readonly startLine: number;
  readonly endLine: number;
}

const OPEN = /^( {0,3})(`{3,}|~{3,})[ \t]*eda\b[^\n]*$/i;

/** The ```eda (or ~~~eda) fences of a Markdown text. */
export function fencesOf(text: string): Fence[] {
  const fences: Fence[] = [];
  let open: { marker: string; line: number; start: number } | undefined;
  // Lines end at \n, \r\n or a lone \r, as the editor counts them (positions.ts).
  const ends = /\r\n|\r|\n/g;
  for (let i = 0, start = 0; start <= text.length; i++) {
    const m = ends.exec(text);
    const end = m ? m.index : text.length;
    const next = m ? m.index + m[0].length : text.length + 1;
    const line = text.slice(start, end);
    if (!open) {
      const o = OPEN.exec(line);
      if (o) open = { marker: o[2] as string, line: i, start: Math.min(next, text.length) };
    } else if (line.trim().startsWith(open.marker) && line.trim().replace(/[`~]/g, "") === "") {
      fences.push({ start: open.start, code: text.slice(open.start, start), startLine: open.line, endLine: i });
      open = undefined;
    }
    start = next;
  }
  return fences;
}

/** Syntax diagnostics of every fence, placed in the Markdown text. */
export function markdownDiagnostics(key: string, text: string, parser: FileParser): Diagnostic[] {
  const lines = new LineMap(text);
  const out: Diagnostic[] = [];
  for (const fence of fencesOf(text)) {
    const parsed = parser.parse({ path: key, text: fence.code });
    for (const d of parsed.diagnostics) {
      if (stageOf(d.code) !== "syntax" || d.code === "EDA1006" || d.code === "EDA1012") continue;
      out.push({
        range: lines.range(fence.start + d.span.start, fence.start + d.span.end),
        severity: d.severity === "error" ? DiagnosticSeverity.Error : d.severity === "warning" ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
        code: d.code,
        source: "eda",
        message: d.hint !== undefined ? `${d.message}\n${d.hint}` : d.message,
      });
    }
  }
  return out;
}
