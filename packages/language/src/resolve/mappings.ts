/**
 * Mappings: how a workflow fills the fields of a command it sends. Explicit entries first, then
 * same-named fields of the triggering event when the types match; `compute` asks for a hook.
 */
import { pathText, type MappingEntry, type Send } from "../ast/nodes.js";
import { report, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { CommandModel, EventModel, FieldModel, FieldSource, SendModel } from "./model.js";
import { closest } from "./suggest.js";
import type { Scope, SymbolTable } from "./symbols.js";
import { assignable, typeText } from "./types.js";
import { checkDefaultAgainstConstraints } from "./fields.js";
import { literalValue } from "./values.js";

/** What a mapping can read from. */
export interface MappingScope {
  /** The start event (orchestrated) or the triggering event (choreographed). */
  readonly trigger: EventModel | undefined;
  /** Events that have surely happened by now, by name: `EventName.field` may read them. */
  readonly available: ReadonlyMap<string, EventModel>;
  /** Where the send is, for messages ("step `chargePayment`"). */
  readonly role: string;
  /** Why an event that is not available cannot be read here. */
  /** Why an event not in `available` cannot be read here: not awaited yet (the default), or a case that explains more. */
  readonly unavailable?: "onFail" | "compensateAlways";
}

type Entry = SendModel["fields"][number];

/** Resolves the command of a `send` and the source of each of its fields. */
export function resolveSend(send: Send, ms: MappingScope, table: SymbolTable, scope: Scope, out: Diagnostic[]): SendModel | undefined {
  const sym = table.lookup(scope, send.command, { expected: ["command"], wrongKindCode: "EDA5001", role: "after `send`" }, out);
  if (sym?.model?.kind !== "command") return undefined;
  const command = sym.model;
  const explicit = new Map<string, Entry>();
  const failed = new Set<string>();
  for (const e of send.mapping ?? []) {
    const target = command.fields.find((f) => f.name === e.target.name);
    if (!target) {
      const guess = closest(e.target.name, command.fields.map((f) => f.name));
      const data = { command: command.name, field: e.target.name };
      out.push(report("EDA5004", e.target.span, guess ? { ...data, guess } : { ...data, fields: fieldList(command) }, { hint: guess ? "guess" : "default", fix: guess === undefined ? undefined : { span: e.target.span, replacement: guess } }));
      continue;
    }
    if (explicit.has(target.name)) {
      out.push(report("EDA5004", e.target.span, { field: target.name }, { variant: "twice" }));
      continue;
    }
    const source = entrySource(e, target, ms, out);
    if (source) explicit.set(target.name, { field: target.name, source, explicit: true, span: e.span });
    else failed.add(target.name);
  }
  const fields = command.fields.map(
    (f) => explicit.get(f.name) ?? (failed.has(f.name) ? { field: f.name, source: { kind: "hook" as const }, explicit: true } : implicitEntry(f, command, send, ms, out, (send.mapping?.length ?? 0) > 0)),
  );
  return { command, fields, span: send.span };
}

function fieldList(c: CommandModel): string {
  return c.fields.map((f) => `\`${f.name}\``).join(", ") || "none";
}

function implicitEntry(f: FieldModel, command: CommandModel, send: Send, ms: MappingScope, out: Diagnostic[], hadMapping: boolean): Entry {
  const same = ms.trigger?.current.fields.find((t) => t.name === f.name);
  if (same && assignable(same.type, f.type) && (!same.optional || f.optional)) return { field: f.name, source: { kind: "trigger", field: f.name }, explicit: false };
  if (f.optional || f.defaultValue) return { field: f.name, source: { kind: "unset" }, explicit: false };
  // Without a known triggering event the workflow's own error says enough.
  if (f.type.kind !== "unresolved" && ms.trigger) {
    const data = { field: f.name, command: command.name, role: ms.role, trigger: ms.trigger.name, type: typeText(f.type), sourceType: same ? typeText(same.type) : "" };
    const variant = !same ? "default" : same.optional ? "optionalType" : "type";
    out.push(report("EDA5002", send.command.span, data, { variant, hint: hadMapping ? "more" : "default" }));
  }
  return { field: f.name, source: { kind: "hook" }, explicit: false };
}

function entrySource(e: MappingEntry, target: FieldModel, ms: MappingScope, out: Diagnostic[]): FieldSource | undefined {
  if (e.source.kind === "literal") {
    const value = literalValue(e.source.literal, target.type, out, "EDA5003");
    if (value) checkDefaultAgainstConstraints(value, target.constraints, e.source.literal.span, out);
    return value ? { kind: "literal", value } : undefined;
  }
  const parts = e.source.path.parts.map((p) => p.name);
  const span = e.source.path.span;
  const text = pathText(e.source.path);
  if (parts.length === 1 && text === "compute") return { kind: "hook" };
  if (parts.length === 1) {
    const field = ms.trigger?.current.fields.find((f) => f.name === text);
    if (field) return checked({ kind: "trigger", field: text }, field, target, text, span, out);
    if (target.type.kind === "enum") return enumLiteral(e, target, out);
    const guess = closest(text, ms.trigger?.current.fields.map((f) => f.name) ?? []);
    const data = { event: ms.trigger?.name ?? "", field: text, guess: guess ?? "" };
    out.push(report("EDA5005", span, data, { ...(ms.trigger ? {} : { variant: "noTrigger" as const }), hint: guess ? "guess" : "default", fix: guess === undefined ? undefined : { span: span, replacement: guess } }));
    return undefined;
  }
  const eventName = parts.slice(0, -1).join(".");
  const fieldName = parts[parts.length - 1] as string;
  const event = [...ms.available.values()].find((ev) => ev.name === eventName || ev.qualifiedName === eventName);
  if (!event) {
    const enumDecl = target.type.kind === "enum" ? target.type.decl : undefined;
    if (enumDecl && (eventName === enumDecl.name || eventName === enumDecl.qualifiedName)) return enumLiteral(e, target, out);
    const events = [...ms.available.keys()].map((k) => `\`${k}\``).join(", ") || "none";
    out.push(report("EDA5005", span, { source: text, event: eventName, events }, { variant: ms.unavailable ?? "notAwaited" }));
    return undefined;
  }
  const field = event.current.fields.find((f) => f.name === fieldName);
  if (!field) {
    const guess = closest(fieldName, event.current.fields.map((f) => f.name));
    const fields = event.current.fields.map((f) => `\`${f.name}\``).join(", ");
    out.push(report("EDA5005", span, { event: event.name, field: fieldName, guess: guess ?? "", fields }, { hint: guess ? "eventGuess" : "fields", fix: guess === undefined ? undefined : { span: span, replacement: `${eventName}.${guess}` } }));
    return undefined;
  }
  return checked({ kind: "event", event, field: fieldName }, field, target, text, span, out);
}

function checked(source: FieldSource, from: FieldModel, target: FieldModel, text: string, span: MappingEntry["span"], out: Diagnostic[]): FieldSource | undefined {
  if (assignable(from.type, target.type) && (!from.optional || target.optional)) return source;
  const variant = from.optional && !target.optional && assignable(from.type, target.type) ? "mapOptional" : "mapType";
  out.push(report("EDA5003", span, { source: text, target: target.name, sourceType: typeText(from.type), targetType: typeText(target.type) }, { variant }));
  return undefined;
}

function enumLiteral(e: MappingEntry, target: FieldModel, out: Diagnostic[]): FieldSource | undefined {
  if (e.source.kind !== "path") return undefined;
  const value = literalValue({ kind: "Literal", value: { type: "path", path: e.source.path }, span: e.source.path.span }, target.type, out, "EDA5003");
  return value ? { kind: "literal", value } : undefined;
}
