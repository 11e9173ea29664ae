/** Interfaces that map names to types (commands by name, what each may emit, rejections). */
import { docComment, propertyKey } from "../escape.js";
import { printDoc } from "../print/printer.js";
import { interfaceDecl, union, type TsType, type TypeParam } from "../print/ts-types.js";

/** A row of a table: its key (a model name), its doc, the union of its types. */
export interface TableRow {
  readonly key: string;
  readonly doc?: string | undefined;
  readonly types: readonly TsType[];
}

/** An interface `name` mapping each key to a type, with the declaration's doc on each member. */
export function tableInterface(doc: string | undefined, name: string, rows: readonly TableRow[], params: readonly TypeParam[] = []): string[] {
  const members = rows.map((r) => ({ key: propertyKey(r.key), doc: docComment(r.doc), type: union(r.types) }));
  return [...docComment(doc), printDoc(interfaceDecl(`export interface ${name}`, params, members))];
}
