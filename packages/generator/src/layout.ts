/**
 * Line layout that matches Prettier's defaults (80 columns, 2 spaces, trailing commas), so the
 * generated code is already formatted. Only the few shapes the emitters use are handled.
 */
export const WIDTH = 80;

export function pad(depth: number): string {
  return "  ".repeat(depth);
}

/**
 * `prefix` + a call chain + `suffix`, on one line if it fits, else Prettier's expanded member
 * chain: the head on the first line, each further call on its own line, one level deeper.
 * `head` is like `z` and `calls` like `.string()`, `.min(1)`.
 */
export function chain(depth: number, prefix: string, head: string, calls: readonly string[], suffix: string): string[] {
  const one = `${pad(depth)}${prefix}${head}${calls.join("")}${suffix}`;
  if (one.length <= WIDTH) return [one];
  // A single call that does not fit breaks its arguments (`.default(` / `"x",` / `)`); one
  // without arguments cannot break.
  if (calls.length === 1) {
    const m = /^(\.[A-Za-z_$][\w$]*)\((.+)\)$/.exec(calls[0] as string);
    if (!m) return [one];
    return [`${pad(depth)}${prefix}${head}${m[1]}(`, `${pad(depth + 1)}${m[2]},`, `${pad(depth)})${suffix}`];
  }
  const lines = [`${pad(depth)}${prefix}${head}`];
  calls.forEach((c, i) => lines.push(`${pad(depth + 1)}${c}${i === calls.length - 1 ? suffix : ""}`));
  return lines;
}

/** `prefix[a, b, c]suffix` on one line if it fits, else one element per line with a trailing comma. */
export function list(depth: number, prefix: string, open: string, items: readonly string[], close: string, suffix: string): string[] {
  const one = `${pad(depth)}${prefix}${open}${items.join(", ")}${close}${suffix}`;
  if (one.length <= WIDTH || items.length === 0) return [one];
  return [`${pad(depth)}${prefix}${open}`, ...items.map((i) => `${pad(depth + 1)}${i},`), `${pad(depth)}${close}${suffix}`];
}

/** `const NAME = value;` breaking after `=` when too long (how Prettier breaks a long string). */
export function assignment(depth: number, prefix: string, value: string): string[] {
  const one = `${pad(depth)}${prefix} = ${value};`;
  return one.length <= WIDTH ? [one] : [`${pad(depth)}${prefix} =`, `${pad(depth + 1)}${value};`];
}

/** `key: value,` inside an object literal, breaking after `:` when too long (as Prettier does). */
export function member(depth: number, key: string, value: string): string[] {
  const one = `${pad(depth)}${key}: ${value},`;
  return one.length <= WIDTH ? [one] : [`${pad(depth)}${key}:`, `${pad(depth + 1)}${value},`];
}
