/**
 * JSON printed the way Prettier prints it: objects expanded (as written), arrays of primitives on
 * one line when they fit, else one item per line; an array of two or more arrays or objects of
 * two or more entries each is always expanded. An expanded object decides nothing, so it is
 * written directly, and so is a value or array whose one flat line fits (what the printer would
 * choose); other arrays the printer lays out. Lines are written as pieces into one array, joined
 * once: no string per line.
 */
import { group, indent, join, line, softline, type Doc } from "./print/doc.js";
import { pad, printDoc, textWidth, WIDTH } from "./print/printer.js";

/** `value` as Prettier prints JSON, with a final newline. */
export function printJson(value: unknown): string {
  const out: string[] = [];
  write(out, value, 0, "", "");
  return out.join("");
}

/** Appends the lines of `prefix` + `value` + `suffix` at `depth`. */
function write(out: string[], value: unknown, depth: number, prefix: string, suffix: string): void {
  if (isObject(value)) {
    // Entries holding undefined are left out, as JSON.stringify leaves them: the last defined one has no comma.
    const keys = Object.keys(value);
    let last = keys.length - 1;
    while (last >= 0 && value[keys[last] as string] === undefined) last--;
    if (last < 0) {
      out.push(pad(depth), prefix, "{}", suffix, "\n");
      return;
    }
    out.push(pad(depth), prefix, "{\n");
    for (let i = 0; i <= last; i++) {
      const v = value[keys[i] as string];
      if (v !== undefined) write(out, v, depth + 1, keyPrefix(keys[i] as string), i < last ? "," : "");
    }
    out.push(pad(depth), "}", suffix, "\n");
  } else if (Array.isArray(value) && value.some(isObject)) {
    // An array holding an expanded object breaks with it.
    out.push(pad(depth), prefix, "[\n");
    for (let i = 0; i < value.length; i++) write(out, value[i], depth + 1, "", i < value.length - 1 ? "," : "");
    out.push(pad(depth), "]", suffix, "\n");
  } else {
    // Most values are short: their one flat line is what the printer would choose.
    const flat = flatJson(value);
    if (flat !== undefined && depth * 2 + textWidth(prefix) + textWidth(flat) + suffix.length <= WIDTH) out.push(pad(depth), prefix, flat, suffix, "\n");
    else out.push(printDoc([prefix, arrayDoc(value), suffix], depth), "\n");
  }
}

/** `"key": `, made once per key: schemas and manifests repeat the same few keys. */
const KEY_PREFIXES = new Map<string, string>();
function keyPrefix(key: string): string {
  let prefix = KEY_PREFIXES.get(key);
  if (prefix === undefined) {
    // Bounded: field names come from models, and a watch process generates many.
    if (KEY_PREFIXES.size > 4096) KEY_PREFIXES.clear();
    prefix = `${JSON.stringify(key)}: `;
    KEY_PREFIXES.set(key, prefix);
  }
  return prefix;
}

/** A primitive or an array of them printed flat; undefined when an array must break (see `arrayDoc`). */
function flatJson(value: unknown): string | undefined {
  if (!Array.isArray(value)) return primitiveJson(value);
  if (value.length > 1 && value.every((v) => Array.isArray(v) && v.length > 1)) return undefined;
  const items: string[] = [];
  for (const v of value) {
    const item = flatJson(v);
    if (item === undefined) return undefined;
    items.push(item);
  }
  return `[${items.join(", ")}]`;
}

/** A primitive as JSON: the common strings (nothing to escape) and numbers without `JSON.stringify`. */
function primitiveJson(value: unknown): string {
  if (typeof value === "string") {
    for (let i = 0; i < value.length; i++) {
      const code = value.charCodeAt(i);
      // JSON escapes quotes, backslashes, control characters and lone surrogates.
      if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return JSON.stringify(value);
    }
    return `"${value}"`;
  }
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return JSON.stringify(value) ?? "null";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A primitive, or an array of primitives and such arrays. */
function arrayDoc(value: unknown): Doc {
  if (!Array.isArray(value)) return primitiveJson(value);
  if (value.length === 0) return "[]";
  const nested = value.length > 1 && value.every((v) => Array.isArray(v) && v.length > 1);
  return group(["[", indent([softline, join([",", line], value.map(arrayDoc))]), softline, "]"], { shouldBreak: nested });
}
