/**
 * `codec.ts`: the model as data for the runtime's codec — per event type and version its schema,
 * its upcast to the next version and its personal data; per command its schema and personal
 * data — and `createCodec(hooks)`, which hands that table to the runtime's `createCodec`. The
 * behaviour (upcast chain, validation, errors, redaction) lives in the runtime, tested once.
 */
import type { EventModel, EventVersionModel, Model } from "@eda/language";
import { identifier, propertyKey, stringLiteral } from "../escape.js";
import { pad, WIDTH } from "../layout.js";
import type { GenContext, GenModel } from "../lower/gen-model.js";
import { genIndex, type GenIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { callLines, propertyLines } from "./behaviour.js";
import { planLines, planOf, typePlans, type RedactPlan } from "./redact.js";

/** `codec.ts`; the docs of its sections are in its template. */
export function emitCodec(gen: GenModel, model: Model): FileView[] {
  const index = genIndex(gen);
  const hooked = gen.contexts.filter((c) => c.upcasts?.hooks !== undefined);
  return [
    fileView("codec", gen.modules.codec.path, {
      ...moduleHead(gen.modules.codec),
      anyEvent: block(unionBlock(gen, model, "AnyEvent")),
      anyCommand: block(unionBlock(gen, model, "AnyCommand")),
      upcastHooks: block(hooksBlock(hooked)),
      codecTable: block(tableBlock(index, model)),
      createCodec: block(factoryBlock(hooked.length > 0)),
    }),
  ];
}

function unionBlock(gen: GenModel, model: Model, which: "AnyEvent" | "AnyCommand"): string[] {
  const members = model.contexts.flatMap((c, i) => {
    const g = gen.contexts[i] as GenContext;
    if (which === "AnyEvent") return c.events.length > 0 ? [`${g.aliases.schemas}.${g.schemas.anyEvent}`] : [];
    return c.commands.length > 0 ? [`${g.aliases.schemas}.${g.schemas.anyCommand}`] : [];
  });
  const lines: string[] = [];
  if (members.length === 0) lines.push(`export type ${which} = never;`);
  else if (`export type ${which} = ${members.join(" | ")};`.length <= WIDTH) lines.push(`export type ${which} = ${members.join(" | ")};`);
  else if (`${pad(1)}${members.join(" | ")};`.length <= WIDTH) lines.push(`export type ${which} =`, `${pad(1)}${members.join(" | ")};`);
  else lines.push(`export type ${which} =`, ...members.map((m, i) => `${pad(1)}| ${m}${i === members.length - 1 ? ";" : ""}`));
  return lines;
}

function hooksBlock(contexts: readonly GenContext[]): string[] {
  if (contexts.length === 0) return ["export type UpcastHooks = Record<string, never>;"];
  const lines = ["export interface UpcastHooks {"];
  for (const c of contexts) lines.push(`${pad(1)}readonly ${propertyKey(c.name)}: ${c.aliases.upcasters}.${c.upcasts?.hooks?.type as string};`);
  lines.push("}");
  return lines;
}

function tableBlock(index: GenIndex, model: Model): string[] {
  const types = typePlans(model);
  const lines = ["export const codecTable = defineCodecTable<UpcastHooks>({"];
  const events = model.contexts.flatMap((c) => c.events.flatMap((e) => eventLines(index, e, types)));
  lines.push(...section("events", events));
  const commands = model.contexts.flatMap((c) => c.commands.flatMap((m) => entryLines(2, propertyKey(m.name), [`schema: ${index.context(c.name).gen.aliases.schemas}.${identifier(m.name)}`], planOf(m.fields, types))));
  lines.push(...section("commands", commands));
  if (types.size > 0) lines.push(`${pad(1)}types: {`, ...[...types].flatMap(([key, plan]) => planLines(2, `${propertyKey(key)}: `, plan, ",")), `${pad(1)}},`);
  lines.push("});");
  return lines;
}

function section(key: string, body: readonly string[]): string[] {
  return body.length === 0 ? [`${pad(1)}${key}: {},`] : [`${pad(1)}${key}: {`, ...body, `${pad(1)}},`];
}

function eventLines(index: GenIndex, e: EventModel, types: ReadonlyMap<string, RedactPlan>): string[] {
  const versions = e.versions.flatMap((v) => entryLines(4, String(v.version), [...versionProperties(index, e, v), ...encryptProperty(v.fields)], planOf(v.fields, types)));
  return [`${pad(2)}${propertyKey(e.name)}: {`, `${pad(3)}current: ${e.current.version},`, `${pad(3)}versions: {`, ...versions, `${pad(3)}},`, `${pad(2)}},`];
}

/** `schema`, and for a version with an upcast, `up` and `next`. */
function versionProperties(index: GenIndex, e: EventModel, v: EventVersionModel): string[] {
  const c = index.context(e.context);
  const schema = `schema: ${c.gen.aliases.schemas}.${c.version(e.name, v.version)}`;
  const step = e.upcasts.find((u) => u.from === v.version);
  if (!step) return [schema];
  const name = c.gen.upcasts?.functions.find((f) => f.event === e.name && f.from === v.version)?.name;
  if (name === undefined) throw new Error(`eda bug: no upcast function for ${e.name} v${v.version}`);
  const fn = `${c.gen.aliases.upcasters}.${name}`;
  const up = step.plan.some((p) => p.kind === "compute") ? `(e, h) => ${fn}(e, h.${identifier(c.gen.name)})` : fn;
  return [schema, `up: ${up}`, `next: ${step.to}`];
}

/** `encrypt: { subject, fields }` for a version with `@pii(subject)` fields: what each reads as once forgotten. */
function encryptProperty(fields: EventVersionModel["fields"]): string[] {
  const sealed = fields.filter((f) => f.piiSubject !== undefined);
  const subject = sealed[0]?.piiSubject;
  if (subject === undefined) return [];
  const onForget = sealed.map((f) => `${propertyKey(f.name)}: ${stringLiteral(f.optional || f.defaultValue !== undefined ? "absent" : "placeholder")}`);
  return [`encrypt: { subject: ${stringLiteral(subject)}, fields: { ${onForget.join(", ")} } }`];
}

/** `key: { …properties, redact }`, on one line when it is short and fits. */
function entryLines(depth: number, key: string, properties: readonly string[], plan: RedactPlan | undefined): string[] {
  const one = `${pad(depth)}${key}: { ${properties.join(", ")} },`;
  if (plan === undefined && properties.length === 1 && one.length <= WIDTH) return [one];
  const lines = [`${pad(depth)}${key}: {`];
  for (const p of properties) {
    const colon = p.indexOf(": ");
    const [name, value] = [p.slice(0, colon), p.slice(colon + 2)];
    lines.push(...(name === "up" ? upLines(depth + 1, value) : name === "encrypt" ? encryptLines(depth + 1, value) : propertyLines(depth + 1, name, value)));
  }
  if (plan !== undefined) lines.push(...planLines(depth + 1, "redact: ", plan, ","));
  lines.push(`${pad(depth)}},`);
  return lines;
}

/** `encrypt: { subject, fields: { … } },` broken as Prettier breaks an object that does not fit. */
function encryptLines(depth: number, value: string): string[] {
  const one = `${pad(depth)}encrypt: ${value},`;
  const m = /^\{ (subject: .*), fields: \{ (.*) \} \}$/.exec(value);
  if (one.length <= WIDTH || !m) return [one];
  const [subject, fields] = [m[1] as string, m[2] as string];
  const flat = `${pad(depth + 1)}fields: { ${fields} },`;
  const fieldLines = flat.length <= WIDTH ? [flat] : [`${pad(depth + 1)}fields: {`, ...fields.split(", ").map((f) => `${pad(depth + 2)}${f},`), `${pad(depth + 1)}},`];
  return [`${pad(depth)}encrypt: {`, `${pad(depth + 1)}${subject},`, ...fieldLines, `${pad(depth)}},`];
}

/** `up: (e, h) => f(e, h.X),`, the body on its own line when it does not fit (as Prettier breaks an arrow). */
function upLines(depth: number, up: string): string[] {
  const one = `${pad(depth)}up: ${up},`;
  if (one.length <= WIDTH) return [one];
  const m = /^\(e, h\) => (.*)$/.exec(up);
  return m ? [`${pad(depth)}up: (e, h) =>`, `${pad(depth + 1)}${m[1]},`] : propertyLines(depth, "up", up);
}

function factoryBlock(hooked: boolean): string[] {
  const signature = hooked ? "export function createCodec(hooks: UpcastHooks): ModelCodec<AnyEvent, AnyCommand> {" : "export function createCodec(): ModelCodec<AnyEvent, AnyCommand> {";
  return [
    ...(signature.length <= WIDTH ? [signature] : ["export function createCodec(", `${pad(1)}hooks: UpcastHooks,`, "): ModelCodec<AnyEvent, AnyCommand> {"]),
    ...callLines(1, "return createModelCodec<AnyEvent, AnyCommand, UpcastHooks>", ["codecTable", hooked ? "hooks" : "{}"], ";"),
    "}",
  ];
}
