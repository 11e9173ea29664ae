/** Events: versions in order, upcasts checked and planned field by field, upcast paths. */
import { pathText, type EventDecl, type UpcastDecl } from "../ast/nodes.js";
import { label, report, type Diagnostic, type Span } from "../diagnostics/diagnostic.js";
import { checkDefaultAgainstConstraints, resolveFields } from "./fields.js";
import type { EventModel, EventVersionModel, FieldModel, UpcastFieldPlan, UpcastModel } from "./model.js";
import { kindNoun, type Scope, type Sym, type SymbolTable } from "./symbols.js";
import { assignable, sameType, typeText } from "./types.js";
import { checkSealedFieldsKept, type PlannedUpcast } from "./upcast-pii.js";
import { literalValue } from "./values.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface EventDecls {
  readonly decls: { readonly decl: EventDecl; readonly file: string }[];
}

export interface UpcastSource {
  readonly decl: UpcastDecl;
  readonly file: string;
}

/** Creates every event's model, then attaches and checks the upcasts. Returns the events. */
export function resolveEvents(table: SymbolTable, events: Map<Sym, EventDecls>, upcasts: readonly UpcastSource[], scopeOf: (file: string) => Scope, out: Diagnostic[]): EventModel[] {
  const models: EventModel[] = [];
  for (const [sym, group] of events) models.push(eventShell(sym, group, table, scopeOf, out));
  const byEvent = new Map<EventModel, UpcastSource[]>();
  for (const u of upcasts) {
    const sym = table.lookup(scopeOf(u.file), u.decl.event, { expected: ["event", "command", "type", "enum", "aggregate", "service", "projection", "workflow"], role: "after `upcast`" }, out);
    if (!sym?.model) continue;
    if (sym.model.kind !== "event") {
      out.push(report("EDA3011", u.decl.event.span, { name: pathText(u.decl.event), kind: kindNoun(sym.kind) }, { labels: [label(sym.nameSpan, "declared")] }));
      continue;
    }
    const list = byEvent.get(sym.model) ?? [];
    list.push(u);
    byEvent.set(sym.model, list);
  }
  for (const ev of models) attachUpcasts(ev as Mutable<EventModel>, byEvent.get(ev) ?? [], out);
  return models;
}

function eventShell(sym: Sym, group: EventDecls, table: SymbolTable, scopeOf: (file: string) => Scope, out: Diagnostic[]): EventModel {
  const sorted = [...group.decls].sort((a, b) => (a.decl.version?.value ?? 1) - (b.decl.version?.value ?? 1));
  const versions: Mutable<EventVersionModel>[] = [];
  const seen = new Map<number, EventDecl>();
  for (const { decl, file } of sorted) {
    const v = decl.version?.value ?? 1;
    const first = seen.get(v);
    if (first) {
      out.push(
        report("EDA3001", decl.version?.span ?? decl.name.span, { event: sym.name, version: v, next: Math.max(...seen.keys()) + 1 }, {
          labels: [label(first.version?.span ?? first.name.span, "firstDeclared")],
        }),
      );
      continue;
    }
    seen.set(v, decl);
    versions.push({ version: v, fields: resolveFields(decl.fields, table, scopeOf(file), out), ...(decl.doc ? { doc: decl.doc.text } : {}), span: decl.span, headerSpan: { ...decl.span, end: (decl.version ?? decl.name).span.end }, upcastPath: [] });
  }
  const current = versions[versions.length - 1] as EventVersionModel;
  const docOf = [...versions].reverse().find((v) => v.doc !== undefined)?.doc;
  const m: EventModel = {
    kind: "event",
    name: sym.name,
    qualifiedName: `${sym.context}.${sym.name}`,
    context: sym.context,
    ...(docOf !== undefined ? { doc: docOf } : {}),
    span: current.span,
    nameSpan: sym.nameSpan,
    versions,
    current,
    upcasts: [],
    emittedBy: [],
  };
  sym.model = m;
  return m;
}

function attachUpcasts(ev: Mutable<EventModel>, sources: UpcastSource[], out: Diagnostic[]): void {
  const upcasts: PlannedUpcast[] = [];
  const byPair = new Map<string, UpcastDecl>();
  const byFrom = new Map<number, UpcastDecl>();
  for (const { decl } of sources) {
    const from = ev.versions.find((v) => v.version === decl.from.value);
    const to = ev.versions.find((v) => v.version === decl.to.value);
    let ok = true;
    for (const [tag, version] of [[decl.from, from], [decl.to, to]] as const) {
      if (!version) {
        ok = false;
        out.push(report("EDA3004", tag.span, { event: ev.name, version: tag.value, versions: ev.versions.map((v) => `\`v${v.version}\``).join(", ") }));
      }
    }
    if (decl.from.value >= decl.to.value) {
      out.push(report("EDA3007", decl.to.span, { from: decl.from.value, to: decl.to.value, event: ev.name, older: Math.min(decl.from.value, decl.to.value), newer: Math.max(decl.from.value, decl.to.value) }));
      continue;
    }
    const key = `${decl.from.value}->${decl.to.value}`;
    const twin = byPair.get(key);
    if (twin) {
      out.push(report("EDA3008", upcastHeader(decl), { event: ev.name, from: decl.from.value, to: decl.to.value }, { labels: [label(upcastHeader(twin), "firstOne")] }));
      continue;
    }
    const sibling = byFrom.get(decl.from.value);
    if (sibling) {
      out.push(report("EDA3010", upcastHeader(decl), { event: ev.name, from: decl.from.value, to: sibling.to.value }, { labels: [label(upcastHeader(sibling), "otherUpcast")] }));
      continue;
    }
    byPair.set(key, decl);
    byFrom.set(decl.from.value, decl);
    if (!ok || !from || !to) continue;
    const model: UpcastModel = { event: ev, from: from.version, to: to.version, plan: planUpcast(ev, decl, from, to, out), ...(decl.doc ? { doc: decl.doc.text } : {}), span: decl.span, headerSpan: { ...decl.span, end: decl.to.span.end } };
    upcasts.push({ model, decl });
  }
  ev.upcasts = upcasts.map((u) => u.model).sort((a, b) => a.from - b.from);
  checkSealedFieldsKept(ev, upcasts, out);
  computePaths(ev, out);
}

function planUpcast(ev: EventModel, decl: UpcastDecl, from: EventVersionModel, to: EventVersionModel, out: Diagnostic[]): UpcastFieldPlan[] {
  const rules = new Map<string, UpcastDecl["rules"][number]>();
  for (const r of decl.rules) {
    const first = rules.get(r.field.name);
    if (first) {
      out.push(report("EDA3008", r.field.span, { field: r.field.name }, { variant: "rule", labels: [label(first.span, "firstRule")] }));
      continue;
    }
    if (!to.fields.some((f) => f.name === r.field.name)) {
      out.push(report("EDA3005", r.field.span, { event: ev.name, version: to.version, field: r.field.name, fields: to.fields.map((f) => `\`${f.name}\``).join(", ") }));
      continue;
    }
    rules.set(r.field.name, r);
  }
  return to.fields.map((f) => planField(ev, f, from, to, rules.get(f.name), decl, out));
}

function planField(ev: EventModel, f: FieldModel, from: EventVersionModel, to: EventVersionModel, rule: UpcastDecl["rules"][number] | undefined, decl: UpcastDecl, out: Diagnostic[]): UpcastFieldPlan {
  const old = from.fields.find((o) => o.name === f.name);
  if (!rule) {
    if (old && sameType(old.type, f.type) && (f.optional || !old.optional)) return { kind: "carry", field: f.name };
    if (f.defaultValue) return { kind: "fieldDefault", field: f.name, value: f.defaultValue };
    if (f.optional) return { kind: "unset", field: f.name };
    const labels = [label(f.span, "declaredAs", { name: f.name })];
    const data = { field: f.name, from: from.version, to: to.version };
    if (!old) out.push(report("EDA3003", upcastHeader(decl), data, { labels }));
    else if (sameType(old.type, f.type)) out.push(report("EDA3003", upcastHeader(decl), data, { variant: "optional", labels }));
    else out.push(report("EDA3003", upcastHeader(decl), { ...data, oldType: typeText(old.type), newType: typeText(f.type) }, { variant: "type", labels }));
    return { kind: "compute", field: f.name, invalid: true };
  }
  const v = rule.value;
  if (old && sameType(old.type, f.type) && (f.optional || !old.optional) && !(v.kind === "rename" && v.from.name === f.name)) {
    out.push(report("EDA3009", rule.span, { field: f.name, from: from.version }, v.kind === "default" ? { variant: "defaultValue" } : {}));
  }
  if (v.kind === "compute") return { kind: "compute", field: f.name };
  if (v.kind === "default") {
    const value = literalValue(v.literal, f.type, out);
    if (value) checkDefaultAgainstConstraints(value, f.constraints, v.literal.span, out);
    return value ? { kind: "default", field: f.name, value } : { kind: "compute", field: f.name, invalid: true };
  }
  const src = from.fields.find((o) => o.name === v.from.name);
  if (!src) {
    out.push(report("EDA3006", v.from.span, { event: ev.name, version: from.version, source: v.from.name, field: f.name, fields: from.fields.map((o) => `\`${o.name}\``).join(", ") || "none" }));
  } else if (!assignable(src.type, f.type) || (src.optional && !f.optional)) {
    const data = { field: f.name, source: v.from.name };
    if (src.optional && !f.optional) out.push(report("EDA3006", v.from.span, data, { variant: "optional" }));
    else out.push(report("EDA3006", v.from.span, { ...data, sourceType: typeText(src.type), fieldType: typeText(f.type) }, { variant: "type" }));
  } else if (src.name === f.name && sameType(src.type, f.type)) {
    out.push(report("EDA3009", rule.span, { field: f.name }, { variant: "rename" }));
  }
  return { kind: "rename", field: f.name, from: v.from.name };
}

function computePaths(ev: Mutable<EventModel>, out: Diagnostic[]): void {
  const current = ev.current.version;
  const from = new Map<number, UpcastModel>();
  for (const u of ev.upcasts) if (!from.has(u.from)) from.set(u.from, u);
  // Paths found so far, by version: a chain's later versions share the walk of the earlier ones.
  const known = new Map<number, readonly UpcastModel[]>([[current, []]]);
  for (const version of ev.versions as Mutable<EventVersionModel>[]) {
    if (version.version === current) continue;
    const walked: UpcastModel[] = [];
    const seen = new Set<UpcastModel>();
    let at = version.version;
    while (!known.has(at)) {
      const next = from.get(at);
      if (!next || seen.has(next)) break;
      seen.add(next);
      walked.push(next);
      at = next.to;
    }
    const rest = known.get(at);
    if (rest) {
      for (let i = walked.length - 1; i >= 0; i--) known.set((walked[i] as UpcastModel).from, [...walked.slice(i), ...rest]);
      version.upcastPath = known.get(version.version) as UpcastModel[];
      continue;
    }
    const span: Span = version.headerSpan;
    out.push(
      report("EDA3002", span, { event: ev.name, version: version.version, current, at }, at !== version.version ? { variant: "beyond" } : {}),
    );
  }
}

/** `upcast Name vA -> vB`: where upcast diagnostics point. */
function upcastHeader(decl: UpcastDecl): Span {
  return { ...decl.span, end: decl.to.span.end };
}
