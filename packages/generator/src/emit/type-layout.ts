/**
 * The layouts of TypeScript declarations the handler modules print — signatures, generic and
 * union aliases, mapped types, interface tables — as Prettier lays them out.
 *
 * The layouts follow Prettier's for declaration names up to 40 characters (tested against
 * Prettier with random names); longer names still give valid code, possibly not as Prettier
 * would break it.
 */
import { docComment, propertyKey } from "../escape.js";
import { pad, WIDTH } from "../layout.js";

/** A function type `head(a: A, b: B) => R;`, its parameters broken one per line when too long. */
export function fnTypeLines(depth: number, head: string, params: readonly string[], ret: string, suffix = ";"): string[] {
  const one = `${pad(depth)}${head}(${params.join(", ")}) => ${ret}${suffix}`;
  if (one.length <= WIDTH) return [one];
  return [`${pad(depth)}${head}(`, ...params.map((p) => `${pad(depth + 1)}${p},`), `${pad(depth)}) => ${ret}${suffix}`];
}

/** A generic type reference, `Name<A, B>`, that a layout may break between its arguments. */
export interface GenericRef {
  readonly name: string;
  readonly args: readonly string[];
}

function refText(t: string | GenericRef): string {
  return typeof t === "string" ? t : `${t.name}<${t.args.join(", ")}>`;
}

/**
 * A function declaration's first lines: `head(params): ret {`, the parameters broken when too
 * long, then the return type's arguments when the last line is still too long. A head whose
 * `head(` alone is too long breaks its type parameters first.
 */
export function signatureLines(head: string, params: readonly string[], ret: string | GenericRef): string[] {
  const one = `${head}(${params.join(", ")}): ${refText(ret)} {`;
  if (one.length <= WIDTH) return [one];
  const generic = /^(.*?)<(.+)>$/.exec(head);
  if (generic && `${head}(`.length > WIDTH) {
    const opened = [`${generic[1]}<`, ...typeParamLines(generic[2] as string)];
    const rest = `>(${params.join(", ")}): ${refText(ret)} {`;
    return rest.length <= WIDTH ? [...opened, rest] : [...opened, ">(", ...params.flatMap(paramLines), ...returnLines(ret)];
  }
  return [`${head}(`, ...params.flatMap(paramLines), ...returnLines(ret)];
}

/** One parameter of a broken signature; a generic type too long for the line gets one argument per line (as Prettier). */
function paramLines(param: string): string[] {
  const line = `${pad(1)}${param},`;
  const generic = /^([^<]+<)(.+)>$/.exec(param);
  if (line.length <= WIDTH || !generic) return [line];
  const args = topLevelArgs(generic[2] as string);
  return [`${pad(1)}${generic[1]}`, ...args.map((a, i) => `${pad(2)}${a}${i < args.length - 1 ? "," : ""}`), `${pad(1)}>,`];
}

/** Splits `A, B<C, D>, E` at its top-level commas. */
function topLevelArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "<" || ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ">" || ch === ")" || ch === "]" || ch === "}") depth--;
    else if (ch === "," && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}

function returnLines(ret: string | GenericRef): string[] {
  const last = `): ${refText(ret)} {`;
  if (last.length <= WIDTH || typeof ret === "string") return [last];
  return [`): ${ret.name}<`, ...typeArgs(1, ret.args), "> {"];
}

/**
 * When `line` (a declaration's head, `name<T = D> =`) is too long and has type parameters:
 * `name<` and one parameter per line, to be closed by the caller's `> …`.
 */
function brokenTypeParams(line: string): string[] | undefined {
  const generic = /^(.*?)<(.+)> =$/.exec(line);
  if (line.length <= WIDTH || !generic) return undefined;
  return [`${generic[1]}<`, ...typeParamLines(generic[2] as string)];
}

/** Type parameters one per line; one too long with a default breaks after its `=` (as Prettier does). */
function typeParamLines(params: string): string[] {
  return params.split(", ").flatMap((t) => {
    const eq = t.indexOf(" = ");
    return `${pad(1)}${t},`.length <= WIDTH || eq < 0 ? [`${pad(1)}${t},`] : [`${pad(1)}${t.slice(0, eq)} =`, `${pad(2)}${t.slice(eq + 3)},`];
  });
}

/** `head<A = B> {` (an interface's first line), its type parameters broken when too long. */
export function typeHead(head: string, open: string): string[] {
  const one = `${head}${open}`;
  const generic = /^(.*?)<(.+)>$/.exec(head);
  if (one.length <= WIDTH || !generic) return [one];
  return [`${generic[1]}<`, ...typeParamLines(generic[2] as string), `>${open}`];
}

/**
 * `head = { readonly [K in keyof T]: (params) => ret; };` — a mapped type alias. When `head = {`
 * is too long, the object type moves below `=`, one level deeper.
 */
export function mappedAlias(head: string, key: string, params: readonly string[], ret: string): string[] {
  const typeParams = brokenTypeParams(`${head} =`);
  if (typeParams) return [...typeParams, "> = {", ...fnTypeLines(1, key, params, ret), "};"];
  const depth = `${head} = {`.length <= WIDTH ? 0 : 1;
  const open = depth === 0 ? [`${head} = {`] : [`${head} =`, `${pad(1)}{`];
  return [...open, ...fnTypeLines(depth + 1, key, params, ret), `${pad(depth)}};`];
}

/**
 * `export type Name = A | B;`: on one line; else the union alone on the next line; else one
 * `| member` per line (Prettier's three layouts).
 */
export function unionAlias(head: string, members: readonly string[]): string[] {
  if (members.length === 0) return [`${head} = never;`];
  if (members.length === 1) return typeAlias(head, members[0] as string);
  const one = `${head} = ${members.join(" | ")};`;
  if (one.length <= WIDTH) return [one];
  return [`${head} =`, ...unionBody(1, members, ";")];
}

/** A broken union's lines at `depth`: all on one line if it fits, else one `| member` per line. */
function unionBody(depth: number, members: readonly string[], suffix: string): string[] {
  const one = `${pad(depth)}${members.join(" | ")}${suffix}`;
  if (one.length <= WIDTH) return [one];
  return members.map((m, i) => `${pad(depth)}| ${m}${i === members.length - 1 ? suffix : ""}`);
}

/** `export type Name = Reference;`, broken after `=` when too long. */
export function typeAlias(head: string, rhs: string): string[] {
  const one = `${head} = ${rhs};`;
  return one.length <= WIDTH ? [one] : [`${head} =`, `${pad(1)}${rhs};`];
}

/**
 * `head = Generic<A, B>;`: on one line; else the arguments one per line; and when even
 * `head = Generic<` is too long, the reference moves to the line after `=`.
 */
export function genericAlias(head: string, generic: string, args: readonly string[]): string[] {
  const one = `${head} = ${generic}<${args.join(", ")}>;`;
  if (one.length <= WIDTH) return [one];
  const params = brokenTypeParams(`${head} =`);
  if (params) {
    const rest = `> = ${generic}<${args.join(", ")}>;`;
    return rest.length <= WIDTH ? [...params, rest] : [...params, `> = ${generic}<`, ...typeArgs(1, args), ">;"];
  }
  if (`${head} = ${generic}<`.length <= WIDTH) return [`${head} = ${generic}<`, ...typeArgs(1, args), ">;"];
  const next = `${pad(1)}${generic}<${args.join(", ")}>;`;
  if (next.length <= WIDTH) return [`${head} =`, next];
  return [`${head} =`, `${pad(1)}${generic}<`, ...typeArgs(2, args), `${pad(1)}>;`];
}

function typeArgs(depth: number, args: readonly string[]): string[] {
  return args.map((a, i) => `${pad(depth)}${a}${i === args.length - 1 ? "" : ","}`);
}

/** An interface member whose type is a union: one line, or one `| member` per line. */
export function unionMember(depth: number, key: string, members: readonly string[]): string[] {
  const one = `${pad(depth)}readonly ${key}: ${members.join(" | ")};`;
  if (one.length <= WIDTH || members.length < 2) return [one];
  return [`${pad(depth)}readonly ${key}:`, ...unionBody(depth + 1, members, ";")];
}

/** An interface `name` mapping each key to a type, with the declaration's doc on each member. */
export function tableInterface(doc: string, name: string, rows: readonly { key: string; doc?: string | undefined; types: readonly string[] }[]): string[] {
  const lines = docComment(doc);
  if (rows.length === 0) return [...lines, `export interface ${name} {}`];
  lines.push(`export interface ${name} {`);
  for (const r of rows) lines.push(...docComment(r.doc).map((l) => pad(1) + l), ...unionMember(1, propertyKey(r.key), r.types));
  lines.push("}");
  return lines;
}
