/**
 * The formatter: a canonical layout printed from the AST, keeping every comment. Layout is
 * decided by the structure, except that a field list written on one line stays on one line when
 * it has no comments and fits (as Prettier keeps objects). Files with syntax errors are refused.
 */
import type * as A from "../ast/nodes.js";
import { pathText } from "../ast/nodes.js";
import { stageOf } from "../diagnostics/codes/index.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { LineIndex, type SourceFile } from "../diagnostics/source.js";
import { beginsLine } from "../syntax/docs.js";
import { parseFile, type FileParser } from "../syntax/parse-file.js";
import { printField, printSend } from "./print.js";

export type FormatResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

const INDENT = "  ";
const MAX_WIDTH = 100;

/** Formats one file (with `parser` when given). Refuses (with the syntax diagnostics) when the file does not parse. */
export function formatSource(file: SourceFile, parser?: FileParser): FormatResult {
  // The printer finds line breaks (own-line comments, blank lines) by `\n`; a lone `\r` ends a line
  // too, and as `\n` (same length) it keeps every span and its meaning.
  const text = file.text.replace(/\r(?!\n)/g, "\n");
  const parsed = parseFile(text === file.text ? file : { ...file, text }, parser);
  const syntax = parsed.diagnostics.filter((d) => stageOf(d.code) === "syntax" && d.severity === "error");
  if (syntax.length > 0) return { ok: false, diagnostics: syntax };
  // A byte order mark the caller left in the text stays (an editor that shows it to the language
  // server would otherwise have it deleted by formatting, which `eda fmt` keeps).
  const bom = text.startsWith("\uFEFF") ? "\uFEFF" : "";
  return { ok: true, text: bom + new Printer(text, parsed.ast).print() };
}

interface Item {
  readonly start: number;
  readonly end: number;
  readonly print: () => void;
}

class Printer {
  private readonly lines: string[] = [];
  private readonly comments: A.Comment[];
  private next = 0;
  private depth = 0;
  private readonly index: LineIndex;
  /** End offset of the last printed item, for trailing comments and blank-line detection. */
  private lastEnd = 0;
  /** The printed line that ends with a `//` or `///` comment, if the last one does: nothing more can join it. */
  private lineCommentLine = -1;
  /** Offset of the separator an orphan doc kept, so that the next one does not print it again. */
  private separatorPrinted = -1;

  constructor(
    private readonly text: string,
    private readonly ast: A.FileNode,
  ) {
    this.index = new LineIndex(text);
    const attached = new Set<number>();
    const docs = [ast.contextDoc, ...allDocs(ast)].filter((d): d is A.Doc => d !== undefined);
    for (const d of docs) for (const c of ast.comments) if (c.span.start >= d.span.start && c.span.end <= d.span.end) attached.add(c.span.start);
    this.comments = ast.comments.filter((c) => !attached.has(c.span.start));
  }

  print(): string {
    const items: Item[] = [];
    const header: Item[] = [];
    if (this.ast.context) {
      const ctx = this.ast.context;
      const start = this.text.lastIndexOf("context", ctx.span.start);
      header.push({ start, end: ctx.span.end, print: () => this.docAndLine(this.ast.contextDoc, this.verbatim(start, ctx.span.end) ?? `context ${ctx.name}`) });
    }
    for (const u of this.ast.uses) header.push(this.simple(u.span, undefined, `use ${u.contexts.map((c) => c.name).join(", ")}`));
    for (const d of this.ast.declarations) items.push({ start: d.span.start, end: d.span.end, print: () => this.declaration(d) });
    const following = (it: Item): number => [...header, ...items].find((x) => x.start > it.start)?.start ?? this.text.length;
    header.forEach((h, i) => this.item(h, i === 0 ? "none" : h === header[1] ? "one" : "none", following(h)));
    // Declarations are separated by a blank line, except that one-line declarations may stay
    // grouped as written (`event A { id: uuid }` followed directly by `event B { id: uuid }`).
    let previousLines = 0;
    items.forEach((it, i) => {
      const first = i === 0;
      const at = this.lines.length;
      this.item(it, first && header.length === 0 ? "none" : first ? "one" : "keep", items[i + 1]?.start ?? this.text.length);
      const printed = this.lines.length - at - (this.lines[at] === "" ? 1 : 0);
      if (!first && this.lines[at] !== "" && (printed > 1 || previousLines > 1)) this.lines.splice(at, 0, "");
      previousLines = printed;
    });
    this.flushComments(this.text.length);
    while (this.lines.length > 0 && this.lines[this.lines.length - 1] === "") this.lines.pop();
    return this.lines.join("\n") + "\n";
  }

  /** Prints an item with the comments before it; `gap` is the blank line policy before it. */
  private item(it: Item, gap: "none" | "one" | "keep", nextStart: number): void {
    const hadBlank = this.blankBetween(this.lastEnd, it.start);
    if (this.lines.length > 0 && (gap === "one" || (gap === "keep" && hadBlank))) this.blank();
    const before = this.next;
    this.flushComments(it.start);
    if (this.next > before && gap !== "none" && /\n[ \t\r]*\n/.test(this.text.slice(this.lastEnd, it.start))) this.blank();
    it.print();
    this.lastEnd = it.end;
    this.trailing(it.end, nextStart);
  }

  private blankBetween(from: number, to: number): boolean {
    const firstComment = this.comments.slice(this.next).find((c) => c.span.start >= from && c.span.start < to);
    const until = firstComment ? firstComment.span.start : to;
    return /\n[ \t\r]*\n/.test(this.text.slice(from, until));
  }

  private blank(): void {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== "") this.lines.push("");
  }

  private line(s: string): void {
    this.lines.push(s === "" ? "" : INDENT.repeat(this.depth) + s);
  }

  private docAndLine(doc: A.Doc | undefined, s: string): void {
    if (doc) for (const l of doc.text.split("\n")) this.line(l === "" ? "///" : `/// ${l}`);
    this.line(s);
  }

  /** Comments before `offset` go on their own lines, keeping one blank line where there was one. */
  private flushComments(offset: number): void {
    while (this.next < this.comments.length && (this.comments[this.next] as A.Comment).span.start < offset) {
      const c = this.comments[this.next++] as A.Comment;
      if (c.kind === "doc" && (!beginsLine(this.text, c.span.start) || this.separatorAfter(c))) {
        this.orphanDoc(c);
        continue;
      }
      if (this.lines.length > 0 && this.blankBetween(this.lastEnd, c.span.start) && this.lines[this.lines.length - 1] !== "" && !this.lines[this.lines.length - 1]?.endsWith("{")) this.blank();
      // Continuation lines of a block comment are kept verbatim.
      const [first, ...rest] = c.text.replace(/\s+$/, "").split("\n");
      this.lines.push(INDENT.repeat(this.depth) + (first ?? "").replace(/\s+$/, ""), ...rest.map((l) => l.replace(/\s+$/, "")));
      if (c.kind !== "block") this.lineCommentLine = this.lines.length - 1;
      this.lastEnd = c.span.end;
    }
  }

  /**
   * A doc comment that documents nothing because code comes before it on its line, or a `,` or
   * `;` after it. The printer drops separators and moves code, so on a line of its own it would
   * document the next item: it joins the last line instead, or, when that line already ends with
   * a line comment, keeps the separator that made it an orphan.
   */
  private orphanDoc(c: A.Comment): void {
    const text = c.text.replace(/\s+$/, "");
    // It joins the last line with text, past blank lines (which stay after it).
    let last = this.lines.length - 1;
    while (last > 0 && this.lines[last] === "") last--;
    if (last >= 0 && this.lines[last] !== "" && this.lineCommentLine !== last) {
      this.lines[last] += ` ${text}`;
      this.lineCommentLine = last;
    } else {
      const lineStart = this.text.lastIndexOf("\n", c.span.start - 1) + 1;
      const before = /[,;]\s*$/.exec(this.text.slice(lineStart, c.span.start));
      const leadAt = before ? lineStart + before.index : -1;
      const lead = before && leadAt !== this.separatorPrinted ? `${before[0].trim()} ` : "";
      const after = this.separatorAfter(c);
      if (after) this.separatorPrinted = after.at;
      this.lines.push(INDENT.repeat(this.depth) + lead + text);
      this.lineCommentLine = this.lines.length - 1;
      if (after) this.lines.push(INDENT.repeat(this.depth) + after.text);
    }
    this.lastEnd = c.span.end;
  }

  /** The `,` or `;` right after a comment, if one follows it (past blanks), and its offset. */
  private separatorAfter(c: A.Comment): { text: string; at: number } | undefined {
    const after = /\s*([,;])/y;
    after.lastIndex = c.span.end;
    const m = after.exec(this.text);
    return m ? { text: m[1] as string, at: c.span.end + m[0].length - 1 } : undefined;
  }

  /**
   * A comment that starts on the line where the last item ended joins that line, unless it lies
   * inside the next item (from `limit` on), which keeps it.
   */
  private trailing(end: number, limit = Infinity): void {
    const c = this.comments[this.next];
    if (!c || c.kind === "block" || c.span.start >= limit || this.lines.length === 0) return;
    if (this.index.locate(c.span.start).line !== this.index.locate(Math.max(0, end - 1)).line) return;
    this.lines[this.lines.length - 1] += ` ${c.text.replace(/\s+$/, "")}`;
    this.lineCommentLine = this.lines.length - 1;
    this.next++;
    this.lastEnd = c.span.end;
  }

  private open(head: string, doc: A.Doc | undefined, span: A.Ident["span"], firstItem: number): void {
    const brace = this.text.indexOf("{", span.start);
    this.docAndLine(doc, this.verbatim(span.start, brace + 1) ?? `${head} {`);
    if ((this.comments[this.next]?.span.start ?? Infinity) < firstItem) this.trailing(brace + 1);
    this.depth++;
  }

  private close(end: number): void {
    this.flushComments(end - 1);
    this.depth--;
    this.line("}");
  }

  private declaration(d: A.Declaration): void {
    switch (d.kind) {
      case "TypeDecl":
      case "CommandDecl":
        return this.fieldDecl(`${d.kind === "TypeDecl" ? "type" : "command"} ${d.name.name}`, d.doc, d.fields, d.span);
      case "EventDecl":
        return this.fieldDecl(`event ${d.name.name}${d.version ? ` v${d.version.value}` : ""}`, d.doc, d.fields, d.span);
      case "EnumDecl":
        return this.enumDecl(d);
      case "UpcastDecl":
        return this.block(`upcast ${pathText(d.event)} v${d.from.value} -> v${d.to.value}`, d.doc, d.span, d.rules.map((r) => this.simple(r.span, r.doc, `${r.field.name} = ${upcastValue(r.value)}`)));
      case "AggregateDecl":
        return this.block(`aggregate ${d.name.name}`, d.doc, d.span, aggregateItems(d, this));
      case "ServiceDecl":
        return this.block(`service ${d.name.name}`, d.doc, d.span, byStart([...d.handlers.map((h) => this.simple(h.span, undefined, handlerLine(h))), ...rejectionItems(d, this)]));
      case "ProjectionDecl":
        return this.block(`projection ${d.name.name}`, d.doc, d.span, projectionItems(d, this));
      case "WorkflowDecl":
        return this.block(`workflow ${d.name.name} ${d.mode}`, d.doc, d.span, workflowItems(d, this));
    }
  }

  /** An item printed as one line (as written, when comments sit between its tokens). */
  simple(span: A.Ident["span"], doc: A.Doc | undefined, text: string): Item {
    return { start: span.start, end: span.end, print: () => this.docAndLine(doc, this.verbatim(span.start, span.end) ?? text) };
  }

  /**
   * The source text from `start` to `end` when comments lie inside it, with those comments
   * consumed; else undefined. A comment between the tokens of one line has no canonical place:
   * moved, a `///` would document the next item, so the line is kept as written.
   */
  verbatim(start: number, end: number): string | undefined {
    const first = this.next;
    while (this.next < this.comments.length && (this.comments[this.next] as A.Comment).span.start < end) this.next++;
    if (this.next === first) return undefined;
    // Every line loses its trailing blanks, the `\r` of a `\r\n` among them: the output's lines end with `\n` alone.
    return this.text.slice(start, end).split("\n").map((l) => l.replace(/\s+$/, "")).join("\n");
  }

  /** A block of items in braces; an empty block prints as `{}`. */
  block(head: string, doc: A.Doc | undefined, span: A.Ident["span"], items: readonly Item[]): void {
    const inner = this.comments.slice(this.next).some((c) => c.span.start < span.end);
    if (items.length === 0 && !inner) return this.docAndLine(doc, `${head} {}`);
    this.open(head, doc, span, items[0]?.start ?? span.end);
    this.lastEnd = this.text.indexOf("{", span.start) + 1;
    items.forEach((it, i) => this.item(it, i === 0 ? "none" : "keep", items[i + 1]?.start ?? span.end));
    this.close(span.end);
  }

  fieldItems(fields: readonly A.Field[]): Item[] {
    return fields.map((f) => this.simple(f.span, f.doc, printField(f)));
  }

  fieldDecl(head: string, doc: A.Doc | undefined, fields: readonly A.Field[], span: A.Ident["span"]): void {
    const inline = this.inlineFields(fields, span);
    if (inline !== undefined && (head + inline).length + INDENT.length * this.depth <= MAX_WIDTH) return this.docAndLine(doc, `${head} ${inline}`);
    this.block(head, doc, span, this.fieldItems(fields));
  }

  /** `{ a: T, b: U }` when written on one line, without docs or comments, else undefined. */
  inlineFields(fields: readonly A.Field[], span: A.Ident["span"]): string | undefined {
    const first = fields[0];
    if (!first) return undefined;
    const open = this.text.lastIndexOf("{", first.span.start);
    if (this.text.slice(open, first.span.start).includes("\n")) return undefined;
    if (fields.some((f) => f.doc) || this.comments.slice(this.next).some((c) => c.span.start < span.end)) return undefined;
    return `{ ${fields.map(printField).join(", ")} }`;
  }

  private enumDecl(d: A.EnumDecl): void {
    const inner = this.comments.slice(this.next).some((c) => c.span.start < d.span.end);
    const oneLine = `enum ${d.name.name} { ${d.members.map((m) => m.name.name).join(", ")} }`;
    const written = d.members[0] && !this.text.slice(this.text.lastIndexOf("{", d.members[0].name.span.start), d.members[0].name.span.start).includes("\n");
    if (d.members.length === 0 && !inner) return this.docAndLine(d.doc, `enum ${d.name.name} {}`);
    if (written && !inner && !d.members.some((m) => m.doc) && oneLine.length + INDENT.length * this.depth <= MAX_WIDTH) return this.docAndLine(d.doc, oneLine);
    this.block(`enum ${d.name.name}`, d.doc, d.span, d.members.map((m) => this.simple(m.name.span, m.doc, m.name.name)));
  }
}

function upcastValue(v: A.UpcastValue): string {
  if (v.kind === "compute") return "compute";
  if (v.kind === "rename") return `from ${v.from.name}`;
  const l = v.literal.value;
  return l.type === "path" ? pathText(l.path) : l.type === "emptyList" ? "[]" : l.type === "emptyObject" ? "{}" : l.type === "bool" ? String(l.value) : l.text;
}

function handlerLine(h: A.Handler): string {
  const rejects = h.rejects.length === 0 ? "" : ` rejects ${h.rejects.map((r) => r.name).join(" | ")}`;
  return `on ${pathText(h.command)} emits ${h.emits.map(pathText).join(" | ")}${rejects}`;
}

function byStart(items: Item[]): Item[] {
  return items.sort((a, b) => a.start - b.start);
}

/** A clause's span from its keyword: `from` is where its node begins, which follows the keyword. */
function clause(starts: Readonly<Partial<Record<string, number>>> | undefined, key: string, node: A.Ident["span"]): A.Ident["span"] {
  return { ...node, start: starts?.[key] ?? node.start };
}

/** The `rejections { … }` block (several are joined into the first): each entry on a line, its fields inline when written so. */
function rejectionItems(d: A.AggregateDecl | A.ServiceDecl, p: Printer): Item[] {
  const span = d.rejectionsSpan;
  const entries = d.rejections ?? [];
  if (span === undefined || entries.length === 0) return [];
  const entry = (r: A.RejectionDecl): Item => {
    if (r.fields.length === 0) return p.simple(r.span, undefined, r.name.name);
    const inline = p.inlineFields(r.fields, r.span);
    if (inline !== undefined) return p.simple(r.span, undefined, `${r.name.name} ${inline}`);
    return { start: r.span.start, end: r.span.end, print: () => p.block(r.name.name, undefined, r.span, p.fieldItems(r.fields)) };
  };
  return [{ start: span.start, end: span.end, print: () => p.block("rejections", undefined, span, entries.map(entry)) }];
}

function aggregateItems(d: A.AggregateDecl, p: Printer): Item[] {
  const at = (key: string, node: A.Ident["span"]): A.Ident["span"] => clause(d.clauseStarts, key, node);
  const items: Item[] = [...d.handlers.map((h) => p.simple(h.span, undefined, handlerLine(h))), ...rejectionItems(d, p)];
  if (d.stream) items.push(p.simple(at("stream", d.stream.span), undefined, `stream ${d.stream.name}`));
  if (d.snapshot) items.push(p.simple(at("snapshot", d.snapshot.span), undefined, `snapshot every ${d.snapshot.every}`));
  const state = d.state;
  if (state) {
    const span = at("state", state.span);
    items.push({ start: span.start, end: span.end, print: () => p.block("state", undefined, span, p.fieldItems(state.fields)) });
  }
  (d.variants ?? []).forEach((v, i) => items.push(variantItem(v, i === 0 ? at("state", v.span) : v.span, i === 0 ? "state " : "| ", p)));
  return byStart(items);
}

/** A variant of a state on a line of its own: `state Empty`, `| Pending { … }`. */
function variantItem(v: A.StateVariant, span: A.Ident["span"], lead: string, p: Printer): Item {
  const fields = v.fields;
  const head = `${lead}${v.name.name}`;
  return { start: span.start, end: span.end, print: () => (fields ? p.fieldDecl(head, undefined, fields.fields, span) : p.simple(span, undefined, head).print()) };
}

function projectionItems(d: A.ProjectionDecl, p: Printer): Item[] {
  const at = (key: string, node: A.Ident["span"]): A.Ident["span"] => clause(d.clauseStarts, key, node);
  const items: Item[] = [];
  if (d.key) items.push(p.simple(at("key", d.key.span), d.key.doc, `key ${printField(d.key)}`));
  const fields = d.fields;
  if (fields) {
    const span = at("fields", fields.span);
    items.push({ start: span.start, end: span.end, print: () => p.block("fields", undefined, span, p.fieldItems(fields.fields)) });
  }
  const first = d.from[0];
  const last = d.from[d.from.length - 1];
  if (first && last) items.push(p.simple(at("from", { ...first.span, end: last.span.end }), undefined, `from ${d.from.map(pathText).join(", ")}`));
  return byStart(items);
}

function workflowItems(d: A.WorkflowDecl, p: Printer): Item[] {
  const at = (key: string, node: A.Ident["span"]): A.Ident["span"] => clause(d.clauseStarts, key, node);
  const items: Item[] = [];
  if (d.start) items.push(p.simple(at("start", d.start.span), undefined, `start on ${pathText(d.start)}`));
  if (d.correlate) items.push(p.simple(at("correlate", d.correlate.span), undefined, `correlate ${d.correlate.name}`));
  if (d.timeout) items.push(p.simple(at("timeout", d.timeout.span), undefined, `timeout ${d.timeout.text}`));
  for (const s of d.steps) items.push({ start: s.span.start, end: s.span.end, print: () => p.block(`step ${s.name.name}`, s.doc, s.span, stepItems(s, p)) });
  if (d.onComplete) items.push(p.simple(at("onComplete", d.onComplete.span), undefined, `on complete send ${printSend(d.onComplete)}`));
  if (d.onFail) items.push(p.simple(at("onFail", d.onFail.span), undefined, `on fail send ${printSend(d.onFail)}`));
  for (const r of d.reactions) items.push(p.simple(r.span, r.doc, `on ${pathText(r.event)} send ${printSend(r.send)}`));
  return byStart(items);
}

function stepItems(s: A.Step, p: Printer): Item[] {
  const at = (key: string, node: A.Ident["span"]): A.Ident["span"] => clause(s.clauseStarts, key, node);
  const items: Item[] = [];
  if (s.send) items.push(p.simple(at("send", s.send.span), undefined, `send ${printSend(s.send)}`));
  if (s.await) items.push(p.simple(at("await", s.await.span), undefined, `await ${pathText(s.await)}`));
  if (s.failOn) items.push(p.simple(at("failOn", s.failOn.span), undefined, `fail on ${pathText(s.failOn)}`));
  if (s.compensate) items.push(p.simple(at("compensate", s.compensate.span), undefined, `compensate ${s.compensateAlways ? "always " : ""}${printSend(s.compensate)}`));
  if (s.retry) items.push(p.simple(at("retry", s.retry.span), undefined, `retry ${s.retry.count} every ${s.retry.everyText}`));
  return byStart(items);
}

function allDocs(ast: A.FileNode): (A.Doc | undefined)[] {
  const docs: (A.Doc | undefined)[] = [];
  for (const d of ast.declarations) {
    docs.push(d.doc);
    if ("fields" in d && Array.isArray(d.fields)) for (const f of d.fields as A.Field[]) docs.push(f.doc);
    if (d.kind === "AggregateDecl") for (const f of [...(d.state?.fields ?? []), ...(d.variants ?? []).flatMap((v) => v.fields?.fields ?? [])]) docs.push(f.doc);
    if (d.kind === "ProjectionDecl") for (const f of [...(d.key ? [d.key] : []), ...(d.fields?.fields ?? [])]) docs.push(f.doc);
    if (d.kind === "EnumDecl") for (const m of d.members) docs.push(m.doc);
    if (d.kind === "UpcastDecl") for (const r of d.rules) docs.push(r.doc);
    if (d.kind === "WorkflowDecl") for (const s of [...d.steps, ...d.reactions]) docs.push(s.doc);
  }
  return docs;
}

