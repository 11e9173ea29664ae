/**
 * `<context>/upcasters.ts`: for each versioned event, one function per upcast step (defaults and
 * renames generated, `compute` rules delegated to hooks), and the hook types the user supplies.
 */
import type { ContextModel, EventModel, Model, UpcastFieldPlan, UpcastModel } from "@eda/language";
import { docComment, identifier, propertyKey, stringLiteral } from "../escape.js";
import type { GeneratedFile } from "../generated-file.js";
import { pad } from "../layout.js";
import { contextDir, header } from "../names.js";
import { contextSymbols, type ContextSymbols } from "../symbols.js";
import { renderModule } from "../templates.js";
import { literalExpr } from "./zod-expr.js";

/** Contexts with at least one upcast. */
export function contextsWithUpcasts(model: Model): ContextModel[] {
  return model.contexts.filter((c) => c.events.some((e) => e.upcasts.length > 0));
}

/** Contexts whose upcasts need hooks (`compute` rules). */
export function contextsWithHooks(model: Model): ContextModel[] {
  return model.contexts.filter((c) => c.events.some((e) => e.upcasts.some((u) => u.plan.some((p) => p.kind === "compute"))));
}

export function hooksType(context: string): string {
  return identifier(`${context}UpcastHooks`);
}

export function upcastFunction(event: EventModel, from: number): string {
  return identifier(`upcast${event.name}V${from}`);
}

export function emitUpcasters(model: Model): GeneratedFile[] {
  return contextsWithUpcasts(model).map((c) => ({ path: `${contextDir(c.name)}/upcasters.ts`, content: upcastersModule(c) }));
}

function computed(u: UpcastModel): string[] {
  return u.plan.filter((p) => p.kind === "compute").map((p) => p.field);
}

function upcastersModule(c: ContextModel): string {
  const sym = contextSymbols(c);
  const events = c.events.filter((e) => e.upcasts.length > 0);
  const withHooks = events.filter((e) => e.upcasts.some((u) => computed(u).length > 0));
  const blocks: string[][] = [];
  if (withHooks.length > 0) {
    blocks.push(hooksInterface(c, withHooks, sym));
    const sig = `export function define${c.name}Upcasts(hooks: ${hooksType(c.name)}): ${hooksType(c.name)} {`;
    blocks.push([
      `/** Checks a hooks object against \`${hooksType(c.name)}\` and returns it. */`,
      ...(sig.length <= 80 ? [sig] : [`export function define${c.name}Upcasts(`, `${pad(1)}hooks: ${hooksType(c.name)},`, `): ${hooksType(c.name)} {`]),
      `${pad(1)}return hooks;`,
      "}",
    ]);
  }
  for (const e of events) for (const u of e.upcasts) blocks.push(upcastFunctionBlock(c, e, u, sym));
  return renderModule({ header: header(c.files), imports: ['import type * as S from "./schemas.js";'], blocks });
}

function hooksInterface(c: ContextModel, events: readonly EventModel[], sym: ContextSymbols): string[] {
  const lines = [
    ...docComment(`The conversions of context \`${c.name}\` that the model leaves to code (\`field = compute\` in an upcast).`, ["Each receives the stored event at the old version and returns the new field's value."]),
    `export interface ${hooksType(c.name)} {`,
  ];
  for (const e of events) {
    lines.push(`${pad(1)}readonly ${propertyKey(e.name)}: {`);
    for (const u of e.upcasts) {
      const fields = computed(u);
      if (fields.length === 0) continue;
      lines.push(`${pad(2)}readonly v${u.from}: {`);
      for (const f of fields) {
        lines.push(...docComment(`\`${f}\` of \`${e.name} v${u.to}\`, computed from a stored \`v${u.from}\`.`).map((l) => pad(3) + l));
        const method = `${pad(3)}${propertyKey(f)}(event: S.${sym.version(e, u.from)}): S.${sym.version(e, u.to)}[${stringLiteral(f)}];`;
        if (method.length <= 80) lines.push(method);
        else lines.push(`${pad(3)}${propertyKey(f)}(`, `${pad(4)}event: S.${sym.version(e, u.from)},`, `${pad(3)}): S.${sym.version(e, u.to)}[${stringLiteral(f)}];`);
      }
      lines.push(`${pad(2)}};`);
    }
    lines.push(`${pad(1)}};`);
  }
  lines.push("}");
  return lines;
}

function upcastFunctionBlock(c: ContextModel, e: EventModel, u: UpcastModel, sym: ContextSymbols): string[] {
  const needsHooks = computed(u).length > 0;
  const from = `S.${sym.version(e, u.from)}`;
  const to = `S.${sym.version(e, u.to)}`;
  const params = needsHooks ? `event: ${from}, hooks: ${hooksType(c.name)}` : `event: ${from}`;
  const signature = `export function ${upcastFunction(e, u.from)}(${params}): ${to} {`;
  const lines = [...docComment(u.doc ?? `Upcasts a stored \`${e.name} v${u.from}\` to \`v${u.to}\`.`)];
  if (signature.length <= 80) lines.push(signature);
  else lines.push(`export function ${upcastFunction(e, u.from)}(`, ...params.split(", ").map((p) => `${pad(1)}${p},`), `): ${to} {`);
  const entries = u.plan.map((p) => entry(p, e, u)).filter((x): x is string => x !== undefined);
  if (entries.length === 0) lines.push(`${pad(1)}return {};`);
  else lines.push(`${pad(1)}return {`, ...entries.map((x) => `${pad(2)}${x},`), `${pad(1)}};`);
  lines.push("}");
  return lines;
}

function entry(p: UpcastFieldPlan, e: EventModel, u: UpcastModel): string | undefined {
  const key = propertyKey(p.field);
  const target = e.versions.find((v) => v.version === u.to)?.fields.find((f) => f.name === p.field);
  switch (p.kind) {
    case "carry":
      return `${key}: event.${identifier(p.field)}`;
    case "rename":
      return `${key}: event.${identifier(p.from)}`;
    case "default":
    case "fieldDefault":
      return target ? `${key}: ${literalExpr(p.value, target.type)}` : undefined;
    case "compute":
      return `${key}: hooks.${identifier(e.name)}.v${u.from}.${identifier(p.field)}(event)`;
    case "unset":
      return undefined;
  }
}

