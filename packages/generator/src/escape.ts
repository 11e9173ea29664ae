/**
 * One escaping function per context a model string can reach in generated code. Every name,
 * string, pattern and doc comment passes through exactly one of these.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const SAFE_STRING = /^[\x20\x21\x23-\x26\x28-\x5b\x5d-\x7e]*$/;

/**
 * The bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069): invisible, they
 * make the rest of a line display in another order than it reads ("Trojan Source"), so a model's
 * text must not carry them raw into code a reviewer reads. Strings write them as escapes, comments
 * as visible `\u202e` text.
 */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** `\u202e` for U+202E: the escape of a code unit, as text. */
function unitEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** `isBidiControl(0x202e)`: whether a code point is one of BIDI_CONTROL. */
function isBidiControl(code: number): boolean {
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

/** A TypeScript identifier. Names come from the lexer's identifier pattern; anything else is a bug. */
export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`eda bug: ${JSON.stringify(name)} is not an identifier`);
  return name;
}

/**
 * A string literal that evaluates to exactly `value`: double-quoted, unless the value holds more
 * `"` than `'` (then single-quoted, as Prettier prefers the quote that needs fewer escapes).
 */
export function stringLiteral(value: string): string {
  // The common case: printable ASCII without quotes or backslashes needs no escaping.
  if (SAFE_STRING.test(value)) return `"${value}"`;
  const doubles = value.split('"').length - 1;
  const singles = value.split("'").length - 1;
  const q = doubles > singles ? "'" : '"';
  let out = q;
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === q) out += `\\${q}`;
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029 || (code >= 0xd800 && code <= 0xdfff) || isBidiControl(code)) {
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += ch;
  }
  return out + q;
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) && name !== "__proto__" ? name : stringLiteral(name);
}

/** A regular expression built from a pattern string: `new RegExp("…", "u")` needs no `/` escaping. */
export function regexLiteral(pattern: string): string {
  return `new RegExp(${stringLiteral(pattern)}, "u")`;
}

/** Every line terminator JavaScript knows: each ends a `//` comment. */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/;
const LINE_BREAK_ANY = /[\n\r\u2028\u2029]/;

/**
 * The lines of a JSDoc comment (without indentation), or none for no text. Body and tags alike:
 * each line break of any kind starts a new ` * ` line, `*\/` cannot end the comment early, and
 * trailing spaces are trimmed so formatters leave it alone.
 */
export function docComment(text: string | undefined, tags: readonly string[] = []): string[] {
  if (text === undefined && tags.length === 0) return [];
  const all: string[] = [];
  pushLines(all, text ?? "");
  while (all.length > 0 && all[all.length - 1] === "") all.pop();
  for (const tag of tags) pushLines(all, tag);
  if (all.length === 0) return [];
  if (all.length === 1) return [`/** ${all[0]} */`];
  const out = ["/**"];
  for (const l of all) out.push(l === "" ? " *" : ` * ${l}`);
  out.push(" */");
  return out;
}

/**
 * A line safe inside a JSDoc comment, bidirectional controls shown as their escapes: trimEnd
 * removes what `\s` matches; it and the `*\/` test spare a regular expression per line.
 */
function safe(l: string): string {
  const shown = BIDI_CONTROL.test(l) ? l.replace(BIDI_CONTROLS, unitEscape) : l;
  return (shown.includes("*/") ? shown.replace(/\*\//g, "*\\/") : shown).trimEnd();
}

/** The lines of `value`, each safe inside a JSDoc comment, pushed onto `out`. */
function pushLines(out: string[], value: string): void {
  // Most texts are one line: no split.
  if (!LINE_BREAK_ANY.test(value)) {
    out.push(safe(value));
    return;
  }
  for (const l of value.split(LINE_BREAK)) out.push(safe(l));
}

/**
 * What a line comment cannot hold raw: C0 and C1 controls (YAML, as Prometheus's parser reads it,
 * ends a line at NEL, U+0085, as at U+2028/2029, and refuses the other C1 controls), the line and
 * paragraph separators, bidirectional controls, the noncharacters U+FFFE/FFFF (YAML refuses them)
 * and lone surrogates (UTF-8 cannot hold them).
 */
const COMMENT_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text for a line comment (`//`, YAML's `#`): each line terminator (of JavaScript's and of
 * YAML's), other control character, bidirectional control, noncharacter and lone surrogate is
 * written as its escape (`\n`, `\u0085`, `\u2028`, `\u202e`), so the comment ends where it
 * should, parses, and reads as it is.
 */
export function lineCommentText(text: string): string {
  return text.replace(COMMENT_UNSAFE, (ch) => {
    if (ch === "\n") return "\\n";
    if (ch === "\r") return "\\r";
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/**
 * Text for a Mermaid `%%` comment: a line comment's, and `%` as `\u0025`, because Mermaid reads a
 * `%%{…}%%` anywhere in a diagram's text, comments included, as a directive that configures it.
 */
export function mermaidCommentText(text: string): string {
  const line = lineCommentText(text);
  return line.includes("%") ? line.replace(/%/g, "\\u0025") : line;
}

/**
 * Text for a comment whose syntax eda does not know (a user template's `generatedBy`, placed in
 * `<!-- … -->`, `# …`, `/* … *\/`, `%% …`, `// …` or a JSON `"$comment"`): a Mermaid comment's,
 * and `"`, `\`, `<`, `>` and the `/` of `*\/` as `\u` escapes, so no comment of those syntaxes
 * ends early (`-->`, `--!>`, `*\/`), none becomes a Mermaid directive, and a JSON string holding
 * it stays one and reads back as the text.
 */
export function anyCommentText(text: string): string {
  const quoted = /["\\<>]|\*\//.test(text) ? text.replace(/["\\<>]|(?<=\*)\//g, unitEscape) : text;
  return mermaidCommentText(quoted);
}

/**
 * A JSON value embedded in TypeScript (JSON is valid TS except for U+2028/2029 in old engines),
 * bidirectional controls escaped as in string literals.
 */
export function jsonLiteral(value: unknown): string {
  // JSON has no negative zero (it writes 0); TypeScript has, and a model's `-0` is kept.
  if (Object.is(value, -0)) return "-0";
  return (jsonString(value) ?? "undefined").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * `JSON.stringify(value)` with bidirectional controls as `\u202e` escapes: JSON (in a `.json`
 * file, a YAML double-quoted scalar, TypeScript) that reads as it parses. Undefined as for
 * `JSON.stringify`.
 */
export function jsonString(value: unknown): string | undefined {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) return undefined;
  return BIDI_CONTROL.test(text) ? text.replace(BIDI_CONTROLS, unitEscape) : text;
}
