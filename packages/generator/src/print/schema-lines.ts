/**
 * Zod schema declarations and other assignments written line by line (see `object-lines.ts`):
 * `left = z.object({ … });` one property per line, a property or getter of such an object, an
 * interface member, `left = value;` for a value that cannot break, `left = call([a, b]);` and
 * `left = [a, b] as const;`. Each writes the printer's layout when it follows from line widths
 * alone and returns undefined for any other, which the caller prints from its Doc.
 * `test/line-writers.test.ts` holds each to `printDoc` of the same Doc.
 */
import { pad, printLines, textWidth, WIDTH } from "./printer.js";
import { array, assign } from "./ts.js";

/** Whether `text` takes at most `columns` (a character takes two at most: short texts need no measure). */
function fits(text: string, columns: number): boolean {
  return text.length * 2 <= columns || textWidth(text) <= columns;
}

/** `  key: type;`, a member of an interface without type parameters on its line, when it fits there. */
export function memberLine(key: string, type: string): string | undefined {
  const line = `  ${key}: ${type};`;
  return fits(line, WIDTH) ? line : undefined;
}

/**
 * `left = z.object({ … });` with one property per line, as the printer lays out
 * `[assign(left, " =", call("z.object", [object(properties, true)], true)), ";"]`: the object
 * hugged on the first line when `left = z.object({` fits; else the object alone on the next line
 * when `left = z.object(` fits; else broken after `=`. `body` gives the properties' lines
 * `depth` columns deep, commas included, or undefined to leave the whole to the printer.
 */
export function zodObjectText(left: string, body: (depth: number) => string[] | undefined): string | undefined {
  const head = `${left} = z.object(`;
  const width = textWidth(head);
  const [open, depth, close] = width < WIDTH ? [`${head}{`, 2, "});"] : width === WIDTH ? [`${head}\n  {`, 4, "  },\n);"] : [`${left} =\n  z.object({`, 4, "  });"];
  const lines = body(depth);
  return lines === undefined ? undefined : `${open}\n${lines.join("\n")}\n${close}`;
}

/** `key: value,` of an object broken one property per line, `depth` columns deep, when it fits on its line. */
export function propertyLine(key: string, value: string, depth: number): string | undefined {
  const text = `${key}: ${value}`;
  // The comma after it takes a column too.
  return fits(text, WIDTH - depth - 1) ? pad(depth / 2) + text + "," : undefined;
}

/**
 * `get key() { return value; },` of an object broken one property per line, `depth` columns
 * deep (a getter's body always breaks), when its `return` fits on its line.
 */
export function getterLines(key: string, value: string, depth: number): string[] | undefined {
  const ret = `  return ${value};`;
  if (!fits(ret, WIDTH - depth)) return undefined;
  const indent = pad(depth / 2);
  return [`${indent}get ${key}() {`, indent + ret, `${indent}},`];
}

/**
 * `left = right;` for a right side that cannot break, as `[assign(left, " =", right), ";"]`
 * prints: on one line, or broken after `=`.
 */
export function assignText(left: string, right: string): string {
  const text = `${left} = ${right};`;
  return fits(text, WIDTH) ? text : `${left} =\n  ${right};`;
}

/**
 * `left = callee[a, b]);` (`callee` like `z.enum(`), the array the call's last argument, as the
 * printer lays out `[assign(left, " =", call(name, [...before, array(items)], true)), ";"]`: on
 * one line, or the array hugged and broken one item per line when its `[` fits on the first
 * line; undefined for the other layouts, left to the printer.
 */
export function hugArrayText(left: string, callee: string, items: readonly string[]): string | undefined {
  if (items.length === 0) return undefined;
  const open = `${left} = ${callee}[`;
  const flat = `${open}${items.join(", ")}]);`;
  if (textWidth(flat) <= WIDTH) return flat;
  return textWidth(open) <= WIDTH ? `${open}\n  ${items.join(",\n  ")},\n]);` : undefined;
}

/**
 * `left = [a, b] as const;` for items that cannot break (string literals), as
 * `[assign(left, " =", [array(items), " as const"]), ";"]` prints: on one line when it fits,
 * else one item per line with `[` after `=` when that fits (the array breaks before the
 * assignment does); a left side too long for that is printed from the Doc.
 */
export function constArrayLines(left: string, items: readonly string[]): string[] {
  const flat = `${left} = [${items.join(", ")}] as const;`;
  if (textWidth(flat) <= WIDTH) return [flat];
  if (textWidth(`${left} = [`) > WIDTH) return printLines([assign(left, " =", [array(items), " as const"]), ";"]);
  return [`${left} = [`, ...items.map((n) => `${pad(1)}${n},`), "] as const;"];
}
