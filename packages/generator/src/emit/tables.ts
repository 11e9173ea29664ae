/** Interfaces that map names to types (commands by name, what each may emit, rejections). */
import { docComment, propertyKey } from "../escape.js";
import { pad, printLines, textWidth, WIDTH } from "../print/printer.js";
import { interfaceDecl, typeParamsDoc, union, type Member, type TsType, type TypeParam } from "../print/ts-types.js";
import { fitLines } from "./object-lines.js";

/** A row of a table: its key (a model name), its doc, the union of its types. */
export interface TableRow {
  readonly key: string;
  readonly doc?: string | undefined;
  readonly types: readonly TsType[];
}

/**
 * An interface `name` mapping each key to a type, with the declaration's doc on each member.
 * Written line by line: each member stands on its own lines (a line break before and after), so
 * a member that fits flat is its text, and only one that does not is printed from its Doc.
 */
export function tableInterface(doc: string | undefined, name: string, rows: readonly TableRow[], params: readonly TypeParam[] = []): string[] {
  const out = docComment(doc);
  const head = `export interface ${name}`;
  const flatParams = params.every((p) => p.constraint === undefined && p.fallback === undefined) ? (params.length === 0 ? "" : `<${params.map((p) => p.name).join(", ")}>`) : undefined;
  out.push(...fitLines(0, flatParams === undefined ? undefined : head + flatParams, () => [head, typeParamsDoc(params)], rows.length === 0 ? " {}" : " {"));
  if (rows.length === 0) return out;
  for (const r of rows) memberLines(out, { key: propertyKey(r.key), doc: docComment(r.doc), type: union(r.types) });
  out.push("}");
  return out;
}

/** Appends `readonly key: type;` (after its doc lines) at depth 1: its flat text when it fits, else as printed. */
function memberLines(out: string[], m: Member): void {
  const flat = flatType(m.type);
  if (flat !== undefined) {
    const line = `${pad(1)}readonly ${m.key}: ${flat};`;
    if (textWidth(line) <= WIDTH) {
      for (const l of m.doc ?? []) out.push(pad(1) + l);
      out.push(line);
      return;
    }
  }
  // The member alone in an interface without a name: its lines are those between `{` and `}`.
  const lines = printLines(interfaceDecl("", [], [m]));
  for (let i = 1; i < lines.length - 1; i++) out.push(lines[i] as string);
}

/** A type printed flat, or undefined for one this shortcut does not know (then the printer lays it out). */
export function flatType(t: TsType): string | undefined {
  if (typeof t === "string") return t;
  switch (t.kind) {
    case "text":
      return t.text;
    case "ref":
      return joinFlat(t.args, ", ", `${t.name}<`, ">");
    case "union":
      return joinFlat(t.members, " | ", "", "");
    default:
      return undefined;
  }
}

function joinFlat(types: readonly TsType[], separator: string, open: string, close: string): string | undefined {
  let text = open;
  for (let i = 0; i < types.length; i++) {
    const flat = flatType(types[i] as TsType);
    if (flat === undefined) return undefined;
    text += i === 0 ? flat : separator + flat;
  }
  return text + close;
}
