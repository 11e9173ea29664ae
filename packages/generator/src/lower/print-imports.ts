/** Prints the import declarations a GenModel decides for a module, as Prettier lays them out. */
import { stringLiteral } from "../escape.js";
import { group, ifBreak, indent, join, line, type Doc } from "../print/doc.js";
import { printLines, textWidth, WIDTH } from "../print/printer.js";
import type { GenImport, GenImportName } from "./gen-model.js";

function nameText(n: GenImportName): string {
  return `${n.typeOnly ? "type " : ""}${n.name}${n.alias === undefined ? "" : ` as ${n.alias}`}`;
}

/** One declaration: on one line when it fits (or names one binding, which never breaks), else one name per line. */
export function importDeclaration(i: GenImport): string[] {
  const head = i.typeOnly ? "import type" : "import";
  const from = stringLiteral(i.from);
  if (i.namespace !== undefined) return [`${head} * as ${i.namespace} from ${from};`];
  const names = i.names.map(nameText);
  // On one line when it fits, which is what the printer would decide: no Doc for most imports.
  const flat = `${head} { ${names.join(", ")} } from ${from};`;
  if (names.length === 1 || textWidth(flat) <= WIDTH) return [flat];
  const list: Doc = names.length === 1 ? `{ ${names[0]} }` : group(["{", indent([line, join([",", line], names)]), ifBreak(","), line, "}"]);
  return printLines([head, " ", list, " from ", from, ";"]);
}

/** Every declaration of a module, in order. */
export function importLines(imports: readonly GenImport[]): string[] {
  return imports.flatMap(importDeclaration);
}
