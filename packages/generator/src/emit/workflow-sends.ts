/**
 * The commands a workflow sends, as TypeScript: one builder per `send` (step, compensation,
 * `on complete`/`on fail`, choreography rule) whose fields come from the mapping's sources, and
 * the hook methods the user supplies for `field = compute`.
 */
import type { EventModel, FieldModel, FieldSource, Model, SendModel } from "@eda/language";
import { docComment, identifier, propertyKey, stringLiteral } from "../escape.js";
import { pad, WIDTH } from "../layout.js";
import { contextSymbols } from "../symbols.js";
import { schemasAlias } from "./schemas.js";
import { valueExpr } from "./zod-expr.js";

/** Where a send is: an orchestrated builder reads `ctx`, a choreography rule reads `data`. */
export type SendSite =
  | { readonly kind: "orchestrated"; readonly start: EventModel; readonly hookPath: string }
  | { readonly kind: "rule"; readonly trigger: EventModel; readonly hookPath: string };

/** A `field = compute` of one send: the hook method's name, its doc, parameters and result type. */
export interface HookMethod {
  readonly name: string;
  readonly doc: string;
  readonly params: readonly string[];
  readonly result: string;
}

/** Names schema types across contexts (`OrderingSchemas.OrderPlaced`) and records which contexts a module imports. */
export class TypeNames {
  readonly imported = new Set<string>();
  constructor(private readonly model: Model) {}

  /** The data type of a command or (current) event. */
  data(m: { readonly name: string; readonly context: string }): string {
    this.imported.add(m.context);
    return `${schemasAlias(m.context)}.${this.symbols(m.context).decl(m.name)}`;
  }

  /** The `{ type, data }` message type of a command or event. */
  message(m: { readonly name: string; readonly context: string }): string {
    this.imported.add(m.context);
    return `${schemasAlias(m.context)}.${this.symbols(m.context).message(m.name)}`;
  }

  private symbols(context: string): ReturnType<typeof contextSymbols> {
    const c = this.model.contexts.find((x) => x.name === context);
    if (!c) throw new Error(`eda bug: no context ${context}`);
    return contextSymbols(c);
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

/** The expression of one field's value, or undefined to leave the field out. */
function valueOf(field: FieldModel, source: FieldSource, site: SendSite): string | undefined {
  const from = site.kind === "orchestrated" ? "ctx.start" : "data";
  switch (source.kind) {
    case "trigger":
      return `${from}.${identifier(source.field)}`;
    case "event":
      if (site.kind === "rule" || source.event === site.start) return `${from}.${identifier(source.field)}`;
      return `ctx.awaited(${stringLiteral(source.event.name)}).${identifier(source.field)}`;
    case "literal":
      return plain(valueExpr(source.value, field.type));
    case "hook":
      return `${site.hookPath}.${identifier(field.name)}(${site.kind === "orchestrated" ? "ctx" : "data, envelope"})`;
    case "unset":
      // The schema's output type requires a defaulted field: send the default.
      return field.defaultValue ? plain(valueExpr(field.defaultValue, field.type)) : undefined;
  }
}

/** Values are plain expressions here, not Zod default factories. */
function plain(expr: string): string {
  return expr === "() => []" ? "[]" : expr;
}

/** `key: value,` at `depth`, broken after the colon when too long (as Prettier breaks a poorly breakable value). */
function property(depth: number, key: string, value: string): string[] {
  const one = `${pad(depth)}${key}: ${value},`;
  return one.length <= WIDTH ? [one] : [`${pad(depth)}${key}:`, `${pad(depth + 1)}${value},`];
}

/**
 * `prefix(params) => ({ type, data: { … } })suffix`: the builder of `send` at `depth`, its
 * object always expanded (Prettier keeps an object that starts on a new line).
 */
export function builderLines(depth: number, prefix: string, send: SendModel, site: SendSite, suffix: string): string[] {
  const params = !readsParameter(send) ? "()" : site.kind === "orchestrated" ? "(ctx)" : hookedFields(send).length > 0 ? "(data, envelope)" : "(data)";
  const entries: string[] = [];
  for (const f of send.fields) {
    const field = send.command.fields.find((x) => x.name === f.field);
    const value = field ? valueOf(field, f.source, site) : undefined;
    if (value !== undefined) entries.push(...property(depth + 2, propertyKey(f.field), value));
  }
  return [
    `${pad(depth)}${prefix}${params} => ({`,
    `${pad(depth + 1)}type: ${stringLiteral(send.command.name)},`,
    ...(entries.length === 0 ? [`${pad(depth + 1)}data: {},`] : [`${pad(depth + 1)}data: {`, ...entries, `${pad(depth + 1)}},`]),
    `${pad(depth)}})${suffix}`,
  ];
}

/** The hook methods of one send: one per `compute` field, typed by the command's field. */
export function hookMethods(send: SendModel | undefined, params: readonly string[], where: string, names: TypeNames): HookMethod[] {
  if (!send) return [];
  return hookedFields(send).map((field) => ({
    name: field,
    doc: `\`${field}\` of \`${send.command.name}\`, ${where}.`,
    params,
    result: `${names.data(send.command)}[${stringLiteral(field)}]`,
  }));
}

/** A group of hook methods (`readonly key: { … };`) at `depth`, or nothing when it has none. */
export function hookGroup(depth: number, key: string, methods: readonly HookMethod[]): string[] {
  if (methods.length === 0) return [];
  return [`${pad(depth)}readonly ${propertyKey(key)}: {`, ...methods.flatMap((m) => methodLines(depth + 1, m)), `${pad(depth)}};`];
}

/** A method signature, its parameters broken one per line when it does not fit. */
function methodLines(depth: number, m: HookMethod): string[] {
  const doc = docComment(m.doc).map((l) => pad(depth) + l);
  const one = `${pad(depth)}${propertyKey(m.name)}(${m.params.join(", ")}): ${m.result};`;
  if (one.length <= WIDTH) return [...doc, one];
  return [...doc, `${pad(depth)}${propertyKey(m.name)}(`, ...m.params.map((p) => `${pad(depth + 1)}${p},`), `${pad(depth)}): ${m.result};`];
}

/** `export type Name = Generic<A, B>;`, its type arguments one per line when too long (no trailing comma). */
export function genericAlias(doc: string, name: string, generic: string, args: readonly string[]): string[] {
  const one = `export type ${name} = ${generic}<${args.join(", ")}>;`;
  const lines = docComment(doc);
  if (one.length <= WIDTH) return [...lines, one];
  return [...lines, `export type ${name} = ${generic}<`, ...args.map((a, i) => `${pad(1)}${a}${i === args.length - 1 ? "" : ","}`), ">;"];
}

/** A union type alias on one line, or one member per line after `=` (as Prettier prints it). */
export function unionAlias(doc: string, name: string, members: readonly string[]): string[] {
  const unique = [...new Set(members)];
  const one = `export type ${name} = ${unique.join(" | ")};`;
  const lines = docComment(doc);
  if (one.length <= WIDTH) return [...lines, one];
  const second = `${pad(1)}${unique.join(" | ")};`;
  if (second.length <= WIDTH) return [...lines, `export type ${name} =`, second];
  return [...lines, `export type ${name} =`, ...unique.map((m, i) => `${pad(1)}| ${m}${i === unique.length - 1 ? ";" : ""}`)];
}
