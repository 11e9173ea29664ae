/** Interfaces that map names to types (commands by name, what each may emit, rejections). */
import { docComment, propertyKey } from "../escape.js";
import { interfaceLines } from "../print/interface-lines.js";
import { union, type TsType, type TypeParam } from "../print/ts-types.js";

/** A row of a table: its key (a model name), its doc, the union of its types. */
export interface TableRow {
  readonly key: string;
  readonly doc?: string | undefined;
  readonly types: readonly TsType[];
}

/**
 * An interface `name` mapping each key to a type, with the declaration's doc on each member.
 * Written line by line by `interfaceLines` (print/interface-lines.ts).
 */
export function tableInterface(doc: string | undefined, name: string, rows: readonly TableRow[], params: readonly TypeParam[] = []): string[] {
  const members = rows.map((r) => ({ key: propertyKey(r.key), doc: docComment(r.doc), type: union(r.types) }));
  return [...docComment(doc), ...interfaceLines(`export interface ${name}`, members, params)];
}
