/**
 * `<context>/services.ts`: per service the handlers a user writes (one per command, returning
 * — or resolving to — only the events the model declares for it, or a rejection) and
 * `define<Service>(handlers)`, which returns the runtime's `ServiceHandler`.
 */
import type { Model, ServiceModel } from "@eda/language";
import { stringLiteral } from "../escape.js";
import type { GenModel, GenService } from "../lower/gen-model.js";
import { genIndex, type ContextIndex } from "../lower/lookup.js";
import { distinct } from "../model-facts.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import type { ServiceSections } from "../render/view-data.js";
import { access, propertyLines, SchemaRefs, templateText } from "./behaviour.js";
import { printLines } from "../print/printer.js";
import { call } from "../print/ts.js";
import { ref, text } from "../print/ts-types.js";
import { tableInterface } from "./tables.js";
import { mappedAliasLines, refAliasLines, signatureLines, unionAliasLines } from "../print/type-lines.js";
import { defineServiceLines } from "./handler-templates.js";
import { ownerReason, reasonOf, rejectionBlocks } from "./rejections.js";

/** Builds `<context>/services.ts` for every context with services. */
export function emitServices(gen: GenModel, model: Model): FileView[] {
  const index = genIndex(gen);
  return model.contexts.filter((c) => c.services.length > 0).map((c) => {
    const cx = index.context(c.name);
    const module = cx.gen.modules.services;
    if (!module) throw new Error(`eda bug: no services module for ${c.name}`);
    const refs = new SchemaRefs(index, gen.options.brandedScalars);
    const services = c.services.map((s) => serviceSections(refs, cx, s));
    refs.checkImports(module);
    return fileView("services", module.path, { ...moduleHead(module), services }, c.name);
  });
}

function serviceSections(refs: SchemaRefs, cx: ContextIndex, s: ServiceModel): ServiceSections {
  const lowered = cx.service(s.name);
  const n = lowered.names;
  const events = distinct(s.handlers.flatMap((h) => h.emits));
  return {
    name: s.name,
    commands: block(tableInterface(undefined, n.commands, s.handlers.map((h) => ({ key: h.command.name, doc: h.command.doc, types: [refs.data(h.command)] })))),
    emits: block(tableInterface(
      undefined,
      n.emits,
      s.handlers.map((h) => ({ key: h.command.name, types: h.emits.map((e) => refs.message(e)) })),
    )),
    command: block(unionAliasLines(`export type ${n.command}`, s.handlers.map((h) => refs.message(h.command)))),
    event: block(unionAliasLines(`export type ${n.event}`, events.map((e) => refs.message(e)))),
    rejections: rejectionBlocks(refs, s, n).map(block),
    handlers: block(
      mappedAliasLines(`export type ${n.handlers}`, [REASON], `keyof ${n.commands}`, [{ name: "command", type: text(`${n.commands}[K]`) }, { name: "context", type: "CommandContext" }], ref("ServiceResult", text(`${n.emits}[K]`), reasonOf(s, n, "K"))),
    ),
    service: block(refAliasLines(`export type ${n.service}`, [REASON], ref("ServiceHandler", n.command, n.event, ownerReason(s, n)))),
    define: block(defineBlock(s, lowered)),
  };
}

/** `R = RejectionReason`, the type parameter of a rejection's reason. */
const REASON = { name: "R", fallback: "RejectionReason" };

function defineBlock(s: ServiceModel, lowered: GenService): string[] {
  const n = lowered.names;
  const commands = s.handlers.map((h) => h.command.name);
  const field = lowered.streamField;
  const stream = field === undefined ? stringLiteral(s.qualifiedName) : `\`${templateText(s.qualifiedName)}-\${command.data${access(field)}}\``;
  const none = printLines(["throw ", call("new Error", [stringLiteral(`${s.qualifiedName} handles no commands`)]), ";"], 3);
  const streamOf =
    commands.length === 0 ? ["    streamOf() {", ...none, "    },"] : [`    streamOf(${field === undefined ? "" : "command"}) {`, `      return ${stream};`, "    },"];
  return defineServiceLines({
    name: s.name,
    properties: propertyLines(2, "name", stringLiteral(s.qualifiedName), "string"),
    signature: signatureLines(`export function ${n.define}`, [REASON], [{ name: "handlers", type: ref(n.handlers, ref("NoInfer", "R")) }], ref(n.service, "R")),
    streamOf,
  });
}
