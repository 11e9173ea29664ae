/**
 * A variant state (`state Empty | Pending { … } | Confirmed`): per variant a `z.object` whose
 * `status` is the variant's name, the state a `z.discriminatedUnion` on `status`, so handlers
 * narrow by variant; the initial state is the first variant, built from its defaults.
 */
import type { AggregateModel, StateVariantModel } from "@eda/language";
import { docComment, identifier, stringLiteral } from "../escape.js";
import { pad, WIDTH } from "../layout.js";
import { defaultEntries, objectLines, shapeOf, type SchemaRefs } from "./behaviour.js";
import { fieldDoc, property, typeLine } from "./schema-blocks.js";

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
    `export const ${names[i]} = z.object({`,
    `${pad(1)}${STATUS}: z.literal(${stringLiteral(v.name)}),`,
    ...v.fields.flatMap((f) => [...fieldDoc(f).map((l) => pad(1) + l), ...property(f, refs.expr)]),
    "});",
    typeLine(names[i] as string),
  ]);
  const head = `export const ${state} = z.discriminatedUnion(${stringLiteral(STATUS)}, [`;
  const one = `${head}${names.join(", ")}]);`;
  const union = one.length <= WIDTH ? [one] : [head, ...names.map((n) => `${pad(1)}${n},`), "]);"];
  return [
    ...blocks,
    [...docComment(`The state of aggregate \`${a.name}\`: one of its variants, told apart by \`${STATUS}\` (rebuilt from its events, kept in snapshots).`), ...union, typeLine(state)],
    [...docComment(`The state of \`${a.name}\` before its first event: the variant \`${first.name}\` with its declared defaults.`), ...objectLines(0, `export const ${initial}: ${state} = `, [[STATUS, stringLiteral(first.name)], ...defaultEntries(first.fields, refs.expr.branded)], ";")],
  ];
}

/** The shape of a variant state, for the snapshot tag. */
export function variantsShape(variants: readonly StateVariantModel[]): string {
  return variants.map((v) => `${v.name}{${shapeOf(v.fields)}}`).join("|");
}
