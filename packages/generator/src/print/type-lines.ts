/**
 * Type declarations written line by line where their layout follows from line widths alone (see
 * `object-lines.ts`): a type's text printed flat; type aliases of unions, of types with
 * arguments and of mapped handler types; function signatures. Each writes a line that fits, or
 * the printer's one way of breaking it (a union below `=`, then one `| member` per line; type
 * arguments or parameters one per line), and falls back to its Doc, printed, for any other case.
 * `test/line-writers.test.ts` holds each to `printDoc` of the same Doc.
 */
import { pad, printLines, textWidth, WIDTH } from "./printer.js";
import { fn, mapped, signature, text, typeAlias, typeParamsDoc, union, type Param, type TsType, type TypeParam } from "./ts-types.js";

/** Whether a type's Doc holds no line at all (a name, a text, `Name<Arg>` with one simple argument): it never breaks. */
export function unbreakable(t: TsType): boolean {
  if (typeof t === "string") return true;
  if (t.kind === "union") return hugged(t.members);
  return t.kind === "text" || (t.kind === "ref" && t.args.length === 1 && typeof t.args[0] === "string");
}

const VOID = new Set(["null", "undefined", "void"]);

/** A union of one simple type and `null`-like ones, which `ts-types` keeps on one line. */
function hugged(members: readonly TsType[]): boolean {
  const others = members.filter((m) => typeof m !== "string" || !VOID.has(m));
  return others.length === 1 && typeof others[0] === "string";
}

/**
 * Appends `first` and below it, one level deeper, a union that did not fit after it: on one line
 * when it fits there, else one `| member` per line (`trailing` after the last); false when a
 * member's line is too long and could break.
 */
export function unionBelow(out: string[], depth: number, first: string, members: readonly TsType[], trailing: string): boolean {
  const flats = members.map(flatType);
  if (flats.includes(undefined)) return false;
  const below = `${pad(depth)}${flats.join(" | ")}${trailing}`;
  if (textWidth(below) <= WIDTH) {
    out.push(first, below);
    return true;
  }
  const lines = flats.map((f, i) => `${pad(depth)}| ${f as string}${i === flats.length - 1 ? trailing : ""}`);
  if (lines.some((l, i) => !unbreakable(members[i] as TsType) && textWidth(l) > WIDTH)) return false;
  out.push(first, ...lines);
  return true;
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
  // One name alone (or `never` for none) goes below `=`.
  if (members.length < 2) return [`${head} =`, `${pad(1)}${members[0] ?? "never"};`];
  const out: string[] = [];
  // A union with `null`-like members is laid out as any other type alias.
  if (hugged(members) || !unionBelow(out, 1, `${head} =`, members, ";")) return printLines(typeAlias(head, [], union(members)));
  return out;
}

/**
 * `head<params> = Name<A, B>;` (one type parameter at most): on one line when it fits, else the
 * arguments one per line when `Name<` fits after `=`; else printed from its Doc.
 */
export function refAliasLines(head: string, params: readonly TypeParam[], t: TsType): string[] {
  const flatParams = flatTypeParams(params);
  const flat = flatType(t);
  if (params.length < 2 && flatParams !== undefined && flat !== undefined) {
    const line = `${head}${flatParams} = ${flat};`;
    if (textWidth(line) <= WIDTH) return [line];
    const out: string[] = [];
    // A type that cannot break goes below `=` instead (the printer's layout).
    if (!unbreakable(t) && typeArgLines(out, `${head}${flatParams} = `, t, 0, ";")) return out;
  }
  return printLines(typeAlias(head, params, t));
}

/** `<A, B extends C = D>` printed flat ("" for none), or undefined when a part has no known flat text. */
export function flatTypeParams(params: readonly TypeParam[]): string | undefined {
  if (params.length === 0) return "";
  const parts = params.map(flatTypeParam);
  return parts.includes(undefined) ? undefined : `<${parts.join(", ")}>`;
}

/** `B extends C = D` printed flat. */
function flatTypeParam(p: TypeParam): string | undefined {
  const constraint = p.constraint === undefined ? "" : flatType(p.constraint);
  const fallback = p.fallback === undefined ? "" : flatType(p.fallback);
  if (constraint === undefined || fallback === undefined) return undefined;
  return `${p.name}${p.constraint === undefined ? "" : ` extends ${constraint}`}${p.fallback === undefined ? "" : ` = ${fallback}`}`;
}

/**
 * `head<params>` and `trailing` (`" {"` of an interface): on one line when it fits, else the type
 * parameters one per line; printed from its Doc where a parameter breaks otherwise.
 */
export function typeParamsHeadLines(head: string, params: readonly TypeParam[], trailing: string): string[] {
  const flat = flatTypeParams(params);
  if (flat !== undefined) {
    const line = `${head}${flat}${trailing}`;
    if (params.length === 0 || textWidth(line) <= WIDTH) return [line];
    const out = [`${head}<`];
    if (params.every((p) => typeParamLines(out, p))) {
      out.push(`>${trailing}`);
      return out;
    }
  }
  return printLines([head, typeParamsDoc(params), trailing]);
}

/**
 * `head<params> = { readonly [K in keys]: (params) => ret };` (a table of handler types):
 * the mapped type is always broken; its member is on one line when it fits, else its parameters
 * go one per line. Printed from its Doc where another layout could apply (a line too long).
 */
export function mappedAliasLines(head: string, params: readonly TypeParam[], keys: string, fnParams: readonly Param[], ret: TsType): string[] {
  const doc = (): string[] => printLines(typeAlias(head, params, mapped("K", text(keys), fn(fnParams, ret))));
  const flatParams = flatTypeParams(params);
  const retFlat = flatType(ret);
  const paramFlats = fnParams.map((p) => (unbreakable(p.type) ? `${p.name}: ${flatType(p.type) as string}` : undefined));
  // Two type parameters or more with defaults take another layout of the alias.
  if (params.length > 1 || flatParams === undefined || retFlat === undefined || paramFlats.includes(undefined)) return doc();
  const first = `${head}${flatParams} = {`;
  const key = `${pad(1)}readonly [K in ${keys}]: (`;
  if (textWidth(first) > WIDTH || textWidth(key) > WIDTH) return doc();
  const member = `${key}${paramFlats.join(", ")}) => ${retFlat};`;
  if (textWidth(member) <= WIDTH) return [first, member, "};"];
  const close = `${pad(1)}) => ${retFlat};`;
  if (!unbreakable(ret) && textWidth(close) > WIDTH) return doc();
  return [first, key, ...paramFlats.map((p) => `${pad(2)}${p as string},`), close, "};"];
}

/**
 * `head<typeParams>(params): ret {` as `signature` prints it: the type parameters, then the
 * parameters, each on the line when they fit there, else one per line. Printed from its Doc
 * where a part has no known flat text or breaks in a way not written here.
 */
export function signatureLines(head: string, typeParams: readonly TypeParam[], params: readonly Param[], ret: TsType): string[] {
  const doc = (): string[] => printLines(signature(head, typeParams, params, ret));
  const flatParams = flatTypeParams(typeParams);
  const retFlat = flatType(ret);
  const paramFlats = params.map(flatParam);
  if (flatParams === undefined || retFlat === undefined || paramFlats.includes(undefined)) return doc();
  const out: string[] = [];
  // The type parameters stay on the line when it fits up to the `(` after them.
  let line = `${head}${flatParams}`;
  if (typeParams.length > 0 && textWidth(`${line}(`) > WIDTH) {
    out.push(`${head}<`);
    for (const p of typeParams) if (!typeParamLines(out, p)) return doc();
    line = ">";
  }
  const rest = `(${paramFlats.join(", ")}): ${retFlat} {`;
  if (textWidth(line + rest) <= WIDTH) return [...out, line + rest];
  if (params.length === 0) return doc();
  out.push(`${line}(`);
  for (const p of params) if (!paramLines(out, p)) return doc();
  const close = `): ${retFlat} {`;
  if (unbreakable(ret) || textWidth(close) <= WIDTH) out.push(close);
  else if (!typeArgLines(out, "): ", ret, 0, " {")) return doc();
  return out;
}

/**
 * Appends `prefix Name<` + its arguments one per line + `>suffix` at `depth` (a type whose
 * arguments, all unbreakable, do not fit on its line); false for another type.
 */
export function typeArgLines(out: string[], prefix: string, t: TsType, depth: number, suffix: string): boolean {
  if (typeof t === "string" || t.kind !== "ref" || !t.args.every(unbreakable)) return false;
  const open = `${pad(depth)}${prefix}${t.name}<`;
  const args = t.args.map((a, i) => `${pad(depth + 1)}${flatType(a) as string}${i < t.args.length - 1 ? "," : ""}`);
  if (textWidth(open) > WIDTH || args.some((a) => textWidth(a) > WIDTH)) return false;
  out.push(open, ...args, `${pad(depth)}>${suffix}`);
  return true;
}

function flatParam(p: Param): string | undefined {
  const t = flatType(p.type);
  return t === undefined ? undefined : `${p.name}: ${t}`;
}

/** Appends a broken-out type parameter (its default on the next line when only that fits); false for another layout. */
function typeParamLines(out: string[], p: TypeParam): boolean {
  const line = `${pad(1)}${flatTypeParam(p) as string},`;
  if (textWidth(line) <= WIDTH) {
    out.push(line);
    return true;
  }
  if (p.fallback === undefined || !unbreakable(p.fallback)) return false;
  const first = `${pad(1)}${p.name}${p.constraint === undefined ? "" : ` extends ${flatType(p.constraint) as string}`} =`;
  const second = `${pad(2)}${flatType(p.fallback) as string},`;
  if (textWidth(first) > WIDTH || textWidth(second) > WIDTH) return false;
  out.push(first, second);
  return true;
}

/** Appends a broken-out parameter (its type's arguments one per line when only that fits); false for another layout. */
function paramLines(out: string[], p: Param): boolean {
  const line = `${pad(1)}${flatParam(p) as string},`;
  if (unbreakable(p.type) || textWidth(line) <= WIDTH) {
    out.push(line);
    return true;
  }
  return typeArgLines(out, `${p.name}: `, p.type, 1, ",");
}
