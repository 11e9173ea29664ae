/** Events: versions in order, upcasts checked and planned field by field, upcast paths. */
import { pathText, type EventDecl, type UpcastDecl } from "../ast/nodes.js";
import { diagnostic, type Diagnostic, type Span } from "../diagnostics/diagnostic.js";
import { checkDefaultAgainstConstraints, resolveFields } from "./fields.js";
import type { EventModel, EventVersionModel, FieldModel, UpcastFieldPlan, UpcastModel } from "./model.js";
import { kindNoun, type Scope, type Sym, type SymbolTable } from "./symbols.js";
import { assignable, sameType, typeText } from "./types.js";
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
      out.push(diagnostic("EDA3011", u.decl.event.span, `\`${pathText(u.decl.event)}\` is ${kindNoun(sym.kind)}; only events have versions to upcast.`, { labels: [{ span: sym.nameSpan, message: "declared here" }], hint: "Name an event." }));
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
        diagnostic("EDA3001", decl.version?.span ?? decl.name.span, `\`${sym.name} v${v}\` is declared twice.`, {
          labels: [{ span: first.version?.span ?? first.name.span, message: "first declared here" }],
          hint: `Give the new shape the next version: \`event ${sym.name} v${Math.max(...seen.keys()) + 1}\`.`,
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
  const upcasts: UpcastModel[] = [];
  const byPair = new Map<string, UpcastDecl>();
  const byFrom = new Map<number, UpcastDecl>();
  for (const { decl } of sources) {
    const from = ev.versions.find((v) => v.version === decl.from.value);
    const to = ev.versions.find((v) => v.version === decl.to.value);
    let ok = true;
    for (const [tag, version] of [[decl.from, from], [decl.to, to]] as const) {
      if (!version) {
        ok = false;
        out.push(diagnostic("EDA3004", tag.span, `\`${ev.name}\` has no version \`v${tag.value}\`.`, { hint: `Its versions are ${ev.versions.map((v) => `\`v${v.version}\``).join(", ")}.` }));
      }
    }
    if (decl.from.value >= decl.to.value) {
      out.push(diagnostic("EDA3007", decl.to.span, `An upcast goes from an older version to a newer one, but \`v${decl.from.value} -> v${decl.to.value}\` does not.`, { hint: `Write \`upcast ${ev.name} v${Math.min(decl.from.value, decl.to.value)} -> v${Math.max(decl.from.value, decl.to.value)}\`.` }));
      continue;
    }
    const key = `${decl.from.value}->${decl.to.value}`;
    const twin = byPair.get(key);
    if (twin) {
      out.push(diagnostic("EDA3008", upcastHeader(decl), `There is already an upcast of \`${ev.name}\` from \`v${decl.from.value}\` to \`v${decl.to.value}\`.`, { labels: [{ span: upcastHeader(twin), message: "the first one" }], hint: "Keep one of them." }));
      continue;
    }
    const sibling = byFrom.get(decl.from.value);
    if (sibling) {
      out.push(diagnostic("EDA3010", upcastHeader(decl), `\`${ev.name} v${decl.from.value}\` already upcasts to \`v${sibling.to.value}\`; a second path makes the result ambiguous.`, { labels: [{ span: upcastHeader(sibling), message: "the other upcast" }], hint: "Keep one upcast per old version." }));
      continue;
    }
    byPair.set(key, decl);
    byFrom.set(decl.from.value, decl);
    if (!ok || !from || !to) continue;
    upcasts.push({ event: ev, from: from.version, to: to.version, plan: planUpcast(ev, decl, from, to, out), ...(decl.doc ? { doc: decl.doc.text } : {}), span: decl.span });
  }
  ev.upcasts = upcasts.sort((a, b) => a.from - b.from);
  computePaths(ev, out);
}

function planUpcast(ev: EventModel, decl: UpcastDecl, from: EventVersionModel, to: EventVersionModel, out: Diagnostic[]): UpcastFieldPlan[] {
  const rules = new Map<string, UpcastDecl["rules"][number]>();
  for (const r of decl.rules) {
    const first = rules.get(r.field.name);
    if (first) {
      out.push(diagnostic("EDA3008", r.field.span, `\`${r.field.name}\` already has a rule in this upcast.`, { labels: [{ span: first.span, message: "the first rule" }], hint: "Keep one rule per field." }));
      continue;
    }
    if (!to.fields.some((f) => f.name === r.field.name)) {
      out.push(diagnostic("EDA3005", r.field.span, `\`${ev.name} v${to.version}\` has no field \`${r.field.name}\`.`, { hint: `Rules set fields of the new version: ${to.fields.map((f) => `\`${f.name}\``).join(", ")}.` }));
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
    const why = !old
      ? `\`v${from.version}\` has no field \`${f.name}\``
      : sameType(old.type, f.type)
        ? `it is optional in \`v${from.version}\` but required in \`v${to.version}\``
        : `\`v${from.version}\` has \`${f.name}\` as \`${typeText(old.type)}\`, but \`v${to.version}\` needs \`${typeText(f.type)}\``;
    out.push(
      diagnostic("EDA3003", upcastHeader(decl), `This upcast leaves \`${f.name}\` unset: ${why}.`, {
        labels: [{ span: f.span, message: `\`${f.name}\` is declared here` }],
        hint: `Add a rule: \`${f.name} = <default>\`, \`${f.name} = from <oldField>\` or \`${f.name} = compute\`.`,
      }),
    );
    return { kind: "compute", field: f.name };
  }
  const v = rule.value;
  if (old && sameType(old.type, f.type) && (f.optional || !old.optional) && !(v.kind === "rename" && v.from.name === f.name)) {
    const what = v.kind === "default" ? "this default overwrites the value every stored event carries" : "the rule replaces the value every stored event carries";
    out.push(diagnostic("EDA3009", rule.span, `\`${f.name}\` is carried over unchanged from \`v${from.version}\`; ${what}.`, { hint: "Remove the rule, or rename the field in the new version if its meaning changed." }));
  }
  if (v.kind === "compute") return { kind: "compute", field: f.name };
  if (v.kind === "default") {
    const value = literalValue(v.literal, f.type, out);
    if (value) checkDefaultAgainstConstraints(value, f.constraints, v.literal.span, out);
    return value ? { kind: "default", field: f.name, value } : { kind: "compute", field: f.name };
  }
  const src = from.fields.find((o) => o.name === v.from.name);
  if (!src) {
    out.push(diagnostic("EDA3006", v.from.span, `\`${ev.name} v${from.version}\` has no field \`${v.from.name}\` to take \`${f.name}\` from.`, { hint: `Its fields are ${from.fields.map((o) => `\`${o.name}\``).join(", ") || "none"}.` }));
  } else if (!assignable(src.type, f.type) || (src.optional && !f.optional)) {
    const what = src.optional && !f.optional ? `\`${v.from.name}\` is optional but \`${f.name}\` is required` : `\`${v.from.name}\` is \`${typeText(src.type)}\` but \`${f.name}\` is \`${typeText(f.type)}\``;
    out.push(diagnostic("EDA3006", v.from.span, `I cannot take \`${f.name}\` from \`${v.from.name}\`: ${what}.`, { hint: `Use \`${f.name} = compute\` to convert it in code.` }));
  } else if (src.name === f.name && sameType(src.type, f.type)) {
    out.push(diagnostic("EDA3009", rule.span, `\`${f.name}\` is carried over unchanged anyway; this rule is not needed.`, { hint: "Remove the rule." }));
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
      diagnostic("EDA3002", span, `Stored \`${ev.name} v${version.version}\` events cannot be read as \`v${current}\`: there is no upcast path${at !== version.version ? ` beyond \`v${at}\`` : ""}.`, {
        hint: `Add \`upcast ${ev.name} v${at} -> v${current} { … }\`.`,
      }),
    );
  }
}

/** `upcast Name vA -> vB`: where upcast diagnostics point. */
function upcastHeader(decl: UpcastDecl): Span {
  return { ...decl.span, end: decl.to.span.end };
}
