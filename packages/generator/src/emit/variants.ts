/**
 * A variant state (`state Empty | Pending { … } | Confirmed`): per variant a `z.object` whose
 * `status` is the variant's name, the state a `z.discriminatedUnion` on `status`, so handlers
 * narrow by variant; the initial state is the first variant, built from its defaults.
 */
import type { AggregateModel, StateVariantModel } from "@eda/language";
import { docComment, identifier, stringLiteral } from "../escape.js";
import { printDoc } from "../print/printer.js";
import { array, assign, call } from "../print/ts.js";
import { defaultEntries, objectStatement, shapeOf, type SchemaRefs } from "./behaviour.js";
import { objectDecl, property, typeLine } from "./schema-blocks.js";

/** The field that names the variant (the checker keeps it free, EDA4021). */
export const STATUS = "status";

/** The exported name of a variant's schema and type: `<Aggregate>State<Variant>`. */
function variantName(a: AggregateModel, v: StateVariantModel): string {
  return `${identifier(a.name)}State${identifier(v.name)}`;
}

/** The blocks of a variant state: one schema per variant, the union, the initial state. */
export function variantStateBlocks(refs: SchemaRefs, a: AggregateModel, variants: readonly StateVariantModel[], state: string, initial: string): string[][] {
  const first = variants[0] as StateVariantModel;
  const names = variants.map((v) => variantName(a, v));
  const blocks = variants.map((v, i) => [
    ...docComment(`\`${a.name}\` in its variant \`${v.name}\`${i === 0 ? " (its initial state)" : ""}.`),
    objectDecl(names[i] as string, [assign(STATUS, ":", call("z.literal", [stringLiteral(v.name)])), ...v.fields.map((f) => property(f, refs.expr))]),
  ]);
  const union = [printDoc([assign(`export const ${state}`, " =", call("z.discriminatedUnion", [stringLiteral(STATUS), array(names)], true)), ";"])];
  return [
    ...blocks,
    [...docComment(`The state of aggregate \`${a.name}\`: one of its variants, told apart by \`${STATUS}\` (rebuilt from its events, kept in snapshots).`), ...union, typeLine(state)],
    [...docComment(`The state of \`${a.name}\` before its first event: the variant \`${first.name}\` with its declared defaults.`), ...objectStatement(`export const ${initial}: ${state}`, [[STATUS, stringLiteral(first.name), "string"], ...defaultEntries(first.fields, refs.expr.branded)])],
  ];
}

/** The shape of a variant state, for the snapshot tag. */
export function variantsShape(variants: readonly StateVariantModel[]): string {
  return variants.map((v) => `${v.name}{${shapeOf(v.fields)}}`).join("|");
}
