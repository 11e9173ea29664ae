/**
 * Docs for TypeScript types and type declarations, as Prettier builds them: type arguments
 * (a lone simple argument is never broken out), unions (their layout depends on where they
 * stand), function types, mapped types, type parameters with constraints and defaults, type
 * aliases, interfaces and function signatures.
 */
import { group, hardline, ifBreak, indent, indentIfBreak, join, line, softline, groupId, type Doc } from "./doc.js";
import { assign, COMMA_LINE, TRAILING_COMMA } from "./ts.js";

/**
 * A type: a string is a simple type (a name, a qualified name or a keyword); anything else is
 * built with `ref`, `text`, `union`, `fn` or `mapped`.
 */
export type TsType = string | TypeNode;

export type TypeNode =
  | { readonly kind: "ref"; readonly name: string; readonly args: readonly TsType[] }
  | { readonly kind: "text"; readonly text: string; readonly and?: boolean }
  | { readonly kind: "union"; readonly members: readonly TsType[] }
  | { readonly kind: "fn"; readonly params: readonly Param[]; readonly ret: TsType }
  | { readonly kind: "mapped"; readonly key: string; readonly keys: TsType; readonly value: TsType }
  | { readonly kind: "object"; readonly members: readonly Member[] }
  | { readonly kind: "index"; readonly key: string; readonly value: TsType };

/** A parameter `name: type`. */
export interface Param {
  readonly name: string;
  readonly type: TsType;
}

/** A type parameter `name extends constraint = fallback`. */
export interface TypeParam {
  readonly name: string;
  readonly constraint?: TsType;
  readonly fallback?: TsType;
}

/** `name<args>`; without arguments, the name alone. */
export function ref(name: string, ...args: TsType[]): TsType {
  return args.length === 0 ? name : { kind: "ref", name, args };
}

/** A type that is not a plain name, written as is: `keyof X`, `E[K]`, `typeof x`, `"literal"`. */
export function text(t: string): TsType {
  return { kind: "text", text: t };
}

/** `A | B`; one member is that member, none is `never`. */
export function union(members: readonly TsType[]): TsType {
  if (members.length === 0) return "never";
  return members.length === 1 ? (members[0] as TsType) : { kind: "union", members };
}

/** `(a: A, b: B) => R`. */
export function fn(params: readonly Param[], ret: TsType): TsType {
  return { kind: "fn", params, ret };
}

/** `{ readonly [key in keys]: value }`, always broken (as the generated code writes it). */
export function mapped(key: string, keys: TsType, value: TsType): TsType {
  return { kind: "mapped", key, keys, value };
}

/** `{ members }`, one member per line (as the generated code writes it, and Prettier keeps it). */
export function objectType(members: readonly Member[]): TsType {
  return { kind: "object", members };
}

/** `{ [key: string]: value }`, on one line or broken (as Prettier breaks an index signature's object type). */
export function indexSignature(key: string, value: TsType): TsType {
  return { kind: "index", key, value };
}

/** The Doc of a type where it stands alone (an argument, a return type, a parameter's type). */
export function typeDoc(t: TsType): Doc {
  if (typeof t === "string") return t;
  switch (t.kind) {
    case "text":
      return t.text;
    case "ref":
      return [t.name, typeArgsDoc(t.args)];
    case "union":
      return hugged(t.members) ? join(" | ", t.members.map(typeDoc)) : group(unionCode(t.members));
    case "fn":
      return group([paramsDoc(t.params), " => ", annotationDoc(t.ret)]);
    case "mapped": {
      const key = group(["[", indent([softline, t.key, " in ", typeDoc(t.keys)]), softline, "]"]);
      return group(["{", indent([line, group(["readonly ", key, ": ", typeDoc(t.value)]), ifBreak(";")]), line, "}"], { shouldBreak: true });
    }
    case "index":
      return group(["{", indent([line, t.key, ": ", propertyTypeDoc(t.value)]), ifBreak(";"), line, "}"]);
    case "object":
      if (t.members.length === 0) return "{}";
      return group(["{", indent([line, join(SEMI_LINE, t.members.map(documentedMember)), SEMI_IF_BREAK]), line, "}"], { shouldBreak: true });
  }
}

/** `<A, B>`: a lone simple argument stays hugged, others break one per line. */
export function typeArgsDoc(args: readonly TsType[]): Doc {
  if (args.length === 0) return "";
  if (args.length === 1 && typeof args[0] === "string") return `<${args[0]}>`;
  return group(["<", indent([softline, join(COMMA_LINE, args.map(typeDoc))]), softline, ">"]);
}

const BAR_IF_BREAK = ifBreak("| ");
const LINE_BAR: Doc = [line, "| "];
const SEMI_IF_BREAK = ifBreak(";");
const SEMI_LINE: Doc = [";", line];

function unionCode(members: readonly TsType[]): Doc {
  return [BAR_IF_BREAK, join(LINE_BAR, members.map((m) => indent(typeDoc(m))))];
}

/** `(a: A, b: B)`, broken one per line with a trailing comma. */
export function paramsDoc(params: readonly Param[]): Doc {
  if (params.length === 0) return "()";
  return ["(", indent([softline, join(COMMA_LINE, params.map(paramDoc))]), TRAILING_COMMA, softline, ")"];
}

function paramDoc(p: Param): Doc {
  const t = typeDoc(p.type);
  return typeof t === "string" ? `${p.name}: ${t}` : [`${p.name}: `, t];
}

/** `<A, B extends C = D>`, broken one per line with a trailing comma. */
export function typeParamsDoc(params: readonly TypeParam[]): Doc {
  if (params.length === 0) return "";
  return group(["<", indent([softline, join(COMMA_LINE, params.map(typeParamDoc))]), TRAILING_COMMA, softline, ">"]);
}

function typeParamDoc(p: TypeParam): Doc {
  return group([p.name, ...(p.constraint === undefined ? [] : breakable(" extends", p.constraint)), ...(p.fallback === undefined ? [] : breakable(" =", p.fallback))]);
}

function breakable(op: string, t: TsType): Doc[] {
  const id = groupId(op);
  return [op, group(indent(line), { id }), indentIfBreak(typeDoc(t), id)];
}

/** `head<params> = type;` (`head` like `export type Name`), laid out as Prettier lays out a type alias. */
export function typeAlias(head: string, params: readonly TypeParam[], t: TsType): Doc {
  const left = [head, typeParamsDoc(params)];
  if (typeof t !== "string" && t.kind === "union" && !hugged(t.members)) return [group([group(left), " =", group(indent([line, group(unionCode(t.members))]))]), ";"];
  const complexParams = params.length > 1 && params.some((p) => p.constraint !== undefined || p.fallback !== undefined);
  if (complexParams) return [group([left, " =", " ", group(typeDoc(t))]), ";"];
  return [assign(left, " =", typeDoc(t)), ";"];
}

/**
 * A member of an interface or object type, with its doc lines before it: `readonly key: type`,
 * or with `params` a method `key(params): type`.
 */
export interface Member {
  readonly key: string;
  readonly type: TsType;
  readonly doc?: readonly string[];
  readonly params?: readonly Param[];
  /** Without `readonly`, its type laid out as a property's type (a union of a simple type and `undefined` may break too). */
  readonly mutable?: boolean;
}

/** The member itself, then `;` — after its doc lines, each ending in a hard line — pushed onto `out`. */
function pushMember(out: Doc[], m: Member): void {
  if (m.doc !== undefined) for (const l of m.doc) out.push(l, hardline);
  out.push(memberDoc(m), ";");
}

/** A member after its doc lines. */
function documentedMember(m: Member): Doc {
  if (m.doc === undefined || m.doc.length === 0) return memberDoc(m);
  const out: Doc[] = [];
  for (const l of m.doc) out.push(l, hardline);
  out.push(memberDoc(m));
  return out;
}

function memberDoc(m: Member): Doc {
  if (m.mutable === true) return group([`${m.key}: `, propertyTypeDoc(m.type)]);
  if (m.params !== undefined) return group([m.key, paramsDoc(m.params), group([": ", typeDoc(m.type)])]);
  const t = annotationDoc(m.type);
  // A simple type makes the whole member one text.
  return typeof t === "string" ? `readonly ${m.key}: ${t}` : group([`readonly ${m.key}: `, t]);
}

/** `head<params> { members }` (`head` like `export interface Name`). */
export function interfaceDecl(head: string, params: readonly TypeParam[], members: readonly Member[]): Doc {
  const open = params.length === 0 ? `${head} {` : [head, typeParamsDoc(params), " {"];
  if (members.length === 0) return [open, "}"];
  const body: Doc[] = [];
  for (const m of members) {
    body.push(hardline);
    pushMember(body, m);
  }
  return [open, indent(body), hardline, "}"];
}

/**
 * A type after `: ` or `=> `; a union there stays on the line, or moves alone to the next, or
 * goes one `| member` per line — but a simple type or `null` is never broken.
 */
function annotationDoc(t: TsType): Doc {
  if (typeof t !== "string" && t.kind === "union" && !hugged(t.members)) return group(indent([softline, group(unionCode(t.members))]));
  return typeDoc(t);
}

/**
 * A property's type: a union (even one of a simple type and `undefined`) stays on the line, or
 * moves alone to the next, or goes one `| member` per line.
 */
function propertyTypeDoc(t: TsType): Doc {
  if (typeof t === "string" || t.kind !== "union") return typeDoc(t);
  return group(indent([softline, group(unionCode(t.members))]));
}

const VOID = new Set(["null", "undefined", "void"]);

/** A union of one simple type and `null`-like ones, which Prettier keeps on one line. */
function hugged(members: readonly TsType[]): boolean {
  const others = members.filter((m) => typeof m !== "string" || !VOID.has(m));
  return others.length === 1 && typeof others[0] === "string";
}

/** `head<params>(params): ret {` — a function declaration's first line(s). */
export function signature(head: string, typeParams: readonly TypeParam[], params: readonly Param[], ret: TsType): Doc {
  return [head, typeParamsDoc(typeParams), group([paramsDoc(params), ": ", typeDoc(ret)]), " {"];
}
