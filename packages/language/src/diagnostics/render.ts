import stringWidth from "string-width";
import type { Diagnostic, Span } from "./diagnostic.js";
import { LineIndex } from "./source.js";

/**
 * Colour functions the renderer applies. Pass `plainColors` (the default) for golden files and
 * pipes; the CLI passes picocolors' `createColors(enabled)`, whose functions fit this shape.
 */
export interface RenderColors {
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly blue: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
}

const identity = (text: string): string => text;

/** Colour functions that leave the text as it is. */
export const plainColors: RenderColors = {
  red: identity,
  yellow: identity,
  blue: identity,
  cyan: identity,
  bold: identity,
  dim: identity,
};

/** How the renderer draws frames. */
export interface RenderOptions {
  readonly colors?: RenderColors;
  /** Columns a tab advances to (tabs are shown as spaces so that the carets line up). Default 4. */
  readonly tabWidth?: number;
}

/** Spans covering more lines than this show their first and last lines around an elision. */
const MAX_FRAME_LINES = 4;

/** A frame shows at most this many code units of a line, around the span. */
const MAX_LINE_WIDTH = 160;
/** Code units shown before a span that starts far into a long line. */
const CONTEXT_BEFORE = 40;

/**
 * The part of a long line a frame shows: `…` and a window around the covered range, so a
 * minified or generated line of megabytes does not flood the terminal. `from`/`to` are moved
 * into the window.
 */
function clip(line: string, from: number, to: number): { raw: string; from: number; to: number } {
  if (line.length <= MAX_LINE_WIDTH) return { raw: line, from, to };
  const start = Math.max(0, Math.min(from - CONTEXT_BEFORE, line.length - MAX_LINE_WIDTH));
  const end = Math.min(line.length, start + MAX_LINE_WIDTH);
  const head = start > 0 ? "…" : "";
  const raw = head + line.slice(start, end) + (end < line.length ? "…" : "");
  const shift = (offset: number): number => head.length + Math.min(Math.max(offset - start, 0), end - start);
  return { raw, from: shift(from), to: shift(to) };
}

/**
 * Text as it may reach a terminal: control characters (which could move the cursor or recolour
 * the screen) become their visible Unicode pictures, and the bidirectional overrides that can
 * make code read differently from how it runs become `�`. Each stays one code unit, so carets
 * still line up.
 */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    const code = ch.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return "\u2421";
    return "\ufffd";
  });
}

/**
 * Renders diagnostics compiler-style, each as
 * `path:line:col: error EDA2001: message`, a code frame with the span underlined, the hint and the
 * related labels with their own frames; diagnostics are separated by a blank line.
 * `sources` maps each `span.file` to its text; a file missing from it gets a header without frame.
 * Pure: returns the text, ending with a newline unless there is nothing to show.
 */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: ReadonlyMap<string, string>,
  options: RenderOptions = {},
): string {
  const renderer = new Renderer(sources, options);
  return diagnostics.map((d) => renderer.diagnostic(d)).join("\n");
}

/**
 * The closing line of a report: `2 errors, 1 warning, 1 notice in 7 files` or `No problems in 7 files.`
 */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[], fileCount: number): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const notices = diagnostics.filter((d) => d.severity === "notice").length;
  const warnings = diagnostics.length - errors - notices;
  const files = plural(fileCount, "file");
  if (diagnostics.length === 0) return `No problems in ${files}.`;
  const parts = [];
  if (errors > 0) parts.push(plural(errors, "error"));
  if (warnings > 0) parts.push(plural(warnings, "warning"));
  if (notices > 0) parts.push(plural(notices, "notice"));
  return `${parts.join(", ")} in ${files}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** One frame line: a line number (or none for an elision) and the rendered row beneath the text. */
interface FrameRow {
  readonly line: number | undefined;
  readonly text: string;
  readonly marks: string;
}

class Renderer {
  private readonly indexes = new Map<string, LineIndex | undefined>();
  private readonly colors: RenderColors;
  private readonly tabWidth: number;

  constructor(
    private readonly sources: ReadonlyMap<string, string>,
    options: RenderOptions,
  ) {
    this.colors = options.colors ?? plainColors;
    this.tabWidth = Math.max(1, options.tabWidth ?? 4);
  }

  diagnostic(d: Diagnostic): string {
    const c = this.colors;
    const paint = d.severity === "error" ? c.red : d.severity === "warning" ? c.yellow : c.blue;
    const main = this.frame(d.span, paint);
    const labels = (d.labels ?? []).map((label) => ({ label, frame: this.frame(label.span, c.cyan) }));
    // One gutter width for the whole diagnostic keeps its frames aligned with each other.
    const width = Math.max(main.width, ...labels.map((l) => l.frame.width));
    const out: string[] = [];
    const heading = `${paint(c.bold(d.severity))} ${c.bold(d.code)}: ${c.bold(visible(d.message))}`;
    out.push(`${c.bold(this.location(d.span))}: ${heading}`);
    out.push(...this.drawFrame(main.rows, width));
    if (d.hint !== undefined) out.push(`${" ".repeat(width + 1)}${c.blue("=")} ${c.bold("hint")}: ${visible(d.hint)}`);
    for (const { label, frame } of labels) {
      out.push(`${this.location(label.span)}: ${c.cyan(c.bold("note"))}: ${visible(label.message)}`);
      out.push(...this.drawFrame(frame.rows, width));
    }
    return out.map((line) => line.trimEnd()).join("\n") + "\n";
  }

  private index(file: string): LineIndex | undefined {
    if (!this.indexes.has(file)) {
      const text = this.sources.get(file);
      this.indexes.set(file, text === undefined ? undefined : new LineIndex(text));
    }
    return this.indexes.get(file);
  }

  private location(span: Span): string {
    const index = this.index(span.file);
    if (!index) return visible(span.file);
    const { line, column } = index.locate(span.start);
    return `${visible(span.file)}:${line}:${column}`;
  }

  /** The rows of a span's frame (none when its file's text is unknown) and the gutter width they need. */
  private frame(span: Span, paint: (text: string) => string): { rows: FrameRow[]; width: number } {
    const index = this.index(span.file);
    if (!index) return { rows: [], width: 0 };
    const start = index.locate(span.start);
    // A span that ends just after a line break ends, for the eye, on the line before.
    const endOffset = span.end > span.start ? span.end : span.start;
    let end = index.locate(endOffset);
    if (end.column === 1 && end.line > start.line) end = index.locate(endOffset - 1);
    const lines = [];
    for (let line = start.line; line <= end.line; line++) lines.push(line);
    const shown =
      lines.length <= MAX_FRAME_LINES ? lines : [...lines.slice(0, 2), undefined, ...lines.slice(-1)];
    const rows = shown.map((line): FrameRow => {
      if (line === undefined) return { line: undefined, text: "", marks: "" };
      const whole = index.lineText(line);
      // The covered part of this line, in code units: from the span's start (or the first non-blank
      // character on continuation lines) to its end (or the end of the line).
      const fullFrom = line === start.line ? start.column - 1 : whole.length - whole.trimStart().length;
      const fullTo = line === end.line ? end.column - 1 : whole.length;
      const { raw, from, to } = clip(whole, fullFrom, fullTo);
      const text = visible(this.expandTabs(raw));
      const col = this.displayWidth(raw.slice(0, Math.min(from, raw.length)));
      const covered = this.displayWidth(raw.slice(0, Math.min(to, raw.length))) - col;
      // An empty span, or a first line covered only at its line break, still gets one caret.
      const carets = line === start.line ? Math.max(1, covered) : covered;
      return { line, text, marks: carets > 0 ? " ".repeat(col) + paint("^".repeat(carets)) : "" };
    });
    const width = String(end.line).length;
    return { rows, width };
  }

  private drawFrame(rows: readonly FrameRow[], width: number): string[] {
    if (rows.length === 0) return [];
    const c = this.colors;
    const blank = " ".repeat(width);
    const bar = c.blue("|");
    const out = [`${blank} ${bar}`];
    for (const row of rows) {
      if (row.line === undefined) {
        out.push(c.blue("..."));
        continue;
      }
      out.push(`${c.blue(String(row.line).padStart(width))} ${bar} ${row.text}`);
      if (row.marks !== "") out.push(`${blank} ${bar} ${row.marks}`);
    }
    return out;
  }

  /** Tabs expanded to the next tab stop, counted in the columns a terminal draws (`displayWidth`). */
  private expandTabs(text: string): string {
    if (!text.includes("\t")) return text;
    const [first = "", ...rest] = text.split("\t");
    let out = first;
    let width = stringWidth(visible(first));
    for (const piece of rest) {
      const pad = this.tabWidth - (width % this.tabWidth);
      out += " ".repeat(pad) + piece;
      width += pad + stringWidth(visible(piece));
    }
    return out;
  }

  /**
   * Display columns of a line prefix as the frame draws it (tabs expanded, control characters as
   * their pictures) and a terminal shows it: wide characters (CJK, most emoji) take two columns,
   * combining marks none.
   */
  private displayWidth(prefix: string): number {
    return stringWidth(visible(this.expandTabs(prefix)));
  }
}
