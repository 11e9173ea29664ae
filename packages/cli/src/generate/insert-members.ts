/**
 * Adds missing handlers to a handler file the user owns. ts-morph finds each container (the
 * object literal of `export const <variable> = define…({ … })`, down a path of properties); the
 * edit itself is a splice of text at the end of that literal, in the file's indentation and line
 * ends, so every other byte stays as it was. Containers are handled parents first; one nested in a
 * member that was just added whole needs nothing more. This module loads TypeScript: import it
 * lazily.
 */
import type { ScaffoldContainer, ScaffoldMember } from "@eda/generator";
import { containerLabel } from "./scan-members.js";
import { Node, Project, SyntaxKind, ts, type ObjectLiteralExpression, type SourceFile } from "ts-morph";

/**
 * A container eda could not work on: not found (`members` is empty: nothing in it was checked),
 * or found but unsafe to add to (`members` are the missing ones, for the user to add by hand).
 */
export interface UnplacedMembers {
  /** `decide`, or the variable's name for a container at the top. */
  readonly container: string;
  readonly members: readonly string[];
  readonly reason: string;
}

/** What {@link insertMissingMembers} did to a file. */
export interface MemberEdit {
  /** The new text (the same string when nothing was added). */
  readonly text: string;
  /** Qualified names of the members added: `decide.CancelOrder`. */
  readonly added: readonly string[];
  /** Qualified names of members in the file that the model no longer has (left in place). */
  readonly stale: readonly string[];
  readonly unplaced: readonly UnplacedMembers[];
}

interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

let project: Project | undefined;

/** Adds the members of `containers` that `text` (a TypeScript file) lacks. Pure: no file system. */
export function insertMissingMembers(text: string, containers: readonly ScaffoldContainer[]): MemberEdit {
  // TypeScript's offsets do not count a byte order mark: the edit is made without it, then it is put back.
  if (text.startsWith("\uFEFF")) {
    const edit = insertMissingMembers(text.slice(1), containers);
    return { ...edit, text: `\uFEFF${edit.text}` };
  }
  const file = parse(text);
  // A file that does not parse is not edited, nor read for what it lacks: its tree may hold a
  // container anywhere (or swallow one), and the user is in the middle of writing it.
  const broken = syntaxError(file, text);
  if (broken !== undefined) {
    const variables = [...new Set(containers.map((c) => c.variable))];
    return { text, added: [], stale: [], unplaced: variables.map((variable) => ({ container: variable, members: [], reason: broken })) };
  }
  const splices: Splice[] = [];
  const added: string[] = [];
  const stale: string[] = [];
  const unplaced: UnplacedMembers[] = [];
  const style = fileStyle(text);
  // A member added whole brings the containers nested in it along: those need no work of their own.
  const addedWhole = new Set<string>();
  // Below a container that cannot be found, nothing can be: it is reported once, at the top.
  const lost = new Set<string>();
  const ordered = [...containers].sort((a, b) => a.path.length - b.path.length);
  for (const container of ordered) {
    if (hasPrefixIn(addedWhole, container, 1) || hasPrefixIn(lost, container, 0)) continue;
    const label = containerLabel(container);
    const found = findContainer(file, container);
    if (typeof found === "string") {
      lost.add(pathKey(container.variable, container.path));
      unplaced.push({ container: label, members: [], reason: found });
      continue;
    }
    const present = presentKeys(found);
    const wanted = new Set(container.members.map((m) => m.key));
    for (const key of present.keys) if (!wanted.has(key)) stale.push(`${label}.${key}`);
    const missing = container.members.filter((m) => !present.keys.has(m.key));
    if (missing.length === 0) continue;
    if (present.spread) {
      const reason = "its object spreads another one, which may already hold them";
      unplaced.push({ container: label, members: missing.map((m) => `${label}.${m.key}`), reason });
      continue;
    }
    splices.push(...insertion(text, found, missing, style));
    added.push(...missing.map((m) => `${label}.${m.key}`));
    for (const m of missing) addedWhole.add(pathKey(container.variable, [...container.path, m.key]));
  }
  if (splices.length === 0) return { text, added, stale, unplaced };
  const edited = applySplices(text, splices);
  verify(edited, containers);
  return { text: edited, added, stale, unplaced };
}

function pathKey(variable: string, path: readonly string[]): string {
  return [variable, ...path].join("\u0000");
}

/** True when `set` holds the container's path cut to some length from `min` up to its own. */
function hasPrefixIn(set: ReadonlySet<string>, container: ScaffoldContainer, min: number): boolean {
  for (let length = min; length <= container.path.length; length++) {
    if (set.has(pathKey(container.variable, container.path.slice(0, length)))) return true;
  }
  return false;
}


function parse(text: string): SourceFile {
  project ??= new Project({ useInMemoryFileSystem: true, skipFileDependencyResolution: true, skipLoadingLibFiles: true });
  return project.createSourceFile("/handler.ts", text, { overwrite: true });
}

/** The container's object literal, or why it cannot be found. */
function findContainer(file: SourceFile, container: ScaffoldContainer): ObjectLiteralExpression | string {
  const declaration = file.getVariableDeclaration(container.variable);
  if (!declaration) return `the file has no \`const ${container.variable}\``;
  const init = unwrap(declaration.getInitializer());
  const top = Node.isCallExpression(init) ? unwrap(init.getArguments()[0]) : init;
  if (!Node.isObjectLiteralExpression(top)) {
    return `\`${container.variable}\` is not initialised with \`define…({ … })\``;
  }
  let object: ObjectLiteralExpression = top;
  for (const [depth, step] of container.path.entries()) {
    const property: Node | undefined = object.getProperties().find((p) => propertyKey(p) === step);
    const value = Node.isPropertyAssignment(property) ? unwrap(property.getInitializer()) : undefined;
    if (!Node.isObjectLiteralExpression(value)) {
      const where = [container.variable, ...container.path.slice(0, depth + 1)].join(".");
      return property ? `\`${where}\` is not an object literal` : `the file has no \`${where}\``;
    }
    object = value;
  }
  return object;
}

/** Looks through `x as T`, `x satisfies T`, `(x)` and `x!`. */
function unwrap(node: Node | undefined): Node | undefined {
  while (
    Node.isAsExpression(node) ||
    Node.isSatisfiesExpression(node) ||
    Node.isParenthesizedExpression(node) ||
    Node.isNonNullExpression(node) ||
    Node.isTypeAssertion(node)
  ) {
    node = node.getExpression();
  }
  return node;
}

function presentKeys(object: ObjectLiteralExpression): { keys: Set<string>; spread: boolean } {
  const keys = new Set<string>();
  let spread = false;
  for (const property of object.getProperties()) {
    if (Node.isSpreadAssignment(property)) spread = true;
    const key = propertyKey(property);
    if (key !== undefined) keys.add(key);
  }
  return { keys, spread };
}

/** A property's name as the object sees it: `a`, `"a"` and `["a"]` all name `a`. */
function propertyKey(property: Node): string | undefined {
  if (
    !Node.isPropertyAssignment(property) &&
    !Node.isMethodDeclaration(property) &&
    !Node.isShorthandPropertyAssignment(property) &&
    !Node.isGetAccessorDeclaration(property) &&
    !Node.isSetAccessorDeclaration(property)
  ) {
    return undefined;
  }
  let name: Node = property.getNameNode();
  if (Node.isComputedPropertyName(name)) name = name.getExpression();
  if (Node.isIdentifier(name)) return name.getText();
  if (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name) || Node.isNumericLiteral(name)) {
    return String(name.getLiteralValue());
  }
  return undefined;
}

interface FileStyle {
  readonly eol: string;
  /** One level of indentation, as the file writes it. */
  readonly unit: string;
}

function fileStyle(text: string): FileStyle {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const indented = /^([ \t]+)\S/m.exec(text);
  const lead = indented?.[1] ?? "  ";
  return { eol, unit: lead.startsWith("\t") ? "\t" : lead };
}

/** The splices that append `missing` to `object`, after its last property. */
function insertion(text: string, object: ObjectLiteralExpression, missing: readonly ScaffoldMember[], style: FileStyle): Splice[] {
  const { eol } = style;
  const openIndent = lineIndent(text, object.getStart());
  const properties = object.getProperties();
  const last = properties.at(-1);
  if (!last) {
    // An empty literal (`{}`, or only comments inside): members go on their own lines before `}`.
    const indent = openIndent + style.unit;
    const close = object.getEnd() - 1;
    let start = close;
    while (start > object.getStart() + 1 && /[ \t\r\n]/.test(text.charAt(start - 1))) start--;
    const body = missing.map((m) => `${eol}${indent}${reindent(m.text, indent, style)},`).join("");
    return [{ start, end: close, text: `${body}${eol}${openIndent}` }];
  }
  const ownLine = startsLine(text, last.getStart());
  const indent = ownLine ? lineIndent(text, last.getStart()) : openIndent + style.unit;
  const unit = ownLine && indent.startsWith(openIndent) && indent.length > openIndent.length ? indent.slice(openIndent.length) : style.unit;
  const comma = last.getNextSiblingIfKind(SyntaxKind.CommaToken);
  const trailing = comma !== undefined;
  const after = comma ? comma.getEnd() : last.getEnd();
  const at = endOfLineComments(text, after);
  const body = missing.map((m, i) => `${eol}${indent}${reindent(m.text, indent, { eol, unit })}${trailing || i < missing.length - 1 ? "," : ""}`).join("");
  const splices: Splice[] = [{ start: at, end: at, text: body }];
  if (!trailing) splices.push({ start: last.getEnd(), end: last.getEnd(), text: "," });
  return splices;
}

/**
 * Where to insert after offset `from`: past a comment that ends the line (`a: 1, // note`), so
 * that the comment stays with its member; `from` itself when code follows on the line.
 */
function endOfLineComments(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (text[i] === " " || text[i] === "\t") i++;
    if (text.startsWith("//", i)) {
      while (i < text.length && text[i] !== "\n" && text[i] !== "\r") i++;
      return i;
    }
    if (text.startsWith("/*", i)) {
      const close = text.indexOf("*/", i + 2);
      const newline = text.slice(i, close).search(/[\r\n]/);
      if (close < 0 || newline >= 0) return from;
      i = close + 2;
      continue;
    }
    return text[i] === "\n" || text[i] === "\r" || i >= text.length ? i : from;
  }
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

function lineIndent(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? "";
}

function startsLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
}

/**
 * Indents a member's text (written at column 0, two spaces a level) for its place in the file:
 * every line after the first gets `indent`, and its levels in the file's unit.
 */
function reindent(member: string, indent: string, style: FileStyle): string {
  return member
    .split(/\r?\n/)
    .map((line, i) => {
      if (i === 0) return line;
      if (line.trim() === "") return "";
      const spaces = /^ */.exec(line)?.[0].length ?? 0;
      return `${indent}${style.unit.repeat(Math.floor(spaces / 2))}${" ".repeat(spaces % 2)}${line.slice(spaces)}`;
    })
    .join(style.eol);
}

function applySplices(text: string, splices: readonly Splice[]): string {
  let result = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) result = result.slice(0, s.start) + s.text + result.slice(s.end);
  return result;
}

function syntaxErrors(file: SourceFile): readonly ts.Diagnostic[] {
  return file.getProject().getProgram().getSyntacticDiagnostics(file).map((d) => d.compilerObject);
}

/** Why the file cannot be edited, naming its first syntax error; undefined when it parses. */
function syntaxError(file: SourceFile, text: string): string | undefined {
  const first = syntaxErrors(file)[0];
  if (first === undefined) return undefined;
  const before = text.slice(0, first.start ?? 0).split("\n");
  const where = `line ${before.length}, column ${(before.at(-1) ?? "").length + 1}`;
  const message = ts.flattenDiagnosticMessageText(first.messageText, " ").replace(/\.$/, "");
  return `the file does not parse (${where}: ${message}); fix it and run eda generate again`;
}

/**
 * The edited text must parse, as the original did, and hold every member of every
 * container that was found; otherwise the splice is wrong, a bug, and the file must not be written.
 */
function verify(text: string, containers: readonly ScaffoldContainer[]): void {
  const file = parse(text);
  if (syntaxErrors(file).length > 0) throw new Error("inserting handlers would have broken the file's syntax");
  for (const container of containers) {
    const found = findContainer(file, container);
    if (typeof found === "string") continue;
    const { keys } = presentKeys(found);
    const lost = container.members.filter((m) => !keys.has(m.key));
    if (lost.length > 0) {
      throw new Error(`inserting handlers left ${containerLabel(container)} without ${lost.map((m) => m.key).join(", ")}`);
    }
  }
}
