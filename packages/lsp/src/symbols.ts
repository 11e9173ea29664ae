/**
 * Document symbols (the outline), workspace symbols (go to symbol in workspace) and folding
 * ranges, from the file's AST and the model.
 */
import type { Declaration, Field, Span } from "@eda/language";
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange, type WorkspaceSymbol } from "vscode-languageserver";
import type { Features } from "./features.js";
import type { LineMap } from "./positions.js";
import type { Workspace } from "./workspace.js";

const KINDS: Record<Declaration["kind"], SymbolKind> = {
  TypeDecl: SymbolKind.Struct,
  EnumDecl: SymbolKind.Enum,
  CommandDecl: SymbolKind.Function,
  EventDecl: SymbolKind.Event,
  UpcastDecl: SymbolKind.Operator,
  AggregateDecl: SymbolKind.Class,
  ServiceDecl: SymbolKind.Interface,
  ProjectionDecl: SymbolKind.Object,
  WorkflowDecl: SymbolKind.Module,
};

/** The outline of a document: its declarations, with fields, members, handlers and steps inside. */
export function documentSymbols(f: Features | undefined): DocumentSymbol[] | null {
  const ast = f?.snapshot.parsed.get(f.key)?.ast;
  if (!f || !ast) return null;
  const lines = f.snapshot.lines(f.key);
  const sym = (name: string, kind: SymbolKind, span: Span, nameSpan: Span, detail?: string, children?: DocumentSymbol[]): DocumentSymbol => ({
    name: name || "?",
    kind,
    range: lines.spanRange(span),
    selectionRange: lines.spanRange(nameSpan),
    ...(detail ? { detail } : {}),
    ...(children && children.length > 0 ? { children } : {}),
  });
  const fields = (list: readonly Field[]) => list.map((x) => sym(x.name.name, SymbolKind.Field, x.span, x.name.span));
  return ast.declarations.map((d) => {
    if (d.kind === "UpcastDecl") {
      const name = `${d.event.parts.map((p) => p.name).join(".")} v${d.from.value} -> v${d.to.value}`;
      return sym(name, KINDS[d.kind], d.span, d.event.span, "upcast");
    }
    const kind = KINDS[d.kind];
    switch (d.kind) {
      case "TypeDecl":
      case "CommandDecl":
        return sym(d.name.name, kind, d.span, d.name.span, d.kind === "TypeDecl" ? "type" : "command", fields(d.fields));
      case "EventDecl":
        return sym(d.name.name, kind, d.span, d.name.span, `event v${d.version?.value ?? 1}`, fields(d.fields));
      case "EnumDecl":
        return sym(d.name.name, kind, d.span, d.name.span, "enum", d.members.map((m) => sym(m.name.name, SymbolKind.EnumMember, m.name.span, m.name.span)));
      case "AggregateDecl":
      case "ServiceDecl": {
        const handlers = d.handlers.map((h) => sym(`on ${h.command.parts.map((p) => p.name).join(".")}`, SymbolKind.Method, h.span, h.command.span));
        const state = d.kind === "AggregateDecl" ? fields(d.state?.fields ?? []) : [];
        return sym(d.name.name, kind, d.span, d.name.span, d.kind === "AggregateDecl" ? "aggregate" : "service", [...state, ...handlers]);
      }
      case "ProjectionDecl":
        return sym(d.name.name, kind, d.span, d.name.span, "projection", fields([...(d.key ? [d.key] : []), ...(d.fields?.fields ?? [])]));
      case "WorkflowDecl":
        return sym(d.name.name, kind, d.span, d.name.span, `workflow ${d.mode}`, d.steps.map((s) => sym(s.name.name, SymbolKind.Function, s.span, s.name.span, "step")));
    }
  });
}

/** Declarations of every project whose name contains the query's letters in order (case-insensitive). */
export function workspaceSymbols(workspace: Workspace, query: string): WorkspaceSymbol[] {
  const out: WorkspaceSymbol[] = [];
  const wanted = query.toLowerCase();
  for (const project of workspace.allProjects()) {
    const snapshot = project.compile();
    for (const c of snapshot.result.model.contexts) {
      const decls = [...c.types, ...c.enums, ...c.commands, ...c.events, ...c.aggregates, ...c.services, ...c.projections, ...c.workflows];
      for (const d of decls) {
        // `Context.Name` when the query names a context, else the name alone.
        if (!subsequence(wanted, (wanted.includes(".") ? d.qualifiedName : d.name).toLowerCase())) continue;
        const kind = KINDS[(d.kind.charAt(0).toUpperCase() + d.kind.slice(1) + "Decl") as Declaration["kind"]];
        out.push({ name: d.name, kind, containerName: c.name, location: { uri: workspace.uriOf(d.nameSpan.file), range: snapshot.lines(d.nameSpan.file).spanRange(d.nameSpan) } });
      }
    }
  }
  return out;
}

function subsequence(needle: string, hay: string): boolean {
  let i = 0;
  for (let j = 0; j < hay.length && i < needle.length; j++) if (hay[j] === needle[i]) i++;
  return i === needle.length;
}

/** Folding: multi-line declarations and blocks, runs of comments. */
export function foldingRanges(f: Features | undefined): FoldingRange[] | null {
  const ast = f?.snapshot.parsed.get(f.key)?.ast;
  if (!f || !ast) return null;
  const lines = f.snapshot.lines(f.key);
  const out: FoldingRange[] = [];
  const fold = (span: Span, kind?: FoldingRangeKind) => addFold(out, lines, span, kind);
  for (const d of ast.declarations) {
    fold(d.span);
    if (d.kind === "AggregateDecl" && d.state) fold(d.state.span);
    if (d.kind === "ProjectionDecl" && d.fields) fold(d.fields.span);
    if (d.kind === "WorkflowDecl") for (const s of d.steps) fold(s.span);
  }
  let run: Span | undefined;
  for (const c of ast.comments) {
    if (c.kind === "block") fold(c.span, FoldingRangeKind.Comment);
    else if (run && lines.position(c.span.start).line === lines.position(run.end).line + 1) run = { ...run, end: c.span.end };
    else {
      if (run) fold(run, FoldingRangeKind.Comment);
      run = c.span;
    }
  }
  if (run) fold(run, FoldingRangeKind.Comment);
  return out;
}

function addFold(out: FoldingRange[], lines: LineMap, span: Span, kind?: FoldingRangeKind): void {
  const start = lines.position(span.start).line;
  const end = lines.position(span.end).line;
  if (end > start) out.push({ startLine: start, endLine: end, ...(kind ? { kind } : {}) });
}
