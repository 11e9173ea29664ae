/** `support.ts`: small helpers the generated schemas share (decimal strings and their bounds). */
import { DECIMAL } from "@eda/language";
import type { GeneratedFile } from "../generated-file.js";
import type { GenModel } from "../lower/gen-model.js";
import { moduleFile } from "../module-file.js";
import { BRANDS } from "../brands.js";

/** Decimals travel as strings so no digit is lost; bounds compare them exactly. */
export function emitSupport(gen: GenModel): GeneratedFile[] {
  const blocks = [
    ["/** A decimal number written in plain notation, as decimals travel in JSON. */", `export const DECIMAL = /${DECIMAL.source}/;`],
    [
      "/** Compares two plain-notation decimal strings exactly: -1, 0 or 1. */",
      "export function compareDecimals(a: string, b: string): number {",
      '  const sign = (s: string): number => (s.startsWith("-") ? -1 : 1);',
      "  if (sign(a) !== sign(b)) return sign(a) < sign(b) ? -1 : 1;",
      '  const [ai = "", af = ""] = a.replace("-", "").split(".");',
      '  const [bi = "", bf = ""] = b.replace("-", "").split(".");',
      '  const ia = ai.replace(/^0+(?=\\d)/, "");',
      '  const ib = bi.replace(/^0+(?=\\d)/, "");',
      "  const width = Math.max(af.length, bf.length);",
      '  const x = ia.padStart(ib.length, "0") + af.padEnd(width, "0");',
      '  const y = ib.padStart(ia.length, "0") + bf.padEnd(width, "0");',
      "  const magnitude = x < y ? -1 : x > y ? 1 : 0;",
      "  return magnitude * sign(a);",
      "}",
    ],
    [
      "/** A refinement: the decimal is at least `min`. */",
      "export function decimalAtLeast(min: string): (value: string) => boolean {",
      "  return (value) => compareDecimals(value, min) >= 0;",
      "}",
    ],
    [
      "/** A refinement: the decimal is at most `max`. */",
      "export function decimalAtMost(max: string): (value: string) => boolean {",
      "  return (value) => compareDecimals(value, max) <= 0;",
      "}",
    ],
  ];
  if (gen.options.brandedScalars) blocks.push(...brandBlocks());
  return [moduleFile(gen.modules.support, blocks)];
}

/** The schema, type and parsing constructor of each branded scalar. */
const BRAND_SCHEMAS: Record<string, string> = {
  uuid: "z.uuid()",
  timestamp: "z.iso.datetime({ offset: true })",
  date: "z.iso.date()",
  email: "z.email()",
  decimal: "z.string().regex(DECIMAL)",
};

function brandBlocks(): string[][] {
  return Object.entries(BRANDS).map(([scalar, { brand, constructor }]) => {
    const schema = `${brand.toUpperCase()}_SCHEMA`;
    const fromDate = scalar === "timestamp";
    return [
      `const ${schema} = ${BRAND_SCHEMAS[scalar]}.brand<"${brand}">();`,
      `/** A \`${scalar}\` value that has been checked: make one with \`${constructor}(value)\`. */`,
      `export type ${brand} = z.output<typeof ${schema}>;`,
      `/** Parses a \`${scalar}\`${fromDate ? " (or writes a `Date` as one)" : ""}; throws a \`ZodError\` for anything else. */`,
      `export function ${constructor}(value: ${fromDate ? "string | Date" : "string"}): ${brand} {`,
      ...(fromDate ? ["  const text = value instanceof Date ? value.toISOString() : value;", `  return ${schema}.parse(text);`] : [`  return ${schema}.parse(value);`]),
      "}",
    ];
  });
}
