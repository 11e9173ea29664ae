/** JSON printed the way Prettier prints it: objects expanded, short arrays on one line. */
import { WIDTH } from "./layout.js";

export function printJson(value: unknown): string {
  return print(value, 0, 0, false) + "\n";
}

function inline(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value.map(inline);
    return items.every((i) => i !== undefined) ? `[${items.join(", ")}]` : undefined;
  }
  if (value !== null && typeof value === "object") return Object.keys(value).length === 0 ? "{}" : undefined;
  return JSON.stringify(value);
}

/** `used` is the width already taken on the line; `comma` whether a `,` follows. */
function print(value: unknown, depth: number, used: number, comma: boolean): string {
  const pad = "  ".repeat(depth);
  const one = inline(value);
  if (one !== undefined && (!Array.isArray(value) || used + one.length + (comma ? 1 : 0) <= WIDTH)) return one;
  const inner = "  ".repeat(depth + 1);
  if (Array.isArray(value)) {
    const items = value.map((v, i) => inner + print(v, depth + 1, inner.length, i < value.length - 1));
    return `[\n${items.join(",\n")}\n${pad}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const lines = entries.map(([k, v], i) => {
    const head = `${inner}${JSON.stringify(k)}: `;
    return head + print(v, depth + 1, head.length, i < entries.length - 1);
  });
  return `{\n${lines.join(",\n")}\n${pad}}`;
}
