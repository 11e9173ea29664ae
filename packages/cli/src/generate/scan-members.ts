/**
 * A light scan of a handler file, so that `eda generate` loads TypeScript (ts-morph, ~10 MB) only
 * when a file really lacks a handler. It tokenises the text (comments, strings, template literals
 * and regular expressions skipped) and reads the keys of each container's object literal in the
 * plain shape scaffolds have: `const <variable> = define…<…>({ key: …, key(…) { … }, … })`, down
 * a path of `key: { … }`. Anything else — a type annotation, `as`, a spread, a computed or
 * escaped key, a container it cannot find — makes it unsure, and the caller falls back to
 * ts-morph, which then decides (and explains) as it always did. It never edits.
 */
import type { ScaffoldContainer } from "@eda/generator";

/**
 * For a file the light scan can read that lacks no member: the members it has that the model
 * lost (as `insertMissingMembers` names them). Undefined when ts-morph must look.
 */
export function completeFileStale(text: string, containers: readonly ScaffoldContainer[]): string[] | undefined {
  const present = scanPresentKeys(text, containers);
  if (present === undefined) return undefined;
  const stale: string[] = [];
  // In the order insertMissingMembers reports them: parents first.
  const order = [...containers.keys()].sort((a, b) => (containers[a] as ScaffoldContainer).path.length - (containers[b] as ScaffoldContainer).path.length);
  for (const i of order) {
    const container = containers[i] as ScaffoldContainer;
    const keys = present[i] as ReadonlySet<string>;
    const wanted = new Set(container.members.map((m) => m.key));
    if ([...wanted].some((key) => !keys.has(key))) return undefined;
    const label = containerLabel(container);
    for (const key of keys) if (!wanted.has(key)) stale.push(`${label}.${key}`);
  }
  return stale;
}

/** The keys present in each container (in the order given), or undefined when the scan is unsure. */
export function scanPresentKeys(text: string, containers: readonly ScaffoldContainer[]): ReadonlySet<string>[] | undefined {
  const tokens = tokenize(text);
  if (tokens === undefined) return undefined;
  const result: Set<string>[] = [];
  for (const container of containers) {
    const keys = containerKeys(tokens, container);
    if (keys === undefined) return undefined;
    result.push(keys);
  }
  return result;
}

/** Each container's label in messages: its path (`decide`), or its variable at the top. */
export function containerLabel(container: ScaffoldContainer): string {
  return container.path.length > 0 ? container.path.join(".") : container.variable;
}

/** A token: punctuation or an identifier as its text; a string literal as `"` + its value. */
type Token = string;

const PUNCTUATION = ["...", "=>", "{", "}", "(", ")", "[", "]", ",", ":", ";", "<", ">", "="];
/** Tokens after which a `/` starts a regular expression rather than dividing. */
const BEFORE_REGEX = new Set(["(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%", "<", ">", "~", "^", "=>", "return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await"]);
const IDENTIFIER = /[A-Za-z_$][\w$]*/y;
const WHOLE_IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const NUMBER = /\d[\w.]*/y;

/** The file's tokens, or undefined for text it does not follow (unbalanced, unterminated). */
function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  // The open brackets, innermost last; `${` for a template's (its `}` resumes the template).
  const braces: string[] = [];
  let i = 0;
  const template = (): boolean => {
    // At the character after a backtick or a `${…}`: skips to the closing backtick or the next `${`.
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === "\\") i++;
      else if (c === "`") {
        i++;
        tokens.push("`");
        return true;
      } else if (c === "$" && text[i + 1] === "{") {
        i += 2;
        braces.push("${");
        return true;
      }
    }
    return false;
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) i++;
    else if (text.startsWith("//", i)) i = lineEnd(text, i);
    else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (c === '"' || c === "'") {
      const end = stringEnd(text, i);
      if (end < 0) return undefined;
      const body = text.slice(i + 1, end);
      // An escape would need decoding to compare keys: ts-morph decides those.
      tokens.push(body.includes("\\") ? "\\" : `"${body}`);
      i = end + 1;
    } else if (c === "`") {
      i++;
      if (!template()) return undefined;
    } else if (c === "/" && BEFORE_REGEX.has(tokens.at(-1) ?? ";")) {
      const end = regexEnd(text, i);
      if (end < 0) return undefined;
      tokens.push("/re/");
      i = end;
    } else if (c === "}" && braces.at(-1) === "${") {
      braces.pop();
      i++;
      if (!template()) return undefined;
    } else {
      const word = match(IDENTIFIER, text, i) ?? match(NUMBER, text, i);
      const token = word ?? PUNCTUATION.find((p) => text.startsWith(p, i)) ?? c;
      if (OPEN.has(token)) braces.push(token);
      else if ((token === "}" || token === ")" || token === "]") && OPEN.get(braces.pop() ?? "") !== token) return undefined;
      tokens.push(/^\d/.test(token) ? "0" : token);
      i += token.length;
    }
  }
  return braces.length === 0 ? tokens : undefined;
}

function match(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

function lineEnd(text: string, from: number): number {
  LINE_BREAK.lastIndex = from;
  return LINE_BREAK.exec(text)?.index ?? text.length;
}

const LINE_BREAK = /[\n\r\u2028\u2029]/g;

/** The offset of the quote that closes the string opening at `from`, or -1. */
function stringEnd(text: string, from: number): number {
  const quote = text[from];
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === quote) return i;
    else if (c === "\n" || c === "\r") return -1;
  }
  return -1;
}

/** The offset after the regular expression (and its flags) opening at `from`, or -1. */
function regexEnd(text: string, from: number): number {
  let inClass = false;
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++;
    else if (c === "\n" || c === "\r") return -1;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "/") return (match(/[a-z]*/y, text, i + 1) ?? "").length + i + 1;
  }
  return -1;
}

/** Each opening bracket and its closing one. */
const OPEN = new Map([["{", "}"], ["(", ")"], ["[", "]"]]);

/** The index after the bracket that closes the one at `at`. */
function skipGroup(tokens: readonly Token[], at: number): number {
  let depth = 0;
  for (let i = at; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (OPEN.has(t)) depth++;
    else if (t === "}" || t === ")" || t === "]") depth--;
    if (depth === 0) return i + 1;
  }
  return tokens.length;
}

/** The keys of a container's object literal, or undefined when it is not plainly there. */
function containerKeys(tokens: readonly Token[], container: ScaffoldContainer): Set<string> | undefined {
  let object = topObject(tokens, container.variable);
  for (const step of container.path) {
    if (object === undefined) return undefined;
    const property = properties(tokens, object).find((p) => p.key === step);
    if (property === undefined || tokens[property.value] !== "{") return undefined;
    object = property.value;
  }
  if (object === undefined) return undefined;
  const found = properties(tokens, object);
  if (found.some((p) => p.key === undefined)) return undefined;
  return new Set(found.map((p) => p.key as string));
}

/** The index of the `{` of `const <variable> = define…<…>({`, when the file has exactly one. */
function topObject(tokens: readonly Token[], variable: string): number | undefined {
  const found: number[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (OPEN.has(t)) depth++;
    else if (t === "}" || t === ")" || t === "]") depth--;
    else if (depth === 0 && t === variable && ["const", "let", "var"].includes(tokens[i - 1] ?? "")) found.push(i);
  }
  if (found.length !== 1 || tokens[(found[0] as number) + 1] !== "=") return undefined;
  let i = (found[0] as number) + 2;
  if (tokens[i] === "{") return i;
  if (!WHOLE_IDENTIFIER.test(tokens[i] ?? "")) return undefined;
  i++;
  while (tokens[i] === "." && /^[A-Za-z_$]/.test(tokens[i + 1] ?? "")) i += 2;
  if (tokens[i] === "<") i = skipTypeArguments(tokens, i);
  return tokens[i] === "(" && tokens[i + 1] === "{" ? i + 1 : undefined;
}

function skipTypeArguments(tokens: readonly Token[], at: number): number {
  let depth = 0;
  for (let i = at; i < tokens.length; i++) {
    const t = tokens[i] as string;
    if (t === "<") depth++;
    else if (t === ">") depth--;
    else if (t === ";" || t === "=") return tokens.length;
    if (depth === 0) return i + 1;
  }
  return tokens.length;
}

/** A property of an object literal: its key (undefined when only ts-morph can tell) and where its value starts. */
interface Property {
  readonly key: string | undefined;
  readonly value: number;
}

/** The properties of the object literal whose `{` is at `open`. */
function properties(tokens: readonly Token[], open: number): Property[] {
  const found: Property[] = [];
  let i = open + 1;
  while (i < tokens.length && tokens[i] !== "}") {
    const start = i;
    while (["async", "get", "set", "*"].includes(tokens[i] as string) && !["(", ":", ",", "}", "<"].includes(tokens[i + 1] as string)) i++;
    const key = propertyKey(tokens[i] as string);
    const after = tokens[i + 1];
    const plain = key !== undefined && (after === ":" || after === "(" || after === "<" || ((after === "," || after === "}") && i === start && WHOLE_IDENTIFIER.test(key)));
    found.push({ key: plain ? key : undefined, value: after === ":" ? i + 2 : i + 1 });
    // To the comma that ends the property, over any brackets in its value.
    while (i < tokens.length && tokens[i] !== "," && tokens[i] !== "}") i = OPEN.has(tokens[i] as string) ? skipGroup(tokens, i) : i + 1;
    if (tokens[i] === ",") i++;
  }
  return found;
}

function propertyKey(token: string): string | undefined {
  if (token.startsWith('"')) return token.slice(1);
  return WHOLE_IDENTIFIER.test(token) ? token : undefined;
}
