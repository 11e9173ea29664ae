/** Attaches `///` doc comments to the declaration, field, member or step that follows them. */
import type * as A from "../ast/nodes.js";
import { report, type Diagnostic } from "../diagnostics/diagnostic.js";

interface DocGroup {
  readonly doc: A.Doc;
  /** Offset of the first non-blank character after the group. */
  readonly attachAt: number;
  used: boolean;
  /** A doc after code on its line, which documents nothing. */
  readonly trailing?: boolean;
}

/** Sets `doc` on every node a doc comment precedes; warns about doc comments that precede nothing. */
export function attachDocs(ast: A.FileNode, comments: readonly A.Comment[], text: string, contextStart: number | undefined, out: { push(d: Diagnostic): void }): void {
  const groups = groupDocs(comments, text);
  if (groups.size === 0) return;
  const take = (start: number): A.Doc | undefined => {
    const g = groups.get(start);
    if (!g) return undefined;
    g.used = true;
    return g.doc;
  };
  const set = (node: object, start: number): void => {
    const doc = take(start);
    if (doc) (node as { doc?: A.Doc }).doc = doc;
  };
  if (contextStart !== undefined) {
    const doc = take(contextStart);
    if (doc) (ast as { contextDoc?: A.Doc }).contextDoc = doc;
  }
  for (const d of ast.declarations) {
    set(d, d.span.start);
    for (const f of fieldsOf(d)) set(f, f.span.start);
    if (d.kind === "EnumDecl") for (const m of d.members) set(m, m.name.span.start);
    if (d.kind === "ProjectionDecl" && d.key) set(d.key, text.lastIndexOf("key", d.key.span.start));
    if (d.kind === "UpcastDecl") for (const r of d.rules) set(r, r.span.start);
    if (d.kind === "WorkflowDecl") {
      for (const s of d.steps) set(s, s.span.start);
      for (const r of d.reactions) set(r, r.span.start);
    }
  }
  for (const g of groups.values()) {
    if (g.used) continue;
    out.push(
      g.trailing
      ? report("EDA1012", g.doc.span, {}, { variant: "trailing" })
        : report("EDA1012", g.doc.span, {}),
    );
  }
}

function fieldsOf(d: A.Declaration): readonly A.Field[] {
  switch (d.kind) {
    case "TypeDecl":
    case "CommandDecl":
    case "EventDecl":
      return d.fields;
    case "AggregateDecl":
      return [...(d.state?.fields ?? []), ...(d.variants ?? []).flatMap((v) => v.fields?.fields ?? [])];
    case "ProjectionDecl":
      return d.fields?.fields ?? [];
    default:
      return [];
  }
}

function groupDocs(comments: readonly A.Comment[], text: string): Map<number, DocGroup> {
  const groups = new Map<number, DocGroup>();
  let lines: string[] = [];
  let start = -1;
  let end = -1;
  const flush = (): void => {
    if (lines.length === 0) return;
    const attachAt = nextNonBlank(text, end);
    const doc: A.Doc = { text: lines.join("\n"), span: { file: comments[0]?.span.file ?? "", start, end } };
    groups.set(attachAt, { doc, attachAt, used: false });
    lines = [];
  };
  for (const c of comments) {
    if (c.kind !== "doc") continue;
    if (lines.length > 0 && text.slice(end, c.span.start).trim() !== "") flush();
    if (!beginsLine(text, c.span.start)) {
      // After code on its line, a doc documents nothing: it is an orphan of its own.
      flush();
      groups.set(-c.span.start - 1, { doc: { text: c.text, span: c.span }, attachAt: -1, used: false, trailing: true });
      continue;
    }
    if (lines.length === 0) start = c.span.start;
    lines.push(c.text.slice(3).replace(/^ /, "").replace(/\s+$/, ""));
    end = c.span.end;
  }
  flush();
  return groups;
}

function nextNonBlank(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}

/** Whether only blanks precede `offset` on its line. */
export function beginsLine(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const ch = text[i] as string;
    if (ch === "\n" || ch === "\r") return true;
    if (ch !== " " && ch !== "\t" && ch !== "\uFEFF") return false;
  }
  return true;
}
