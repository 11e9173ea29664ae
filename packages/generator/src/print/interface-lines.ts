/**
 * Interface declarations written line by line (see `object-lines.ts`), as `interfaceDecl`
 * prints them: each member stands on its own lines (a line break before and after), so a member
 * whose line fits is its text; one that does not breaks the printer's one way (a union below its
 * key, then one `| member` per line; type arguments or a method's parameters one per line), and
 * any other member is printed alone from its Doc. `test/line-writers.test.ts` holds the writer
 * to `printDoc` of the same Doc.
 */
import { pad, printLines, textWidth, WIDTH } from "./printer.js";
import { interfaceDecl, type Member, type Param, type TsType, type TypeParam } from "./ts-types.js";
import { flatType, typeArgLines, typeParamsHeadLines, unbreakable, unionBelow } from "./type-lines.js";

/**
 * `head<params> { members }` as `interfaceDecl` prints it, written line by line: each member
 * stands on its own lines, so one that fits flat is its text and only one that does not is
 * printed from its Doc. Object types of members (always broken) are written the same way.
 */
export function interfaceLines(head: string, members: readonly Member[], params: readonly TypeParam[] = []): string[] {
  const out = typeParamsHeadLines(head, params, members.length === 0 ? " {}" : " {");
  if (members.length === 0) return out;
  for (const m of members) memberLines(out, 1, m);
  out.push("}");
  return out;
}

/** Appends `readonly key: type;` at `depth` after its doc lines: as written here when its layout is known, else as printed. */
function memberLines(out: string[], depth: number, m: Member): void {
  const at = out.length;
  for (const l of m.doc ?? []) out.push(pad(depth) + l);
  if (writeMember(out, depth, m)) return;
  out.length = at;
  // The member alone in an interface without a name: its lines are those between `{` and `}`.
  const lines = printLines(interfaceDecl("", [], [m]), depth - 1);
  for (let i = 1; i < lines.length - 1; i++) out.push(lines[i] as string);
}

/** Appends the member's own lines; false when its layout is not one written here. */
function writeMember(out: string[], depth: number, m: Member): boolean {
  const indent = pad(depth);
  const type = m.type;
  if (m.mutable === true) return false;
  if (m.params !== undefined) {
    const flat = flatMethod(m.params, type);
    if (flat === undefined) return false;
    const line = `${indent}${m.key}${flat};`;
    if (textWidth(line) <= WIDTH) {
      out.push(line);
      return true;
    }
    return methodLines(out, depth, m.key, m.params, type);
  }
  if (typeof type !== "string" && type.kind === "object" && type.members.length > 0) {
    // An object type is always broken, its `{` on the member's line whatever its length.
    out.push(`${indent}readonly ${m.key}: {`);
    for (const child of type.members) memberLines(out, depth + 1, child);
    out.push(`${indent}};`);
    return true;
  }
  const flat = flatType(type);
  if (flat === undefined) return false;
  const line = `${indent}readonly ${m.key}: ${flat};`;
  if (unbreakable(type) || textWidth(line) <= WIDTH) {
    out.push(line);
    return true;
  }
  // A union that does not fit goes below the key; a type's arguments go one per line.
  if (typeof type !== "string" && type.kind === "union") return unionBelow(out, depth + 1, `${indent}readonly ${m.key}:`, type.members, ";");
  return typeArgLines(out, `readonly ${m.key}: `, type, depth, ";");
}

/** Appends `key(` + its parameters one per line + `): type;`; false when a line too long could break. */
function methodLines(out: string[], depth: number, key: string, params: readonly Param[], type: TsType): boolean {
  if (params.length === 0 || !params.every((p) => unbreakable(p.type)) || !unbreakable(type)) return false;
  out.push(`${pad(depth)}${key}(`);
  for (const p of params) out.push(`${pad(depth + 1)}${p.name}: ${flatType(p.type) as string},`);
  out.push(`${pad(depth)}): ${flatType(type) as string};`);
  return true;
}

/** `(a: A, b: B): R` of a method member printed flat, or undefined. */
function flatMethod(params: readonly Param[], ret: TsType): string | undefined {
  const parts = params.map((p) => flatType(p.type));
  const r = flatType(ret);
  if (r === undefined || parts.includes(undefined)) return undefined;
  return `(${parts.map((t, i) => `${(params[i] as Param).name}: ${t as string}`).join(", ")}): ${r}`;
}
