/** `support.ts`: small helpers the generated schemas share (decimal strings and their bounds). */
import { DECIMAL } from "@eda/language";
import type { GenModel } from "../lower/gen-model.js";
import { block, moduleHead } from "../module-file.js";
import { fileView, type FileView } from "../render/file-view.js";
import { BRANDS } from "../brands.js";

/** Decimals travel as strings so no digit is lost; bounds compare them exactly (the helpers are in the template). */
export function emitSupport(gen: GenModel): FileView[] {
  const brands = gen.options.brandedScalars ? brandBlocks().map(block) : [];
  return [fileView("support", gen.modules.support.path, { ...moduleHead(gen.modules.support), decimalPattern: DECIMAL.source, brands })];
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
