/**
 * JSON printed the way Prettier prints it: objects expanded (as written), arrays of primitives on
 * one line when they fit, else one item per line; an array of two or more arrays or objects of
 * two or more entries each is always expanded. An expanded object decides nothing, so it is
 * written directly, and so is a value or array whose one flat line fits (what the printer would
 * choose); other arrays the printer lays out.
 */
import { group, indent, join, line, softline, type Doc } from "./print/doc.js";
import { pad, printDoc, textWidth, WIDTH } from "./print/printer.js";

export function printJson(value: unknown): string {
  const out: string[] = [];
  write(out, value, 0, "", "");
  return `${out.join("\n")}\n`;
}

/** Appends the lines of `prefix` + `value` + `suffix` at `depth`. */
function write(out: string[], value: unknown, depth: number, prefix: string, suffix: string): void {
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      out.push(`${pad(depth)}${prefix}{}${suffix}`);
      return;
    }
    out.push(`${pad(depth)}${prefix}{`);
    entries.forEach(([k, v], i) => write(out, v, depth + 1, `${JSON.stringify(k)}: `, i < entries.length - 1 ? "," : ""));
    out.push(`${pad(depth)}}${suffix}`);
  } else if (Array.isArray(value) && value.some(isObject)) {
    // An array holding an expanded object breaks with it.
    out.push(`${pad(depth)}${prefix}[`);
    value.forEach((v, i) => write(out, v, depth + 1, "", i < value.length - 1 ? "," : ""));
    out.push(`${pad(depth)}]${suffix}`);
  } else {
    // Most values are short: their one flat line is what the printer would choose.
    const flat = flatJson(value);
    const text = flat === undefined ? undefined : `${pad(depth)}${prefix}${flat}${suffix}`;
    out.push(text !== undefined && textWidth(text) <= WIDTH ? text : printDoc([prefix, arrayDoc(value), suffix], depth));
  }
}

/** A primitive or an array of them printed flat; undefined when an array must break (see `arrayDoc`). */
function flatJson(value: unknown): string | undefined {
  if (!Array.isArray(value)) return JSON.stringify(value) ?? "null";
  if (value.length > 1 && value.every((v) => Array.isArray(v) && v.length > 1)) return undefined;
  const items: string[] = [];
  for (const v of value) {
    const item = flatJson(v);
    if (item === undefined) return undefined;
    items.push(item);
  }
  return `[${items.join(", ")}]`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A primitive, or an array of primitives and such arrays. */
function arrayDoc(value: unknown): Doc {
  if (!Array.isArray(value)) return JSON.stringify(value) ?? "null";
  if (value.length === 0) return "[]";
  const nested = value.length > 1 && value.every((v) => Array.isArray(v) && v.length > 1);
  return group(["[", indent([softline, join([",", line], value.map(arrayDoc))]), softline, "]"], { shouldBreak: nested });
}
