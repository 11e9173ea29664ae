/**
 * Validation issues as data: where (a path into the message's data), what (a stable code) and a
 * sentence. Built from a schema's issues, never from the value itself, so an issue can be logged
 * or returned to a caller without quoting what was sent (a `@pii` field's value in particular).
 */

/** One reason a command or event was refused. */
export interface ValidationIssue {
  /** Where in the message's `data`, e.g. `["lines", 0, "quantity"]`; empty for the whole message. */
  readonly path: readonly (string | number)[];
  /**
   * What is wrong: a Zod issue code (`invalid_type`, `too_small`, `invalid_format`, …) or one of
   * the runtime's own: `too-large`, `too-deep`, `nul-character`, `proto-key`, `not-json`,
   * `unknown-type`.
   */
  readonly code: string;
  /** A sentence for people; it never contains the refused value. */
  readonly message: string;
}

/** The issue shape of a schema's `safeParse` failure (Zod's, structurally). */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly code: string;
  readonly message: string;
}

/** What a codec needs of a schema: Zod's `safeParse`, structurally, so the runtime does not depend on Zod. */
export interface SchemaLike {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: readonly SchemaIssue[] } };
}

/** `lines.0.quantity`; `(root)` for an empty path. */
export function formatPath(path: readonly (string | number)[]): string {
  return path.length === 0 ? "(root)" : path.map(String).join(".");
}

/** A schema's issues as validation issues (symbols in paths become their descriptions). */
export function fromSchemaIssues(issues: readonly SchemaIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === "symbol" ? (p.description ?? "symbol") : p)),
    code: issue.code,
    message: issue.message,
  }));
}

/** One line per issue: `lines.0.quantity: Too small: expected number to be >=1`. */
export function describeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join("; ");
}

/** The path of the first string or key holding U+0000 in a JSON value, or undefined. */
export function findNul(value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof value === "string") return value.includes("\u0000") ? path : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], [...path, i]);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    if (key.includes("\u0000")) return [...path, key];
    const found = findNul(child, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * The path of the first own key `__proto__` in a JSON value, or undefined. `JSON.parse` makes it
 * an ordinary key, but a schema's parse (Zod's records, `z.json()`) drops it rather than set an
 * object's prototype, so a map entry or a `json` value under that key would vanish unsaid.
 */
export function findProtoKey(value: unknown): (string | number)[] | undefined {
  return typeof value === "object" && value !== null && holdsProtoKey(value) ? protoKeyPath(value) : undefined;
}

/** Whether an object or array holds a key `__proto__` at any depth: the hot path, allocating nothing. */
function holdsProtoKey(value: object): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child === "object" && child !== null && holdsProtoKey(child)) return true;
    }
    return false;
  }
  if (Object.hasOwn(value, "__proto__")) return true;
  // for…in over a parsed JSON object sees its own keys only (Object.prototype's are not enumerable).
  for (const key in value) {
    const child: unknown = (value as Record<string, unknown>)[key];
    if (typeof child === "object" && child !== null && holdsProtoKey(child)) return true;
  }
  return false;
}

function protoKeyPath(value: object): (string | number)[] | undefined {
  if (!Array.isArray(value) && Object.hasOwn(value, "__proto__")) return ["__proto__"];
  for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const found: (string | number)[] | undefined = typeof child === "object" && child !== null ? protoKeyPath(child as object) : undefined;
    if (found) return [key, ...found];
  }
  return undefined;
}

/** The issue of a key `__proto__` at `path`. */
export function protoKeyIssue(path: readonly (string | number)[]): ValidationIssue {
  return { path, code: "proto-key", message: "a key may not be `__proto__`: it cannot be read back as data (JavaScript objects and schemas drop it)" };
}

/** `1.5 MB`, `512 kB`, `900 bytes` (MB = 10^6 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} bytes`;
}
