/**
 * `<context>/upcasters.ts`: for each versioned event, one function per upcast step (defaults and
 * renames generated, `compute` rules delegated to hooks), and the hook types the user supplies.
 */
import type { ContextModel, EventModel, Model, UpcastFieldPlan, UpcastModel } from "@eda/language";
import { docComment, identifier, propertyKey, stringLiteral } from "../escape.js";
import { call } from "../print/ts.js";
import { objectType, text } from "../print/ts-types.js";
import { access } from "./behaviour.js";
import { docProp, entryProp, valueProp, writeProps, type PropNode } from "../print/object-lines.js";
import { interfaceLines } from "../print/interface-lines.js";
import { signatureLines } from "../print/type-lines.js";
import { STORED_EVENT_INFO } from "../lower/context-modules.js";
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
  const define = (type: string, name: string): string => block([...signatureLines(`export function ${name}`, [], [{ name: "hooks", type }], type), "  return hooks;", "}"]);
  const sections = withHooks.length > 0 && hooks ? { hooks: { type: hooks.type, interface: hooksInterface(withHooks, cx, hooks.type), define: define(hooks.type, hooks.define) } } : {};
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
              params: [
                { name: "event", type: `S.${sym.version(e.name, u.from)}` },
                { name: "stored", type: STORED_EVENT_INFO },
              ],
              type: text(`S.${sym.version(e.name, u.to)}[${stringLiteral(f)}]`),
            })),
          ),
        })),
    ),
  }));
  return block(interfaceLines(`export interface ${hooksType}`, members));
}

function upcastFunctionBlock(e: EventModel, u: UpcastModel, sym: ContextIndex, name: string, hooksType: string | undefined, branded: boolean): string[] {
  const from = `S.${sym.version(e.name, u.from)}`;
  const hooked = computed(u).length > 0;
  const params = [{ name: "event", type: from }, ...(hooked ? [{ name: "hooks", type: hooksType as string }, { name: "stored", type: STORED_EVENT_INFO }] : [])];
  const out = [...docComment(u.doc ?? `Upcasts a stored \`${e.name} v${u.from}\` to \`v${u.to}\`.`), ...signatureLines(`export function ${name}`, [], params, `S.${sym.version(e.name, u.to)}`)];
  const entries = u.plan.flatMap((p) => entry(p, e, u, branded));
  // `return {` never breaks: the object is always broken, one entry per line.
  if (entries.length === 0) out.push("  return {};");
  else {
    out.push("  return {");
    writeProps(out, 2, entries);
    out.push("  };");
  }
  out.push("}");
  return out;
}

function entry(p: UpcastFieldPlan, e: EventModel, u: UpcastModel, branded: boolean): PropNode[] {
  const key = propertyKey(p.field);
  switch (p.kind) {
    case "carry":
      return [valueProp(key, `event${access(p.field)}`, "chain")];
    case "rename":
      return [valueProp(key, `event${access(p.from)}`, "chain")];
    case "default":
    case "fieldDefault": {
      const target = e.versions.find((v) => v.version === u.to)?.fields.find((f) => f.name === p.field);
      return target ? [entryProp(key, literalExpr(p.value, target.type, branded), literalKind(p.value, target.type, branded))] : [];
    }
    case "compute": {
      const hook = `hooks.${identifier(e.name)}.v${u.from}.${identifier(p.field)}`;
      // Two arguments: Prettier no longer counts the call as breaking poorly, so it lays it out fluid.
      return [docProp(key, `${hook}(event, stored)`, call(hook, ["event", "stored"]), "expr")];
    }
    case "unset":
      return [];
  }
}
