/** Interfaces that map names to types (commands by name, what each may emit, rejections). */
import { docComment, propertyKey } from "../escape.js";
import { pad, printLines, textWidth, WIDTH } from "../print/printer.js";
import { interfaceDecl, typeAlias, typeParamsDoc, union, type Member, type TsType, type TypeParam } from "../print/ts-types.js";
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
  const members = rows.map((r) => ({ key: propertyKey(r.key), doc: docComment(r.doc), type: union(r.types) }));
  return [...docComment(doc), ...interfaceLines(`export interface ${name}`, members, params)];
}

/**
 * `head<params> { members }` as `interfaceDecl` prints it, written line by line: each member
 * stands on its own lines, so one that fits flat is its text and only one that does not is
 * printed from its Doc. Object types of members (always broken) are written the same way.
 */
export function interfaceLines(head: string, members: readonly Member[], params: readonly TypeParam[] = []): string[] {
  const simple = params.every((p) => p.constraint === undefined && p.fallback === undefined);
  const flatHead = !simple ? undefined : params.length === 0 ? head : `${head}<${params.map((p) => p.name).join(", ")}>`;
  const out = fitLines(0, flatHead, () => [head, typeParamsDoc(params)], members.length === 0 ? " {}" : " {");
  if (members.length === 0) return out;
  for (const m of members) memberLines(out, 1, m);
  out.push("}");
  return out;
}

/** Appends `readonly key: type;` at `depth` after its doc lines: its flat text when it fits, else as printed. */
function memberLines(out: string[], depth: number, m: Member): void {
  const indent = pad(depth);
  const plain = m.params === undefined && m.mutable !== true;
  const type = m.type;
  if (plain && typeof type !== "string" && type.kind === "object" && type.members.length > 0) {
    // An object type is always broken, its `{` on the member's line whatever its length.
    for (const l of m.doc ?? []) out.push(indent + l);
    out.push(`${indent}readonly ${m.key}: {`);
    for (const child of type.members) memberLines(out, depth + 1, child);
    out.push(`${indent}};`);
    return;
  }
  const flat = plain ? flatType(type) : undefined;
  const line = flat === undefined ? "" : `${indent}readonly ${m.key}: ${flat};`;
  if (flat !== undefined && (unbreakable(type) || textWidth(line) <= WIDTH)) {
    for (const l of m.doc ?? []) out.push(indent + l);
    out.push(line);
    return;
  }
  // The member alone in an interface without a name: its lines are those between `{` and `}`.
  const lines = printLines(interfaceDecl("", [], [m]), depth - 1);
  for (let i = 1; i < lines.length - 1; i++) out.push(lines[i] as string);
}

/** Whether a type's Doc holds no line at all (a name, a text, `Name<Arg>` with one simple argument): it never breaks. */
function unbreakable(t: TsType): boolean {
  if (typeof t === "string") return true;
  return t.kind === "text" || (t.kind === "ref" && t.args.length === 1 && typeof t.args[0] === "string");
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

/**
 * `head = A | B;` for a union of names (`typeAlias(head, [], union(members))`): on one line when
 * it fits, else the union alone on the next line when it fits there, else one `| member` per line.
 */
export function unionAliasLines(head: string, members: readonly string[]): string[] {
  const flat = `${head} = ${members.length === 0 ? "never" : members.join(" | ")};`;
  if (textWidth(flat) <= WIDTH) return [flat];
  // One member, or a union with `null`-like members, is laid out as any other type alias.
  if (members.length < 2 || members.some((m) => VOID.has(m))) return printLines(typeAlias(head, [], union(members)));
  const below = `${pad(1)}${members.join(" | ")};`;
  if (textWidth(below) <= WIDTH) return [`${head} =`, below];
  const out = [`${head} =`];
  for (const m of members) out.push(`${pad(1)}| ${m}`);
  out[out.length - 1] += ";";
  return out;
}

const VOID = new Set(["null", "undefined", "void"]);
