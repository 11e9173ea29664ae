/**
 * JSON printed the way Prettier prints it: objects expanded (as written), arrays of primitives on
 * one line when they fit, else one item per line; an array of two or more arrays or objects of
 * two or more entries each is always expanded. An expanded object decides nothing, so it is
 * written directly, and so is a value or array whose one flat line fits (what the printer would
 * choose); other arrays the printer lays out. `writeJson` writes the same layout line by line for
 * the values schemas and manifests hold, into a caller's lines (`test/line-writers.test.ts`
 * holds it to `printJson`).
 */
import { jsonString } from "./escape.js";
import { group, indent, join, line, softline, type Doc } from "./print/doc.js";
import { pad, printDoc, textWidth, WIDTH } from "./print/printer.js";

/** `value` as Prettier prints JSON, with a final newline. */
export function printJson(value: unknown): string {
  const out: string[] = [];
  write(out, value, 0, undefined, false);
  return `${out.join("\n")}\n`;
}

/**
 * Appends the lines of `value` at `depth`: after its key (none for an array's item), followed by
 * a comma when `comma`. A line starts with its indentation and key, made once per key and depth.
 */
function write(out: string[], value: unknown, depth: number, key: Key | undefined, comma: boolean): void {
  const head = key === undefined ? pad(depth) : (key.heads[depth] ??= pad(depth) + key.prefix);
  if (isObject(value)) {
    // Entries holding undefined are left out, as JSON.stringify leaves them: the last defined one has no comma.
    const keys = Object.keys(value);
    let last = keys.length - 1;
    while (last >= 0 && value[keys[last] as string] === undefined) last--;
    if (last < 0) {
      out.push(head + (comma ? "{}," : "{}"));
      return;
    }
    out.push(`${head}{`);
    for (let i = 0; i <= last; i++) {
      const v = value[keys[i] as string];
      if (v !== undefined) write(out, v, depth + 1, keyOf(keys[i] as string), i < last);
    }
    out.push(comma ? `${pad(depth)}},` : `${pad(depth)}}`);
  } else if (Array.isArray(value) && value.some(isObject)) {
    // An array holding an expanded object breaks with it.
    out.push(`${head}[`);
    for (let i = 0; i < value.length; i++) write(out, value[i], depth + 1, undefined, i < value.length - 1);
    out.push(comma ? `${pad(depth)}],` : `${pad(depth)}]`);
  } else {
    // Most values are short: their one flat line is what the printer would choose.
    const flat = flatJson(value);
    const width = depth * 2 + (key === undefined ? 0 : key.width) + (comma ? 1 : 0);
    if (flat !== undefined && width + textWidth(flat) <= WIDTH) out.push(comma ? `${head}${flat},` : head + flat);
    else out.push(printDoc([key === undefined ? "" : key.prefix, arrayDoc(value), comma ? "," : ""], depth));
  }
}

/** A key as its lines start: `"key": `, its width, and its lines' starts by depth (indentation included). */
interface Key {
  readonly prefix: string;
  readonly width: number;
  readonly heads: string[];
}

/** Keys, made once each: schemas and manifests repeat the same few keys. */
const KEYS = new Map<string, Key>();
function keyOf(name: string): Key {
  let key = KEYS.get(name);
  if (key === undefined) {
    // Bounded: field names come from models, and a watch process generates many.
    if (KEYS.size > 4096) KEYS.clear();
    const prefix = `${jsonString(name) as string}: `;
    key = { prefix, width: textWidth(prefix), heads: [] };
    KEYS.set(name, key);
  }
  return key;
}

/** A primitive or an array of them printed flat; undefined when an array must break (see `arrayDoc`). */
function flatJson(value: unknown): string | undefined {
  if (!Array.isArray(value)) return jsonString(value) ?? "null";
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
  if (!Array.isArray(value)) return jsonString(value) ?? "null";
  if (value.length === 0) return "[]";
  const nested = value.length > 1 && value.every((v) => Array.isArray(v) && v.length > 1);
  return group(["[", indent([softline, join([",", line], value.map(arrayDoc))]), softline, "]"], { shouldBreak: nested });
}

// The JSON line writer: `printJson`'s layout for the values JSON Schemas and manifests hold,
// written into a caller's lines, where a schema document places cached `$defs` entries.

/**
 * `printJson(value)` for the values schemas and manifests hold, or undefined for another value.
 * It spares `printJson`'s width checks where nothing can break.
 */
export function jsonText(value: unknown): string | undefined {
  const out: string[] = [];
  return writeJson(out, value, 0, "", "") ? `${out.join("\n")}\n` : undefined;
}

/**
 * Appends the lines of `prefix` + `value` + `suffix` at `depth` as `printJson` writes them, for
 * the values schemas hold: objects (always expanded), primitives (never broken), arrays of
 * objects (expanded) and arrays of primitives (on one line when it fits, else one item per
 * line). False for an array of arrays, which only `printJson` lays out.
 */
export function writeJson(out: string[], value: unknown, depth: number, prefix: string, suffix: string): boolean {
  if (value === null || typeof value !== "object") {
    out.push(`${pad(depth)}${prefix}${jsonString(value) ?? "null"}${suffix}`);
    return true;
  }
  if (Array.isArray(value)) return writeArray(out, value, depth, prefix, suffix);
  const object = value as Record<string, unknown>;
  if (!hasDefined(object)) {
    out.push(`${pad(depth)}${prefix}{}${suffix}`);
    return true;
  }
  out.push(`${pad(depth)}${prefix}{`);
  if (!writeEntries(out, object, depth + 1, false)) return false;
  out.push(`${pad(depth)}}${suffix}`);
  return true;
}

function hasDefined(object: Record<string, unknown>): boolean {
  for (const key in object) if (object[key] !== undefined) return true;
  return false;
}

/**
 * Appends an object's entries at `depth`, a comma after each but the last (after the last too
 * when `more` entries follow). Entries holding undefined are left out, as JSON.stringify leaves them.
 */
export function writeEntries(out: string[], object: Record<string, unknown>, depth: number, more: boolean): boolean {
  const keys = Object.keys(object);
  let last = keys.length - 1;
  while (last >= 0 && object[keys[last] as string] === undefined) last--;
  for (let i = 0; i <= last; i++) {
    const v = object[keys[i] as string];
    if (v !== undefined && !writeJson(out, v, depth, keyPrefix(keys[i] as string), i < last || more ? "," : "")) return false;
  }
  return true;
}

function writeArray(out: string[], value: readonly unknown[], depth: number, prefix: string, suffix: string): boolean {
  if (value.some(isObject)) {
    // An array holding an expanded object breaks with it.
    out.push(`${pad(depth)}${prefix}[`);
    for (let i = 0; i < value.length; i++) if (!writeJson(out, value[i], depth + 1, "", i < value.length - 1 ? "," : "")) return false;
    out.push(`${pad(depth)}]${suffix}`);
    return true;
  }
  const items: string[] = [];
  for (const v of value) {
    if (v !== null && typeof v === "object") return false;
    items.push(jsonString(v) ?? "null");
  }
  const flat = `${pad(depth)}${prefix}[${items.join(", ")}]${suffix}`;
  if (items.length === 0 || textWidth(flat) <= WIDTH) out.push(flat);
  else out.push(`${pad(depth)}${prefix}[`, `${pad(depth + 1)}${items.join(`,\n${pad(depth + 1)}`)}`, `${pad(depth)}]${suffix}`);
  return true;
}

/**
 * Appends `prefix` + an array of objects (always expanded, as `writeJson` writes it) + `suffix`
 * at `depth`, its items made group by group (a context's, say) by `items`: each group's lines
 * are joined as soon as written, so a model-wide manifest keeps one string per group alive
 * while it is built, not every item and line. False where `writeJson` is.
 */
export function writeObjectArray<T>(out: string[], depth: number, prefix: string, groups: readonly T[], items: (group: T) => readonly object[], suffix: string): boolean {
  // A group's last item takes a comma unless no later group has items: each group waits for the next.
  let held: readonly object[] = [];
  const flush = (last: boolean): boolean => {
    const lines: string[] = [];
    for (let i = 0; i < held.length; i++) if (!writeJson(lines, held[i], depth + 1, "", last && i === held.length - 1 ? "" : ",")) return false;
    out.push(lines.join("\n"));
    return true;
  };
  for (const group of groups) {
    const next = items(group);
    if (next.length === 0) continue;
    if (held.length === 0) out.push(`${pad(depth)}${prefix}[`);
    else if (!flush(false)) return false;
    held = next;
  }
  if (held.length === 0) out.push(`${pad(depth)}${prefix}[]${suffix}`);
  else {
    if (!flush(true)) return false;
    out.push(`${pad(depth)}]${suffix}`);
  }
  return true;
}

/** `"key": `, made once per key (shared with `printJson`): schemas repeat the same few keys. */
export function keyPrefix(key: string): string {
  return keyOf(key).prefix;
}
