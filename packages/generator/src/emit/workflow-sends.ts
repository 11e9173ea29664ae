/**
 * The commands a workflow sends, as TypeScript: one builder per `send` (step, compensation,
 * `on complete`/`on fail`, choreography rule) whose fields come from the mapping's sources, and
 * the hook methods the user supplies for `field = compute`.
 */
import type { EventModel, FieldModel, FieldSource, SendModel } from "@eda/language";
import { docComment, identifier, propertyKey, stringLiteral } from "../escape.js";
import { group, hardline, indent, join, type Doc } from "../print/doc.js";
import { printDoc } from "../print/printer.js";
import { args, assign, call, isShortArgument, member, object, property, type ValueKind } from "../print/ts.js";
import { objectType, ref, text, typeAlias, union, type Member, type Param, type TsType } from "../print/ts-types.js";
import type { GenModule } from "../lower/gen-model.js";
import type { GenIndex } from "../lower/lookup.js";
import { freeLocal } from "../lower/names.js";
import { camel } from "../names.js";
import { accessOf } from "./behaviour.js";
import { literalExpr, literalKind } from "./zod-expr.js";

/** Where a send is: an orchestrated builder reads `ctx`, a choreography rule reads `data`. */
export type SendSite =
  | { readonly kind: "orchestrated"; readonly start: EventModel; readonly hookPath: string; readonly branded: boolean }
  | { readonly kind: "rule"; readonly trigger: EventModel; readonly hookPath: string; readonly branded: boolean };

/** A `field = compute` of one send: the hook method's name, its doc, parameters and result type. */
export interface HookMethod {
  readonly name: string;
  readonly doc: string;
  readonly params: readonly Param[];
  readonly result: TsType;
}

/** Names schema types across contexts (`OrderingSchemas.OrderPlaced`), from the GenModel, and records which contexts a module refers to. */
export class TypeNames {
  private readonly referred = new Set<string>();
  constructor(
    private readonly index: GenIndex,
    /** Whether scalars are branded in this generation. */
    readonly branded: boolean,
  ) {}

  /** The data type of a command or (current) event. */
  data(m: { readonly name: string; readonly context: string }): string {
    return this.qualify(m.context, identifier(m.name));
  }

  /** The `{ type, data }` message type of a command or event. */
  message(m: { readonly name: string; readonly context: string }): string {
    return this.qualify(m.context, this.index.context(m.context).message(m.name));
  }

  /** Checks that the module's imports, decided by the lowering, cover every context referred to: a miss is a bug. */
  checkImports(module: GenModule): void {
    for (const context of this.referred) {
      const alias = this.index.context(context).gen.aliases.schemas;
      if (!module.imports.some((i) => i.namespace === alias)) throw new Error(`eda bug: ${module.path} refers to ${alias} but does not import it`);
    }
  }

  private qualify(context: string, name: string): string {
    this.referred.add(context);
    return `${this.index.context(context).gen.aliases.schemas}.${name}`;
  }
}

/** The fields of a send that a hook fills. */
export function hookedFields(send: SendModel | undefined): string[] {
  return (send?.fields ?? []).filter((f) => f.source.kind === "hook").map((f) => f.field);
}

/** Whether a builder of this send reads its parameter (`ctx`, or the rule's `data`). */
function readsParameter(send: SendModel): boolean {
  return send.fields.some((f) => f.source.kind === "trigger" || f.source.kind === "event" || f.source.kind === "hook");
}

/** A field's value as a Doc, and what it is for the layout of `key: value`. */
interface Value {
  readonly doc: Doc;
  readonly kind: ValueKind;
}

/** The local that holds an awaited event's data in a builder: `assigned` for `Assigned`. */
function localOf(event: EventModel): string {
  return freeLocal(camel(event.name), BUILDER_NAMES);
}

/** The builders' own parameters, which a local may not shadow. */
const BUILDER_NAMES: ReadonlySet<string> = new Set(["ctx", "data", "envelope", "hooks"]);

/** The value of one field, or undefined to leave the field out. */
function valueOf(field: FieldModel, source: FieldSource, site: SendSite): Value | undefined {
  // `a.b.c` and a call with one short argument break poorly: Prettier breaks after the key first.
  const read = (head: string, path: string[]): Value => ({ doc: member(head, path.map(accessOf)), kind: "chain" });
  switch (source.kind) {
    case "trigger":
    case "event":
      if (source.kind === "event" && site.kind === "orchestrated" && source.event !== site.start) return read(localOf(source.event), [source.field]);
      return site.kind === "orchestrated" ? read("ctx", ["start", source.field]) : read("data", [source.field]);
    case "literal":
      return { doc: literalExpr(source.value, field.type, site.branded), kind: literalKind(source.value, field.type, site.branded) };
    case "hook": {
      const params = site.kind === "orchestrated" ? ["ctx"] : ["data", "envelope"];
      return { doc: call(`${site.hookPath}.${identifier(field.name)}`, params), kind: params.length === 1 ? "chain" : "expr" };
    }
    case "unset":
      // The schema's output type requires a defaulted field: send the default.
      return field.defaultValue ? { doc: literalExpr(field.defaultValue, field.type, site.branded), kind: literalKind(field.defaultValue, field.type, site.branded) } : undefined;
  }
}

/** `const local = ctx.awaited("Event");` — a lone short argument breaks poorly, so after `=` first. */
function awaitedLocal(event: EventModel): Doc {
  const arg = stringLiteral(event.name);
  return [assign(`const ${localOf(event)}`, " =", call("ctx.awaited", [arg]), isShortArgument(arg) ? "break-after-operator" : "fluid"), ";"];
}

/** The awaited events (not the start) a send reads, once each, in field order. */
function awaitedEvents(send: SendModel, site: SendSite): EventModel[] {
  if (site.kind !== "orchestrated") return [];
  const out: EventModel[] = [];
  for (const f of send.fields) if (f.source.kind === "event" && f.source.event !== site.start && !out.includes(f.source.event)) out.push(f.source.event);
  return out;
}

/**
 * `(params) => ({ type, data: { … } })`: the builder of `send`, its object always expanded
 * (Prettier keeps an object that starts on a new line). A builder that reads awaited events
 * first takes each into a local (`const quoted = ctx.awaited("Quoted");`).
 */
export function builderDoc(send: SendModel, site: SendSite): Doc {
  const params = !readsParameter(send) ? [] : site.kind === "orchestrated" ? ["ctx"] : hookedFields(send).length > 0 ? ["data", "envelope"] : ["data"];
  const entries: Doc[] = [];
  for (const f of send.fields) {
    const field = send.command.fields.find((x) => x.name === f.field);
    const value = field ? valueOf(field, f.source, site) : undefined;
    if (value !== undefined) entries.push(property(propertyKey(f.field), value.doc, value.kind));
  }
  const message = object([property("type", stringLiteral(send.command.name), "string"), property("data", object(entries, true))], true);
  const locals = awaitedEvents(send, site);
  const head = group(args(params));
  if (locals.length === 0) return group([head, " =>", group([" (", message, ")"])]);
  const statements = [...locals.map(awaitedLocal), ["return ", message, ";"]];
  return group([head, " =>", group([" {", indent([hardline, join(hardline, statements)]), hardline, "}"])]);
}

/** The hook methods of one send: one per `compute` field, typed by the command's field. */
export function hookMethods(send: SendModel | undefined, params: readonly Param[], where: string, names: TypeNames): HookMethod[] {
  if (!send) return [];
  return hookedFields(send).map((field) => ({
    name: field,
    doc: `\`${field}\` of \`${send.command.name}\`, ${where}.`,
    params,
    result: text(`${names.data(send.command)}[${stringLiteral(field)}]`),
  }));
}

/** A group of hook methods (`readonly key: { … };`), or nothing when it has none. */
export function hookGroup(key: string, methods: readonly HookMethod[]): Member[] {
  if (methods.length === 0) return [];
  return [{ key: propertyKey(key), type: objectType(methods.map((m) => ({ key: propertyKey(m.name), doc: docComment(m.doc), params: m.params, type: m.result }))) }];
}

/** `export type Name = Generic<A, B>;` with its doc. */
export function genericAlias(name: string, generic: string, typeArgs: readonly TsType[]): string {
  return printDoc(typeAlias(`export type ${name}`, [], ref(generic, ...typeArgs)));
}

/** `export type Name = A | B;` (each member once) with its doc; `literals` for string literal types. */
export function unionAlias(name: string, members: readonly string[], literals = false): string {
  const unique = [...new Set(members)].map((m) => (literals ? text(m) : m));
  return printDoc(typeAlias(`export type ${name}`, [], union(unique)));
}
