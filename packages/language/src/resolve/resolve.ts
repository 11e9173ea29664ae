/**
 * AST → Model. Builds the symbol table, creates a model shell per declaration (so references can
 * point at it before it is filled), then fills every declaration, reporting name problems.
 */
import type * as A from "../ast/nodes.js";
import { label, report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { ParsedFile } from "../syntax/parse-file.js";
import { resolveEvents, type EventDecls, type UpcastSource } from "./events.js";
import { resolveField, resolveFields } from "./fields.js";
import type * as M from "./model.js";
import { closest } from "./suggest.js";
import { SymbolTable, type Scope, type Sym } from "./symbols.js";
import { resolveWorkflow } from "./workflows.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const KIND_OF: Record<Exclude<A.Declaration["kind"], "UpcastDecl">, M.DeclarationModel["kind"]> = {
  TypeDecl: "type",
  EnumDecl: "enum",
  CommandDecl: "command",
  EventDecl: "event",
  AggregateDecl: "aggregate",
  ServiceDecl: "service",
  ProjectionDecl: "projection",
  WorkflowDecl: "workflow",
};

interface Work {
  readonly table: SymbolTable;
  readonly out: Diagnostic[];
  readonly scopes: Map<string, Scope>;
  readonly contexts: Map<string, Mutable<M.ContextModel>>;
  readonly events: Map<Sym, EventDecls>;
  readonly upcasts: UpcastSource[];
}

/** Resolves parsed files into a Model. */
export function resolve(files: readonly ParsedFile[], out: Diagnostic[]): M.Model {
  const w: Work = { table: new SymbolTable(), out, scopes: new Map(), contexts: new Map(), events: new Map(), upcasts: [] };
  const withContext = files.filter((f) => f.ast.context);
  for (const f of withContext) declare(w, f);
  for (const f of withContext) w.scopes.set(f.ast.path, makeScope(w, f.ast));
  // Fields first, then handlers and projections, workflows last: each reads what the earlier filled.
  const fill: (() => void)[][] = [[], [], []];
  for (const f of withContext) {
    for (const d of f.ast.declarations) {
      const phase = d.kind === "WorkflowDecl" ? 2 : d.kind === "TypeDecl" || d.kind === "CommandDecl" ? 0 : 1;
      for (const step of shell(w, f.ast, d)) fill[phase]?.push(step);
    }
  }
  for (const ev of resolveEvents(w.table, w.events, w.upcasts, (file) => scopeOf(w, file), out)) {
    (w.contexts.get(ev.context)?.events as M.EventModel[] | undefined)?.push(ev);
  }
  for (const phase of fill) for (const step of phase) step();
  reportUnusedUses(w);
  const contexts = [...w.contexts.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { contexts, files: files.map((f) => f.ast.path) };
}

function scopeOf(w: Work, file: string): Scope {
  return w.scopes.get(file) as Scope;
}

function contextModel(w: Work, name: A.Ident, file: string): Mutable<M.ContextModel> {
  let c = w.contexts.get(name.name);
  if (!c) {
    c = { name: name.name, nameSpan: name.span, files: [], types: [], enums: [], commands: [], events: [], aggregates: [], services: [], projections: [], workflows: [] };
    w.contexts.set(name.name, c);
  }
  if (!c.files.includes(file)) (c.files as string[]).push(file);
  return c;
}

/** Enters every named declaration of a file into the table, reporting duplicates. */
function declare(w: Work, f: ParsedFile): void {
  const ctx = (f.ast.context as A.Ident).name;
  const cm = contextModel(w, f.ast.context as A.Ident, f.ast.path);
  if (f.ast.contextDoc && cm.doc === undefined) cm.doc = f.ast.contextDoc.text;
  for (const d of f.ast.declarations) {
    if (d.kind === "UpcastDecl") {
      w.upcasts.push({ decl: d, file: f.ast.path });
      continue;
    }
    const kind = KIND_OF[d.kind];
    const sym: Sym = { kind, name: d.name.name, context: ctx, nameSpan: d.name.span };
    const existing = w.table.add(sym);
    if (!existing) {
      if (d.kind === "EventDecl") w.events.set(sym, { decls: [{ decl: d, file: f.ast.path }] });
      continue;
    }
    if (existing.kind === "event" && d.kind === "EventDecl") {
      w.events.get(existing)?.decls.push({ decl: d, file: f.ast.path });
      continue;
    }
    if (existing.kind === "broken") continue;
    w.out.push(
      report("EDA2003", d.name.span, { name: d.name.name, context: ctx }, {
        labels: [label(existing.nameSpan, "firstDeclared")],
        hint: existing.kind === "event" || d.kind === "EventDecl" ? "event" : "default",
      }),
    );
  }
  for (const b of f.broken) w.table.add({ kind: "broken", name: b.name, context: ctx, nameSpan: b.span });
}

function makeScope(w: Work, ast: A.FileNode): Scope {
  const context = (ast.context as A.Ident).name;
  const uses: { name: string; span: A.Ident["span"] }[] = [];
  for (const u of ast.uses) {
    for (const c of u.contexts) {
      if (c.name === context) {
        w.out.push(report("EDA2010", c.span, { context }));
      } else if (!w.table.contexts.has(c.name)) {
        const guess = closest(c.name, w.table.contexts.keys());
        w.out.push(report("EDA2005", c.span, { name: c.name, guess: guess ?? "" }, { hint: guess ? "guess" : "use", fix: guess === undefined ? undefined : { span: c.span, replacement: guess } }));
      } else if (!uses.some((x) => x.name === c.name)) uses.push({ name: c.name, span: c.span });
    }
  }
  return { file: ast.path, context, uses, usedHits: new Map() };
}

function reportUnusedUses(w: Work): void {
  for (const scope of w.scopes.values()) {
    for (const u of scope.uses) {
      if (!scope.usedHits.get(u.name)) {
        w.out.push(report("EDA2009", u.span, { context: u.name }));
      }
    }
  }
}

function named(ctx: string, d: { name: A.Ident; doc?: A.Doc; span: A.Ident["span"] }): { name: string; qualifiedName: string; context: string; doc?: string; span: A.Ident["span"]; nameSpan: A.Ident["span"] } {
  return { name: d.name.name, qualifiedName: `${ctx}.${d.name.name}`, context: ctx, ...(d.doc ? { doc: d.doc.text } : {}), span: d.span, nameSpan: d.name.span };
}

/** Creates the model object of a declaration now; returns the work that fills it later. */
function shell(w: Work, ast: A.FileNode, d: A.Declaration): (() => void)[] {
  if (d.kind === "UpcastDecl" || d.kind === "EventDecl") return [];
  const ctx = (ast.context as A.Ident).name;
  const sym = w.table.get(ctx, d.name.name);
  if (!sym || sym.nameSpan !== d.name.span) return []; // a duplicate: already reported
  const cm = contextModel(w, ast.context as A.Ident, ast.path);
  const scope = scopeOf(w, ast.path);
  const base = named(ctx, d);
  switch (d.kind) {
    case "TypeDecl": {
      const m: Mutable<M.TypeModel> = { kind: "type", ...base, fields: [] };
      register(sym, m, cm.types);
      return [() => (m.fields = resolveFields(d.fields, w.table, scope, w.out))];
    }
    case "EnumDecl": {
      const m: M.EnumModel = { kind: "enum", ...base, members: enumMembers(d, w.out) };
      register(sym, m, cm.enums);
      return [];
    }
    case "CommandDecl": {
      const m: Mutable<M.CommandModel> = { kind: "command", ...base, fields: [] };
      register(sym, m, cm.commands);
      return [() => (m.fields = resolveFields(d.fields, w.table, scope, w.out))];
    }
    case "AggregateDecl":
      return [fillAggregate(w, sym, base, d, scope, cm)];
    case "ServiceDecl": {
      const m: Mutable<M.ServiceModel> = { kind: "service", ...base, handlers: [], rejections: [] };
      register(sym, m, cm.services);
      return [
        () => {
          m.rejections = resolveRejections(w, d.rejections ?? [], scope);
          m.handlers = d.handlers.map((h) => resolveHandler(w, h, m, scope)).filter((h): h is M.HandlerModel => h !== undefined);
          warnUnusedRejections(w, m, d.handlers);
        },
      ];
    }
    case "ProjectionDecl":
      return [fillProjection(w, sym, base, d, scope, cm)];
    case "WorkflowDecl": {
      const m: Mutable<M.WorkflowModel> = { kind: "workflow", ...base, mode: d.mode, steps: [], reactions: [] };
      register(sym, m, cm.workflows);
      return [() => resolveWorkflow(m, d, w.table, scope, w.out)];
    }
  }
}

function register<T extends M.DeclarationModel>(sym: Sym, m: T, list: readonly T[]): void {
  sym.model = m;
  (list as T[]).push(m);
}

function enumMembers(d: A.EnumDecl, out: Diagnostic[]): M.EnumModel["members"] {
  const seen = new Map<string, A.Ident>();
  const members: { name: string; doc?: string; span: A.Ident["span"] }[] = [];
  for (const m of d.members) {
    const first = seen.get(m.name.name);
    if (first) {
      out.push(report("EDA2007", m.name.span, { member: m.name.name, enum: d.name.name }, { labels: [label(first.span, "firstListed")] }));
      continue;
    }
    seen.set(m.name.name, m.name);
    members.push({ name: m.name.name, ...(m.doc ? { doc: m.doc.text } : {}), span: m.name.span });
  }
  if (members.length === 0) out.push(report("EDA2013", d.name.span, { enum: d.name.name }));
  return members;
}

function fillAggregate(w: Work, sym: Sym, base: ReturnType<typeof named>, d: A.AggregateDecl, scope: Scope, cm: Mutable<M.ContextModel>): () => void {
  const m: Mutable<M.AggregateModel> = { kind: "aggregate", ...base, state: [], handlers: [], rejections: [] };
  if (d.stream) m.stream = { field: d.stream.name, span: d.stream.span };
  if (d.snapshot) {
    m.snapshotEvery = d.snapshot.every;
    m.snapshotSpan = d.snapshot.span;
  }
  register(sym, m, cm.aggregates);
  return () => {
    m.state = resolveFields(d.state?.fields ?? [], w.table, scope, w.out);
    if (d.variants) m.variants = d.variants.map((v) => ({ name: v.name.name, span: v.name.span, fields: resolveFields(v.fields?.fields ?? [], w.table, scope, w.out) }));
    m.rejections = resolveRejections(w, d.rejections ?? [], scope);
    m.handlers = d.handlers.map((h) => resolveHandler(w, h, m, scope)).filter((h): h is M.HandlerModel => h !== undefined);
    warnUnusedRejections(w, m, d.handlers);
  };
}

function fillProjection(w: Work, sym: Sym, base: ReturnType<typeof named>, d: A.ProjectionDecl, scope: Scope, cm: Mutable<M.ContextModel>): () => void {
  const m: Mutable<M.ProjectionModel> = { kind: "projection", ...base, fields: [], from: [] };
  register(sym, m, cm.projections);
  return () => {
    if (d.key) m.key = resolveField(d.key, w.table, scope, w.out);
    m.fields = resolveFields(d.fields?.fields ?? [], w.table, scope, w.out);
    const from: { event: M.EventModel; span: A.Ident["span"] }[] = [];
    for (const p of d.from) {
      const ev = w.table.lookup(scope, p, { expected: ["event"], role: "in `from`" }, w.out)?.model;
      if (ev?.kind === "event") from.push({ event: ev, span: p.span });
    }
    m.from = from;
  };
}

function resolveHandler(w: Work, h: A.Handler, owner: M.AggregateModel | M.ServiceModel, scope: Scope): M.HandlerModel | undefined {
  const command = w.table.lookup(scope, h.command, { expected: ["command"], role: "after `on`" }, w.out)?.model;
  const emits: M.EventModel[] = [];
  const emitSpans: A.Ident["span"][] = [];
  for (const p of h.emits) {
    const ev = w.table.lookup(scope, p, { expected: ["event"], role: "after `emits`" }, w.out)?.model;
    if (ev?.kind === "event" && !emits.includes(ev)) {
      emits.push(ev);
      emitSpans.push(p.span);
    }
  }
  const rejects = handlerRejects(w, h, owner);
  if (command?.kind !== "command") return undefined;
  const handler: M.HandlerModel = { command, emits, rejects, owner, span: h.span, commandSpan: h.command.span, emitSpans };
  command.handler ??= handler;
  for (const ev of emits) ev.emittedBy.push(handler);
  return handler;
}


/** The entries of an owner's `rejections { … }` blocks, each name once (EDA4031). */
function resolveRejections(w: Work, entries: readonly A.RejectionDecl[], scope: Scope): M.RejectionModel[] {
  const seen = new Map<string, A.RejectionDecl>();
  const out: M.RejectionModel[] = [];
  for (const r of entries) {
    const first = seen.get(r.name.name);
    if (first) {
      w.out.push(report("EDA4031", r.name.span, { name: r.name.name }, { labels: [label(first.name.span, "firstDeclared")] }));
      continue;
    }
    seen.set(r.name.name, r);
    out.push({ name: r.name.name, fields: resolveFields(r.fields.filter((f) => !reservedReasonField(w, r, f)), w.table, scope, w.out), span: r.name.span });
  }
  return out;
}

/** EDA4033: `code` and `message` are the reason's own keys (`{ code: "Name", message?, …fields }`); such a field is left out. */
function reservedReasonField(w: Work, r: A.RejectionDecl, f: A.Field): boolean {
  if (f.name.name !== "code" && f.name.name !== "message") return false;
  w.out.push(report("EDA4033", f.name.span, { name: r.name.name }, f.name.name === "code" ? {} : { variant: "message" }));
  return true;
}

/** A handler's `rejects` names, each looked up in its owner's `rejections` (EDA4030 when missing). */
function handlerRejects(w: Work, h: A.Handler, owner: M.AggregateModel | M.ServiceModel): M.RejectionModel[] {
  const rejects: M.RejectionModel[] = [];
  const names = owner.rejections.map((r) => r.name);
  for (const name of h.rejects) {
    const rejection = owner.rejections.find((r) => r.name === name.name);
    if (rejection === undefined) {
      const guess = closest(name.name, names);
      w.out.push(report("EDA4030", name.span, { name: name.name, kind: owner.kind, owner: owner.name, guess: guess ?? "" }, { hint: guess === undefined ? "default" : "guess", fix: guess === undefined ? undefined : { span: name.span, replacement: guess } }));
    } else if (!rejects.includes(rejection)) rejects.push(rejection);
  }
  return rejects;
}

/** EDA4032: a declared rejection no handler line names (read from the text, so a handler dropped for another error still counts). */
function warnUnusedRejections(w: Work, owner: M.AggregateModel | M.ServiceModel, handlers: readonly A.Handler[]): void {
  const named = new Set(handlers.flatMap((h) => h.rejects.map((r) => r.name)));
  // A misspelt `rejects` name (EDA4030) most likely means one of these: no follow-on warning.
  if ([...named].some((name) => !owner.rejections.some((r) => r.name === name))) return;
  for (const r of owner.rejections) {
    if (named.has(r.name)) continue;
    w.out.push(report("EDA4032", r.span, { kind: owner.kind, owner: owner.name, name: r.name }));
  }
}
