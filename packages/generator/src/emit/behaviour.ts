/**
 * Shared by the emitters of handler modules (aggregates, services, projections, test helpers):
 * references to the schemas of any context, message tables and the few Prettier shapes these
 * modules print. Every name of a schema comes from `contextSymbols`.
 *
 * The layouts follow Prettier's for declaration names up to 40 characters (tested against
 * Prettier with random names); longer names still give valid code, possibly not as Prettier
 * would break it.
 */
import type { CommandModel, ContextModel, EventModel, FieldModel, Model, Value } from "@eda/language";
import { docComment, identifier, propertyKey, regexLiteral, stringLiteral } from "../escape.js";
import { assignment, pad, WIDTH } from "../layout.js";
import { contextDir } from "../names.js";
import { contextSymbols, type ContextSymbols } from "../symbols.js";
import { objectBlock, schemasAlias } from "./schemas.js";
import { literalExpr, type ExprContext } from "./zod-expr.js";

/** The schema modules a handler module refers to, imported as `<Context>Schemas` namespaces. */
export class SchemaRefs {
  /** Contexts referred to, and whether some reference is a value (not only a type). */
  private readonly used = new Map<string, boolean>();
  private readonly symbols = new Map<string, ContextSymbols>();
  private readonly patterns = new Map<string, string>();

  constructor(
    private readonly model: Model,
    private readonly home: ContextModel,
  ) {}

  private sym(context: string): ContextSymbols {
    let s = this.symbols.get(context);
    if (!s) {
      const c = this.model.contexts.find((x) => x.name === context);
      if (!c) throw new Error(`eda bug: no context ${context}`);
      this.symbols.set(context, (s = contextSymbols(c)));
    }
    return s;
  }

  private qualify(context: string, name: string, value = false): string {
    this.used.set(context, value || this.used.get(context) === true);
    return `${schemasAlias(context)}.${name}`;
  }

  /** The data type of a command, or of an event's current version. */
  data(m: CommandModel | EventModel): string {
    return this.qualify(m.context, this.sym(m.context).decl(m.name));
  }

  /** The `{ type, data }` type of a command or event. */
  message(m: CommandModel | EventModel): string {
    return this.qualify(m.context, this.sym(m.context).message(m.name));
  }

  /** The `{ type, data }` schema of a command or event, used as a value. */
  messageSchema(m: CommandModel | EventModel): string {
    return this.qualify(m.context, this.sym(m.context).message(m.name), true);
  }

  /** Zod expressions for fields declared in the home context (state, rows). */
  readonly expr: ExprContext = {
    ref: (t) => this.qualify(t.decl.context, identifier(t.decl.name), true),
    pattern: (p) => {
      let name = this.patterns.get(p);
      if (!name) this.patterns.set(p, (name = `PATTERN_${this.patterns.size + 1}`));
      return name;
    },
  };

  /** `import * as XSchemas from "…/schemas.js";` lines (`import type` when only types are used), the home context first. */
  imports(): string[] {
    const others = [...this.used.keys()].filter((c) => c !== this.home.name).sort();
    const order = this.used.has(this.home.name) ? [this.home.name, ...others] : others;
    return order.map((c) => {
      const kind = this.used.get(c) ? "import *" : "import type *";
      return `${kind} as ${schemasAlias(c)} from "${c === this.home.name ? "." : `../${contextDir(c)}`}/schemas.js";`;
    });
  }

  /** The `const PATTERN_n = …` lines the field expressions registered. */
  patternLines(): string[] {
    return [...this.patterns].flatMap(([p, name]) => assignment(0, `const ${name}`, regexLiteral(p)));
  }
}

/** The `z.object` schema and type of a state or row, and the imports its expressions need. */
export function recordSchema(refs: SchemaRefs, name: string, doc: string, fields: readonly FieldModel[]): string[] {
  return objectBlock(name, doc, fields, refs.expr);
}

/** Whether some lines use the decimal helpers of `support.ts`. */
export function supportImport(blocks: readonly (readonly string[])[]): string[] {
  const used = (name: string): boolean => blocks.some((b) => b.some((l) => l.includes(name) && new RegExp(`\\b${name}\\b`).test(l)));
  const names = ["DECIMAL", "decimalAtLeast", "decimalAtMost"].filter(used);
  return names.length === 0 ? [] : [`import { ${names.join(", ")} } from "../support.js";`];
}

/** A default value as a TypeScript literal (the JSON the schema would produce). */
export function valueLiteral(v: Value, field: FieldModel): string {
  return literalExpr(v, field.type);
}

/** A property of an object literal: its key (already a property key) and its value. */
export type Entry = readonly [key: string, value: string];

/** The entries of the declared defaults; optional fields without one stay absent. */
export function defaultEntries(fields: readonly FieldModel[]): Entry[] {
  return fields.filter((f) => f.defaultValue !== undefined).map((f) => [propertyKey(f.name), valueLiteral(f.defaultValue as Value, f)]);
}

/** `.name` or `["name"]`. */
export function access(name: string): string {
  return propertyKey(name) === name ? `.${name}` : `[${stringLiteral(name)}]`;
}

/** Text safe inside a template literal. */
export function templateText(text: string): string {
  return text.replace(/[\\`]/g, (c) => `\\${c}`).replace(/\$\{/g, "\\${");
}

/**
 * An expanded object literal: `head{`, one property per line, `}close` (Prettier keeps it
 * expanded). A declaration head (`… = `) too long for the line puts the object below it.
 */
export function objectLines(depth: number, head: string, entries: readonly Entry[], close: string): string[] {
  const first = `${pad(depth)}${head}{${entries.length === 0 ? `}${close}` : ""}`;
  if (head.endsWith(" = ") && first.length > WIDTH) {
    return [`${pad(depth)}${head.trimEnd()}`, ...objectLines(depth + 1, "", entries, close)];
  }
  if (entries.length === 0) return [`${pad(depth)}${head}{}${close}`];
  return [`${pad(depth)}${head}{`, ...entries.flatMap(([key, value]) => propertyLines(depth + 1, key, value)), `${pad(depth)}}${close}`];
}

/** Values Prettier never moves to the line after their key: numbers, booleans, `[]`, bare names. */
const STAYS = /^(\d[\w.+]*|true|false|null|\[\]|[A-Za-z_$][\w$]*)$/;

/**
 * `key: value,` — when too long, the value goes to the next line, except after a key shorter
 * than five characters and for values Prettier keeps in place.
 */
export function propertyLines(depth: number, key: string, value: string): string[] {
  const one = `${pad(depth)}${key}: ${value},`;
  if (one.length <= WIDTH || key.length < 5 || STAYS.test(value)) return [one];
  return [`${pad(depth)}${key}:`, `${pad(depth + 1)}${value},`];
}

/** `head(a, b)suffix` on one line if it fits, else one argument per line. */
export function callLines(depth: number, head: string, args: readonly string[], suffix: string): string[] {
  const one = `${pad(depth)}${head}(${args.join(", ")})${suffix}`;
  if (one.length <= WIDTH || args.length === 0) return [one];
  return [`${pad(depth)}${head}(`, ...args.map((a) => `${pad(depth + 1)}${a},`), `${pad(depth)})${suffix}`];
}

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

/** The relative path of the model-wide module `file` from a context's folder. */
export function fromContext(file: string): string {
  return `../${file}`;
}

/** FNV-1a over a string, as 8 hex digits: a short, stable fingerprint. */
export function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/** The distinct events, in first-seen order. */
export function distinct<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/**
 * The shape of a record as stored (field names, optionality, types, nested types expanded),
 * for snapshot tags: a change of shape gives a new tag, so older snapshots are ignored.
 */
export function shapeOf(fields: readonly FieldModel[], seen: ReadonlySet<string> = new Set()): string {
  return fields.map((f) => `${f.name}${f.optional ? "?" : ""}:${typeShape(f.type, seen)}`).join(",");
}

function typeShape(t: FieldModel["type"], seen: ReadonlySet<string>): string {
  switch (t.kind) {
    case "scalar":
      return t.name;
    case "list":
      return `${typeShape(t.element, seen)}[]`;
    case "map":
      return `map<${typeShape(t.value, seen)}>`;
    case "enum":
      return `${t.decl.qualifiedName}{${t.decl.members.map((m) => m.name).join("|")}}`;
    case "type":
      if (seen.has(t.decl.qualifiedName)) return t.decl.qualifiedName;
      return `${t.decl.qualifiedName}{${shapeOf(t.decl.fields, new Set([...seen, t.decl.qualifiedName]))}}`;
    case "unresolved":
      return "?";
  }
}

/** `import { a, b } from "from";`, one name per line when too long (a single name never breaks). */
export function importLines(head: string, names: readonly string[], from: string): string[] {
  const one = `${head} { ${names.join(", ")} } from ${stringLiteral(from)};`;
  if (one.length <= WIDTH || names.length === 1) return [one];
  return [`${head} {`, ...names.map((n) => `${pad(1)}${n},`), `} from ${stringLiteral(from)};`];
}
