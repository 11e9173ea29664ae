/**
 * `codec.ts`: the model as data for the runtime's codec — per event type and version its schema,
 * its upcast to the next version and its personal data; per command its schema and personal
 * data — and `createCodec(hooks)`, which hands that table to the runtime's `createCodec`. The
 * behaviour (upcast chain, validation, errors, redaction) lives in the runtime, tested once.
 */
import type { EventModel, EventVersionModel, Model } from "@eda/language";
import { identifier, propertyKey, stringLiteral } from "../escape.js";
import { hardline, indent, type Doc } from "../print/doc.js";
import { printDoc } from "../print/printer.js";
import { arrow, assign, call, object, property } from "../print/ts.js";
import { interfaceDecl, ref, signature, typeAlias, typeArgsDoc, union } from "../print/ts-types.js";
import type { GenContext, GenModel } from "../lower/gen-model.js";
import { genIndex, type GenIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { planDoc, planOf, typePlans, type RedactPlan } from "./redact.js";

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
  return [printDoc(typeAlias(`export type ${which}`, [], union(members)))];
}

function hooksBlock(contexts: readonly GenContext[]): string[] {
  if (contexts.length === 0) return ["export type UpcastHooks = Record<string, never>;"];
  const members = contexts.map((c) => ({ key: propertyKey(c.name), type: `${c.aliases.upcasters}.${c.upcasts?.hooks?.type as string}` }));
  return [printDoc(interfaceDecl("export interface UpcastHooks", [], members))];
}

function tableBlock(index: GenIndex, model: Model): string[] {
  const types = typePlans(model);
  const events = model.contexts.flatMap((c) => c.events.map((e) => eventDoc(index, e, types)));
  const commands = model.contexts.flatMap((c) => c.commands.map((m) => entryDoc(propertyKey(m.name), [property("schema", `${index.context(c.name).gen.aliases.schemas}.${identifier(m.name)}`)], planOf(m.fields, types))));
  const sections = [
    property("events", object(events, true)),
    property("commands", object(commands, true)),
    ...(types.size > 0 ? [property("types", object([...types].map(([key, plan]) => property(propertyKey(key), planDoc(plan))), true))] : []),
  ];
  const table = call("defineCodecTable<UpcastHooks>", [object(sections, true)], true);
  return [printDoc([assign("export const codecTable", " =", table), ";"])];
}

function eventDoc(index: GenIndex, e: EventModel, types: ReadonlyMap<string, RedactPlan>): Doc {
  const versions = e.versions.map((v) => entryDoc(String(v.version), [...versionProperties(index, e, v), ...encryptProperty(v.fields)], planOf(v.fields, types)));
  return property(propertyKey(e.name), object([property("current", String(e.current.version), "number"), property("versions", object(versions, true))], true));
}

/** `schema`, and for a version with an upcast, `up` and `next`. */
function versionProperties(index: GenIndex, e: EventModel, v: EventVersionModel): Doc[] {
  const c = index.context(e.context);
  const schema = property("schema", `${c.gen.aliases.schemas}.${c.version(e.name, v.version)}`);
  const step = e.upcasts.find((u) => u.from === v.version);
  if (!step) return [schema];
  const name = c.gen.upcasts?.functions.find((f) => f.event === e.name && f.from === v.version)?.name;
  if (name === undefined) throw new Error(`eda bug: no upcast function for ${e.name} v${v.version}`);
  const fn = `${c.gen.aliases.upcasters}.${name}`;
  const up = step.plan.some((p) => p.kind === "compute") ? arrow(["e", "h"], call(fn, ["e", `h.${identifier(c.gen.name)}`])) : fn;
  return [schema, property("up", up), property("next", String(step.to), "number")];
}

/** `encrypt: { subject, fields }` for a version with `@pii(subject)` fields: what each reads as once forgotten. */
function encryptProperty(fields: EventVersionModel["fields"]): Doc[] {
  const sealed = fields.filter((f) => f.piiSubject !== undefined);
  const subject = sealed[0]?.piiSubject;
  if (subject === undefined) return [];
  const onForget = sealed.map((f) => property(propertyKey(f.name), stringLiteral(f.optional || f.defaultValue !== undefined ? "absent" : "placeholder"), "string"));
  return [property("encrypt", object([property("subject", stringLiteral(subject), "string"), property("fields", object(onForget))]))];
}

/** `key: { …properties, redact }`: on one line when it has one property and fits. */
function entryDoc(key: string, properties: readonly Doc[], plan: RedactPlan | undefined): Doc {
  const all = plan === undefined ? properties : [...properties, property("redact", planDoc(plan))];
  return property(key, object(all, plan !== undefined || properties.length > 1));
}

function factoryBlock(hooked: boolean): string[] {
  const params = hooked ? [{ name: "hooks", type: "UpcastHooks" }] : [];
  const codec = call(["createModelCodec", typeArgsDoc(["AnyEvent", "AnyCommand", "UpcastHooks"])], ["codecTable", hooked ? "hooks" : "{}"]);
  return [
    printDoc([signature("export function createCodec", [], params, ref("ModelCodec", "AnyEvent", "AnyCommand")), indent([hardline, "return ", codec, ";"]), hardline, "}"]),
  ];
}
