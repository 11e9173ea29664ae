/**
 * The commands a workflow sends, as TypeScript: one builder per `send` (step, compensation,
 * `on complete`/`on fail`, choreography rule) whose fields come from the mapping's sources, and
 * the hook methods the user supplies for `field = compute`.
 */
import type { EventModel, FieldModel, FieldSource, SendModel } from "@eda/language";
import { docComment, identifier, propertyKey, stringLiteral } from "../escape.js";
import { pad, WIDTH } from "../layout.js";
import type { GenModule } from "../lower/gen-model.js";
import type { GenIndex } from "../lower/lookup.js";
import { freeLocal } from "../lower/names.js";
import { camel } from "../names.js";
import { literalExpr } from "./zod-expr.js";

/** Where a send is: an orchestrated builder reads `ctx`, a choreography rule reads `data`. */
export type SendSite =
  | { readonly kind: "orchestrated"; readonly start: EventModel; readonly hookPath: string; readonly branded: boolean }
  | { readonly kind: "rule"; readonly trigger: EventModel; readonly hookPath: string; readonly branded: boolean };

/** A `field = compute` of one send: the hook method's name, its doc, parameters and result type. */
export interface HookMethod {
  readonly name: string;
  readonly doc: string;
  readonly params: readonly string[];
  readonly result: string;
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

/** A field's value and the shape Prettier lays it out by. */
type Value =
  | { readonly kind: "chain"; readonly head: string; readonly last: string }
  | { readonly kind: "string" | "plain"; readonly text: string }
  | { readonly kind: "call"; readonly callee: string; readonly args: readonly string[] };

function text(v: Value): string {
  if (v.kind === "chain") return `${v.head}.${v.last}`;
  if (v.kind === "call") return `${v.callee}(${v.args.join(", ")})`;
  return v.text;
}

/** The local that holds an awaited event's data in a builder: `assigned` for `Assigned`. */
function localOf(event: EventModel): string {
  return freeLocal(camel(event.name), BUILDER_NAMES);
}

/** The builders' own parameters, which a local may not shadow. */
const BUILDER_NAMES: ReadonlySet<string> = new Set(["ctx", "data", "envelope", "hooks"]);

/** The value of one field, or undefined to leave the field out. */
function valueOf(field: FieldModel, source: FieldSource, site: SendSite): Value | undefined {
  const from = site.kind === "orchestrated" ? "ctx.start" : "data";
  switch (source.kind) {
    case "trigger":
      return { kind: "chain", head: from, last: identifier(source.field) };
    case "event":
      if (site.kind === "rule" || source.event === site.start) return { kind: "chain", head: from, last: identifier(source.field) };
      return { kind: "chain", head: localOf(source.event), last: identifier(source.field) };
    case "literal":
      return literal(literalExpr(source.value, field.type, site.branded));
    case "hook":
      return { kind: "call", callee: `${site.hookPath}.${identifier(field.name)}`, args: site.kind === "orchestrated" ? ["ctx"] : ["data", "envelope"] };
    case "unset":
      // The schema's output type requires a defaulted field: send the default.
      return field.defaultValue ? literal(literalExpr(field.defaultValue, field.type, site.branded)) : undefined;
  }
}

function literal(expr: string): Value {
  return { kind: /^["']/.test(expr) ? "string" : "plain", text: expr };
}


/**
 * `key: value,` at `depth`, laid out as Prettier lays out an object property: a key shorter than
 * 5 characters never breaks after the colon; a longer one does for a member chain, a string, or
 * a call with one short argument; a call with two arguments breaks its arguments first if that fits.
 */
function property(depth: number, key: string, v: Value): string[] {
  const one = `${pad(depth)}${key}: ${text(v)},`;
  if (one.length <= WIDTH) return [one];
  const shortKey = key.length < 5;
  const args = (d: number, callee: string, args: readonly string[], prefix: string): string[] => [
    `${pad(d)}${prefix}${callee}(`,
    ...args.map((a) => `${pad(d + 1)}${a},`),
    `${pad(d)}),`,
  ];
  switch (v.kind) {
    case "chain": {
      const next = `${pad(depth + 1)}${text(v)},`;
      if (!shortKey && (next.length <= WIDTH || !v.head.includes("."))) return [`${pad(depth)}${key}:`, next];
      if (!shortKey) return [`${pad(depth)}${key}:`, `${pad(depth + 1)}${v.head}`, `${pad(depth + 2)}.${v.last},`];
      // A chain of three or more parts breaks before its last member; `a.b` cannot break.
      return v.head.includes(".") ? [`${pad(depth)}${key}: ${v.head}`, `${pad(depth + 1)}.${v.last},`] : [one];
    }
    case "string":
      return shortKey ? [one] : [`${pad(depth)}${key}:`, `${pad(depth + 1)}${text(v)},`];
    case "plain":
      return [one];
    case "call": {
      const lone = v.args.length === 1;
      if (shortKey || (!lone && `${pad(depth)}${key}: ${v.callee}(`.length <= WIDTH)) return args(depth, v.callee, v.args, `${key}: `);
      const next = `${pad(depth + 1)}${text(v)},`;
      return [`${pad(depth)}${key}:`, ...(next.length <= WIDTH ? [next] : args(depth + 1, v.callee, v.args, ""))];
    }
  }
}

/** `const local = ctx.awaited("Event");`, laid out as Prettier lays out a declaration. */
function awaitedLocal(depth: number, event: EventModel): string[] {
  const local = localOf(event);
  const arg = stringLiteral(event.name);
  const one = `${pad(depth)}const ${local} = ctx.awaited(${arg});`;
  if (one.length <= WIDTH) return [one];
  // A call whose lone argument is a short string cannot break well: break after `=`.
  if (arg.length <= 20) return [`${pad(depth)}const ${local} =`, `${pad(depth + 1)}ctx.awaited(${arg});`];
  const open = `${pad(depth)}const ${local} = ctx.awaited(`;
  if (open.length <= WIDTH) return [open, `${pad(depth + 1)}${arg},`, `${pad(depth)});`];
  return [`${pad(depth)}const ${local} =`, `${pad(depth + 1)}ctx.awaited(`, `${pad(depth + 2)}${arg},`, `${pad(depth + 1)});`];
}

/** The awaited events (not the start) a send reads, once each, in field order. */
function awaitedEvents(send: SendModel, site: SendSite): EventModel[] {
  if (site.kind !== "orchestrated") return [];
  const out: EventModel[] = [];
  for (const f of send.fields) if (f.source.kind === "event" && f.source.event !== site.start && !out.includes(f.source.event)) out.push(f.source.event);
  return out;
}

/**
 * `prefix(params) => ({ type, data: { … } })suffix`: the builder of `send` at `depth`, its
 * object always expanded (Prettier keeps an object that starts on a new line). A builder that
 * reads awaited events first takes each into a local (`const quoted = ctx.awaited("Quoted");`).
 */
export function builderLines(depth: number, prefix: string, send: SendModel, site: SendSite, suffix: string): string[] {
  const params = !readsParameter(send) ? "()" : site.kind === "orchestrated" ? "(ctx)" : hookedFields(send).length > 0 ? "(data, envelope)" : "(data)";
  const locals = awaitedEvents(send, site);
  const d = locals.length > 0 ? depth + 1 : depth;
  const entries: string[] = [];
  for (const f of send.fields) {
    const field = send.command.fields.find((x) => x.name === f.field);
    const value = field ? valueOf(field, f.source, site) : undefined;
    if (value !== undefined) entries.push(...property(d + 2, propertyKey(f.field), value));
  }
  const body = [
    `${pad(d + 1)}type: ${stringLiteral(send.command.name)},`,
    ...(entries.length === 0 ? [`${pad(d + 1)}data: {},`] : [`${pad(d + 1)}data: {`, ...entries, `${pad(d + 1)}},`]),
  ];
  if (locals.length === 0) return [`${pad(depth)}${prefix}${params} => ({`, ...body, `${pad(depth)}})${suffix}`];
  return [
    `${pad(depth)}${prefix}${params} => {`,
    ...locals.flatMap((e) => awaitedLocal(depth + 1, e)),
    `${pad(depth + 1)}return {`,
    ...body,
    `${pad(depth + 1)}};`,
    `${pad(depth)}}${suffix}`,
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
  const open = `export type ${name} = ${generic}<`;
  const d = open.length <= WIDTH ? 0 : 1;
  const argLines = args.map((a, i) => `${pad(d + 1)}${a}${i === args.length - 1 ? "" : ","}`);
  if (d === 0) return [...lines, open, ...argLines, ">;"];
  // The head does not fit either: break after `=` first.
  return [...lines, `export type ${name} =`, `${pad(1)}${generic}<`, ...argLines, `${pad(1)}>;`];
}

/** A union type alias on one line, or one member per line after `=` (as Prettier prints it). */
export function unionAlias(doc: string, name: string, members: readonly string[]): string[] {
  const unique = [...new Set(members)];
  const one = `export type ${name} = ${unique.join(" | ")};`;
  const lines = docComment(doc);
  if (one.length <= WIDTH) return [...lines, one];
  const second = `${pad(1)}${unique.join(" | ")};`;
  if (second.length <= WIDTH || unique.length === 1) return [...lines, `export type ${name} =`, second];
  return [...lines, `export type ${name} =`, ...unique.map((m, i) => `${pad(1)}| ${m}${i === unique.length - 1 ? ";" : ""}`)];
}
