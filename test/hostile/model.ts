/**
 * A model whose every free-text position holds given text: docs on each kind of item, string
 * defaults of fields, states and rows, `@deprecated` reasons, a `@pattern`, upcast and mapping
 * literals, and the file name. It uses every emitter: schemas, versions with upcasts,
 * an aggregate, a service, a projection, both kinds of workflow.
 */
import type { SourceFile } from "@eda/language";

export interface FreeText {
  /** For `///` docs: no `\n` or `\r`. */
  readonly doc: string;
  /** For string literals: anything. */
  readonly text: string;
  /** For the file's name: no folder separators. */
  readonly file: string;
}

/** A `.eda` string literal that reads back as `value`. */
export function edaString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const ch = value[i] as string;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || (code >= 0xd800 && code <= 0xdfff)) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

/** A regular expression (with the `u` flag) that matches `text` exactly. */
export function literalPattern(text: string): string {
  const escaped = [...text].map((ch) => {
    const cp = ch.codePointAt(0) as number;
    if (/[\\^$.*+?()[\]{}|/]/.test(ch)) return `\\${ch}`;
    // Lone surrogates cannot be written literally in a `u` pattern.
    if (cp >= 0xd800 && cp <= 0xdfff) return `\\u{${cp.toString(16)}}`;
    return ch;
  });
  return `^${escaped.join("")}$`;
}

export function hostileModel({ doc, text, file }: FreeText): SourceFile[] {
  const d = `/// ${doc}`;
  const s = edaString(text);
  const lines = [
    d,
    "context Probe",
    "",
    d,
    "enum Colour {",
    `  ${d}`,
    "  Red",
    "  Green",
    "}",
    "",
    d,
    "type Note {",
    `  ${d}`,
    `  text: string = ${s}`,
    `  code?: string @pattern(${edaString(literalPattern(text))})`,
    `  legacy?: string @deprecated(${s})`,
    `  contact?: email @pii @deprecated(${s})`,
    "  colour: Colour = Red",
    "}",
    "",
    d,
    "command PlaceNote {",
    `  ${d}`,
    "  noteId: uuid",
    `  text: string = ${s}`,
    "  note?: Note",
    "}",
    "",
    "command ArchiveNote { noteId: uuid, reason: string }",
    "command SendReceipt { noteId: uuid, reason: string }",
    "",
    d,
    "event NotePlaced v2 {",
    `  ${d}`,
    "  noteId: uuid",
    "  text: string",
    `  extra: string = ${s}`,
    "}",
    "",
    d,
    "event NotePlaced v1 { noteId: uuid }",
    "",
    d,
    "upcast NotePlaced v1 -> v2 {",
    `  ${d}`,
    `  text = ${s}`,
    "}",
    "",
    "event NoteArchived { noteId: uuid, reason: string }",
    "event ReceiptSent { noteId: uuid, reason: string }",
    "",
    d,
    "aggregate Notes {",
    "  stream noteId",
    "  state {",
    `    ${d}`,
    `    last: string = ${s}`,
    "  }",
    "  on PlaceNote emits NotePlaced",
    "  on ArchiveNote emits NoteArchived",
    "}",
    "",
    d,
    "service Receipts {",
    "  on SendReceipt emits ReceiptSent",
    "}",
    "",
    d,
    "projection NoteList {",
    `  ${d}`,
    "  key noteId: uuid",
    "  fields {",
    `    ${d}`,
    `    text: string = ${s}`,
    "  }",
    "  from NotePlaced, NoteArchived",
    "}",
    "",
    d,
    "workflow Filing orchestrated {",
    "  start on NotePlaced",
    "  correlate noteId",
    `  ${d}`,
    "  step receipt {",
    `    send SendReceipt { reason = ${s} }`,
    "    await ReceiptSent",
    "  }",
    `  on fail send ArchiveNote { reason = ${s} }`,
    "}",
    "",
    d,
    "workflow Tidy choreographed {",
    `  ${d}`,
    `  on ReceiptSent send ArchiveNote { reason = ${s} }`,
    "}",
  ];
  return [{ path: `${file}.eda`, text: lines.join("\n") + "\n" }];
}
