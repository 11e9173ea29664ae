/** JSON printed the way Prettier prints it: objects expanded, short arrays on one line. */
import { WIDTH } from "./layout.js";

/** An expanded array whose items are all primitives (what `JSON.stringify(…, 2)` prints). */
const PRIMITIVE_ARRAY = /\[\n( +)([^[\]{}\n]+(?:,\n\1[^[\]{}\n]+)*)\n *\]/g;

export function printJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return (
    text.replace(PRIMITIVE_ARRAY, (whole: string, indent: string, items: string, offset: number) => {
      const lineStart = text.lastIndexOf("\n", offset) + 1;
      const one = `[${items.split(`,\n${indent}`).join(", ")}]`;
      // The line holds what precedes the array, the array, and a comma if more follows.
      const after = text[offset + whole.length] === "," ? 1 : 0;
      return offset - lineStart + one.length + after <= WIDTH ? one : whole;
    }) + "\n"
  );
}
