/**
 * `codec.ts`: the model as data for the runtime's codec — per event type and version its schema,
 * its upcast to the next version and its personal data; per command its schema and personal
 * data — and `createCodec(hooks)`, which hands that table to the runtime's `createCodec`. The
 * behaviour (upcast chain, validation, errors, redaction) lives in the runtime, tested once.
 */
import type { EventModel, EventVersionModel, Model } from "@eda/language";
import { identifier, propertyKey, stringLiteral } from "../escape.js";
import { hardline, indent } from "../print/doc.js";
import { printDoc } from "../print/printer.js";
import { arrow, call } from "../print/ts.js";
import { ref, signature, typeAlias, typeArgsDoc, union } from "../print/ts-types.js";
import type { GenContext, GenModel } from "../lower/gen-model.js";
import { genIndex, type GenIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { planOf, planProp, typePlans, type RedactPlan } from "./redact.js";
import { interfaceLines } from "../print/interface-lines.js";
import { docProp, objectProp, valueProp, writeProps, writeTable, type PropNode } from "../print/object-lines.js";

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
  return interfaceLines("export interface UpcastHooks", members);
}

function tableBlock(index: GenIndex, model: Model): string[] {
  const types = typePlans(model);
  // The call hugs its one object argument, always broken: `codecTable = defineCodecTable<…>({`.
  const out = ["export const codecTable = defineCodecTable<UpcastHooks>({"];
  writeTable(out, 1, "events", model.contexts, (c) => c.events.map((e) => eventProp(index, e, types)));
  writeTable(out, 1, "commands", model.contexts, (c) =>
    c.commands.map((m) => entryProp(propertyKey(m.name), [valueProp("schema", `${index.context(c.name).gen.aliases.schemas}.${identifier(m.name)}`), ...encryptProp(m.fields)], planOf(m.fields, types))),
  );
  if (types.size > 0) writeProps(out, 1, [objectProp("types", [...types].map(([key, plan]) => planProp(propertyKey(key), plan)), true)]);
  out.push("});");
  return out;
}

function eventProp(index: GenIndex, e: EventModel, types: ReadonlyMap<string, RedactPlan>): PropNode {
  const versions = e.versions.map((v) => entryProp(String(v.version), [...versionProps(index, e, v), ...encryptProp(v.fields)], planOf(v.fields, types)));
  return objectProp(propertyKey(e.name), [valueProp("current", String(e.current.version), "number"), objectProp("versions", versions, true)], true);
}

/** `schema`, and for a version with an upcast, `up` and `next`. */
function versionProps(index: GenIndex, e: EventModel, v: EventVersionModel): PropNode[] {
  const c = index.context(e.context);
  const schema = valueProp("schema", `${c.gen.aliases.schemas}.${c.version(e.name, v.version)}`);
  const step = e.upcasts.find((u) => u.from === v.version);
  if (!step) return [schema];
  const name = c.gen.upcasts?.functions.find((f) => f.event === e.name && f.from === v.version)?.name;
  if (name === undefined) throw new Error(`eda bug: no upcast function for ${e.name} v${v.version}`);
  const fn = `${c.gen.aliases.upcasters}.${name}`;
  const hooks = `h.${identifier(c.gen.name)}`;
  // A step with hooks passes them the stored event's facts, which the runtime gives every step.
  const up = step.plan.some((p) => p.kind === "compute") ? docProp("up", `(e, h, s) => ${fn}(e, ${hooks}, s)`, arrow(["e", "h", "s"], call(fn, ["e", hooks, "s"]))) : valueProp("up", fn);
  return [schema, up, valueProp("next", String(step.to), "number")];
}

/** `encrypt: { subject, fields }` for a version with `@pii(subject)` fields: what each reads as once forgotten. */
function encryptProp(fields: EventVersionModel["fields"]): PropNode[] {
  const sealed = fields.filter((f) => f.piiSubject !== undefined);
  const subject = sealed[0]?.piiSubject;
  if (subject === undefined) return [];
  const onForget = sealed.map((f) => valueProp(propertyKey(f.name), stringLiteral(f.optional || f.defaultValue !== undefined ? "absent" : "placeholder"), "string"));
  return [objectProp("encrypt", [valueProp("subject", stringLiteral(subject), "string"), objectProp("fields", onForget)])];
}

/** `key: { …properties, redact }`: on one line when it has one property and fits. */
function entryProp(key: string, properties: readonly PropNode[], plan: RedactPlan | undefined): PropNode {
  const all = plan === undefined ? properties : [...properties, planProp("redact", plan)];
  return objectProp(key, all, plan !== undefined || properties.length > 1);
}

function factoryBlock(hooked: boolean): string[] {
  const params = hooked ? [{ name: "hooks", type: "UpcastHooks" }] : [];
  const codec = call(["createModelCodec", typeArgsDoc(["AnyEvent", "AnyCommand", "UpcastHooks"])], ["codecTable", hooked ? "hooks" : "{}"]);
  return [
    printDoc([signature("export function createCodec", [], params, ref("ModelCodec", "AnyEvent", "AnyCommand")), indent([hardline, "return ", codec, ";"]), hardline, "}"]),
  ];
}
