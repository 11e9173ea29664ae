/**
 * `<context>/upcasters.ts`: for each versioned event, one function per upcast step (defaults and
 * renames generated, `compute` rules delegated to hooks), and the hook types the user supplies.
 */
import type { ContextModel, EventModel, Model, UpcastFieldPlan, UpcastModel } from "@eda/language";
import { docComment, identifier, propertyKey, stringLiteral } from "../escape.js";
import { pad } from "../layout.js";
import type { GenModel, GenUpcasts } from "../lower/gen-model.js";
import { genIndex, type ContextIndex } from "../lower/lookup.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { literalExpr } from "./zod-expr.js";

export function emitUpcasters(gen: GenModel, model: Model): FileView[] {
  const index = genIndex(gen);
  return model.contexts.flatMap((c) => {
    const cx = index.context(c.name);
    const { upcasters } = cx.gen.modules;
    if (!upcasters || !cx.gen.upcasts) return [];
    const { hooks, upcasts } = upcastersSections(c, cx, cx.gen.upcasts, gen.options.brandedScalars);
    return [fileView("upcasters", upcasters.path, { ...moduleHead(upcasters), hooks: hooks.map(block), upcasts: upcasts.map(block) }, c.name)];
  });
}

function computed(u: UpcastModel): string[] {
  return u.plan.filter((p) => p.kind === "compute").map((p) => p.field);
}

function upcastersSections(c: ContextModel, cx: ContextIndex, upcasts: GenUpcasts, branded: boolean): { hooks: string[][]; upcasts: string[][] } {
  const events = c.events.filter((e) => e.upcasts.length > 0);
  const withHooks = events.filter((e) => e.upcasts.some((u) => computed(u).length > 0));
  const blocks: string[][] = [];
  const hooks = upcasts.hooks;
  if (withHooks.length > 0 && hooks) {
    blocks.push(hooksInterface(c, withHooks, cx, hooks.type));
    const sig = `export function ${hooks.define}(hooks: ${hooks.type}): ${hooks.type} {`;
    blocks.push([
      `/** Checks a hooks object against \`${hooks.type}\` and returns it. */`,
      ...(sig.length <= 80 ? [sig] : [`export function ${hooks.define}(`, `${pad(1)}hooks: ${hooks.type},`, `): ${hooks.type} {`]),
      `${pad(1)}return hooks;`,
      "}",
    ]);
  }
  const fn = new Map(upcasts.functions.map((f) => [`${f.event}@${f.from}`, f.name]));
  const functions = events.flatMap((e) => e.upcasts.map((u) => upcastFunctionBlock(e, u, cx, fn.get(`${e.name}@${u.from}`) as string, hooks?.type, branded)));
  return { hooks: blocks, upcasts: functions };
}

function hooksInterface(c: ContextModel, events: readonly EventModel[], sym: ContextIndex, hooksType: string): string[] {
  const lines = [
    ...docComment(`The conversions of context \`${c.name}\` that the model leaves to code (\`field = compute\` in an upcast).`, ["Each receives the stored event at the old version and returns the new field's value."]),
    `export interface ${hooksType} {`,
  ];
  for (const e of events) {
    lines.push(`${pad(1)}readonly ${propertyKey(e.name)}: {`);
    for (const u of e.upcasts) {
      const fields = computed(u);
      if (fields.length === 0) continue;
      lines.push(`${pad(2)}readonly v${u.from}: {`);
      for (const f of fields) {
        lines.push(...docComment(`\`${f}\` of \`${e.name} v${u.to}\`, computed from a stored \`v${u.from}\`.`).map((l) => pad(3) + l));
        const method = `${pad(3)}${propertyKey(f)}(event: S.${sym.version(e.name, u.from)}): S.${sym.version(e.name, u.to)}[${stringLiteral(f)}];`;
        if (method.length <= 80) lines.push(method);
        else lines.push(`${pad(3)}${propertyKey(f)}(`, `${pad(4)}event: S.${sym.version(e.name, u.from)},`, `${pad(3)}): S.${sym.version(e.name, u.to)}[${stringLiteral(f)}];`);
      }
      lines.push(`${pad(2)}};`);
    }
    lines.push(`${pad(1)}};`);
  }
  lines.push("}");
  return lines;
}

function upcastFunctionBlock(e: EventModel, u: UpcastModel, sym: ContextIndex, name: string, hooksType: string | undefined, branded: boolean): string[] {
  const needsHooks = computed(u).length > 0;
  const from = `S.${sym.version(e.name, u.from)}`;
  const to = `S.${sym.version(e.name, u.to)}`;
  const params = needsHooks ? `event: ${from}, hooks: ${hooksType as string}` : `event: ${from}`;
  const signature = `export function ${name}(${params}): ${to} {`;
  const lines = [...docComment(u.doc ?? `Upcasts a stored \`${e.name} v${u.from}\` to \`v${u.to}\`.`)];
  if (signature.length <= 80) lines.push(signature);
  else lines.push(`export function ${name}(`, ...params.split(", ").map((p) => `${pad(1)}${p},`), `): ${to} {`);
  const entries = u.plan.map((p) => entry(p, e, u, branded)).filter((x): x is string => x !== undefined);
  if (entries.length === 0) lines.push(`${pad(1)}return {};`);
  else lines.push(`${pad(1)}return {`, ...entries.map((x) => `${pad(2)}${x},`), `${pad(1)}};`);
  lines.push("}");
  return lines;
}

function entry(p: UpcastFieldPlan, e: EventModel, u: UpcastModel, branded: boolean): string | undefined {
  const key = propertyKey(p.field);
  const target = e.versions.find((v) => v.version === u.to)?.fields.find((f) => f.name === p.field);
  switch (p.kind) {
    case "carry":
      return `${key}: event.${identifier(p.field)}`;
    case "rename":
      return `${key}: event.${identifier(p.from)}`;
    case "default":
    case "fieldDefault":
      return target ? `${key}: ${literalExpr(p.value, target.type, branded)}` : undefined;
    case "compute":
      return `${key}: hooks.${identifier(e.name)}.v${u.from}.${identifier(p.field)}(event)`;
    case "unset":
      return undefined;
  }
}

