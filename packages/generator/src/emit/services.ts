/**
 * `<context>/services.ts`: per service the handlers a user writes (one per command, returning
 * — or resolving to — only the events the model declares for it, or a rejection) and
 * `define<Service>(handlers)`, which returns the runtime's `ServiceHandler`.
 */
import type { ContextModel, FieldModel, Model, ServiceModel } from "@eda/language";
import { docComment, identifier, stringLiteral } from "../escape.js";
import type { GeneratedFile } from "../generated-file.js";
import { pad } from "../layout.js";
import { contextDir, header } from "../names.js";
import { renderModule } from "../templates.js";
import { access, callLines, distinct, fromContext, genericAlias, importLines, mappedAlias, propertyLines, SchemaRefs, signatureLines, tableInterface, templateText, unionAlias } from "./behaviour.js";
import { defineServiceLines } from "./handler-templates.js";
import { ownerReason, reasonOf, rejectionBlocks } from "./rejections.js";

/** The names a service's module exports. */
export interface ServiceNames {
  readonly commands: string;
  readonly emits: string;
  readonly command: string;
  readonly event: string;
  readonly handlers: string;
  readonly service: string;
  readonly define: string;
}

/** The exported names of service `s`. */
export function serviceNames(s: ServiceModel): ServiceNames {
  const n = identifier(s.name);
  return {
    commands: `${n}Commands`,
    emits: `${n}Emits`,
    command: `${n}Command`,
    event: `${n}Event`,
    handlers: `${n}Handlers`,
    service: `${n}Service`,
    define: `define${n}`,
  };
}

const STREAM_TYPES = new Set(["string", "uuid", "email", "url", "int", "date", "timestamp"]);

/**
 * The field a service's stream is keyed by: the first field of its first command that every
 * command carries, required and of the same scalar type (`orderId` for the shop's Mailer), so
 * events about one order land in one stream — never a `@pii` field, as stream ids appear in
 * logs and traces. None: the service has a single stream.
 */
export function serviceStreamField(s: ServiceModel): string | undefined {
  const [first, ...rest] = s.handlers.map((h) => h.command.fields);
  const same = (a: FieldModel, b: FieldModel | undefined): boolean => b !== undefined && !b.optional && b.type.kind === "scalar" && a.type.kind === "scalar" && a.type.name === b.type.name;
  const field = first?.find((f) => !f.optional && !f.pii && f.type.kind === "scalar" && STREAM_TYPES.has(f.type.name) && rest.every((fs) => same(f, fs.find((g) => g.name === f.name))));
  return field?.name;
}

/** Builds `<context>/services.ts` for every context with services. */
export function emitServices(model: Model): GeneratedFile[] {
  return model.contexts.filter((c) => c.services.length > 0).map((c) => ({ path: `${contextDir(c.name)}/services.ts`, content: servicesModule(model, c) }));
}

function servicesModule(model: Model, c: ContextModel): string {
  const refs = new SchemaRefs(model, c);
  const blocks = c.services.flatMap((s) => serviceBlocks(refs, s));
  const imports = [
    ...importLines("import type", ["CommandContext", "ServiceHandler"], "@eda/runtime"),
    ...(c.services.some((s) => s.rejections.some((r) => r.fields.length > 0)) ? ['import { z } from "zod";'] : []),
    ...importLines("import", ["unhandled", ...(c.services.some((s) => s.rejections.length > 0) ? ["type Rejected"] : []), "type RejectionReason", "type ServiceResult"], fromContext("decisions.js")),
    ...refs.imports(),
  ];
  return renderModule({ header: header(c.files), imports, blocks });
}

function serviceBlocks(refs: SchemaRefs, s: ServiceModel): string[][] {
  const n = serviceNames(s);
  const title = `service \`${s.name}\``;
  const events = distinct(s.handlers.flatMap((h) => h.emits));
  return [
    tableInterface(`The commands ${title} handles, by name.`, n.commands, s.handlers.map((h) => ({ key: h.command.name, doc: h.command.doc, types: [refs.data(h.command)] }))),
    tableInterface(
      `The events each command of \`${s.name}\` may emit, as declared by \`on … emits …\`.`,
      n.emits,
      s.handlers.map((h) => ({ key: h.command.name, types: h.emits.map((e) => refs.message(e)) })),
    ),
    [...docComment(`A command of ${title}, as \`{ type, data }\`.`), ...unionAlias(`export type ${n.command}`, s.handlers.map((h) => refs.message(h.command)))],
    [...docComment(`An event of ${title}, as \`{ type, data }\`.`), ...unionAlias(`export type ${n.event}`, events.map((e) => refs.message(e)))],
    ...rejectionBlocks(refs, s),
    [
      ...docComment(
        [
          `The hand-written behaviour of ${title}.`,
          "One handler per command, which may be async and returns only the events the model",
          "declares for its command, or a rejection (`reject(reason)`). `R` is the reason of a",
          "rejection. `context` has the time (`context.now()`) and the command's metadata. A",
          "handler may run again when a delivery is repeated, so its side effects must be",
          "idempotent.",
        ].join("\n"),
      ),
      ...mappedAlias(`export type ${n.handlers}<R = RejectionReason>`, `readonly [K in keyof ${n.commands}]: `, [`command: ${n.commands}[K]`, "context: CommandContext"], `ServiceResult<${n.emits}[K], ${reasonOf(s, "K")}>`),
    ],
    [...docComment(`The runtime handler of ${title}; \`R\` is the reason of a rejection.`), ...genericAlias(`export type ${n.service}<R = RejectionReason>`, "ServiceHandler", [n.command, n.event, ownerReason(s)])],
    defineBlock(s, n),
  ];
}

function defineBlock(s: ServiceModel, n: ServiceNames): string[] {
  const commands = s.handlers.map((h) => h.command.name);
  const field = serviceStreamField(s);
  const stream = field === undefined ? stringLiteral(s.qualifiedName) : `\`${templateText(s.qualifiedName)}-\${command.data${access(field)}}\``;
  const none = [`${pad(3)}throw new Error(${stringLiteral(`${s.qualifiedName} handles no commands`)});`];
  const streamOf =
    commands.length === 0 ? [`${pad(2)}streamOf() {`, ...none, `${pad(2)}},`] : [`${pad(2)}streamOf(${field === undefined ? "" : "command"}) {`, `${pad(3)}return ${stream};`, `${pad(2)}},`];
  const handle =
    commands.length === 0
      ? [`${pad(2)}handle() {`, ...none, `${pad(2)}},`]
      : [
          `${pad(2)}handle(command, context) {`,
          `${pad(3)}switch (command.type) {`,
          ...commands.flatMap((c) => [`${pad(4)}case ${stringLiteral(c)}:`, ...callLines(5, `return handlers${access(c)}`, ["command.data", "context"], ";")]),
          `${pad(4)}default:`,
          ...callLines(5, "return unhandled", [stringLiteral(s.qualifiedName), "command"], ";"),
          `${pad(3)}}`,
          `${pad(2)}},`,
        ];
  return defineServiceLines({
    name: s.name,
    properties: propertyLines(2, "name", stringLiteral(s.qualifiedName)),
    signature: signatureLines(`export function ${n.define}<R = RejectionReason>`, [`handlers: ${n.handlers}<NoInfer<R>>`], `${n.service}<R>`),
    streamOf,
    handle,
  });
}
