/**
 * Declared rejections (`rejections { … }` and `on … rejects A | B`): per owner a schema of each
 * rejection's fields, a table of its rejections as `Rejected<"Code", Fields>` and a table of what
 * each command may be refused with — its declared rejections, or the `define…` call's `R` for a
 * command that declares none. An owner without a `rejections` block gets none of these, and its
 * handlers keep `R`.
 */
import type { HandlerModel, RejectionModel } from "@eda/language";
import { identifier, stringLiteral } from "../escape.js";
import type { RejectionNames } from "../lower/gen-model.js";
import { recordSchema, type SchemaRefs } from "./behaviour.js";
import { ref, text, type TsType } from "../print/ts-types.js";
import { tableInterface } from "./tables.js";

function fieldsName(owner: string, r: RejectionModel): string {
  return identifier(`${owner}${r.name}Fields`);
}

/** The blocks of an owner that declares rejections (none when it declares none). */
export function rejectionBlocks(
  refs: SchemaRefs,
  owner: { readonly name: string; readonly kind: string; readonly rejections: readonly RejectionModel[]; readonly handlers: readonly HandlerModel[] },
  n: RejectionNames,
): string[][] {
  if (owner.rejections.length === 0) return [];
  const title = `${owner.kind} \`${owner.name}\``;
  const schemas = owner.rejections
    .filter((r) => r.fields.length > 0)
    .map((r) => recordSchema(refs, fieldsName(owner.name, r), `The fields of rejection \`${r.name}\` of ${title}.`, r.fields));
  const reason = (r: RejectionModel): TsType => ref("Rejected", text(stringLiteral(r.name)), ...(r.fields.length > 0 ? [fieldsName(owner.name, r)] : []));
  return [
    ...schemas,
    tableInterface(
      `The rejections ${title} declares, by name: \`reject({ code: "Name", …fields })\`.`,
      n.rejections,
      owner.rejections.map((r) => ({ key: r.name, types: [reason(r)] })),
    ),
    tableInterface(
      `What each command of \`${owner.name}\` may be refused with: the rejections its \`on … rejects …\` line declares, else \`R\`.`,
      n.rejects,
      owner.handlers.map((h) => ({ key: h.command.name, types: h.rejects.length === 0 ? ["R"] : h.rejects.map((r) => text(`${n.rejections}[${stringLiteral(r.name)}]`)) })),
      // When every handler declares its rejections `R` goes unread: `_R` keeps a user's `noUnusedParameters` quiet.
      [{ name: owner.handlers.every((h) => h.rejects.length > 0) ? "_R" : "R" }],
    ),
  ];
}

/** The reason type of the decision of command `K` (`R`, or the declared rejections). */
export function reasonOf(owner: { readonly rejections: readonly RejectionModel[] }, n: RejectionNames, key: string): TsType {
  return owner.rejections.length === 0 ? "R" : text(`${n.rejects}<R>[${key}]`);
}

/** The reason type of the runtime decider or service (`R`, or the union over its commands). */
export function ownerReason(owner: { readonly rejections: readonly RejectionModel[] }, n: RejectionNames): TsType {
  if (owner.rejections.length === 0) return "R";
  const rejects = `${n.rejects}<R>`;
  return text(`${rejects}[keyof ${rejects}]`);
}
