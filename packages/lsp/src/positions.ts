/**
 * Offsets (what spans hold) to LSP positions and back. LSP counts lines from 0 and characters in
 * UTF-16 code units, as JavaScript strings do, so a column is an offset within the line. Lines
 * end at `\n`, `\r\n` or a lone `\r`, as the protocol says: the client splits them so.
 */
import type { Span } from "@eda/language";
import type { Position, Range } from "vscode-languageserver";

/** Line starts of one text; built once per text, queried many times. */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  /** The position of an offset, clamped into the text. */
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (this.starts[lo] as number) };
  }

  /** The offset of a position, clamped into its line and the text. */
  offset(p: Position): number {
    if (p.line < 0) return 0;
    const start = this.starts[p.line];
    if (start === undefined) return this.text.length;
    const next = this.starts[p.line + 1];
    // A column past the end of its line stops before the line break (`\r\n` is one).
    const lineEnd = next === undefined ? this.text.length : next - (this.text.charCodeAt(next - 2) === 13 && this.text.charCodeAt(next - 1) === 10 ? 2 : 1);
    return Math.max(start, Math.min(start + p.character, lineEnd));
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  spanRange(span: Span): Range {
    return this.range(span.start, span.end);
  }

  get lineCount(): number {
    return this.starts.length;
  }
}
