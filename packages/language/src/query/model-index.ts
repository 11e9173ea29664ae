/**
 * The reference index of a compiled model: every place a file names a context, a declaration or
 * a field, tied to the symbol it means. Editors answer "go to definition", "find references",
 * "rename" and "what is under the cursor" from it. Built from the per-file ASTs (where the names
 * are written) and the resolved Model (what they mean), with the resolver's own name lookup.
 */
import type * as A from "../ast/nodes.js";
import type { Span } from "../diagnostics/diagnostic.js";
import type * as M from "../resolve/model.js";
import { SymbolTable, type Scope, type Sym, type SymbolKind } from "../resolve/symbols.js";
import { BUILTIN_TYPES } from "../syntax/tokens.js";
import { contextKey, declarationKey, fieldKey, type SymbolInfo } from "./symbol.js";

/** One written name: where it is and which symbol it means. */
export interface Occurrence {
  readonly span: Span;
  /** The symbol's key (see `symbol.ts`); one span may name several symbols (`stream orderId`). */
  readonly key: string;
  /** True where the symbol is declared (a declaration's name, a field's name, `context X`). */
  readonly definition: boolean;
}

/** Every kind of declaration: a path naming any of them resolves. */
const ANY: readonly SymbolKind[] = ["type", "enum", "command", "event", "aggregate", "service", "projection", "workflow"];

/** The reference index of one compiled model. Immutable once built. */
export class ModelIndex {
  private readonly byFile = new Map<string, Occurrence[]>();
  private readonly byKey = new Map<string, Occurrence[]>();
  private readonly infos = new Map<string, SymbolInfo>();

  /** Builds the index of `model`, compiled from `files`. */
  constructor(
    readonly model: M.Model,
    files: readonly A.FileNode[],
  ) {
    const table = tableOf(model, this.infos);
    for (const file of files) new FileIndexer(file, table, this).run();
    for (const list of this.byFile.values()) list.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  }

  /** What a key means, if it names a symbol of the model. */
  symbol(key: string): SymbolInfo | undefined {
    return this.infos.get(key);
  }

  /** Every symbol of the model. */
  symbols(): IterableIterator<[string, SymbolInfo]> {
    return this.infos.entries();
  }

  /** The occurrences of a file, by position. */
  occurrencesIn(file: string): readonly Occurrence[] {
    return this.byFile.get(file) ?? [];
  }

  /** The occurrences of a symbol, in every file, definitions included. */
  occurrencesOf(key: string): readonly Occurrence[] {
    return this.byKey.get(key) ?? [];
  }

  /** The occurrences whose span holds `offset` (its end included, where a cursor after a name sits); innermost first. */
  at(file: string, offset: number): Occurrence[] {
    const list = this.byFile.get(file) ?? [];
    const found = list.filter((o) => o.span.start <= offset && offset <= o.span.end);
    return found.sort((a, b) => a.span.end - a.span.start - (b.span.end - b.span.start));
  }

  /** Records one occurrence (used while building). */
  add(span: Span, key: string, definition: boolean, info?: SymbolInfo): void {
    if (info && !this.infos.has(key)) this.infos.set(key, info);
    if (!this.infos.has(key)) return;
    const o: Occurrence = { span, key, definition };
    push(this.byFile, span.file, o);
    push(this.byKey, key, o);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The resolver's symbol table, rebuilt from the model, and the symbol of every declaration and field. */
function tableOf(model: M.Model, infos: Map<string, SymbolInfo>): SymbolTable {
  const table = new SymbolTable();
  for (const c of model.contexts) {
    infos.set(contextKey(c.name), { kind: "context", context: c });
    const decls: M.DeclarationModel[] = [...c.types, ...c.enums, ...c.commands, ...c.events, ...c.aggregates, ...c.services, ...c.projections, ...c.workflows];
    for (const d of decls) {
      table.add({ kind: d.kind, name: d.name, context: c.name, nameSpan: d.nameSpan, model: d });
      infos.set(declarationKey(d), { kind: "declaration", declaration: d });
      for (const [version, fields] of fieldListsOf(d)) {
        for (const f of fields) infos.set(fieldKey(d, f.name, version), { kind: "field", owner: d, ...(version !== undefined ? { version } : {}), field: f });
      }
    }
  }
  return table;
}

/** The field lists of a declaration, each with its event version (undefined for other kinds). */
export function fieldListsOf(d: M.DeclarationModel): [number | undefined, readonly M.FieldModel[]][] {
  switch (d.kind) {
    case "type":
    case "command":
      return [[undefined, d.fields]];
    case "event":
      return d.versions.map((v) => [v.version, v.fields]);
    case "aggregate":
      return [[undefined, [...d.state, ...(d.variants ?? []).flatMap((v) => v.fields)]]];
    case "projection":
      return [[undefined, d.key ? [d.key, ...d.fields] : d.fields]];
    default:
      return [];
  }
}

/** Walks one file's AST, resolving each written name the way the resolver did. */
class FileIndexer {
  private readonly scope: Scope | undefined;
  private readonly context: string | undefined;

  constructor(
    private readonly file: A.FileNode,
    private readonly table: SymbolTable,
    private readonly index: ModelIndex,
  ) {
    this.context = file.context?.name;
    const uses = file.uses.flatMap((u) => u.contexts.filter((c) => table.contexts.has(c.name) && c.name !== this.context).map((c) => ({ name: c.name, span: c.span })));
    this.scope = this.context !== undefined ? { file: file.path, context: this.context, uses, usedHits: new Map() } : undefined;
  }

  run(): void {
    if (this.file.context) this.index.add(this.file.context.span, contextKey(this.file.context.name), true);
    for (const u of this.file.uses) for (const c of u.contexts) this.index.add(c.span, contextKey(c.name), false);
    if (!this.scope) return;
    for (const d of this.file.declarations) this.declaration(d);
  }

  /** Resolves a path to a declaration, recording the context qualifier and the name. */
  private ref(path: A.Path, expected: readonly SymbolKind[] = ANY): M.DeclarationModel | undefined {
    if (!this.scope) return undefined;
    const first = path.parts[0];
    if (path.parts.length === 2 && first) this.index.add(first.span, contextKey(first.name), false);
    const sym: Sym | undefined = this.table.lookup(this.scope, path, { expected }, []);
    const model = sym?.model;
    const last = path.parts[path.parts.length - 1];
    if (model && last) this.index.add(last.span, declarationKey(model), false);
    return model;
  }

  private own(name: A.Ident): M.DeclarationModel | undefined {
    const model = this.context !== undefined ? this.table.get(this.context, name.name)?.model : undefined;
    if (model) this.index.add(name.span, declarationKey(model), true);
    return model;
  }

  private declaration(d: A.Declaration): void {
    if (d.kind === "UpcastDecl") return this.upcast(d);
    const model = this.own(d.name);
    switch (d.kind) {
      case "TypeDecl":
      case "CommandDecl":
        return this.fields(d.fields, model);
      case "EventDecl":
        return this.fields(d.fields, model, d.version?.value ?? 1);
      case "EnumDecl":
        return;
      case "AggregateDecl":
        return this.aggregate(d, model);
      case "ServiceDecl":
        for (const h of d.handlers) this.handler(h);
        return;
      case "ProjectionDecl":
        return this.projection(d, model);
      case "WorkflowDecl":
        return this.workflow(d);
    }
  }

  /** Field declarations, and the types they name. */
  private fields(fields: readonly A.Field[], owner: M.DeclarationModel | undefined, version?: number): void {
    for (const f of fields) {
      if (owner) this.index.add(f.name.span, fieldKey(owner, f.name.name, version), true);
      this.typeRef(f.type);
    }
  }

  private typeRef(t: A.TypeRef): void {
    if (t.kind === "ListTypeRef") return this.typeRef(t.element);
    const single = t.name.parts.length === 1 ? t.name.parts[0]?.name : undefined;
    const builtin = single !== undefined && (isBuiltin(single) || (single === "map" && t.args.length > 0));
    if (!builtin) this.ref(t.name, ["type", "enum"]);
    for (const a of t.args) this.typeRef(a);
  }

  private upcast(d: A.UpcastDecl): void {
    const ev = this.ref(d.event, ["event"]);
    if (ev?.kind !== "event") return;
    for (const r of d.rules) {
      this.fieldRef(r.field, ev, d.to.value);
      if (r.value.kind === "rename") this.fieldRef(r.value.from, ev, d.from.value);
    }
  }

  /** A name that means a field of `owner` (of one version, for events), if it has one. */
  private fieldRef(name: A.Ident, owner: M.DeclarationModel | undefined, version?: number): void {
    if (!owner) return;
    const v = owner.kind === "event" ? (version ?? owner.current.version) : undefined;
    this.index.add(name.span, fieldKey(owner, name.name, v), false);
  }

  private aggregate(d: A.AggregateDecl, model: M.DeclarationModel | undefined): void {
    if (d.state) this.fields(d.state.fields, model);
    for (const v of d.variants ?? []) if (v.fields) this.fields(v.fields.fields, model);
    const carriers: M.DeclarationModel[] = [];
    for (const h of d.handlers) carriers.push(...this.handler(h));
    if (d.stream) for (const c of carriers) this.fieldRef(d.stream, c);
  }

  /** A handler line; returns the command and events it names. */
  private handler(h: A.Handler): M.DeclarationModel[] {
    const named = [this.ref(h.command, ["command"]), ...h.emits.map((e) => this.ref(e, ["event"]))];
    return named.filter((m): m is M.DeclarationModel => m !== undefined);
  }

  private projection(d: A.ProjectionDecl, model: M.DeclarationModel | undefined): void {
    const events = d.from.map((p) => this.ref(p, ["event"]));
    if (d.key) {
      this.fields([d.key], model);
      for (const ev of events) this.fieldRef(d.key.name, ev);
    }
    if (d.fields) this.fields(d.fields.fields, model);
  }

  private workflow(d: A.WorkflowDecl): void {
    const start = d.start ? this.ref(d.start, ["event"]) : undefined;
    const correlated: (M.DeclarationModel | undefined)[] = [start];
    for (const s of d.steps) {
      if (s.send) this.send(s.send, start);
      if (s.await) correlated.push(this.ref(s.await, ["event"]));
      if (s.failOn) correlated.push(this.ref(s.failOn, ["event"]));
      if (s.compensate) this.send(s.compensate, start);
    }
    if (d.onComplete) this.send(d.onComplete, start);
    if (d.onFail) this.send(d.onFail, start);
    for (const r of d.reactions) this.send(r.send, this.ref(r.event, ["event"]));
    if (d.correlate) for (const ev of correlated) this.fieldRef(d.correlate, ev);
  }

  /** `send Command { target = source }`: the command, its fields, and the fields read. */
  private send(s: A.Send, trigger: M.DeclarationModel | undefined): void {
    const command = this.ref(s.command, ["command"]);
    for (const e of s.mapping ?? []) {
      this.fieldRef(e.target, command);
      if (e.source.kind !== "path") continue;
      const parts = e.source.path.parts;
      const last = parts[parts.length - 1];
      if (parts.length === 1 && last && last.name !== "compute") this.fieldRef(last, trigger);
      if (parts.length >= 2 && last) this.eventField(e.source.path, last);
    }
  }

  /** `Event.field` (or `Context.Event.field`) in a mapping. */
  private eventField(path: A.Path, field: A.Ident): void {
    const eventPath: A.Path = { kind: "Path", parts: path.parts.slice(0, -1), span: path.span };
    if (!this.scope || eventPath.parts.length > 2) return;
    const sym = this.table.lookup(this.scope, eventPath, { expected: ANY }, []);
    if (sym?.model?.kind !== "event") return; // an enum member (`Status.Placed`), or unknown
    this.ref(eventPath, ["event"]);
    this.fieldRef(field, sym.model);
  }
}

const BUILTIN_NAMES = new Set<string>(BUILTIN_TYPES);
function isBuiltin(name: string): boolean {
  return BUILTIN_NAMES.has(name);
}
