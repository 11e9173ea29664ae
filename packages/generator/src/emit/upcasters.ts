/**
 * `<context>/upcasters.ts`: for each versioned event, one function per upcast step (defaults and
 * renames generated, `compute` rules delegated to hooks), and the hook types the user supplies.
 */
import type { ContextModel, EventModel, Model, UpcastFieldPlan, UpcastModel } from "@eda/language";
import { docComment, identifier, propertyKey, stringLiteral } from "../escape.js";
import { hardline, indent, type Doc } from "../print/doc.js";
import { printDoc } from "../print/printer.js";
import { call, member, object, property } from "../print/ts.js";
import { interfaceDecl, objectType, signature, text } from "../print/ts-types.js";
import { accessOf } from "./behaviour.js";
import type { GenModel, GenUpcasts } from "../lower/gen-model.js";
import { genIndex, type ContextIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import type { UpcastersData } from "../render/view-data.js";
import { literalExpr, literalKind } from "./zod-expr.js";

export function emitUpcasters(gen: GenModel, model: Model): FileView[] {
  const index = genIndex(gen);
  return model.contexts.flatMap((c) => {
    const cx = index.context(c.name);
    const { upcasters } = cx.gen.modules;
    if (!upcasters || !cx.gen.upcasts) return [];
    const { hooks, upcasts } = upcastersSections(c, cx, cx.gen.upcasts, gen.options.brandedScalars);
    return [fileView("upcasters", upcasters.path, { ...moduleHead(upcasters), contextName: c.name, ...(hooks ? { hooks } : {}), upcasts: upcasts.map(block) }, c.name)];
  });
}

function computed(u: UpcastModel): string[] {
  return u.plan.filter((p) => p.kind === "compute").map((p) => p.field);
}

function upcastersSections(c: ContextModel, cx: ContextIndex, upcasts: GenUpcasts, branded: boolean): { hooks?: NonNullable<UpcastersData["hooks"]>; upcasts: string[][] } {
  const events = c.events.filter((e) => e.upcasts.length > 0);
  const withHooks = events.filter((e) => e.upcasts.some((u) => computed(u).length > 0));
  const hooks = upcasts.hooks;
  const define = hooks && signature(`export function ${hooks.define}`, [], [{ name: "hooks", type: hooks.type }], hooks.type);
  const sections = withHooks.length > 0 && hooks && define ? { hooks: { type: hooks.type, interface: hooksInterface(withHooks, cx, hooks.type), define: printDoc([define, indent([hardline, "return hooks;"]), hardline, "}"]) } } : {};
  const fn = new Map(upcasts.functions.map((f) => [`${f.event}@${f.from}`, f.name]));
  const functions = events.flatMap((e) => e.upcasts.map((u) => upcastFunctionBlock(e, u, cx, fn.get(`${e.name}@${u.from}`) as string, hooks?.type, branded)));
  return { ...sections, upcasts: functions };
}

function hooksInterface(events: readonly EventModel[], sym: ContextIndex, hooksType: string): string {
  const members = events.map((e) => ({
    key: propertyKey(e.name),
    type: objectType(
      e.upcasts
        .filter((u) => computed(u).length > 0)
        .map((u) => ({
          key: `v${u.from}`,
          type: objectType(
            computed(u).map((f) => ({
              key: propertyKey(f),
              doc: docComment(`\`${f}\` of \`${e.name} v${u.to}\`, computed from a stored \`v${u.from}\`.`),
              params: [{ name: "event", type: `S.${sym.version(e.name, u.from)}` }],
              type: text(`S.${sym.version(e.name, u.to)}[${stringLiteral(f)}]`),
            })),
          ),
        })),
    ),
  }));
  return printDoc(interfaceDecl(`export interface ${hooksType}`, [], members));
}

function upcastFunctionBlock(e: EventModel, u: UpcastModel, sym: ContextIndex, name: string, hooksType: string | undefined, branded: boolean): string[] {
  const from = `S.${sym.version(e.name, u.from)}`;
  const params = [{ name: "event", type: from }, ...(computed(u).length > 0 ? [{ name: "hooks", type: hooksType as string }] : [])];
  const head = signature(`export function ${name}`, [], params, `S.${sym.version(e.name, u.to)}`);
  const entries = u.plan.flatMap((p) => entry(p, e, u, branded));
  const body = ["return ", object(entries, true), ";"];
  return [...docComment(u.doc ?? `Upcasts a stored \`${e.name} v${u.from}\` to \`v${u.to}\`.`), printDoc([head, indent([hardline, body]), hardline, "}"])];
}

function entry(p: UpcastFieldPlan, e: EventModel, u: UpcastModel, branded: boolean): Doc[] {
  const key = propertyKey(p.field);
  const target = e.versions.find((v) => v.version === u.to)?.fields.find((f) => f.name === p.field);
  switch (p.kind) {
    case "carry":
      return [property(key, member("event", [accessOf(p.field)]), "chain")];
    case "rename":
      return [property(key, member("event", [accessOf(p.from)]), "chain")];
    case "default":
    case "fieldDefault":
      return target ? [property(key, literalExpr(p.value, target.type, branded), literalKind(p.value, target.type, branded))] : [];
    case "compute":
      return [property(key, call(`hooks.${identifier(e.name)}.v${u.from}.${identifier(p.field)}`, ["event"]), "chain")];
    case "unset":
      return [];
  }
}
