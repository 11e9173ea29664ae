/** Printing of AST fragments that have no comments inside: types, literals, fields, sends. */
import { pathText, type Decorator, type Field, type Literal, type MappingEntry, type Send, type TypeRef } from "../ast/nodes.js";

export function printType(t: TypeRef): string {
  if (t.kind === "ListTypeRef") return `${printType(t.element)}[]`;
  const name = pathText(t.name);
  return t.args.length > 0 ? `${name}<${t.args.map(printType).join(", ")}>` : name;
}

export function printLiteral(l: Literal): string {
  const v = l.value;
  switch (v.type) {
    case "number":
    case "string":
    case "duration":
      return v.text;
    case "bool":
      return String(v.value);
    case "emptyList":
      return "[]";
    case "emptyObject":
      return "{}";
    case "path":
      return pathText(v.path);
  }
}

export function printDecorator(d: Decorator): string {
  return d.args.length > 0 ? `@${d.name.name}(${d.args.map(printLiteral).join(", ")})` : `@${d.name.name}`;
}

/** `name?: Type = default @decorators` */
export function printField(f: Field): string {
  let s = `${f.name.name}${f.optional ? "?" : ""}: ${printType(f.type)}`;
  if (f.defaultValue) s += ` = ${printLiteral(f.defaultValue)}`;
  for (const d of f.decorators) s += ` ${printDecorator(d)}`;
  return s;
}

function printMappingEntry(e: MappingEntry): string {
  return `${e.target.name} = ${e.source.kind === "literal" ? printLiteral(e.source.literal) : pathText(e.source.path)}`;
}

/** `Command { a = b, c = "x" }` */
export function printSend(s: Send): string {
  const cmd = pathText(s.command);
  if (!s.mapping) return cmd;
  if (s.mapping.length === 0) return `${cmd} {}`;
  return `${cmd} { ${s.mapping.map(printMappingEntry).join(", ")} }`;
}
